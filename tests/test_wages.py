"""The wage calculator: two months computed by hand, and properties that must always hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.rules import (
    MinimumWage,
    Overtime,
    OvertimeTier,
    Rules,
    Sourced,
)
from bot.domain.wages import Agreement, Payment, Work, local_shift, summarise

D = Decimal
MEXICO_CITY = ZoneInfo("America/Mexico_City")
MADRID = ZoneInfo("Europe/Madrid")
LFT = "https://www.diputados.gob.mx/LeyesBiblio/pdf/LFT.pdf"

# The rules as the law states them (LFT arts. 61, 66-68, 336; RD 1620/2011 art. 9). The
# minimum-wage amounts are test values, not the published figures.
MEXICO = Rules(
    jurisdiction="mexico",
    country="MX",
    name="México",
    reviewed=dt.date(2026, 11, 24),
    currency="MXN",
    timezone="America/Mexico_City",
    daily_hours=Sourced(D(8), "LFT, art. 61", LFT),
    weekly_hours=Sourced(D(48), "LFT, art. 61", LFT),
    weekly_rest=Sourced(D(36), "LFT, art. 336", LFT),
    overtime=Overtime(
        "day",
        (OvertimeTier(D(2), "week", D(9)), OvertimeTier(D(3), "week")),
        "LFT, arts. 66-68",
        LFT,
    ),
    minimum_wages=(MinimumWage(D("300.00"), "day", dt.date(2026, 1, 1), "test", LFT),),
)
SPAIN = Rules(
    jurisdiction="spain",
    country="ES",
    name="España",
    reviewed=dt.date(2026, 11, 24),
    currency="EUR",
    timezone="Europe/Madrid",
    weekly_hours=Sourced(D(40), "RD 1620/2011, art. 9.1", "https://www.boe.es"),
    weekly_rest=Sourced(D(36), "RD 1620/2011, art. 9.5", "https://www.boe.es"),
    overtime=Overtime("week", (OvertimeTier(D(1), "week"),), "ET, art. 35", "https://www.boe.es"),
    minimum_wages=(
        MinimumWage(D("9.00"), "hour", dt.date(2026, 1, 1), "test", "https://www.boe.es"),
    ),
)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def month_of(weekday_hours: dict[int, tuple[int, int]], tz: ZoneInfo) -> list[Work]:
    """Shifts on every day of March 2026 whose weekday is in the map (0=Monday)."""
    shifts = []
    day = MARCH[0]
    while day <= MARCH[1]:
        if day.weekday() in weekday_hours:
            start, end = weekday_hours[day.weekday()]
            shifts.append(local_shift(day, dt.time(start), dt.time(end), tz))
        day += dt.timedelta(days=1)
    return shifts


def test_mexican_live_out_worker_paid_per_day() -> None:
    # Mon, Tue, Thu, Fri 9-17 (8 h); Wed 9-19 (10 h: 2 h overtime); Sat 9-13; Sunday rest.
    work = month_of(
        {0: (9, 17), 1: (9, 17), 2: (9, 19), 3: (9, 17), 4: (9, 17), 5: (9, 13)}, MEXICO_CITY
    )
    payments = [Payment(dt.date(2026, 3, d), D("2400")) for d in (7, 14, 21, 28)]
    summary = summarise(
        work, payments, Agreement.simple(D("400"), "day", "MXN"), MEXICO, *MARCH, tz=MEXICO_CITY
    )
    # By hand: 5 Mon + 5 Tue + 4 Wed + 4 Thu + 4 Fri + 4 Sat = 26 days; 5 Sundays off.
    assert (summary.days_worked, summary.rest_days) == (26, 5)
    # 5x8 + 5x8 + 4x10 + 4x8 + 4x8 + 4x4 = 200 hours.
    assert summary.minutes == 200 * 60
    # 2 h over 8 on each of 4 Wednesdays; weeks never pass 48 h (46 at most).
    assert (summary.minutes_over_daily, summary.minutes_over_weekly) == (8 * 60, 0)
    assert summary.overtime_by_multiplier == {D(2): 8 * 60}  # all within 9 h a week: double
    assert summary.earned == D("10400.00")  # 26 days x 400
    assert summary.overtime_pay == D("800.00")  # 8 h x (400 / 8) x 2
    assert summary.paid == D("9600.00")
    assert summary.balance == D("1600.00")
    codes = [w.code for w in summary.warnings]
    assert codes == ["over_daily_limit"]  # pay above minimum; Sat 13:00 to Mon 9:00 is 44 h rest


def test_mexican_overtime_beyond_nine_hours_a_week_is_triple() -> None:
    # One week, Mon-Fri 8-18: 10 h a day, 2 h overtime each day = 10 h in the week.
    work = [
        local_shift(dt.date(2026, 3, d), dt.time(8), dt.time(18), MEXICO_CITY) for d in range(2, 7)
    ]
    summary = summarise(
        work,
        [],
        Agreement.simple(D("400"), "day", "MXN"),
        MEXICO,
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 8),
        tz=MEXICO_CITY,
    )
    assert summary.overtime_by_multiplier == {D(2): 9 * 60, D(3): 60}
    assert summary.overtime_pay == D("1050.00")  # 9 x 50 x 2 + 1 x 50 x 3


def test_spanish_hourly_worker() -> None:
    # Mon-Fri 9-14 (5 h) except the week of 23 March: 9-18 (9 h a day, 45 h that week).
    work = [
        local_shift(day, dt.time(9), dt.time(18 if 23 <= day.day <= 27 else 14), MADRID)
        for day in (MARCH[0] + dt.timedelta(n) for n in range(31))
        if day.weekday() < 5
    ]
    summary = summarise(
        work,
        [Payment(dt.date(2026, 3, 31), D("1000"))],
        Agreement.simple(D("10.00"), "hour", "EUR"),
        SPAIN,
        *MARCH,
        tz=MADRID,
    )
    # 22 weekdays; 3 weeks x 25 h + 45 h + 2 days x 5 h = 130 h.
    assert (summary.days_worked, summary.rest_days, summary.hours) == (22, 9, D(130))
    assert summary.minutes_over_weekly == 5 * 60
    assert summary.overtime_by_multiplier == {D(1): 5 * 60}
    assert summary.earned == D("1300.00")
    assert summary.overtime_pay == D("0.00")  # ET art. 35: at least the ordinary rate, paid
    assert summary.balance == D("300.00")
    assert [w.code for w in summary.warnings] == ["over_weekly_limit"]


def test_pay_below_minimum_wage_is_flagged_with_its_source() -> None:
    work = month_of({0: (9, 13)}, MADRID)
    summary = summarise(
        work, [], Agreement.simple(D("8.00"), "hour", "EUR"), SPAIN, *MARCH, tz=MADRID
    )
    (warning,) = [w for w in summary.warnings if w.code == "below_minimum_wage"]
    assert warning.details == {
        "agreed": D("8.00"),
        "minimum": D("9.00"),
        "unit": "hour",
        "effective": dt.date(2026, 1, 1),
    }
    assert warning.source == "test"


def test_seven_days_without_rest_is_flagged() -> None:
    work = month_of(dict.fromkeys(range(7), (9, 17)), MEXICO_CITY)
    summary = summarise(
        work, [], Agreement.simple(D("400"), "day", "MXN"), MEXICO, *MARCH, tz=MEXICO_CITY
    )
    rest = [w for w in summary.warnings if w.code == "no_weekly_rest"]
    assert [w.details["week_start"] for w in rest] == [dt.date(2026, 3, d) for d in (2, 9, 16, 23)]
    assert rest[0].source == "LFT, art. 336"


def test_monthly_salary_is_prorated_by_day() -> None:
    summary = summarise(
        [],
        [],
        Agreement.simple(D("6000"), "month", "MXN"),
        MEXICO,
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 14),
    )
    assert summary.earned == D("3000.00")  # 14 of February's 28 days


def test_night_shift_across_dst_change_counts_real_hours() -> None:
    # Clocks in Madrid go from 02:00 to 03:00 on 29 March 2026.
    shift = local_shift(dt.date(2026, 3, 28), dt.time(22), dt.time(6), MADRID)
    assert shift.worked == dt.timedelta(hours=7)
    # And back on 25 October 2026: the same night is 9 hours.
    autumn = local_shift(dt.date(2026, 10, 24), dt.time(22), dt.time(6), MADRID)
    assert autumn.worked == dt.timedelta(hours=9)
    assert shift.day == dt.date(2026, 3, 28)  # the night belongs to the day it started


def test_no_rules_no_warnings_and_no_overtime() -> None:
    work = month_of({0: (6, 22)}, MADRID)
    summary = summarise(work, [], Agreement.simple(D("10"), "hour", "EUR"), None, *MARCH)
    assert (summary.warnings, summary.overtime_minutes) == ((), 0)


# ---- properties -------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=55)
entries = st.lists(
    st.tuples(days, st.integers(min_value=1, max_value=16 * 60)), min_size=0, max_size=60
)
START = dt.date(2026, 3, 2)  # a Monday
agreements = st.sampled_from(
    [Agreement.simple(D("12.50"), "hour", "EUR"), Agreement.simple(D("400"), "day", "MXN")]
)
rules = st.sampled_from([MEXICO, SPAIN, None])


def to_work(raw: list[tuple[int, int]]) -> list[Work]:
    return [Work(START + dt.timedelta(days=d), dt.timedelta(minutes=m)) for d, m in raw]


@settings(max_examples=150, deadline=None)
@given(entries, agreements, rules)
def test_totals_equal_the_sum_of_entries(raw, agreement, law) -> None:
    work = to_work(raw)
    end = START + dt.timedelta(days=55)
    summary = summarise(work, [], agreement, law, START, end)
    assert summary.minutes == sum(m for _d, m in raw)
    assert summary.overtime_minutes >= 0 and summary.overtime_pay >= 0
    assert summary.minutes_over_daily >= 0 and summary.minutes_over_weekly >= 0
    assert all(m > 0 for m in summary.overtime_by_multiplier.values())
    assert summary.days_worked + summary.rest_days == 56


@settings(max_examples=150, deadline=None)
@given(entries, agreements, rules, st.integers(min_value=1, max_value=7))
def test_splitting_at_a_week_boundary_adds_up(raw, agreement, law, weeks) -> None:
    work = to_work(raw)
    payments = [Payment(START + dt.timedelta(days=d), D(m)) for d, m in raw[:5]]
    end = START + dt.timedelta(days=55)
    cut = START + dt.timedelta(weeks=weeks)
    whole = summarise(work, payments, agreement, law, START, end)
    first = summarise(work, payments, agreement, law, START, cut - dt.timedelta(days=1))
    second = summarise(work, payments, agreement, law, cut, end)
    for name in (
        "minutes",
        "overtime_minutes",
        "minutes_over_daily",
        "minutes_over_weekly",
        "paid",
        "days_worked",
        "rest_days",
    ):
        assert getattr(first, name) + getattr(second, name) == getattr(whole, name), name
    assert abs(first.due + second.due - whole.due) <= D("0.02")  # cents rounded per part
