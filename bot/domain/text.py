"""Text helpers for chat messages."""

from __future__ import annotations

import re
import unicodedata

TELEGRAM_TEXT_LIMIT = 4096
MAX_INPUT_CHARS = 4000  # longer user messages are refused politely
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split `text` into parts of at most `limit` characters.

    Cuts at a paragraph break, else a line break, else a space, so markup that stays within a
    line (our HTML never spans lines) is never cut in two.
    """
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def fold(text: str) -> str:
    """Lower case without accents: 'Cuántas HORAS' -> 'cuantas horas'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of a text: 'Hola, ¿cuántas?' -> ['hola', 'cuantas']."""
    return _WORD_RE.findall(fold(text))


def has_words(text: str) -> bool:
    """True if the text has at least one letter or digit (not only emoji, marks or spaces)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def group_tag(raw: str) -> str:
    """A group tag as stored and matched: without '#', NFC, case-folded (#Bogotá = #bogotá)."""
    import unicodedata

    return unicodedata.normalize("NFC", raw.strip().lstrip("#")).casefold()
