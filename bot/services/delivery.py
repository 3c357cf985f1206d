"""The delivery engine: sends what the outbox holds, paced under each channel's limits.

- Lanes: each channel (Telegram, WhatsApp) has its own sender, pace and loop, so a slow or
  paused channel never holds the other back; each outbox row knows its recipient's channel.
- Pacing: a sliding window, never more than `rate` sends started in any second (plus a small
  margin for the network's jitter), and at most one message per chat per
  `per_chat_interval` seconds. Several sends are in flight at once (HTTP latency would
  otherwise cap the rate), but they start no faster than the window allows.
- Cancelling: each message is claimed ('sending') just before it is handed to the Bot API,
  so a cancel stops everything not yet in flight: at most `max_in_flight` go out after it.
- Failures: a 429 pauses every send for its `retry_after` and the message waits, uncounted;
  network errors and 5xx retry with exponential backoff; a recipient who blocked the bot is
  marked and gets nothing more; a permanent refusal (400) is recorded as failed.
- Held: a message she cannot receive yet (outside WhatsApp's 24-hour window) is kept as
  'held' until she writes; a per-user limit delays only her messages; a channel's order to
  stop a campaign cancels the rest of it and tells its organiser.
- Crash safety: a row is marked sent only after the Bot API accepted it. After a crash the
  rows still pending are sent again, so a message in flight at the moment of the crash may
  arrive twice (at most `max_in_flight` of them); none is lost.

This module imports nothing from `telegram`: the channel passes a `Sender` that maps the
Bot API's answers to the exceptions below.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain.clock import Clock, iso
from bot.storage.outbox import OutboxStore, QueuedMessage

log = logging.getLogger(__name__)
# A payload value "file:<path>" names a local file (an episode's voice note): each channel's
# sender sends it by the file id its bot already has, or uploads it once and keeps the id.
FILE_REFERENCE = "file:"
EXPIRY_CHECK_SECONDS = 30.0  # how often messages past their maximum age are dropped


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


class Blocked(Exception):
    """The recipient blocked the bot or deleted the account."""


class Rejected(Exception):
    """The Bot API refused this message for good (bad request)."""


class Transient(Exception):
    """A network error or a server error: worth trying again later."""


class Held(Exception):
    """She cannot receive it now (outside WhatsApp's 24-hour window): kept until she writes."""


class Backoff(Exception):
    """Too many messages to this one user: hers wait `seconds`, the others go on."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"wait {seconds} s for this user")
        self.seconds = seconds


class StopCampaign(Exception):
    """The channel says the campaign must stop (WhatsApp's spam limit): nothing more of it
    goes out, and its organiser is told."""


Sender = Callable[[str, dict[str, Any]], Awaitable[int | None]]
Prepare = Callable[[QueuedMessage], Awaitable[tuple[str, dict[str, Any]]]]
BatchListener = Callable[[int], Awaitable[None]]
BlockedListener = Callable[[int], Awaitable[None]]
StopListener = Callable[[int, str], Awaitable[None]]  # batch id, why
Gate = Callable[[QueuedMessage], Awaitable[None]]  # raises Held when she cannot receive it


class Slot:
    """One send's place in the pacing window: free again at `free_at` (monotonic seconds)."""

    __slots__ = ("free_at", "started")

    def __init__(self, started: float, free_at: float) -> None:
        self.started = started
        self.free_at = free_at


class TokenBucket:
    """Spaces starts exactly 1/rate apart. Kept as the benchmark's baseline: with no margin,
    network jitter bunches arrivals and a strict per-second limit answers 429."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = time.monotonic()

    async def take(self) -> Slot:
        now = time.monotonic()
        wait = self._next - now
        self._next = max(self._next, now) + self.interval
        if wait > 0:
            await asyncio.sleep(wait)
        return Slot(now, now)

    def done(self, slot: Slot) -> None:
        pass

    def pause(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


class SlidingWindow:
    """At most `capacity` sends (`rate` per second) in any window, counted as the Bot API
    counts them: by when they arrive.

    A send's arrival is somewhere between its start and its answer. So its place in the
    window is held while it is in flight and freed one window after the answer (or after
    the start plus a small margin, whichever is later): however the network delays one
    request and hurries another, a strict 30-per-second count never sees a 31st.
    """

    def __init__(self, rate: float, margin: float = 0.01) -> None:
        self.capacity = max(1, round(rate))
        self.window = self.capacity / rate
        self.margin = margin
        self._slots: list[Slot] = []
        self._paused_until = 0.0

    async def take(self) -> Slot:
        while True:
            now = time.monotonic()
            if now < self._paused_until:
                await asyncio.sleep(self._paused_until - now)
                continue
            self._slots = [s for s in self._slots if s.free_at > now]
            if len(self._slots) < self.capacity:
                slot = Slot(now, math.inf)  # held until its answer comes
                self._slots.append(slot)
                return slot
            await asyncio.sleep(max(min(s.free_at for s in self._slots) - now, 0.001))

    def done(self, slot: Slot) -> None:
        slot.free_at = max(slot.started + self.window + self.margin, time.monotonic() + self.window)

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)


Pacer = TokenBucket | SlidingWindow


class Lane:
    """One channel's sending: its sender, its pace and its own limits. WhatsApp allows about
    80 messages a second per number and one to the same user every 6 seconds; Telegram 30 a
    second and one a second to a chat."""

    def __init__(
        self,
        channel: str,
        sender: Sender,
        pacer: Pacer,
        per_chat_interval: float,
        gate: Gate | None = None,
    ) -> None:
        self.channel = channel
        self.sender = sender
        self.bucket = pacer
        self.per_chat_interval = per_chat_interval
        self.gate = gate  # may hold a message until she can receive it (WhatsApp's window)
        self.last_by_chat: dict[int, float] = {}


class DeliveryEngine:
    def __init__(
        self,
        store: OutboxStore,
        sender: Sender,
        clock: Clock,
        rate: float = 25.0,
        per_chat_interval: float = 1.0,
        max_in_flight: int = 16,
        max_attempts: int = 8,
        pacer: Pacer | None = None,
        prepare: Prepare | None = None,
        channel: str = "telegram",
    ) -> None:
        self.store = store
        self.prepare = prepare  # the last look at a message before it goes (discreet mode)
        self.clock = clock
        self.max_attempts = max_attempts
        self.max_in_flight = max_in_flight
        self.lanes: dict[str, Lane] = {}
        self._lane_slots: dict[str, asyncio.Semaphore] = {}  # sends in flight, per lane
        self._runners: dict[str, asyncio.Task[None]] = {}
        self._started = False
        self.add_lane(channel, sender, rate, per_chat_interval, pacer=pacer)
        self.first_channel = channel
        self._in_flight: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._next_expiry_check = 0.0
        self._stopping = False
        self.on_blocked: list[BlockedListener] = []
        self.on_batch_progress: list[BatchListener] = []
        self.on_campaign_stopped: list[StopListener] = []

    def add_lane(
        self,
        channel: str,
        sender: Sender,
        rate: float,
        per_chat_interval: float,
        *,
        pacer: Pacer | None = None,
        gate: Gate | None = None,
    ) -> Lane:
        """Send `channel`'s messages with `sender`, at most `rate` a second (replacing that
        channel's lane if it has one; a running engine starts sending on it at once)."""
        lane = Lane(channel, sender, pacer or SlidingWindow(rate), per_chat_interval, gate)
        self.lanes[channel] = lane
        self._lane_slots.setdefault(channel, asyncio.Semaphore(self.max_in_flight))
        if self._started and channel not in self._runners:
            self._start_lane(channel)
        return lane

    @property
    def sender(self) -> Sender:
        return self.lanes[self.first_channel].sender

    @property
    def bucket(self) -> Pacer:
        return self.lanes[self.first_channel].bucket

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._stopping = False
        self._started = True
        for channel in self.lanes:
            self._start_lane(channel)

    def _start_lane(self, channel: str) -> None:
        self._runners[channel] = asyncio.create_task(self._run(channel), name=f"delivery-{channel}")

    async def recover(self) -> None:
        """Before the first pass: sends a crash interrupted go back to the queue."""
        recovered = await self.store.recover()
        if recovered:
            log.info("%d interrupted sends queued again", recovered)

    async def stop(self) -> None:
        self._stopping = True
        self._started = False
        self._wake.set()
        for runner in self._runners.values():
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        self._runners.clear()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def wake(self) -> None:
        """New messages were queued: look at the outbox now instead of at the next poll."""
        self._wake.set()

    async def _run(self, channel: str) -> None:
        if channel == self.first_channel:
            await self.recover()
        while not self._stopping:
            lane = self.lanes[channel]  # looked up each pass: a lane may be replaced
            try:
                sent = await self._send_lane(lane)
            except Exception:  # the loop must survive anything; the rows stay pending
                log.exception("delivery loop error")
                sent = 0
            if sent == 0:
                await self._sleep_until_due(lane)

    async def _sleep_until_due(self, lane: Lane) -> None:
        self._wake.clear()
        timeout = 1.0
        next_due = await self.store.next_due_at(lane.channel)
        if next_due is not None:
            wait = (dt.datetime.fromisoformat(next_due) - self.clock.now()).total_seconds()
            timeout = min(max(wait, 0.05), 1.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    # ---- one pass --------------------------------------------------------------------------
    async def send_due(self, limit: int = 200) -> int:
        """Start sending every message due now on every channel (paced); how many started."""
        started = 0
        for lane in list(self.lanes.values()):
            started += await self._send_lane(lane, limit)
        return started

    async def _send_lane(self, lane: Lane, limit: int = 200) -> int:
        now = iso(self.clock.now())
        if self._next_expiry_check <= time.monotonic():
            self._next_expiry_check = time.monotonic() + EXPIRY_CHECK_SECONDS
            for kind, count in await self.store.expire(now):
                log.info("dropped %d %s message(s): too old to send", count, kind)
        batch = await self.store.due(now, limit, set(self._in_flight), lane.channel)
        slots = self._lane_slots[lane.channel]
        started = 0
        for message in batch:
            if self._stopping:
                break
            last = lane.last_by_chat.get(message.user_id)
            if last is not None and time.monotonic() - last < lane.per_chat_interval:
                continue  # this chat had a message too recently: next pass
            await slots.acquire()
            slot = await lane.bucket.take()
            if not await self.store.claim(message.id):
                lane.bucket.done(slot)
                slots.release()  # cancelled while it waited: it never goes out
                continue
            lane.last_by_chat[message.user_id] = time.monotonic()
            self._in_flight.add(message.id)
            task = asyncio.create_task(self._deliver(lane, message, slot))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        if batch and not started:
            await asyncio.sleep(0.05)  # everything due is waiting on its chat's interval
        return started

    async def _deliver(self, lane: Lane, message: QueuedMessage, slot: Slot) -> None:
        now = self.clock.now()
        try:
            try:
                method, payload = (
                    await self.prepare(message)
                    if self.prepare is not None
                    else (message.method, message.payload)
                )
                if lane.gate is not None:
                    await lane.gate(message)
                telegram_id = await lane.sender(method, payload)
            finally:
                lane.bucket.done(slot)
        except RateLimited as limited:
            lane.bucket.pause(limited.retry_after)
            later = now + dt.timedelta(seconds=limited.retry_after)
            await self.store.retry_later(message.id, iso(later), "429", count=False)
        except Backoff as too_fast:  # too many to her: only her messages wait
            later = now + dt.timedelta(seconds=too_fast.seconds)
            await self.store.retry_later(message.id, iso(later), "too fast to her", count=False)
        except Held as held:
            await self.store.hold(message.id, str(held)[:200])
        except StopCampaign as stop:
            await self.store.finish(message.id, "failed", str(stop)[:200])
            if message.batch_id is not None:
                cancelled = await self.store.cancel(batch_id=message.batch_id)
                log.warning("campaign %s stopped: %d not sent", message.batch_id, cancelled)
                for stopped in self.on_campaign_stopped:
                    await stopped(message.batch_id, str(stop))
        except Blocked as blocked:
            await self.store.finish(message.id, "blocked", str(blocked)[:200])
            await self.store.block_user(message.user_id, "blocked")
            for listener in self.on_blocked:
                await listener(message.user_id)
        except Rejected as rejected:
            await self.store.finish(message.id, "failed", str(rejected)[:200])
        except Exception as error:  # Transient, or anything unexpected: retry with backoff
            attempts = message.attempts + 1
            if attempts >= self.max_attempts:
                await self.store.finish(message.id, "failed", type(error).__name__)
            else:
                backoff = min(2**attempts, 300)
                later = now + dt.timedelta(seconds=backoff)
                await self.store.retry_later(message.id, iso(later), type(error).__name__, True)
        else:
            await self.store.mark_sent(message.id, telegram_id, iso(self.clock.now()))
        finally:
            self._in_flight.discard(message.id)
            self._lane_slots[lane.channel].release()
        if message.batch_id is not None:
            for listener in self.on_batch_progress:
                await listener(message.batch_id)

    async def drain(self, limit_seconds: float = 60.0) -> None:
        """Send until nothing is due (tests and the command line)."""
        await self.recover()
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            started = await self.send_due()
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
            if not started and not self._tasks:
                now = iso(self.clock.now())
                if not any([await self.store.due(now, 1, set(), c) for c in self.lanes]):
                    return
                await asyncio.sleep(0.05)
        raise TimeoutError("the outbox did not drain in time")
