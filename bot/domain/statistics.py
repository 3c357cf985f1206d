"""From per-worker monthly sums to the figures of one group of workers (a cell).

Definitions (also in the README):
- active worker: logged some work in the period;
- weeks run Monday to Sunday and belong to the month of their Thursday (ISO 8601), so
  every month has 4 or 5 whole weeks and no week is counted twice;
- hours per week: her hours in the period divided by the weeks she worked in it;
- above the legal weekly limit: at least one week in the period above the country's limit;
- effective hourly pay: what her agreements are worth for the hours she logged. Hourly and
  daily pay count the hours and days logged; weekly and monthly pay are set against her
  average logged week, over every week of the month;
- paid below the minimum wage: effective hourly pay below the minimum wage in force on the
  first day of the period, converted to an hour with the country's legal hours;
- unpaid balance: at the end of the period, what she was due up to the month before minus
  everything she was paid (a month's grace for payday), when that is more than 1% of it.
  Overtime premiums are not included, so balances are a lower bound.
Amounts are floats: they are aggregated and rounded before anyone sees them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.anonymity import quarter_of

UNPAID_TOLERANCE = 0.01


@dataclass(frozen=True)
class Household:
    """What one household agreed to pay (the nickname is never read here)."""

    pay: float  # currency units
    unit: str  # "hour" | "day" | "week" | "month"
    currency: str


# Rows from the storage layer, plain tuples because there are hundreds of thousands:
WorkWeek = tuple[int, int, int, int, int]  # user_id, week, household id, minutes, days
PaymentWeek = tuple[int, int, int, float]  # user_id, week, household id, amount


@dataclass
class WorkerPeriod:
    """One worker in one period. Never published: only aggregated."""

    country: str
    minutes: int = 0
    weeks: int = 0
    max_week_minutes: int = 0
    pay_value: float = 0.0
    pay_hours: float = 0.0
    hourly_paid_hours: float = 0.0  # of pay_hours, those paid by the hour
    owed: float = 0.0
    due_before: float = 0.0

    @property
    def hours_per_week(self) -> float | None:
        return self.minutes / 60 / self.weeks if self.weeks else None

    @property
    def hourly_pay(self) -> float | None:
        return self.pay_value / self.pay_hours if self.pay_hours > 0 else None

    @property
    def paid_by_the_hour(self) -> bool:
        """Most of her paid hours are paid by the hour (an hourly minimum wage may apply)."""
        return self.pay_hours > 0 and self.hourly_paid_hours * 2 > self.pay_hours

    @property
    def unpaid(self) -> bool:
        return self.owed > UNPAID_TOLERANCE * self.due_before and self.owed > 0


@dataclass(frozen=True)
class CellData:
    """Exact figures for one group of workers, before disclosure control."""

    workers: int
    hours_workers: int
    hours_median: float | None
    hours_p90: float | None
    over_limit: int | None  # None: no legal weekly limit known
    pay_workers: int
    pay_median: float | None
    below_minimum: int | None  # None: no minimum wage in force
    unpaid: int
    unpaid_total: float
    unpaid_balances: tuple[float, ...]  # for the dominance rule only


def period_of(month: str, granularity: str) -> str:
    return month if granularity == "month" else quarter_of(month)


_JDN_TO_ORDINAL = 1721425  # julian day number minus this is Python's date ordinal


@functools.cache
def week_month(week: int) -> str:
    """The month a week belongs to: that of its Thursday (week = julian day of Monday / 7)."""
    return dt.date.fromordinal(week * 7 + 3 - _JDN_TO_ORDINAL).isoformat()[:7]


@functools.cache
def weeks_in_month(month: str) -> int:
    """How many weeks have their Thursday in the month: 4 or 5."""
    first = dt.date.fromisoformat(month + "-01")
    days = calendar.monthrange(first.year, first.month)[1]
    return sum(
        1 for n in range(days) if (first + dt.timedelta(days=n)).weekday() == calendar.THURSDAY
    )


def due_for(household: Household, month: str, minutes: int, days: int, weeks: int) -> float:
    """What a month of work with one household is worth under the agreement. Salaries cover
    the whole month (as the worker's own calculator counts them); a month of 5 weeks is
    5 x 7 days of a 365.25 / 12-day month."""
    if household.unit == "hour":
        return household.pay * minutes / 60
    if household.unit == "day":
        return household.pay * days
    month_weeks = weeks_in_month(month)
    if household.unit == "week":
        return household.pay * month_weeks
    return household.pay * month_weeks * 7 / (365.25 / 12)


def pay_hours(household: Household, month: str, minutes: int, weeks: int) -> float:
    """The hours the month's pay is for: those logged, or for salaries her average logged week
    over the whole month (a worker who logs only some weeks is not paid more per hour)."""
    hours = minutes / 60
    if household.unit in ("hour", "day") or not weeks:
        return hours
    return hours / weeks * weeks_in_month(month)


def worker_periods(
    work: Iterable[WorkWeek],
    payments: Iterable[PaymentWeek],
    countries: Mapping[int, str],
    households: Mapping[int, Household],
    currencies: Mapping[str, str],
) -> dict[tuple[int, str], WorkerPeriod]:
    """Per worker and month, only where she worked in the month (`to_quarters` folds them).

    `work` must be ordered by worker and week (as the storage layer returns it).
    `currencies` maps a country to its currency; pay in another currency is left out of the
    pay figures (it cannot be compared with that country's minimum wage)."""
    periods: dict[tuple[int, str], WorkerPeriod] = {}
    # (user, household, month) -> [minutes, days, weeks]
    monthly: dict[tuple[int, int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    last_key: tuple[int, int] | None = None
    week_minutes = 0
    wp: WorkerPeriod | None = None
    for user_id, week, household_id, minutes, days in work:
        month = week_month(week)
        if (user_id, week) != last_key:
            if wp is not None:
                wp.max_week_minutes = max(wp.max_week_minutes, week_minutes)
            key = (user_id, month)
            wp = periods.get(key)
            if wp is None:
                wp = periods[key] = WorkerPeriod(countries[user_id])
            wp.weeks += 1
            week_minutes = 0
            last_key = (user_id, week)
        assert wp is not None
        wp.minutes += minutes
        week_minutes += minutes
        cell = monthly[(user_id, household_id, month)]
        cell[0] += minutes
        cell[1] += days
        cell[2] += 1
    if wp is not None:
        wp.max_week_minutes = max(wp.max_week_minutes, week_minutes)

    # Money month by month per worker, for the running balance.
    due: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    paid: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (user_id, household_id, month), (minutes, days, weeks) in monthly.items():
        household = households[household_id]
        if household.currency != currencies.get(countries[user_id]):
            continue
        value = due_for(household, month, minutes, days, weeks)
        found = periods.get((user_id, month))
        if found is not None:
            found.pay_value += value
            hours = pay_hours(household, month, minutes, weeks)
            found.pay_hours += hours
            if household.unit == "hour":
                found.hourly_paid_hours += hours
        due[user_id][month] += value
    for user_id, week, household_id, amount in payments:
        household = households[household_id]
        if household.currency == currencies.get(countries[user_id]):
            paid[user_id][week_month(week)] += amount

    for user_id in due.keys() | paid.keys():
        by_month, paid_by_month = due.get(user_id, {}), paid.get(user_id, {})
        due_so_far = paid_so_far = 0.0
        for month in sorted(by_month.keys() | paid_by_month.keys()):
            paid_so_far += paid_by_month.get(month, 0.0)
            found = periods.get((user_id, month))
            if found is not None:  # the last month of the period with money in it wins
                found.owed = due_so_far - paid_so_far
                found.due_before = due_so_far
            due_so_far += by_month.get(month, 0.0)
    return periods


def to_quarters(
    months: Mapping[tuple[int, str], WorkerPeriod],
) -> dict[tuple[int, str], WorkerPeriod]:
    """Fold month periods into quarters: sums add up, the longest week is the longest of
    them, and the balance is the one at the last month."""
    quarters: dict[tuple[int, str], WorkerPeriod] = {}
    for (user_id, month), m in sorted(months.items()):
        key = (user_id, quarter_of(month))
        q = quarters.get(key)
        if q is None:
            q = quarters[key] = WorkerPeriod(m.country)
        q.minutes += m.minutes
        q.weeks += m.weeks
        q.max_week_minutes = max(q.max_week_minutes, m.max_week_minutes)
        q.pay_value += m.pay_value
        q.pay_hours += m.pay_hours
        q.owed, q.due_before = m.owed, m.due_before
    return quarters


def _p90(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def cell_data(
    members: Iterable[WorkerPeriod],
    weekly_limit_hours: float | None,
    minimum_hourly: float | None,
    minimum_for_hourly_pay: float | None = None,
) -> CellData:
    """`minimum_for_hourly_pay`: the minimum per hour for work paid by the hour, where the law
    sets one apart (Spain: RD 126/2026 art. 4.2); workers mostly paid by the hour are compared
    with it, the others with `minimum_hourly` (the salary minimum per hour)."""
    members = list(members)
    hours = [h for m in members if (h := m.hours_per_week) is not None]
    pays = [p for m in members if (p := m.hourly_pay) is not None]
    balances = tuple(m.owed for m in members if m.unpaid)
    over = None
    if weekly_limit_hours is not None:
        limit_minutes = weekly_limit_hours * 60
        over = sum(1 for m in members if m.weeks and m.max_week_minutes > limit_minutes)
    below = None
    if minimum_hourly is not None or minimum_for_hourly_pay is not None:
        below = 0
        for m in members:
            pay = m.hourly_pay
            floor = (
                minimum_for_hourly_pay
                if m.paid_by_the_hour and minimum_for_hourly_pay is not None
                else minimum_hourly
            )
            if pay is not None and floor is not None and pay < floor:
                below += 1
    return CellData(
        workers=len(members),
        hours_workers=len(hours),
        hours_median=statistics.median(hours) if hours else None,
        hours_p90=_p90(hours),
        over_limit=over,
        pay_workers=len(pays),
        pay_median=statistics.median(pays) if pays else None,
        below_minimum=below,
        unpaid=len(balances),
        unpaid_total=sum(balances),
        unpaid_balances=balances,
    )
