"""The printable statement of a worker's record: evidence for a union or a labour inspector."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot import i18n
from bot.domain.clock import Clock
from bot.domain.countries import country
from bot.domain.records import PaymentEntry, WorkEntry
from bot.domain.rules import Rules
from bot.domain.settlement import Settlement
from bot.domain.users import User
from bot.i18n import _, ngettext
from bot.services.content import Library
from bot.services.hours import EmployerSummary, Period, agreement_of
from bot.services.record_csv import local_moment, payment_method
from bot.services.wording import per_unit, settlement_lines, summary_lines

# An entry written down more than this long after the work (or payment) it is about is marked,
# so a reader can tell notes made at the time from ones written from memory.
LATE_AFTER = dt.timedelta(hours=48)
_KEEP_WITH_NEXT = 25  # mm: room a heading needs below it for the first lines of its table
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


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
        csv_sha256: str | None = None,
        settlements: Sequence[tuple[str, Settlement, str]] = (),
    ) -> bytes:
        """A PDF listing every entry with when it was recorded, the totals and the rules.

        `csv_sha256` (hex) is printed so the statement can be matched with the CSV file.
        """
        if csv_sha256 is not None and not _SHA256_RE.fullmatch(csv_sha256.lower()):
            raise ValueError("csv_sha256 must be 64 hexadecimal digits")
        with i18n.using(user.locale):
            return self._render(user, period, summaries, work, payments, csv_sha256, settlements)

    def _render(
        self,
        user: User,
        period: Period,
        summaries: list[EmployerSummary],
        work: list[WorkEntry],
        payments: list[PaymentEntry],
        csv_sha256: str | None,
        settlements: Sequence[tuple[str, Settlement, str]] = (),
    ) -> bytes:
        tz = ZoneInfo(user.timezone or country(user.country).timezone)
        book = self.library.rules.get(country(user.country).jurisdiction)
        rules: Rules | None = book.on(min(period.end, self.clock.now().date())) if book else None
        from bot.services.pdf import A4  # fpdf2 loads on the first PDF, not at start

        pdf = A4(margin=15, rtl=i18n.is_rtl())
        title = _("Record of hours worked and payments received")
        pdf.set_title(title)
        pdf.footer_text = title
        pdf.add_page()

        def line(text: str, size: float = 10, bold: bool = False) -> None:
            pdf.paragraph(text, size, bold=bold)

        line(title, 15, bold=True)
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
        line(
            _(
                "“Recorded”: when the worker wrote the entry down. "
                "“Days later”: written more than 2 days after."
            ),
            8,
        )
        for item in summaries:
            employer, summary = item.employer, item.summary
            pdf.ln(4)
            if pdf.will_page_break(_KEEP_WITH_NEXT):  # a heading never ends a page alone
                pdf.add_page()
            line(_("Household: {name}").format(name=typed(employer.nickname)), 12, bold=True)
            agreement = agreement_of(employer)
            line(_("Working there since {day}.").format(day=i18n.fmt_date(agreement.starts)))
            for terms in agreement.terms:  # every pay agreed, from its date
                line(
                    _("Agreed pay from {day}: {amount} {unit}").format(
                        day=i18n.fmt_date(terms.starts),
                        amount=i18n.fmt_money(terms.amount, terms.currency),
                        unit=per_unit(terms.unit),
                    )
                )
            pdf.ln(1)
            pdf.grid(
                [_("Date"), _("From"), _("To"), _("Break"), _("Worked"), _("Recorded")],
                [
                    [
                        i18n.fmt_date(entry.day, "short"),
                        i18n.fmt_time(entry.start_at.astimezone(tz)) if entry.start_at else "",
                        i18n.fmt_time(entry.end_at.astimezone(tz)) if entry.end_at else "",
                        i18n.fmt_duration(entry.break_minutes) if entry.break_minutes else "",
                        i18n.fmt_duration(entry.worked_minutes),
                        recorded_cell(
                            entry.day, entry.end_at, entry.created_at, entry.updated_at, tz
                        ),
                    ]
                    for entry in work
                    if entry.employer_id == employer.id
                ],
                8,
            )
            pays = [p for p in payments if p.employer_id == employer.id]
            if pays:
                pdf.ln(2)
                if pdf.will_page_break(_KEEP_WITH_NEXT):
                    pdf.add_page()
                line(_("Payments received"), 10, bold=True)
                pdf.grid(
                    [_("Date"), _("Amount"), _("Method"), _("Note"), _("Recorded")],
                    [
                        [
                            i18n.fmt_date(payment.day, "short"),
                            i18n.fmt_money(payment.amount, payment.currency),
                            payment_method(payment.method),
                            typed(payment.note or ""),
                            recorded_cell(
                                payment.day, None, payment.created_at, payment.updated_at, tz
                            ),
                        ]
                        for payment in pays
                    ],
                    8,
                )
            pdf.ln(2)
            for kind, text in summary_lines(summary, employer.currency):
                prefix = {"how": "   ", "warning": "⚠ ", "note": "ℹ "}.get(kind, "")
                size = 9 if kind in ("how", "warning", "note") else 10
                line(prefix + text, size, bold=kind == "owed" and summary.balance > 0)
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
                    hours = i18n.fmt_duration(int(sourced.value * 60))
                    line(
                        _("{rule}: {hours} — {source}").format(
                            rule=label, hours=hours, source=sourced.source
                        ),
                        9,
                    )
            if rules.overtime is not None:
                tiers = ", ".join(f"×{t.multiplier}" for t in rules.overtime.tiers)
                line(_("Overtime") + f": {tiers} — {rules.overtime.source}", 9)
            for wage in rules.minimum_wages:
                line(
                    _("Minimum wage: {amount} {unit}, in force from {date} — {source}").format(
                        amount=i18n.fmt_money(wage.amount, rules.currency or ""),
                        unit=per_unit(wage.unit),
                        date=i18n.fmt_date(wage.effective),
                        source=wage.source,
                    ),
                    9,
                )
        for name, settlement, currency in settlements:
            pdf.add_page()  # the end-of-job figure is a page of its own
            for kind, text in settlement_lines(settlement, currency, name):
                bullet = "• " if kind in ("line", "missing") else ""
                line(bullet + text, 12 if kind == "title" else 9, bold=kind in ("title", "total"))
        if csv_sha256 is not None:
            pdf.ln(2)
            line(_("SHA-256 of the CSV file:"), 8)
            # One unbroken line in a fixed-width font, so it reads and copies back exactly.
            pdf.paragraph(csv_sha256.lower(), 8, family="mono")
        pdf.ln(2)
        line(_("This is information, not legal advice."), 8)
        pdf.alias_nb_pages()
        return bytes(pdf.output())


def typed(text: str) -> str:
    """Text the worker typed, isolated so its own letters set its direction (UAX #9 FSI).

    Without it "-50 adelanto" in an Arabic page would read "adelanto 50-".
    """
    return f"{i18n.FSI}{text}{i18n.PDI}" if text else ""


def recorded_cell(
    day: dt.date, done_at: dt.datetime | None, created_at: str, updated_at: str, tz: ZoneInfo
) -> str:
    """When an entry was written down (local), how late if it was, and when it was changed."""
    created, updated = local_moment(created_at, tz), local_moment(updated_at, tz)
    text = i18n.fmt_datetime(created, "short")
    late = days_late(day, done_at, created, tz)
    if late:
        text += " " + ngettext("({n} day later)", "({n} days later)", late).format(
            n=i18n.fmt_number(late)
        )
    if updated != created:
        text += "\n" + _("changed on {date}").format(date=i18n.fmt_datetime(updated, "short"))
    return text


def days_late(
    day: dt.date, done_at: dt.datetime | None, recorded: dt.datetime, tz: ZoneInfo
) -> int:
    """Days from `day` to `recorded` if that came over 48 h after the work ended, else 0.

    Without an end time (a payment, or hours without times) the day ends at local midnight.
    """
    end = done_at or dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    if recorded - end <= LATE_AFTER:
        return 0
    return (recorded.astimezone(tz).date() - day).days
