"""The delivery engine: sends what the outbox holds, paced under Telegram's limits.

- Pacing: a sliding window, never more than `rate` sends started in any second (plus a small
  margin for the network's jitter), and at most one message per chat per
  `per_chat_interval` seconds. Several sends are in flight at once (HTTP latency would
  otherwise cap the rate), but they start no faster than the window allows.
- Cancelling: each message is claimed ('sending') just before it is handed to the Bot API,
  so a cancel stops everything not yet in flight: at most `max_in_flight` go out after it.
- Failures: a 429 pauses every send for its `retry_after` and the message waits, uncounted;
  network errors and 5xx retry with exponential backoff; a recipient who blocked the bot is
  marked and gets nothing more; a permanent refusal (400) is recorded as failed.
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


Sender = Callable[[str, dict[str, Any]], Awaitable[int | None]]
Prepare = Callable[[QueuedMessage], Awaitable[tuple[str, dict[str, Any]]]]
BatchListener = Callable[[int], Awaitable[None]]
BlockedListener = Callable[[int], Awaitable[None]]


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
    ) -> None:
        self.store = store
        self.sender = sender
        self.prepare = prepare  # the last look at a message before it goes (discreet mode)
        self.clock = clock
        self.bucket: Pacer = pacer or SlidingWindow(rate)
        self.per_chat_interval = per_chat_interval
        self.max_attempts = max_attempts
        self._slots = asyncio.Semaphore(max_in_flight)
        self._in_flight: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_by_chat: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._next_expiry_check = 0.0
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None
        self.on_blocked: list[BlockedListener] = []
        self.on_batch_progress: list[BatchListener] = []

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._stopping = False
        self._runner = asyncio.create_task(self._run(), name="delivery-engine")

    async def recover(self) -> None:
        """Before the first pass: sends a crash interrupted go back to the queue."""
        recovered = await self.store.recover()
        if recovered:
            log.info("%d interrupted sends queued again", recovered)

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def wake(self) -> None:
        """New messages were queued: look at the outbox now instead of at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        await self.recover()
        while not self._stopping:
            try:
                sent = await self.send_due()
            except Exception:  # the loop must survive anything; the rows stay pending
                log.exception("delivery loop error")
                sent = 0
            if sent == 0:
                await self._sleep_until_due()

    async def _sleep_until_due(self) -> None:
        self._wake.clear()
        timeout = 1.0
        next_due = await self.store.next_due_at()
        if next_due is not None:
            wait = (dt.datetime.fromisoformat(next_due) - self.clock.now()).total_seconds()
            timeout = min(max(wait, 0.05), 1.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    # ---- one pass --------------------------------------------------------------------------
    async def send_due(self, limit: int = 200) -> int:
        """Start sending every message due now (paced); return how many were started."""
        now = iso(self.clock.now())
        if self._next_expiry_check <= time.monotonic():
            self._next_expiry_check = time.monotonic() + EXPIRY_CHECK_SECONDS
            for kind, count in await self.store.expire(now):
                log.info("dropped %d %s message(s): too old to send", count, kind)
        batch = await self.store.due(now, limit, set(self._in_flight))
        started = 0
        for message in batch:
            if self._stopping:
                break
            last = self._last_by_chat.get(message.user_id)
            if last is not None and time.monotonic() - last < self.per_chat_interval:
                continue  # this chat had a message less than a second ago: next pass
            await self._slots.acquire()
            slot = await self.bucket.take()
            if not await self.store.claim(message.id):
                self.bucket.done(slot)
                self._slots.release()  # cancelled while it waited: it never goes out
                continue
            self._last_by_chat[message.user_id] = time.monotonic()
            self._in_flight.add(message.id)
            task = asyncio.create_task(self._deliver(message, slot))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        if batch and not started:
            await asyncio.sleep(0.05)  # everything due is waiting on its chat's interval
        return started

    async def _deliver(self, message: QueuedMessage, slot: Slot) -> None:
        now = self.clock.now()
        try:
            try:
                method, payload = (
                    await self.prepare(message)
                    if self.prepare is not None
                    else (message.method, message.payload)
                )
                telegram_id = await self.sender(method, payload)
            finally:
                self.bucket.done(slot)
        except RateLimited as limited:
            self.bucket.pause(limited.retry_after)
            later = now + dt.timedelta(seconds=limited.retry_after)
            await self.store.retry_later(message.id, iso(later), "429", count=False)
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
            self._slots.release()
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
                due = await self.store.due(iso(self.clock.now()), 1, set())
                if not due:
                    return
                await asyncio.sleep(0.05)
        raise TimeoutError("the outbox did not drain in time")
