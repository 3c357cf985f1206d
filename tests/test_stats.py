"""Anonymous statistics: the protections (threshold, coarsening, complementary suppression,
consent, deletion), the outputs (summary, chart, CSV over the fake Bot API; the CLI) and the
refusal of workers."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from bot import callbacks, i18n
from bot.domain.anonymity import Policy, Rounder, hidden_total, subset_publishable
from bot.i18n import _
from bot.services import demo_data
from bot.services.content import Library
from bot.services.stats import ALL, Report, StatsService, chart_png
from bot.storage.database import Database
from bot.storage.stats import DemoRows, StatsStore
from tests.conftest import ADMIN_ID, FakeClock, Harness
from tests.test_hours import add_household

MAY = dt.date(2026, 5, 1), dt.date(2026, 5, 31)
CURRENCY = {"MX": "MXN", "PE": "PEN", "ES": "EUR", "AR": "ARS", "PA": "USD"}
ANALYST = 800


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


class Seeder:
    """Workers written straight into the database, one household each."""

    def __init__(self) -> None:
        self.rows = DemoRows()
        self.next_user = 5000
        self.next_household = 1
        self.now = "2026-06-01T12:00:00+00:00"

    def workers(
        self,
        country: str,
        count: int,
        *,
        consent: bool = True,
        tag: str | None = None,
        days: tuple[str, ...] = ("2026-05-04", "2026-05-05", "2026-05-06"),
        minutes: int = 480,
        paid: bool = True,
    ) -> list[int]:
        ids = []
        for _n in range(count):
            user_id, household = self.next_user, self.next_household
            self.next_user += 1
            self.next_household += 1
            ids.append(user_id)
            self.rows.users.append((user_id, "es", country, self.now))
            self.rows.consents.append((user_id, "records", 1, self.now))
            self.rows.consents.append((user_id, "statistics", int(consent), self.now))
            if tag:
                self.rows.tags.append((user_id, tag))
            self.rows.employers.append(
                (household, user_id, "casa", 40000, "day", CURRENCY[country], 0, self.now)
            )
            for day in days:
                self.rows.entries.append((user_id, household, day, minutes, self.now))
            if paid:
                amount = 40000 * len(days)
                self.rows.payments.append(
                    (user_id, household, days[-1], amount, CURRENCY[country], self.now)
                )
        return ids

    async def load(self, db: Database) -> StatsStore:
        store = StatsStore(db)
        await store.bulk_load(self.rows)
        return store


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "stats.sqlite3")
    yield database
    await database.close()


def service(store: StatsStore) -> StatsService:
    return StatsService(store, Library.load(), FakeClock(dt.datetime(2026, 6, 15, tzinfo=dt.UTC)))


def cells(report: Report) -> dict[tuple[str, str, str], object]:
    return {(r.country, r.group, r.period): r for r in report.rows}


# ---- disclosure control, unit level -------------------------------------------------------
def test_k_is_never_below_five() -> None:
    with pytest.raises(ValueError):
        Policy(k=4)
    assert Policy().k == 10


def test_rounding() -> None:
    rounder = Rounder(Policy())
    assert [rounder.count(n) for n in (10, 12, 13, 17, 18)] == [10, 10, 15, 15, 20]
    assert rounder.money(45.27) == 45.3 and rounder.money(123456) == 123000
    assert rounder.hours(41.3) == 41.5 and rounder.share(1, 3) == 33
    assert rounder.dominated([100, 10, 5]) and not rounder.dominated([10, 10, 5])


def test_noise_changes_counts_but_stays_rounded() -> None:
    rounder = Rounder(Policy(epsilon=0.5, seed=3))
    values = [rounder.count(50) for _n in range(200)]
    assert len(set(values)) > 1 and all(v % 5 == 0 for v in values)


def test_hidden_total_rule() -> None:
    assert not hidden_total([(12, True), (15, True)], 10)
    assert hidden_total([(12, True), (4, False)], 10)  # one hidden part: total - rest = it
    assert hidden_total([(12, True), (4, False), (3, False)], 10)  # hidden parts sum < k
    assert not hidden_total([(12, True), (6, False), (7, False)], 10)
    assert subset_publishable(10, 25, True, 10) and not subset_publishable(10, 15, True, 10)
    assert subset_publishable(12, 12, True, 10) and not subset_publishable(12, 30, False, 10)


# ---- the report over a real database -------------------------------------------------------
async def test_a_cell_below_k_is_suppressed_and_the_total_guarded(db: Database) -> None:
    seed = Seeder()
    seed.workers("MX", 12)
    seed.workers("PE", 4)
    report = await service(await seed.load(db)).report(*MAY)
    found = cells(report)
    mx = found[("MX", "", "2026-05")]
    assert mx.suppressed is None and mx.workers == 10  # 12, rounded to 5
    # Peru has too few workers in May and in the quarter: hidden, with no figures at all.
    pe = found[("PE", "", "2026-Q2")]
    assert pe.suppressed == "small" and pe.workers is None and pe.hours_median is None
    # All countries = Mexico + Peru: publishing it would give Peru away by subtraction.
    assert found[(ALL, "", "2026-Q2")].suppressed == "complementary"
    assert ("PE", "", "2026-05") not in found  # Peru is never shown by month


async def test_two_small_countries_together_may_show_in_the_total(db: Database) -> None:
    seed = Seeder()
    seed.workers("MX", 12)
    seed.workers("PE", 6)
    seed.workers("AR", 6)
    found = cells(await service(await seed.load(db)).report(*MAY))
    assert found[("PE", "", "2026-Q2")].suppressed == "small"
    assert found[("AR", "", "2026-Q2")].suppressed == "small"
    total = found[(ALL, "", "2026-Q2")]
    assert total.suppressed is None and total.workers == 25  # 24 rounded; gives only PE+AR=12


@pytest.mark.parametrize("trial", range(25))
async def test_complementary_suppression_holds(tmp_path: Path, trial: int) -> None:
    """Random small populations: no hidden cell can be recovered by subtracting published
    cells from a published total, for countries within the total and tags within a country."""
    rng = random.Random(trial)
    seed = Seeder()
    true: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for country in rng.sample(sorted(CURRENCY), rng.randint(2, 5)):
        for tag in (None, "north", "south"):
            n = rng.choice((0, 1, 2, 3, 4, 6, 9, 11, 14))
            months = rng.choice((("2026-04",), ("2026-05",), ("2026-04", "2026-05")))
            days = tuple(f"{m}-{d:02d}" for m in months for d in (6, 7, 8))
            for user_id in seed.workers(country, n, tag=tag, days=days):
                for month in months:
                    for key in ("", tag or "-"):
                        true[country][f"{key}|{month}"].add(user_id)
    db = await Database.open(tmp_path / f"t{trial}.sqlite3")
    try:
        report = await service(await seed.load(db)).report(dt.date(2026, 4, 1), MAY[1])
    finally:
        await db.close()
    k = report.k
    published = {(r.country, r.group, r.period) for r in report.rows if r.suppressed is None}

    def members(country: str, group: str, period: str) -> set[int]:
        months = [m for m in ("2026-04", "2026-05") if period in (m, "2026-Q2")]
        return set().union(*(true[country].get(f"{group}|{m}", set()) for m in months))

    for row in report.rows:
        if row.suppressed is None:
            assert row.workers is not None
            size = (
                len(set().union(*(members(c, "", row.period) for c in true)))
                if row.country == ALL
                else len(members(row.country, row.group, row.period))
            )
            assert size >= k, row  # every published cell counts at least k workers
        else:
            assert row.workers is None and row.hours_median is None
    for country, group, period in published:
        if country == ALL:
            hidden = [
                len(members(c, "", period))
                for c in true
                if members(c, "", period)
                and (c, "", period) not in published
                and not any((c, "", m) in published for m in ("2026-04", "2026-05"))
            ]
            assert not hidden or (len(hidden) >= 2 and sum(hidden) >= k)
        elif group == "":
            shown = [g for (c, g, p) in published if c == country and p == period and g]
            covered = set().union(*(members(country, g, period) for g in shown))
            rest = len(members(country, "", period) - covered)
            assert rest == 0 or rest >= k, (country, period, shown, rest)


async def test_a_worker_who_did_not_consent_is_never_counted(db: Database) -> None:
    seed = Seeder()
    seed.workers("MX", 10, minutes=300)
    seed.workers("MX", 30, consent=False, minutes=900, paid=False)  # would change everything
    found = cells(await service(await seed.load(db)).report(*MAY))
    mx = found[("MX", "", "2026-05")]
    assert mx.workers == 10
    assert mx.hours_median == 15.0  # 3 days x 5 h, none of the 15-hour days
    assert mx.unpaid_pct == 0


async def test_statistics_store_never_reads_non_consenting_rows(db: Database) -> None:
    seed = Seeder()
    counted = seed.workers("MX", 3)
    seed.workers("MX", 3, consent=False)
    store = await seed.load(db)
    users = {row[0] for row in await store.work_weeks(*MAY, None)}
    assert users == set(counted)
    assert set(await store.countries(None)) == set(counted)


async def test_suppression_in_the_csv_and_json(db: Database) -> None:
    seed = Seeder()
    seed.workers("MX", 12)
    seed.workers("PE", 4)
    report = await service(await seed.load(db)).report(*MAY)
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    pe = [r for r in rows if r["country"] == "PE"]
    assert pe == [
        {
            "section": "cells",
            "country": "PE",
            "group": "",
            "period": "2026-Q2",
            "measure": "suppressed",
            "value": "small",
        }
    ]
    assert '"suppressed": "small"' in report.to_json()


def test_the_chart_renders() -> None:
    async def build() -> Report:
        db = await Database.open(":memory:")
        try:
            seed = Seeder()
            seed.workers("MX", 12)
            seed.workers("ES", 11)
            return await service(await seed.load(db)).report(*MAY)
        finally:
            await db.close()

    png = chart_png(asyncio.run(build()))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1000, 460) and len(png) > 10_000


# ---- in the bot ----------------------------------------------------------------------------
async def make_analyst(harness: Harness, user_id: int = ANALYST, locale: str = "es") -> None:
    await harness.onboard(user_id=ADMIN_ID)
    replies = await harness.say("/invite analyst", user_id=ADMIN_ID)
    code = replies[-1].text.split("<code>")[1].split("</code>")[0]
    await harness.onboard(user_id=user_id, locale=locale, language_code=locale)
    await harness.say(f"/join {code}", user_id=user_id, language_code=locale)


async def seed_harness(harness: Harness) -> None:
    rows = demo_data.generate(400, 6000, dt.date(2026, 3, 9), months=4, seed=7)
    await StatsStore(harness.db).bulk_load(rows)


async def test_a_worker_asking_for_statistics_is_refused(harness: Harness) -> None:
    await harness.onboard(user_id=801)
    replies = await harness.say("/stats", user_id=801)
    assert replies[-1].text == tr("es", "Sorry, statistics are only for union analysts.")
    assert all(r.method == "sendMessage" for r in replies)
    # Organisers are not analysts either.
    assert await harness.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'stats'") == 0


@pytest.mark.parametrize("locale", ["es", "ar"])
async def test_an_analyst_gets_summary_chart_and_csv(
    harness: Harness, settings, locale: str
) -> None:
    await make_analyst(harness, locale=locale)
    await seed_harness(harness)
    replies = await harness.say("/stats", user_id=ANALYST, language_code=locale)
    methods = [r.method for r in replies]
    assert methods == ["sendMessage", "sendPhoto", "sendDocument"], methods
    summary, photo, document = replies
    with i18n.using(locale):
        assert _("All countries") in summary.text
        assert i18n.country_name("MX") in summary.text
        assert "Traceback" not in summary.text
    ((_png_name, png),) = photo.files.values()
    assert png.startswith(b"\x89PNG")
    ((csv_name, csv_bytes),) = document.files.values()
    assert csv_name == "stats-2025-10-01-2026-03-10.csv"
    # The CLI gives the very same report for the same period.
    env = os.environ | {"DWBOT_DATA_DIR": str(settings.data_dir), "DWBOT_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "bot", "stats", "--from", "2025-10-01", "--to", "2026-03-10"]
    cli = await asyncio.to_thread(
        subprocess.run, [*command, "--format", "csv"], capture_output=True, env=env, check=True
    )
    assert cli.stdout == csv_bytes
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode())))
    assert {r["country"] for r in rows if r["section"] == "cells"} >= {"ALL", "MX", "PE"}
    assert await harness.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'stats'") == 1


async def test_stats_arguments(harness: Harness) -> None:
    await make_analyst(harness)
    await seed_harness(harness)
    replies = await harness.say("/stats PE 3", user_id=ANALYST)
    assert replies[-1].files and "-PE.csv" in next(iter(replies[-1].files.values()))[0]
    for bad in ("/stats XX", "/stats 99", "/stats MX 3 extra", "/stats ²", "/stats ٣٧"):
        replies = await harness.say(bad, user_id=ANALYST)
        assert replies[-1].text == tr(
            "es",
            "Write /stats, or add a country code and a number of months, for example: /stats MX 12",
        )


async def test_an_empty_database_gives_a_clear_answer(harness: Harness) -> None:
    await make_analyst(harness, locale="en")
    replies = await harness.say("/stats", user_id=ANALYST, language_code="en")
    assert "No figures to show yet" in replies[0].text
    assert [r.method for r in replies] == ["sendMessage", "sendDocument"]


async def test_a_deleted_worker_disappears_from_future_statistics(harness: Harness) -> None:
    seed = Seeder()
    seed.workers("MX", 9, days=("2026-03-02", "2026-03-03"))
    await StatsStore(harness.db).bulk_load(seed.rows)
    await harness.onboard(user_id=60, country="MX")
    chat = harness.chat(60)
    await chat.say("/privacy")
    await chat.press(callbacks.encode("consent", "statistics", 1, "s"))
    await chat.say("/hours")
    await add_household(harness, 60, "Casa", "day", "400")
    await chat.say("8h")
    assert await harness.db.fetchval("SELECT COUNT(*) FROM work_entries WHERE user_id = 60") == 1
    services = harness.app.bot_data.services
    assert services is not None
    march = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    before = cells(await services.stats.report(*march))
    assert before[("MX", "", "2026-03")].suppressed is None  # 10 workers: shown
    await chat.say("/delete")
    await chat.press(callbacks.encode("erase", "yes"))
    after = cells(await services.stats.report(*march))
    assert after[("MX", "", "2026-Q1")].suppressed == "small"  # 9 left: hidden
    users = {row[0] for row in await services.stats.store.work_weeks(*march, None)}
    assert 60 not in users


async def test_reading_a_topic_is_counted_only_with_consent(harness: Harness) -> None:
    await harness.onboard(user_id=61, country="MX")
    await harness.onboard(user_id=62, country="MX")
    chat = harness.chat(61)
    await chat.say("/privacy")
    await chat.press(callbacks.encode("consent", "statistics", 1, "s"))
    for user_id in (61, 62):
        await harness.chat(user_id).press(callbacks.encode("topic", "hours", 0))
    rows = await harness.db.fetchall("SELECT user_id, month, kind, item FROM usage_events")
    assert [tuple(r) for r in rows] == [(61, "2026-03", "topic", "hours")]
    # Withdrawing consent drops what was noted.
    await chat.press(callbacks.encode("consent", "statistics", 0, "s"))
    assert await harness.db.fetchval("SELECT COUNT(*) FROM usage_events") == 0


# ---- command line ------------------------------------------------------------------------
def test_demo_data_refuses_a_database_with_users_unless_appending(tmp_path: Path) -> None:
    env = os.environ | {"DWBOT_DATA_DIR": str(tmp_path), "DWBOT_LOG_LEVEL": "WARNING"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env
        )

    first = run("demo-data", "--workers", "300", "--entries", "3000")
    assert first.returncode == 0 and "300 synthetic workers" in first.stdout
    again = run("demo-data", "--workers", "300", "--entries", "3000")
    assert again.returncode == 1 and "--append" in again.stderr
    appended = run("demo-data", "--workers", "300", "--entries", "3000", "--append")
    assert appended.returncode == 0, appended.stderr
    table = run("stats")
    assert table.returncode == 0 and table.stdout.startswith("Anonymous statistics")
    bad = run("stats", "--k", "3")
    assert bad.returncode == 2 and "k must be at least 5" in bad.stderr
    bad = run("stats", "--from", "2026-13")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_hourly_paid_workers_are_compared_with_the_hourly_minimum() -> None:
    # Spain 2026: 9.55 EUR/h for hourly work (RD 126/2026 art. 4.2); a salary of 1,221 EUR a
    # month is 7.04 EUR/h. A cleaner paid 8 EUR/h is below the first, not the second.
    from bot.domain.statistics import WorkerPeriod, cell_data

    hourly = WorkerPeriod("ES", minutes=600, weeks=1, pay_value=80.0, pay_hours=10.0)
    hourly.hourly_paid_hours = 10.0
    salaried = WorkerPeriod("ES", minutes=600, weeks=1, pay_value=80.0, pay_hours=10.0)
    data = cell_data([hourly, salaried], 40.0, 7.04, 9.55)
    assert data.below_minimum == 1
    assert cell_data([hourly, salaried], 40.0, 7.04).below_minimum == 0


async def test_the_first_month_is_computed_like_every_other(db: Database) -> None:
    """July read alone and July read after June give the same figures: the week of 29 June
    (its Thursday is 2 July) is read whole, and June's unpaid pay counts in July's balance.
    Before, July alone showed fewer hours and nobody owed anything."""
    seed = Seeder()
    june = [f"2026-06-{d:02d}" for d in range(1, 31) if dt.date(2026, 6, d).weekday() < 5]
    july = [f"2026-07-{d:02d}" for d in range(1, 32) if dt.date(2026, 7, d).weekday() < 5]
    ids = seed.workers("MX", 12, days=(*june, *july), paid=False)
    for user_id, household in zip(ids, range(1, 13), strict=True):  # half of June, in July
        seed.rows.payments.append(
            (user_id, household, "2026-07-31", 40000 * len(june) // 2, "MXN", seed.now)
        )
    stats = service(await seed.load(db))
    alone = cells(await stats.report(dt.date(2026, 7, 1), dt.date(2026, 7, 31), "MX"))
    after = cells(await stats.report(dt.date(2026, 6, 1), dt.date(2026, 7, 31), "MX"))
    first, later = alone[("MX", "", "2026-07")], after[("MX", "", "2026-07")]
    assert first.hours_median == later.hours_median == 40
    assert first.unpaid_pct == later.unpaid_pct == 100
    assert ("MX", "", "2026-06") not in alone  # June is read, not reported


def test_the_period_says_exactly_which_months_are_in() -> None:
    from bot.handlers.stats import parse_args, period_heading

    _code, start, end = parse_args(["ES", "12"], dt.date(2026, 12, 2))
    report = Report(start, end, "ES", 10, 1.0, (), (), ())
    with i18n.using("en"):
        heading = period_heading(report)
    assert heading.splitlines() == [
        "📊 <b>Anonymous statistics</b>: January 2026 to December 2026 (12 months)",
        "December 2026 counts up to Dec 2, 2026, included.",
    ]
    whole = Report(dt.date(2026, 5, 1), dt.date(2026, 5, 31), None, 10, 1.0, (), (), ())
    with i18n.using("en"):
        assert period_heading(whole) == (
            "📊 <b>Anonymous statistics</b>: May 2026 to May 2026 (1 month)"
        )


def test_the_chart_speaks_her_language_or_english_for_right_to_left() -> None:
    from bot.handlers.stats import chart_text

    report = Report(dt.date(2026, 5, 1), dt.date(2026, 6, 30), None, 10, 1.0, (), (), ())
    with i18n.using("ar"):  # matplotlib cannot shape Arabic: the chart is in English
        assert chart_text(report).title == "Anonymous statistics, May 2026 to June 2026"
    with i18n.using("es"):
        text = chart_text(report)
    assert text.hours_axis == tr("es", "hours per week")
    assert "2026" in text.title and "\u2068" not in text.title
