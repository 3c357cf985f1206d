"""Between the bot's Telegram-shaped messages and WhatsApp's, as plain functions.

Outbound: the handlers speak the Telegram Bot API (HTML text, inline and reply keyboards);
WhatsApp takes markdown-ish text, at most 3 reply buttons (titles of 20 characters) or a list
of 10 rows (titles of 24, descriptions of 72). Inbound: a Cloud API webhook's messages become
the Telegram updates the handlers already understand (text, a button press with the same
versioned callback data, media), so no handler knows which channel it serves.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bot.handlers.common import INERT_LABEL

JSON = dict[str, Any]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
BUTTON_TITLE = 20
MAX_BUTTONS = 3
ROW_TITLE = 24
ROW_DESCRIPTION = 72
MAX_ROWS = 10
LIST_BUTTON = 20  # the title of the button that opens a list
BODY_LIMIT = 1024  # the body of an interactive message
TEXT_PREFIX = "txt:"  # a list row that stands for a reply-keyboard label: sent back as text
MORE_PREFIX = "wa:more:"  # the row that opens the next page of a long list

_TAGS = (
    (re.compile(r"</?b>"), "*"),
    (re.compile(r"</?strong>"), "*"),
    (re.compile(r"</?i>"), "_"),
    (re.compile(r"</?em>"), "_"),
    (re.compile(r"</?code>"), "`"),
)
_LINK = re.compile(r'<a href="([^"]+)">(.*?)</a>', re.DOTALL)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def html_to_whatsapp(text: str) -> str:
    """Telegram HTML as WhatsApp formatting: <b> -> *bold*, <i> -> _italic_, links as
    "text (https://…)"; other tags go; entities are unescaped."""
    text = _LINK.sub(
        lambda m: m.group(2) if m.group(2) == m.group(1) else f"{m.group(2)} ({m.group(1)})", text
    )
    for pattern, mark in _TAGS:
        text = pattern.sub(mark, text)
    return html.unescape(_ANY_TAG.sub("", text))


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut at paragraph, then line, then space boundaries to fit `limit` characters."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        cut = cut if cut > 0 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts or [""]


@dataclass(frozen=True)
class Choice:
    label: str
    data: str  # the callback data the handlers expect, or TEXT_PREFIX + a menu label


def choices(markup: JSON | None) -> list[Choice]:
    """Every button of a Telegram keyboard, in order (inline buttons carry their callback
    data; a reply keyboard's labels come back as text)."""
    if not markup:
        return []
    found = []
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data and button["text"] == INERT_LABEL:
                continue  # a spacer that keeps Telegram's rows even: a row of its own here
            if data:
                found.append(Choice(button["text"], data))
            elif button.get("url"):
                continue  # a link button: its URL is in the text already
    for row in markup.get("keyboard") or []:
        for button in row:
            label = button["text"] if isinstance(button, dict) else str(button)
            found.append(Choice(label, TEXT_PREFIX + label))
    return found


def fit(label: str, limit: int) -> tuple[str, str]:
    """A title of at most `limit` characters and the rest for the description. Labels are
    written short in the catalogs (a test measures them); a longer one is cut at a word, and
    its whole text goes in the row's description, so nothing she could read is lost."""
    if len(label) <= limit:
        return label, ""
    cut = label[: limit - 1].rsplit(" ", 1)[0] or label[: limit - 1]
    return cut + "…", label[:ROW_DESCRIPTION]


def interactive(body: str, options: Sequence[Choice], page: int = 0, more_key: str = "") -> JSON:
    """The Cloud API `interactive` object for a text with choices: reply buttons for up to
    three short ones, else a list (a page of nine with a "More" row when there are more than
    ten)."""
    body = body[:BODY_LIMIT] or "…"
    if len(options) <= MAX_BUTTONS and all(len(o.label) <= BUTTON_TITLE for o in options):
        return {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": o.data, "title": o.label}} for o in options
                ]
            },
        }
    shown = list(options)
    more = None
    if len(shown) > MAX_ROWS:
        start = page * (MAX_ROWS - 1)
        shown = list(options)[start : start + MAX_ROWS - 1]
        if start + MAX_ROWS - 1 < len(options):
            more = f"{MORE_PREFIX}{more_key}:{page + 1}"
    rows = []
    for option in shown:
        title, description = fit(option.label, ROW_TITLE)
        row: JSON = {"id": option.data, "title": title}
        if description:
            row["description"] = description
        rows.append(row)
    if more is not None:
        rows.append({"id": more, "title": "➡️ …"})
    return {
        "type": "list",
        "body": {"text": body},
        "action": {"button": "☰", "sections": [{"title": "·", "rows": rows}]},
    }


# ---- inbound ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Inbound:
    """One message from a webhook: who, its WhatsApp id, and what she sent."""

    wa_id: str
    message_id: str
    kind: str  # text | button | media | location | unsupported
    text: str = ""
    data: str = ""  # a button's or list row's id
    context_id: str = ""  # the message a button belonged to
    media_kind: str = ""  # voice | audio | photo | document
    media_id: str = ""
    mime: str = ""
    caption: str = ""
    file_name: str = ""
    latitude: float = 0.0
    longitude: float = 0.0
    timestamp: int = 0


@dataclass(frozen=True)
class Status:
    message_id: str
    status: str  # sent | delivered | read | failed
    wa_id: str
    errors: tuple[int, ...] = ()


def messages(payload: JSON) -> Iterator[Inbound]:
    """The messages of a webhook payload (entry -> changes -> value -> messages)."""
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for message in value.get("messages") or []:
                yield _inbound(message)


def statuses(payload: JSON) -> Iterator[Status]:
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            for status in (change.get("value") or {}).get("statuses") or []:
                yield Status(
                    str(status.get("id", "")),
                    str(status.get("status", "")),
                    str(status.get("recipient_id", "")),
                    tuple(int(e.get("code", 0)) for e in status.get("errors") or []),
                )


def _inbound(message: JSON) -> Inbound:
    common: dict[str, Any] = {
        "wa_id": str(message.get("from", "")),
        "message_id": str(message.get("id", "")),
        "context_id": str((message.get("context") or {}).get("id", "")),
        "timestamp": int(message.get("timestamp") or 0),
    }
    kind = message.get("type")
    if kind == "text":
        return Inbound(kind="text", text=str(message["text"].get("body", "")), **common)
    if kind == "interactive":
        reply = message["interactive"].get("button_reply") or message["interactive"].get(
            "list_reply"
        )
        return Inbound(kind="button", data=str((reply or {}).get("id", "")), **common)
    if kind == "button":  # a template's quick reply ("Read"): her window opens, nothing else
        button = message.get("button") or {}
        return Inbound(kind="wake", data=str(button.get("payload", "")), **common)
    if kind in ("audio", "image", "document", "voice", "sticker", "video"):
        media = message.get(kind) or {}
        media_kind = {
            "audio": "voice" if media.get("voice") else "audio",
            "voice": "voice",
            "image": "photo",
            "document": "document",
            "sticker": "sticker",
            "video": "video",
        }[kind]
        return Inbound(
            kind="media",
            media_kind=media_kind,
            media_id=str(media.get("id", "")),
            mime=str(media.get("mime_type", "")),
            caption=str(media.get("caption", "")),
            file_name=str(media.get("filename", "")),
            **common,
        )
    if kind == "location":
        place = message.get("location") or {}
        return Inbound(
            kind="location",
            latitude=float(place.get("latitude", 0)),
            longitude=float(place.get("longitude", 0)),
            **common,
        )
    return Inbound(kind="unsupported", **common)
