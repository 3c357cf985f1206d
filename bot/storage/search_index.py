"""The offline rights search: SQLite FTS5 in memory, diacritics folded, typo tolerant.

Each page of a topic is a document, so a question finds the page that answers it, not only
the topic. Each jurisdiction and language has its own table: bm25 weighs a word by how rare
it is among the pages she can be shown, so "empleada" (on every Spanish page for Spain) says
little and "paro" says much. Built once at start from the content library (a few thousand
pages: well under a second).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.search import (
    PageProfile,
    Synonym,
    SynonymTable,
    allowed_typos,
    answering_page,
    ngrams,
    search_text,
    search_words,
    terms,
)

# bm25 weights for the columns title, summary, keywords, asked, body. The topic's title,
# summary and keywords are on each of its pages; the page's own text and its sections' search
# lines (`asked`: the words people use for what it answers) tell its pages apart.
_WEIGHTS = (8.0, 4.0, 6.0, 6.0, 1.0)
SYNONYM_WEIGHT = 0.4
PHRASE_BONUS = -4.0  # per word of a topic's keyword phrase found as such in the question


@dataclass(frozen=True)
class Document:
    """One page of a topic."""

    jurisdiction: str
    topic: str
    language: str
    page: int
    title: str
    summary: str
    keywords: str
    body: str
    asked: tuple[str, ...] = ()  # the search words of the page's sections


@dataclass(frozen=True)
class Hit:
    topic: str
    language: str
    page: int
    rank: float  # bm25: lower is better


class SearchIndex:
    def __init__(
        self,
        documents: Iterable[Document],
        synonyms: dict[str, list[Synonym]] | None = None,
    ) -> None:
        self._synonyms = synonyms or {}
        # check_same_thread=False: built at start, then only read, from the event loop thread.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._tables: dict[tuple[str, str], str] = {}
        rows: dict[str, list[tuple[object, ...]]] = {}
        # table -> topic -> what each page says and answers (for the page that answers)
        self._pages: dict[str, dict[str, list[PageProfile]]] = {}
        # table -> topic -> its keywords of two words or more ("me botaron", "dia libre")
        self._phrases: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
        for d in documents:
            table = self._tables.setdefault(
                (d.jurisdiction, d.language), f"docs{len(self._tables)}"
            )
            title, summary, keywords, asked, body = (
                search_text(d.title),
                search_text(d.summary),
                search_text(d.keywords),
                search_text(" | ".join(d.asked)),
                search_text(d.body),
            )
            rows.setdefault(table, []).append(
                (title, summary, keywords, asked, body, d.topic, d.page)
            )
            if d.page == 0:
                self._phrases.setdefault(table, {})[d.topic] = tuple(
                    tuple(search_words(k))
                    for k in d.keywords.split("|")
                    if len(search_words(k)) > 1
                )
            self._pages.setdefault(table, {}).setdefault(d.topic, []).append(
                PageProfile.of(d.body, d.asked)
            )
        self._vocabulary: dict[str, list[str]] = {}
        for table, values in rows.items():
            self._db.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5("
                " title, summary, keywords, asked, body, topic UNINDEXED, page UNINDEXED,"
                " tokenize = 'unicode61 remove_diacritics 2')"
            )
            self._db.executemany(
                f"INSERT INTO {table} (title, summary, keywords, asked, body, topic, page)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            self._db.execute(f"CREATE VIRTUAL TABLE {table}_vocab USING fts5vocab({table}, 'row')")
            self._vocabulary[table] = [
                row[0] for row in self._db.execute(f"SELECT term FROM {table}_vocab")
            ]
        self._expand = functools.lru_cache(maxsize=8192)(self._expand_uncached)
        self._phrase_indexes: dict[str, Any] = {}
        self._synonym_tables: dict[str, SynonymTable] = {}

    # ---- a built index, kept between runs (bot/services/content.py's cache) ----------------
    def state(self) -> tuple[dict[str, Any], bytes]:
        """Everything the index knows, as JSON-able data and the FTS database's bytes."""
        return (
            {
                "tables": [[j, lang, table] for (j, lang), table in self._tables.items()],
                "pages": {
                    table: {
                        topic: [
                            [sorted(p.text), sorted(p.asked), [list(x) for x in p.phrases]]
                            for p in profiles
                        ]
                        for topic, profiles in topics.items()
                    }
                    for table, topics in self._pages.items()
                },
                "phrases": {
                    table: {topic: [list(p) for p in ps] for topic, ps in topics.items()}
                    for table, topics in self._phrases.items()
                },
                "vocabulary": self._vocabulary,
            },
            self._db.serialize(),
        )

    @classmethod
    def from_state(
        cls, data: dict[str, Any], database: bytes, synonyms: dict[str, list[Synonym]] | None
    ) -> SearchIndex:
        index = cls.__new__(cls)
        index._synonyms = synonyms or {}
        index._db = sqlite3.connect(":memory:", check_same_thread=False)
        index._db.deserialize(database)
        index._tables = {(j, lang): table for j, lang, table in data["tables"]}
        index._pages = {
            table: {
                topic: [
                    PageProfile(frozenset(text), frozenset(asked), tuple(map(tuple, phrases)))
                    for text, asked, phrases in profiles
                ]
                for topic, profiles in topics.items()
            }
            for table, topics in data["pages"].items()
        }
        index._phrases = {
            table: {topic: tuple(map(tuple, ps)) for topic, ps in topics.items()}
            for table, topics in data["phrases"].items()
        }
        index._vocabulary = data["vocabulary"]
        index._expand = functools.lru_cache(maxsize=8192)(index._expand_uncached)
        index._phrase_indexes = {}
        index._synonym_tables = {}
        return index

    def _expand_uncached(self, table: str, word: str) -> tuple[str, ...]:
        """The word, its prefix form, and words of this table within a small edit distance
        (optimal string alignment: a swap of two letters is one typo), closest first."""
        limit = allowed_typos(word)
        found = process.extract(
            word, self._vocabulary[table], scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        close = [term for term, _distance, _index in sorted(found, key=lambda f: (f[1], f[2]))]
        close = [term for term in close if term != word]
        forms = [f'"{word}"', f'"{word}"*'] if len(word) >= 4 else [f'"{word}"']
        return (*forms, *(f'"{term}"' for term in close[:8]))

    def search(
        self, question: str, jurisdiction: str, languages: tuple[str, ...], limit: int = 3
    ) -> list[Hit]:
        """The best page of each of the best topics, best first, in the first of `languages`
        that finds anything (her own language, then the fallbacks)."""
        words = terms(question)
        if not words:
            return []
        said = search_words(question)
        for language in languages:
            table = self._tables.get((jurisdiction, language))
            if table is None:
                continue
            groups = [
                tuple(w for w in group if w not in words)
                for lang in dict.fromkeys((languages[0], language))
                for group in self._synonym_table(lang).groups(said)
            ]
            groups = [g for g in dict.fromkeys(groups) if g]
            hits = self._search(table, words, groups, said, language, limit)
            if hits:
                return hits
        return []

    def _search(
        self,
        table: str,
        words: list[str],
        groups: list[tuple[str, ...]],
        said_words: list[str],
        language: str,
        limit: int,
    ) -> list[Hit]:
        """Topics ranked by their best page: bm25 over the page with its topic's title,
        summary, keywords and search lines, for her own words, plus, for each synonym she
        used, SYNONYM_WEIGHT times that for the library's words it stands for, shared among
        them (a synonym says what she means, less surely than her own words, and one that
        stands for four library words must not count four times: "tengo miedo que me echen"
        is about dismissal, not violence). Each opens on the page that answers it
        (`answering_page`)."""
        scores: dict[tuple[str, int], float] = {}
        searches = [(words, 1.0)] + [(g, SYNONYM_WEIGHT / len(g)) for g in groups]
        for group, weight in searches:
            for topic, page, rank in self._rank(table, list(group)):
                scores[(topic, page)] = scores.get((topic, page), 0.0) + weight * rank
        extra = list(dict.fromkeys(w for g in groups for w in g))
        said = tuple(said_words)
        topic_phrases, page_phrases, longest = self._phrase_index(table)
        grams = ngrams(said, longest)
        topic_best: dict[str, int] = {}
        page_best: dict[tuple[str, int], int] = {}
        for gram in grams:
            for topic in topic_phrases.get(gram, ()):
                topic_best[topic] = max(topic_best.get(topic, 0), len(gram))
            for key in page_phrases.get(gram, ()):
                page_best[key] = max(page_best.get(key, 0), len(gram))
        for key in scores:
            # a topic's own phrase, word for word: the surest sign there is; and her words
            # as a search line of that page has them
            scores[key] += PHRASE_BONUS * (topic_best.get(key[0], 0) + page_best.get(key, 0))
        ranked: dict[str, float] = {}
        for (topic, _page), score in sorted(scores.items(), key=lambda item: item[1]):
            ranked.setdefault(topic, score)
        pages = self._pages[table]
        return [
            Hit(topic, language, answering_page(words, extra, said, pages[topic]), rank)
            for topic, rank in list(ranked.items())[:limit]
        ]

    def _synonym_table(self, language: str) -> SynonymTable:
        table = self._synonym_tables.get(language)
        if table is None:
            table = self._synonym_tables[language] = SynonymTable(self._synonyms.get(language, []))
        return table

    def _phrase_index(
        self, table: str
    ) -> tuple[dict[tuple[str, ...], list[str]], dict[tuple[str, ...], list[tuple[str, int]]], int]:
        """Which topics have each keyword phrase, which pages each search-line phrase, and
        the longest of them (worked out once per table)."""
        found = self._phrase_indexes.get(table)
        if found is None:
            topics: dict[tuple[str, ...], list[str]] = {}
            for topic, phrases in self._phrases.get(table, {}).items():
                for phrase in dict.fromkeys(phrases):
                    topics.setdefault(phrase, []).append(topic)
            pages: dict[tuple[str, ...], list[tuple[str, int]]] = {}
            for topic, profiles in self._pages.get(table, {}).items():
                for number, profile in enumerate(profiles):
                    for phrase in dict.fromkeys(profile.phrases):
                        pages.setdefault(phrase, []).append((topic, number))
            longest = max((len(p) for p in (*topics, *pages)), default=1)
            found = self._phrase_indexes[table] = (topics, pages, longest)
        return found

    def _rank(self, table: str, words: list[str]) -> list[tuple[str, int, float]]:
        match = " OR ".join(form for word in words for form in self._expand(table, word))
        weights = ", ".join(map(str, _WEIGHTS))
        return [
            (topic, int(page), rank)
            for topic, page, rank in self._db.execute(
                f"SELECT topic, page, bm25({table}, {weights}) FROM {table} WHERE {table} MATCH ?",
                (match,),
            )
        ]
