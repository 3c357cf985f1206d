"""Greetings and thanks get a friendly answer and the menu, not a rights search."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.domain.search import terms
from bot.domain.small_talk import classify
from bot.i18n import _
from tests.conftest import Harness


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hola", "greeting"),
        ("Hola!!", "greeting"),
        ("buenos días", "greeting"),
        ("Good morning", "greeting"),
        ("bom dia", "greeting"),
        ("bonjour", "greeting"),
        ("kumusta po", "greeting"),
        ("habari yako", "greeting"),
        ("السلام عليكم", "greeting"),
        ("muchas gracias", "thanks"),
        ("thank you very much", "thanks"),
        ("obrigada", "thanks"),
        ("merci beaucoup", "thanks"),
        ("salamat po", "thanks"),
        ("asante sana", "thanks"),
        ("شكرًا جزيلا", "thanks"),
        ("hola, cuántas horas puedo trabajar", None),
        ("me pagan tarde", None),
        ("tarde", None),
        ("good", None),
        ("8h", None),
    ],
)
def test_classify(text: str, kind: str | None) -> None:
    assert classify(text) == kind


def test_greeting_words_do_not_steer_a_search() -> None:
    assert terms("hola, me despidieron") == terms("me despidieron")
    assert "tarde" in terms("me pagan tarde")


@pytest.mark.parametrize(
    ("locale", "greeting", "thanks"), [("es", "hola", "gracias"), ("ar", "مرحبا", "شكرا")]
)
async def test_greeting_and_thanks_in_the_bot(
    harness: Harness, locale: str, greeting: str, thanks: str
) -> None:
    await harness.onboard(user_id=90, locale=locale, language_code=locale)
    with i18n.using(locale):
        hello = _("👋 Hello! Tap a button below, or write your question in your own words.")
        welcome = _("😊 You are welcome! I am here whenever you need me.")
        menu_button = _("Rights")
    replies = await harness.say(greeting, user_id=90, language_code=locale)
    assert replies[-1].text == hello
    assert any(menu_button in label for label, _data in replies[-1].buttons)
    replies = await harness.say(thanks, user_id=90, language_code=locale)
    assert replies[-1].text == welcome
