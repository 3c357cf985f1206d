"""The audio pipeline: any recording (or a transcript, spoken by bot/services/speech.py) to
small OGG/Opus voice notes.

Steps, with pydub: decode, mono, trim leading and trailing silence, normalise loudness to
about -16 LUFS with ffmpeg's two-pass loudnorm (pydub's normalize() only scales peaks), and
encode Opus at a speech bitrate. An episode that would not fit one voice note of at most
1 MB is split into numbered parts.

ffmpeg comes from the imageio-ffmpeg wheel, so no system install is needed. That wheel has
no ffprobe, and pydub's from_file() calls ffprobe when it is not told the codec, so input is
decoded to WAV by ffmpeg directly (ffmpeg detects any container itself) and handed to pydub.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

with warnings.catch_warnings():
    # pydub looks for a system ffmpeg when imported; it is told about the wheel's below.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

from bot.domain.errors import UserFacingError
from bot.i18n import N_

BITRATE = "16k"  # Opus is clear for speech at 16 kbit/s: 3 minutes is about 0.36 MB
BITRATE_BPS = 16_000
MAX_PART_BYTES = 1_000_000  # Telegram shows bigger files as documents, without a waveform
MAX_SECONDS = 30 * 60  # longer uploads are refused
TARGET_LUFS = -16.0
SAMPLE_RATE = 48_000
SILENCE_DBFS = -45.0


class AudioToolMissing(RuntimeError):
    """ffmpeg (from imageio-ffmpeg) is not installed."""


@dataclass(frozen=True)
class Part:
    path: Path
    seconds: float
    size: int


def ffmpeg() -> str:
    """The ffmpeg binary shipped in the imageio-ffmpeg wheel, also handed to pydub."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise AudioToolMissing(
            "ffmpeg is missing: install the 'imageio-ffmpeg' package (pip install imageio-ffmpeg)"
        ) from None
    exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    AudioSegment.converter = exe
    return exe


def _run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, input=stdin, capture_output=True, check=False, timeout=600)


def decode(source: Path) -> AudioSegment:
    """Any audio file to a mono 48 kHz pydub segment; refuse what is not audio."""
    result = _run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-i",
            str(source),
            # Bounded memory: never decode more than the longest allowed recording (plus a
            # second, to tell "too long" apart). A 2-hour upload used to become 1.9 GB of WAV.
            "-t",
            str(MAX_SECONDS + 1),
            "-vn",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-f",
            "wav",
            "-",
        ]
    )
    if result.returncode != 0 or len(result.stdout) < 100:
        raise UserFacingError(N_("That file is not audio I can play, or it is damaged."))
    segment = AudioSegment.from_wav(io.BytesIO(result.stdout))
    if len(segment) < 500:
        raise UserFacingError(N_("That recording is too short."))
    if len(segment) > MAX_SECONDS * 1000:
        raise UserFacingError(N_("That recording is longer than 30 minutes. Please split it."))
    return segment


def trim_silence(segment: AudioSegment) -> AudioSegment:
    start = detect_leading_silence(segment, silence_threshold=SILENCE_DBFS)
    end = detect_leading_silence(segment.reverse(), silence_threshold=SILENCE_DBFS)
    trimmed = segment[start : len(segment) - end]
    return trimmed if len(trimmed) > 0 else segment


def measure_loudness(path: Path) -> dict[str, float]:
    """Integrated loudness and true peak of a file, from ffmpeg's loudnorm analysis."""
    result = _run(
        [
            ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            f"loudnorm=I={TARGET_LUFS}:TP=-1.5:LRA=11:print_format=json",
            "-f",
            "null",
            "-",
        ]
    )
    match = re.search(rb"\{[^{}]*\"input_i\"[^{}]*\}", result.stderr)
    if match is None:
        raise RuntimeError("ffmpeg did not report loudness")
    data = json.loads(match.group(0))
    return {
        key: float(value)
        for key, value in data.items()
        if key.startswith(("input", "output", "target"))
    }


def encode_part(segment: AudioSegment, target: Path) -> Part:
    """Loudness-normalise (two-pass loudnorm) and encode one voice note."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "part.wav"
        segment.export(wav, format="wav")
        measured = measure_loudness(wav)
        loudnorm = (
            f"loudnorm=I={TARGET_LUFS}:TP=-1.5:LRA=11:measured_I={measured['input_i']}"
            f":measured_TP={measured['input_tp']}:measured_LRA={measured['input_lra']}"
            f":measured_thresh={measured['input_thresh']}:linear=true"
        )
        result = _run(
            [
                ffmpeg(),
                "-v",
                "error",
                "-y",
                "-i",
                str(wav),
                "-af",
                loudnorm,
                "-ac",
                "1",
                "-ar",
                str(SAMPLE_RATE),
                "-c:a",
                "libopus",
                "-b:a",
                BITRATE,
                "-vbr",
                "on",
                "-application",
                "voip",
                "-f",
                "ogg",
                str(target),
            ]
        )
        if result.returncode != 0:
            raise RuntimeError(f"ffmpeg could not encode: {result.stderr[-300:]!r}")
    return Part(target, len(segment) / 1000, target.stat().st_size)


def encode(segment: AudioSegment, stem: Path) -> list[Part]:
    """One voice note, or numbered parts (stem-1.ogg, stem-2.ogg…) each under 1 MB."""
    seconds = len(segment) / 1000
    per_part = MAX_PART_BYTES * 8 * 0.85 / BITRATE_BPS  # headroom for VBR and container
    count = max(1, math.ceil(seconds / per_part))
    while True:
        length = math.ceil(len(segment) / count)
        chunks = [segment[i : i + length] for i in range(0, len(segment), length)]
        names = (
            [stem.with_suffix(".ogg")]
            if count == 1
            else [stem.with_name(f"{stem.name}-{n}.ogg") for n in range(1, len(chunks) + 1)]
        )
        parts = [encode_part(chunk, name) for chunk, name in zip(chunks, names, strict=True)]
        if all(p.size <= MAX_PART_BYTES for p in parts):
            return parts
        for part in parts:
            part.path.unlink(missing_ok=True)
        count += 1


def process(source: Path, stem: Path) -> list[Part]:
    """The whole pipeline for one recording; nothing is left behind if any step fails."""
    segment = trim_silence(decode(source).set_channels(1))
    with tempfile.TemporaryDirectory(dir=stem.parent) as tmp:
        parts = encode(segment, Path(tmp) / stem.name)
        final = []
        for part in parts:
            target = stem.parent / part.path.name
            shutil.move(part.path, target)
            final.append(Part(target, part.seconds, part.size))
    return final


def sha256(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
