"""Help requests ("cases") as plain values: statuses, queues, what a helper may do, and the
urgent signs that put her country's emergency contacts first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.content import ContentError, load_toml
from bot.domain.search import search_words

NEW, OPEN, WAITING, CLOSED = "new", "open", "waiting", "closed"
STATUSES = (NEW, OPEN, WAITING, CLOSED)
# The helper's queues: new (nobody took it), mine (taken by me, not closed), waiting (answered,
# her turn), closed.
QUEUES = ("new", "mine", "waiting", "closed")
KINDS = ("text", "voice", "photo", "document")
WORKER, HELPER = "worker", "helper"

MAX_TEXT_CHARS = 4000  # one message of a case (Telegram's own limit is 4096)
MAX_FILE_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
MAX_VOICE_SECONDS = 10 * 60  # a voice note of up to ten minutes
MAX_MESSAGES = 200  # per case: a flood is refused, not stored
DEFAULT_RETENTION_DAYS = 90  # closed cases are purged after this


@dataclass(frozen=True)
class Case:
    id: int
    user_id: int  # never shown to a helper
    status: str
    helper_id: int | None
    urgent: bool
    locale: str
    country: str | None
    attach: str | None
    opened_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None

    def in_queue(self, queue: str, helper_id: int) -> bool:
        if queue == "new":
            return self.status == NEW
        if queue == "mine":
            return self.helper_id == helper_id and self.status in (OPEN, WAITING)
        if queue == "waiting":
            return self.status == WAITING
        return self.status == CLOSED


@dataclass(frozen=True)
class CaseMessage:
    id: int
    case_id: int
    author: str  # WORKER or HELPER
    kind: str  # one of KINDS
    body: str | None
    file_name: str | None
    file_ref: str | None
    mime: str | None
    bytes: int | None
    seconds: int | None
    created_at: dt.datetime
    helper_id: int | None = None


class CaseRefused(Exception):
    """What a helper (or the worker) may not do to this case now; `reason` is a message id
    the handler translates."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def may_answer(case: Case, helper_id: int, is_admin: bool) -> bool:
    """A case taken by one helper is answered by her; an admin may step in."""
    return case.status != CLOSED and (case.helper_id == helper_id or is_admin)


def purge_before(now: dt.datetime, retention_days: float) -> dt.datetime:
    return now - dt.timedelta(days=retention_days)


# ---- urgent signs ----------------------------------------------------------------------


@dataclass(frozen=True)
class UrgentSigns:
    """content/urgent/<language>.toml: phrases that mean she may be in danger (violence,
    threats, locked in, passport taken, not paid for months), as words to find in order."""

    language: str
    phrases: tuple[tuple[str, ...], ...]
    signs: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()  # (sign, its phrases)

    def match(self, text: str) -> str | None:
        """The first sign the text shows, or None."""
        said = search_words(text)
        for sign, phrases in self.signs:
            for phrase in phrases:
                if _contains(said, phrase):
                    return sign
        return None


SIGNS = ("violence", "threats", "locked_in", "passport", "unpaid")


def _contains(said: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """The phrase's words in order, next to each other; a word ending in "*" matches any word
    starting with it ("golpe*" finds "golpea", "golpearon")."""
    n = len(phrase)
    for i in range(len(said) - n + 1):
        if all(_word(said[i + k], phrase[k]) for k in range(n)):
            return True
    return False


def _word(said: str, wanted: str) -> bool:
    return said.startswith(wanted[:-1]) if wanted.endswith("*") else said == wanted


def _phrase(raw: str) -> tuple[str, ...]:
    """ "me pega*" -> ("me", "pega*"): folded like the search, a final "*" kept."""
    words: list[str] = []
    for token in raw.split():
        folded = search_words(token.rstrip("*"))
        if folded and token.endswith("*"):
            folded[-1] += "*"
        words += folded
    return tuple(words)


def parse_urgent(text: str, path: str) -> UrgentSigns:
    data = load_toml(text, path)
    problems: list[str] = []
    language = data.get("language")
    if not isinstance(language, str):
        problems.append("`language` is missing")
    signs = []
    for sign in SIGNS:
        raw = data.get(sign)
        if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
            problems.append(f"`{sign}` must be a list of phrases")
            continue
        phrases = [p for p in (_phrase(raw_phrase) for raw_phrase in raw) if p]
        signs.append((sign, tuple(phrases)))
    unknown = set(data) - {"language", *SIGNS}
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    if problems:
        raise ContentError(path, problems)
    assert isinstance(language, str)
    return UrgentSigns(
        language, tuple(p for _s, ps in signs for p in ps), tuple((s, ps) for s, ps in signs)
    )
