"""What a worker earned, was paid and is owed: pure arithmetic over her own records.

Money is Decimal, rounded to the currency's minor unit only at the end of each line.
Hours belong to the local day the shift started (a night shift 22:00-06:00 is one day's work).

Salaries accrue day by day and only for days that have passed: a day's pay is the monthly
salary divided by the jurisdiction's divisor (30 where the law says so; `rules.toml`
[day_rate]), a whole calendar month is the whole salary. Each period uses the pay terms in
force on each day, so a raise in the middle of a month splits that month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.rules import MinimumWage, RuleBook, Rules

HOUR = Decimal(3600)
ZERO = Decimal(0)
DEFAULT_DAILY_HOURS = Decimal(8)
DEFAULT_WEEKLY_HOURS = Decimal(48)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
DEFAULT_MONTH_DIVISOR = Decimal(30)
DEFAULT_WEEK_DIVISOR = Decimal(7)

RuleSource = RuleBook | Rules | None


@dataclass(frozen=True)
class Terms:
    """Pay agreed from a date: an amount per hour, day, week or month."""

    starts: dt.date
    amount: Decimal
    unit: str  # "hour" | "day" | "week" | "month"
    currency: str
    live_in: bool = False


@dataclass(frozen=True)
class Agreement:
    """The job with one household: when it started and its pay terms over time."""

    starts: dt.date
    terms: tuple[Terms, ...]  # ordered by `starts`; the first applies from `starts`

    @classmethod
    def simple(
        cls,
        amount: Decimal,
        unit: str,
        currency: str,
        starts: dt.date = dt.date.min,
        live_in: bool = False,
    ) -> Agreement:
        return cls(starts, (Terms(starts, amount, unit, currency, live_in),))

    @property
    def currency(self) -> str:
        return self.terms[-1].currency

    def terms_on(self, day: dt.date) -> Terms:
        current = self.terms[0]
        for terms in self.terms:
            if terms.starts <= day:
                current = terms
        return current


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
class Note:
    """Something the calculator did not do, or did under a stated assumption."""

    code: str  # "not_calculated" | "minimum_wage_not_updated" | "overtime_rest_instead" | …
    details: dict[str, object] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class EarnedPart:
    """How part of the pay was computed: `quantity` of `per` at the terms' amount."""

    terms: Terms
    per: str  # "hour" | "day" | "month" (a whole month) | "day_of_salary"
    quantity: Decimal
    amount: Decimal
    divisor: Decimal | None = None  # for salaries: a day is 1/divisor of the week or month
    source: str = ""


@dataclass(frozen=True)
class Summary:
    start: dt.date
    end: dt.date  # inclusive
    accrued_until: dt.date | None  # last day counted for salaries (None: none passed yet)
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
    parts: tuple[EarnedPart, ...] = ()
    notes: tuple[Note, ...] = ()
    terms: tuple[Terms, ...] = ()  # the terms in force at some point of the period
    overtime_source: str = ""
    overtime_rest_instead: bool = False

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    @property
    def due(self) -> Decimal:
        return self.earned + self.overtime_pay

    @property
    def balance(self) -> Decimal:
        """Positive: the household owes the worker; negative: she was paid more."""
        return self.due - self.paid

    @property
    def owed(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def overpaid(self) -> Decimal:
        return max(-self.balance, ZERO)


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


def rules_on(source: RuleSource, day: dt.date) -> Rules | None:
    if source is None or isinstance(source, Rules):
        return source
    return source.on(day)


def week_of(day: dt.date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def days_in_month(day: dt.date) -> int:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - dt.timedelta(days=1)).day


def week_divisor(rules: Rules | None) -> tuple[Decimal, str]:
    if rules is not None and rules.day_rate is not None:
        return rules.day_rate.week_divisor, rules.day_rate.source
    return DEFAULT_WEEK_DIVISOR, ""


def ordinary_hourly_value(terms: Terms, rules: Rules | None) -> Decimal:
    """The agreed pay per ordinary hour, the base overtime multipliers apply to."""
    day = rules.daily_hours.value if rules and rules.daily_hours else DEFAULT_DAILY_HOURS
    week = rules.weekly_hours.value if rules and rules.weekly_hours else DEFAULT_WEEKLY_HOURS
    if terms.unit == "hour":
        return terms.amount
    if terms.unit == "day":
        return terms.amount / day
    if terms.unit == "week":
        return terms.amount / week
    return terms.amount / (week * WEEKS_PER_MONTH)


def daily_value(terms: Terms, rules: Rules | None) -> Decimal | None:
    """A day's pay under salary terms (None for hourly pay, which has no fixed day)."""
    if terms.unit == "day":
        return terms.amount
    if terms.unit == "week":
        return terms.amount / week_divisor(rules)[0]
    if terms.unit == "month":
        divisor = rules.day_rate.month_divisor if rules and rules.day_rate else None
        return terms.amount / (divisor or DEFAULT_MONTH_DIVISOR)
    return None


# ---- ordinary pay -----------------------------------------------------------------------
def _earned(
    agreement: Agreement,
    per_day: dict[dt.date, int],
    accrued: list[dt.date],
    rules: RuleSource,
) -> list[EarnedPart]:
    """Ordinary pay, part by part: hours or days worked, or the salary accrued by day."""
    parts: list[EarnedPart] = []
    by_terms_minutes: dict[Terms, int] = defaultdict(int)
    by_terms_days: dict[Terms, int] = defaultdict(int)
    for day, minutes in sorted(per_day.items()):
        terms = agreement.terms_on(day)
        if terms.unit == "hour":
            by_terms_minutes[terms] += minutes
        elif terms.unit == "day" and minutes > 0:
            by_terms_days[terms] += 1
    for terms, minutes in by_terms_minutes.items():
        hours = Decimal(minutes) / 60
        parts.append(EarnedPart(terms, "hour", hours, terms.amount * hours))
    for terms, days in by_terms_days.items():
        parts.append(EarnedPart(terms, "day", Decimal(days), terms.amount * days))
    # Weekly salaries: each passed day is 1/7 (or the law's divisor) of the week.
    weekly: dict[Terms, int] = defaultdict(int)
    monthly_days: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for day in accrued:
        terms = agreement.terms_on(day)
        if terms.unit == "week":
            weekly[terms] += 1
        elif terms.unit == "month":
            monthly_days[(day.year, day.month)].append(day)
    for terms, days in weekly.items():
        divisor, source = week_divisor(rules_on(rules, terms.starts))
        parts.append(
            EarnedPart(
                terms,
                "day_of_salary",
                Decimal(days),
                terms.amount * days / divisor,
                divisor,
                source,
            )
        )
    parts += _monthly_parts(agreement, monthly_days, rules)
    return parts


def _monthly_parts(
    agreement: Agreement, months: dict[tuple[int, int], list[dt.date]], rules: RuleSource
) -> list[EarnedPart]:
    """A whole calendar month is the salary; part of one is counted by day.

    Where the law sets a divisor ([day_rate], e.g. 30) a day is salary / divisor and a whole
    month counts as `divisor` days, the last terms of a month taking the days left, so a month
    is never paid twice. Where it sets none, a day is salary / days in that month (the bot's
    own, neutral method, said on the statement).
    """
    full: dict[Terms, int] = defaultdict(int)
    days_of: dict[tuple[Terms, Decimal], Decimal] = defaultdict(Decimal)
    for _key, days in sorted(months.items()):
        day_rules = rules_on(rules, days[0])
        law_divisor = day_rules.day_rate.month_divisor if day_rules and day_rules.day_rate else None
        divisor = law_divisor or Decimal(days_in_month(days[0]))
        segments: list[tuple[Terms, int]] = []
        for day in days:
            terms = agreement.terms_on(day)
            if segments and segments[-1][0] == terms:
                segments[-1] = (terms, segments[-1][1] + 1)
            else:
                segments.append((terms, 1))
        whole = len(days) == days_in_month(days[0])
        if whole and len(segments) == 1:
            full[segments[0][0]] += 1
            continue
        left = divisor
        for index, (terms, count) in enumerate(segments):
            last = index == len(segments) - 1
            take = left if (whole and last) else min(Decimal(count), left)
            days_of[(terms, divisor)] += take
            left -= take
    parts = []
    for terms, count in full.items():
        parts.append(EarnedPart(terms, "month", Decimal(count), terms.amount * count))
    for (terms, divisor), counted in days_of.items():
        if counted <= 0:
            continue
        day_rules = rules_on(rules, terms.starts)
        source = day_rules.day_rate.source if day_rules and day_rules.day_rate else ""
        parts.append(
            EarnedPart(
                terms, "day_of_salary", counted, terms.amount * counted / divisor, divisor, source
            )
        )
    return parts


# ---- overtime ---------------------------------------------------------------------------
def _weeks(per_day: dict[dt.date, int]) -> dict[dt.date, list[dt.date]]:
    weeks: dict[dt.date, list[dt.date]] = defaultdict(list)
    for day in sorted(per_day):
        weeks[monday_of(day)].append(day)
    return weeks


def _daily_limit(rules: Rules) -> Decimal | None:
    if rules.overtime and rules.overtime.daily_limit:
        return rules.overtime.daily_limit
    return rules.daily_hours.value if rules.daily_hours else None


def _overtime_extra(per_day: dict[dt.date, int], source: RuleSource) -> dict[dt.date, int]:
    """Overtime minutes booked to the days they were worked, week by week."""
    extra: dict[dt.date, int] = {}
    for monday, days in _weeks(per_day).items():
        rules = rules_on(source, monday)
        if rules is None or rules.overtime is None:
            continue
        basis = rules.overtime.basis
        daily = _daily_limit(rules) or DEFAULT_DAILY_HOURS
        weekly = rules.weekly_hours.value if rules.weekly_hours else DEFAULT_WEEKLY_HOURS
        by_day = {d: max(0, per_day[d] - to_minutes(daily)) for d in days}
        over_week = max(0, sum(per_day[d] for d in days) - to_minutes(weekly))
        if basis == "day" or (basis == "day_or_week" and sum(by_day.values()) >= over_week):
            extra.update({d: m for d, m in by_day.items() if m})
            continue
        # Weekly overtime: the last hours of the week are the ones beyond the limit.
        remaining = over_week
        for day in reversed(days):
            take = min(remaining, per_day[day])
            if take:
                extra[day] = take
            remaining -= take
            if remaining <= 0:
                break
    return extra


def _premium_minutes(day: dt.date, minutes: int, entries: Sequence[Work], after: dt.time) -> int:
    """How many of a day's last `minutes` (its overtime) fall after `after` on that day."""
    timed = [e for e in entries if e.day == day and e.start is not None and e.end is not None]
    if after == dt.time(0):
        return minutes
    if not timed:
        return 0  # times unknown: the higher rate is not assumed
    tz = timed[0].start.tzinfo  # type: ignore[union-attr]
    cut = dt.datetime.combine(day, after, tz).astimezone(dt.UTC)
    left, counted = minutes, 0
    for entry in sorted(timed, key=lambda e: e.end, reverse=True):  # type: ignore[arg-type, return-value]
        assert entry.start is not None and entry.end is not None
        end, start = entry.end.astimezone(dt.UTC), entry.start.astimezone(dt.UTC)
        take_from = max(start, end - dt.timedelta(minutes=left))
        counted += max(0, minutes_of(end - max(take_from, cut)))
        left -= minutes_of(end - take_from)
        if left <= 0:
            break
    return min(counted, minutes)


def _overtime(
    per_day: dict[dt.date, int], entries: Sequence[Work], source: RuleSource
) -> dict[Decimal, int]:
    """Overtime minutes under the jurisdiction's rules, by pay multiplier."""
    extra = _overtime_extra(per_day, source)
    by_multiplier: dict[Decimal, int] = defaultdict(int)
    used_in_week: dict[tuple[int, int], int] = defaultdict(int)
    for day in sorted(extra):
        rules = rules_on(source, monday_of(day))
        assert rules is not None and rules.overtime is not None
        overtime = rules.overtime
        remaining, used_today = extra[day], 0
        taken: dict[Decimal, int] = defaultdict(int)
        for tier in overtime.tiers:
            if remaining <= 0:
                break
            if tier.hours is None:
                take = remaining
            elif tier.period == "day":
                take = min(remaining, max(0, to_minutes(tier.hours) - used_today))
            else:
                take = min(remaining, max(0, to_minutes(tier.hours) - used_in_week[week_of(day)]))
            if take > 0:
                taken[tier.multiplier] += take
                remaining -= take
                used_today += take
                used_in_week[week_of(day)] += take
        if remaining > 0:  # beyond every capped tier: the last tier's rate applies
            taken[overtime.tiers[-1].multiplier] += remaining
        for premium in overtime.premiums:
            if premium.weekday != day.weekday():
                continue
            moved = _premium_minutes(day, extra[day], entries, premium.after)
            for multiplier in sorted(taken):
                if moved <= 0 or multiplier >= premium.multiplier:
                    break
                shift = min(moved, taken[multiplier])
                taken[multiplier] -= shift
                taken[premium.multiplier] += shift
                moved -= shift
        for multiplier, minutes in taken.items():
            by_multiplier[multiplier] += minutes
    return {m: minutes for m, minutes in by_multiplier.items() if minutes}


# ---- weekly rest ------------------------------------------------------------------------
def _midnight_utc(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)


def _rest_warnings(
    entries: Sequence[Work],
    context: Sequence[Work],
    per_day: dict[dt.date, int],
    period: list[dt.date],
    source: RuleSource,
    tz: dt.tzinfo,
    now: dt.datetime,
) -> list[Warning]:
    """Whole, finished weeks (Monday-Sunday) of the period with no rest as long as the law's.

    With times known, rest is any time between two shifts, from the week's start at the
    earliest, running on past its end (a rest from Saturday 14:00 to Monday 08:00 is 42
    hours), up to the next shift logged after the period, or up to now. Without times, a
    week with work on all seven days has no rest day.
    """
    timed = [e for e in [*entries, *context] if e.start is not None and e.end is not None]
    all_timed = all(e.start is not None for e in entries)
    gaps: list[tuple[dt.datetime, dt.datetime]] = []
    if all_timed:
        cursor = _midnight_utc(period[0] - dt.timedelta(days=7), tz)
        for entry in sorted(timed, key=lambda e: e.start):  # type: ignore[arg-type, return-value]
            assert entry.start is not None and entry.end is not None
            gaps.append((cursor, entry.start.astimezone(dt.UTC)))
            cursor = max(cursor, entry.end.astimezone(dt.UTC))
        gaps.append((cursor, max(cursor, now.astimezone(dt.UTC))))
    warnings = []
    for monday in (d for d in period if d.weekday() == 0 and d + dt.timedelta(6) <= period[-1]):
        rules = rules_on(source, monday)
        if rules is None or rules.weekly_rest is None:
            continue
        needed = rules.weekly_rest.value
        week = days_between(monday, monday + dt.timedelta(days=6))
        week_start = _midnight_utc(monday, tz)
        week_end = _midnight_utc(week[-1] + dt.timedelta(1), tz)
        if week_end > now.astimezone(dt.UTC) or not any(per_day.get(d, 0) for d in week):
            continue  # a week not over yet, or with nothing logged, is not judged
        if all_timed:
            # A rest counts for the week it is in, measured from the week's start at the
            # earliest and running on into the next week if it goes on (Sat 14:00-Mon 08:00).
            missing = not any(
                hours_of(end - max(start, week_start)) >= needed
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


# ---- limits and minimum wage --------------------------------------------------------------
def _limit_excess(
    per_day: dict[dt.date, int], source: RuleSource
) -> tuple[int, int, Rules | None, Rules | None]:
    """Minutes over the daily and the weekly limits, and the rules that set each."""
    over_daily = over_weekly = 0
    daily_rules = weekly_rules = None
    for monday, days in _weeks(per_day).items():
        rules = rules_on(source, monday)
        if rules is None:
            continue
        if rules.daily_hours:
            limit = to_minutes(rules.daily_hours.value)
            over = sum(max(0, per_day[d] - limit) for d in days)
            if over:
                over_daily += over
                daily_rules = rules
        if rules.weekly_hours:
            over = max(0, sum(per_day[d] for d in days) - to_minutes(rules.weekly_hours.value))
            if over:
                over_weekly += over
                weekly_rules = rules
    return over_daily, over_weekly, daily_rules, weekly_rules


def _minimum_wage_checks(
    agreement: Agreement,
    per_day: dict[dt.date, int],
    accrued: list[dt.date],
    period: list[dt.date],
    source: RuleSource,
) -> tuple[list[Warning], list[Note]]:
    """Each pay term of the period against the minimum wage in force for it.

    Hourly pay is compared as it is. A salary is compared with the minimum for the same unit,
    pro rata when her longest logged week is shorter than the legal full-time week.
    """
    warnings: list[Warning] = []
    notes: list[Note] = []
    seen: set[tuple[Terms, str]] = set()
    for day in period:
        terms = agreement.terms_on(day)
        rules = rules_on(source, day)
        if rules is None or rules.currency != terms.currency:
            continue
        minimum = rules.minimum_for(terms.unit, terms.live_in)
        if minimum is None:
            expired = rules.expired_minimum_for(terms.unit, terms.live_in)
            if expired is not None and (terms, "expired") not in seen:
                seen.add((terms, "expired"))
                notes.append(
                    Note("minimum_wage_not_updated", {"ended": expired.ends}, expired.source)
                )
            continue
        if (terms, minimum.source) in seen:
            continue
        seen.add((terms, minimum.source))
        floor = _floor_for(terms, minimum, rules, per_day, accrued)
        if floor is None:
            continue
        agreed, limit, unit = floor
        if agreed < limit:
            warnings.append(
                Warning(
                    "below_minimum_wage",
                    minimum.source,
                    minimum.url,
                    {
                        "agreed": cents(agreed),
                        "minimum": cents(limit),
                        "unit": unit,
                        "effective": minimum.effective,
                    },
                )
            )
    return warnings, notes


def _floor_for(
    terms: Terms,
    minimum: MinimumWage,
    rules: Rules,
    per_day: dict[dt.date, int],
    accrued: list[dt.date],
) -> tuple[Decimal, Decimal, str] | None:
    if minimum.unit == terms.unit:
        agreed, limit, unit = terms.amount, minimum.amount, terms.unit
    else:
        agreed = ordinary_hourly_value(terms, rules)
        limit = ordinary_hourly_value(Terms(terms.starts, minimum.amount, minimum.unit, ""), rules)
        unit = "hour"
    if terms.unit != "hour" and rules.weekly_hours is not None:
        # Pro rata to her working time: the longest week she logged under these terms (a
        # week she did not log says nothing about her hours).
        weeks: dict[dt.date, int] = defaultdict(int)
        for day in accrued:
            if day >= terms.starts and per_day.get(day):
                weeks[monday_of(day)] += per_day[day]
        if not weeks:
            return None  # no hours logged: her working time is unknown, nothing to compare
        longest = Decimal(max(weeks.values())) / 60
        limit = limit * min(Decimal(1), longest / rules.weekly_hours.value)
    return agreed, limit, unit


def _not_calculated(source: RuleSource, day: dt.date) -> list[Note]:
    rules = rules_on(source, day)
    if rules is None:
        return []
    return [
        Note("not_calculated", {"topic": topic, "reason": reason})
        for topic, reason in rules.not_calculated.items()
    ]


# ---- the summary --------------------------------------------------------------------------
def summarise(
    entries: Sequence[Work],
    payments: Sequence[Payment],
    agreement: Agreement,
    rules: RuleSource,
    start: dt.date,
    end: dt.date,
    tz: dt.tzinfo = dt.UTC,
    exponent: int = 2,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    context: Sequence[Work] = (),
    checks: bool = True,
) -> Summary:
    """Totals, overtime, pay and warnings for the days start..end (inclusive).

    `today` (the worker's local date) bounds what salaries accrue: nothing is earned for a
    day that has not come. `context` are entries just outside the period, so a weekly rest
    that runs over the period's edge is measured whole. Without `today`, the whole period
    has passed. `checks=False` leaves out warnings and notes (money and hours only).
    """
    today = end if today is None else today
    now = now or _midnight_utc(today + dt.timedelta(days=1), tz)
    period = days_between(start, end)
    within = [e for e in entries if start <= e.day <= end]
    per_day = daily_minutes(within)
    accrued = [d for d in period if agreement.starts <= d <= today]
    days_worked = sum(1 for m in per_day.values() if m > 0)
    over_daily, over_weekly, daily_rules, weekly_rules = _limit_excess(per_day, rules)
    overtime_days = _overtime_by_day(per_day, within, rules)
    by_multiplier: dict[Decimal, int] = defaultdict(int)
    for minutes_by in overtime_days.values():
        for multiplier, minutes in minutes_by.items():
            by_multiplier[multiplier] += minutes
    parts = _earned(agreement, per_day, accrued, rules)
    earned = sum((p.amount for p in parts), ZERO)
    overtime_pay = ZERO
    overtime_source, rest_instead = "", False
    for day, minutes_by in overtime_days.items():
        day_rules = rules_on(rules, monday_of(day))
        terms = agreement.terms_on(day)
        hourly = ordinary_hourly_value(terms, day_rules)
        # Hourly pay already covers every hour once, so overtime adds the difference; a
        # salary covers ordinary hours only, so overtime hours are paid on top, in full.
        extra = Decimal(1) if terms.unit == "hour" else ZERO
        for mult, m in minutes_by.items():
            overtime_pay += Decimal(m) / 60 * hourly * (mult - extra)
        if day_rules is not None and day_rules.overtime is not None:
            overtime_source = day_rules.overtime.source
            rest_instead = rest_instead or day_rules.overtime.rest_instead
    paid = sum((p.amount for p in payments if start <= p.day <= end), ZERO)
    warnings: list[Warning] = []
    notes: list[Note] = []
    if rules is not None and checks:
        wage_warnings, wage_notes = _minimum_wage_checks(agreement, per_day, accrued, period, rules)
        warnings += wage_warnings
        notes += wage_notes
        if over_daily and daily_rules is not None and daily_rules.daily_hours is not None:
            warnings.append(
                Warning(
                    "over_daily_limit",
                    daily_rules.daily_hours.source,
                    daily_rules.daily_hours.url,
                    {"limit": daily_rules.daily_hours.value, "minutes": over_daily},
                )
            )
        if over_weekly and weekly_rules is not None and weekly_rules.weekly_hours is not None:
            warnings.append(
                Warning(
                    "over_weekly_limit",
                    weekly_rules.weekly_hours.source,
                    weekly_rules.weekly_hours.url,
                    {"limit": weekly_rules.weekly_hours.value, "minutes": over_weekly},
                )
            )
        warnings += _rest_warnings(within, context, per_day, period, rules, tz, now)
        notes += _not_calculated(rules, min(end, today))
    if rest_instead and by_multiplier:
        notes.append(Note("overtime_rest_instead", {}, overtime_source))
    terms_seen = tuple(dict.fromkeys(agreement.terms_on(d) for d in period))
    return Summary(
        start=start,
        end=end,
        accrued_until=accrued[-1] if accrued else None,
        days_worked=days_worked,
        rest_days=len([d for d in period if d <= today]) - days_worked,
        minutes=sum(per_day.values()),
        minutes_over_daily=over_daily,
        minutes_over_weekly=over_weekly,
        overtime_minutes=sum(by_multiplier.values()),
        earned=cents(earned, exponent),
        overtime_pay=cents(overtime_pay, exponent),
        paid=cents(paid, exponent),
        warnings=tuple(warnings),
        overtime_by_multiplier={m: n for m, n in by_multiplier.items() if n},
        parts=tuple(parts),
        notes=tuple(notes),
        terms=terms_seen,
        overtime_source=overtime_source,
        overtime_rest_instead=rest_instead,
    )


def _overtime_by_day(
    per_day: dict[dt.date, int], entries: Sequence[Work], source: RuleSource
) -> dict[dt.date, dict[Decimal, int]]:
    """The same overtime as `_overtime`, kept per day so each day's pay terms apply."""
    result: dict[dt.date, dict[Decimal, int]] = {}
    for monday, days in _weeks(per_day).items():
        week = {d: per_day[d] for d in days}
        # Overtime tiers are weekly: compute the week, then split it to days in order.
        by_mult = _overtime(week, entries, source)
        extra = _overtime_extra(week, source)
        del monday
        pool = sorted(by_mult.items())
        for day in sorted(extra):
            need = extra[day]
            mine: dict[Decimal, int] = defaultdict(int)
            for index, (mult, minutes) in enumerate(pool):
                take = min(need, minutes)
                if take:
                    mine[mult] += take
                    pool[index] = (mult, minutes - take)
                    need -= take
                if need <= 0:
                    break
            result[day] = dict(mine)
    return result
