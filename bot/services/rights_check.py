"""The rights check ("Is this right?"): the rules of her country, what her record answers,
and saving a finished check to her record when she asks to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.countries import country
from bot.domain.rights_check import (
    QUESTIONS,
    CheckRules,
    Finding,
    Record,
    answer_for,
    findings,
    is_finished,
)
from bot.domain.rules import Rules, Sourced
from bot.domain.users import User
from bot.services.content import Library
from bot.services.hours import HoursService, Period, agreement_of
from bot.storage.rights_checks import RightsCheckStore

RECORD_WEEKS = 4  # her hours are averaged over the last four full weeks


@dataclass(frozen=True)
class CheckContext:
    """Everything a screen of the check needs, for one worker on one day."""

    jurisdiction: str
    check: CheckRules
    rules: Rules
    weekly_rest: Sourced  # her country's, or the ILO minimum where it has none
    rest_is_international: bool
    record: Record


class RightsCheckService:
    def __init__(self, store: RightsCheckStore, hours: HoursService, library: Library) -> None:
        self.store = store
        self.hours = hours
        self.library = library

    def jurisdiction(self, user: User) -> str:
        jurisdiction = country(user.country).jurisdiction
        return jurisdiction if jurisdiction in self.library.checks else "ilo"

    async def context(self, user: User) -> CheckContext:
        jurisdiction = self.jurisdiction(user)
        today = self.hours.today(user)
        rules = self.library.rules[jurisdiction].on(today)
        rest = rules.weekly_rest
        international = rest is None
        if rest is None:
            rest = self.library.rules["ilo"].on(today).weekly_rest
        assert rest is not None, "the ILO baseline states the weekly rest (C189 art. 10)"
        return CheckContext(
            jurisdiction,
            self.library.checks[jurisdiction],
            rules,
            rest,
            international,
            await self.record(user, rules),
        )

    async def record(self, user: User, rules: Rules) -> Record:
        """Her average week over the last four full weeks she logged, and her lowest agreed
        hourly pay in the country's currency (what the check compares with the law)."""
        today = self.hours.today(user)
        monday = today - dt.timedelta(days=today.weekday())
        period = Period(monday - dt.timedelta(weeks=RECORD_WEEKS), monday - dt.timedelta(days=1))
        work, _payments = await self.hours.entries(user, period)
        weeks = {e.day - dt.timedelta(days=e.day.weekday()) for e in work}
        weekly: Decimal | None = None
        if weeks:
            minutes = sum(e.worked_minutes for e in work)
            weekly = (Decimal(minutes) / 60 / len(weeks)).quantize(Decimal("0.1"))
        hourly = [
            terms.amount
            for employer in await self.hours.employers(user)
            if (terms := agreement_of(employer).terms[-1]).unit == "hour"
            and terms.currency == rules.currency
            and not terms.live_in
        ]
        return Record(
            weekly_hours=weekly,
            weeks=len(weeks),
            hourly_pay=min(hourly) if hourly else None,
            currency=rules.currency or "",
        )

    @staticmethod
    def fill(context: CheckContext, answers: str) -> str:
        """Her answers, with the questions the bot answers itself filled in after them."""
        while len(answers) < len(QUESTIONS):
            own = answer_for(QUESTIONS[len(answers)], context.rules, context.record)
            if own is None:
                break
            answers += own
        return answers

    @staticmethod
    def result(context: CheckContext, answers: str) -> list[Finding]:
        return findings(context.check, context.rules, context.weekly_rest, answers, context.record)

    async def save(self, user: User, answers: str) -> bool:
        if not is_finished(answers):
            raise ValueError("only a finished check is saved")
        self.hours.require_consent(user)
        return await self.store.save(
            user.user_id, self.hours.today(user), self.jurisdiction(user), answers
        )
