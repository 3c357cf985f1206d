"""An in-process stand-in for the Telegram Bot API.

It answers the Bot API methods the bot uses, remembers what the bot sent to each chat, and
builds the updates a user would cause (a text, a button press, a file). The offline console,
the tests and the loopback HTTP fake all use it, so every channel runs the same real
python-telegram-bot `Application` with no network.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

JSON = dict[str, Any]
BOT_USER: JSON = {"id": 100000001, "is_bot": True, "first_name": "DWBot", "username": "dwbot"}
# A hook may answer a call itself (e.g. 429 or 500) by returning (status, body); None passes.
FaultHook = Callable[[str, JSON], tuple[int, JSON] | None]

_MEDIA_KINDS = ("document", "voice", "audio", "photo", "video")


@dataclass
class Sent:
    """One message as the user's phone would show it."""

    chat_id: int
    message_id: int
    method: str
    text: str = ""
    reply_markup: JSON | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    params: JSON = field(default_factory=dict)

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """(label, callback data) of every button, inline or reply keyboard, in order."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        found: list[tuple[str, str | None]] = []
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    found.append((button, None))
                else:
                    found.append((button.get("text", ""), button.get("callback_data")))
        return found

    @property
    def is_inline(self) -> bool:
        return bool(self.reply_markup and "inline_keyboard" in self.reply_markup)


class OfflineBotAPI:
    """The fake Bot API's state: chats, messages, files and pending updates (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, JSON]] = []
        self.files: dict[str, bytes] = {}  # file_path -> content
        self.file_paths: dict[str, str] = {}  # file_id -> file_path
        self.pending_updates: list[JSON] = []
        self.blocked: set[int] = set()  # users who blocked the bot: sends get 403
        self.fault: FaultHook | None = None
        self.listeners: list[Callable[[Sent], None]] = []  # told of every message sent
        self._updates_ready = threading.Condition(self._lock)

    # ---- what the bot calls ---------------------------------------------------------------
    def handle(
        self, method: str, params: JSON, files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, JSON]:
        # An uploaded file arrives only as a multipart part named after its parameter.
        for name in files or {}:
            params.setdefault(name, f"attach://{name}")
        with self._lock:
            self.calls.append((method, params))
            if self.fault is not None and (answer := self.fault(method, params)) is not None:
                return answer
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            chat_id = params.get("chat_id")
            if chat_id is not None and int(chat_id) in self.blocked:
                return 403, {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                }
            try:
                result = handler(params, files or {})
            except (KeyError, ValueError) as exc:
                return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
            return 200, {"ok": True, "result": result}

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _store(self, method: str, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        chat_id = int(params["chat_id"])
        message_id = self._next_message_id(chat_id)
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Worker"},
            "from": BOT_USER,
        }
        text = str(params.get("text", params.get("caption", "")))
        if "text" in params:
            message["text"] = text
        elif text:
            message["caption"] = text
        if _is_inline(params.get("reply_markup")):  # Telegram echoes only inline keyboards
            message["reply_markup"] = params["reply_markup"]
        for kind in _MEDIA_KINDS:
            if kind in params:
                message[kind] = self._media(kind, params[kind], files)
        for kind in ("latitude", "longitude"):
            if kind in params:
                message["location"] = {
                    "latitude": float(params["latitude"]),
                    "longitude": float(params["longitude"]),
                }
        self.messages[(chat_id, message_id)] = message
        attached = dict(files)
        sent = Sent(chat_id, message_id, method, text, params.get("reply_markup"), attached, params)
        self.sent.append(sent)
        for listener in self.listeners:
            listener(sent)
        return message

    def _media(self, kind: str, value: Any, files: dict[str, tuple[str, bytes]]) -> Any:
        if isinstance(value, str) and value.startswith("attach://"):
            name, content = files[value.removeprefix("attach://")]
            file_id = f"F{next(self._file_ids)}"
            self.files[f"files/{file_id}"] = content
            self.file_paths[file_id] = f"files/{file_id}"
            size = len(content)
        else:  # a file_id the bot reuses
            file_id, name = str(value), ""
            if file_id not in self.file_paths:
                raise ValueError("wrong file identifier/HTTP URL specified")
            size = len(self.files[self.file_paths[file_id]])
        entry: JSON = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size}
        if kind == "photo":
            return [{**entry, "width": 1, "height": 1}]
        if kind in ("voice", "audio", "video"):
            entry["duration"] = 0
        if kind in ("document", "audio"):
            entry["file_name"] = name
        return entry

    def _m_getme(self, params: JSON, files: Any) -> JSON:
        return BOT_USER

    def _m_sendmessage(self, params: JSON, files: Any) -> JSON:
        return self._store("sendMessage", params, files)

    def _m_senddocument(self, params: JSON, files: Any) -> JSON:
        return self._store("sendDocument", params, files)

    def _m_sendvoice(self, params: JSON, files: Any) -> JSON:
        return self._store("sendVoice", params, files)

    def _m_sendaudio(self, params: JSON, files: Any) -> JSON:
        return self._store("sendAudio", params, files)

    def _m_sendphoto(self, params: JSON, files: Any) -> JSON:
        return self._store("sendPhoto", params, files)

    def _m_sendlocation(self, params: JSON, files: Any) -> JSON:
        return self._store("sendLocation", params, files)

    def _m_editmessagetext(self, params: JSON, files: Any) -> JSON:
        message = self.messages[(int(params["chat_id"]), int(params["message_id"]))]
        message["text"] = str(params["text"])
        message.pop("reply_markup", None)
        if _is_inline(params.get("reply_markup")):
            message["reply_markup"] = params["reply_markup"]
        self.sent.append(
            Sent(
                int(params["chat_id"]),
                int(params["message_id"]),
                "editMessageText",
                message["text"],
                params.get("reply_markup"),
            )
        )
        return message

    def _m_editmessagereplymarkup(self, params: JSON, files: Any) -> JSON:
        message = self.messages[(int(params["chat_id"]), int(params["message_id"]))]
        message["reply_markup"] = params.get("reply_markup") or {}
        self.sent.append(
            Sent(
                int(params["chat_id"]),
                int(params["message_id"]),
                "editMessageReplyMarkup",
                message.get("text", ""),
                params.get("reply_markup"),
            )
        )
        return message

    def _m_answercallbackquery(self, params: JSON, files: Any) -> bool:
        return True

    def _m_setmycommands(self, params: JSON, files: Any) -> bool:
        return True

    _m_deletemycommands = _m_deletewebhook = _m_sendchataction = _m_deletemessage = (
        _m_answercallbackquery
    )

    def _m_getfile(self, params: JSON, files: Any) -> JSON:
        file_id = str(params["file_id"])
        path = self.file_paths[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[path]),
            "file_path": path,
        }

    def _m_getupdates(self, params: JSON, files: Any) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 1.0)
        self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
        while not self.pending_updates and time.monotonic() < deadline:
            self._updates_ready.wait(deadline - time.monotonic())
            self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
        return list(self.pending_updates[:100])

    # ---- what a user does -----------------------------------------------------------------
    @staticmethod
    def user(user_id: int, language_code: str | None = None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": "Worker"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _message(self, user_id: int, language_code: str | None, **content: Any) -> JSON:
        return {
            "message_id": self._next_message_id(user_id),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Worker"},
            "from": self.user(user_id, language_code),
            **content,
        }

    def text_update(self, user_id: int, text: str, language_code: str | None = None) -> JSON:
        content: JSON = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        with self._lock:
            return {
                "update_id": next(self._update_ids),
                "message": self._message(user_id, language_code, **content),
            }

    def edited_update(self, user_id: int, text: str, language_code: str | None = None) -> JSON:
        with self._lock:
            message = self._message(user_id, language_code, text=text)
            message["edit_date"] = message["date"]
            return {"update_id": next(self._update_ids), "edited_message": message}

    def media_update(
        self,
        user_id: int,
        kind: str,
        content: bytes = b"",
        language_code: str | None = None,
        **extra: Any,
    ) -> JSON:
        """A sticker, photo, voice note, audio or document sent by the user."""
        with self._lock:
            file_id = f"U{next(self._file_ids)}"
            self.files[f"files/{file_id}"] = content
            self.file_paths[file_id] = f"files/{file_id}"
            media: JSON = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
            media["file_size"] = len(content)
            if kind == "photo":
                value: Any = [{**media, "width": 1, "height": 1}]
            elif kind == "sticker":
                value = {
                    **media,
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            else:
                value = {**media, **extra}
                if kind in ("voice", "audio"):
                    value.setdefault("duration", 1)
            return {
                "update_id": next(self._update_ids),
                "message": self._message(user_id, language_code, **{kind: value}),
            }

    def callback_update(
        self,
        user_id: int,
        data: str,
        message_id: int | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """The user presses a button with `data` on the bot's message `message_id`."""
        with self._lock:
            query: JSON = {
                "id": str(next(self._callback_ids)),
                "from": self.user(user_id, language_code),
                "chat_instance": str(user_id),
                "data": data,
            }
            message = self.messages.get((user_id, message_id)) if message_id else None
            if message is not None:
                query["message"] = message
            return {"update_id": next(self._update_ids), "callback_query": query}

    def push(self, update: JSON) -> None:
        """Queue an update for getUpdates (the HTTP fake's long polling)."""
        with self._lock:
            self.pending_updates.append(update)
            self._updates_ready.notify_all()

    def sent_to(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.chat_id == chat_id]


def _is_inline(markup: Any) -> bool:
    return isinstance(markup, dict) and "inline_keyboard" in markup


def decode_params(raw: dict[str, str]) -> JSON:
    """Form fields as python-telegram-bot sends them (JSON-encoded non-strings) to values."""
    params: JSON = {}
    for key, value in raw.items():
        if key in ("text", "caption"):
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except (TypeError, ValueError):
            params[key] = value
    return params


def bot_api_call(
    request_data: RequestData | None,
) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """A Bot API call's parameters and uploaded files (name -> (file name, bytes)); an
    uploaded file's parameter says `attach://<name>`, as the Bot API reads it."""
    params = dict(request_data.parameters) if request_data else {}
    files: dict[str, tuple[str, bytes]] = {}
    if request_data is not None and request_data.contains_files:
        for name, part in request_data.multipart_data.items():
            filename, raw = part[0], part[1]
            files[name] = (str(filename), raw if isinstance(raw, bytes) else raw.read())
            params.setdefault(name, f"attach://{name}")
    return params, files


class InProcessRequest(BaseRequest):
    """A python-telegram-bot request backend with nothing to open or time out: the Bot API
    calls are carried out in this process (the offline API, the WhatsApp bridge)."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class OfflineRequest(InProcessRequest):
    """A python-telegram-bot request backend that talks to an OfflineBotAPI, never the network."""

    def __init__(self, api: OfflineBotAPI) -> None:
        self.api = api

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if method == "GET" and "/files/" in url:  # a file download
            path = url[url.index("files/") :]
            stored = self.api.files.get(path)
            return (200, stored) if stored is not None else (404, b"{}")
        api_method = url.rsplit("/", 1)[-1]
        params, files = bot_api_call(request_data)
        status, body = self.api.handle(api_method, params, files)
        return status, json.dumps(body).encode()
