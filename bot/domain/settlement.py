"""What a worker is owed when the job ends: pure arithmetic, each line with its article.

Only what the law's text states is computed (see content/<country>/REVIEW.md for what was
checked). Everything else is listed in `not_included`, so the worker is told plainly what this
figure leaves out and where to get it checked. Amounts are Decimal; a line whose amount the law
states only in days (a notice period whose day value no article sets) has `amount=None`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.wages import Agreement, cents

LFT = "Ley Federal del Trabajo"
RD1620 = "Real Decreto 1620/2011"
L26844 = "Ley 26.844"
CT_PA = "Código de Trabajo de Panamá"

# How a job can end, per jurisdiction, in the order the buttons show them.
REASONS: dict[str, tuple[str, ...]] = {
    "spain": ("desist", "dismissed", "resigned"),
    "mexico": ("dismissed", "employer_fault", "resigned"),
    "argentina": ("dismissed", "resigned", "probation"),
    "panama": ("dismissed", "resigned", "probation"),
    "peru": ("dismissed", "resigned"),
    "ilo": ("dismissed", "resigned"),
}


@dataclass(frozen=True)
class Line:
    """One amount owed, how it was computed and where the law says so."""

    code: str  # e.g. "compensation", "notice", "aguinaldo" (rendered in the user's language)
    amount: Decimal | None
    quantity: Decimal  # days, months or weeks of pay
    per: str  # "day" | "month" | "week"
    source: str
    condition: str = ""  # "" always | "no_notice" | "judge_unfair" | "not_paid_yet"


@dataclass(frozen=True)
class Settlement:
    jurisdiction: str
    reason: str
    started: dt.date
    ended: dt.date
    service: tuple[int, int, int]  # years, months, days
    daily_wage: Decimal | None
    monthly_wage: Decimal | None
    lines: tuple[Line, ...]
    not_included: tuple[str, ...]  # codes of payments this calculator does not compute
    notes: tuple[str, ...] = ()  # codes of assumptions the worker should know

    @property
    def total(self) -> Decimal:
        """Lines owed whatever happens (conditional ones are shown apart)."""
        return sum((ln.amount for ln in self.lines if ln.amount and not ln.condition), Decimal(0))


def service_length(start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """Whole years, months and days from `start` to `end` inclusive (calendar arithmetic)."""
    end_next = end + dt.timedelta(days=1)
    months = (end_next.year - start.year) * 12 + end_next.month - start.month
    if end_next.day < start.day:
        months -= 1
    anchor = _add_months(start, months)
    return months // 12, months % 12, (end_next - anchor).days


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def settle(
    jurisdiction: str,
    reason: str,
    agreement: Agreement,
    ended: dt.date,
    *,
    daily_wage: Decimal | None,
    monthly_wage: Decimal | None,
    best_monthly_last_year: Decimal | None = None,
    best_monthly_semester: Decimal | None = None,
    days_worked_this_year: int | None = None,
    vacation_taken: int | None = None,
    exponent: int = 2,
) -> Settlement:
    """The lines owed for a job that ended on `ended` for `reason`.

    `daily_wage` and `monthly_wage` are her pay per day and per month under the terms in
    force at the end (the caller derives them from the pay terms or, for hourly pay, from her
    record, and says how). Unknown inputs leave the lines that need them out.
    """
    if reason not in REASONS.get(jurisdiction, ()):
        raise ValueError(f"unknown reason {reason!r} for {jurisdiction}")
    started = agreement.starts
    service = service_length(started, ended)
    build = {
        "spain": _spain,
        "mexico": _mexico,
        "argentina": _argentina,
        "panama": _panama,
    }.get(jurisdiction)
    lines: list[Line] = []
    not_included: list[str] = []
    notes: list[str] = []
    if build is None:
        not_included += ["everything"]
    else:
        build(
            _Inputs(
                reason,
                started,
                ended,
                service,
                daily_wage,
                monthly_wage,
                best_monthly_last_year,
                best_monthly_semester,
                days_worked_this_year,
                vacation_taken,
            ),
            lines,
            not_included,
            notes,
        )
    # A line of zero days (12 days x 0 whole years) is no money owed: it is left out, and
    # the note on unfinished years says why.
    rounded = tuple(
        Line(ln.code, None if ln.amount is None else cents(ln.amount, exponent), *_rest(ln))
        for ln in lines
        if ln.quantity > 0
    )
    return Settlement(
        jurisdiction,
        reason,
        started,
        ended,
        service,
        daily_wage,
        monthly_wage,
        rounded,
        tuple(not_included),
        tuple(notes),
    )


def _rest(line: Line) -> tuple[Decimal, str, str, str]:
    return line.quantity, line.per, line.source, line.condition


@dataclass(frozen=True)
class _Inputs:
    reason: str
    started: dt.date
    ended: dt.date
    service: tuple[int, int, int]
    daily: Decimal | None
    monthly: Decimal | None
    best_year: Decimal | None
    best_semester: Decimal | None
    days_this_year: int | None
    vacation_taken: int | None

    @property
    def years(self) -> int:
        return self.service[0]

    @property
    def years_and_months(self) -> Decimal:
        return Decimal(self.service[0]) + Decimal(self.service[1]) / 12


def _days(
    line_code: str, days: Decimal, daily: Decimal | None, source: str, cond: str = ""
) -> Line:
    return Line(line_code, None if daily is None else daily * days, days, "day", source, cond)


# ---- Spain: RD 1620/2011 art. 11 (RDL 16/2022), ET art. 56.1 ------------------------------
def _spain(i: _Inputs, lines: list[Line], missing: list[str], notes: list[str]) -> None:
    if i.reason == "desist":
        # Art. 11.2: 12 days' pay per year of service, at most six months' pay. The text does
        # not prorate part of a year, so only whole years count (noted to the worker).
        days = Decimal(12 * i.years)
        line = _days("compensation", days, i.daily, f"{RD1620}, art. 11.2")
        if line.amount is not None and i.monthly is not None:
            line = Line(line.code, min(line.amount, 6 * i.monthly), days, "day", line.source)
        lines.append(line)
        notice = Decimal(20 if (i.years >= 1 and i.service != (1, 0, 0)) else 7)
        lines.append(_days("notice", notice, i.daily, f"{RD1620}, art. 11.2", "no_notice"))
        if i.service[1] or i.service[2]:
            notes.append("part_year_not_counted")
    elif i.reason == "dismissed":
        # ET art. 56.1: only if a judge finds the dismissal unfair; 33 days per year,
        # part of a year prorated by months, at most 24 months' pay.
        days = Decimal(33) * i.years_and_months
        line = _days(
            "unfair_dismissal",
            days,
            i.daily,
            "Estatuto de los Trabajadores, art. 56.1",
            "judge_unfair",
        )
        if line.amount is not None and i.monthly is not None:
            line = Line(
                line.code,
                min(line.amount, 24 * i.monthly),
                days,
                "day",
                line.source,
                line.condition,
            )
        lines.append(line)
        notes.append("dismissal_deadline_20_days")
    missing += ["extra_payments", "unused_vacation", "unpaid_days"]


# ---- Mexico: LFT arts. 50, 76, 79, 80, 87, 89, 162 -----------------------------------------
MEXICO_VACATION_DAYS = {1: 12, 2: 14, 3: 16, 4: 18, 5: 20}  # art. 76 (DOF 27-12-2022)


def _mexico(i: _Inputs, lines: list[Line], missing: list[str], notes: list[str]) -> None:
    if i.reason in ("dismissed", "employer_fault"):
        lines.append(_days("three_months", Decimal(90), i.daily, f"{LFT}, arts. 48-50 (fr. III)"))
        lines.append(
            _days(
                "twenty_days_per_year", Decimal(20 * i.years), i.daily, f"{LFT}, art. 50 (fr. II)"
            )
        )
    if i.reason in ("dismissed", "employer_fault") or i.years >= 15:
        lines.append(_days("seniority_premium", Decimal(12 * i.years), i.daily, f"{LFT}, art. 162"))
        notes.append("seniority_cap_not_applied")
    if i.service[1] or i.service[2]:
        notes.append("part_year_not_counted")
    if i.days_this_year is not None:
        # Art. 87: at least 15 days' pay a year; the part of the year worked when it ends.
        days = Decimal(15) * Decimal(i.days_this_year) / Decimal(365)
        lines.append(_days("aguinaldo", days, i.daily, f"{LFT}, art. 87", "not_paid_yet"))
    year_of_service = i.years + 1  # the year she was in when the job ended
    entitled = MEXICO_VACATION_DAYS.get(year_of_service)
    if entitled is not None:
        # Art. 79: the part of the year's holidays for the time worked in that year.
        fraction = (Decimal(i.service[1]) + Decimal(i.service[2]) / 30) / 12
        days = max(Decimal(0), Decimal(entitled) * fraction - Decimal(i.vacation_taken or 0))
        lines.append(_days("vacation", days, i.daily, f"{LFT}, arts. 76 y 79"))
        premium = _days("vacation_premium", days * Decimal("0.25"), i.daily, f"{LFT}, art. 80")
        lines.append(premium)
        if i.vacation_taken is None:
            notes.append("vacation_taken_unknown")
    else:
        missing.append("vacation_after_year_5")
    missing += ["unpaid_days"]


# ---- Argentina: Ley 26.844 arts. 26-28, 42-44, 48 -----------------------------------------
def _argentina(i: _Inputs, lines: list[Line], missing: list[str], notes: list[str]) -> None:
    if i.reason == "dismissed":
        # Art. 48: one month's best pay per year, or part of a year over three months; at least
        # one month.
        months = i.years + (1 if (i.service[1] > 3 or (i.service[1] == 3 and i.service[2])) else 0)
        months = max(1, months)
        best = i.best_year
        lines.append(
            Line(
                "severance",
                None if best is None else best * months,
                Decimal(months),
                "month",
                f"{L26844}, art. 48",
            )
        )
        notice = Decimal(30 if i.years >= 1 else 10)
        lines.append(Line("notice", None, notice, "day", f"{L26844}, arts. 42 y 43", "no_notice"))
        last_day = dt.date(
            i.ended.year + i.ended.month // 12, i.ended.month % 12 + 1, 1
        ) - dt.timedelta(days=1)
        if i.ended < last_day:
            lines.append(
                Line(
                    "month_integration",
                    None,
                    Decimal((last_day - i.ended).days),
                    "day",
                    f"{L26844}, art. 44",
                    "no_notice",
                )
            )
        notes.append("probation_changed_2026")
    if i.best_semester is not None:
        # Arts. 26 and 28: half the best monthly pay of the half-year, for the part worked.
        semester_start = dt.date(i.ended.year, 1 if i.ended.month <= 6 else 7, 1)
        semester_end = (
            dt.date(i.ended.year, 6, 30) if i.ended.month <= 6 else dt.date(i.ended.year, 12, 31)
        )
        worked_from = max(semester_start, i.started)
        share = Decimal((i.ended - worked_from).days + 1) / Decimal(
            (semester_end - semester_start).days + 1
        )
        lines.append(
            Line(
                "sac",
                i.best_semester / 2 * share,
                share * Decimal("0.5"),
                "month",
                f"{L26844}, arts. 26 y 28",
            )
        )
    missing += ["unused_vacation", "unpaid_days"]


# ---- Panama: Código de Trabajo art. 231 --------------------------------------------------
def _panama(i: _Inputs, lines: list[Line], missing: list[str], notes: list[str]) -> None:
    if i.reason == "dismissed":
        total_days = (i.ended - i.started).days + 1
        years = i.years_and_months
        if total_days < 14:
            pass  # the trial period: no compensation (art. 231, num. 3)
        elif years >= 4:
            missing.append("compensation_4_years")
        else:
            quantity, per = (
                (Decimal(1), "week")
                if years < Decimal(3) / 12
                else (Decimal(2), "week")
                if years < 1
                else (Decimal(1), "month")
                if years < 2
                else (Decimal(2), "month")
            )
            weekly = None if i.monthly is None else i.monthly * 12 / 52
            amount = weekly if per == "week" else i.monthly
            lines.append(
                Line(
                    "compensation",
                    None if amount is None else amount * quantity,
                    quantity,
                    per,
                    f"{CT_PA}, art. 231, num. 4",
                )
            )
        lines.append(
            Line("notice", None, Decimal(30), "day", f"{CT_PA}, art. 231, num. 3", "no_notice")
        )
        notes.append("week_is_monthly_12_52")
    missing += ["thirteenth_month", "unused_vacation", "seniority_premium", "unpaid_days"]
