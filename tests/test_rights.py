"""Rights in the bot: topics for the worker's country, pages, sources, fallback, search, PDF."""

from __future__ import annotations

import re

import pytest

from bot import callbacks, i18n
from bot.channels.offline_api import Sent
from bot.domain.content import TOPICS, split_citations
from bot.handlers.common import INERT_LABEL
from bot.i18n import _
from bot.services.content import Library
from tests.conftest import Harness
from tests.test_screens import places, rows_of, shape


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


async def test_rights_menu_lists_every_topic_for_the_country(harness: Harness) -> None:
    await harness.onboard(user_id=41, country="PA")
    replies = await harness.say("📚 " + tr("es", "Rights"), user_id=41)
    buttons = replies[-1].buttons
    assert buttons[0][1] == callbacks.encode("chk", "s")  # "Is this right?" comes first
    assert [d for _l, d in buttons][1 : len(TOPICS) + 1] == [
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
    # The citations are lifted out of the lines into one footer under the page's text.
    assert "(Código de Trabajo, art. 231)" not in page.text
    footer = page.text.rsplit("\n\n", 1)[-1]
    assert footer.startswith("<i>📖 ") and "Código de Trabajo, art. 231" in footer
    pages = len(topic.pages)
    while pages > 1:  # read to the last page
        replies = await chat.press(callbacks.encode("topic", "hours", len(topic.pages) - 1))
        pages = 1
    assert tr("es", "ℹ️ This is information, not legal advice.") in replies[-1].text
    data = [d for _l, d in replies[-1].buttons]
    last = len(topic.pages) - 1
    assert callbacks.encode("sources", "hours", last) in data
    assert callbacks.encode("topic", "help", 0) in data
    replies = await chat.press(callbacks.encode("sources", "hours", last))
    assert "Código de Trabajo de Panamá, Art. 231" in replies[-1].text
    assert all(len(s.text) <= 4096 for s in harness.api.sent)


def test_the_footer_lifts_citations_and_leaves_glosses_and_figures() -> None:
    text, cited = split_citations(
        "Tu jornada es de **8 horas** (LFT, art. 61).\n"
        "Si vives (jornada completa) en la casa, tienes 9 horas (LFT, art. 333);"
        " y 3 (LFT, art. 333).\n"
        "Trabajo de noche (de 20:00 a 6:00).\n"
        "- Un día (RD 1620/2011, art. 14.1(a))\n"
        "Dicen los periódicos (Gestión, 2024)."
    )
    assert text == (
        "Tu jornada es de **8 horas**.\n"
        "Si vives (jornada completa) en la casa, tienes 9 horas; y 3.\n"
        "Trabajo de noche (de 20:00 a 6:00).\n"
        "- Un día\n"
        "Dicen los periódicos."
    )
    assert cited == ("LFT, art. 61", "LFT, art. 333", "RD 1620/2011, art. 14.1(a)", "Gestión, 2024")


def test_every_page_of_the_library_keeps_no_citation_in_its_text(harness: Harness) -> None:
    """Across the whole library, what stays in the text after the footer is lifted is a gloss
    or a figure, never a law with its article."""
    library = harness.app.bot_data.services.library  # type: ignore[union-attr]
    for topic in library.topics.values():
        for page in topic.pages:
            text, _cited = split_citations(page)
            for bracket in re.findall(r"\(([^()]*)\)", text):
                assert not re.search(r"\bart\.|\barts\.|\bibara\b|المادة", bracket), (
                    topic.path,
                    bracket,
                )


async def test_missing_language_falls_back_and_says_so(harness: Harness) -> None:
    await harness.onboard(user_id=43, locale="pt", country="PA")
    chat = harness.chat(43)
    # Every topic is now translated: take one away, as a union adding a new topic would.
    library = harness.app.bot_data.services.library  # type: ignore[union-attr]
    library.topics.pop(("panama", "hours", "pt"), None)
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
    answer = replies[-1]
    assert answer.text.startswith(tr("es", "🔎 This may answer your question:"))
    termination = Library.load().get("panama", "termination", "es")
    assert termination is not None
    assert f"<b>{termination.topic.title}</b>" in answer.text  # the page itself, not a list
    callbacks_shown = [data for _label, data in answer.buttons]
    assert callbacks.encode("topics") in callbacks_shown  # the way to every topic


async def test_a_question_opens_the_answering_page_with_the_whole_topic_a_tap_away(
    harness: Harness,
) -> None:
    await harness.onboard(user_id=48, country="ES")
    replies = await harness.say("estoy embarazada, me pueden despedir?", user_id=48)
    answer = replies[-1]
    maternity = Library.load().get("spain", "maternity", "es")
    assert maternity is not None
    last = len(maternity.topic.pages)
    assert f"({last}/{last})" in answer.text  # the page with the null dismissal, not page 1
    assert "nulo" in answer.text
    whole = [b for b in answer.buttons if b[1] == callbacks.encode("topic", "maternity", 0)]
    assert whole, answer.buttons  # the whole topic from its first page


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


# ---- paging: the same tap means the same thing on every page --------------------------------


def toast(harness: Harness) -> str | None:
    """The text of the last answer to a button press (the small notice at the top)."""
    answers = [p for method, p in harness.api.calls if method == "answerCallbackQuery"]
    return answers[-1].get("text") if answers else None


def nav_labels(sent: Sent) -> list[str]:
    return [label for label, _data in rows_of(sent)[-1]]


async def test_back_topics_and_next_keep_their_places_on_every_page(harness: Harness) -> None:
    await harness.onboard(user_id=48, country="ES")
    chat = harness.chat(48)
    library = harness.app.bot_data.services.library  # type: ignore[union-attr]
    found = max(library.topics_for("spain", "es"), key=lambda f: len(f.topic.pages))
    topic_id, count = found.topic.topic, len(found.topic.pages)
    assert count >= 3
    pages: list[Sent] = []
    for page in range(count):
        pages.append((await chat.press(callbacks.encode("topic", topic_id, page)))[-1])
    first, second, last = pages[0], pages[1], pages[-1]
    back, topics, following = tr("es", "◀️ Back"), tr("es", "📚 Topics"), tr("es", "Next ▶️")
    assert nav_labels(first) == [INERT_LABEL, topics, following]
    assert nav_labels(second) == [back, topics, following]
    assert nav_labels(last) == [back, topics, INERT_LABEL]
    # The same rows on every page, so each slot keeps its row, its index and its number.
    assert shape(first) == shape(second) == shape(last)
    row, number = len(shape(first)) - 1, len(first.buttons)
    assert places(first)[topics] == places(second)[topics] == places(last)[topics]
    assert places(second)[topics] == [(row, 1, number - 1)]
    assert places(second)[back] == places(last)[back] == [(row, 0, number - 2)]
    assert places(first)[following] == places(second)[following] == [(row, 2, number)]
    assert (row, 0, number - 2) in places(first)[INERT_LABEL]
    assert (row, 2, number) in places(last)[INERT_LABEL]
    # The console prints the same numbers for them on every page.
    for sent, shown in ((first, INERT_LABEL), (second, back), (last, back)):
        assert f"[{number - 2}] {shown}  [{number - 1}] {topics}  [" in chat.render([sent])
    # The taps do what they say: Next and Back turn the page, Topics lists the topics.
    next_data = rows_of(first)[-1][2][1]
    replies = await chat.press(next_data or "")
    assert f"(2/{count})" in replies[-1].text.split("\n")[0]
    replies = await chat.press(rows_of(second)[-1][0][1] or "")
    assert f"(1/{count})" in replies[-1].text.split("\n")[0]
    replies = await chat.press(rows_of(second)[-1][1][1] or "")
    assert replies[-1].buttons[1][1] == callbacks.encode("topic", TOPICS[0], 0)


async def test_the_blank_back_and_next_only_say_where_she_is(harness: Harness) -> None:
    await harness.onboard(user_id=49, country="ES")
    chat = harness.chat(49)
    replies = await chat.press(callbacks.encode("topic", "documents", 0))
    blank_back = rows_of(replies[-1])[-1][0]
    assert blank_back[0] == INERT_LABEL
    before = len(harness.api.sent)
    assert await chat.press(blank_back[1] or "") == []  # no new message, nothing moves
    assert len(harness.api.sent) == before
    assert toast(harness) == tr("es", "This is the first page.")
    library = harness.app.bot_data.services.library  # type: ignore[union-attr]
    documents = library.get("spain", "documents", "es")
    assert documents is not None
    last = len(documents.topic.pages) - 1
    replies = await chat.press(callbacks.encode("topic", "documents", last))
    blank_next = rows_of(replies[-1])[-1][2]
    assert blank_next[0] == INERT_LABEL
    before = len(harness.api.sent)
    assert await chat.press(blank_next[1] or "") == []
    assert len(harness.api.sent) == before
    assert toast(harness) == tr("es", "This is the last page.")


async def test_a_one_page_topic_has_the_same_navigation_row(harness: Harness) -> None:
    await harness.onboard(user_id=50, country="PE")
    library = harness.app.bot_data.services.library  # type: ignore[union-attr]
    single = next(f for f in library.topics_for("peru", "es") if len(f.topic.pages) == 1)
    replies = await harness.chat(50).press(callbacks.encode("topic", single.topic.topic, 0))
    assert nav_labels(replies[-1]) == [INERT_LABEL, tr("es", "📚 Topics"), INERT_LABEL]


async def test_sources_go_back_to_the_page_she_was_reading(harness: Harness) -> None:
    await harness.onboard(user_id=51, country="ES")
    chat = harness.chat(51)
    replies = await chat.press(callbacks.encode("topic", "documents", 2))
    sources = tap_data(replies[-1], tr("es", "📜 Sources"))
    assert sources == callbacks.encode("sources", "documents", 2)
    replies = await chat.press(sources)
    assert nav_labels(replies[-1]) == [tr("es", "◀️ Back"), tr("es", "📚 Topics"), INERT_LABEL]
    replies = await chat.press(rows_of(replies[-1])[-1][0][1] or "")
    assert "(3/" in replies[-1].text.split("\n")[0]
    # A Sources button from before pages were carried still works, and goes back to page 1.
    replies = await chat.press(callbacks.encode("sources", "documents"))
    assert rows_of(replies[-1])[-1][0][1] == callbacks.encode("topic", "documents", 0)


@pytest.mark.parametrize(
    "data", ["v1:topic:hours:0:sideways", "v1:sources:hours:0:middle", "v1:sources:hours:x"]
)
async def test_forged_page_buttons_get_a_polite_answer(harness: Harness, data: str) -> None:
    await harness.onboard(user_id=52, country="PA")
    replies = await harness.chat(52).press(data)
    assert replies[-1].text == tr("es", "That button is old. Here is the menu again.")


def tap_data(sent: Sent, label: str) -> str:
    found = [data for text, data in sent.buttons if text == label]
    assert len(found) == 1 and found[0] is not None, sent.buttons
    return found[0]


async def test_a_question_opens_its_answer_page_in_her_language(harness: Harness) -> None:
    await harness.onboard(user_id=77, locale="ar", language_code="ar", country="ES")
    replies = await harness.say("هل يمكن أن يطردوني إذا كنت حاملا؟", user_id=77, language_code="ar")
    answer = replies[-1]
    assert "<b>الحمل والأمومة</b>" in answer.text  # Spain's law, in Arabic
    assert "باطل" in answer.text  # page 4 of 4: the dismissal is null, shown at once
    label, data = answer.buttons[0]
    assert data == callbacks.encode("topic", "maternity", 0)  # the whole topic, a tap away
    assert "الحمل والأمومة" in label
    page = await harness.chat(77, "ar").press(data, answer.message_id)
    assert "(1/" in page[-1].text
