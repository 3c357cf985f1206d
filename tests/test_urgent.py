"""Urgent signs first: a message that shows danger (violence, threats, locked in, passport
taken, not paid for months) gets her country's emergency and help contacts before anything
else, in all seven languages; ordinary questions do not. The word lists are in
content/urgent/<language>.toml, the examples in tests/urgent_examples.toml."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from bot import callbacks, i18n
from bot.i18n import _
from bot.services.content import Library
from tests.conftest import Harness

LIBRARY = Library.load()
EXAMPLES = tomllib.loads(Path(__file__).with_name("urgent_examples.toml").read_text("utf-8"))
LANGUAGES = ("es", "en", "pt", "fr", "tl", "sw", "ar")


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def test_every_language_has_lists_and_enough_examples() -> None:
    assert set(LIBRARY.urgent) == set(LANGUAGES)
    urgent = Counter(e["language"] for e in EXAMPLES["urgent"])
    ordinary = Counter(e["language"] for e in EXAMPLES["ordinary"])
    for language in LANGUAGES:
        assert urgent[language] >= 12, language
        assert ordinary[language] >= 10, language
        signs = {e["sign"] for e in EXAMPLES["urgent"] if e["language"] == language}
        assert signs == {"violence", "threats", "locked_in", "passport", "unpaid"}, language


@pytest.mark.parametrize(
    "example", EXAMPLES["urgent"], ids=lambda e: f"{e['language']}-{e['sign']}-{e['text'][:24]}"
)
def test_a_sign_of_danger_is_seen(example: dict[str, str]) -> None:
    assert LIBRARY.urgent_sign(example["text"], example["language"]) is not None


@pytest.mark.parametrize(
    "example", EXAMPLES["ordinary"], ids=lambda e: f"{e['language']}-{e['text'][:24]}"
)
def test_an_ordinary_question_is_not_an_alarm(example: dict[str, str]) -> None:
    assert LIBRARY.urgent_sign(example["text"], example["language"]) is None


@pytest.mark.parametrize(
    ("locale", "country", "text", "phones"),
    [
        ("es", "ES", "mi jefe me pego ayer y tengo miedo", ["112", "016"]),
        ("ar", "ES", "المشغلة خدات ليا الباسبور وما بغاتش ترجعو", ["112", "016"]),
        ("es", "AR", "no me deja salir de la casa", ["911", "144"]),
        ("tl", "MX", "sinasaktan ako ng amo ko", ["911"]),
    ],
)
async def test_the_contacts_come_first_in_the_chat(
    harness: Harness, locale: str, country: str, text: str, phones: list[str]
) -> None:
    await harness.onboard(user_id=91, locale=locale, language_code=locale, country=country)
    replies = await harness.say(text, user_id=91, language_code=locale)
    first = replies[0]
    assert first.text.startswith(
        tr(locale, "🆘 <b>Your safety comes first.</b> If you are in danger now, call:")
    )
    for phone in phones:
        assert phone in first.text
    assert callbacks.encode("ask", "intro") in [d for _l, d in first.buttons]


async def test_an_urgent_message_marks_her_request_urgent_and_first_in_the_queue(
    harness: Harness,
) -> None:
    from bot.domain.users import Role
    from tests.conftest import ADMIN_ID

    await harness.onboard(user_id=601, country="ES")
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    await services.roles.grant(601, Role.HELPER, by=ADMIN_ID)
    for worker, text in ((92, "no me han pagado mi sueldo este mes"), (93, "hola, tengo una duda")):
        await harness.onboard(user_id=worker, country="ES")
        chat = harness.chat(worker)
        await chat.say("/ask")
        await chat.press(callbacks.encode("ask", "new"))
        confirm = (await chat.say(text))[-1]
        await chat.press(callbacks.encode("ask", "send", 0), confirm.message_id)
    # Worker 93 then writes that she is locked in: her open request becomes urgent.
    await harness.say("la señora me encierra en la casa", user_id=93)
    rows = await harness.db.fetchall("SELECT user_id, urgent FROM cases ORDER BY id")
    assert [tuple(r) for r in rows] == [(92, 0), (93, 1)]
    queue = (await harness.chat(601).press(callbacks.encode("case", "q", "new")))[-1]
    first_case = queue.buttons[0][0]
    assert first_case.startswith("🔴 #2")
