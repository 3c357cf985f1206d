"""Dates typed by a worker: one reader, past dates only, a bare number is never a date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.dates import parse_date

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("15/03/2026", "es", dt.date(2026, 3, 15)),
        ("03/15/2026", "en", dt.date(2026, 3, 15)),
        ("15/3", "es", dt.date(2026, 3, 15)),
        ("2026-10-01", "es", dt.date(2026, 10, 1)),
        ("3 de marzo", "es", dt.date(2026, 3, 3)),
        ("desde marzo", "es", dt.date(2026, 3, 1)),
        ("marzo 2025", "es", dt.date(2025, 3, 1)),
        ("ayer", "es", dt.date(2026, 12, 1)),
        ("5", "ar", None),
        ("31/02/2026", "es", None),
        ("20/12/2026", "es", None),  # in the future
        ("garbage text", "es", None),
        ("x" * 500, "es", None),
    ],
)
def test_typed_dates(text: str, locale: str, expected: dt.date | None) -> None:
    assert parse_date(text, TODAY, locale) == expected
