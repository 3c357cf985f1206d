"""Configuration: every setting declared once, with its default and help text, read at start."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.i18n import AVAILABLE_LOCALES

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"
WHATSAPP_BASE_URL = "https://graph.facebook.com"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class ConfigError(Exception):
    """A setting has a value the bot cannot run with; the message names the setting."""


def _token(raw: str) -> str | None:
    if not raw:
        return None
    if not _TOKEN_RE.match(raw):
        # Never echo the value: a malformed token may still be a real secret.
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed (expected digits, ':' and 30+ chars)")
    return raw


def _url(name: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if not re.match(r"^https?://[^\s/]+", raw):
            raise ConfigError(f"{name} must be an http(s) URL, got {raw!r}")
        return raw

    return parse


def _secret(raw: str) -> str | None:
    return raw or None


def _digits(name: str) -> Callable[[str], str | None]:
    def parse(raw: str) -> str | None:
        if raw and not raw.isdigit():
            raise ConfigError(f"{name} must be the number's id (digits only)")
        return raw or None

    return parse


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"DWBOT_HTTP_PORT must be a port number, got {raw!r}")
    return int(raw)


def _ids(raw: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError("DWBOT_ADMIN_IDS must be comma-separated numeric user ids") from None


def _locale(raw: str) -> str:
    if raw not in AVAILABLE_LOCALES:
        raise ConfigError(
            f"DWBOT_DEFAULT_LOCALE {raw!r} is not one of {', '.join(AVAILABLE_LOCALES)}"
        )
    return raw


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError("DWBOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
    return level


def _positive_float(name: str) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = 0
        if not value > 0:
            raise ConfigError(f"{name} must be a positive number, got {raw!r}")
        return value

    return parse


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default, meaning and parser."""

    env: str
    default: str
    help: str
    parse: Callable[[str], Any] = str
    attr: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TELEGRAM_BOT_TOKEN",
        "",
        "Bot token from @BotFather. Empty: run the offline console instead of Telegram.",
        _token,
        "token",
    ),
    Setting(
        "TELEGRAM_API_BASE_URL",
        TELEGRAM_BASE_URL,
        "Bot API base URL (python-telegram-bot `base_url`), e.g. a self-hosted server or a test "
        "fake such as `http://127.0.0.1:8081/bot`.",
        _url("TELEGRAM_API_BASE_URL"),
        "api_base_url",
    ),
    Setting(
        "TELEGRAM_API_FILE_URL",
        TELEGRAM_FILE_URL,
        "Bot API file URL (python-telegram-bot `base_file_url`).",
        _url("TELEGRAM_API_FILE_URL"),
        "api_file_url",
    ),
    Setting(
        "DWBOT_DATA_DIR",
        "./data",
        "Folder for the SQLite database and generated files. Must be writable.",
        Path,
        "data_dir",
    ),
    Setting(
        "DWBOT_ADMIN_IDS",
        "",
        "Comma-separated Telegram user ids with the admin role.",
        _ids,
        "admin_ids",
    ),
    Setting(
        "DWBOT_DEFAULT_LOCALE",
        "es",
        "Language for users whose Telegram language is not available: "
        + ", ".join(AVAILABLE_LOCALES)
        + ".",
        _locale,
        "default_locale",
    ),
    Setting(
        "DWBOT_LOG_LEVEL",
        "INFO",
        "Log level: DEBUG, INFO, WARNING or ERROR. Logs never contain tokens or message text.",
        _log_level,
        "log_level",
    ),
    Setting(
        "DWBOT_BROADCAST_RATE",
        "25",
        "Messages per second the delivery engine sends at most, overall.",
        _positive_float("DWBOT_BROADCAST_RATE"),
        "broadcast_rate",
    ),
    Setting(
        "DWBOT_FLOW_TIMEOUT_MINUTES",
        "30",
        "Minutes a half-done task (adding a household, logging a payment…) waits for her next "
        "step. After that it is over, and what she types is read as new input.",
        _positive_float("DWBOT_FLOW_TIMEOUT_MINUTES"),
        "flow_timeout_minutes",
    ),
    Setting(
        "WHATSAPP_ACCESS_TOKEN",
        "",
        "WhatsApp Cloud API access token (a system user's). Set: `python -m bot` serves WhatsApp "
        "webhooks (and Telegram too when TELEGRAM_BOT_TOKEN is set).",
        _secret,
        "whatsapp_token",
    ),
    Setting(
        "WHATSAPP_PHONE_NUMBER_ID",
        "",
        "The Cloud API id of the WhatsApp number the bot sends from.",
        _digits("WHATSAPP_PHONE_NUMBER_ID"),
        "whatsapp_phone_id",
    ),
    Setting(
        "WHATSAPP_APP_SECRET",
        "",
        "The Meta app's secret: every webhook's X-Hub-Signature-256 is checked against it.",
        _secret,
        "whatsapp_app_secret",
    ),
    Setting(
        "WHATSAPP_VERIFY_TOKEN",
        "",
        "Any string you choose, given to Meta with the webhook URL for its verification request.",
        _secret,
        "whatsapp_verify_token",
    ),
    Setting(
        "WHATSAPP_API_BASE_URL",
        WHATSAPP_BASE_URL,
        "The Cloud API host (pywa adds the version path); a fake on 127.0.0.1 in tests.",
        _url("WHATSAPP_API_BASE_URL"),
        "whatsapp_api_base_url",
    ),
    Setting(
        "DWBOT_HTTP_HOST",
        "0.0.0.0",
        "Address the webhook server listens on (WhatsApp).",
        str,
        "http_host",
    ),
    Setting(
        "DWBOT_HTTP_PORT",
        "8080",
        "Port of the webhook server: GET/POST /whatsapp, GET /healthz.",
        _port,
        "http_port",
    ),
    Setting(
        "DWBOT_CASE_RETENTION_DAYS",
        "90",
        "Days a closed help request is kept (her messages, files and the answers) before it "
        "is deleted. She can delete it herself at any time.",
        _positive_float("DWBOT_CASE_RETENTION_DAYS"),
        "case_retention_days",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The bot's configuration, validated."""

    token: str | None = None
    api_base_url: str = TELEGRAM_BASE_URL
    api_file_url: str = TELEGRAM_FILE_URL
    data_dir: Path = field(default_factory=lambda: Path("./data"))
    admin_ids: frozenset[int] = frozenset()
    default_locale: str = "es"
    log_level: str = "INFO"
    broadcast_rate: float = 25.0
    flow_timeout_minutes: float = 30.0
    case_retention_days: float = 90.0
    whatsapp_token: str | None = None
    whatsapp_phone_id: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_base_url: str = WHATSAPP_BASE_URL
    http_host: str = "0.0.0.0"
    http_port: int = 8080

    @property
    def database_path(self) -> Path:
        return self.data_dir / "dwbot.sqlite3"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Read settings from a `.env` file (if present) overlaid by the environment."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        parsed = {s.attr: s.parse(values.get(s.env, s.default).strip()) for s in SETTINGS}
        settings = cls(**parsed)
        if settings.whatsapp_token:
            missing = [
                name
                for name, value in (
                    ("WHATSAPP_PHONE_NUMBER_ID", settings.whatsapp_phone_id),
                    ("WHATSAPP_APP_SECRET", settings.whatsapp_app_secret),
                    ("WHATSAPP_VERIFY_TOKEN", settings.whatsapp_verify_token),
                )
                if not value
            ]
            if missing:
                raise ConfigError(
                    f"WHATSAPP_ACCESS_TOKEN is set, so {', '.join(missing)} must be too"
                )
        return settings

    def ensure_data_dir(self) -> None:
        """Create the data folder and prove it is writable, or raise ConfigError."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"DWBOT_DATA_DIR {str(self.data_dir)!r} is not writable: {exc.strerror}"
            ) from None
