"""The offline console: chat with the real bot in a terminal, or script it through a pipe.

Each input line is one user action, turned into a real Telegram `Update` and processed by the
same `Application` that serves Telegram; the bot's calls land in an OfflineBotAPI and are
printed. Buttons are numbered: type the number or the label to press one on the latest
keyboard, or `2.1` for button 1 of keyboard #2, an earlier message's buttons.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from telegram import Update

from bot import i18n
from bot.app import build_application
from bot.channels.offline_api import OfflineBotAPI, OfflineRequest, Sent
from bot.config import Settings
from bot.context import BotApplication
from bot.i18n import _

_TAG_RE = re.compile(r"<[^>]+>")
_EARLIER_RE = re.compile(r"(\d{1,4})\.(\d{1,3})")  # "2.1": keyboard #2, button 1


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG_RE.sub("", text))


class ConsoleChat:
    """One user's chat with the bot, driven line by line."""

    def __init__(
        self,
        app: BotApplication,
        api: OfflineBotAPI,
        user_id: int,
        language_code: str | None,
        files_dir: Path,
    ) -> None:
        self.app = app
        self.api = api
        self.user_id = user_id
        self.language_code = language_code
        self.files_dir = files_dir
        self.keyboard: Sent | None = None  # the message whose buttons the numbers refer to
        self.boards: dict[int, Sent] = {}  # keyboard number -> its message (latest version)
        self._board_of: dict[int, int] = {}  # message id -> keyboard number
        self._shown_menu: list[tuple[str, str | None]] = []

    async def say(self, line: str) -> list[Sent]:
        """Process one input line; return what the bot sent in reply."""
        update = self._update_for(line.strip())
        return [] if update is None else await self._process(update)

    async def press(self, data: str, message_id: int | None = None) -> list[Sent]:
        """Press a button by its callback data (on the last keyboard unless told otherwise)."""
        if message_id is None and self.keyboard is not None:
            message_id = self.keyboard.message_id
        update = self.api.callback_update(self.user_id, data, message_id, self.language_code)
        return await self._process(update)

    async def send_update(self, update: dict[str, object]) -> list[Sent]:
        """Process any update the user causes (media, edits) and return the replies."""
        return await self._process(update)

    async def _process(self, update: dict[str, object]) -> list[Sent]:
        before = len(self.api.sent)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        replies = [s for s in self.api.sent[before:] if s.chat_id == self.user_id]
        self.track(replies)
        return replies

    def track(self, replies: list[Sent]) -> None:
        """Number each message with inline buttons, so its buttons can be pressed later."""
        for sent in replies:
            if not sent.buttons:
                continue
            self.keyboard = sent
            if sent.is_inline:
                number = self._board_of.setdefault(sent.message_id, len(self._board_of) + 1)
                self.boards[number] = sent

    def _update_for(self, line: str) -> dict[str, object] | None:
        if not line:
            return None
        if line.startswith("!"):
            return self._directive(line)
        earlier = _EARLIER_RE.fullmatch(line)
        if earlier is not None:
            board = self.boards.get(int(earlier[1]))
            index = int(earlier[2]) - 1
            if board is not None and 0 <= index < len(board.buttons):
                data = board.buttons[index][1]
                if data is not None:
                    return self.api.callback_update(
                        self.user_id, data, board.message_id, self.language_code
                    )
        button = self._button(line)
        if button is not None:
            label, data = button
            if data is not None and self.keyboard is not None:
                return self.api.callback_update(
                    self.user_id, data, self.keyboard.message_id, self.language_code
                )
            line = label  # a reply-keyboard button sends its label as text
        return self.api.text_update(self.user_id, line, self.language_code)

    def _button(self, line: str) -> tuple[str, str | None] | None:
        if self.keyboard is None:
            return None
        buttons = self.keyboard.buttons
        if line.isdecimal() and 1 <= int(line) <= len(buttons):
            return buttons[int(line) - 1]
        wanted = _fold(line)
        for label, data in buttons:
            if data is not None and wanted in (_fold(label), _fold(_words(label))):
                return label, data
        return None

    def _directive(self, line: str) -> dict[str, object] | None:
        """`!photo`, `!sticker`, `!edit TEXT`, `!voice PATH`, `!audio PATH`, `!file PATH`."""
        name, _sep, arg = line[1:].partition(" ")
        if name == "edit":
            return self.api.edited_update(self.user_id, arg or "…", self.language_code)
        if name in ("photo", "sticker"):
            return self.api.media_update(self.user_id, name, b"", self.language_code)
        if name in ("voice", "audio", "file"):
            path = Path(arg).expanduser()
            content = path.read_bytes() if path.is_file() else b""
            kind = "document" if name == "file" else name
            extra = {"file_name": path.name} if kind in ("document", "audio") else {}
            return self.api.media_update(self.user_id, kind, content, self.language_code, **extra)
        return self.api.text_update(self.user_id, line, self.language_code)

    def render(self, replies: list[Sent]) -> str:
        lines: list[str] = []
        for sent in replies:
            if sent.method == "editMessageReplyMarkup":
                lines.append(_("(buttons updated)"))
            elif sent.text:
                body = plain(sent.text)
                lines.append("🤖 " + body.replace("\n", "\n   "))
            for name, content in sent.files.values():
                target = self._save(name, content)
                lines.append(
                    _("📎 file {name} ({size} bytes) saved to {path}").format(
                        name=name, size=len(content), path=target
                    )
                )
            if "latitude" in sent.params:
                lines.append(
                    "📍 {lat}, {lon}".format(
                        lat=sent.params["latitude"], lon=sent.params["longitude"]
                    )
                )
            if sent.buttons and (sent.is_inline or sent.buttons != self._shown_menu):
                if not sent.is_inline:
                    self._shown_menu = sent.buttons
                board = self._board_of.get(sent.message_id) if sent.is_inline else None
                lines.append(
                    ("   " if board is None else f"#{board} ")
                    + "  ".join(f"[{n}] {label}" for n, (label, _d) in enumerate(sent.buttons, 1))
                )
        return "\n".join(lines)

    def _save(self, name: str, content: bytes) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        target = self.files_dir / Path(name).name
        target.write_bytes(content)
        return target


def _words(label: str) -> str:
    """A button label without its icons and check marks."""
    return "".join(ch for ch in label if unicodedata.category(ch)[0] not in "SC")


def _fold(text: str) -> str:
    return " ".join(text.replace("\ufe0f", "").split()).casefold()


async def run_console(
    settings: Settings,
    user_id: int = 1,
    language_code: str | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Chat until end of input. Interactive on a terminal; line by line from a pipe."""
    api = OfflineBotAPI()
    app = build_application(settings, request=OfflineRequest(api))
    interactive = stdin.isatty()
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    chat = ConsoleChat(app, api, user_id, language_code, settings.data_dir / "console-files")
    api.sent.clear()  # setMyCommands and friends are not part of the conversation
    with i18n.using(i18n.negotiate(language_code, settings.default_locale)):
        if interactive:
            print(
                _(
                    "Offline console. Type /start to begin; numbers press buttons (2.1: button 1 "
                    "of keyboard #2); Ctrl-D quits."
                ),
                file=stdout,
            )
    shown = 0  # how many of the messages to her chat are on the screen

    def show() -> None:
        """Print what reached her chat since last time: replies, and reminders or
        announcements the scheduler and the delivery engine sent while she was typing."""
        nonlocal shown
        arrived = api.sent_to(user_id)
        fresh, shown = arrived[shown:], len(arrived)
        chat.track(fresh)
        output = chat.render(fresh)
        if output:
            print(output, file=stdout, flush=True)

    async def watch() -> None:
        with contextlib.suppress(BrokenPipeError):
            while True:
                await asyncio.sleep(0.5)
                show()

    watcher = asyncio.create_task(watch())
    try:
        while True:
            if interactive:
                stdout.write("> ")
                stdout.flush()
            # Read in a thread: the event loop keeps running reminders and deliveries.
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await chat.say(line)
            show()
        show()
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        # The reader of a pipe went away (`| head`): stop quietly, and let nothing more be
        # written to the closed pipe at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, BrokenPipeError):
            await watcher
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
    return 0
