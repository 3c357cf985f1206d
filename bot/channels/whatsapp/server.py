"""The webhook server, in the bot's own process (Starlette on uvicorn).

- `GET /whatsapp`: Meta's verification handshake (hub.verify_token must match).
- `POST /whatsapp`: webhooks. The body's X-Hub-Signature-256 must be the HMAC-SHA256 of the
  body with the app secret, or the request is refused with 403 and causes nothing. Each
  message is written to the database, then the request is answered; the work runs after.
- `GET /healthz`: 200 while the bot runs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.whatsapp.inbox import WhatsAppInbox

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # a webhook is a few kB; anything bigger is refused unread


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def make_server(inbox: WhatsAppInbox, app_secret: str, verify_token: str) -> Starlette:
    async def verify(request: Request) -> Response:
        params = request.query_params
        if (
            params.get("hub.mode") == "subscribe"
            and hmac.compare_digest(params.get("hub.verify_token", ""), verify_token)
            and params.get("hub.challenge")
        ):
            return PlainTextResponse(params["hub.challenge"])
        return PlainTextResponse("forbidden", status_code=403)

    async def webhook(request: Request) -> Response:
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BODY:
            return PlainTextResponse("too large", status_code=413)
        body = await request.body()
        if not signature_ok(app_secret, body, request.headers.get("x-hub-signature-256")):
            log.warning("webhook refused: bad or missing signature")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            payload = json.loads(body)
        except ValueError:
            return PlainTextResponse("bad request", status_code=400)
        if not isinstance(payload, dict):
            return PlainTextResponse("bad request", status_code=400)
        await inbox.accept(payload)  # kept in the database; handled after this answer
        return PlainTextResponse("ok")

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/whatsapp", verify, methods=["GET"]),
            Route("/whatsapp", webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )
