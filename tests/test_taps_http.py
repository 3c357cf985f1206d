"""A week's record by tapping alone, over real HTTP through python-telegram-bot: a
Tagalog-speaking carer in Hong Kong and an Arabic-speaking worker in Argentina. After
/start she types nothing: every step is a button the bot offered (main-menu buttons are
taps too: the keyboard sends their label)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from bot import callbacks
from bot.channels.offline_api import Sent
from bot.handlers import menu
from tests.test_telegram_http import Telegram, telegram, tr  # noqa: F401 (the fixture)


class Phone:
    """Her phone: she taps buttons of the messages she got, by what they do."""

    def __init__(self, tg: Telegram, user: int, lang: str) -> None:
        self.tg, self.user, self.lang = tg, user, lang
        self.seen: list[Sent] = []

    async def _settle(self, update: dict) -> list[Sent]:
        before = len(self.tg.api.sent_to(self.user))
        self.tg.api.push(update)
        deadline = time.monotonic() + 15
        while len(self.tg.api.sent_to(self.user)) == before:
            assert time.monotonic() < deadline, "the bot did not answer over HTTP"
            await asyncio.sleep(0.02)
        stable = len(self.tg.api.sent_to(self.user))
        while True:  # the answer may be several messages: wait until they stop coming
            await asyncio.sleep(0.3)
            now = len(self.tg.api.sent_to(self.user))
            if now == stable:
                break
            stable = now
        replies = self.tg.api.sent_to(self.user)[before:]
        self.seen += replies
        return replies

    async def start(self) -> list[Sent]:
        return await self._settle(self.tg.api.text_update(self.user, "/start", self.lang))

    async def menu(self, key: str) -> list[Sent]:
        """Tap a main-menu button: the keyboard sends its label."""
        item = next(i for i in menu.MENU if i.key == key)
        return await self._settle(
            self.tg.api.text_update(self.user, "🕒 " + tr(self.lang, item.label), self.lang)
            if key == "hours"
            else self.tg.api.text_update(
                self.user, f"{item.icon} {tr(self.lang, item.label)}", self.lang
            )
        )

    async def tap(self, *prefix: object, index: int = 0) -> list[Sent]:
        """Tap the button whose data starts with `prefix`, on the latest message that has one
        (the `index`-th such button there)."""
        wanted = callbacks.encode(*prefix)
        for message in reversed(self.seen):
            found = [
                d for _l, d in message.buttons if d and (d == wanted or d.startswith(wanted + ":"))
            ]
            if len(found) > index:
                update = self.tg.api.callback_update(
                    self.user, found[index], message.message_id, self.lang
                )
                return await self._settle(update)
        raise AssertionError(f"no button {wanted} was offered")


async def week_by_taps(
    phone: Phone, country: str, region: str | None, currency_digits: str
) -> None:
    await phone.start()
    await phone.tap("lang", phone.lang, "o")
    if region is not None:
        await phone.tap("region", "o")  # 🌍 Another country
        await phone.tap("region", "o", region)
    await phone.tap("country", country, "o")
    await phone.tap("consent", "records", 1, "o")
    await phone.tap("privacy_done", "o")
    # A household: a suggested name, paid by the day, the amount on the keypad.
    await phone.menu("hours")
    await phone.tap("h", "nick")
    await phone.tap("h", "unit", "day")
    await phone.tap("h", "kp", "")
    typed = ""
    for digit in currency_digits:
        typed += digit
        await phone.tap("h", "kp", typed)
    await phone.tap("h", "kpok", typed)
    await phone.tap("h", "livein", 0)
    await phone.tap("h", "months")  # the start date: a month, then a day
    await phone.tap("h", "month", "n", index=1)  # last month
    await phone.tap("h", "date", "n")  # its first day
    # Today, by duration; a past day on the grid; a payment of the agreed pay.
    await phone.tap("h", "log")
    await phone.tap("h", "date", "l")  # Today
    await phone.tap("h", "lw")
    await phone.tap("h", "lm", 480)
    await phone.tap("h", "log")
    await phone.tap("h", "date", "l", index=3)  # three days ago
    await phone.tap("h", "lg", 1)
    await phone.tap("h", "ls", "0900")
    await phone.tap("h", "le", "1700")
    await phone.tap("h", "pay")
    await phone.tap("h", "amt")
    await phone.tap("h", "date", "p")  # Today
    # The week and the month, then last month's export.
    await phone.tap("h", "main")
    await phone.tap("h", "sum", "week")
    await phone.tap("h", "sum", "month")
    await phone.menu("hours")
    await phone.tap("h", "export", "pick")
    await phone.tap("h", "export", "lastmonth")
    # A daily reminder to log the hours, and payday on the 30th of every month.
    await phone.menu("reminders")
    await phone.tap("rem", "new", "log_hours")
    await phone.tap("rem", "at", index=2)  # the third quick time offered (20:00)
    await phone.menu("reminders")
    await phone.tap("rem", "new", "payday")
    await phone.tap("rem", "monthly", "payday")
    await phone.tap("rem", "md", "payday", 30)


@pytest.mark.parametrize(
    ("lang", "country", "region", "zone", "user"),
    [
        ("tl", "HK", "142", "Asia/Hong_Kong", 620),  # "another country", then Asia
        ("ar", "AR", None, "America/Argentina/Buenos_Aires", 621),
    ],
)
async def test_a_week_by_taps_alone_over_http(
    telegram: Telegram,  # noqa: F811
    lang: str,
    country: str,
    region: str | None,
    zone: str,
    user: int,
) -> None:
    phone = Phone(telegram, user, lang)
    await week_by_taps(phone, country, region, "650")
    db = telegram.app.bot_data.services.db
    row = await db.fetchone("SELECT country, locale FROM users WHERE user_id = ?", (user,))
    assert tuple(row) == (country, lang)
    row = await db.fetchone("SELECT pay_minor, pay_unit, started_on FROM employers")
    today = dt.datetime.now(ZoneInfo(zone)).date()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert tuple(row) == (65000, "day", last_month.isoformat())
    rows = await db.fetchall("SELECT day, worked_minutes FROM work_entries ORDER BY day")
    assert [tuple(r) for r in rows] == [
        ((today - dt.timedelta(days=3)).isoformat(), 480),
        (today.isoformat(), 480),
    ]
    assert tuple(await db.fetchone("SELECT amount_minor, day FROM payments")) == (
        65000,
        today.isoformat(),
    )
    rows = await db.fetchall(
        "SELECT kind, rule, at_time, month_day FROM reminders WHERE user_id = ? ORDER BY id",
        (user,),
    )
    assert [tuple(r) for r in rows] == [
        ("log_hours", "daily", "20:00", None),
        ("payday", "monthly", "09:00", 30),
    ]
    files = [name for sent in phone.seen for name, _c in sent.files.values()]
    assert any(name.endswith(".pdf") for name in files)
    assert not any("Traceback" in sent.text for sent in phone.seen)
    # Every answer was in her language: no English prompt slipped through.
    english = tr("en", "Which month?")
    assert all(english not in sent.text for sent in phone.seen)
