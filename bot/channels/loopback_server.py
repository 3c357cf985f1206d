"""The fake Bot API over HTTP on 127.0.0.1, for tests and benchmarks through real httpx.

Point the bot at it with `TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot` and
`TELEGRAM_API_FILE_URL=http://127.0.0.1:PORT/file/bot`. It can enforce a global rate limit,
answering 429 with `retry_after` above it, like Telegram's flood control.
"""

from __future__ import annotations

import collections
import json
import threading
import time
import urllib.parse
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.channels.offline_api import JSON, OfflineBotAPI, decode_params

SEND_METHODS = frozenset(
    {"sendmessage", "senddocument", "sendvoice", "sendaudio", "sendphoto", "sendlocation"}
)


class RateLimit:
    """At most `per_second` sends in any sliding second, and one per chat per second."""

    def __init__(self, per_second: float, per_chat_interval: float = 1.0) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self._recent: collections.deque[float] = collections.deque()
        self._last_by_chat: dict[int, float] = {}
        self.rejected = 0
        self._lock = threading.Lock()

    def check(self, method: str, params: JSON) -> tuple[int, JSON] | None:
        if method.lower() not in SEND_METHODS:
            return None
        now = time.monotonic()
        chat = int(params.get("chat_id", 0))
        with self._lock:
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            too_many = len(self._recent) >= self.per_second
            too_fast = now - self._last_by_chat.get(chat, -1e9) < self.per_chat_interval
            if too_many or too_fast:
                self.rejected += 1
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                }
            self._recent.append(now)
            self._last_by_chat[chat] = now
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one buffered write, Nagle off: otherwise delayed ACKs add ~40 ms.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: LoopbackBotAPIServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        method = self.path.rstrip("/").rsplit("/", 1)[-1]
        fields, files = _parse_body(self.headers.get("Content-Type", ""), body)
        params = decode_params(fields)
        answer = self.server.limit.check(method, params) if self.server.limit else None
        status, payload = answer or self.server.api.handle(method, params, files)
        self._reply(status, json.dumps(payload).encode())

    def do_GET(self) -> None:
        if "/file/" in self.path:
            path = self.path[self.path.index("files/") :] if "files/" in self.path else ""
            content = self.server.api.files.get(path)
            if content is None:
                self._reply(404, b"{}")
            else:
                self._reply(200, content, "application/octet-stream")
            return
        self.do_POST()

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client went away (shutdown)
            self.close_connection = True


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Any]]:
    files: dict[str, tuple[str, bytes]] = {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            raw = part.get_payload(decode=True)
            payload = raw if isinstance(raw, bytes) else b""
            if filename is not None:
                files[str(name)] = (filename, payload)
            else:
                fields[str(name)] = payload.decode()
        return fields, files
    if content_type.startswith("application/json"):
        raw = json.loads(body or b"{}")
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}, files
    return dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)), files


class LoopbackBotAPIServer(ThreadingHTTPServer):
    """`with LoopbackBotAPIServer() as server:` serves an OfflineBotAPI on a free local port."""

    daemon_threads = True

    def __init__(self, api: OfflineBotAPI | None = None, rate_limit: RateLimit | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api or OfflineBotAPI()
        self.limit = rate_limit
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/file/bot"

    def __enter__(self) -> LoopbackBotAPIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
