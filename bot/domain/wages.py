"""What a worker earned, was paid and is owed: pure arithmetic over her own records.

Money is Decimal, rounded to the currency's minor unit only at the end of each line.
Hours belong to the local day the shift started (a night shift 22:00-06:00 is one day's work).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.content import Rules

HOUR = Decimal(3600)
ZERO = Decimal(0)
DEFAULT_DAILY_HOURS = Decimal(8)
DEFAULT_WEEKLY_HOURS = Decimal(48)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


@dataclass(frozen=True)
class Agreement:
    """What the worker and the household agreed: an amount per hour, day, week or month."""

    amount: Decimal
    unit: str  # "hour" | "day" | "week" | "month"
    currency: str
    starts: dt.date = dt.date.min  # first day the agreement applies (for prorating salaries)


@dataclass(frozen=True)
class Work:
    """One entry of the worker's record."""

    day: dt.date  # local date the work started
    worked: dt.timedelta  # breaks already subtracted
    start: dt.datetime | None = None  # aware, when the times are known
    end: dt.datetime | None = None


@dataclass(frozen=True)
class Payment:
    day: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Warning:
    """Something the law says is wrong, with the rule it comes from."""

    code: str  # "below_minimum_wage" | "over_daily_limit" | "over_weekly_limit" | "no_weekly_rest"
    source: str
    url: str
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    start: dt.date
    end: dt.date  # inclusive
    days_worked: int
    rest_days: int
    minutes: int  # whole minutes keep totals exact and additive
    minutes_over_daily: int
    minutes_over_weekly: int
    overtime_minutes: int
    earned: Decimal  # under the agreement, ordinary pay
    overtime_pay: Decimal  # extra the law adds for overtime hours
    paid: Decimal
    warnings: tuple[Warning, ...]
    overtime_by_multiplier: dict[Decimal, int] = field(default_factory=dict)  # minutes

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    @property
    def due(self) -> Decimal:
        return self.earned + self.overtime_pay

    @property
    def balance(self) -> Decimal:
        """Positive: the household owes the worker."""
        return self.due - self.paid


def local_shift(
    day: dt.date, start: dt.time, end: dt.time, tz: dt.tzinfo, break_minutes: int = 0
) -> Work:
    """A shift given in local wall-clock times; an end at or before the start is next day.

    Worked time is measured between UTC instants, so a night across a DST change counts the
    hours really worked (22:00-06:00 is 7 h on the night clocks go forward).
    """
    begins = dt.datetime.combine(day, start, tz)
    ends_day = day + dt.timedelta(days=1) if end <= start else day
    ends = dt.datetime.combine(ends_day, end, tz)
    worked = (
        ends.astimezone(dt.UTC) - begins.astimezone(dt.UTC) - dt.timedelta(minutes=break_minutes)
    )
    return Work(day=day, worked=worked, start=begins, end=ends)


def hours_of(delta: dt.timedelta) -> Decimal:
    return Decimal(int(delta.total_seconds())) / HOUR


def minutes_of(delta: dt.timedelta) -> int:
    return int(delta.total_seconds()) // 60


def to_minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))


def cents(amount: Decimal, exponent: int = 2) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)


def daily_minutes(entries: Iterable[Work]) -> dict[dt.date, int]:
    per_day: dict[dt.date, int] = defaultdict(int)
    for entry in entries:
        per_day[entry.day] += minutes_of(entry.worked)
    return dict(per_day)


def _week(day: dt.date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def ordinary_hourly_value(agreement: Agreement, rules: Rules | None) -> Decimal:
    """The agreed pay per ordinary hour, the base overtime multipliers apply to."""
    day = rules.daily_hours.value if rules and rules.daily_hours else DEFAULT_DAILY_HOURS
    week = rules.weekly_hours.value if rules and rules.weekly_hours else DEFAULT_WEEKLY_HOURS
    if agreement.unit == "hour":
        return agreement.amount
    if agreement.unit == "day":
        return agreement.amount / day
    if agreement.unit == "week":
        return agreement.amount / week
    return agreement.amount / (week * WEEKS_PER_MONTH)


def _earned(agreement: Agreement, per_day: dict[dt.date, int], period: list[dt.date]) -> Decimal:
    """Ordinary pay under the agreement: hours or days worked, or the salary prorated by day."""
    if agreement.unit == "hour":
        return agreement.amount * Decimal(sum(per_day.values())) / 60
    if agreement.unit == "day":
        return agreement.amount * sum(1 for minutes in per_day.values() if minutes > 0)
    covered = [d for d in period if d >= agreement.starts]
    if agreement.unit == "week":
        return agreement.amount * Decimal(len(covered)) / Decimal(7)
    # Monthly: each day is 1/(days in its month) of the salary, so full months are exact.
    total = ZERO
    for day in covered:
        total += agreement.amount / Decimal(_days_in_month(day))
    return total


def _days_in_month(day: dt.date) -> int:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - dt.timedelta(days=1)).day


def _overtime(per_day: dict[dt.date, int], rules: Rules | None) -> dict[Decimal, int]:
    """Overtime minutes under the jurisdiction's rules, by pay multiplier."""
    if rules is None or rules.overtime is None:
        return {}
    overtime = rules.overtime
    # Overtime per day (basis "day") or per week, booked on the week's last worked day.
    extra: dict[dt.date, int] = {}
    if overtime.basis == "day":
        limit = to_minutes(rules.daily_hours.value if rules.daily_hours else DEFAULT_DAILY_HOURS)
        extra = {day: max(0, minutes - limit) for day, minutes in per_day.items()}
    else:
        limit = to_minutes(rules.weekly_hours.value if rules.weekly_hours else DEFAULT_WEEKLY_HOURS)
        weeks: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for day in sorted(per_day):
            weeks[_week(day)].append(day)
        for days in weeks.values():
            extra[days[-1]] = max(0, sum(per_day[d] for d in days) - limit)
    by_multiplier: dict[Decimal, int] = defaultdict(int)
    used_in_week: dict[tuple[int, int], int] = defaultdict(int)
    for day in sorted(extra):
        remaining, used_today = extra[day], 0
        for tier in overtime.tiers:
            if remaining <= 0:
                break
            if tier.hours is None:
                take = remaining
            elif tier.period == "day":
                take = min(remaining, max(0, to_minutes(tier.hours) - used_today))
            else:
                take = min(remaining, max(0, to_minutes(tier.hours) - used_in_week[_week(day)]))
            if take > 0:
                by_multiplier[tier.multiplier] += take
                remaining -= take
                used_today += take
                used_in_week[_week(day)] += take
        if remaining > 0:  # beyond every capped tier: the last tier's rate applies
            by_multiplier[overtime.tiers[-1].multiplier] += remaining
    return {m: minutes for m, minutes in by_multiplier.items() if minutes}


def _rest_warnings(
    entries: Sequence[Work],
    per_day: dict[dt.date, int],
    period: list[dt.date],
    rules: Rules,
    tz: dt.tzinfo,
) -> list[Warning]:
    """Whole weeks (Monday-Sunday) in the period with no rest as long as the law requires.

    With times known, a rest counts for a week if it overlaps the week (a rest from Saturday
    13:00 to Monday 09:00 is 44 hours, even though only 35 fall before Sunday midnight).
    Without times, a week with work on all seven days has no rest day.
    """
    if rules.weekly_rest is None:
        return []
    needed = rules.weekly_rest.value
    timed = all(e.start is not None and e.end is not None for e in entries)
    gaps: list[tuple[dt.datetime, dt.datetime]] = []
    if timed:
        cursor = _midnight_utc(period[0], tz)
        for entry in sorted(entries, key=lambda e: e.start):  # type: ignore[arg-type, return-value]
            assert entry.start is not None and entry.end is not None
            gaps.append((cursor, entry.start.astimezone(dt.UTC)))
            cursor = max(cursor, entry.end.astimezone(dt.UTC))
        gaps.append((cursor, _midnight_utc(period[-1] + dt.timedelta(days=1), tz)))
    warnings = []
    for monday in (d for d in period if d.weekday() == 0 and d + dt.timedelta(6) <= period[-1]):
        week = _days(monday, monday + dt.timedelta(days=6))
        if timed:
            week_start, week_end = (
                _midnight_utc(monday, tz),
                _midnight_utc(week[-1] + dt.timedelta(1), tz),
            )
            missing = not any(
                hours_of(end - start) >= needed
                for start, end in gaps
                if start < week_end and end > week_start
            )
        else:
            missing = all(per_day.get(d, 0) > 0 for d in week)
        if missing:
            warnings.append(
                Warning(
                    "no_weekly_rest",
                    rules.weekly_rest.source,
                    rules.weekly_rest.url,
                    {"week_start": monday, "hours": needed},
                )
            )
    return warnings


def _midnight_utc(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)


def summarise(
    entries: Sequence[Work],
    payments: Sequence[Payment],
    agreement: Agreement,
    rules: Rules | None,
    start: dt.date,
    end: dt.date,
    tz: dt.tzinfo = dt.UTC,
    exponent: int = 2,
) -> Summary:
    """Totals, overtime, pay and warnings for the days start..end (inclusive)."""
    period = _days(start, end)
    within = [e for e in entries if start <= e.day <= end]
    per_day = daily_minutes(within)
    days_worked = sum(1 for m in per_day.values() if m > 0)
    daily_limit = rules.daily_hours.value if rules and rules.daily_hours else None
    weekly_limit = rules.weekly_hours.value if rules and rules.weekly_hours else None
    over_daily = (
        sum(max(0, m - to_minutes(daily_limit)) for m in per_day.values()) if daily_limit else 0
    )
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    for day, minutes in per_day.items():
        per_week[_week(day)] += minutes
    over_weekly = (
        sum(max(0, m - to_minutes(weekly_limit)) for m in per_week.values()) if weekly_limit else 0
    )
    by_multiplier = _overtime(per_day, rules)
    hourly = ordinary_hourly_value(agreement, rules)
    earned = _earned(agreement, per_day, period)
    # Hourly pay already covers every hour once, so overtime adds the difference; a salary
    # covers ordinary hours only, so overtime hours are paid on top, in full.
    extra = Decimal(1) if agreement.unit == "hour" else Decimal(0)
    overtime_pay = sum(
        (Decimal(m) / 60 * hourly * (mult - extra) for mult, m in by_multiplier.items()), ZERO
    )
    paid = sum((p.amount for p in payments if start <= p.day <= end), ZERO)
    warnings: list[Warning] = []
    if rules is not None:
        warnings += _minimum_wage_warnings(agreement, rules)
        if daily_limit and over_daily > 0 and rules.daily_hours:
            warnings.append(
                Warning(
                    "over_daily_limit",
                    rules.daily_hours.source,
                    rules.daily_hours.url,
                    {"limit": daily_limit, "minutes": over_daily},
                )
            )
        if weekly_limit and over_weekly > 0 and rules.weekly_hours:
            warnings.append(
                Warning(
                    "over_weekly_limit",
                    rules.weekly_hours.source,
                    rules.weekly_hours.url,
                    {"limit": weekly_limit, "minutes": over_weekly},
                )
            )
        warnings += _rest_warnings(within, per_day, period, rules, tz)
    return Summary(
        start=start,
        end=end,
        days_worked=days_worked,
        rest_days=len(period) - days_worked,
        minutes=sum(per_day.values()),
        minutes_over_daily=over_daily,
        minutes_over_weekly=over_weekly,
        overtime_minutes=sum(by_multiplier.values()),
        earned=cents(earned, exponent),
        overtime_pay=cents(overtime_pay, exponent),
        paid=cents(paid, exponent),
        warnings=tuple(warnings),
        overtime_by_multiplier=by_multiplier,
    )


def _minimum_wage_warnings(agreement: Agreement, rules: Rules) -> list[Warning]:
    minimum = rules.minimum_wage
    if minimum is None or rules.currency != agreement.currency:
        return []
    if minimum.unit == agreement.unit:
        agreed, floor = agreement.amount, minimum.amount
    else:
        # Compare per hour, with the legal ordinary hours as the conversion.
        floor = ordinary_hourly_value(
            Agreement(minimum.amount, minimum.unit, agreement.currency), rules
        )
        agreed = ordinary_hourly_value(agreement, rules)
    if agreed >= floor:
        return []
    return [
        Warning(
            "below_minimum_wage",
            minimum.source,
            minimum.url,
            {
                "agreed": cents(agreed),
                "minimum": cents(floor),
                "unit": minimum.unit if minimum.unit == agreement.unit else "hour",
                "effective": minimum.effective,
            },
        )
    ]
