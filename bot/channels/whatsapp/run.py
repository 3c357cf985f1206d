"""`python -m bot` with WHATSAPP_ACCESS_TOKEN set: the bot on WhatsApp, serving webhooks, and
on Telegram as well when TELEGRAM_BOT_TOKEN is set: one process, one database, one scheduler
and one delivery engine, with a lane per channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn
from telegram import Update

from bot.channels.telegram_sender import telegram_sender
from bot.channels.whatsapp import outbound
from bot.channels.whatsapp.bridge import WhatsAppBridge, WhatsAppRequest, cloud_client
from bot.channels.whatsapp.inbox import WhatsAppInbox
from bot.channels.whatsapp.server import make_server
from bot.config import Settings
from bot.context import BotApplication
from bot.domain.clock import Clock, SystemClock
from bot.storage.channels import ChannelStore

log = logging.getLogger(__name__)


class WhatsAppChannel:
    """The real Application on the WhatsApp bridge, and its webhook server. With `shared`
    (a started application of another channel), it uses that one's services."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        start_background: bool = True,
        shared: BotApplication | None = None,
    ) -> None:
        from bot.app import build_application

        assert settings.whatsapp_token and settings.whatsapp_phone_id
        self.settings = settings
        self.clock = clock or SystemClock()
        wa = cloud_client(
            settings.whatsapp_token, settings.whatsapp_phone_id, settings.whatsapp_api_base_url
        )
        self.bridge = WhatsAppBridge(wa, settings.whatsapp_phone_id, None, self.clock)
        self.app: BotApplication = build_application(
            settings,
            request=WhatsAppRequest(self.bridge),
            clock=self.clock,
            start_background=start_background,
            channel=outbound.CHANNEL,
            shared=shared,
        )
        self.inbox: WhatsAppInbox | None = None
        self.outbound: outbound.WhatsAppOutbound | None = None

    async def start(self) -> WhatsAppInbox:
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        services = self.app.bot_data.services
        assert services is not None
        store = ChannelStore(services.db)
        self.bridge.store = store

        async def locale_of(user_id: int) -> str:
            user = await services.users.get(user_id)
            return user.locale if user is not None else services.settings.default_locale

        async def post_template(user_id: int, template: outbound.Template) -> None:
            await self.bridge.send_template(user_id, template.name, template.code)

        self.outbound = outbound.WhatsAppOutbound(
            telegram_sender(self.app.bot, services.audio),
            store,
            services.outbox,
            self.clock,
            outbound.load_templates(),
            post_template,
            locale_of,
        )
        services.delivery.add_lane(
            outbound.CHANNEL,
            self.outbound.sender(),
            outbound.RATE,
            outbound.PER_USER_INTERVAL,
            gate=self.outbound.gate,
        )
        self.inbox = WhatsAppInbox(self.app, self.bridge, store, self.clock)
        resumed = await self.inbox.resume()
        if resumed:
            log.info("whatsapp: handling %d messages kept before the restart", resumed)
        return self.inbox

    def server(self):  # type: ignore[no-untyped-def]
        assert self.inbox is not None
        assert self.settings.whatsapp_app_secret and self.settings.whatsapp_verify_token
        return make_server(
            self.inbox, self.settings.whatsapp_app_secret, self.settings.whatsapp_verify_token
        )

    async def stop(self) -> None:
        if self.inbox is not None:
            await self.inbox.drain()
        if self.app.post_shutdown is not None:
            await self.app.post_shutdown(self.app)
        await self.app.shutdown()


async def serve(settings: Settings) -> None:
    telegram: BotApplication | None = None
    if settings.token:  # Telegram too: it owns the shared services, WhatsApp adds its lane
        from bot.app import build_application

        telegram = build_application(settings)
        await telegram.initialize()
        assert telegram.post_init is not None
        await telegram.post_init(telegram)
        assert telegram.updater is not None
        await telegram.updater.start_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
        await telegram.start()
    channel = WhatsAppChannel(settings, shared=telegram)
    await channel.start()
    config = uvicorn.Config(
        channel.server(), host=settings.http_host, port=settings.http_port, log_level="warning"
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await channel.stop()
        if telegram is not None:
            with contextlib.suppress(Exception):
                if telegram.updater is not None:
                    await telegram.updater.stop()
                await telegram.stop()
            if telegram.post_shutdown is not None:
                await telegram.post_shutdown(telegram)
            await telegram.shutdown()


def run_whatsapp(settings: Settings) -> int:
    asyncio.run(serve(settings))
    return 0
