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


_UNSAFE_IN_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_file_name(name: str, fallback: str = "document", limit: int = 80) -> str:
    """A file name from outside, safe to write and to show: no folders, no hidden file, no
    control or shell characters, at most `limit` characters (its extension kept)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFC", base)).strip("._")
    if not base:
        return fallback
    if len(base) > limit:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:10] if dot else ""
        base = (stem if dot else base)[: limit - len(ext) - 1].rstrip("._") + (
            "." + ext if ext else ""
        )
    return base
