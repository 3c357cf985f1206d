"""Rights in the bot: topics for the worker's country, pages, sources, fallback, search, PDF."""

from __future__ import annotations

from bot import callbacks, i18n
from bot.domain.content import TOPICS
from bot.i18n import _
from tests.conftest import Harness


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


async def test_rights_menu_lists_every_topic_for_the_country(harness: Harness) -> None:
    await harness.onboard(user_id=41, country="PA")
    replies = await harness.say("📚 " + tr("es", "Rights"), user_id=41)
    buttons = replies[-1].buttons
    assert [d for _l, d in buttons][: len(TOPICS)] == [
        callbacks.encode("topic", t, 0) for t in TOPICS
    ]
    assert buttons[-1][1] == callbacks.encode("handbook")
    assert "Panamá" in replies[-1].text


async def test_a_topic_page_cites_its_law_and_ends_with_the_disclaimer(harness: Harness) -> None:
    await harness.onboard(user_id=42, country="PA")
    chat = harness.chat(42)
    replies = await chat.press(callbacks.encode("topic", "hours", 0))
    page = replies[-1]
    library = harness.app.bot_data.services.library  # type: ignore[union-attr]
    topic = library.get("panama", "hours", "es").topic
    assert page.text.startswith(f"<b>{topic.title}</b>")
    assert "(Código de Trabajo, art. 231)" in page.text
    pages = len(topic.pages)
    while pages > 1:  # read to the last page
        replies = await chat.press(callbacks.encode("topic", "hours", len(topic.pages) - 1))
        pages = 1
    assert tr("es", "ℹ️ This is information, not legal advice.") in replies[-1].text
    data = [d for _l, d in replies[-1].buttons]
    assert callbacks.encode("sources", "hours") in data
    assert callbacks.encode("topic", "help", 0) in data
    replies = await chat.press(callbacks.encode("sources", "hours"))
    assert "Código de Trabajo de Panamá, Art. 231" in replies[-1].text
    assert all(len(s.text) <= 4096 for s in harness.api.sent)


async def test_missing_language_falls_back_and_says_so(harness: Harness) -> None:
    await harness.onboard(user_id=43, locale="pt", country="PA")
    chat = harness.chat(43)
    replies = await chat.press(callbacks.encode("topic", "hours", 0))
    note = tr(
        "pt", "ℹ️ This topic is not yet available in your language. Here it is in {language}."
    ).format(language="Español")
    assert note in replies[-1].text
    replies = await chat.press(callbacks.encode("topic", "help", 0))
    assert note not in replies[-1].text  # "where to get help" exists in Portuguese


async def test_free_text_question_finds_topics(harness: Harness) -> None:
    await harness.onboard(user_id=44, country="PA")
    replies = await harness.say("me botaron del trabajo sin aviso", user_id=44)
    assert replies[-1].text == tr(
        "es", "📚 I found these topics about your question. Tap one to read it:"
    )
    assert replies[-1].buttons[0][1] == callbacks.encode("topic", "termination", 0)


async def test_stale_page_number_still_shows_the_topic(harness: Harness) -> None:
    await harness.onboard(user_id=45, country="PA")
    replies = await harness.chat(45).press(callbacks.encode("topic", "hours", 99))
    assert replies[-1].text.startswith("<b>")


async def test_handbook_pdf_is_sent_and_cached(harness: Harness) -> None:
    await harness.onboard(user_id=46, country="PA")
    replies = await harness.say("/handbook", user_id=46)
    name, content = replies[-1].files["document"]
    assert name.endswith("-panama.pdf") and content.startswith(b"%PDF-")
    assert len(content) < 600_000  # small enough for a cheap data plan
    cache = harness.settings.data_dir / "handbooks"
    built = {p: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    replies = await harness.say("/handbook", user_id=46)
    assert {p: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == built  # reused
    assert replies[-1].files["document"][1] == content


async def test_handbook_in_arabic_embeds_a_font_with_arabic(harness: Harness) -> None:
    await harness.onboard(user_id=47, locale="ar", country="PA")
    replies = await harness.say("/handbook", user_id=47)
    _name, content = replies[-1].files["document"]
    assert content.startswith(b"%PDF-") and b"/FontFile2" in content
    assert b"DejaVuSans" in content
