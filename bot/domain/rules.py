"""A jurisdiction's rules for the hours-and-pay calculator, each cited and effective-dated.

`rules.toml` (content/<jurisdiction>/) holds every figure with the law it comes from. A figure
that changes on a date (Mexico's weekly hours, a new minimum wage) is an array of tables, each
with `from` and optionally `until` (inclusive): the calculator asks `RuleBook.on(day)` for the
rules in force on a day, so a scheduled change needs no code change and an expired figure is
never silently reused. Nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.domain.content import JURISDICTIONS, ContentError, load_toml

WAGE_UNITS = ("hour", "day", "week", "month")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# What the calculator may leave out, and the plain reason it gives for each.
NOT_CALCULATED_TOPICS = ("daily_hours", "weekly_hours", "overtime", "minimum_wage", "weekly_rest")
NOT_CALCULATED_REASONS = ("not_in_law", "unverified")
EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class Sourced:
    """A value and the law it comes from, in force from `starts` to `ends` (inclusive)."""

    value: Decimal
    source: str
    url: str
    starts: dt.date = dt.date.min
    ends: dt.date = dt.date.max


@dataclass(frozen=True)
class NightWindow:
    start: dt.time
    end: dt.time
    source: str
    url: str


@dataclass(frozen=True)
class OvertimeTier:
    multiplier: Decimal
    period: str  # "day" or "week": what `hours` caps
    hours: Decimal | None = None  # None: all remaining overtime hours


@dataclass(frozen=True)
class Premium:
    """A higher multiplier for overtime worked in a window (Argentina: Saturday after 13:00)."""

    multiplier: Decimal
    weekday: int  # 0 = Monday
    after: dt.time = dt.time(0)


@dataclass(frozen=True)
class Overtime:
    """How overtime is counted and paid.

    basis "day": minutes beyond the daily limit; "week": beyond the weekly limit;
    "day_or_week": per week, whichever is larger of the two (the law's limit is daily *or*
    weekly). `daily_limit` overrides the daily hours for counting (Argentina: up to 9 hours
    a day may be ordinary when the week is distributed unequally).
    `rest_instead`: the law lets the employer compensate overtime with paid rest instead of
    money (Spain: ET art. 35.1), so the money figure is "at least, unless compensated".
    """

    basis: str
    tiers: tuple[OvertimeTier, ...]
    source: str
    url: str
    daily_limit: Decimal | None = None
    premiums: tuple[Premium, ...] = ()
    rest_instead: bool = False
    starts: dt.date = dt.date.min
    ends: dt.date = dt.date.max


@dataclass(frozen=True)
class MinimumWage:
    """A legal minimum, for the pay terms it applies to."""

    amount: Decimal
    unit: str  # one of WAGE_UNITS
    effective: dt.date
    source: str
    url: str
    ends: dt.date = dt.date.max
    pay_units: tuple[str, ...] = WAGE_UNITS  # agreements it applies to
    live_in: bool | None = None  # None: live-in and live-out alike

    def applies_to(self, unit: str, live_in: bool) -> bool:
        return unit in self.pay_units and (self.live_in is None or self.live_in == live_in)


@dataclass(frozen=True)
class DayRate:
    """How a day's pay follows from a weekly or monthly salary, with its legal basis."""

    month_divisor: Decimal
    week_divisor: Decimal
    source: str
    url: str


@dataclass(frozen=True)
class Rules:
    """The rules in force on one day (from `RuleBook.on`), or a hand-made set in tests."""

    jurisdiction: str
    country: str
    name: str
    reviewed: dt.date
    currency: str | None = None
    timezone: str | None = None
    daily_hours: Sourced | None = None
    weekly_hours: Sourced | None = None
    weekly_rest: Sourced | None = None
    night: NightWindow | None = None
    overtime: Overtime | None = None
    minimum_wages: tuple[MinimumWage, ...] = ()
    # Minimum wages that ended before the day with no successor in the file yet.
    expired_minimum_wages: tuple[MinimumWage, ...] = ()
    day_rate: DayRate | None = None
    not_calculated: dict[str, str] = field(default_factory=dict)

    def minimum_for(self, unit: str, live_in: bool) -> MinimumWage | None:
        return next((m for m in self.minimum_wages if m.applies_to(unit, live_in)), None)

    def expired_minimum_for(self, unit: str, live_in: bool) -> MinimumWage | None:
        return next((m for m in self.expired_minimum_wages if m.applies_to(unit, live_in)), None)


@dataclass(frozen=True)
class RuleBook:
    """Every dated figure of one rules.toml."""

    jurisdiction: str
    country: str
    name: str
    reviewed: dt.date
    currency: str | None = None
    timezone: str | None = None
    daily_hours: tuple[Sourced, ...] = ()
    weekly_hours: tuple[Sourced, ...] = ()
    weekly_rest: tuple[Sourced, ...] = ()
    night: NightWindow | None = None
    overtime: tuple[Overtime, ...] = ()
    minimum_wages: tuple[MinimumWage, ...] = ()
    day_rate: DayRate | None = None
    not_calculated: dict[str, str] = field(default_factory=dict)

    def on(self, day: dt.date) -> Rules:
        """The rules in force on `day` (computed once per day: a year's summary asks 365 times)."""
        cache: dict[dt.date, Rules] = self.__dict__.setdefault("_on_cache", {})
        found = cache.get(day)
        if found is None:
            found = cache[day] = self._on(day)
        return found

    def _on(self, day: dt.date) -> Rules:

        def current(values: tuple[Any, ...]) -> Any:
            return next((v for v in values if v.starts <= day <= v.ends), None)

        wages = tuple(m for m in self.minimum_wages if m.effective <= day <= m.ends)
        expired = tuple(
            m
            for m in self.minimum_wages
            if m.ends < day
            and not any(w.pay_units == m.pay_units and w.live_in == m.live_in for w in wages)
            and m.ends == max(o.ends for o in self.minimum_wages if o.pay_units == m.pay_units)
        )
        return Rules(
            jurisdiction=self.jurisdiction,
            country=self.country,
            name=self.name,
            reviewed=self.reviewed,
            currency=self.currency,
            timezone=self.timezone,
            daily_hours=current(self.daily_hours),
            weekly_hours=current(self.weekly_hours),
            weekly_rest=current(self.weekly_rest),
            night=self.night,
            overtime=current(self.overtime),
            minimum_wages=wages,
            expired_minimum_wages=expired,
            day_rate=self.day_rate,
            not_calculated=self.not_calculated,
        )

    def expiring(self, today: dt.date, within_days: int = EXPIRY_WARNING_DAYS) -> list[str]:
        """Figures whose validity ends within `within_days` with no successor in the file."""
        soon = today + dt.timedelta(days=within_days)
        notes = []
        dated: list[tuple[str, tuple[Any, ...]]] = [
            ("daily_hours", self.daily_hours),
            ("weekly_hours", self.weekly_hours),
            ("weekly_rest", self.weekly_rest),
            ("overtime", self.overtime),
        ]
        for name, values in dated:
            for value in values:
                if today <= value.ends <= soon and not any(
                    v.starts == value.ends + dt.timedelta(days=1) for v in values
                ):
                    notes.append(f"{name} ends on {value.ends} and has no successor")
        for wage in self.minimum_wages:
            successor = any(
                w.effective == wage.ends + dt.timedelta(days=1) and w.pay_units == wage.pay_units
                for w in self.minimum_wages
            )
            if today <= wage.ends <= soon and not successor:
                notes.append(f"minimum_wage ({wage.unit}) ends on {wage.ends} with no successor")
        return notes


def parse_rules(text: str, path: str = "<rules>") -> RuleBook:
    """Parse and validate a rules.toml; raise ContentError listing every problem."""
    data = load_toml(text, path)
    problems: list[str] = []
    jurisdiction = data.get("jurisdiction")
    if jurisdiction not in JURISDICTIONS:
        problems.append(f"jurisdiction must be one of {', '.join(JURISDICTIONS)}")
    for key in ("country", "name"):
        if not isinstance(data.get(key), str):
            problems.append(f"'{key}' must be text")
    reviewed = data.get("reviewed")
    if not isinstance(reviewed, dt.date):
        problems.append("'reviewed' must be a date")
    currency = data.get("currency")
    if currency is not None and not (
        isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)
    ):
        problems.append("'currency' must be an ISO 4217 code such as MXN")
    timezone = data.get("timezone")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            problems.append(f"'timezone' {timezone!r} is not an IANA timezone")

    def sourced(key: str) -> tuple[Sourced, ...]:
        values = []
        for table in _tables(data.get(key), key, problems):
            if not _has_source(table, key, problems):
                continue
            value = _decimal(table.get("value"), f"{key}.value", problems)
            if value is not None and value <= 0:
                problems.append(f"{key}.value must be positive")
            starts, ends = _validity(table, key, problems)
            if value is not None:
                values.append(Sourced(value, table["source"], table["url"], starts, ends))
        _check_no_overlap(key, values, problems)
        return tuple(values)

    not_calculated = data.get("not_calculated", {})
    if not isinstance(not_calculated, dict) or any(
        k not in NOT_CALCULATED_TOPICS or v not in NOT_CALCULATED_REASONS
        for k, v in not_calculated.items()
    ):
        problems.append(
            f"[not_calculated] maps {', '.join(NOT_CALCULATED_TOPICS)} to one of "
            f"{', '.join(NOT_CALCULATED_REASONS)}"
        )
        not_calculated = {}
    overtime = tuple(
        _overtime(t, problems) for t in _tables(data.get("overtime"), "overtime", problems)
    )
    book = RuleBook(
        jurisdiction=str(jurisdiction),
        country=str(data.get("country", "")),
        name=str(data.get("name", "")),
        reviewed=reviewed if isinstance(reviewed, dt.date) else dt.date.min,
        currency=currency,
        timezone=timezone,
        daily_hours=sourced("daily_hours"),
        weekly_hours=sourced("weekly_hours"),
        weekly_rest=sourced("weekly_rest"),
        night=_night(data.get("night"), problems),
        overtime=tuple(o for o in overtime if o is not None),
        minimum_wages=tuple(
            w
            for w in (
                _minimum_wage(t, problems)
                for t in _tables(data.get("minimum_wage"), "minimum_wage", problems)
            )
            if w is not None
        ),
        day_rate=_day_rate(data.get("day_rate"), problems),
        not_calculated=dict(not_calculated),
    )
    _check_no_overlap("overtime", list(book.overtime), problems)
    if book.minimum_wages and not book.currency:
        problems.append("a minimum_wage needs a 'currency'")
    if problems:
        raise ContentError(path, problems)
    return book


def _tables(raw: Any, key: str, problems: list[str]) -> list[dict[str, Any]]:
    """A single [table] or an [[array]] of them."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        return [raw]
    if isinstance(raw, list) and all(isinstance(t, dict) for t in raw):
        return list(raw)
    problems.append(f"[{key}] must be a table or an array of tables")
    return []


def _validity(table: dict[str, Any], key: str, problems: list[str]) -> tuple[dt.date, dt.date]:
    starts, ends = table.get("from", dt.date.min), table.get("until", dt.date.max)
    for name, value in (("from", starts), ("until", ends)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            problems.append(f"{key}.{name} must be a date like 2026-01-01")
            return dt.date.min, dt.date.max
    if ends < starts:
        problems.append(f"{key}: 'until' is before 'from'")
    return starts, ends


def _check_no_overlap(key: str, values: list[Any], problems: list[str]) -> None:
    ordered = sorted(values, key=lambda v: v.starts)
    for earlier, later in itertools.pairwise(ordered):
        if later.starts <= earlier.ends:
            problems.append(f"two [{key}] entries are in force on {later.starts}")


def _has_source(table: Any, key: str, problems: list[str]) -> bool:
    if not isinstance(table, dict):
        problems.append(f"[{key}] must be a table")
        return False
    missing = [k for k in ("source", "url") if not str(table.get(k, "")).strip()]
    if missing:
        problems.append(f"[{key}] lacks {', '.join(missing)}")
        return False
    return True


def _decimal(raw: Any, name: str, problems: list[str]) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        problems.append(f'{name} must be a number (money and multipliers as strings: "2.00")')
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        problems.append(f"{name} {raw!r} is not a number")
        return None
    if not value.is_finite():
        problems.append(f"{name} {raw!r} is not a number")
        return None
    return value


def _night(table: Any, problems: list[str]) -> NightWindow | None:
    if table is None or not _has_source(table, "night", problems):
        return None
    start, end = str(table.get("start", "")), str(table.get("end", ""))
    if not (_TIME_RE.match(start) and _TIME_RE.match(end)):
        problems.append("night.start and night.end must be times like 22:00")
        return None
    return NightWindow(
        dt.time.fromisoformat(start), dt.time.fromisoformat(end), table["source"], table["url"]
    )


def _overtime(table: dict[str, Any], problems: list[str]) -> Overtime | None:
    if not _has_source(table, "overtime", problems):
        return None
    basis = table.get("basis")
    if basis not in ("day", "week", "day_or_week"):
        problems.append("overtime.basis must be 'day', 'week' or 'day_or_week'")
    tiers = []
    raw_tiers = table.get("tiers")
    if not isinstance(raw_tiers, list) or not raw_tiers:
        problems.append("overtime needs at least one [[overtime.tiers]]")
        raw_tiers = []
    for index, tier in enumerate(raw_tiers, 1):
        multiplier = _decimal(tier.get("multiplier"), f"overtime tier {index} multiplier", problems)
        period = tier.get("period", "week" if basis == "week" else "day")
        if period not in ("day", "week"):
            problems.append(f"overtime tier {index} period must be 'day' or 'week'")
        hours = tier.get("hours")
        hours_value = None if hours is None else _decimal(hours, f"tier {index} hours", problems)
        if multiplier is not None and multiplier < 1:
            problems.append(f"overtime tier {index} multiplier must be at least 1")
        if multiplier is not None:
            tiers.append(OvertimeTier(multiplier, str(period), hours_value))
    premiums = []
    for index, raw in enumerate(table.get("premiums", []), 1):
        multiplier = _decimal(raw.get("multiplier"), f"overtime premium {index}", problems)
        weekday, after = raw.get("weekday"), str(raw.get("after", "00:00"))
        if not isinstance(weekday, int) or not 0 <= weekday <= 6 or not _TIME_RE.match(after):
            problems.append(f"overtime premium {index} needs weekday 0-6 and after like 13:00")
            continue
        if multiplier is not None:
            premiums.append(Premium(multiplier, weekday, dt.time.fromisoformat(after)))
    daily_limit = table.get("daily_limit")
    starts, ends = _validity(table, "overtime", problems)
    return Overtime(
        basis=str(basis),
        tiers=tuple(tiers),
        source=table["source"],
        url=table["url"],
        daily_limit=None
        if daily_limit is None
        else _decimal(daily_limit, "overtime.daily_limit", problems),
        premiums=tuple(premiums),
        rest_instead=bool(table.get("rest_instead", False)),
        starts=starts,
        ends=ends,
    )


def _minimum_wage(table: dict[str, Any], problems: list[str]) -> MinimumWage | None:
    if not _has_source(table, "minimum_wage", problems):
        return None
    amount = _decimal(table.get("amount"), "minimum_wage.amount", problems)
    unit = table.get("unit")
    if unit not in WAGE_UNITS:
        problems.append(f"minimum_wage.unit must be one of {', '.join(WAGE_UNITS)}")
    effective = table.get("effective", table.get("from"))
    if not isinstance(effective, dt.date):
        problems.append("minimum_wage needs 'from', a date")
    ends = table.get("until", dt.date.max)
    if not isinstance(ends, dt.date):
        problems.append("minimum_wage.until must be a date")
    pay_units = tuple(table.get("pay_units", WAGE_UNITS))
    if not set(pay_units) <= set(WAGE_UNITS):
        problems.append(f"minimum_wage.pay_units must be among {', '.join(WAGE_UNITS)}")
    live_in = table.get("live_in")
    if live_in is not None and not isinstance(live_in, bool):
        problems.append("minimum_wage.live_in must be true or false")
    if (
        amount is None
        or unit not in WAGE_UNITS
        or not isinstance(effective, dt.date)
        or not isinstance(ends, dt.date)
    ):
        return None
    return MinimumWage(
        amount, str(unit), effective, table["source"], table["url"], ends, pay_units, live_in
    )


def _day_rate(table: Any, problems: list[str]) -> DayRate | None:
    if table is None or not _has_source(table, "day_rate", problems):
        return None
    month = _decimal(table.get("month_divisor", 30), "day_rate.month_divisor", problems)
    week = _decimal(table.get("week_divisor", 7), "day_rate.week_divisor", problems)
    if month is None or week is None or month <= 0 or week <= 0:
        return None
    return DayRate(month, week, table["source"], table["url"])
