"""Benchmark: the rights search, answers and speed, beside the previous design in one run.

Runs every question of tests/search_questions.toml (real questions, seven languages, Spain),
and of bench/search_heldout.toml (questions nobody tuned the search lines to)
through two searches over the same content:

- baseline: the search before 2026-12-03: one FTS5 table of whole topics for the whole
  library (a word weighed against every country and language), typos, no synonyms, no Arabic
  article, the page picked afterwards by the words it shares with the question;
- current: `Library.search` (every page a document, a table per country and language,
  content/search/<language>.toml, Arabic article folded).

It prints, per language and in total, how many questions open on a page that holds the
answer (and how many have the right topic first), the time to build each index, and p50/p99
per question.

    .venv/bin/python bench/search.py [--runs 20]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import process  # noqa: E402
from rapidfuzz.distance import OSA  # noqa: E402

from bot.domain.search import allowed_typos, best_page, terms  # noqa: E402
from bot.services.content import Library  # noqa: E402

TABLE = ROOT / "tests" / "search_questions.toml"
HELD_OUT = ROOT / "bench" / "search_heldout.toml"  # never tuned to: see its header
JURISDICTION = "spain"
Search = Callable[[str, str], tuple[str, int] | None]  # (question, locale) -> (topic, page)


class Baseline:
    """The previous design, kept here only to be measured against."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, summary, keywords, body,"
            " jurisdiction UNINDEXED, topic UNINDEXED, language UNINDEXED,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (t.title, t.summary, " ".join(t.keywords), t.body, j, topic, lang)
                for (j, topic, lang), t in library.topics.items()
            ],
        )
        self.db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row')")
        self.vocabulary = [row[0] for row in self.db.execute("SELECT term FROM vocab")]

    def expand(self, word: str) -> list[str]:
        """The word, its prefix form, and words within one or two typos (as before)."""
        found = process.extract(
            word, self.vocabulary, scorer=OSA.distance, score_cutoff=allowed_typos(word), limit=None
        )
        close = [t for t, _d, _i in sorted(found, key=lambda f: (f[1], f[2])) if t != word]
        forms = [f'"{word}"', f'"{word}"*'] if len(word) >= 4 else [f'"{word}"']
        return forms + [f'"{t}"' for t in close[:8]]

    def __call__(self, question: str, locale: str) -> tuple[str, int] | None:
        words = terms(question)
        if not words:
            return None
        match = " OR ".join(form for w in words for form in self.expand(w))
        languages = self.library.languages_for(JURISDICTION, locale)
        marks = ",".join("?" * len(languages))
        row = self.db.execute(
            "SELECT topic, language FROM docs WHERE docs MATCH ? AND jurisdiction = ?"
            f" AND language IN ({marks}) ORDER BY bm25(docs, 8.0, 4.0, 6.0, 1.0) LIMIT 1",
            (match, JURISDICTION, *languages),
        ).fetchone()
        if row is None:
            return None
        topic = self.library.topics[(JURISDICTION, row[0], row[1])]
        return topic.topic, best_page(question, topic.pages)


def current(library: Library) -> Search:
    def search(question: str, locale: str) -> tuple[str, int] | None:
        hits = library.search(question, JURISDICTION, locale)
        return (hits[0].topic.topic, hits[0].page) if hits else None

    return search


def score(
    search: Search, library: Library, questions: list[dict[str, str]]
) -> dict[str, Counter[str]]:
    result: dict[str, Counter[str]] = {}
    for q in questions:
        counts = result.setdefault(q["language"], Counter())
        counts["asked"] += 1
        found = search(q["question"], q["language"])
        if found is None or found[0] != q["topic"]:
            continue
        counts["topic"] += 1
        shown = library.get(JURISDICTION, found[0], q["language"])
        assert shown is not None
        if q["answer"].lower() in shown.topic.pages[found[1]].lower():
            counts["page"] += 1
    return result


def timing(search: Search, questions: list[dict[str, str]], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        for q in questions:
            start = time.perf_counter()
            search(q["question"], q["language"])
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed passes over the table")
    args = parser.parse_args()
    with TABLE.open("rb") as f:
        questions = tomllib.load(f)["question"]
    start = time.perf_counter()
    library = Library.load()
    build_current = time.perf_counter() - start
    start = time.perf_counter()
    baseline = Baseline(library)
    build_baseline = time.perf_counter() - start
    searches = {"baseline": baseline, "current": current(library)}
    scores = {name: score(s, library, questions) for name, s in searches.items()}
    print(f"{len(questions)} questions ({TABLE.name}), jurisdiction {JURISDICTION}")
    print(f"{'language':<10}{'baseline page/topic':>22}{'current page/topic':>22}")
    languages = list(dict.fromkeys(q["language"] for q in questions))
    totals = {name: Counter[str]() for name in searches}
    for language in languages:
        cells = []
        for name in searches:
            c = scores[name][language]
            totals[name].update(c)
            cells.append(f"{c['page']}/{c['topic']} of {c['asked']}")
        print(f"{language:<10}{cells[0]:>22}{cells[1]:>22}")
    cells = [f"{t['page']}/{t['topic']} of {t['asked']}" for t in totals.values()]
    print(f"{'total':<10}{cells[0]:>22}{cells[1]:>22}")
    print(
        f"build     baseline {build_baseline * 1000:.0f} ms (index only),"
        f" current {build_current * 1000:.0f} ms (reading every file + index)"
    )
    with HELD_OUT.open("rb") as f:
        held_out = tomllib.load(f)["question"]
    held = {name: score(s, library, held_out) for name, s in searches.items()}
    cells = [
        f"{sum(c['page'] for c in held[name].values())}"
        f"/{sum(c['topic'] for c in held[name].values())} of {len(held_out)}"
        for name in searches
    ]
    print(f"{'held out':<10}{cells[0]:>22}{cells[1]:>22}   ({HELD_OUT.name}, never tuned to)")
    for name, s in searches.items():
        p50, p99 = timing(s, questions, args.runs)
        print(f"{name:<10} per question p50 {p50:.2f} ms, p99 {p99:.2f} ms ({args.runs} passes)")


if __name__ == "__main__":
    main()
