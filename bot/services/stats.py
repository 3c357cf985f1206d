"""Anonymous statistics for unions: the report, its CSV and its chart.

Per-worker sums come from the storage layer and stay inside `StatsService.report`; what
leaves it has passed disclosure control (bot.domain.anonymity): cells of at least k workers,
coarsened or suppressed otherwise, complementary suppression, rounding, optional noise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass

from bot.domain.anonymity import (
    Policy,
    Rounder,
    choose_granularity,
    hidden_total,
    period_start,
    quarter_of,
    subset_publishable,
)
from bot.domain.clock import Clock
from bot.domain.countries import COUNTRIES, OTHER, country
from bot.domain.rules import RuleBook
from bot.domain.statistics import (
    CellData,
    WorkerPeriod,
    cell_data,
    period_of,
    to_quarters,
    worker_periods,
)
from bot.domain.wages import Terms, ordinary_hourly_value
from bot.services.content import Library
from bot.storage.stats import StatsStore

ALL = "ALL"  # the row for all countries together
SMALL, COMPLEMENTARY = "small", "complementary"
DEFAULT_MONTHS = 6
MAX_MONTHS = 36


@dataclass(frozen=True)
class Row:
    """One published cell. Suppressed cells carry only their key and the reason."""

    country: str  # ISO code, or ALL
    group: str  # a tag, or "" for the whole country
    period: str  # YYYY-MM or YYYY-Qn
    suppressed: str | None  # None, "small" or "complementary"
    currency: str = ""
    workers: int | None = None
    hours_median: float | None = None
    hours_p90: float | None = None
    over_limit_pct: int | None = None
    pay_median: float | None = None
    minimum_hourly: float | None = None
    below_minimum_pct: int | None = None
    unpaid_pct: int | None = None
    unpaid_total: float | None = None


@dataclass(frozen=True)
class Usage:
    country: str
    kind: str  # "topic" or "episode"
    item: str
    workers: int


@dataclass(frozen=True)
class Rsvp:
    country: str
    period: str
    suppressed: str | None
    invited: int | None = None
    going_pct: int | None = None


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    country: str | None
    k: int
    epsilon: float | None
    rows: tuple[Row, ...]
    usage: tuple[Usage, ...]
    rsvps: tuple[Rsvp, ...]

    def country_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.group]

    def to_json(self) -> str:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        """Long format: one measure per line, so every section fits one table."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "country", "group", "period", "measure", "value"])
        meta = [("k", self.k), ("epsilon", self.epsilon or "")]
        meta += [("from", self.start.isoformat()), ("to", self.end.isoformat())]
        for name, value in meta:
            writer.writerow(["report", "", "", "", name, value])
        measures = [f for f in Row.__dataclass_fields__ if f not in ("country", "group", "period")]
        for row in self.rows:
            for measure in measures:
                value = getattr(row, measure)
                if value is not None and value != "":
                    writer.writerow(["cells", row.country, row.group, row.period, measure, value])
        for use in self.usage:
            writer.writerow([use.kind, use.country, "", "", use.item, use.workers])
        for rsvp in self.rsvps:
            for measure in ("suppressed", "invited", "going_pct"):
                value = getattr(rsvp, measure)
                if value is not None:
                    writer.writerow(["meetings", rsvp.country, "", rsvp.period, measure, value])
        return out.getvalue()

    def to_table(self) -> str:
        header = (
            f"{'country':<7} {'group':<12} {'period':<8} {'workers':>7} {'h/wk':>5} "
            f"{'p90':>5} {'>limit':>6} {'pay/h':>8} {'min/h':>7} {'<min':>5} "
            f"{'unpaid':>6} {'unpaid total':>13}"
        )
        lines = [
            f"Anonymous statistics {self.start} to {self.end}, k={self.k}"
            + (f", epsilon={self.epsilon}" if self.epsilon else ""),
            header,
        ]

        def show(value: object, suffix: str = "") -> str:
            return "-" if value is None else f"{value}{suffix}"

        for r in self.rows:
            if r.suppressed:
                lines.append(
                    f"{r.country:<7} {r.group[:12]:<12} {r.period:<8} "
                    f"{'(suppressed: ' + r.suppressed + ')':>30}"
                )
                continue
            lines.append(
                f"{r.country:<7} {r.group[:12]:<12} {r.period:<8} {show(r.workers):>7} "
                f"{show(r.hours_median):>5} {show(r.hours_p90):>5} "
                f"{show(r.over_limit_pct, '%'):>6} {show(r.pay_median):>8} "
                f"{show(r.minimum_hourly):>7} {show(r.below_minimum_pct, '%'):>5} "
                f"{show(r.unpaid_pct, '%'):>6} {show(r.unpaid_total):>13}"
            )
        for kind in ("topic", "episode"):
            items = [u for u in self.usage if u.kind == kind]
            if items:
                lines.append(f"Most opened {kind}s (workers):")
                lines += [f"  {u.country:<4} {u.item:<32} {u.workers}" for u in items]
        if self.rsvps:
            lines.append("Meetings (workers invited, % going):")
            for m in self.rsvps:
                shown = (
                    f"(suppressed: {m.suppressed})"
                    if m.suppressed
                    else (f"{m.invited} invited, {show(m.going_pct, '%')} going")
                )
                lines.append(f"  {m.country:<4} {m.period:<8} {shown}")
        return "\n".join(lines) + "\n"


def month_range(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_period(today: dt.date, months: int = DEFAULT_MONTHS) -> tuple[dt.date, dt.date]:
    """`months` calendar months up to today, the current one included."""
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1), today


class StatsService:
    def __init__(self, store: StatsStore, library: Library, clock: Clock) -> None:
        self.store = store
        self.library = library
        self.clock = clock

    def _rules(self, code: str) -> RuleBook | None:
        return self.library.rules.get(country(code).jurisdiction)

    def _weekly_limit(self, code: str, period: str) -> float | None:
        book = self._rules(code)
        rules = book.on(period_start(period)) if book else None
        return float(rules.weekly_hours.value) if rules and rules.weekly_hours else None

    def _minimum_hourly(self, code: str, period: str) -> float | None:
        """The full-time (salary) minimum wage per hour in force on the period's first day."""
        book = self._rules(code)
        if book is None:
            return None
        rules = book.on(period_start(period))
        wage = rules.minimum_for("month", False) or rules.minimum_for("day", False)
        if wage is None:
            return None
        terms = Terms(wage.effective, wage.amount, wage.unit, rules.currency or "")
        return float(ordinary_hourly_value(terms, rules))

    def _minimum_for_hourly_pay(self, code: str, period: str) -> float | None:
        """The minimum per hour for work paid by the hour, where the law sets one apart."""
        book = self._rules(code)
        if book is None:
            return None
        wage = book.on(period_start(period)).minimum_for("hour", False)
        return float(wage.amount) if wage is not None and wage.unit == "hour" else None

    async def record_use(self, user_id: int, kind: str, item: str) -> None:
        await self.store.record_use(user_id, self.clock.now().strftime("%Y-%m"), kind, item)

    async def report(
        self,
        start: dt.date,
        end: dt.date,
        country_code: str | None = None,
        policy: Policy | None = None,
    ) -> Report:
        policy = policy or Policy()
        k = policy.k
        rounder = Rounder(policy)
        currencies = {c.code: c.currency for c in COUNTRIES}
        # The first month is computed like every other: its weeks are read whole (a week
        # belongs to the month of its Thursday), and what she was owed before it comes from
        # her whole record, not only from the window (the running balance starts there).
        history_from = dt.date(1970, 1, 1)
        weeks_to = end + dt.timedelta(days=6)
        async with self.store.snapshot() as store:
            work = await store.work_weeks(history_from, weeks_to, country_code)
            payments = await store.payment_weeks(history_from, weeks_to, country_code)
            countries_of = await store.countries(country_code)
            households = await store.households(country_code)
            tags = await store.tags(country_code)
            usage = await store.usage(start, end, country_code)
            invitations = await store.rsvps(start, end, country_code)

        wanted_months = set(month_range(start, end))
        by_month = {
            key: wp
            for key, wp in worker_periods(
                work, payments, countries_of, households, currencies
            ).items()
            if key[1] in wanted_months
        }

        def grouped(
            periods: dict[tuple[int, str], WorkerPeriod],
        ) -> dict[tuple[str, str, str], list[WorkerPeriod]]:
            cells: dict[tuple[str, str, str], list[WorkerPeriod]] = defaultdict(list)
            for (user_id, period), wp in periods.items():
                cells[(wp.country, "", period)].append(wp)
                cells[(ALL, "", period)].append(wp)
                for tag in tags.get(user_id, ()):
                    cells[(wp.country, tag, period)].append(wp)
            return cells

        cells = {"month": grouped(by_month)}
        countries = sorted({c for (c, g, _p) in cells["month"] if c != ALL and not g})
        granularity = {
            code: choose_granularity(
                {p: len(v) for (c, g, p), v in cells["month"].items() if c == code and not g}, k
            )
            for code in countries
        }
        # Every country by month means every month of the total is large enough too.
        granularity[ALL] = "month" if all(g == "month" for g in granularity.values()) else "quarter"

        if "quarter" in granularity.values():  # folded only when some place needs it
            cells["quarter"] = grouped(to_quarters(by_month))

        def members(code: str, group: str, period: str) -> list[WorkerPeriod]:
            return cells[granularity[code]].get((code, group, period), [])

        def periods(code: str) -> list[str]:
            wanted = granularity[code]
            return sorted({period_of(m, wanted) for m in month_range(start, end)})

        published: dict[tuple[str, str, str], bool] = {}
        for code in countries:
            for period in periods(code):
                n = len(members(code, "", period))
                published[(code, "", period)] = n >= k
        for period in periods(ALL):
            parts = []
            for code in countries:
                n = len(cells[granularity[ALL]].get((code, "", period), []))
                # A country shown by month while the total is by quarter has every month
                # published: count it as known (the safe side; its quarter may be derivable).
                known = published.get((code, "", period), granularity[code] == "month")
                parts.append((n, known))
            n_all = len(members(ALL, "", period))
            published[(ALL, "", period)] = n_all >= k and not hidden_total(parts, k)

        rows: list[Row] = []
        # With one country asked for, "all countries" would only repeat it.
        for code in countries if country_code else [ALL, *countries]:
            for period in periods(code):
                group_members = members(code, "", period)
                if not group_members:
                    continue
                if not published[(code, "", period)]:
                    reason = SMALL if len(group_members) < k else COMPLEMENTARY
                    rows.append(Row(code, "", period, reason))
                    continue
                rows.append(self._row(code, "", period, group_members, rounder, k))
        for code in countries:
            code_tags = sorted({g for (c, g, _p) in cells["month"] if c == code and g})
            shown_tags: dict[str, list[Row]] = defaultdict(list)
            for period in periods(code):
                parent = members(code, "", period)
                candidates = {
                    tag: members(code, tag, period)
                    for tag in code_tags
                    if subset_publishable(
                        len(members(code, tag, period)),
                        len(parent),
                        published[(code, "", period)],
                        k,
                    )
                }
                for tag, tagged in _leave_no_small_rest(candidates, len(parent), k).items():
                    shown_tags[tag].append(self._row(code, tag, period, tagged, rounder, k))
            for tag in code_tags:  # a tag with no cell large enough is not even named
                rows += shown_tags.get(tag, [])
        shown_usage = _usage(usage, countries, rounder, k)
        rsvps = _rsvps(invitations, rounder, k)
        return Report(
            start=start,
            end=end,
            country=country_code,
            k=k,
            epsilon=policy.epsilon,
            rows=tuple(rows),
            usage=tuple(shown_usage),
            rsvps=tuple(rsvps),
        )

    def _row(
        self,
        code: str,
        group: str,
        period: str,
        group_members: list[WorkerPeriod],
        rounder: Rounder,
        k: int,
    ) -> Row:
        # Amounts in different currencies are never added up: not across countries, nor for
        # "another country", whose workers are paid in many.
        money = code not in (ALL, OTHER)
        limit = self._weekly_limit(code, period) if code != ALL else None
        minimum = self._minimum_hourly(code, period) if money else None
        hourly_minimum = self._minimum_for_hourly_pay(code, period) if money else None
        data: CellData = cell_data(group_members, limit, minimum, hourly_minimum)
        pay_ok = money and data.pay_workers >= k
        hours_ok = data.hours_workers >= k
        unpaid_total = None
        if money and data.unpaid >= k and not rounder.dominated(data.unpaid_balances):
            unpaid_total = rounder.money(data.unpaid_total)
        return Row(
            country=code,
            group=group,
            period=period,
            suppressed=None,
            currency=country(code).currency if money else "",
            workers=rounder.count(data.workers),
            hours_median=rounder.hours(data.hours_median) if hours_ok else None,
            hours_p90=rounder.hours(data.hours_p90) if hours_ok else None,
            over_limit_pct=(
                rounder.share(data.over_limit, data.workers)
                if data.over_limit is not None
                else None
            ),
            pay_median=rounder.money(data.pay_median) if pay_ok else None,
            minimum_hourly=rounder.money(minimum) if pay_ok and minimum else None,
            below_minimum_pct=(
                rounder.share(data.below_minimum, data.pay_workers)
                if pay_ok and data.below_minimum is not None
                else None
            ),
            unpaid_pct=rounder.share(data.unpaid, data.workers) if money else None,
            unpaid_total=unpaid_total,
        )


def _usage(
    rows: list[tuple[str, str, str, int]],
    countries: list[str],
    rounder: Rounder,
    k: int,
    top: int = 5,
) -> list[Usage]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for code, kind, item, n in rows:
        counts[(kind, item)][code] = n
    out: list[Usage] = []
    for kind in ("topic", "episode"):
        items = {item: by for (k_, item), by in counts.items() if k_ == kind}
        for code in [ALL, *countries]:
            visible = []
            for item, by_country in items.items():
                if code == ALL:
                    parts = [(n, n >= k) for n in by_country.values()]
                    n = sum(by_country.values())
                    ok = n >= k and not hidden_total(parts, k)
                else:
                    n = by_country.get(code, 0)
                    ok = n >= k
                if ok:
                    visible.append((n, item))
            visible.sort(key=lambda pair: (-pair[0], pair[1]))
            out += [Usage(code, kind, item, rounder.count(n)) for n, item in visible[:top]]
    return out


def _rsvps(invitations: list[tuple[int, str, str, int]], rounder: Rounder, k: int) -> list[Rsvp]:
    monthly: dict[tuple[str, str], list[int]] = defaultdict(list)
    for _user, code, month, going in invitations:
        monthly[(code, month)].append(going)
        monthly[(ALL, month)].append(going)
    codes = sorted({code for code, _m in monthly})
    out: list[Rsvp] = []
    for code in codes:
        months = {m: len(v) for (c, m), v in monthly.items() if c == code}
        wanted = choose_granularity(months, k)
        cells: dict[str, list[int]] = defaultdict(list)
        if wanted == "month":
            cells = {m: monthly[(code, m)] for m in months}
        else:
            # Distinct workers per quarter: a worker invited in two of its months counts
            # once, going if she said so to any meeting.
            per_worker: dict[tuple[str, int], int] = {}
            for user_id, c, month, going in invitations:
                if code in (ALL, c):
                    key = (quarter_of(month), user_id)
                    per_worker[key] = max(per_worker.get(key, 0), going)
            for (quarter, _uid), going in per_worker.items():
                cells[quarter].append(going)
        for period, answers in sorted(cells.items()):
            if len(answers) < k:
                out.append(Rsvp(code, period, SMALL))
                continue
            out.append(
                Rsvp(
                    code,
                    period,
                    None,
                    invited=rounder.count(len(answers)),
                    going_pct=rounder.share(sum(answers), len(answers)),
                )
            )
    return _guard_rsvp_totals(out, monthly, k)


def _leave_no_small_rest(
    tags: dict[str, list[WorkerPeriod]], n_parent: int, k: int
) -> dict[str, list[WorkerPeriod]]:
    """Drop the smallest tags until the workers in none of the shown tags (the country minus
    their union, found by subtraction) are either none or at least k."""
    shown = dict(tags)
    while shown:
        union = {id(m) for members in shown.values() for m in members}
        rest = n_parent - len(union)
        if rest == 0 or rest >= k:
            break
        smallest = min(shown, key=lambda tag: (len(shown[tag]), tag))
        del shown[smallest]
    return shown


def _guard_rsvp_totals(
    rows: list[Rsvp], monthly: dict[tuple[str, str], list[int]], k: int
) -> list[Rsvp]:
    """Hide an all-countries meeting cell that would give away a hidden country cell."""
    shown = {(r.country, r.period) for r in rows if r.suppressed is None}
    guarded = []
    for row in rows:
        if row.country == ALL and row.suppressed is None:
            by_country: dict[str, list[tuple[int, bool]]] = defaultdict(list)
            for (code, month), answers in monthly.items():
                if code != ALL and row.period in (month, quarter_of(month)):
                    visible = (code, row.period) in shown or (code, month) in shown
                    by_country[code].append((len(answers), visible))
            parts = [
                (sum(n for n, _v in cells), all(v for _n, v in cells))
                for cells in by_country.values()
            ]
            if hidden_total(parts, k):
                row = Rsvp(row.country, row.period, COMPLEMENTARY)
        guarded.append(row)
    return guarded


def parse_period(
    raw_from: str | None, raw_to: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """`--from`/`--to` as YYYY-MM or YYYY-MM-DD; defaults: the last six months to today."""

    def parse(value: str, end: bool) -> dt.date:
        value = value.strip()
        if len(value) == 7:
            first = dt.date.fromisoformat(value + "-01")
            if not end:
                return first
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return dt.date.fromisoformat(value)

    start, stop = default_period(today)
    if raw_from:
        start = parse(raw_from, end=False)
    if raw_to:
        stop = parse(raw_to, end=True)
    if stop < start:
        raise ValueError("the end is before the start")
    if len(month_range(start, stop)) > MAX_MONTHS:
        raise ValueError(f"at most {MAX_MONTHS} months at a time")
    return start, stop


@dataclass(frozen=True)
class ChartText:
    """The chart's words, in the reader's language (the handler translates them)."""

    title: str = "Anonymous statistics"
    hours_title: str = "Median hours per week"
    hours_axis: str = "hours per week"
    period_axis: str = "period"
    shares_title: str = "Latest period, share of workers"
    shares_axis: str = "Workers (%)"
    unpaid: str = "owed unpaid pay"
    below_minimum: str = "paid below the minimum wage"


def chart_png(report: Report, text: ChartText | None = None) -> bytes:
    """Two panels that explain themselves: a title, axis labels and legends.

    Left: median hours per week by period, one line per country, from 0. Right: the share
    of workers with an unpaid balance and the share paid below the minimum wage, by country,
    for the latest published period, from 0 to 100 %."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    text = text or ChartText()
    rows = [r for r in report.country_rows() if r.suppressed is None]
    figure = Figure(figsize=(10, 4.6), dpi=100)
    figure.suptitle(text.title, fontsize=11)
    hours_axis, share_axis = figure.subplots(1, 2)
    for code in sorted({r.country for r in rows}):
        series = [(r.period, r.hours_median) for r in rows if r.country == code]
        series = [(p, h) for p, h in series if h is not None]
        if series:
            hours_axis.plot(
                [p for p, _h in series], [h for _p, h in series], marker="o", label=code
            )
    hours_axis.set_title(text.hours_title, fontsize=9)
    hours_axis.set_ylabel(text.hours_axis)
    hours_axis.set_xlabel(text.period_axis)
    hours_axis.set_ylim(bottom=0)
    hours_axis.tick_params(axis="x", labelrotation=45, labelsize=7)
    if hours_axis.lines:
        hours_axis.legend(fontsize=7)
    latest: dict[str, Row] = {}
    for r in rows:
        if r.country != ALL:
            latest[r.country] = r  # rows are in period order
    codes = sorted(latest)
    positions = range(len(codes))
    unpaid = [latest[c].unpaid_pct or 0 for c in codes]
    below = [latest[c].below_minimum_pct or 0 for c in codes]
    share_axis.bar(
        [p - 0.2 for p in positions], unpaid, width=0.4, color="#c0392b", label=text.unpaid
    )
    share_axis.bar(
        [p + 0.2 for p in positions], below, width=0.4, color="#2980b9", label=text.below_minimum
    )
    share_axis.set_xticks(list(positions), codes)
    share_axis.set_ylim(0, 100)
    share_axis.set_title(text.shares_title, fontsize=9)
    share_axis.set_ylabel(text.shares_axis)
    share_axis.legend(fontsize=7, loc="upper right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
