"""A fake WhatsApp Business Cloud API on 127.0.0.1, for tests: the messages and media
endpoints with Meta's payload and error shapes, the rules it enforces (3 reply buttons of 20
characters, lists of 10 rows of 24, text of 4096, the 24-hour window), and signed webhooks
to the bot, as Meta sends them."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

WINDOW = 24 * 3600


@dataclass
class Sent:
    to: str
    type: str
    body: dict[str, Any]
    id: str

    @property
    def text(self) -> str:
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        return str(self.body.get(self.type, {}).get("caption", ""))

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(title, id) of each button or list row."""
        if self.type != "interactive":
            return []
        action = self.body["interactive"]["action"]
        if "buttons" in action:
            return [(b["reply"]["title"], b["reply"]["id"]) for b in action["buttons"]]
        return [(r["title"], r["id"]) for s in action["sections"] for r in s["rows"]]


@dataclass
class FakeCloudAPI:
    app_secret: str
    phone_id: str = "1234567890"
    sent: list[Sent] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    uploads: int = 0
    last_from: dict[str, float] = field(default_factory=dict)  # the 24-hour window
    # templates registered with Meta: name -> language codes
    templates: dict[str, set[str]] = field(default_factory=dict)
    refuse: dict[str, int] = field(default_factory=dict)  # wa_id -> an error code, once each
    port: int = 0
    bot_url: str = ""  # where webhooks go
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # ---- the API -------------------------------------------------------------------------
    def _error(self, code: int, message: str, status: int = 400) -> Response:
        return JSONResponse(
            {
                "error": {
                    "message": message,
                    "type": "OAuthException",
                    "code": code,
                    "error_data": {"messaging_product": "whatsapp", "details": message},
                    "fbtrace_id": "fake",
                }
            },
            status_code=status,
        )

    async def _messages(self, request: Request) -> Response:
        if request.path_params["phone"] != self.phone_id:
            return self._error(100, "Invalid parameter")
        payload = await request.json()
        to, kind = str(payload.get("to")), payload.get("type")
        if payload.get("messaging_product") != "whatsapp":
            return self._error(100, "messaging_product is required")
        if to in self.refuse:
            code = self.refuse.pop(to)
            status = 429 if code in (130429, 80007) else 400
            return self._error(code, "Refused for the test", status)
        if kind != "template" and time.time() - self.last_from.get(to, 0) > WINDOW:
            return self._error(131047, "Re-engagement message")
        problem = self._check(kind, payload.get(kind) or {})
        if problem:
            return self._error(132001 if kind == "template" else 131009, problem)
        wamid = f"wamid.FAKE{next(self._ids)}"
        self.sent.append(Sent(to, kind, payload, wamid))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": wamid}],
            }
        )

    def _check(self, kind: str, body: dict[str, Any]) -> str | None:
        if kind == "text":
            return None if 0 < len(body.get("body", "")) <= 4096 else "text length"
        if kind == "interactive":
            if len(body.get("body", {}).get("text", "")) > 1024:
                return "body length"
            action = body.get("action", {})
            if body.get("type") == "button":
                buttons = action.get("buttons", [])
                if not 1 <= len(buttons) <= 3:
                    return "1 to 3 buttons"
                if any(len(b["reply"]["title"]) > 20 for b in buttons):
                    return "button title longer than 20"
                if any(len(b["reply"]["id"]) > 256 for b in buttons):
                    return "button id longer than 256"
                return None
            rows = [r for s in action.get("sections", []) for r in s["rows"]]
            if not 1 <= len(rows) <= 10:
                return "1 to 10 rows"
            if any(len(r["title"]) > 24 for r in rows):
                return "row title longer than 24"
            if any(len(r.get("description", "")) > 72 for r in rows):
                return "row description longer than 72"
            if any(len(r["id"]) > 200 for r in rows):
                return "row id longer than 200"
            if len(action.get("button", "")) > 20:
                return "list button longer than 20"
            return None
        if kind in ("audio", "document", "image", "video"):
            if body.get("id") not in self.media:
                return "unknown media id"
            if len(body.get("caption", "")) > 1024:
                return "caption length"
            return None
        if kind == "location":
            return None
        if kind == "template":
            language = (body.get("language") or {}).get("code")
            if language not in self.templates.get(str(body.get("name")), set()):
                return "template name does not exist in the translation"
            return None
        return f"type {kind} not supported here"

    async def _upload(self, request: Request) -> Response:
        form = await request.form()
        upload = form["file"]
        content = await upload.read()  # type: ignore[union-attr]
        media_id = str(900000 + next(self._ids))
        self.media[media_id] = (content, str(form.get("type") or "application/octet-stream"))
        self.uploads += 1
        return JSONResponse({"id": media_id})

    async def _media_url(self, request: Request) -> Response:
        media_id = request.path_params["media"]
        if media_id not in self.media:
            return self._error(100, "Invalid media id")
        content, mime = self.media[media_id]
        return JSONResponse(
            {
                "url": f"http://127.0.0.1:{self.port}/download/{media_id}",
                "mime_type": mime,
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
                "messaging_product": "whatsapp",
            }
        )

    async def _download(self, request: Request) -> Response:
        content, mime = self.media[request.path_params["media"]]
        return Response(content, media_type=mime)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/{version}/{phone}/messages", self._messages, methods=["POST"]),
                Route("/{version}/{phone}/media", self._upload, methods=["POST"]),
                Route("/download/{media}", self._download, methods=["GET"]),
                Route("/{version}/{media}", self._media_url, methods=["GET"]),
            ]
        )

    # ---- what a user does ----------------------------------------------------------------
    def _envelope(self, value: dict[str, Any]) -> dict[str, Any]:
        """A webhook as Meta wraps it: entry -> changes -> value."""
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": self.phone_id},
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
        }

    def payload(self, wa_id: str, message: dict[str, Any]) -> dict[str, Any]:
        self.last_from[wa_id] = time.time()
        message = {
            "from": wa_id,
            "id": f"wamid.IN{next(self._ids)}",
            "timestamp": str(int(time.time())),
            **message,
        }
        return self._envelope(
            {"contacts": [{"wa_id": wa_id, "profile": {"name": "Worker"}}], "messages": [message]}
        )

    def status(self, wa_id: str, wamid: str, status: str) -> dict[str, Any]:
        """A status webhook: what became of a message the bot sent."""
        return self._envelope(
            {
                "statuses": [
                    {
                        "id": wamid,
                        "status": status,
                        "timestamp": str(int(time.time())),
                        "recipient_id": wa_id,
                    }
                ]
            }
        )

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()

    async def deliver(self, payload: dict[str, Any], signature: str | None = "") -> httpx.Response:
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        if signature is not None:
            headers["x-hub-signature-256"] = signature or self.sign(body)
        async with httpx.AsyncClient() as client:
            return await client.post(f"{self.bot_url}/whatsapp", content=body, headers=headers)

    def text(self, wa_id: str, text: str) -> dict[str, Any]:
        return self.payload(wa_id, {"type": "text", "text": {"body": text}})

    def press(self, wa_id: str, choice_id: str, context_id: str) -> dict[str, Any]:
        return self.payload(
            wa_id,
            {
                "type": "interactive",
                "context": {"from": self.phone_id, "id": context_id},
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": choice_id, "title": "·"},
                },
            },
        )

    def quick_reply(self, wa_id: str, text: str, context_id: str) -> dict[str, Any]:
        """Her tap on a template's quick-reply button."""
        return self.payload(
            wa_id,
            {
                "type": "button",
                "context": {"from": self.phone_id, "id": context_id},
                "button": {"text": text, "payload": text},
            },
        )

    def voice(self, wa_id: str, content: bytes) -> dict[str, Any]:
        media_id = str(800000 + next(self._ids))
        self.media[media_id] = (content, "audio/ogg; codecs=opus")
        return self.payload(
            wa_id,
            {
                "type": "audio",
                "audio": {"id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": True},
            },
        )

    def to(self, wa_id: str) -> list[Sent]:
        return [s for s in self.sent if s.to == wa_id]


@contextlib.asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[int]:
    """Run `app` on 127.0.0.1 on a free port in this event loop; yield the port."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no start event
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        server.should_exit = True
        await task


class ServerThread:
    """Run an ASGI app on 127.0.0.1 in a thread with its own event loop (benchmarks: the fake
    Cloud API does not take the bot's event loop)."""

    def __init__(self, app: Starlette) -> None:
        import threading

        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> int:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return int(self.server.servers[0].sockets[0].getsockname()[1])

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
