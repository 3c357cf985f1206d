"""Worked examples per jurisdiction, each computed by hand with its legal basis, on the real
rules files in content/, and the properties that must always hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.rules import RuleBook, parse_rules
from bot.domain.settlement import settle
from bot.domain.wages import Agreement, Payment, Terms, Work, local_shift, summarise
from bot.services.content import CONTENT_DIR

D = Decimal


def book(jurisdiction: str) -> RuleBook:
    path = CONTENT_DIR / jurisdiction / "rules.toml"
    return parse_rules(path.read_text("utf-8"), str(path))


SPAIN, MEXICO, ARGENTINA = book("spain"), book("mexico"), book("argentina")
MADRID = ZoneInfo("Europe/Madrid")
CDMX = ZoneInfo("America/Mexico_City")
BUENOS_AIRES = ZoneInfo("America/Argentina/Buenos_Aires")


def shifts(days: list[dt.date], start: int, end: int, tz: ZoneInfo) -> list[Work]:
    return [local_shift(d, dt.time(start), dt.time(end), tz) for d in days]


def nov(*days: int) -> list[dt.date]:
    return [dt.date(2026, 11, d) for d in days]


# ---- Spain --------------------------------------------------------------------------------
def test_spanish_monthly_live_in_worker_who_started_mid_month() -> None:
    # 1,300 EUR a month, live-in, started on 16 November 2026; today is 30 November.
    # No Spanish text sets "a day = salary / 30" (RD 126/2026 gives the daily and monthly SMI
    # as alternatives), so a day is 1/30 of November's salary because November has 30 days:
    # 15 days (16-30) x 1,300 / 30 = 650.00. Paid 500 on the 30th: still owed 150.00.
    agreement = Agreement.simple(D(1300), "month", "EUR", dt.date(2026, 11, 16), live_in=True)
    s = summarise(
        [],
        [Payment(dt.date(2026, 11, 30), D(500))],
        agreement,
        SPAIN,
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        MADRID,
        today=dt.date(2026, 11, 30),
    )
    assert (s.earned, s.paid, s.owed, s.overpaid) == (D("650.00"), D("500.00"), D("150.00"), 0)
    # The same month seen on 20 November: only 16-20 November has passed (5 days = 216.67).
    early = summarise(
        [],
        [],
        agreement,
        SPAIN,
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        MADRID,
        today=dt.date(2026, 11, 20),
    )
    assert early.earned == D("216.67") and early.accrued_until == dt.date(2026, 11, 20)


def test_work_before_the_household_was_added_is_earned_from_her_start_date() -> None:
    # She started on 1 October (told the bot later); 500 paid on 31 October for October.
    # October: a whole month of 500 = 500.00 earned, nothing owed, never "-500 owed".
    agreement = Agreement.simple(D(500), "month", "EUR", dt.date(2026, 10, 1))
    s = summarise(
        [],
        [Payment(dt.date(2026, 10, 31), D(500))],
        agreement,
        SPAIN,
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        MADRID,
        today=dt.date(2026, 12, 1),
    )
    assert (s.earned, s.balance, s.owed, s.overpaid) == (D("500.00"), 0, 0, 0)


def test_spanish_hourly_live_out_worker_paid_below_9_55() -> None:
    # 8 EUR/h, live-out, 4 h on Mondays of November 2026 (2, 9, 16, 23, 30): 20 h = 160.00.
    # RD 126/2026 art. 4.2: 9.55 EUR per hour actually worked for hourly live-out work.
    work = shifts(nov(2, 9, 16, 23, 30), 9, 13, MADRID)
    s = summarise(
        work,
        [],
        Agreement.simple(D(8), "hour", "EUR", dt.date(2026, 1, 1)),
        SPAIN,
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        MADRID,
        today=dt.date(2026, 11, 30),
    )
    assert s.earned == D("160.00")
    (warning,) = [w for w in s.warnings if w.code == "below_minimum_wage"]
    assert warning.details["agreed"] == D("8.00") and warning.details["minimum"] == D("9.55")
    assert warning.source.startswith("Real Decreto 126/2026, art. 4.2")


def test_spanish_overtime_is_counted_and_shown_at_least_at_the_ordinary_rate() -> None:
    # Mon-Fri 2-6 Nov 2026 8:00-19:00 (5 x 11 h) and Sat 7 Nov 9.5 h: 64.5 h in the week.
    # RD 1620/2011 art. 9.1: 40 h a week; beyond is overtime (art. 9.3, ET art. 35.1): 24.5 h.
    # Monthly 1,400: ordinary hourly value 1,400 / (40 x 52/12) = 8.0769...; 24.5 h x 8.0769
    # = 197.88 "at least, unless compensated with paid rest".
    work = [
        *shifts(nov(2, 3, 4, 5, 6), 8, 19, MADRID),
        Work(dt.date(2026, 11, 7), dt.timedelta(hours=9, minutes=30)),
    ]
    s = summarise(
        work,
        [],
        Agreement.simple(D(1400), "month", "EUR", dt.date(2026, 1, 1)),
        SPAIN,
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
        MADRID,
        today=dt.date(2026, 11, 30),
    )
    assert s.overtime_minutes == 24 * 60 + 30 and s.minutes_over_weekly == 24 * 60 + 30
    assert s.overtime_pay == D("197.88") and s.overtime_rest_instead
    assert "overtime_rest_instead" in [n.code for n in s.notes]


def test_spain_after_the_2026_minimum_wage_expires_says_it_is_not_added() -> None:
    work = shifts([dt.date(2027, 1, 4)], 9, 13, MADRID)
    s = summarise(
        work,
        [],
        Agreement.simple(D(8), "hour", "EUR", dt.date(2026, 1, 1)),
        SPAIN,
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 10),
        MADRID,
        today=dt.date(2027, 1, 10),
    )
    assert not [w for w in s.warnings if w.code == "below_minimum_wage"]
    (note,) = [n for n in s.notes if n.code == "minimum_wage_not_updated"]
    assert note.details == {"ended": dt.date(2026, 12, 31)}


# ---- Argentina ----------------------------------------------------------------------------
def test_argentina_five_days_of_twelve_hours() -> None:
    # Mon-Fri 2-6 Nov 2026, 8:00-20:00 = 60 h. Ley 26.844 art. 14.1 a): 8 h a day or 48 a
    # week, up to 9 h a day when unequal: hours beyond 9 a day = 5 x 3 = 15 h; beyond 48 a
    # week = 12 h; the larger, 15 h, is overtime, +50% on ordinary days (art. 25).
    # Monthly 600,000 ARS: hourly value 600,000 / (48 x 52/12) = 2,884.615...;
    # 15 h x 2,884.615 x 1.5 = 64,903.85 on top of the salary.
    work = shifts(nov(2, 3, 4, 5, 6), 8, 20, BUENOS_AIRES)
    s = summarise(
        work,
        [],
        Agreement.simple(D(600000), "month", "ARS", dt.date(2026, 1, 1)),
        ARGENTINA,
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
        BUENOS_AIRES,
        today=dt.date(2026, 11, 30),
    )
    assert s.overtime_by_multiplier == {D("1.50"): 15 * 60}
    assert s.overtime_pay == D("64903.85")
    codes = {w.code: w.details["minutes"] for w in s.warnings if "limit" in w.code}
    assert codes == {"over_daily_limit": 20 * 60, "over_weekly_limit": 12 * 60}


def test_argentina_saturday_afternoon_overtime_is_double() -> None:
    # Saturday 7 Nov 2026, 10:00-22:00: 3 h beyond 9, all after 13:00: +100% (art. 25).
    work = shifts([dt.date(2026, 11, 7)], 10, 22, BUENOS_AIRES)
    s = summarise(
        work,
        [],
        Agreement.simple(D(3000), "hour", "ARS", dt.date(2026, 1, 1)),
        ARGENTINA,
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
        BUENOS_AIRES,
        today=dt.date(2026, 11, 30),
    )
    assert s.overtime_by_multiplier == {D("2.00"): 3 * 60}
    assert s.overtime_pay == D("9000.00")  # hourly pay covers the hour once: 3 x 3,000 x 1


# ---- Mexico -------------------------------------------------------------------------------
def test_mexican_weekly_rest_over_a_weekend_is_not_flagged() -> None:
    # Mon-Fri 8-17, Sat 8-14, then Monday 9 Nov at 8:00: rest from Saturday 14:00 to Monday
    # 8:00 is 42 h, more than the 36 h of LFT art. 336 ("día y medio ininterrumpido").
    week = shifts(nov(2, 3, 4, 5, 6), 8, 17, CDMX) + shifts(nov(7), 8, 14, CDMX)
    after = shifts(nov(9), 8, 17, CDMX)
    agreement = Agreement.simple(D(400), "day", "MXN", dt.date(2026, 1, 1))
    s = summarise(
        week,
        [],
        agreement,
        MEXICO,
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
        CDMX,
        today=dt.date(2026, 11, 10),
        context=after,
    )
    assert "no_weekly_rest" not in [w.code for w in s.warnings]
    # Working Saturday 8-20 and Sunday 8-12 leaves at most 20 h in a row: flagged.
    tight = week[:5] + shifts(nov(7), 8, 20, CDMX) + shifts(nov(8), 8, 12, CDMX)
    s = summarise(
        tight,
        [],
        agreement,
        MEXICO,
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
        CDMX,
        today=dt.date(2026, 11, 10),
        context=after,
    )
    assert "no_weekly_rest" in [w.code for w in s.warnings]


def test_mexican_weekly_limit_becomes_46_hours_on_1_january_2027() -> None:
    assert MEXICO.on(dt.date(2026, 12, 31)).weekly_hours.value == 48  # type: ignore[union-attr]
    assert MEXICO.on(dt.date(2027, 1, 1)).weekly_hours.value == 46  # type: ignore[union-attr]
    assert MEXICO.on(dt.date(2030, 6, 1)).weekly_hours.value == 40  # type: ignore[union-attr]


def test_mexican_dismissal_after_15_months() -> None:
    # 9,000 MXN a month from 1 Aug 2025, dismissed on 31 Oct 2026: 1 year 3 months.
    # Daily wage 9,000 / 30 = 300 (LFT art. 89).
    # Three months (art. 50 fr. III): 90 x 300 = 27,000. 20 days per whole year (fr. II):
    # 20 x 300 = 6,000. Seniority bonus 12 days per whole year (art. 162): 3,600.
    # Aguinaldo (art. 87): 15 days x 304/365 days of 2026 = 12.49 days = 3,747.95.
    # Holidays (arts. 76, 79): second year = 14 days x 3/12 = 3.5 days = 1,050.00;
    # holiday premium 25% (art. 80): 262.50.
    agreement = Agreement.simple(D(9000), "month", "MXN", dt.date(2025, 8, 1))
    result = settle(
        "mexico",
        "dismissed",
        agreement,
        dt.date(2026, 10, 31),
        daily_wage=D(300),
        monthly_wage=D(9000),
        days_worked_this_year=304,
        vacation_taken=0,
    )
    amounts = {ln.code: ln.amount for ln in result.lines}
    assert result.service == (1, 3, 0)
    assert amounts == {
        "three_months": D("27000.00"),
        "twenty_days_per_year": D("6000.00"),
        "seniority_premium": D("3600.00"),
        "aguinaldo": D("3747.95"),
        "vacation": D("1050.00"),
        "vacation_premium": D("262.50"),
    }
    assert result.total == D("37912.50")  # the aguinaldo is shown apart: "if not paid yet"


def test_spanish_desistimiento_after_two_years() -> None:
    # 1,300 EUR a month from 1 Nov 2024, the family ends it on 31 Oct 2026: 2 years.
    # Daily wage: a year's pay / 365 = 15,600 / 365 = 42.7397...
    # RD 1620/2011 art. 11.2: 12 days per year = 24 days = 1,025.75 (cap 6 months: 7,800);
    # notice 20 days (more than a year) or its pay: 854.79.
    agreement = Agreement.simple(D(1300), "month", "EUR", dt.date(2024, 11, 1))
    daily = D(1300) * 12 / 365
    result = settle(
        "spain",
        "desist",
        agreement,
        dt.date(2026, 10, 31),
        daily_wage=daily,
        monthly_wage=D(1300),
    )
    amounts = {ln.code: (ln.amount, ln.condition) for ln in result.lines}
    assert result.service == (2, 0, 0)
    assert amounts == {
        "compensation": (D("1025.75"), ""),
        "notice": (D("854.79"), "no_notice"),
    }
    # An unfair dismissal (ET art. 56.1): 33 days x 2 years = 66 days = 2,820.82.
    unfair = settle(
        "spain",
        "dismissed",
        agreement,
        dt.date(2026, 10, 31),
        daily_wage=daily,
        monthly_wage=D(1300),
    )
    assert [(ln.code, ln.amount, ln.condition) for ln in unfair.lines] == [
        ("unfair_dismissal", D("2820.82"), "judge_unfair")
    ]


# ---- a raise in the middle of a month -------------------------------------------------------
def test_a_raise_in_the_middle_of_a_month() -> None:
    # 1,000 EUR until 15 November, 1,100 from 16 November (Spain: no divisor in law, so a
    # day of November is 1/30 of it): 15 x 1,000/30 + 15 x 1,100/30 = 500 + 550 = 1,050.
    terms = (
        Terms(dt.date(2026, 1, 1), D(1000), "month", "EUR"),
        Terms(dt.date(2026, 11, 16), D(1100), "month", "EUR"),
    )
    agreement = Agreement(dt.date(2026, 1, 1), terms)
    s = summarise(
        [],
        [],
        agreement,
        SPAIN,
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        MADRID,
        today=dt.date(2026, 12, 1),
    )
    assert s.earned == D("1050.00") and s.terms == terms
    # Mexico (LFT art. 89: a day is 1/30): raise on 16 October, a 31-day month counted as
    # 30 days: 15 x 1,000/30 + the 15 days left x 1,100/30 = 1,050, never 31/30 of a salary.
    mx = Agreement(
        dt.date(2026, 1, 1),
        (
            Terms(dt.date(2026, 1, 1), D(1000), "month", "MXN"),
            Terms(dt.date(2026, 10, 16), D(1100), "month", "MXN"),
        ),
    )
    s = summarise(
        [],
        [],
        mx,
        MEXICO,
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        CDMX,
        today=dt.date(2026, 12, 1),
    )
    assert s.earned == D("1050.00")


# ---- properties -----------------------------------------------------------------------------
START = dt.date(2026, 3, 2)
raw_entries = st.lists(
    st.tuples(st.integers(0, 55), st.integers(1, 14 * 60)), min_size=0, max_size=40
)
raw_payments = st.lists(st.tuples(st.integers(0, 55), st.integers(1, 5000)), max_size=8)
agreements = st.sampled_from(
    [
        Agreement.simple(D("12.50"), "hour", "EUR", START),
        Agreement.simple(D(400), "day", "MXN", START),
        Agreement.simple(D(1500), "month", "EUR", START + dt.timedelta(days=10)),
        Agreement.simple(D(350), "week", "MXN", START),
        Agreement(
            START,
            (
                Terms(START, D(1000), "month", "EUR"),
                Terms(START + dt.timedelta(days=17), D(9), "hour", "EUR"),
            ),
        ),
    ]
)
books = st.sampled_from([SPAIN, MEXICO, ARGENTINA, None])


@settings(max_examples=120, deadline=None)
@given(raw_entries, raw_payments, agreements, books, st.integers(0, 55))
def test_owed_is_earned_minus_paid_and_nothing_is_earned_after_today(
    raw, pays, agreement, rules, today_offset
) -> None:
    today = START + dt.timedelta(days=today_offset)
    work = [
        Work(START + dt.timedelta(days=d), dt.timedelta(minutes=m))
        for d, m in raw
        if d <= today_offset
    ]
    payments = [Payment(START + dt.timedelta(days=d), D(a)) for d, a in pays]
    end = START + dt.timedelta(days=55)
    s = summarise(work, payments, agreement, rules, START, end, today=today)
    assert s.balance == s.due - s.paid
    assert s.owed - s.overpaid == s.balance and min(s.owed, s.overpaid) == 0
    # Everything after today is worth nothing: the period cut at today gives the same money.
    cut = summarise(work, payments, agreement, rules, START, today, today=today)
    assert s.earned == cut.earned and s.overtime_pay == cut.overtime_pay
    assert s.accrued_until is None or s.accrued_until <= today
