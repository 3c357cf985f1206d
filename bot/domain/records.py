"""A worker's records as plain values: households, time entries, payments."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal

PAY_UNITS = ("hour", "day", "week", "month")


@dataclass(frozen=True)
class Employer:
    id: int
    user_id: int
    nickname: str
    pay: Decimal
    pay_unit: str
    currency: str
    live_in: bool
    created_at: str
    usual_start: dt.time | None = None
    usual_end: dt.time | None = None
    started_on: dt.date | None = None  # local date she started working there
    terms: tuple[PayTerms, ...] = ()  # pay from a date, oldest first


@dataclass(frozen=True)
class PayTerms:
    """Pay agreed with a household from a date (a raise, a change from hourly to monthly)."""

    starts: dt.date
    pay: Decimal
    pay_unit: str
    currency: str
    live_in: bool


@dataclass(frozen=True)
class JobEnding:
    """What she told the end-of-contract calculator about how the job ended."""

    employer_id: int
    reason: str
    ended_on: dt.date
    vacation_taken: int | None


@dataclass(frozen=True)
class WorkEntry:
    id: int
    employer_id: int
    day: dt.date
    start_at: dt.datetime | None  # UTC
    end_at: dt.datetime | None
    worked_minutes: int
    break_minutes: int
    source: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PaymentEntry:
    id: int
    employer_id: int
    day: dt.date
    amount: Decimal
    currency: str
    method: str | None
    note: str | None
    created_at: str
    updated_at: str


@functools.cache
def currency_exponent(currency: str) -> int:
    """Digits after the decimal point for a currency (CLDR via Babel): MXN 2, JPY 0."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


def to_minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(currency_exponent(currency)).to_integral_value())


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-currency_exponent(currency))
