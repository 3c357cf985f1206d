"""Wiring: `build_application` is the one place that registers handlers and owns the lifecycle."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import callbacks, i18n
from bot.channels.reply_retry import ReplyRetry
from bot.channels.telegram_sender import telegram_sender
from bot.commands import COMMANDS
from bot.config import Settings
from bot.context import BotApplication, BotContext, BotData, Services
from bot.domain.clock import Clock, SystemClock, iso
from bot.domain.users import User
from bot.handlers import (
    cases,
    check,
    data,
    discreet,
    errors,
    fallback,
    flows,
    hours,
    listen,
    menu,
    news,
    onboarding,
    organisers,
    reminders,
    rights,
    settings,
    stats,
)
from bot.handlers.common import load_user
from bot.services.cases import CaseService
from bot.services.content import Library
from bot.services.delivery import DeliveryEngine
from bot.services.discreet import FLUSH_SECONDS, DiscreetService
from bot.services.episodes import AudioFiles
from bot.services.flows import FlowService
from bot.services.handbook import HandbookService
from bot.services.hours import HoursService
from bot.services.limits import ExpensiveWork
from bot.services.once import OnceService
from bot.services.organisers import (
    BroadcastService,
    MeetingService,
    RoleService,
)
from bot.services.reminders import ReminderService
from bot.services.rights_check import RightsCheckService
from bot.services.statement import StatementService
from bot.services.stats import StatsService
from bot.services.users import UserService
from bot.storage.actions import ActionStore
from bot.storage.audio import AudioStore
from bot.storage.cases import CaseStore
from bot.storage.chat_log import ChatLogStore
from bot.storage.conversations import ConversationStore
from bot.storage.database import Database
from bot.storage.hours import HoursStore
from bot.storage.organisers import OrganiserStore, Recipient
from bot.storage.outbox import OutboxStore
from bot.storage.reminders import ReminderStore
from bot.storage.rights_checks import RightsCheckStore
from bot.storage.stats import StatsStore
from bot.storage.users import UserStore

log = logging.getLogger(__name__)
CONSOLE_TOKEN = "0:offline-console"
SCHEDULED_CHECK_SECONDS = 10


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    start_background: bool = True,
    channel: str = "telegram",
    shared: BotApplication | None = None,
) -> BotApplication:
    """Build the bot. `request` replaces the network (the console and tests pass a fake);
    `start_background=False` leaves the delivery engine and scheduler to the caller (tests).

    `channel` names the delivery lane this bot sends on. With `shared` (an application
    already started), this one serves a second channel in the same process: the same
    database, scheduler and delivery engine (its channel adds its own lane)."""
    builder = (
        ApplicationBuilder()
        .token(settings.token or CONSOLE_TOKEN)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .post_init(
            _make_startup(settings, clock or SystemClock(), start_background, channel)
            if shared is None
            else _attach(shared)
        )
        .post_shutdown(_shutdown if shared is None else _detach)
        .concurrent_updates(True)
        .rate_limiter(ReplyRetry())  # a direct reply refused with 429 is sent again
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: BotApplication = builder.build()
    _register_handlers(application)
    return application


def _register_handlers(app: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    router = menu.MenuRouter()
    router.route("settings", settings.show_settings)
    router.route("rights", rights.show_topics)
    router.route("hours", hours.show_hours)
    router.route("news", news.show_news)
    router.route("reminders", reminders.show_reminders)
    router.route("listen", listen.show_episodes)
    router.route("ask", cases.show_intro)
    router.check_complete()
    declared = flows.Flows(
        [
            *hours.FLOWS,
            *reminders.FLOWS,
            *organisers.FLOWS,
            *listen.FLOWS,
            *cases.FLOWS,
        ]
    )
    # Free text: the step of the flow she is in, else entries, a rights question last.
    text_router = fallback.TextRouter(
        [
            cases.urgent_first,  # danger: her country's contacts before anything else
            declared.on_text,
            reminders.interpret_text,
            hours.interpret_text,
            news.join_tag,
            menu.small_talk,
            rights.answer_question,
        ]
    )

    # Groups -2 and -1 run first for every update: load the user (and her flow) and set the
    # language; then leave the flow if this update is a way out of it.
    app.add_handler(TypeHandler(Update, load_user), group=-2)
    app.add_handler(TypeHandler(Update, declared.leave_on_exit), group=-1)

    handlers: list[Any] = [
        # Commands, in /help order.
        CommandHandler("start", onboarding.start, filters=private),
        CommandHandler("menu", menu.menu_command, filters=private),
        CommandHandler("help", menu.help_command, filters=private),
        CommandHandler("cancel", flows.cancel_command, filters=private),
        CommandHandler("hours", hours.hours_command, filters=private),
        CommandHandler("export", hours.export_command, filters=private),
        CommandHandler("handbook", rights.handbook_command, filters=private),
        CommandHandler("check", check.check_command, filters=private),
        CommandHandler("ask", cases.ask_command, filters=private),
        CommandHandler("clear", discreet.clear_command, filters=private),
        CommandHandler("stop", news.stop_command, filters=private),
        CommandHandler("timezone", reminders.timezone_command, filters=private),
        CommandHandler("language", onboarding.language_command, filters=private),
        CommandHandler("country", onboarding.country_command, filters=private),
        CommandHandler("privacy", onboarding.privacy_command, filters=private),
        CommandHandler("mydata", data.mydata_command, filters=private),
        CommandHandler("delete", data.delete_command, filters=private),
        CommandHandler("join", organisers.join_command, filters=private),
        # Organiser and admin commands: each checks the role itself.
        CommandHandler("announce", organisers.announce_command, filters=private),
        CommandHandler("broadcasts", organisers.broadcasts_command, filters=private),
        CommandHandler("meeting", organisers.meeting_command, filters=private),
        CommandHandler("meetings", organisers.meetings_command, filters=private),
        CommandHandler("episode", listen.episode_command, filters=private),
        CommandHandler("stats", stats.stats_command, filters=private),
        CommandHandler("invite", organisers.invite_command, filters=private),
        CommandHandler("cases", cases.cases_command, filters=private),
        # Inline buttons, routed by the codec's action name.
        CallbackQueryHandler(onboarding.on_begin, pattern=callbacks.pattern("begin")),
        CallbackQueryHandler(onboarding.on_language, pattern=callbacks.pattern("lang")),
        CallbackQueryHandler(onboarding.on_country, pattern=callbacks.pattern("country")),
        CallbackQueryHandler(onboarding.on_region, pattern=callbacks.pattern("region")),
        CallbackQueryHandler(onboarding.on_zone, pattern=callbacks.pattern("zone")),
        CallbackQueryHandler(onboarding.on_consent, pattern=callbacks.pattern("consent")),
        CallbackQueryHandler(onboarding.on_privacy_done, pattern=callbacks.pattern("privacy_done")),
        CallbackQueryHandler(settings.on_settings, pattern=callbacks.pattern("settings")),
        CallbackQueryHandler(data.on_erase, pattern=callbacks.pattern("erase")),
        CallbackQueryHandler(rights.on_topics, pattern=callbacks.pattern("topics")),
        CallbackQueryHandler(rights.on_topic, pattern=callbacks.pattern("topic")),
        CallbackQueryHandler(rights.on_sources, pattern=callbacks.pattern("sources")),
        CallbackQueryHandler(rights.on_handbook, pattern=callbacks.pattern("handbook")),
        CallbackQueryHandler(check.on_check, pattern=callbacks.pattern("chk")),
        CallbackQueryHandler(check.on_back, pattern=callbacks.pattern("chkback")),
        CallbackQueryHandler(check.on_save, pattern=callbacks.pattern("chksave")),
        CallbackQueryHandler(cases.on_ask, pattern=callbacks.pattern("ask")),
        CallbackQueryHandler(discreet.on_hide, pattern=callbacks.pattern("hide")),
        CallbackQueryHandler(discreet.on_discreet, pattern=callbacks.pattern("discreet")),
        CallbackQueryHandler(discreet.on_reveal, pattern=callbacks.pattern("reveal")),
        CallbackQueryHandler(cases.on_case, pattern=callbacks.pattern("case")),
        CallbackQueryHandler(hours.on_button, pattern=callbacks.pattern("h")),
        CallbackQueryHandler(news.on_subscription, pattern=callbacks.pattern("sub")),
        CallbackQueryHandler(news.on_tag, pattern=callbacks.pattern("tag")),
        CallbackQueryHandler(news.on_stop, pattern=callbacks.pattern("stop")),
        CallbackQueryHandler(news.on_rsvp, pattern=callbacks.pattern("rsvp")),
        CallbackQueryHandler(organisers.on_button, pattern=callbacks.pattern("org")),
        CallbackQueryHandler(reminders.on_button, pattern=callbacks.pattern("rem")),
        CallbackQueryHandler(listen.on_episode, pattern=callbacks.pattern("ep")),
        CallbackQueryHandler(listen.on_transcript, pattern=callbacks.pattern("ept")),
        CallbackQueryHandler(listen.on_upload_language, pattern=callbacks.pattern("epl")),
        # Main-menu buttons arrive as text in any language.
        MessageHandler(private & menu.MENU_BUTTON & filters.UpdateType.MESSAGE, router),
        # Fallbacks last: order matters, the first match wins.
        MessageHandler(filters.UpdateType.EDITED, fallback.edited_message),
        MessageHandler(private & filters.COMMAND, fallback.unknown_command),
        MessageHandler(private & filters.TEXT, text_router),
        MessageHandler(
            private
            & (
                filters.PHOTO
                | filters.VOICE
                | filters.AUDIO
                | filters.Document.ALL
                | filters.LOCATION
            ),
            fallback.MediaRouter([declared.on_media, cases.media_outside_a_flow]),
        ),
        MessageHandler(private & ~filters.TEXT, fallback.unsupported_media),
        CallbackQueryHandler(fallback.stale_button),
    ]
    app.add_handlers(handlers)
    app.add_error_handler(errors.on_error)


def _attach(primary: BotApplication) -> Any:
    async def startup(app: BotApplication) -> None:
        services = primary.bot_data.services
        assert services is not None, "start the first channel before the second"
        app.bot_data.services = services
        limiter = app.bot.rate_limiter
        if isinstance(limiter, ReplyRetry):
            limiter.on_sent = services.discreet.remember

    return startup


async def _detach(app: BotApplication) -> None:
    app.bot_data.services = None  # the first channel's shutdown closes what they share


def _make_startup(settings: Settings, clock: Clock, start_background: bool, channel: str) -> Any:
    async def startup(app: BotApplication) -> None:
        settings.ensure_data_dir()
        db = await Database.open(settings.database_path)
        users = UserService(UserStore(db), clock, settings.admin_ids, settings.default_locale)
        library = Library.load(cache_dir=settings.data_dir / "cache")
        outbox = OutboxStore(db)
        discreet_service = DiscreetService(ChatLogStore(db), users, clock, outbox)
        audio_files = AudioFiles(AudioStore(db), clock)
        engine = DeliveryEngine(
            outbox,
            telegram_sender(app.bot, audio_files),
            clock,
            settings.broadcast_rate,
            prepare=discreet_service.prepare,
            channel=channel,
        )
        organiser_store = OrganiserStore(db)
        broadcasts = BroadcastService(organiser_store, outbox, clock, engine.wake)
        hours = HoursService(HoursStore(db), library, clock)
        roles = RoleService(organiser_store, clock, users)
        services = Services(
            settings=settings,
            clock=clock,
            db=db,
            users=users,
            library=library,
            handbooks=HandbookService(library, settings.data_dir / "handbooks"),
            hours=hours,
            rights_check=RightsCheckService(RightsCheckStore(db, clock), hours, library),
            once=OnceService(ActionStore(db), clock),
            expensive=ExpensiveWork(clock),
            flows=FlowService(
                ConversationStore(db, clock),
                clock,
                dt.timedelta(minutes=settings.flow_timeout_minutes),
            ),
            statements=StatementService(library, clock),
            stats=StatsService(StatsStore(db), library, clock),
            organisers=organiser_store,
            roles=roles,
            outbox=outbox,
            broadcasts=broadcasts,
            meetings=MeetingService(organiser_store, outbox, clock, broadcasts),
            delivery=engine,
            reminders=ReminderService(ReminderStore(db), outbox, clock, broadcasts.posting),
            audio=audio_files,
            episodes=[],
            cases=CaseService(
                CaseStore(db),
                clock,
                settings.data_dir / "cases",
                roles,
                users,
                broadcasts.posting,
                settings.case_retention_days,
            ),
            discreet=discreet_service,
        )
        await services.reload_episodes()
        app.bot_data.services = services
        limiter = app.bot.rate_limiter
        if isinstance(limiter, ReplyRetry):  # every message sent, noted for "Clear this chat"
            limiter.on_sent = discreet_service.remember
        engine.on_blocked.append(users.mark_blocked)
        engine.on_batch_progress.append(lambda batch: _report(services, batch))
        engine.on_campaign_stopped.append(lambda batch, why: _stopped(services, batch, why))
        if start_background:
            # The command menus are for her phone's "/" list, not for answering: the first
            # poll does not wait for fourteen setMyCommands calls.
            task = asyncio.create_task(_register_commands(app), name="register-commands")
            _BACKGROUND.add(task)
            task.add_done_callback(_BACKGROUND.discard)
        else:
            await _register_commands(app)
        if start_background:
            engine.start()
            scheduler = AsyncIOScheduler(timezone="UTC")
            # One scheduler for the whole bot. The database is the source of truth for what
            # is scheduled; this job only looks for what is due, so nothing is lost or
            # repeated across restarts (APScheduler's own job store is not persisted).
            scheduler.add_job(
                due_work,
                "interval",
                seconds=SCHEDULED_CHECK_SECONDS,
                args=[services],
                id="due-work",
                max_instances=1,
                coalesce=True,
                next_run_time=dt.datetime.now(dt.UTC),
            )
            scheduler.add_job(
                services.discreet.flush,
                "interval",
                seconds=FLUSH_SECONDS,
                id="chat-log-flush",
                max_instances=1,
                coalesce=True,
            )
            # Once a day: each helper on duty hears what waits, and closed help requests past
            # the retention period are deleted with their files (both safe to repeat).
            scheduler.add_job(
                daily_cases,
                "cron",
                hour=8,
                args=[services],
                id="cases-daily",
                max_instances=1,
                coalesce=True,
            )
            scheduler.start()
            app.bot_data.scheduler = scheduler

    return startup


async def due_work(services: Services) -> None:
    """Queue what has come due: scheduled broadcasts and reminders (also those missed while
    the bot was down, within their grace window)."""
    try:
        for broadcast_id in await services.organisers.due_scheduled(iso(services.clock.now())):
            await organisers.send_broadcast(services, broadcast_id)
        queued, _dropped = await services.reminders.fire_due()
    except asyncio.CancelledError:
        # The bot is stopping during a check: each step is its own transaction, so nothing
        # is half-done, and the next start looks again. Not an error worth a traceback.
        log.info("due-work check stopped by shutdown")
        return
    if queued:
        services.delivery.wake()


async def daily_cases(services: Services) -> None:
    try:
        await services.discreet.prune()
        await services.cases.purge()
        await services.cases.daily_summary()
    except asyncio.CancelledError:
        log.info("daily cases job stopped by shutdown")


async def _stopped(services: Services, batch_id: int, why: str) -> None:
    """The channel stopped a campaign (WhatsApp's spam limit): its organiser hears why."""
    broadcast = await services.broadcasts.get(batch_id)
    counts = await services.outbox.batch_counts(batch_id)
    organiser = await services.users.get(broadcast.user_id)
    locale = organiser.locale if organiser else services.settings.default_locale
    with i18n.using(locale):
        text = i18n._(
            "⛔ Announcement #{id} was stopped: WhatsApp limits messages that people report as"
            " spam. {cancelled} were not sent. Send announcements only to workers who asked"
            " for them."
        ).format(id=broadcast.id, cancelled=counts.get("cancelled", 0))
    await _tell_organiser(services, broadcast.user_id, organiser, text, f"r{broadcast.id}:stopped")


async def _tell_organiser(
    services: Services, user_id: int, organiser: User | None, text: str, key: str
) -> None:
    """A report to the organiser, through the outbox (on her own channel), once per key."""
    recipient = Recipient(
        user_id,
        organiser.locale if organiser else services.settings.default_locale,
        organiser.timezone if organiser else None,
        organiser.country if organiser else None,
    )
    posting = services.broadcasts.posting
    await posting.post(
        [
            posting.message(
                recipient, "report", "sendMessage", {"chat_id": user_id, "text": text}, key
            )
        ]
    )


async def _report(services: Services, batch_id: int) -> None:
    """Progress at each quarter of a long send, and one final delivery report."""
    event = await services.broadcasts.progress_event(batch_id)
    if event is None:
        return
    kind, broadcast, counts = event
    organiser = await services.users.get(broadcast.user_id)
    with i18n.using(organiser.locale if organiser else services.settings.default_locale):
        if kind != "done":
            template = i18n._("📤 Sending #{id}: {sent} of {total} sent so far.")
        elif counts.get("held", 0):
            template = i18n._(
                "📊 Delivery report #{id}: sent {sent}, failed {failed}, blocked {blocked},"
                " waiting for them to write on WhatsApp {held}."
            )
        else:
            template = i18n._(
                "📊 Delivery report #{id}: sent {sent}, failed {failed}, blocked {blocked}."
            )
        text = template.format(
            id=broadcast.id,
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            blocked=counts.get("blocked", 0),
            held=counts.get("held", 0),
            total=broadcast.recipients,
        )
    await _tell_organiser(
        services,
        broadcast.user_id,
        organiser,
        text,
        f"r{broadcast.id}:{kind}:{counts.get('sent', 0)}",
    )


_BACKGROUND: set[asyncio.Task[None]] = set()  # start-up work that runs beside polling


async def _register_commands(app: BotApplication) -> None:
    """setMyCommands in every language; offline, the bot still runs and tries next start."""
    assert app.bot_data.services is not None
    default = app.bot_data.services.settings.default_locale
    try:
        for locale in i18n.AVAILABLE_LOCALES:
            with i18n.using(locale):
                commands = [
                    BotCommand(c.name, i18n._(c.description)) for c in COMMANDS if not c.role
                ]
            await app.bot.set_my_commands(commands, language_code=locale)
            if locale == default:  # for users whose language the bot does not speak
                await app.bot.set_my_commands(commands)
    except TelegramError as exc:
        log.warning("could not register the command list: %s", type(exc).__name__)


async def _shutdown(app: BotApplication) -> None:
    for task in list(_BACKGROUND):
        task.cancel()
    scheduler = app.bot_data.scheduler
    if scheduler is not None:
        scheduler.shutdown(wait=False)
        app.bot_data.scheduler = None
    services = app.bot_data.services
    if services is not None:
        await services.delivery.stop()
        await services.discreet.flush()  # the last noted message ids, for "Clear this chat"
        await services.db.close()
        app.bot_data.services = None
