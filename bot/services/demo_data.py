"""Synthetic workers for demos, tests and benchmarks: realistic, reproducible, never real.

`generate()` makes plain rows (no SQL); `StatsStore.bulk_load` writes them. Shapes follow
what domestic work looks like in the five countries: day rates in Mexico, monthly salaries
in Peru and Panama, hourly pay in Spain and Argentina, live-in workers with long days, a
share of workers paid late or short, most workers agreeing to anonymous statistics.
Ids start at DEMO_ID_BASE so demo workers can never be mistaken for Telegram users.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from bot.domain.clock import iso
from bot.domain.content import TOPICS
from bot.storage.stats import DemoRows

DEMO_ID_BASE = 9_000_000_000_000  # far above any Telegram user id seen so far


@dataclass(frozen=True)
class CountryShape:
    code: str
    weight: float
    currency: str
    locales: tuple[tuple[str, float], ...]
    # (unit, low, high, weight): agreed pay in currency units
    pay: tuple[tuple[str, float, float, float], ...]
    tags: tuple[str, ...]


SHAPES: tuple[CountryShape, ...] = (
    CountryShape(
        "MX",
        0.35,
        "MXN",
        (("es", 0.95), ("en", 0.05)),
        (("day", 250, 650, 0.7), ("week", 1500, 3500, 0.2), ("month", 6000, 14000, 0.1)),
        ("cdmx", "guadalajara", "monterrey"),
    ),
    CountryShape(
        "PE",
        0.2,
        "PEN",
        (("es", 1.0),),
        (("month", 800, 1600, 0.7), ("day", 50, 90, 0.3)),
        ("lima", "arequipa"),
    ),
    CountryShape(
        "AR",
        0.2,
        "ARS",
        (("es", 1.0),),
        (("hour", 2500, 4200, 0.6), ("month", 350000, 650000, 0.4)),
        ("caba", "rosario", "cordoba"),
    ),
    CountryShape(
        "ES",
        0.15,
        "EUR",
        (("es", 0.6), ("pt", 0.1), ("ar", 0.1), ("tl", 0.1), ("en", 0.1)),
        (("hour", 8, 13, 0.6), ("month", 900, 1500, 0.4)),
        ("madrid", "barcelona", "valencia"),
    ),
    CountryShape(
        "PA",
        0.1,
        "USD",
        (("es", 0.9), ("en", 0.1)),
        (("month", 250, 500, 0.9), ("day", 15, 30, 0.1)),
        ("panama-city", "colon"),
    ),
)
EPISODES = ("hours", "pay", "contract", "termination", "help", "harassment")


def _pick(rng: random.Random, options: tuple, weight_index: int = -1) -> tuple:
    return rng.choices(options, weights=[o[weight_index] for o in options])[0]


def _months(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def generate(
    workers: int,
    entries: int,
    end: dt.date,
    months: int = 6,
    seed: int = 189,
    first_user: int = DEMO_ID_BASE,
    first_household: int = 1,
) -> DemoRows:
    """About `entries` time entries spread over `workers` workers in the `months` before
    `end`. The same arguments always give the same data. `first_user`/`first_household`
    let a second batch be added beside the first (`dwbot demo-data --append`)."""
    rng = random.Random(seed)
    data = DemoRows()
    start = (end.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    span = (end - start).days
    now = iso(dt.datetime.combine(end, dt.time(12), dt.UTC))
    per_worker = max(1, entries // max(1, workers))
    employer_id = first_household - 1
    for index in range(workers):
        user_id = first_user + index
        shape = rng.choices(SHAPES, weights=[s.weight for s in SHAPES])[0]
        locale = _pick(rng, shape.locales)[0]
        data.users.append((user_id, locale, shape.code, now))
        data.consents.append((user_id, "records", 1, now))
        data.consents.append((user_id, "statistics", int(rng.random() < 0.8), now))
        if rng.random() < 0.4:
            data.tags.append((user_id, rng.choice(shape.tags)))
        households = []
        for number in range(rng.choices((1, 2, 3), weights=(0.7, 0.2, 0.1))[0]):
            employer_id += 1
            unit, low, high, _w = _pick(rng, shape.pay)
            live_in = int(unit == "month" and rng.random() < 0.35)
            pay = round(rng.uniform(low, high), 0 if high > 1000 else 2)
            households.append((employer_id, unit, pay, live_in))
            data.employers.append(
                (
                    employer_id,
                    user_id,
                    f"house {number + 1}",
                    round(pay * 100),
                    unit,
                    shape.currency,
                    live_in,
                    now,
                )
            )
        # She logs a stretch of working days: per_worker on average, one household a day.
        count = max(1, int(rng.gauss(per_worker, per_worker / 4)))
        first = start + dt.timedelta(days=rng.randrange(max(1, span - count * 7 // 5)))
        rest_days = {6} if rng.random() < 0.7 else set()
        day, logged = first, 0
        worked: dict[int, dict[str, tuple[int, int]]] = {h[0]: {} for h in households}
        while logged < count and day <= end:
            if day.weekday() not in rest_days:
                eid, unit, pay, live_in = households[logged % len(households)]
                hours = rng.gauss(11.5 if live_in else 8.0, 1.5)
                minutes = max(60, min(1080, int(hours * 60) // 15 * 15))
                data.entries.append((user_id, eid, day.isoformat(), minutes, now))
                month = day.isoformat()[:7]
                total, days = worked[eid].get(month, (0, 0))
                worked[eid][month] = (total + minutes, days + 1)
                logged += 1
            day += dt.timedelta(days=1)
        # Payments: most in full, some short, some never.
        behaviour = rng.choices(("full", "short", "none"), weights=(0.75, 0.18, 0.07))[0]
        for eid, unit, pay, _live_in in households:
            for month, (minutes, days) in worked[eid].items():
                if behaviour == "none":
                    continue
                due = {
                    "hour": pay * minutes / 60,
                    "day": pay * days,
                    "week": pay * days / 6,
                    "month": pay * min(1.0, days / 22),
                }[unit]
                if behaviour == "short":
                    due *= rng.uniform(0.5, 0.9)
                paid_on = dt.date.fromisoformat(month + "-28")
                data.payments.append(
                    (user_id, eid, paid_on.isoformat(), max(1, int(due * 100)), shape.currency, now)
                )
        for topic in rng.sample(TOPICS, rng.randint(0, 4)):
            data.usage.append((user_id, first.isoformat()[:7], "topic", topic))
        for episode in rng.sample(EPISODES, rng.randint(0, 2)):
            data.usage.append((user_id, first.isoformat()[:7], "episode", episode))
    return data


def months_in(end: dt.date, months: int) -> list[str]:
    start = (end.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    return [m.isoformat()[:7] for m in _months(start, end)]
