"""`python -m bot` with WHATSAPP_ACCESS_TOKEN set: the bot on WhatsApp, serving webhooks."""

from __future__ import annotations

import asyncio
import logging

import uvicorn

from bot.channels.whatsapp.bridge import WhatsAppBridge, WhatsAppRequest, cloud_client
from bot.channels.whatsapp.inbox import WhatsAppInbox
from bot.channels.whatsapp.server import make_server
from bot.config import Settings
from bot.context import BotApplication
from bot.domain.clock import Clock, SystemClock
from bot.storage.channels import ChannelStore

log = logging.getLogger(__name__)


class WhatsAppChannel:
    """The real Application on the WhatsApp bridge, and its webhook server."""

    def __init__(
        self, settings: Settings, clock: Clock | None = None, start_background: bool = True
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
        )
        self.inbox: WhatsAppInbox | None = None

    async def start(self) -> WhatsAppInbox:
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        services = self.app.bot_data.services
        assert services is not None
        store = ChannelStore(services.db)
        self.bridge.store = store
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
    channel = WhatsAppChannel(settings)
    await channel.start()
    config = uvicorn.Config(
        channel.server(), host=settings.http_host, port=settings.http_port, log_level="warning"
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await channel.stop()


def run_whatsapp(settings: Settings) -> int:
    asyncio.run(serve(settings))
    return 0
