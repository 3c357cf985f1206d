"""Text folding and typo tolerance for the offline rights search."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from bot.domain.content import ContentError, load_toml
from bot.domain.small_talk import SMALL_TALK_WORDS
from bot.domain.text import fold, words

__all__ = [
    "STOPWORDS",
    "PageProfile",
    "Synonym",
    "SynonymTable",
    "allowed_typos",
    "answering_page",
    "fold",
    "ngrams",
    "parse_synonyms",
    "search_text",
    "search_words",
    "terms",
]

# Words too common to say anything about the topic (folded: no accents).
STOPWORDS = frozenset(
    " ".join(
        (
            "a al algo ante como con contra cual cuando de del desde donde el ella en entre era "
            "es esa ese eso esta este esto estoy fue ha hay la las le les lo los me mi mis muy no "
            "nos o para pero por porque puede puedo que se si sin sobre su sus te tengo tiene tu "
            "un una uno y ya yo hace hacer quiero saber cuanto cuantos cuantas debo deben "
            "q xq",  # es
            "the an and are as at be can do does for from have how i in is it me my of on or that "
            "this to what when where which who why will with you your am was they them their "
            "she he her his we our us im dont its there here then than also not get got has had "
            "would should could must any some many much every",  # en
            "o os as um uma do da dos das no na nos nas em eu meu minha voce com para por pode "
            "posso ela ele elas eles isso isto esse essa ta tem tenho sou estou fui mim q",  # pt
            "le les un une des du et est je mon ma mes pour dans pas ne sur avec qui quoi il elle "
            "ils elles ce ca cette au aux suis ai peux peut veut me moi chez",  # fr
            "ang ng sa mga ako ko ba na at ay si siya niya kami kayo ito iyan po ho pero may "
            "akong ka mo hindi wala dito ilang",  # tl
            "ya na ni kwa wa la za je mimi wewe yeye sisi hii huyu sina wapi nina",  # sw
            "في من على عن ما هل لي انا هو هي واش شحال فين ديال عندي عنديش",  # ar (folded: no hamza)
        )
    ).split()
)

# Arabic glues the article and some particles to the word: "والأجر", "بالعقد", "للعاملة". The
# search compares words without them (on both sides), so "المساعدة" finds "مساعدة".
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_AR_LETTERS = str.maketrans({"ة": "ه", "ى": "ي"})


def _normal(word: str) -> str:
    if word and "\u0600" <= word[0] <= "\u06ff":
        word = word.translate(_AR_LETTERS)
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return word[len(prefix) :]
    return word


_TOKEN_RE = re.compile(r"\S+")


@functools.lru_cache(maxsize=1 << 16)
def _token_words(token: str) -> tuple[str, ...]:
    return tuple(_normal(w) for w in words(token))


def search_words(text: str) -> list[str]:
    """The words of a text as the search compares them: folded (no case, no accents) and,
    in Arabic, without the glued article. Folded per space-separated token, each once (the
    library's few thousand distinct tokens are folded once, not on every page)."""
    return [w for token in _TOKEN_RE.findall(text) for w in _token_words(token)]


def search_text(text: str) -> str:
    """A text as the search index stores it: its search words, space separated."""
    return " ".join(search_words(text))


@dataclass(frozen=True)
class Synonym:
    """Words people use (each a word or a short phrase) and words the library uses for the
    same thing: "me echaron" -> "despido"."""

    people: tuple[tuple[str, ...], ...]
    library: tuple[str, ...]


def parse_synonyms(text: str, path: str) -> list[Synonym]:
    """content/search/<language>.toml: [[same]] tables with `people` and `library` lists."""
    data = load_toml(text, path)
    problems: list[str] = []
    found: list[Synonym] = []
    for number, entry in enumerate(data.get("same", []), 1):
        people, library = entry.get("people"), entry.get("library")
        if not _strings(people) or not _strings(library):
            problems.append(
                f"[[same]] number {number}: `people` and `library` must be lists of words"
            )
            continue
        found.append(
            Synonym(
                tuple(tuple(search_words(p)) for p in people if search_words(p)),
                tuple(w for lib in library for w in search_words(lib)),
            )
        )
    if problems:
        raise ContentError(path, problems)
    return found


def _strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def expand(question: list[str], synonyms: Sequence[Synonym]) -> list[str]:
    """The library's words for what the question says in people's words."""
    return list(dict.fromkeys(w for group in synonym_groups(question, synonyms) for w in group))


def synonym_groups(question: list[str], synonyms: Sequence[Synonym]) -> list[tuple[str, ...]]:
    """For each synonym the question uses, the library's words for it (one group each)."""
    return SynonymTable(synonyms).groups(question)


class SynonymTable:
    """A language's synonyms, looked up by the phrases of a question (built once)."""

    def __init__(self, synonyms: Sequence[Synonym]) -> None:
        self.synonyms = tuple(synonyms)
        self._by_phrase: dict[tuple[str, ...], list[int]] = {}
        for number, synonym in enumerate(self.synonyms):
            for phrase in dict.fromkeys(synonym.people):
                self._by_phrase.setdefault(phrase, []).append(number)
        self.longest = max((len(p) for p in self._by_phrase), default=0)

    def groups(self, question: Sequence[str]) -> list[tuple[str, ...]]:
        """The library's words for each synonym the question uses, in the table's order."""
        said = ngrams(question, self.longest)
        used = sorted({n for phrase in said for n in self._by_phrase.get(phrase, ())})
        return [self.synonyms[n].library for n in used]


def ngrams(words: Sequence[str], longest: int) -> frozenset[tuple[str, ...]]:
    """Every run of 1 to `longest` consecutive words: a phrase of up to `longest` words is in
    the text exactly when it is in this set (one lookup, not a scan of the text)."""
    return frozenset(
        tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)
    )


MAX_TERMS = 24  # distinct words of a question that are searched: a question has fewer


def terms(text: str) -> list[str]:
    """The words of a question worth searching for, each once, at most MAX_TERMS: a message
    that repeats a word 200 times costs what the question costs, not 200 searches."""
    found = dict.fromkeys(
        w
        for w in search_words(text)
        if len(w) > 1 and w not in STOPWORDS and w not in SMALL_TALK_WORDS
    )
    return list(found)[:MAX_TERMS]


def allowed_typos(word: str) -> int:
    return 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2


def _stem(word: str) -> str:
    """Enough of a word to find its family: "despedir" finds "despido", "embarazada"
    "embarazo"."""
    return word[: 4 if len(word) <= 8 else min(len(word) - 3, 7)]


def _same_family(stem: str, other: str) -> bool:
    """ "embaraz" and "embaraz…", or a typo away ("enbaraz") for longer stems."""
    if other.startswith(stem) or stem.startswith(other):
        return True
    return len(stem) >= 5 and Levenshtein.distance(stem, other[: len(stem)]) <= 1


def page_stems(page: str) -> frozenset[str]:
    """The word families of a page, as `best_page` compares them (worked out once per page)."""
    return frozenset(_stem(w) for w in words(page) if len(w) > 3)


def best_page(question: str, pages: Sequence[str | frozenset[str]]) -> int:
    """The page of a topic that answers the question best: the one where most of its words
    (or their families) appear. The first page when none does better. A page is its text, or
    its `page_stems` when the caller keeps them."""
    wanted = {_stem(t) for t in terms(question) if len(t) > 3}
    if not wanted or len(pages) < 2:
        return 0
    scores = []
    for page in pages:
        present = page if isinstance(page, frozenset) else page_stems(page)
        found = {stem for stem in wanted if any(_same_family(stem, p) for p in present)}
        scores.append(len(found))
    best = max(range(len(pages)), key=lambda n: (scores[n], -n))
    return best if scores[best] > scores[0] else 0


@dataclass(frozen=True)
class PageProfile:
    """What `answering_page` knows of a page: the word families of its text, and those of
    its sections' search lines (the words people use for what it answers)."""

    text: frozenset[str]
    asked: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]  # search-line entries of two words or more

    @classmethod
    def of(cls, page: str, asked: Sequence[str] = ()) -> PageProfile:
        said = [search_words(a) for a in asked]
        return cls(
            frozenset(_stem(w) for w in search_words(page) if len(w) > 3),
            frozenset(_stem(w) for ws in said for w in ws if len(w) > 3),
            tuple(tuple(ws) for ws in said if len(ws) > 1),
        )


ASKED_WEIGHT = 2.0  # a word of a page's search line, against the same word in its text
ASKED_PHRASE_WEIGHT = 3.0  # per word of a search-line phrase she wrote word for word


def answering_page(
    own: Sequence[str], extra: Sequence[str], said: Sequence[str], pages: Sequence[PageProfile]
) -> int:
    """The page of a topic that answers the question: each of her words (`own`, and at
    SYNONYM_PAGE_WEIGHT the library's words for them, `extra`) counts on a page that has it
    in its text or (more) in its search lines, weighed by how few of the topic's pages have
    it: a word on every page says nothing about which one. A search-line phrase she used
    word for word counts most. The first page unless another does better."""
    if len(pages) < 2:
        return 0
    wanted: dict[str, float] = {}
    for word in own:
        if len(word) > 3:
            wanted.setdefault(_stem(word), 1.0)
    for word in extra:
        if len(word) > 3:
            wanted.setdefault(_stem(word), SYNONYM_PAGE_WEIGHT)
    n = len(pages)
    scores = [0.0] * n
    for stem, weight in wanted.items():
        in_text = [any(_same_family(stem, p) for p in page.text) for page in pages]
        in_asked = [any(_same_family(stem, p) for p in page.asked) for page in pages]
        having = sum(1 for t, a in zip(in_text, in_asked, strict=True) if t or a)
        if not having:
            continue
        rarity = math.log(1 + n / having)
        for number in range(n):
            if in_asked[number]:
                scores[number] += weight * rarity * ASKED_WEIGHT
            elif in_text[number]:
                scores[number] += weight * rarity
    grams = ngrams(tuple(said), max((len(p) for page in pages for p in page.phrases), default=0))
    for number, page in enumerate(pages):
        longest = max((len(p) for p in page.phrases if p in grams), default=0)
        scores[number] += ASKED_PHRASE_WEIGHT * longest
    best = max(range(n), key=lambda k: (scores[k], -k))
    return best if scores[best] > scores[0] + 1e-9 else 0


SYNONYM_PAGE_WEIGHT = 0.4
