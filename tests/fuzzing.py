"""Random but well-formed updates through the real Application: the fuzz test
(tests/test_fuzz.py, driven by Hypothesis) and bench/fuzz.py (100,000 from a seeded random
generator) share these actions and checks.

An action is a plain tuple, so Hypothesis can shrink a failing sequence to a short one:
a user types, sends a command, presses a button she got (as it is, or altered), edits,
sends media or a location, writes in a group or a channel, sends an inline query, presses
a button of an inline message, blocks the bot; or time passes.

What must hold after every action: no unhandled error and no refused Bot API call logged,
and an answer in her chat wherever one is due (a private message or a button press); none
in a group or a channel.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Sequence
from typing import Any

from telegram import Update

from bot import i18n
from bot.channels.offline_api import OfflineBotAPI
from bot.commands import COMMANDS
from bot.context import BotApplication
from bot.handlers.menu import MENU

USERS = (101, 102, 103, 104, 105, 106, 999)  # 999: the tests' admin
LANGUAGES = (*i18n.AVAILABLE_LOCALES, None, "de", "zh-hans")
COMMAND_NAMES = (*(f"/{c.name}" for c in COMMANDS), "/cancel", "/nope", "/start@dwbot")
ARGUMENTS = (
    "",
    "MX",
    "ES 12",
    "2026-03-01 2026-03-31",
    "organiser",
    "ABCD2345EF",
    "America",
    "Europe/Madrid",
    "x" * 300,
    "--5",
    "²",
    "9" * 25,
    "lastmonth",
)
WORDS = (
    "8h",
    "9-17",
    "ayer de 8 a 14",
    "me pagaron 500",
    "hola",
    "gracias",
    "vacaciones",
    "nagtrabaho ako ng 8 oras kahapon",
    "binayaran ako 500",
    "٨ ساعات",
    "أمس من 8 إلى 14",
    "masaa 8 jana",
    "j'ai travaillé 6 heures hier",
    "trabalhei 5 horas ontem",
    "remind me tomorrow at 9 to call the union",
    "recuérdame mañana a las 9",
    "#lima",
    "#córdoba",
    "#القاهرة",
    "¿me pueden despedir si estoy embarazada?",
    "de 9 a 5",
    "25h",
    "-5h",
    "22:00-06:00",
    "Casa Azul",
    "1500",
    "15/03/2026",
    "30",
    "2026-12-01 18:00",
    "Av. Grau 123",
    "Asamblea general\nSalarios",
    "",
    " ",
    "\u202e\u202d",
    "<b>x</b>",
    "%s %d {0}",
    "💩" * 40,
    "a " * 2600,
    "9pm " * 400,
    "\x00",
    "‮",
    "1e309",
    "NaN",
    "0",
    "٠٫٥",
)
MEDIA = ("photo", "voice", "document", "sticker", "audio")
MUTATIONS = ("as is", "as is", "as is", "digit", "truncate", "extra", "garbage", "old version")


def menu_labels() -> tuple[str, ...]:
    labels = []
    for locale in i18n.AVAILABLE_LOCALES:
        with i18n.using(locale):
            labels += [f"{item.icon} {i18n._(item.label)}" for item in MENU]
    return tuple(labels)


def mutate(data: str, how: str, rng: random.Random) -> str:
    if how == "digit":
        digits = [i for i, c in enumerate(data) if c.isdigit()]
        if digits:
            i = rng.choice(digits)
            return data[:i] + rng.choice("0123456789") + data[i + 1 :]
        return data + "1"
    if how == "truncate":
        return data[: max(1, len(data) // 2)]
    if how == "extra":
        return data + rng.choice((":9", ":-1", ":x", "::", ":" + "9" * 30))
    if how == "garbage":
        return rng.choice(("", "v1", "v1:", "v1:h", "garbage", "v2:h:sum:week", "v1:" + "a" * 70))
    if how == "old version":
        return data.replace("v1:", "v0:", 1)
    return data


class Fuzzer:
    """Applies actions to a started application and checks what must hold."""

    def __init__(self, app: BotApplication, api: OfflineBotAPI, clock: Any) -> None:
        self.app, self.api, self.clock = app, api, clock
        self.problems: list[str] = []
        self.updates = 0
        self.labels = menu_labels()
        self._update_ids = itertools.count(10**6)
        self._handler = _Collector(self.problems)
        logging.getLogger("bot").addHandler(self._handler)

    def close(self) -> None:
        logging.getLogger("bot").removeHandler(self._handler)

    # ---- building updates ------------------------------------------------------------------
    def _buttons(self, user: int) -> list[tuple[int, str]]:
        found = []
        for sent in self.api.sent_to(user)[-8:]:
            found += [(sent.message_id, d) for _l, d in sent.buttons if d]
        return found

    def build(self, action: Sequence[Any]) -> tuple[dict[str, Any] | None, int | None]:
        """The update for `action`, and the chat that must get an answer (None: no answer)."""
        kind = action[0]
        if kind == "clock":
            self.clock.advance(minutes=(1, 31, 60 * 24)[action[1] % 3])
            return None, None
        user = USERS[action[1] % len(USERS)]
        lang = LANGUAGES[action[2] % len(LANGUAGES)]
        rng = random.Random(action[-1])
        if kind == "text":
            return self.api.text_update(user, WORDS[action[3] % len(WORDS)] or "…", lang), user
        if kind == "menu":
            return self.api.text_update(user, self.labels[action[3] % len(self.labels)], lang), user
        if kind == "command":
            command = COMMAND_NAMES[action[3] % len(COMMAND_NAMES)]
            argument = ARGUMENTS[action[4] % len(ARGUMENTS)]
            text = f"{command} {argument}".strip()
            return self.api.text_update(user, text, lang), user
        if kind == "press":
            buttons = self._buttons(user)
            if not buttons:
                return self.api.text_update(user, "/start", lang), user
            message_id, data = buttons[action[3] % len(buttons)]
            data = mutate(data, MUTATIONS[action[4] % len(MUTATIONS)], rng)
            if not data:
                data = "x"
            return self.api.callback_update(user, data, message_id, lang), user
        if kind == "edit":
            return self.api.edited_update(user, WORDS[action[3] % len(WORDS)] or "…", lang), user
        if kind == "media":
            media = MEDIA[action[3] % len(MEDIA)]
            extra = (
                {"file_name": "x.pdf", "mime_type": "application/pdf"}
                if media == "document"
                else {}
            )
            return self.api.media_update(user, media, b"\x00" * 16, lang, **extra), user
        if kind == "location":
            update = self.api.text_update(user, "-", lang)
            del update["message"]["text"]
            update["message"]["location"] = {"latitude": -12.05, "longitude": -77.04}
            return update, user
        if kind == "group":
            update = self.api.text_update(user, WORDS[action[3] % len(WORDS)] or "/help", lang)
            update["message"]["chat"] = {"id": -1000 - user, "type": "group", "title": "G"}
            return update, None
        if kind == "channel":
            update = self.api.text_update(user, "/start", lang)
            message = update.pop("message")
            message["chat"] = {"id": -2000, "type": "channel", "title": "C"}
            del message["from"]
            update["channel_post"] = message
            return update, None
        if kind == "inline_query":
            return {
                "update_id": next(self._update_ids),
                "inline_query": {
                    "id": str(rng.random()),
                    "from": self.api.user(user, lang),
                    "query": WORDS[action[3] % len(WORDS)],
                    "offset": "",
                },
            }, None
        if kind == "inline_button":
            buttons = self._buttons(user)
            data = buttons[action[3] % len(buttons)][1] if buttons else "v1:h:sum:week"
            return {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": str(rng.random()),
                    "from": self.api.user(user, lang),
                    "chat_instance": "1",
                    "inline_message_id": "AAA",
                    "data": data,
                },
            }, None
        if kind == "blocked":
            now = int(time.time())
            return {
                "update_id": next(self._update_ids),
                "my_chat_member": {
                    "chat": {"id": user, "type": "private", "first_name": "Worker"},
                    "from": self.api.user(user, lang),
                    "date": now,
                    "old_chat_member": {"status": "member", "user": self.api.user(1)},
                    "new_chat_member": {
                        "status": "kicked",
                        "user": self.api.user(1),
                        "until_date": 0,
                    },
                },
            }, None
        raise ValueError(kind)

    async def apply(self, action: Sequence[Any]) -> None:
        update, answer_to = self.build(action)
        if update is None:
            return
        before, calls = len(self.api.sent), len(self.api.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        self.updates += 1
        sent = self.api.sent[before:]
        answered = [s for s in sent if s.chat_id == answer_to]
        toast = any(  # a press may be answered by a toast only (a blank page slot)
            method == "answerCallbackQuery" and params.get("text")
            for method, params in self.api.calls[calls:]
        )
        if answer_to is not None and not answered and not toast:
            self.problems.append(f"no answer to {action!r}")
        if answer_to is None and any(s.chat_id < 0 for s in sent):
            self.problems.append(f"an answer in a group or channel to {action!r}")


class _Collector(logging.Handler):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.problems = problems

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(f"{record.name}: {record.getMessage()}")


def random_actions(rng: random.Random, count: int) -> list[tuple[Any, ...]]:
    """`count` actions, weighted like a busy day with a hostile user or two."""
    kinds = (
        ["press"] * 30
        + ["text"] * 20
        + ["menu"] * 12
        + ["command"] * 16
        + ["edit"] * 2
        + ["media"] * 4
        + ["location"]
        + ["group"] * 3
        + ["channel"]
        + ["inline_query"]
        + ["inline_button"] * 2
        + ["blocked"]
        + ["clock"] * 2
    )
    actions: list[tuple[Any, ...]] = []
    for _n in range(count):
        kind = rng.choice(kinds)
        if kind == "clock":
            actions.append(("clock", rng.choice((1, 5, 31, 60 * 24))))
        else:
            actions.append(
                (
                    kind,
                    rng.randrange(100),
                    rng.randrange(100),
                    rng.randrange(1000),
                    rng.randrange(100),
                    rng.randrange(10**6),
                )
            )
    return actions
