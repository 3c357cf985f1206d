"""Audio episodes: the shipped catalogue under content/episodes/, the build that turns
transcripts (or recordings) into voice notes, and episodes organisers recorded.

content/episodes/<id>/episode.toml   titles, descriptions, topic, sources (authored)
content/episodes/<id>/<lang>.txt     the transcript (authored)
content/episodes/<id>/<lang>.wav|mp3|m4a|ogg   optional human recording (preferred to TTS)
content/episodes/<id>/<lang>.ogg     the voice note(s) `dwbot audio build` writes
content/episodes/catalogue.json      what the build made: parts, seconds, bytes, source hash
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.clock import Clock, iso
from bot.services import audio, speech
from bot.services.content import CONTENT_DIR
from bot.storage.audio import AudioStore

log = logging.getLogger(__name__)
EPISODES_DIR = CONTENT_DIR / "episodes"
CATALOGUE = "catalogue.json"
RECORDING_SUFFIXES = (".wav", ".mp3", ".m4a", ".flac")
# A change re-encodes all. v2: synthesis at 120 words a minute, sentence by sentence, with
# 0.75 s pauses (espeak-ng's library from espeakng-loader).
PIPELINE_VERSION = (
    f"opus-{audio.BITRATE}-{audio.TARGET_LUFS}-v2-{speech.RATE_WPM}wpm-{speech.PAUSE_MS}ms"
)


@dataclass(frozen=True)
class AudioPart:
    path: Path
    seconds: float
    size: int


@dataclass(frozen=True)
class Episode:
    id: str
    topic: str | None
    titles: dict[str, str]
    descriptions: dict[str, str]
    transcripts: dict[str, str]
    audio: dict[str, tuple[AudioPart, ...]]
    sources: tuple[dict[str, str], ...] = ()
    recorded: bool = False
    jurisdiction: str = "ilo"  # whose law it explains; "ilo": the international minimum

    def languages(self) -> list[str]:
        return [lang for lang in self.audio if self.audio[lang]]

    def seconds(self, lang: str) -> float:
        return sum(p.seconds for p in self.audio.get(lang, ()))

    def size(self, lang: str) -> int:
        return sum(p.size for p in self.audio.get(lang, ()))


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    no_voice: list[str] = field(default_factory=list)  # transcripts no offline voice can speak
    lines: list[str] = field(default_factory=list)  # one per file built: size, rate, pauses


class TooFast(RuntimeError):
    """A synthesised episode over 130 words a minute or with a pause under 0.6 s."""


def _catalogue(root: Path) -> dict[str, Any]:
    path = root / CATALOGUE
    return json.loads(path.read_text("utf-8")) if path.is_file() else {"episodes": {}}


def load(root: Path = EPISODES_DIR) -> list[Episode]:
    """The shipped episodes that have been built, in their folder order."""
    catalogue = _catalogue(root).get("episodes", {})
    episodes = []
    for folder in sorted(p for p in root.iterdir() if (p / "episode.toml").is_file()):
        meta = tomllib.loads((folder / "episode.toml").read_text("utf-8"))
        built = catalogue.get(meta["id"], {})
        episodes.append(
            Episode(
                id=meta["id"],
                topic=meta.get("topic"),
                titles=dict(meta.get("titles", {})),
                descriptions=dict(meta.get("descriptions", {})),
                transcripts={
                    p.stem: p.read_text("utf-8").strip() for p in sorted(folder.glob("*.txt"))
                },
                audio={
                    lang: tuple(
                        AudioPart(folder / part["file"], part["seconds"], part["bytes"])
                        for part in info["parts"]
                    )
                    for lang, info in built.items()
                },
                sources=tuple(meta.get("sources", [])),
                jurisdiction=meta.get("jurisdiction", "ilo"),
            )
        )
    return episodes


def build(root: Path = EPISODES_DIR, force: bool = False) -> BuildReport:
    """Encode every (episode, language) whose source changed since the last build."""
    catalogue = _catalogue(root)
    report = BuildReport()
    for folder in sorted(p for p in root.iterdir() if (p / "episode.toml").is_file()):
        episode_id = tomllib.loads((folder / "episode.toml").read_text("utf-8"))["id"]
        entry = catalogue["episodes"].setdefault(episode_id, {})
        for transcript in sorted(folder.glob("*.txt")):
            lang = transcript.stem
            recording = next(
                (
                    folder / f"{lang}{s}"
                    for s in RECORDING_SUFFIXES
                    if (folder / f"{lang}{s}").is_file()
                ),
                None,
            )
            source_bytes = recording.read_bytes() if recording else transcript.read_bytes()
            source_sha = audio.sha256(source_bytes, PIPELINE_VERSION.encode())
            previous = entry.get(lang, {})
            files_ok = all((folder / p["file"]).is_file() for p in previous.get("parts", []))
            if not force and previous.get("source_sha") == source_sha and files_ok:
                report.unchanged.append(f"{episode_id}/{lang}")
                continue
            for old in previous.get("parts", []):
                (folder / old["file"]).unlink(missing_ok=True)
            if recording is None and not speech.has_voice(lang):
                report.no_voice.append(f"{episode_id}/{lang}")
                continue
            text = transcript.read_text("utf-8")
            measured: speech.Measure | None = None
            with tempfile.TemporaryDirectory() as tmp:
                source = recording
                if source is None:
                    source = Path(tmp) / f"{lang}.wav"
                    spoken, measured = speech.speak_measured(text, lang)
                    if measured.wpm > speech.MAX_WPM or (
                        measured.pauses and measured.shortest_pause < speech.MIN_PAUSE_S
                    ):
                        raise TooFast(f"{episode_id}/{lang}: {measured}")
                    spoken.export(source, format="wav")
                parts = audio.process(source, folder / lang)
            seconds = sum(p.seconds for p in parts)
            entry[lang] = {
                "source_sha": source_sha,
                "source": recording.name if recording else f"{transcript.name} (espeak-ng)",
                "parts": [
                    {"file": p.path.name, "seconds": round(p.seconds, 2), "bytes": p.size}
                    for p in parts
                ],
            }
            line = (
                f"{episode_id}/{lang}: {len(parts)} part(s), {seconds:.1f} s,"
                f" {sum(p.size for p in parts) / 1_000_000:.2f} MB"
            )
            if measured is not None:
                # Words per minute over the encoded file (leading and trailing silence trimmed).
                wpm = measured.words / (seconds / 60) if seconds else 0.0
                entry[lang]["words_per_minute"] = round(wpm, 1)
                entry[lang]["shortest_pause_s"] = round(measured.shortest_pause, 2)
                line += (
                    f", {measured.words} words, {wpm:.0f} words/min,"
                    f" {measured.pauses} pauses >= {measured.shortest_pause:.2f} s"
                )
            else:
                line += ", human recording"
            report.built.append(f"{episode_id}/{lang}")
            report.lines.append(line)
            log.info("built %s", line)
    (root / CATALOGUE).write_text(
        json.dumps(catalogue, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8"
    )
    return report


def episodes_with_recorded(
    recorded: list[dict[str, Any]], root: Path = EPISODES_DIR
) -> list[Episode]:
    """The shipped catalogue followed by organisers' recordings (newest last)."""
    episodes = load(root) if root.is_dir() else []
    for row in recorded:
        language = row["language"]
        episodes.append(
            Episode(
                id=f"rec{row['id']}",
                topic=row["topic"],
                titles={language: row["title"]},
                descriptions={language: ""},
                transcripts={},
                audio={
                    language: tuple(
                        AudioPart(Path(p["file"]), p["seconds"], p["bytes"]) for p in row["parts"]
                    )
                },
                recorded=True,
            )
        )
    return episodes


class AudioFiles:
    """Use cases for audio files on the channel: which voice notes each bot already has (its
    file_id, tied to the file's content; a file id means something only to the bot that
    uploaded it), and the episodes organisers recorded."""

    def __init__(self, store: AudioStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def file_id(self, path: Path, bot_id: int) -> str | None:
        content = await asyncio.to_thread(path.read_bytes)
        return await self.store.file_id(bot_id, str(path), audio.sha256(content))

    async def remember(self, path: Path, bot_id: int, file_id: str) -> None:
        digest = audio.sha256(await asyncio.to_thread(path.read_bytes))
        await self.store.remember(bot_id, str(path), digest, file_id, iso(self.clock.now()))

    async def forget(self, path: Path, bot_id: int) -> None:
        await self.store.forget(bot_id, str(path))

    async def add_recorded(self, language: str, title: str, parts: list[audio.Part]) -> int:
        listing = [
            {"file": str(p.path), "seconds": round(p.seconds, 2), "bytes": p.size} for p in parts
        ]
        return await self.store.add_recorded(language, title, None, listing, iso(self.clock.now()))

    async def recorded(self) -> list[dict[str, Any]]:
        return await self.store.recorded()
