"""The bot's Telegram Bot API calls, carried out on the WhatsApp Cloud API (through pywa).

`WhatsAppRequest` is a python-telegram-bot request backend, like the offline console's: the
real `Application` and every handler run unchanged, and each Bot API method they call
(sendMessage, sendVoice, editMessageText, getFile…) becomes the Cloud API call that does the
same on WhatsApp. Inbound, `WhatsAppInbox` turns webhook messages into Telegram updates.

- Chats: her user id (from `ChannelStore`, 2^53 and up) stands for her WhatsApp id.
- Message ids: WhatsApp's "wamid…" strings are hashed to stable integers, so a button
  press (which names the message it belonged to) reaches the handlers as a press on the
  same message id they sent, and double-tap protection keeps working across restarts.
- Keyboards: `convert.interactive` (3 buttons, or a list of 10 rows, paged beyond).
- Edits become new messages (WhatsApp cannot edit); deletions are refused (it cannot delete
  a business message), and "Clear this chat" says so.
- Files are uploaded once and reused by media id for 29 days (WhatsApp keeps them 30).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import mimetypes
import time
from collections import OrderedDict
from typing import Any

import httpx
from pywa_async import WhatsApp
from pywa_async.errors import WhatsAppError
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import RequestData

from bot.channels.offline_api import InProcessRequest, bot_api_call
from bot.channels.whatsapp import convert
from bot.domain.clock import Clock
from bot.storage.channels import ChannelStore

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"
BOT_USER = {"id": 1, "is_bot": True, "first_name": "dwbot", "username": "dwbot_whatsapp"}
MEDIA_FRESH = dt.timedelta(days=29)
FILE_PREFIX = "wa-media/"
_MEDIA_METHODS = {
    "sendVoice": ("voice", "audio"),
    "sendAudio": ("audio", "audio"),
    "sendDocument": ("document", "document"),
    "sendPhoto": ("photo", "image"),
}
_MIME = {"voice": "audio/ogg", "audio": "audio/ogg", "photo": "image/jpeg"}


def message_number(wamid: str) -> int:
    """A stable integer for a WhatsApp message id (48 bits of its hash)."""
    return int(hashlib.sha256(wamid.encode()).hexdigest()[:12], 16)


class RedirectTransport(httpx.AsyncBaseTransport):
    """pywa always talks to graph.facebook.com; this sends its requests to `base` instead (a
    fake Cloud API on 127.0.0.1 in tests), keeping the version path pywa adds."""

    def __init__(self, base: str, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.base = httpx.URL(base)
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "graph.facebook.com":
            request.url = request.url.copy_with(
                scheme=self.base.scheme, host=self.base.host, port=self.base.port
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def cloud_client(token: str, phone_id: str, base_url: str) -> WhatsApp:
    session = httpx.AsyncClient(transport=RedirectTransport(base_url), timeout=20.0)
    return WhatsApp(phone_id=phone_id, token=token, session=session, validate_updates=False)


class WhatsAppBridge:
    """Bot API methods done on the Cloud API; results shaped as the Bot API's."""

    def __init__(
        self, wa: WhatsApp, phone_id: str, store: ChannelStore | None, clock: Clock
    ) -> None:
        self.wa = wa
        self.phone_id = phone_id
        self.store = store
        self.clock = clock
        self._texts: OrderedDict[tuple[int, int], str] = OrderedDict()  # for markup edits
        self._pages: OrderedDict[str, tuple[str, list[convert.Choice]]] = OrderedDict()

    async def handle(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, Any]]:
        try:
            result = await self._call(method, params, files)
        except WhatsAppError as error:
            code = int(getattr(error, "code", 0) or 0)
            log.warning(
                "WhatsApp refused %s: code %s (%s)", method, code, getattr(error, "message", "")
            )
            # Throughput limits pause every send; every other refusal names its code, and the
            # WhatsApp lane turns it into its outcome (`outbound.WhatsAppOutbound`).
            status = 429 if code in (130429, 80007) else 400
            description = f"Bad Request: WhatsApp error {code}"
            if code == 131047:
                # Outside the 24-hour window: not a block (she can write again).
                description += ": outside the 24-hour window, waiting for her to write"
            elif code == 131026:
                description += ": undeliverable on WhatsApp"
            answer: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
            if status == 429:
                answer["parameters"] = {"retry_after": 6}
            return status, answer
        except LookupError as error:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"}
        return 200, {"ok": True, "result": result}

    async def _call(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in (
            "setMyCommands",
            "deleteMyCommands",
            "deleteWebhook",
            "sendChatAction",
            "answerCallbackQuery",
            "setChatMenuButton",
        ):
            return True
        if method == "deleteMessage":
            return False  # WhatsApp cannot delete a business message
        if method == "getFile":
            media_id = str(params["file_id"])
            return {
                "file_id": media_id,
                "file_unique_id": media_id,
                "file_path": FILE_PREFIX + media_id,
            }
        chat_id = int(params["chat_id"])
        to = await self._store().address(CHANNEL, chat_id)
        if to is None:
            raise LookupError("chat not found")
        if method in ("sendMessage", "editMessageText"):
            return await self._send_text(chat_id, to, str(params.get("text", "")), _markup(params))
        if method == "editMessageReplyMarkup":
            key = (chat_id, int(params["message_id"]))
            return await self._send_text(chat_id, to, self._texts.get(key, "…"), _markup(params))
        if method in _MEDIA_METHODS:
            return await self._send_media(method, chat_id, to, params, files)
        if method == "sendLocation":
            sent = await self._post(
                to,
                "location",
                {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])},
            )
            return self._message(chat_id, sent, "")
        raise LookupError(f"method {method} is not available on WhatsApp")

    # ---- sending ---------------------------------------------------------------------------
    async def _post(self, to: str, kind: str, body: dict[str, Any]) -> str:
        answer = await self.wa.api.send_message(
            sender=self.phone_id,
            to=to,
            recipient=None,
            recipient_type="individual",
            typ=kind,
            msg=body,
        )
        return str(answer["messages"][0]["id"])

    async def _send_text(
        self, chat_id: int, to: str, html_text: str, markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        text = convert.html_to_whatsapp(html_text)
        options = convert.choices(markup)
        parts = convert.split_text(text, convert.BODY_LIMIT if options else convert.TEXT_LIMIT)
        wamid = ""
        for part in parts[:-1]:
            wamid = await self._post(to, "text", {"body": part, "preview_url": False})
        if options:
            key = hashlib.sha256(f"{chat_id}:{time.time_ns()}".encode()).hexdigest()[:10]
            self._remember(self._pages, key, (parts[-1], options))
            wamid = await self._post(
                to, "interactive", convert.interactive(parts[-1], options, 0, key)
            )
        else:
            wamid = await self._post(to, "text", {"body": parts[-1], "preview_url": False})
        message = self._message(chat_id, wamid, html_text)
        self._remember(self._texts, (chat_id, message["message_id"]), html_text)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        return message

    async def send_template(self, chat_id: int, name: str, language_code: str) -> None:
        """A registered template (outside her 24-hour window): only its name and language."""
        to = await self._store().address(CHANNEL, chat_id)
        if to is None:
            raise LookupError("chat not found")
        await self._post(to, "template", {"name": name, "language": {"code": language_code}})

    async def more(self, chat_id: int, data: str) -> bool:
        """The "More" row of a long list: its next page. False if it is not one."""
        if not data.startswith(convert.MORE_PREFIX):
            return False
        key, _, page = data[len(convert.MORE_PREFIX) :].rpartition(":")
        found = self._pages.get(key)
        to = await self._store().address(CHANNEL, chat_id)
        if found is None or to is None or not page.isdigit():
            return True  # an old list: nothing to page
        body, options = found
        await self._post(to, "interactive", convert.interactive(body, options, int(page), key))
        return True

    async def _send_media(
        self,
        method: str,
        chat_id: int,
        to: str,
        params: dict[str, Any],
        files: dict[str, tuple[str, bytes]],
    ) -> dict[str, Any]:
        field, kind = _MEDIA_METHODS[method]
        value = str(params.get(field, ""))
        name = "file"
        if value.startswith("attach://"):
            name, content = files[value.removeprefix("attach://")]
            media_id = await self._upload(content, _mime(field, name), name)
        else:
            media_id = value  # a media id WhatsApp gave us (hers, or one we uploaded)
        body: dict[str, Any] = {"id": media_id}
        caption = convert.html_to_whatsapp(str(params.get("caption", "")))
        if kind == "document":
            body["filename"] = name
        rest: list[str] = []
        if caption and kind in ("document", "image"):
            # A caption longer than WhatsApp takes: its first part on the file, the rest as
            # text right after it, never cut off.
            first, *rest = convert.split_text(caption, convert.CAPTION_LIMIT)
            body["caption"] = first
        elif caption:  # a voice note has no caption on WhatsApp
            rest = convert.split_text(caption)
        wamid = await self._post(to, kind, body)
        for part in rest:
            await self._post(to, "text", {"body": part})
        message = self._message(chat_id, wamid, "")
        entry = {"file_id": media_id, "file_unique_id": media_id}
        message[field] = (
            [{**entry, "width": 1, "height": 1}]
            if field == "photo"
            else {
                **entry,
                **({"duration": 0} if field in ("voice", "audio") else {"file_name": name}),
            }
        )
        return message

    async def _upload(self, content: bytes, mime: str, name: str) -> str:
        digest = hashlib.sha256(content).hexdigest()
        now = self.clock.now()
        known = await self._store().media(digest, now - MEDIA_FRESH)
        if known is not None:
            return known
        answer = await self.wa.api.upload_media(
            phone_id=self.phone_id, media=content, mime_type=mime, filename=name
        )
        media_id = str(answer["id"])
        await self._store().remember_media(digest, media_id, now)
        return media_id

    async def download(self, media_id: str) -> bytes:
        info = await self.wa.api.get_media_url(media_id=media_id)
        return await self.wa.get_media_bytes(url=str(info["url"]))

    def _store(self) -> ChannelStore:
        if self.store is None:
            raise LookupError("the bridge is not started")
        return self.store

    def _message(self, chat_id: int, wamid: str, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_number(wamid),
            "date": int(self.clock.now().timestamp()),
            "chat": {"id": chat_id, "type": "private", "first_name": "·"},
            "from": BOT_USER,
        }
        if text:
            message["text"] = text
        return message

    @staticmethod
    def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int = 5000) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    raw = params.get("reply_markup")
    if raw is None:
        return None
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


def _mime(field: str, name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or _MIME.get(field, "application/octet-stream")


class WhatsAppRequest(InProcessRequest):
    """python-telegram-bot's request backend for the WhatsApp bridge."""

    def __init__(self, bridge: WhatsAppBridge) -> None:
        self.bridge = bridge

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if FILE_PREFIX in url:  # a file download: her voice note, photo or document
            media_id = url[url.index(FILE_PREFIX) + len(FILE_PREFIX) :]
            try:
                return 200, await self.bridge.download(media_id)
            except WhatsAppError:
                return 404, b"{}"
        api_method = url.rsplit("/", 1)[-1]
        params, files = bot_api_call(request_data)
        status, body = await self.bridge.handle(api_method, params, files)
        return status, json.dumps(body).encode()
