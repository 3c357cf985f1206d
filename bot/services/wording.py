"""Wording shared by the chat and the printed statement, so both say the same thing."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from bot import i18n
from bot.i18n import N_, _, fmt_date, fmt_duration, fmt_money, ngettext

UNIT_SUFFIX = {
    "hour": N_("per hour"),
    "day": N_("per day"),
    "week": N_("per week"),
    "month": N_("per month"),
}


def per_unit(unit: str) -> str:
    return _(UNIT_SUFFIX[unit])


def render_warning(code: str, details: dict[str, Any], currency: str) -> str:
    if code == "below_minimum_wage":
        return _(
            "Your pay ({agreed} {unit}) is below the minimum wage ({minimum} {unit}, "
            "in force from {date})."
        ).format(
            agreed=fmt_money(details["agreed"], currency),
            minimum=fmt_money(details["minimum"], currency),
            unit=per_unit(str(details["unit"])),
            date=fmt_date(details["effective"]),
        )
    if code == "over_daily_limit":
        return _("You worked {hours} more than the legal limit of {limit} hours a day.").format(
            hours=fmt_duration(int(details["minutes"])), limit=i18n.fmt_number(details["limit"])
        )
    if code == "over_weekly_limit":
        return _("You worked {hours} more than the legal limit of {limit} hours a week.").format(
            hours=fmt_duration(int(details["minutes"])), limit=i18n.fmt_number(details["limit"])
        )
    return _(
        "In the week of {day} you did not get the weekly rest of {hours} hours in a row."
    ).format(day=fmt_date(details["week_start"]), hours=i18n.fmt_number(details["hours"]))


ENDING_REASONS = {
    "desist": N_("The family ended it (desistimiento)"),
    "dismissed": N_("I was dismissed"),
    "employer_fault": N_("I left because of the employer's fault"),
    "resigned": N_("I resigned"),
    "probation": N_("It ended in the trial period"),
}
NOT_CALCULATED_TOPICS = {
    "daily_hours": N_("a daily hours limit"),
    "weekly_hours": N_("a weekly hours limit"),
    "overtime": N_("overtime pay"),
    "minimum_wage": N_("the minimum wage"),
    "weekly_rest": N_("the weekly rest"),
}
SETTLEMENT_LINES = {
    "compensation": N_("Compensation"),
    "notice": N_("Notice (or its pay)"),
    "unfair_dismissal": N_("Compensation for unfair dismissal"),
    "three_months": N_("Compensation: three months' wages"),
    "twenty_days_per_year": N_("Compensation: 20 days' wages per year"),
    "seniority_premium": N_("Seniority bonus (prima de antigüedad)"),
    "aguinaldo": N_("Share of the aguinaldo"),
    "vacation": N_("Holidays not taken"),
    "vacation_premium": N_("Holiday premium (prima vacacional)"),
    "severance": N_("Severance (indemnización)"),
    "month_integration": N_("Rest of the month (integración del mes)"),
    "sac": N_("Share of the aguinaldo (SAC)"),
}
CONDITIONS = {
    "no_notice": N_("if you were not given this notice"),
    "judge_unfair": N_("only if a judge finds the dismissal unfair"),
    "not_paid_yet": N_("if not paid yet"),
}
NOT_INCLUDED = {
    "everything": N_("This calculator does not yet compute what is owed in your country."),
    "extra_payments": N_("The two extra payments (their amount is agreed with the family)."),
    "unused_vacation": N_("Holidays not taken."),
    "unpaid_days": N_("Days worked and not yet paid: see your statement."),
    "vacation_after_year_5": N_("Holidays after the fifth year of work."),
    "compensation_4_years": N_("The compensation after 4 years of work."),
    "thirteenth_month": N_("The thirteenth month (décimo tercer mes)."),
    "seniority_premium": N_("The seniority bonus (prima de antigüedad)."),
}
SETTLEMENT_NOTES = {
    "part_year_not_counted": N_(
        "Only whole years of work are counted here; the months of an unfinished year may "
        "count too. Ask for it to be checked."
    ),
    "dismissal_deadline_20_days": N_(
        "You have only 20 working days to challenge a dismissal "
        "(Estatuto de los Trabajadores, art. 59.3)."
    ),
    "seniority_cap_not_applied": N_(
        "The seniority bonus uses a wage of at most twice the minimum wage (LFT, arts. 162 and "
        "486). The bot does not have a checked minimum wage, so it used your wage."
    ),
    "vacation_taken_unknown": N_("You did not say how many holiday days you took: none counted."),
    "probation_changed_2026": N_(
        "A 2026 law (Ley 27.802) changed the trial period; the bot has not checked its text."
    ),
    "week_is_monthly_12_52": N_("A week's wage is counted as a month's wage × 12 / 52."),
}


def ending_reason(code: str) -> str:
    return _(ENDING_REASONS[code])


def render_part(part: Any) -> str:
    """How one part of the pay was computed, in one line."""
    terms = part.terms
    amount = fmt_money(terms.amount, terms.currency)
    total = fmt_money(part.amount.quantize(Decimal("0.01")), terms.currency)
    if part.per == "hour":
        text = _("{hours} h × {amount} = {total}").format(
            hours=i18n.fmt_number(part.quantity.quantize(Decimal("0.01"))),
            amount=amount,
            total=total,
        )
    elif part.per == "day":
        text = _("{days} days worked × {amount} = {total}").format(
            days=i18n.fmt_number(part.quantity), amount=amount, total=total
        )
    elif part.per == "month":
        text = ngettext(
            "{n} whole month × {amount} = {total}",
            "{n} whole months × {amount} = {total}",
            int(part.quantity),
        ).format(n=int(part.quantity), amount=amount, total=total)
    else:
        text = _("{days} days × {amount} {unit} ÷ {divisor} = {total}").format(
            days=i18n.fmt_number(part.quantity),
            amount=amount,
            unit=per_unit(terms.unit),
            divisor=i18n.fmt_number(part.divisor),
            total=total,
        )
    if part.source:
        text += f" ({part.source})"
    return text


def render_note(code: str, details: dict[str, Any], source: str) -> str:
    if code == "not_calculated":
        what = _(NOT_CALCULATED_TOPICS[str(details["topic"])])
        if details["reason"] == "not_in_law":
            return _(
                "Not calculated for your country: {what}. The law sets none for this work."
            ).format(what=what)
        return _(
            "Not calculated for your country: {what}. The rule could not yet be checked in the "
            "official text."
        ).format(what=what)
    if code == "minimum_wage_not_updated":
        return _(
            "The minimum wage in the bot ended on {date}; the new figure has not been added "
            "yet, so your pay is not compared with it."
        ).format(date=fmt_date(details["ended"]))
    return _(
        "Overtime can be paid at least at the ordinary rate, or given back as paid rest within "
        "four months ({source})."
    ).format(source=source)


def settlement_lines(settlement: Any, currency: str, name: str) -> list[tuple[str, str]]:
    """The end-of-contract figure as (kind, plain text) lines, for the chat, PDF and CSV.

    kind: "title" | "info" | "line" | "total" | "note" | "missing_title" | "missing" | "help".
    """
    years, months, days = settlement.service
    out: list[tuple[str, str]] = [
        (
            "title",
            _("If the job at {name} ends on {day}").format(
                name=name, day=fmt_date(settlement.ended)
            ),
        ),
        ("info", ending_reason(settlement.reason)),
        (
            "info",
            _("Time worked: {time} (since {start}).").format(
                time=i18n.fmt_list(
                    [
                        ngettext("{n} year", "{n} years", years).format(n=years),
                        ngettext("{n} month", "{n} months", months).format(n=months),
                        ngettext("{n} day", "{n} days", days).format(n=days),
                    ]
                ),
                start=fmt_date(settlement.started),
            ),
        ),
    ]
    if settlement.daily_wage is not None:
        out.append(
            (
                "info",
                _("Daily wage used: {amount}").format(
                    amount=fmt_money(settlement.daily_wage.quantize(Decimal("0.01")), currency)
                ),
            )
        )
    if not settlement.lines and "everything" not in settlement.not_included:
        out.append(
            ("info", _("Nothing extra is owed for this way of ending, beyond what is below."))
        )
    for line in settlement.lines:
        out.append(("line", settlement_line(line, currency)))
    if settlement.total:
        out.append(
            ("total", _("Total: {amount}").format(amount=fmt_money(settlement.total, currency)))
        )
    out += [("note", _(SETTLEMENT_NOTES[note])) for note in settlement.notes]
    if settlement.not_included:
        out.append(("missing_title", _("Not included here:")))
        out += [("missing", _(NOT_INCLUDED[code])) for code in settlement.not_included]
    out.append(
        (
            "help",
            _(
                "Have it checked before you sign anything: see “Where to get help”. "
                "This is information, not legal advice."
            ),
        )
    )
    return out


def settlement_line(line: Any, currency: str) -> str:
    """One line owed: its name, amount (or length), condition and article."""
    quantity = i18n.fmt_number(line.quantity.quantize(Decimal("0.01")).normalize())
    size = {
        "day": _("{n} days").format(n=quantity),
        "month": _("{n} months").format(n=quantity),
        "week": _("{n} weeks").format(n=quantity),
    }[line.per]
    value = fmt_money(line.amount, currency) if line.amount is not None else size
    text = f"{_(SETTLEMENT_LINES[line.code])}: {value}"
    if line.amount is not None:
        text += f" ({size})"
    if line.condition:
        text += " — " + _(CONDITIONS[line.condition])
    return f"{text} — {line.source}"


def render_settlement(settlement: Any, currency: str, name: str) -> str:
    """The end-of-contract figure for the chat, as Telegram HTML."""
    rendered = []
    for kind, text in settlement_lines(settlement, currency, name):
        safe = html.escape(text, quote=False)
        rendered.append(
            {
                "title": f"🧾 <b>{safe}</b>",
                "total": f"<b>{safe}</b>",
                "line": f"• {safe}",
                "missing": f"• {safe}",
                "note": f"ℹ️ {safe}",
            }.get(kind, safe)
        )
    return "\n".join(rendered)


def summary_lines(summary: Any, currency: str) -> list[tuple[str, str]]:
    """A period's figures as (kind, plain text), each with how it was computed.

    kind: "figure" | "how" | "owed" | "warning" | "note". The chat and the PDF show the same.
    """
    out: list[tuple[str, str]] = [
        (
            "figure",
            ngettext("{n} day worked", "{n} days worked", summary.days_worked).format(
                n=summary.days_worked
            )
            + " · "
            + ngettext("{n} day of rest", "{n} days of rest", summary.rest_days).format(
                n=summary.rest_days
            ),
        ),
        ("figure", _("Hours worked: {hours}").format(hours=fmt_duration(summary.minutes))),
    ]
    if summary.overtime_minutes:
        out.append(
            ("figure", _("Overtime: {hours}").format(hours=fmt_duration(summary.overtime_minutes)))
        )
    out.append(
        (
            "figure",
            _("Earned as agreed: {amount}").format(amount=fmt_money(summary.earned, currency)),
        )
    )
    out += [("how", render_part(part)) for part in summary.parts]
    salaried = any(t.unit in ("week", "month") for t in summary.terms)
    if salaried and summary.accrued_until is not None and summary.accrued_until < summary.end:
        out.append(
            (
                "how",
                _("Counted up to {day}: days still to come are not counted.").format(
                    day=fmt_date(summary.accrued_until)
                ),
            )
        )
    if summary.overtime_pay or (summary.overtime_minutes and summary.overtime_rest_instead):
        label = (
            _("Overtime, at least (unless given back as paid rest): {amount}")
            if summary.overtime_rest_instead
            else _("Extra for overtime: {amount}")
        )
        out.append(("figure", label.format(amount=fmt_money(summary.overtime_pay, currency))))
        if not summary.overtime_rest_instead:  # otherwise the note below cites it
            out.append(("how", summary.overtime_source))
    out.append(
        ("figure", _("Paid to you: {amount}").format(amount=fmt_money(summary.paid, currency)))
    )
    out.append(("owed", balance_text(summary.balance, currency)))
    out += [
        ("warning", render_warning(w.code, w.details, currency) + f" ({w.source})")
        for w in summary.warnings
    ]
    out += [("note", render_note(n.code, n.details, n.source)) for n in summary.notes]
    return out


def balance_text(balance: Decimal, currency: str) -> str:
    """What she is owed, or that she was paid more: never a negative amount owed."""
    if balance > 0:
        return _("Still owed to you: {amount}").format(amount=fmt_money(balance, currency))
    if balance < 0:
        return _("Paid more than the record shows: {amount}").format(
            amount=fmt_money(-balance, currency)
        )
    return _("Nothing is owed: what was earned has been paid.")
