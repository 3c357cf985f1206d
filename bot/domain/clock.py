"""Time as a dependency, so tests can control it."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    """The storage form of a moment: ISO 8601 in UTC with seconds."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
