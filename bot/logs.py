"""Logging set-up: plain lines on stderr, with secrets redacted wherever they appear."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Bot tokens appear in Bot API URLs; hide them even if a library logs one.
_TOKEN_RE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = _TOKEN_RE.sub("***", message), None
        return True


def configure(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, which contains the token: keep it to warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # At DEBUG these libraries log what passes through them: SQL parameters (aiosqlite),
    # Bot API parameters (telegram), request bodies (pywa, httpcore): her words, her number.
    # Never, whatever DWBOT_LOG_LEVEL says.
    for name in ("pywa", "pywa_async", "aiosqlite", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting chatter


class Outage:
    """One log line when the Bot API becomes unreachable and one when it is back, instead
    of a traceback for every failed poll."""

    def __init__(self, logger: logging.Logger) -> None:
        self.log = logger
        self.reason: str | None = None

    def down(self, reason: str) -> None:
        if self.reason is None:
            self.log.warning("Bot API unreachable (%s); retrying until it answers", reason)
        elif reason != self.reason:
            self.log.warning("Bot API still unreachable, now %s", reason)
        self.reason = reason

    def up(self) -> None:
        if self.reason is not None:
            self.log.warning("Bot API reachable again after %s", self.reason)
            self.reason = None


polling = Outage(logging.getLogger("bot.polling"))
