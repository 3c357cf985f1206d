"""The parsed rights library and its search index, kept between starts in the data folder.

Reading the library means parsing 504 topic files and indexing every page: about a second,
on every start, for content that changes a few times a month. The first start writes what it
built to `<data>/cache/library-<key>.json` (the topics and the index's word families) and
`library-<key>.sqlite` (the full-text tables); the next starts read those instead. The key is
a digest of every content file's bytes and of the code that turns them into topics and an
index, so a changed file or a new version of the bot builds afresh; files of other keys are
removed. The cache is JSON and a plain SQLite file, never pickle: a file in the data folder
can make the bot show wrong text at worst, never run code. Anything unreadable is ignored and
rebuilt. The small rules, checks, terms, synonyms and danger-sign files are always read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.domain.content import Source, Topic
from bot.services.files import write_atomic
from bot.storage.search_index import SearchIndex

if TYPE_CHECKING:
    from bot.services.content import Library

log = logging.getLogger(__name__)
FORMAT = 1  # raise when the files' layout changes
_BOT = Path(__file__).resolve().parent.parent
# The code whose output the cache holds: a change to any of it builds afresh.
_CODE = (
    "domain/content.py",
    "domain/search.py",
    "domain/text.py",
    "domain/small_talk.py",
    "storage/search_index.py",
    "services/content.py",
    "services/library_cache.py",
)


def key(root: Path) -> str:
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (_BOT / name).read_bytes())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".md", ".toml") and path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def load(library: type[Library], root: Path, cache_dir: Path) -> Library:
    name = key(root)
    data_file, index_file = cache_dir / f"library-{name}.json", cache_dir / f"library-{name}.sqlite"
    try:
        data = json.loads(data_file.read_text("utf-8"))
        database = index_file.read_bytes()
        topics = [_topic(t) for t in data["topics"]]
        found = library._assemble(
            root,
            topics,
            list(data["problems"]),
            lambda synonyms: SearchIndex.from_state(data["index"], database, synonyms),
        )
        log.info("content: %d topics read from the cache", len(topics))
        return found
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("content: the cache could not be read (%s); building it again", error)
    topics, problems = library._read_topics(root)
    built = library._assemble(root, topics, problems)
    try:
        _write(cache_dir, name, topics, problems, built)
    except OSError as error:  # a read-only data folder: the bot still runs, just slower
        log.warning("content: the cache could not be written (%s)", error)
    return built


def _write(
    cache_dir: Path, name: str, topics: list[Topic], problems: list[str], built: Library
) -> None:
    index, database = built._index.state()
    data = {
        "topics": [_plain(t) for t in topics],
        "problems": list(problems),
        "index": index,
    }
    # The index first, the JSON last: a JSON file is only ever beside its index.
    write_atomic(cache_dir / f"library-{name}.sqlite", database)
    write_atomic(cache_dir / f"library-{name}.json", json.dumps(data, ensure_ascii=False).encode())
    for old in cache_dir.glob("library-*"):
        if not old.name.startswith(f"library-{name}."):
            old.unlink(missing_ok=True)


def _plain(topic: Topic) -> dict[str, Any]:
    plain = dataclasses.asdict(topic)
    plain["reviewed"] = topic.reviewed.isoformat()
    plain["effective"] = topic.effective.isoformat() if topic.effective else None
    return plain


def _topic(plain: dict[str, Any]) -> Topic:
    return Topic(
        **{
            **plain,
            "reviewed": dt.date.fromisoformat(plain["reviewed"]),
            "effective": dt.date.fromisoformat(plain["effective"]) if plain["effective"] else None,
            "sources": tuple(Source(**s) for s in plain["sources"]),
            "related": tuple(plain["related"]),
            "keywords": tuple(plain["keywords"]),
            "page_search": tuple(tuple(p) for p in plain["page_search"]),
        }
    )
