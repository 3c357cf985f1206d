"""The printable statement of a worker's record: evidence for a union or a labour inspector."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fpdf.enums import XPos, YPos

from bot import i18n
from bot.domain.clock import Clock
from bot.domain.content import Rules
from bot.domain.countries import country
from bot.domain.records import PaymentEntry, WorkEntry
from bot.domain.users import User
from bot.i18n import _
from bot.services.content import Library
from bot.services.handbook import A4
from bot.services.hours import EmployerSummary, Period
from bot.services.wording import per_unit, render_warning


class StatementService:
    def __init__(self, library: Library, clock: Clock) -> None:
        self.library = library
        self.clock = clock

    def build(
        self,
        user: User,
        period: Period,
        summaries: list[EmployerSummary],
        work: list[WorkEntry],
        payments: list[PaymentEntry],
    ) -> bytes:
        """A PDF listing every entry with when it was recorded, the totals and the rules."""
        with i18n.using(user.locale):
            return self._render(user, period, summaries, work, payments)

    def _render(
        self,
        user: User,
        period: Period,
        summaries: list[EmployerSummary],
        work: list[WorkEntry],
        payments: list[PaymentEntry],
    ) -> bytes:
        tz = ZoneInfo(user.timezone or country(user.country).timezone)
        rules: Rules | None = self.library.rules.get(country(user.country).jurisdiction)
        rtl = i18n.is_rtl()
        align = "R" if rtl else "L"
        pdf = A4(margin=15)
        pdf.set_title(_("Record of hours worked and payments received"))
        pdf.add_page()

        def line(text: str, size: float = 10, bold: bool = False) -> None:
            pdf.set_font("body", "B" if bold else "", size)
            pdf.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        line(_("Record of hours worked and payments received"), 15, bold=True)
        line(
            _("Period: {start} to {end}").format(
                start=i18n.fmt_date(period.start, "long"), end=i18n.fmt_date(period.end, "long")
            )
        )
        line(
            _("Generated on {date}. Times are local ({timezone}).").format(
                date=i18n.fmt_datetime(self.clock.now().astimezone(tz)), timezone=str(tz)
            )
        )
        line(_("Each entry was written down by the worker; 'recorded' is when, in UTC."), 8)
        for item in summaries:
            employer, summary = item.employer, item.summary
            pdf.ln(4)
            line(_("Household: {name}").format(name=employer.nickname), 12, bold=True)
            line(
                _("Agreed pay: {amount} {unit}").format(
                    amount=i18n.fmt_money(employer.pay, employer.currency),
                    unit=per_unit(employer.pay_unit),
                )
            )
            pdf.ln(1)
            headers = [_("Date"), _("From"), _("To"), _("Break"), _("Worked"), _("Recorded")]
            widths = [30, 20, 20, 18, 24, 68]
            pdf.set_font("body", "B", 8)
            for header, width in zip(headers, widths, strict=True):
                pdf.cell(width, 6, header, border=1)
            pdf.ln()
            pdf.set_font("body", "", 8)
            for entry in (e for e in work if e.employer_id == employer.id):
                cells = [
                    i18n.fmt_date(entry.day, "short"),
                    i18n.fmt_time(entry.start_at.astimezone(tz)) if entry.start_at else "",
                    i18n.fmt_time(entry.end_at.astimezone(tz)) if entry.end_at else "",
                    f"{entry.break_minutes} min" if entry.break_minutes else "",
                    i18n.fmt_duration(entry.worked_minutes),
                    entry.created_at
                    + (
                        " ({label} {at})".format(label=_("changed"), at=entry.updated_at)
                        if entry.updated_at != entry.created_at
                        else ""
                    ),
                ]
                for cell, width in zip(cells, widths, strict=True):
                    pdf.cell(width, 5, cell.replace(i18n.FSI, "").replace(i18n.PDI, ""), border=1)
                pdf.ln()
            pays = [p for p in payments if p.employer_id == employer.id]
            if pays:
                pdf.ln(2)
                line(_("Payments received"), 10, bold=True)
                for payment in pays:
                    method = {"cash": _("cash"), "transfer": _("transfer")}.get(
                        payment.method or "", ""
                    )
                    line(
                        f"{i18n.fmt_date(payment.day, 'short')}: "
                        f"{i18n.fmt_money(payment.amount, payment.currency)} {method} "
                        + "({label} {at})".format(label=_("recorded"), at=payment.created_at),
                        8,
                    )
            pdf.ln(2)
            totals = [
                _("Days worked: {n}").format(n=summary.days_worked),
                _("Hours worked: {hours}").format(hours=i18n.fmt_duration(summary.minutes)),
                _("Overtime: {hours}").format(hours=i18n.fmt_duration(summary.overtime_minutes)),
                _("Earned as agreed: {amount}").format(
                    amount=i18n.fmt_money(summary.earned, employer.currency)
                ),
                _("Extra for overtime: {amount}").format(
                    amount=i18n.fmt_money(summary.overtime_pay, employer.currency)
                ),
                _("Paid to you: {amount}").format(
                    amount=i18n.fmt_money(summary.paid, employer.currency)
                ),
                _("Still owed to you: {amount}").format(
                    amount=i18n.fmt_money(summary.balance, employer.currency)
                ),
            ]
            for total in totals:
                line(total, 10, bold=total == totals[-1])
            for warning in summary.warnings:
                line(
                    "⚠ "
                    + render_warning(warning.code, warning.details, employer.currency)
                    + f" ({warning.source})",
                    9,
                )
        pdf.ln(4)
        line(_("Rules applied"), 11, bold=True)
        if rules is None:
            line(_("No legal limits are in the bot's data for this country; only totals."), 9)
        else:
            for label, sourced in (
                (_("Daily limit"), rules.daily_hours),
                (_("Weekly limit"), rules.weekly_hours),
                (_("Weekly rest"), rules.weekly_rest),
            ):
                if sourced is not None:
                    line(f"{label}: {i18n.fmt_number(sourced.value)} h — {sourced.source}", 9)
            if rules.overtime is not None:
                tiers = ", ".join(f"×{t.multiplier}" for t in rules.overtime.tiers)
                line(_("Overtime") + f": {tiers} — {rules.overtime.source}", 9)
            if rules.minimum_wage is not None:
                wage = rules.minimum_wage
                line(
                    _("Minimum wage: {amount} {unit}, in force from {date} — {source}").format(
                        amount=i18n.fmt_money(wage.amount, rules.currency or ""),
                        unit=per_unit(wage.unit),
                        date=i18n.fmt_date(wage.effective),
                        source=wage.source,
                    ),
                    9,
                )
        pdf.ln(2)
        line(_("This is information, not legal advice."), 8)
        return bytes(pdf.output())
