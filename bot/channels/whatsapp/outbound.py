"""What the delivery engine sends on WhatsApp, under WhatsApp's rules.

- The 24-hour window: a business may send free-form messages only within 24 hours of her
  last message. Outside it, the message is held ('held', "waiting for her to write") and,
  when a template is configured for its kind and language (content/whatsapp/templates.toml),
  that short notice is sent once: she taps Read or writes, her window opens, and what waits
  for her goes out (`WhatsAppInbox` releases it).
- Error codes (Cloud API) to outcomes: 131047 re-engagement -> held (with the template);
  130429 and 80007 throughput -> pause everything (RateLimited, mapped by the bridge);
  131056 too many to one user -> only hers wait (Backoff); 131048 spam limit -> the campaign
  stops and its organiser is told (StopCampaign); 131026 undeliverable -> failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.clock import Clock
from bot.domain.content import load_toml
from bot.services.delivery import Backoff, Held, Rejected, Sender, StopCampaign
from bot.storage.channels import ChannelStore
from bot.storage.outbox import OutboxStore, QueuedMessage

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"
WINDOW = dt.timedelta(hours=24)
RATE = 80.0  # messages a second per business number (Cloud API's default throughput)
PER_USER_INTERVAL = 6.0  # about one message every 6 seconds to the same user
PAIR_BACKOFF_SECONDS = 6.0
WAITING = "waiting for her to write"  # shown in delivery reports as such
TEMPLATES_FILE = Path(__file__).resolve().parents[3] / "content" / "whatsapp" / "templates.toml"
_CODE_RE = re.compile(r"WhatsApp error (\d+)", re.IGNORECASE)
KINDS = ("announcement", "meeting", "reminder", "message")


@dataclass(frozen=True)
class Template:
    name: str
    code: str  # Meta's language code
    text: str
    button: str


def template_kind(outbox_kind: str) -> str:
    if outbox_kind.startswith("meeting"):
        return "meeting"
    if outbox_kind in ("announcement", "reminder"):
        return outbox_kind
    return "message"


def load_templates(path: Path = TEMPLATES_FILE) -> dict[tuple[str, str], Template]:
    """(kind, language) -> template. A missing file means no templates: messages wait."""
    if not path.is_file():
        return {}
    data = load_toml(path.read_text("utf-8"), str(path))
    found: dict[tuple[str, str], Template] = {}
    for kind in KINDS:
        table = data.get(kind, {})
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name:
            continue
        for language, entry in table.items():
            if isinstance(entry, dict) and {"code", "text", "button"} <= entry.keys():
                found[(kind, language)] = Template(
                    name, str(entry["code"]), str(entry["text"]), str(entry["button"])
                )
    return found


class WhatsAppOutbound:
    """The engine's WhatsApp lane: its gate (the window) and its sender (error codes)."""

    def __init__(
        self,
        inner: Sender,
        store: ChannelStore,
        outbox: OutboxStore,
        clock: Clock,
        templates: dict[tuple[str, str], Template],
        post_template: Any,  # async (user_id, Template) -> None, the bridge's
        locale_of: Any,  # async (user_id) -> str
    ) -> None:
        self.inner = inner
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.templates = templates
        self.post_template = post_template
        self.locale_of = locale_of
        self._kinds: dict[int, str] = {}  # the kind being sent to each user (one at a time)

    async def gate(self, message: QueuedMessage) -> None:
        """Before each send: outside her window it is held (and she gets the notice once)."""
        self._kinds[message.user_id] = message.kind
        wrote = await self.store.last_wrote(CHANNEL, message.user_id)
        if wrote is not None and self.clock.now() - wrote < WINDOW:
            return
        await self._notice(message.user_id, message.kind)
        raise Held(WAITING)

    async def _notice(self, user_id: int, kind: str) -> None:
        """The template for what waits, once while anything waits for her."""
        if await self.outbox.holds_for(user_id):
            return
        template = self.templates.get((template_kind(kind), await self.locale_of(user_id)))
        if template is None:
            return
        try:
            await self.post_template(user_id, template)
        except Exception as error:  # an unregistered template: she still waits
            log.warning("WhatsApp template %s not sent: %s", template.name, type(error).__name__)

    def sender(self) -> Sender:
        async def send(method: str, payload: dict[str, Any]) -> int | None:
            try:
                return await self.inner(method, payload)
            except Rejected as rejected:
                match = _CODE_RE.search(str(rejected))
                code = int(match.group(1)) if match else 0
                if code == 131047:  # her window had closed after all
                    user_id = int(payload.get("chat_id", 0))
                    await self._notice(user_id, self._kinds.get(user_id, "message"))
                    raise Held(WAITING) from rejected
                if code == 131056:
                    raise Backoff(PAIR_BACKOFF_SECONDS) from rejected
                if code == 131048:
                    raise StopCampaign("WhatsApp spam limit (131048)") from rejected
                raise

        return send
