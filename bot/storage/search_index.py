"""The offline rights search: SQLite FTS5 in memory, diacritics folded, typo tolerant.

Built once at start from the content library (a few hundred topics: milliseconds).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.search import allowed_typos, terms

# bm25 weights for the columns title, summary, keywords, body.
_WEIGHTS = (8.0, 4.0, 6.0, 1.0)


@dataclass(frozen=True)
class Document:
    jurisdiction: str
    topic: str
    language: str
    title: str
    summary: str
    keywords: str
    body: str


class SearchIndex:
    def __init__(self, documents: Iterable[Document]) -> None:
        # check_same_thread=False: built at start, then only read, from the event loop thread.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            " title, summary, keywords, body,"
            " jurisdiction UNINDEXED, topic UNINDEXED, language UNINDEXED,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
        self._db.executemany(
            "INSERT INTO docs (title, summary, keywords, body, jurisdiction, topic, language)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (d.title, d.summary, d.keywords, d.body, d.jurisdiction, d.topic, d.language)
                for d in documents
            ],
        )
        self._db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row')")
        self._vocabulary = [row[0] for row in self._db.execute("SELECT term FROM vocab")]
        self._expand = functools.lru_cache(maxsize=4096)(self._expand_uncached)

    def _expand_uncached(self, word: str) -> tuple[str, ...]:
        """The word, its prefix form, and indexed words within a small edit distance
        (optimal string alignment: a swap of two letters is one typo), closest first."""
        limit = allowed_typos(word)
        found = process.extract(
            word, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        close = [term for term, _distance, _index in sorted(found, key=lambda f: (f[1], f[2]))]
        close = [term for term in close if term != word]
        forms = [f'"{word}"', f'"{word}"*'] if len(word) >= 4 else [f'"{word}"']
        return (*forms, *(f'"{term}"' for term in close[:8]))

    def search(
        self, question: str, jurisdiction: str, languages: tuple[str, ...], limit: int = 3
    ) -> list[tuple[str, str]]:
        """Best (topic, language) pairs for the question, best first."""
        words = terms(question)
        if not words:
            return []
        match = " OR ".join(form for word in words for form in self._expand(word))
        placeholders = ",".join("?" * len(languages))
        rows = self._db.execute(
            f"SELECT topic, language, bm25(docs, {', '.join(map(str, _WEIGHTS))}) AS rank"
            f" FROM docs WHERE docs MATCH ? AND jurisdiction = ? AND language IN ({placeholders})"
            " ORDER BY rank",
            (match, jurisdiction, *languages),
        ).fetchall()
        # One result per topic, in the first language that has it.
        preference = {lang: i for i, lang in enumerate(languages)}
        best: dict[str, tuple[float, int, str]] = {}
        for topic, language, rank in rows:
            key = (rank, preference[language], language)
            if topic not in best or (key[1], key[0]) < (best[topic][1], best[topic][0]):
                best[topic] = key
        ordered = sorted(best.items(), key=lambda item: item[1][0])
        return [(topic, lang) for topic, (_rank, _pref, lang) in ordered[:limit]]
