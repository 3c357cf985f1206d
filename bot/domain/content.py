"""The rights library as plain values: topic files, rules files, paging and validation.

Formats are described for authors in content/README.md. Nothing here reads files: parse
functions take text, so the checker, the bot and the tests share one definition.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.domain.text import fold

TOPICS: tuple[str, ...] = (
    "contract",
    "hours",
    "live_in",
    "pay",
    "overtime",
    "leave",
    "social_security",
    "maternity",
    "termination",
    "harassment",
    "documents",
    "help",
)
JURISDICTIONS: tuple[str, ...] = ("ilo", "mexico", "spain", "peru", "argentina", "panama")
LANGUAGES: tuple[str, ...] = ("es", "en", "pt", "fr", "tl", "sw", "ar")
REQUIRED_LANGUAGES: tuple[str, ...] = ("es", "en")
# Languages the ILO baseline and every "help" topic must also exist in.
WIDE_LANGUAGES: tuple[str, ...] = ("pt", "fr", "tl", "sw", "ar")
# The language a jurisdiction's content is first written in: the best fallback.
PRIMARY_LANGUAGE = {"ilo": "en"} | {j: "es" for j in JURISDICTIONS if j != "ilo"}

SCREEN_CHARS = 1000  # plain-language target per screen
PARAGRAPH_CHARS = 1000
UNVERIFIED_RE = re.compile(r"\[(?:P|M|NF)\]|\bTODO\b|\?\?|\bFIXME\b|\bXXX\b")
# An amount of money in the text means the figure needs an `effective` date.
MONEY_RE = re.compile(
    r"(?:\$|€|S/|B/\.|\b(?:MXN|EUR|PEN|ARS|PAB|USD))\s?\d"
    r"|\d[\d.,]*\s?(?:€|euros?\b|pesos\b|soles\b|d[oó]lares\b|balboas\b)",
    re.IGNORECASE,
)
_FRONT_RE = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*\n?(.*)\Z", re.DOTALL)


class ContentError(ValueError):
    """A content file that cannot be used; `problems` says why, each with the file."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class Source:
    law: str
    article: str
    url: str

    def cite(self) -> str:
        return f"{self.law}, {self.article}"


@dataclass(frozen=True)
class Topic:
    jurisdiction: str
    topic: str
    language: str
    title: str
    summary: str
    reviewed: dt.date
    sources: tuple[Source, ...]
    body: str
    effective: dt.date | None = None
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    path: str = ""
    # per page, the words people use for what its sections answer (`<!-- search: … -->`)
    page_search: tuple[tuple[str, ...], ...] = ()

    @functools.cached_property
    def pages(self) -> tuple[str, ...]:
        """The chat screens, cut once per topic (every search hit and screen reads them)."""
        return tuple(paginate(self.body))


def load_toml(text: str, path: str) -> dict[str, Any]:
    """A content TOML file (rules, check, terms, search words, urgent signs), or ContentError."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, [f"not valid TOML ({exc})"]) from None


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_RE.match(text.replace("\r\n", "\n"))
    if match is None:
        raise ContentError(path, ["no header between two '+++' lines at the top"])
    try:
        return tomllib.loads(match.group(1)), match.group(2).strip()
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, [f"the header is not valid TOML ({exc})"]) from None


def parse_topic(text: str, path: str = "<text>") -> Topic:
    """Parse and validate one topic file; raise ContentError listing every problem."""
    meta, raw_body = split_front_matter(text, path)
    body = strip_search_lines(raw_body)
    problems: list[str] = []

    def text_field(name: str) -> str:
        value = meta.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{name}' is missing or empty")
            return ""
        return value.strip()

    title, summary = text_field("title"), text_field("summary")
    jurisdiction, language, topic = (
        text_field("jurisdiction"),
        text_field("language"),
        text_field("topic"),
    )
    if jurisdiction and jurisdiction not in JURISDICTIONS:
        problems.append(f"jurisdiction '{jurisdiction}' is not one of {', '.join(JURISDICTIONS)}")
    if language and language not in LANGUAGES:
        problems.append(f"language '{language}' is not one of {', '.join(LANGUAGES)}")
    if topic and topic not in TOPICS:
        problems.append(f"topic '{topic}' is not one of {', '.join(TOPICS)}")
    reviewed = meta.get("reviewed")
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        problems.append("'reviewed' must be a date like 2026-11-24")
        reviewed = dt.date.min
    effective = meta.get("effective")
    if effective is not None and (
        not isinstance(effective, dt.date) or isinstance(effective, dt.datetime)
    ):
        problems.append("'effective' must be a date like 2026-01-01")
        effective = None
    if effective is None and MONEY_RE.search(body):
        problems.append("the text states an amount of money but the header has no 'effective'")
    related = meta.get("related", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        problems.append("'related' must be a list of topic ids")
        related = []
    problems += [f"related topic '{r}' is not a topic id" for r in related if r not in TOPICS]
    keywords = meta.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        problems.append("'keywords' must be a list of words")
        keywords = []
    sources = _sources(meta.get("sources"), problems)
    problems += _body_problems(body, title, summary)
    if problems:
        raise ContentError(path, problems)
    return Topic(
        jurisdiction=jurisdiction,
        topic=topic,
        language=language,
        title=title,
        summary=summary,
        reviewed=reviewed,
        effective=effective,
        related=tuple(r for r in related if r != topic),
        keywords=tuple(keywords),
        sources=sources,
        body=body,
        path=path,
        page_search=tuple(asked for _page, asked in paginate_with_search(raw_body)),
    )


def _sources(raw: Any, problems: list[str]) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append("at least one [[sources]] entry (law, article, url) is required")
        return ()
    sources = []
    for index, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            problems.append(f"source {index} is not a table")
            continue
        missing = [k for k in ("law", "article", "url") if not str(entry.get(k, "")).strip()]
        if missing:
            problems.append(f"source {index} lacks {', '.join(missing)}")
            continue
        if not str(entry["url"]).startswith(("https://", "http://")):
            problems.append(f"source {index} url must start with https://")
        sources.append(Source(str(entry["law"]), str(entry["article"]), str(entry["url"])))
    return tuple(sources)


def _body_problems(body: str, *header_text: str) -> list[str]:
    problems = []
    if len(body) < 100:
        problems.append("the text is missing or too short")
    for chunk in (body, *header_text):
        marker = UNVERIFIED_RE.search(chunk)
        if marker:
            problems.append(f"unverified marker '{marker.group(0)}' left in published text")
    for paragraph in _paragraphs(body):
        if len(paragraph) > PARAGRAPH_CHARS:
            problems.append(
                f"a paragraph has {len(paragraph)} characters (at most {PARAGRAPH_CHARS}):"
                f" '{paragraph[:40]}…'"
            )
    if "<!--" in body or "-->" in body:
        problems.append("a comment that is not a whole search line (`<!-- search: words, … -->`)")
    if re.search(r"^\s*(#{3,}|\|)", body, re.MULTILINE):
        problems.append("tables and small headings are not supported; use **bold** and '- ' lists")
    return problems


def _paragraphs(body: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n", body):
        if block.strip() and block.strip() != "---":
            yield block.strip()


# What a translation must keep exactly as its source has it: every citation in brackets,
# every figure (amounts, days, percentages, dates) and the page breaks. Figures are compared
# by their digits ("1.221" and "1,221", "9,55" and "9.55", "٨" and "8" are the same figure).
_CITATION_RE = re.compile(r"\([^()]*\d[^()]*\)")  # any bracket with a number: a citation
_LETTER_GROUP_RE = re.compile(r"\(([a-zA-Z]{1,4})\)")  # "art. 14.1(a)": one citation
_SEPARATOR_RE = re.compile(r"(?<=\d)[.,\u00a0\u202f ](?=\d)")
_BREAK_RE = re.compile(r"^\s*---\s*$", re.MULTILINE)


def _normalised(body: str) -> str:
    digits = "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in body)
    return _SEPARATOR_RE.sub("", _LETTER_GROUP_RE.sub(r" \1", digits))


def _figures(body: str) -> list[str]:
    """The figures of a text, outside its citations (an article number is checked there)."""
    return sorted(re.findall(r"\d+", _CITATION_RE.sub(" ", _normalised(body))))


def _references(body: str) -> Counter[tuple[str, ...]]:
    """Each citation by the numbers in it (law and article): "(Ley 26.844, arts. 1 y 2)" and
    "(Ley 26.844, arts. 1 and 2)" are the same reference."""
    return Counter(tuple(re.findall(r"\d+", c)) for c in _CITATION_RE.findall(_normalised(body)))


def translation_problems(source: str, translation: str) -> list[str]:
    """How a translation's body differs from its source in what may not change."""
    problems = []
    ours, theirs = _references(source), _references(translation)
    for numbers in sorted(ours - theirs):
        problems.append(f"a citation with {' '.join(numbers)} is in the source but not here")
    for numbers in sorted(theirs - ours):
        problems.append(f"a citation with {' '.join(numbers)} is here but not in the source")
    figures, translated = Counter(_figures(source)), Counter(_figures(translation))
    if figures != translated:
        lost = sorted((figures - translated).elements())
        new = sorted((translated - figures).elements())
        problems.append(
            "figures differ from the source"
            + (f": missing {', '.join(lost)}" if lost else "")
            + (f"; not in the source {', '.join(new)}" if new else "")
        )
    if len(_BREAK_RE.findall(source)) != len(_BREAK_RE.findall(translation)):
        problems.append("the page breaks (---) differ from the source")
    return problems


# A citation is a bracket that ends a sentence or a line and names a law: an article
# ("art.", "ibara", "المادة"), a paragraph, a provision, a law or a decree, or "Source, 2024".
# Brackets that explain a word ("(jornada completa)") or give figures ("(de 6:00 a 20:00)")
# stay in the text.
_CITING_RE = re.compile(
    r"\bart[ís.]|\barts?\b|artículo|article|\bibara\b|الماد|\bpárr|\bpar\.|\bpara\.|\baya\b"
    r"|الفقرة|\bdisp\b|provision|transitori|\bLey\b|\bRDL?\b|\bLFT\b|\bLGSS\b|Decreto"
    r"|\bD\.\s?S\.|D\.\s?Leg|\bR\.\s?S\.|Convenio|Código|\bC189\b|\bR201\b|\bbill\b"
    r"|\bproyecto\b"
    r"|^(?:[^\d();]+[,،]\s(?:19|20)\d\d[;؛]\s?)*[^\d();]+[,،]\s(?:19|20)\d\d$",
    re.IGNORECASE,
)
_TRAILING_BRACKET_RE = re.compile(
    r"[ \t]*\(([^()]*(?:\([a-zA-Z0-9]{1,4}\)[^()]*)*)\)(?=[ \t]*[.;:,؛،]?[ \t]*(?:$|\s))",
    re.MULTILINE,
)


def is_citation(text: str) -> bool:
    return bool(re.search(r"\d", text)) and bool(_CITING_RE.search(text))


def split_citations(page: str) -> tuple[str, tuple[str, ...]]:
    """A page's text without its citations, and the citations in order, each once: the chat
    shows them as one short footer ("Source: RD 1620/2011, art. 9.1") instead of after every
    line. The printed handbook keeps them in the text."""
    cited: dict[str, None] = {}

    def lift(match: re.Match[str]) -> str:
        if not is_citation(match.group(1)):
            return match.group(0)
        cited[" ".join(match.group(1).split())] = None
        return ""

    return _TRAILING_BRACKET_RE.sub(lift, page), tuple(cited)


# A full stop ends a sentence when the next word does not start with a digit or a small
# letter: "art. 9.1" and "D.S. 009" go on.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?؟])\s+(?![\da-zß-ÿ])|\n+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*")


def sentences(text: str) -> list[int]:
    """The length in words of each sentence of a text. A line is a sentence too: lists and
    one-idea lines end without a full stop."""
    plain = _LINK_RE.sub(r"\1", text).replace("**", "")
    # Vowel marks (Arabic harakat) are not letters to the regex: without them a word is one.
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", plain) if not unicodedata.combining(ch)
    )
    lengths = []
    for part in _SENTENCE_END_RE.split(plain):
        words = len(_WORD_RE.findall(part))
        if words:
            lengths.append(words)
    return lengths


def shown_text(body: str) -> str:
    """The text as the chat shows it: each page without the citations its footer carries."""
    return "\n\n".join(split_citations(page)[0] for page in paginate(body))


# A section's search words: a hidden line of the topic's text, `<!-- search: day off, free
# day, sunday -->`, usually under the section's bold heading. Never shown; the page that holds
# the section is found by them (the words people use for what it answers).
_SEARCH_LINE_RE = re.compile(r"^[ \t]*<!--\s*search:(?P<words>.*?)-->[ \t]*(?:\n|$)", re.MULTILINE)


def strip_search_lines(body: str) -> str:
    """The text as shown: without its search lines."""
    return _SEARCH_LINE_RE.sub("", body).strip()


def paginate(body: str, limit: int = SCREEN_CHARS) -> list[str]:
    """Screens of at most `limit` characters, cut at paragraph breaks (and at `---` lines)."""
    return [page for page, _asked in paginate_with_search(body, limit)]


def paginate_with_search(body: str, limit: int = SCREEN_CHARS) -> list[tuple[str, tuple[str, ...]]]:
    """Each screen, and the search words of its sections. A search line belongs to the
    paragraph it is in; one that stands alone, to the next paragraph. The screens are the
    same as those of the text without its search lines."""
    pages: list[tuple[str, tuple[str, ...]]] = []
    for section in re.split(r"^\s*---\s*$", body, flags=re.MULTILINE):
        current = ""
        asked: list[str] = []
        waiting: list[str] = []
        for block in _paragraphs(section):
            waiting += [
                w.strip()
                for m in _SEARCH_LINE_RE.finditer(block)
                for w in m["words"].split(",")
                if w.strip()
            ]
            paragraph = strip_search_lines(block)
            if not paragraph:
                continue
            candidate = f"{current}\n\n{paragraph}" if current else paragraph
            if current and len(candidate) > limit:
                pages.append((current, tuple(asked)))
                current, asked = paragraph, []
            else:
                current = candidate
            asked, waiting = asked + waiting, []
        if current:
            pages.append((current, tuple(asked + waiting)))
        elif waiting and pages:
            pages[-1] = (pages[-1][0], pages[-1][1] + tuple(waiting))
    return pages or [("", ())]


_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_LINK_RE = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def to_telegram_html(markdown: str) -> str:
    """The small Markdown subset authors use, as Telegram HTML (everything else escaped)."""
    out = []
    for line in markdown.splitlines():
        stripped = line.strip()
        bullet = stripped.startswith(("- ", "* "))
        if bullet:
            stripped = stripped[2:]
        heading = re.match(r"^#{1,2}\s+(.*)", stripped)
        if heading:
            stripped = f"**{heading.group(1)}**"
        text = html.escape(stripped, quote=False)
        text = _LINK_RE.sub(lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', text)
        text = _BOLD_RE.sub(r"<b>\1</b>", text)
        out.append(f"• {text}" if bullet else text)
    return "\n".join(out)


def to_plain_segments(markdown: str) -> list[tuple[str, bool]]:
    """Lines as (text, is_bullet) with links spelled out, for the printable handbook."""
    lines = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped == "---":  # a screen break in the chat is a paragraph break on paper
            lines.append(("", False))
            continue
        bullet = stripped.startswith(("- ", "* "))
        if bullet:
            stripped = stripped[2:]
        stripped = re.sub(r"^#{1,2}\s+(.*)", r"**\1**", stripped)
        stripped = _LINK_RE.sub(r"\1 (\2)", stripped)
        lines.append((stripped, bullet))
    return lines


@dataclass(frozen=True)
class Term:
    """A legal term of a jurisdiction (content/<j>/terms.toml) and the topics that explain it
    in plain words at its first appearance: `**CTS** (the money your employer deposits…)`."""

    term: str
    topics: tuple[str, ...]


def parse_terms(text: str, path: str) -> list[Term]:
    data = load_toml(text, path)
    found, problems = [], []
    for number, entry in enumerate(data.get("terms", []), 1):
        term, topics = entry.get("term"), entry.get("topics")
        if not isinstance(term, str) or not term.strip():
            problems.append(f"[[terms]] number {number}: `term` must be a word or phrase")
        elif not isinstance(topics, list) or not all(t in TOPICS for t in topics):
            problems.append(f"[[terms]] '{term}': `topics` must list topic ids")
        else:
            found.append(Term(term.strip(), tuple(topics)))
    if problems:
        raise ContentError(path, problems)
    return found


def explained_at_first_use(body: str, term: str) -> bool:
    """The term's first appearance is followed at once by a bracket that explains it (after
    the `**` that may close its bold): "**base reguladora** (el promedio…)"."""
    text, wanted = fold(body), fold(term)
    at = re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", text)
    if at is None:
        return False
    rest = text[at.end() :].lstrip("*")
    return rest.startswith(" (") and not is_citation(rest[1 : rest.find(")") + 1])


def mentions(body: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(term))}(?!\w)", fold(body)) is not None
