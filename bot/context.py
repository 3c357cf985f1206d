"""Typed python-telegram-bot context: handlers reach services through `context.services`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.domain.clock import Clock
from bot.domain.flows import Flow
from bot.domain.users import User
from bot.services.cases import CaseService
from bot.services.content import Library
from bot.services.delivery import DeliveryEngine
from bot.services.discreet import DiscreetService
from bot.services.episodes import AudioFiles, Episode, episodes_with_recorded
from bot.services.flows import FlowService
from bot.services.handbook import HandbookService
from bot.services.hours import HoursService
from bot.services.limits import ExpensiveWork
from bot.services.once import OnceService
from bot.services.organisers import BroadcastService, MeetingService, RoleService
from bot.services.reminders import ReminderService
from bot.services.rights_check import RightsCheckService
from bot.services.statement import StatementService
from bot.services.stats import StatsService
from bot.services.users import UserService
from bot.storage.database import Database
from bot.storage.organisers import OrganiserStore
from bot.storage.outbox import OutboxStore


@dataclass
class Services:
    """Everything the handlers use, opened in post_init and closed in post_shutdown."""

    settings: Settings
    clock: Clock
    db: Database
    users: UserService
    library: Library
    handbooks: HandbookService
    hours: HoursService
    flows: FlowService
    organisers: OrganiserStore
    roles: RoleService
    outbox: OutboxStore
    broadcasts: BroadcastService
    meetings: MeetingService
    delivery: DeliveryEngine
    reminders: ReminderService
    audio: AudioFiles
    episodes: list[Episode]
    once: OnceService
    expensive: ExpensiveWork

    async def reload_episodes(self) -> None:
        """The shipped catalogue plus the episodes organisers recorded."""
        self.episodes = episodes_with_recorded(await self.audio.recorded())

    statements: StatementService
    stats: StatsService
    rights_check: RightsCheckService
    cases: CaseService
    discreet: DiscreetService


class BotData:
    """The application's `bot_data`: one slot for the services."""

    services: Services | None = None
    scheduler: Any = None  # APScheduler's AsyncIOScheduler, started in post_init


class BotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], BotData]):
    """Context with the services, the current worker and the flow she is in (both loaded
    once per update, in one statement)."""

    worker: User | None = None
    flow: Flow | None = None  # the task in progress, None if none or it timed out
    left_flow: Flow | None = None  # the flow this update took her out of (/cancel says so)

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are opened in post_init; the application is not started")
        return services


BotApplication = Application[ExtBot[int], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
