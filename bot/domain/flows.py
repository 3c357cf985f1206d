"""A multi-step task in progress (adding a household, logging a payment…) as a plain value.

The state lives in the database, one row per user, read once per update together with the
user. A flow that has been idle longer than the timeout is over: text typed later is new input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Flow:
    name: str  # which task, e.g. "employer"
    data: Mapping[str, Any] = field(default_factory=dict)  # JSON-safe values only
    updated_at: dt.datetime | None = None

    @property
    def step(self) -> str:
        return str(self.data.get("step", ""))

    def at(self, name: str, *steps: str) -> bool:
        """This flow is `name` (and, if given, at one of `steps`)."""
        return self.name == name and (not steps or self.step in steps)

    def expired(self, now: dt.datetime, timeout: dt.timedelta) -> bool:
        return self.updated_at is not None and now - self.updated_at > timeout
