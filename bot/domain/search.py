"""Text folding and typo tolerance for the offline rights search."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from bot.domain.small_talk import SMALL_TALK_WORDS
from bot.domain.text import fold, words

__all__ = ["STOPWORDS", "allowed_typos", "fold", "terms"]

# Words too common to say anything about the topic (folded: no accents).
STOPWORDS = frozenset(
    " ".join(
        (
            "a al algo ante como con contra cual cuando de del desde donde el ella en entre era "
            "es esa ese eso esta este esto estoy fue ha hay la las le les lo los me mi mis muy no "
            "nos o para pero por porque puede puedo que se si sin sobre su sus te tengo tiene tu "
            "un una uno y ya yo hace hacer quiero saber cuanto cuantos cuantas debo deben",  # es
            "the an and are as at be can do does for from have how i in is it me my of on or that "
            "this to what when where which who why will with you your am was",  # en
            "o os as um uma do da dos das no na nos nas em eu meu minha voce com para por pode "
            "posso",  # pt
            "le les un une des du et est je mon ma mes pour dans pas ne sur avec qui quoi",  # fr
            "ang ng sa mga ako ko ba na at ay si",  # tl
            "ya na ni kwa wa la za je",  # sw
        )
    ).split()
)


MAX_TERMS = 24  # distinct words of a question that are searched: a question has fewer


def terms(text: str) -> list[str]:
    """The words of a question worth searching for, each once, at most MAX_TERMS: a message
    that repeats a word 200 times costs what the question costs, not 200 searches."""
    found = dict.fromkeys(
        w for w in words(text) if len(w) > 1 and w not in STOPWORDS and w not in SMALL_TALK_WORDS
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


def best_page(question: str, pages: Sequence[str]) -> int:
    """The page of a topic that answers the question best: the one where most of its words
    (or their families) appear. The first page when none does better."""
    wanted = {_stem(t) for t in terms(question) if len(t) > 3}
    if not wanted or len(pages) < 2:
        return 0
    scores = []
    for page in pages:
        present = {_stem(w) for w in words(page) if len(w) > 3}
        found = {stem for stem in wanted if any(_same_family(stem, p) for p in present)}
        scores.append(len(found))
    best = max(range(len(pages)), key=lambda n: (scores[n], -n))
    return best if scores[best] > scores[0] else 0
