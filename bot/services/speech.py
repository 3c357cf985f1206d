"""Offline speech for building episodes: espeak-ng's library from the espeakng-loader wheel
(voices and dictionaries ship inside it; nothing is downloaded), spoken slowly, one sentence at
a time with a pause after each, and measured.

Only `dwbot audio build` uses this; the bot itself plays the encoded files. A human recording
(content/episodes/<id>/<lang>.wav, .ogg, .mp3…) always replaces synthesis.

espeakng-loader 0.2.4 ships voices for es, en, pt, fr, sw and ar, and none for Tagalog: a
Tagalog listener gets no synthetic episode (the Listen menu says which languages exist).
"""

from __future__ import annotations

import array
import ctypes
import re
import threading
from dataclasses import dataclass
from typing import Any

from pydub import AudioSegment
from pydub.silence import detect_silence

RATE_WPM = 120  # espeak's words per minute setting; the measured rate is printed and checked
MAX_WPM = 130
PAUSE_MS = 750  # silence after each sentence
MIN_PAUSE_S = 0.6
VOICES = {"es": "es-419", "en": "en-us", "pt": "pt-br", "fr": "fr", "sw": "sw", "ar": "ar"}

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE = 1
_ESPEAK_CHARS_UTF8 = 1
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_SENTENCE_RE = re.compile(r"(?<=[.!?؟])\s+|\n+")
_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")


class NoVoice(RuntimeError):
    """No packaged offline voice for this language (or espeakng-loader is not installed)."""


@dataclass(frozen=True)
class Measure:
    words: int
    seconds: float
    wpm: float
    shortest_pause: float  # seconds, between sentences
    pauses: int


class _Engine:
    """One espeak-ng instance for the process (the library is not reentrant)."""

    _lock = threading.Lock()
    _instance: _Engine | None = None

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:  # pragma: no cover - the dev dependencies include it
            raise NoVoice(
                "espeakng-loader is not installed (pip install espeakng-loader)"
            ) from None
        self.lib = ctypes.cdll.LoadLibrary(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.rate = self.lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0
        )
        if self.rate <= 0:
            raise NoVoice("espeak-ng could not start")
        self.samples = array.array("h")

        def collect(wav: Any, count: int, _events: int) -> int:
            if count > 0:
                self.samples.frombytes(ctypes.string_at(wav, count * 2))
            return 0

        self._callback = _SYNTH_CALLBACK(collect)  # kept: the library holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    @classmethod
    def get(cls) -> _Engine:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def say(self, text: str, voice: str, rate: int) -> AudioSegment:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise NoVoice(f"espeak-ng has no voice {voice!r}")
        self.lib.espeak_SetParameter(_ESPEAK_RATE, rate, 0)
        self.samples = array.array("h")
        data = text.encode()
        self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _ESPEAK_CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        return AudioSegment(
            self.samples.tobytes(), frame_rate=self.rate, sample_width=2, channels=1
        )


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.split(text) if s.strip()]


def has_voice(language: str) -> bool:
    return language in VOICES


def speak(text: str, language: str, rate: int = RATE_WPM) -> AudioSegment:
    """The transcript spoken sentence by sentence, with a pause after each. `rate` is
    espeak's setting; voices differ (French comes out faster than the setting), so callers
    measure and speak again slower when needed (`speak_measured`)."""
    voice = VOICES.get(language)
    if voice is None:
        raise NoVoice(f"no packaged offline voice for {language!r}")
    with _Engine._lock:
        engine = _Engine.get()
        audio = AudioSegment.empty()
        pause = AudioSegment.silent(PAUSE_MS, frame_rate=engine.rate)
        for sentence in sentences(text):
            audio += (
                engine.say(sentence, voice, rate).strip_silence(
                    silence_len=200, silence_thresh=-50, padding=60
                )
                + pause
            )
    return audio


def measure(text: str, audio: AudioSegment) -> Measure:
    """Words per minute over the whole file, and the shortest pause between sentences (the
    silences of at least 0.3 s inside the speech; the one at the end is not counted)."""
    words = len(_WORD_RE.findall(text))
    seconds = len(audio) / 1000
    gaps = [
        (end - start) / 1000
        for start, end in detect_silence(audio, min_silence_len=300, silence_thresh=-45)
        if start > 0 and end < len(audio)
    ]
    expected = max(len(sentences(text)) - 1, 0)
    gaps = sorted(gaps, reverse=True)[:expected]  # the pauses between sentences
    return Measure(
        words,
        seconds,
        words / (seconds / 60) if seconds else 0.0,
        min(gaps) if gaps else 0.0,
        len(gaps),
    )


def speak_measured(text: str, language: str) -> tuple[AudioSegment, Measure]:
    """Spoken at RATE_WPM, and again slower (at most twice) while it measures over MAX_WPM."""
    rate = RATE_WPM
    for _attempt in range(3):
        audio = speak(text, language, rate)
        measured = measure(text, audio)
        if measured.wpm <= MAX_WPM - 5:
            break
        rate = max(60, int(rate * (MAX_WPM - 10) / measured.wpm))
    return audio, measured
