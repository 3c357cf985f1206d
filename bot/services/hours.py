"""Use cases for a worker's record: households, time, payments, summaries and exports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import is_currency

from bot.domain.clock import Clock, iso
from bot.domain.countries import country
from bot.domain.entry_parser import ParsedPayment, ParsedShift
from bot.domain.errors import UserFacingError
from bot.domain.numbers import parse_amount as read_amount
from bot.domain.records import (
    PAY_UNITS,
    Employer,
    JobEnding,
    PaymentEntry,
    PayTerms,
    WorkEntry,
    currency_exponent,
    to_minor,
)
from bot.domain.rules import RuleBook, Rules
from bot.domain.settlement import Settlement, settle
from bot.domain.users import User
from bot.domain.wages import (
    Agreement,
    Payment,
    Summary,
    Terms,
    Work,
    daily_value,
    local_shift,
    summarise,
)
from bot.i18n import N_
from bot.services.content import Library
from bot.services.record_csv import build_record_csv
from bot.storage.hours import HoursStore

MAX_AMOUNT = Decimal(100_000_000)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def named(cls, name: str, today: dt.date) -> Period:
        if name == "week":
            monday = today - dt.timedelta(days=today.weekday())
            return cls(monday, monday + dt.timedelta(days=6))
        if name == "lastweek":
            monday = today - dt.timedelta(days=today.weekday() + 7)
            return cls(monday, monday + dt.timedelta(days=6))
        first = today.replace(day=1)
        if name == "lastmonth":
            last = first - dt.timedelta(days=1)
            return cls(last.replace(day=1), last)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return cls(first, following - dt.timedelta(days=1))


@dataclass(frozen=True)
class EmployerSummary:
    employer: Employer
    summary: Summary


class NeedsChoice(Exception):
    """The entry is possible but she must choose first (e.g. move her start date)."""

    def __init__(self, kind: str, **details: object) -> None:
        super().__init__(kind)
        self.kind = kind
        self.details = details


def agreement_of(employer: Employer) -> Agreement:
    """The household's job as the wage calculator sees it: start date and pay history."""
    started = employer.started_on or dt.date.fromisoformat(employer.created_at[:10])
    history = employer.terms or (
        PayTerms(started, employer.pay, employer.pay_unit, employer.currency, employer.live_in),
    )
    terms = tuple(Terms(t.starts, t.pay, t.pay_unit, t.currency, t.live_in) for t in history)
    return Agreement(min(started, terms[0].starts), terms)


# The households of the user whose update this task is handling (set per update): a typed
# entry needs them four times, the database is asked once. Writes forget them.
_households: ContextVar[dict[int, list[Employer]] | None] = ContextVar("households", default=None)


class HoursService:
    def __init__(self, store: HoursStore, library: Library, clock: Clock) -> None:
        self.store = store
        self.library = library
        self.clock = clock

    def _now(self) -> str:
        return iso(self.clock.now())

    @staticmethod
    def timezone(user: User) -> ZoneInfo:
        return ZoneInfo(user.timezone or country(user.country).timezone)

    def today(self, user: User) -> dt.date:
        return self.clock.now().astimezone(self.timezone(user)).date()

    def rules(self, user: User) -> RuleBook | None:
        return self.library.rules.get(country(user.country).jurisdiction)

    def currency(self, user: User) -> str:
        """The country's currency; "another country" workers can write theirs with the pay."""
        return country(user.country).currency

    @staticmethod
    def require_consent(user: User) -> None:
        if not user.records_consent:
            raise UserFacingError(
                N_("To keep a record of your hours and pay, first say yes in /privacy.")
            )

    # ---- households ------------------------------------------------------------------------
    def begin_update(self) -> None:
        """A new update is being handled: households are read at most once during it."""
        _households.set({})

    async def employers(self, user: User) -> list[Employer]:
        memo = _households.get()
        if memo is not None and user.user_id in memo:
            return memo[user.user_id]
        employers = await self.store.employers(user.user_id)
        if memo is not None:
            memo[user.user_id] = employers
        return employers

    @staticmethod
    def _changed(user: User) -> None:
        memo = _households.get()
        if memo is not None:
            memo.pop(user.user_id, None)

    async def employer(self, user: User, employer_id: int) -> Employer:
        for employer in await self.employers(user):
            if employer.id == employer_id:
                return employer
        raise UserFacingError(N_("I can't find that household. Open 🕒 Hours & pay again."))

    async def add_employer(
        self,
        user: User,
        nickname: str,
        pay: Decimal,
        unit: str,
        currency: str,
        live_in: bool,
        started_on: dt.date | None = None,
    ) -> Employer:
        self.require_consent(user)
        nickname = validate_nickname(nickname)
        if unit not in PAY_UNITS:
            raise UserFacingError(N_("Please choose how you are paid from the buttons."))
        if not Decimal(0) < pay < MAX_AMOUNT:
            raise UserFacingError(N_("Please write the amount as a number, for example: 1500"))
        if any(e.nickname.casefold() == nickname.casefold() for e in await self.employers(user)):
            raise UserFacingError(N_("You already have a household with that name."))
        started = self.check_start(user, started_on or self.today(user))
        employer = Employer(
            0, user.user_id, nickname, pay, unit, currency, live_in, self._now(), started_on=started
        )
        employer_id = await self.store.add_employer(employer)
        self._changed(user)
        return await self.employer(user, employer_id)

    def check_start(self, user: User, started_on: dt.date) -> dt.date:
        if started_on > self.today(user):
            raise UserFacingError(N_("That date is in the future. You can log only work done."))
        if started_on < self.today(user).replace(year=self.today(user).year - 60):
            raise UserFacingError(N_("Please check the date: it is too long ago."))
        return started_on

    async def set_start(self, user: User, employer_id: int, started_on: dt.date) -> Employer:
        self.require_consent(user)
        await self.employer(user, employer_id)
        await self.store.set_start(
            user.user_id, employer_id, self.check_start(user, started_on), self._now()
        )
        self._changed(user)
        return await self.employer(user, employer_id)

    async def set_terms(
        self, user: User, employer_id: int, pay: Decimal, unit: str, starts: dt.date
    ) -> Employer:
        """New pay from a date: a raise, or a change from hourly to monthly."""
        self.require_consent(user)
        employer = await self.employer(user, employer_id)
        if unit not in PAY_UNITS:
            raise UserFacingError(N_("Please choose how you are paid from the buttons."))
        if not Decimal(0) < pay < MAX_AMOUNT:
            raise UserFacingError(N_("Please write the amount as a number, for example: 1500"))
        started = agreement_of(employer).starts
        starts = max(self.check_start(user, starts), started)
        terms = PayTerms(starts, pay, unit, employer.currency, employer.live_in)
        await self.store.set_terms(user.user_id, employer_id, terms, self._now())
        self._changed(user)
        return await self.employer(user, employer_id)

    # ---- time ------------------------------------------------------------------------------
    def shift_to_work(self, user: User, parsed: ParsedShift) -> Work:
        tz = self.timezone(user)
        if parsed.start is not None and parsed.end is not None:
            work = local_shift(parsed.day, parsed.start, parsed.end, tz, parsed.break_minutes)
            # The parser subtracted breaks in wall-clock time; trust the DST-aware figure.
            return work
        return Work(parsed.day, parsed.worked)

    async def log_shift(
        self,
        user: User,
        employer_id: int,
        parsed: ParsedShift,
        source: str = "typed",
        replace: int | None = None,
        move_start: bool = False,
        replace_overlap: bool = False,
    ) -> WorkEntry:
        """Validate and store a shift (or replace entry `replace` with it).

        Raises NeedsChoice when the work is before her start date (she may move the start)
        or overlaps an entry for the same household (she may replace it).
        """
        self.require_consent(user)
        employer = await self.employer(user, employer_id)
        work = self.shift_to_work(user, parsed)
        started = agreement_of(employer).starts
        if parsed.day < started and not move_start:
            raise NeedsChoice("before_start", day=parsed.day, started=started)
        minutes = int(work.worked.total_seconds()) // 60
        if minutes <= 0:
            raise UserFacingError(N_("That adds up to no time worked. Please check the hours."))
        if parsed.day > self.today(user):
            raise UserFacingError(N_("That date is in the future. You can log only work done."))
        if work.start is not None and work.end is not None:
            clash = await self.store.overlapping(
                user.user_id, work.start.astimezone(dt.UTC), work.end.astimezone(dt.UTC), replace
            )
            if clash is not None and clash.employer_id == employer_id and replace_overlap:
                await self.store.delete(user.user_id, "work", clash.id, self._now())
            elif clash is not None and clash.employer_id == employer_id:
                raise NeedsChoice("overlap", entry=clash)
            elif clash is not None:
                raise UserFacingError(
                    N_("Those hours overlap with hours you already logged on {day}."),
                    day=clash.day,
                )
        already = await self.store.minutes_on(user.user_id, parsed.day, replace)
        if already + minutes > 24 * 60:
            raise UserFacingError(
                N_("That would make more than 24 hours of work on {day}. Please check it."),
                day=parsed.day,
            )
        if parsed.day < started:
            await self.store.set_start(user.user_id, employer_id, parsed.day, self._now())
        start_at = work.start.astimezone(dt.UTC) if work.start else None
        end_at = work.end.astimezone(dt.UTC) if work.end else None
        if replace is not None:
            if not await self.store.replace_work(
                user.user_id,
                replace,
                parsed.day,
                start_at,
                end_at,
                minutes,
                parsed.break_minutes,
                self._now(),
            ):
                raise UserFacingError(N_("That entry no longer exists."))
            entry_id = replace
        else:
            entry_id = await self.store.add_work(
                user.user_id,
                employer_id,
                parsed.day,
                start_at,
                end_at,
                minutes,
                parsed.break_minutes,
                source,
                self._now(),
            )
        if parsed.start is not None and parsed.end is not None and employer.usual_start is None:
            # The first shift with times becomes the usual schedule the daily reminder
            # offers to log in one tap.
            await self.store.set_usual_schedule(
                user.user_id, employer_id, parsed.start, parsed.end, self._now()
            )
            self._changed(user)
        entry = await self.store.work_entry(user.user_id, entry_id)
        assert entry is not None
        return entry

    async def start_clock(self, user: User, employer_id: int) -> dt.datetime:
        self.require_consent(user)
        await self.employer(user, employer_id)
        await self.store.start_clock(user.user_id, employer_id, self._now())
        running = await self.store.clock(user.user_id)
        assert running is not None
        return running[1]

    async def running_clock(self, user: User) -> tuple[int, dt.datetime] | None:
        return await self.store.clock(user.user_id)

    async def stop_clock(self, user: User) -> WorkEntry:
        running = await self.store.clock(user.user_id)
        if running is None:
            raise UserFacingError(N_("The clock is not running. Press ▶️ Start work first."))
        employer_id, started = running
        now = self.clock.now()
        tz = self.timezone(user)
        if now - started > dt.timedelta(hours=24):
            await self.store.stop_clock(user.user_id)
            raise UserFacingError(
                N_(
                    "The clock ran for more than 24 hours, so I stopped it without saving. "
                    "Please type the hours you worked, for example: 9:00-17:00"
                )
            )
        if now - started < dt.timedelta(minutes=1):
            await self.store.stop_clock(user.user_id)
            raise UserFacingError(N_("Less than a minute passed, so nothing was saved."))
        local_start = started.astimezone(tz)
        parsed = ParsedShift(
            day=local_start.date(),
            start=local_start.time().replace(second=0, microsecond=0),
            end=now.astimezone(tz).time().replace(second=0, microsecond=0),
            worked=now - started,
        )
        entry = await self.log_shift(user, employer_id, parsed, source="clock")
        await self.store.stop_clock(user.user_id)
        return entry

    async def delete(self, user: User, kind: str, entry_id: int) -> None:
        if kind not in ("work", "payment"):
            raise UserFacingError(N_("That entry no longer exists."))
        if not await self.store.delete(user.user_id, kind, entry_id, self._now()):
            raise UserFacingError(N_("That entry no longer exists."))

    async def work_entry(self, user: User, entry_id: int) -> WorkEntry:
        entry = await self.store.work_entry(user.user_id, entry_id)
        if entry is None:
            raise UserFacingError(N_("That entry no longer exists."))
        return entry

    # ---- payments --------------------------------------------------------------------------
    async def log_payment(
        self, user: User, employer_id: int, parsed: ParsedPayment
    ) -> PaymentEntry:
        """Store a payment received (before her start date too: money is money)."""
        self.require_consent(user)
        employer = await self.employer(user, employer_id)
        if parsed.day > self.today(user):
            raise UserFacingError(N_("That date is in the future. You can log only work done."))
        if not Decimal(0) < parsed.amount < MAX_AMOUNT:
            raise UserFacingError(N_("Please write the amount as a number, for example: 1500"))
        entry_id = await self.store.add_payment(
            user.user_id,
            employer.id,
            parsed.day,
            to_minor(parsed.amount, employer.currency),
            employer.currency,
            parsed.method,
            (parsed.note or None) and (parsed.note or "")[:200],
            self._now(),
        )
        for payment in await self.store.payments(user.user_id, parsed.day, parsed.day):
            if payment.id == entry_id:
                return payment
        raise AssertionError("payment just stored is missing")

    # ---- summaries and export ------------------------------------------------------------
    async def summaries(
        self, user: User, period: Period, since_start: bool = False
    ) -> list[EmployerSummary]:
        """Each household's figures for the period, with the terms in force on each day.

        Entries a week either side are read too, so a weekly rest over the period's edge is
        measured whole; salaries accrue only up to today. `since_start`: each household from
        the day she started there, money only (no warnings), for the overall balance.
        """
        rules = self.rules(user)
        tz = self.timezone(user)
        employers = await self.employers(user)
        if since_start and employers:
            period = Period(min(agreement_of(e).starts for e in employers), period.end)
        margin = dt.timedelta(days=7)
        work = await self.store.work(user.user_id, period.start - margin, period.end + margin)
        payments = await self.store.payments(user.user_id, period.start, period.end)
        today, now = self.today(user), self.clock.now()
        result = []
        for employer in employers:
            start = agreement_of(employer).starts if since_start else period.start
            entries = [self._work(e, tz) for e in work if e.employer_id == employer.id]
            inside = [e for e in entries if start <= e.day <= period.end]
            around = [e for e in entries if not start <= e.day <= period.end]
            paid = [
                Payment(p.day, p.amount)
                for p in payments
                if p.employer_id == employer.id and start <= p.day
            ]
            summary = summarise(
                inside,
                paid,
                agreement_of(employer),
                rules,
                start,
                period.end,
                tz,
                currency_exponent(employer.currency),
                today=today,
                now=now,
                context=around,
                checks=not since_start,
            )
            result.append(EmployerSummary(employer, summary))
        return result

    async def since_start(self, user: User) -> list[EmployerSummary]:
        """Each household from the day she started to today: what she is owed overall."""
        today = self.today(user)
        return await self.summaries(user, Period(today, today), since_start=True)

    @staticmethod
    def _work(entry: WorkEntry, tz: ZoneInfo) -> Work:
        return Work(
            entry.day,
            dt.timedelta(minutes=entry.worked_minutes),
            entry.start_at.astimezone(tz) if entry.start_at else None,
            entry.end_at.astimezone(tz) if entry.end_at else None,
        )

    async def settlement(self, user: User, ending: JobEnding) -> Settlement:
        """What she is owed if the job with this household ended as she said."""
        employer = await self.employer(user, ending.employer_id)
        agreement = agreement_of(employer)
        if ending.ended_on < agreement.starts:
            raise UserFacingError(N_("The job cannot end before the day you started."))
        book = self.rules(user)
        rules = book.on(ending.ended_on) if book else None
        terms = agreement.terms_on(ending.ended_on)
        year_ago = max(agreement.starts, ending.ended_on - dt.timedelta(days=364))
        record = next(
            (
                s.summary
                for s in await self.summaries(user, Period(year_ago, ending.ended_on))
                if s.employer.id == employer.id
            ),
            None,
        )
        daily, monthly = wage_basis(terms, rules, record)
        best_year = max(
            (
                t.amount
                for t in agreement.terms
                if t.unit == "month"
                and t.starts <= ending.ended_on
                and (t == terms or t.starts >= year_ago)
            ),
            default=monthly,
        )
        semester = dt.date(ending.ended_on.year, 1 if ending.ended_on.month <= 6 else 7, 1)
        best_semester = max(
            (
                t.amount
                for t in agreement.terms
                if t.unit == "month"
                and t.starts <= ending.ended_on
                and (t == agreement.terms_on(semester) or t.starts >= semester)
            ),
            default=monthly,
        )
        year_start = max(agreement.starts, dt.date(ending.ended_on.year, 1, 1))
        return settle(
            country(user.country).jurisdiction,
            ending.reason,
            agreement,
            ending.ended_on,
            daily_wage=daily,
            monthly_wage=monthly,
            best_monthly_last_year=best_year,
            best_monthly_semester=best_semester,
            days_worked_this_year=(ending.ended_on - year_start).days + 1,
            vacation_taken=ending.vacation_taken,
            exponent=currency_exponent(employer.currency),
        )

    async def endings(self, user: User) -> list[JobEnding]:
        return await self.store.endings(user.user_id)

    async def save_ending(self, user: User, ending: JobEnding) -> None:
        self.require_consent(user)
        await self.employer(user, ending.employer_id)
        await self.store.save_ending(user.user_id, ending, self._now())

    async def entries(
        self, user: User, period: Period
    ) -> tuple[list[WorkEntry], list[PaymentEntry]]:
        return (
            await self.store.work(user.user_id, period.start, period.end),
            await self.store.payments(user.user_id, period.start, period.end),
        )

    async def usual_shift(self, user: User, employer_id: int) -> tuple[dt.time, dt.time] | None:
        """Her most common start and end at this household in the last 90 days (the
        schedule she first logged if she has logged none with times since)."""
        employer = await self.employer(user, employer_id)
        today = self.today(user)
        work, _payments = await self.entries(user, Period(today - dt.timedelta(days=90), today))
        tz = self.timezone(user)
        times = Counter(
            (e.start_at.astimezone(tz).time(), e.end_at.astimezone(tz).time())
            for e in work
            if e.employer_id == employer.id and e.start_at and e.end_at
        )
        if times:
            # Most common first; among equals the latest logged (entries come oldest first).
            return max(times, key=lambda pair: times[pair])
        if employer.usual_start and employer.usual_end:
            return employer.usual_start, employer.usual_end
        return None

    def pay_presets(self, user: User, employer: Employer | None, unit: str) -> list[Decimal]:
        """Amounts she can tap for pay `unit`: her household's agreed pay (and half of it),
        else the legal minimum for that unit where the rules have one."""
        if employer is not None:
            terms = agreement_of(employer).terms[-1]
            agreed = terms.amount.normalize()
            return [agreed, (agreed / 2).quantize(Decimal("0.01")).normalize()]
        book = self.rules(user)
        minimum = book.on(self.today(user)).minimum_for(unit, False) if book else None
        return [minimum.amount] if minimum is not None else []

    async def export_csv(self, user: User, period: Period) -> bytes:
        """Every entry of the period, one row each, with when it was recorded and changed,
        and the end-of-job lines she asked for; headers in her language."""
        names = {e.id: e.nickname for e in await self.employers(user)}
        work, payments = await self.entries(user, period)
        return build_record_csv(
            names, work, payments, self.timezone(user), await self.settlements(user)
        )

    async def settlements(self, user: User) -> list[tuple[str, Settlement, str]]:
        """Each household she ran the end-of-job calculator for: (name, result, currency)."""
        result = []
        for ending in await self.endings(user):
            employer = await self.employer(user, ending.employer_id)
            try:
                settlement = await self.settlement(user, ending)
            except (UserFacingError, ValueError):
                continue  # the start date moved after the ending was saved, or the country
            result.append((employer.nickname, settlement, employer.currency))
        return result


def _local(moment: dt.datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M") if moment else ""


def validate_nickname(raw: str) -> str:
    nickname = " ".join(raw.split())
    if not 1 <= len(nickname) <= 40 or nickname.startswith("/"):
        raise UserFacingError(
            N_("Please send a short nickname (up to 40 letters), for example: Casa Azul")
        )
    return nickname


def parse_amount(raw: str, default_currency: str) -> tuple[Decimal, str]:
    """'450', '1.500,50', '1,500.50', '4870 HKD', 'quinientos' -> (amount, currency).

    The number itself is read by the one amount parser (bot.domain.numbers); this adds the
    currency she may write after it and the range the bot accepts.
    """
    parts = raw.replace("$", " ").replace("€", " ").split()
    currency = default_currency
    if len(parts) > 1 and len(parts[-1]) == 3 and parts[-1].isascii() and parts[-1].isalpha():
        currency = parts.pop().upper()
    try:
        amount = read_amount(" ".join(parts))
    except ValueError:
        raise UserFacingError(
            N_("Please write the amount as a number, for example: 1500")
        ) from None
    if not (Decimal(0) < amount < MAX_AMOUNT) or not amount.is_finite():
        raise UserFacingError(N_("Please write the amount as a number, for example: 1500"))
    if not is_currency(currency):
        raise UserFacingError(N_("I don't know the currency {code}."), code=currency)
    return amount, currency


def wage_basis(
    terms: Terms, rules: Rules | None, record: Summary | None
) -> tuple[Decimal | None, Decimal | None]:
    """Her pay per day and per month at the end of the job.

    Salaries: the law's divisor where there is one ([day_rate]), else a year's pay / 365.
    Hourly pay: her earnings in the last 12 months of her record, per day and per month.
    """
    if terms.unit == "month":
        daily = daily_value(terms, rules) if rules and rules.day_rate else terms.amount * 12 / 365
        return daily, terms.amount
    if terms.unit == "week":
        daily = daily_value(terms, rules) if rules and rules.day_rate else terms.amount / 7
        return daily, terms.amount * 52 / 12
    if record is None or record.due <= 0:
        return None, None
    days = (record.end - record.start).days + 1
    return record.earned / days, record.earned / days * 365 / 12
