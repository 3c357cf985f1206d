"""Callback data for inline buttons: a small versioned codec, validated on the way in.

Format: ``v1:<action>:<arg>:<arg>…`` within Telegram's 64-byte limit. A forged, stale or
foreign payload decodes to an error, which the handlers turn into a polite answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64
_ARG_RE = re.compile(r"^[A-Za-z0-9_.+-]{0,40}$")
_INT_RE = re.compile(r"-?[0-9]{1,19}")


class InvalidCallback(ValueError):
    """The callback data was not produced by this version of the bot."""


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        try:
            return self.args[index]
        except IndexError:
            raise InvalidCallback(f"{self.action}: missing argument {index}") from None

    def int_arg(self, index: int) -> int:
        """A whole number that fits SQLite's integer ("--5", "²" or 2^63 are refused)."""
        value = self.arg(index)
        if not _INT_RE.fullmatch(value) or not -(2**63) <= int(value) < 2**63:
            raise InvalidCallback(f"{self.action}: argument {index} is not a number")
        return int(value)


def encode(action: str, *args: object) -> str:
    parts = [str(a) for a in args]
    for part in (action, *parts):
        if not _ARG_RE.match(part):
            raise ValueError(f"callback part {part!r} has characters the codec does not allow")
    data = ":".join((VERSION, action, *parts))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def decode(data: str | None) -> Callback:
    if not data or len(data.encode()) > MAX_BYTES:
        raise InvalidCallback("empty or oversized callback data")
    version, _, rest = data.partition(":")
    if version != VERSION or not rest:
        raise InvalidCallback(f"unknown callback version {version!r}")
    action, *args = rest.split(":")
    if not all(_ARG_RE.match(p) for p in (action, *args)):
        raise InvalidCallback("callback data has characters the codec does not allow")
    return Callback(action, tuple(args))


def pattern(action: str) -> re.Pattern[str]:
    """The regex a CallbackQueryHandler uses to route one action."""
    return re.compile(rf"^{VERSION}:{re.escape(action)}(:|$)")
