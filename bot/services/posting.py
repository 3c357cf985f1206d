"""The one way a bulk or deferred message is posted: every path (announcements, meeting
notices and their changes, meeting reminders, new episodes, delivery reports, reminders)
turns its message into an outbox row here, so the same rules hold everywhere:

- **Quiet hours** (21:00-07:00 her time, unless she turned them off): a notice or an
  announcement waits until 07:00; a meeting reminder goes the evening before instead, so
  it is never later than promised.
- **Lanes**: the engine sends lower lanes first: replies and reports, then reminders, then
  meeting notices, then announcements and new episodes.
- **A maximum age**: a message that could not go out in time is dropped and logged, not
  sent late (a meeting reminder after the meeting starts, an announcement after a week).
- **Dedupe**: every message carries a key, so posting it twice queues it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock, iso
from bot.domain.countries import country
from bot.domain.reminders import after_quiet_hours, before_quiet_hours
from bot.storage.organisers import Recipient
from bot.storage.outbox import OutboxStore, OutgoingMessage

LANE_REPLY, LANE_REMINDER, LANE_NOTICE, LANE_ANNOUNCEMENT = 1, 3, 4, 5


@dataclass(frozen=True)
class Kind:
    lane: int
    quiet: str  # "later": waits for 07:00; "earlier": goes the evening before; "never"
    max_age: dt.timedelta | None  # from when it was due; None: the caller sets the expiry


KINDS: dict[str, Kind] = {
    "report": Kind(LANE_REPLY, "never", dt.timedelta(days=1)),
    # Help requests: her answer goes at once (she asked); helpers are not woken at night.
    "case_answer": Kind(LANE_REPLY, "never", dt.timedelta(days=7)),
    "case_new": Kind(LANE_NOTICE, "later", dt.timedelta(days=7)),
    "case_summary": Kind(LANE_NOTICE, "later", dt.timedelta(days=1)),
    "reminder": Kind(LANE_REMINDER, "later", dt.timedelta(hours=18)),
    "meeting_reminder": Kind(LANE_REMINDER, "earlier", None),  # until the meeting starts
    "meeting": Kind(LANE_NOTICE, "later", None),  # until the meeting starts
    "announcement": Kind(LANE_ANNOUNCEMENT, "later", dt.timedelta(days=7)),
    "episode": Kind(LANE_ANNOUNCEMENT, "later", dt.timedelta(days=14)),
}


def timezone_of(recipient: Recipient) -> ZoneInfo:
    return ZoneInfo(recipient.timezone or country(recipient.country).timezone)


def later_if_quiet(recipient: Recipient, when: dt.datetime) -> dt.datetime:
    """Due in her quiet hours: it waits until 07:00 her time (unless she opted out)."""
    return after_quiet_hours(when, timezone_of(recipient)) if recipient.quiet else when


def earlier_if_quiet(recipient: Recipient, when: dt.datetime) -> dt.datetime:
    """A reminder due in her quiet hours goes the evening before, never later."""
    return before_quiet_hours(when, timezone_of(recipient)) if recipient.quiet else when


class PostingService:
    def __init__(
        self,
        outbox: OutboxStore,
        clock: Clock,
        wake: Callable[[], None] = lambda: None,
        quiet: Callable[[Recipient, dt.datetime], dt.datetime] | None = None,
    ) -> None:
        self.outbox = outbox
        self.clock = clock
        self.wake = wake
        self.later = quiet or later_if_quiet  # tests may move quiet hours

    def message(
        self,
        recipient: Recipient,
        kind: str,
        method: str,
        payload: dict[str, object],
        dedupe_key: str,
        *,
        due: dt.datetime | None = None,
        expires: dt.datetime | None = None,
        batch_id: int | None = None,
    ) -> OutgoingMessage:
        """The outbox row for one message to `recipient`, due at `due` (now if None)."""
        rules = KINDS[kind]
        when = due or self.clock.now()
        if rules.quiet == "later":
            when = self.later(recipient, when)
        elif rules.quiet == "earlier":
            when = earlier_if_quiet(recipient, when)
        if expires is None and rules.max_age is not None:
            expires = (due or self.clock.now()) + rules.max_age
        return OutgoingMessage(
            user_id=recipient.user_id,
            kind=kind,
            method=method,
            payload=payload,
            not_before=iso(when),
            priority=rules.lane,
            batch_id=batch_id,
            dedupe_key=dedupe_key,
            expires_at=iso(expires) if expires is not None else None,
        )

    async def post(self, messages: Iterable[OutgoingMessage]) -> None:
        """Queue the messages in one transaction (known dedupe keys are skipped)."""
        await self.outbox.enqueue(list(messages), iso(self.clock.now()))
        self.wake()
