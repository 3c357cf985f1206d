"""The rights library loaded from content/: topics, rules, fallback languages and search."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.domain.cases import UrgentSigns, parse_urgent
from bot.domain.content import (
    JURISDICTIONS,
    LANGUAGES,
    PRIMARY_LANGUAGE,
    REQUIRED_LANGUAGES,
    TOPICS,
    WIDE_LANGUAGES,
    ContentError,
    Term,
    Topic,
    explained_at_first_use,
    mentions,
    paginate,
    parse_terms,
    parse_topic,
    sentences,
    shown_text,
    translation_problems,
)
from bot.domain.rights_check import CheckRules, parse_check
from bot.domain.rules import RuleBook, parse_rules
from bot.domain.search import Synonym, parse_synonyms, search_words
from bot.domain.text import TELEGRAM_TEXT_LIMIT
from bot.storage.search_index import Document, SearchIndex

log = logging.getLogger(__name__)
T = TypeVar("T")
CONTENT_DIR = Path(__file__).resolve().parent.parent.parent / "content"
_TOPIC_FILE_RE = re.compile(r"^(?P<topic>[a-z_]+)\.(?P<lang>[a-z]{2})\.md$")
# Room kept on each screen for the title, the review line and the disclaimer.
_SCREEN_OVERHEAD = 600


@dataclass(frozen=True)
class Found:
    """A topic to show, and whether it is in another language than the user's."""

    topic: Topic
    fallback: bool
    page: int = 0  # the page that answers the question (search), else the first


class Library:
    def __init__(
        self,
        topics: list[Topic],
        rules: dict[str, RuleBook],
        problems: list[str],
        checks: dict[str, CheckRules] | None = None,
        synonyms: dict[str, list[Synonym]] | None = None,
        terms: dict[str, list[Term]] | None = None,
        urgent: dict[str, UrgentSigns] | None = None,
        index: SearchIndex | None = None,
    ) -> None:
        self.topics = {(t.jurisdiction, t.topic, t.language): t for t in topics}
        self.rules = rules
        self.checks = checks or {}  # the rights check's rules, per jurisdiction
        self.load_problems = problems
        self._index = index or SearchIndex(
            (
                Document(
                    t.jurisdiction,
                    t.topic,
                    t.language,
                    number,
                    t.title,
                    t.summary,
                    " | ".join(t.keywords),
                    page,
                    t.page_search[number] if number < len(t.page_search) else (),
                )
                for t in topics
                for number, page in enumerate(t.pages)
            ),
            synonyms,
        )
        self.synonyms = synonyms or {}
        self.terms = terms or {}  # legal terms explained in plain words, per jurisdiction
        self.urgent = urgent or {}  # signs of danger, per language (content/urgent/)

    @classmethod
    def load(cls, root: Path = CONTENT_DIR, cache_dir: Path | None = None) -> Library:
        """Read every topic and rules file; files with problems are skipped and reported.

        The library is read-only once built, so a process that builds the bot again (a test,
        a second channel) reuses it while no file under `root` has changed. With `cache_dir`
        (the bot's data folder), the parsed topics and the built search index are kept
        there as JSON and an SQLite file, under a name made of every content file's bytes
        and the code that reads them: the next start reads those instead of 504 files
        (bot/services/library_cache.py)."""
        key = _fingerprint(root)
        cached = _LOADED.get(root)
        if cached is not None and cached[0] == key:
            return cached[1]
        if cache_dir is not None:
            from bot.services import library_cache

            library = library_cache.load(cls, root, cache_dir)
        else:
            library = cls._read(root)
        _LOADED[root] = (key, library)
        return library

    @classmethod
    def _read(cls, root: Path) -> Library:
        topics, problems = cls._read_topics(root)
        return cls._assemble(root, topics, problems)

    @staticmethod
    def _read_topics(root: Path) -> tuple[list[Topic], list[str]]:
        """Every topic file parsed and checked against its name; the problems of the rest."""
        topics: list[Topic] = []
        problems: list[str] = []
        for jurisdiction in JURISDICTIONS:
            folder = root / jurisdiction
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.md")):
                match = _TOPIC_FILE_RE.match(path.name)
                if match is None:
                    continue  # REVIEW.md and other notes
                try:
                    topic = parse_topic(path.read_text("utf-8"), _rel(path))
                except ContentError as exc:
                    problems += [f"{exc.path}: {p}" for p in exc.problems]
                    continue
                mismatch = _name_mismatch(topic, jurisdiction, match["topic"], match["lang"])
                if mismatch:
                    problems.append(f"{_rel(path)}: {mismatch}")
                    continue
                topics.append(topic)
        return topics, problems

    @classmethod
    def _assemble(
        cls,
        root: Path,
        topics: list[Topic],
        topic_problems: list[str],
        index: Callable[[dict[str, list[Synonym]]], SearchIndex | None] = lambda _s: None,
    ) -> Library:
        """The library from its topics, with the rules, checks, terms, synonyms and signs of
        danger read from their (few, small) files; `index` may supply a search index already
        built for these topics."""
        rules: dict[str, RuleBook] = {}
        checks: dict[str, CheckRules] = {}
        terms: dict[str, list[Term]] = {}
        problems: list[str] = []
        for jurisdiction in JURISDICTIONS:
            folder = root / jurisdiction
            if not folder.is_dir():
                continue
            book = _parsed(folder / "rules.toml", parse_rules, problems)
            if book is not None:
                rules[jurisdiction] = book
            check = _parsed(folder / "check.toml", parse_check, problems)
            if check is not None:
                checks[jurisdiction] = check
            explained = _parsed(folder / "terms.toml", parse_terms, problems)
            if explained is not None:
                terms[jurisdiction] = explained
        problems = topic_problems + problems
        synonyms: dict[str, list[Synonym]] = {}
        for language in LANGUAGES:
            found = _parsed(root / "search" / f"{language}.toml", parse_synonyms, problems)
            if found is not None:
                synonyms[language] = found
        urgent: dict[str, UrgentSigns] = {}
        for language in LANGUAGES:
            signs = _parsed(root / "urgent" / f"{language}.toml", parse_urgent, problems)
            if signs is not None:
                urgent[language] = signs
        if problems:
            log.warning("content: %d problems; run `dwbot content check`", len(problems))
        return cls(topics, rules, problems, checks, synonyms, terms, urgent, index(synonyms))

    def urgent_sign(self, text: str, locale: str) -> str | None:
        """The sign of danger her message shows (violence, threats, locked in, passport
        taken, not paid), read in her language, then Spanish and English (which many write
        in besides their own); None when it shows none."""
        for language in dict.fromkeys((locale, "es", "en")):
            signs = self.urgent.get(language)
            if signs is not None and (sign := signs.match(text)) is not None:
                return sign
        return None

    def languages_for(self, jurisdiction: str, locale: str) -> tuple[str, ...]:
        """The user's language first, then the best fallbacks for this jurisdiction."""
        order = [locale, PRIMARY_LANGUAGE.get(jurisdiction, "es"), "es", "en"]
        return tuple(dict.fromkeys(order))

    def get(self, jurisdiction: str, topic: str, locale: str) -> Found | None:
        for language in self.languages_for(jurisdiction, locale):
            found = self.topics.get((jurisdiction, topic, language))
            if found is not None:
                return Found(found, fallback=language != locale)
        return None

    def topics_for(self, jurisdiction: str, locale: str) -> list[Found]:
        return [f for t in TOPICS if (f := self.get(jurisdiction, t, locale)) is not None]

    def search(self, question: str, jurisdiction: str, locale: str, limit: int = 3) -> list[Found]:
        hits = self._index.search(
            question, jurisdiction, self.languages_for(jurisdiction, locale), limit
        )
        return [
            Found(
                self.topics[(jurisdiction, hit.topic, hit.language)],
                fallback=hit.language != locale,
                page=hit.page,
            )
            for hit in hits
        ]

    def fingerprint(self, jurisdiction: str, locale: str) -> str:
        """Changes whenever any topic shown for (jurisdiction, locale) changes."""
        digest = hashlib.sha256()
        for found in self.topics_for(jurisdiction, locale):
            digest.update(found.topic.path.encode())
            digest.update(found.topic.body.encode())
            digest.update(repr(found.topic).encode())
        return digest.hexdigest()[:16]

    # ---- checks and coverage ---------------------------------------------------------------
    def check(self) -> list[str]:
        """Every problem in the library: file problems, coverage, links, screen sizes."""
        problems = list(self.load_problems)
        for jurisdiction in JURISDICTIONS:
            if jurisdiction not in self.rules:
                problems.append(f"content/{jurisdiction}/rules.toml is missing")
            check = self.checks.get(jurisdiction)
            if check is None:
                problems.append(f"content/{jurisdiction}/check.toml is missing")
            elif check.jurisdiction != jurisdiction:
                problems.append(f"content/{jurisdiction}/check.toml names '{check.jurisdiction}'")
            for topic in TOPICS:
                needed = list(REQUIRED_LANGUAGES)
                if jurisdiction == "ilo" or topic == "help":
                    needed += WIDE_LANGUAGES
                for language in needed:
                    if (jurisdiction, topic, language) not in self.topics:
                        problems.append(f"content/{jurisdiction}/{topic}.{language}.md is missing")
        for (jurisdiction, _id, language), entry in sorted(self.topics.items()):
            for related in entry.related:
                if self.get(jurisdiction, related, language) is None:
                    problems.append(f"{entry.path}: related topic '{related}' does not exist")
            for number, page in enumerate(paginate(entry.body), 1):
                if len(page) + _SCREEN_OVERHEAD > TELEGRAM_TEXT_LIMIT:
                    problems.append(f"{entry.path}: screen {number} is too long for Telegram")
        problems += self.translation_problems()
        problems += self.term_problems()
        problems += self.synonym_problems()
        for language in LANGUAGES:
            if language not in self.urgent:
                problems.append(f"content/urgent/{language}.toml is missing")
        for jurisdiction, rules in self.rules.items():
            if rules.jurisdiction != jurisdiction:
                problems.append(f"content/{jurisdiction}/rules.toml names '{rules.jurisdiction}'")
        return problems

    def translation_problems(self) -> list[str]:
        """Every translation keeps its source's citations, figures and page breaks (the
        source: the jurisdiction's first language, e.g. Spanish for Spain)."""
        problems = []
        for (jurisdiction, topic, language), entry in sorted(self.topics.items()):
            primary = PRIMARY_LANGUAGE[jurisdiction]
            source = self.topics.get((jurisdiction, topic, primary))
            if language == primary or source is None:
                continue
            for problem in translation_problems(source.body, entry.body):
                problems.append(f"{entry.path}: {problem} ({source.path})")
        return problems

    def term_problems(self) -> list[str]:
        """Each term of terms.toml is explained at its first appearance in the source text
        of each topic listed, and its translations keep the Spanish term."""
        problems = []
        for jurisdiction, terms in sorted(self.terms.items()):
            primary = PRIMARY_LANGUAGE[jurisdiction]
            for term in terms:
                for topic in term.topics:
                    source = self.topics.get((jurisdiction, topic, primary))
                    if source is None:
                        continue
                    if not explained_at_first_use(source.body, term.term):
                        problems.append(
                            f"{source.path}: '{term.term}' is not explained in brackets at its"
                            f" first appearance (content/{jurisdiction}/terms.toml)"
                        )
                    if primary != "es":
                        continue  # the ILO's translations need not keep the English word
                    for language in LANGUAGES:
                        entry = self.topics.get((jurisdiction, topic, language))
                        if entry is not None and not mentions(entry.body, term.term):
                            problems.append(
                                f"{entry.path}: keeps no '{term.term}' (the Spanish term, in"
                                " brackets at its first use)"
                            )
        return problems

    def synonym_problems(self) -> list[str]:
        """Every library word of content/search/<language>.toml occurs in that language's
        topics: a word nobody wrote finds nothing."""
        problems = []
        for language, synonyms in sorted(self.synonyms.items()):
            present = {
                w
                for (_j, _t, lang), t in self.topics.items()
                if lang == language
                for w in search_words(" ".join((t.title, t.summary, " ".join(t.keywords), t.body)))
            }
            for synonym in synonyms:
                for word in synonym.library:
                    if word not in present:
                        problems.append(
                            f"content/search/{language}.toml: '{word}' is in no {language} topic"
                        )
        return problems

    def expiring(self, today: dt.date) -> list[str]:
        """Rule figures that expire within 60 days with no successor in the file."""
        return [
            f"content/{jurisdiction}/rules.toml: {note}"
            for jurisdiction, book in sorted(self.rules.items())
            for note in book.expiring(today)
        ]

    def readability(self) -> dict[str, Readability]:
        """Per language, over every topic in it: the figures `content stats` prints."""
        return {
            lang: _readability([t.body for (_j, _t, la), t in self.topics.items() if la == lang])
            for lang in LANGUAGES
        }

    def coverage(self) -> list[tuple[str, str, list[str]]]:
        """(jurisdiction, topic, languages present) for every pair."""
        return [
            (j, t, [lang for lang in LANGUAGES if (j, t, lang) in self.topics])
            for j in JURISDICTIONS
            for t in TOPICS
        ]


@dataclass(frozen=True)
class Readability:
    """Average words per sentence of one language's topics, and the share over 20 words."""

    files: int
    written: float
    shown: float
    long_written: float
    long_shown: float


def _readability(bodies: list[str]) -> Readability:
    written = [n for b in bodies for n in sentences(b)]
    shown = [n for b in bodies for n in sentences(shown_text(b))]

    def mean(xs: list[int]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    def long(xs: list[int]) -> float:
        return sum(1 for x in xs if x > 20) / len(xs) if xs else 0.0

    return Readability(len(bodies), mean(written), mean(shown), long(written), long(shown))


_LOADED: dict[Path, tuple[tuple[tuple[str, int, int], ...], Library]] = {}


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every content file's name, size and modification time."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".md", ".toml") and path.is_file():
            stat = path.stat()
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _parsed(path: Path, parse: Callable[[str, str], T], problems: list[str]) -> T | None:
    """A rules or check file parsed, or None (missing, or its problems added to the list)."""
    if not path.is_file():
        return None
    try:
        return parse(path.read_text("utf-8"), _rel(path))
    except ContentError as exc:
        problems += [f"{exc.path}: {p}" for p in exc.problems]
        return None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(CONTENT_DIR.parent))
    except ValueError:
        return str(path)


def _name_mismatch(topic: Topic, jurisdiction: str, name_topic: str, name_lang: str) -> str:
    if topic.jurisdiction != jurisdiction:
        return f"header says jurisdiction '{topic.jurisdiction}' but the folder is '{jurisdiction}'"
    if topic.topic != name_topic:
        return f"header says topic '{topic.topic}' but the file name says '{name_topic}'"
    if topic.language != name_lang:
        return f"header says language '{topic.language}' but the file name says '{name_lang}'"
    return ""
