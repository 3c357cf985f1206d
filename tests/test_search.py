"""Offline search: real questions, in several languages, with typos and missing accents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.content import Library

LIBRARY = Library.load()

QUESTIONS = [
    # (jurisdiction, user language, question, expected first topic)
    ("mexico", "es", "¿cuántas horas puedo trabajar?", "hours"),
    ("mexico", "es", "cuantas oras puedo trabajar al dia", "hours"),
    ("mexico", "es", "me despidieron embarazada", "maternity"),
    (
        "mexico",
        "es",
        "mi patrona no me deja salir en mi dia de descanso, vivo en la casa",
        "live_in",
    ),
    ("mexico", "es", "tengo derecho a aguinaldo?", "leave"),
    ("mexico", "es", "me quieren correr sin pagarme", "termination"),
    ("mexico", "es", "el seguro social imss", "social_security"),
    ("mexico", "en", "can my employer keep my passport", "documents"),
    ("spain", "es", "me pagan menos del salario minimo", "pay"),
    ("spain", "es", "cuantas vacasiones me tocan", "leave"),
    ("spain", "es", "el señor me acosa y me toca", "harassment"),
    ("spain", "en", "do I need a written contract", "contract"),
    ("spain", "es", "donde puedo denunciar, a quien llamo", "help"),
    ("spain", "en", "I work extra hours at night, do they pay more", "overtime"),
    ("peru", "es", "cuanto es la gratificacion de julio", "leave"),
    ("peru", "es", "me botaron del trabajo", "termination"),
    ("peru", "es", "no tengo papeles, soy extranjera", "documents"),
    ("peru", "en", "how many hours a week is the maximum", "hours"),
    ("argentina", "es", "trabajo en negro, no me registraron", "social_security"),
    ("argentina", "es", "cuanto me tienen que pagar por hora", "pay"),
    ("argentina", "es", "estoy embarasada y tengo miedo que me echen", "maternity"),
    ("panama", "es", "me botaron despues de 3 años, cuanto me pagan", "termination"),
    ("ilo", "en", "what does the convention say about rest days", "hours"),
    ("ilo", "en", "my employer took my passport", "documents"),
    ("ilo", "pt", "onde posso pedir ajuda", "help"),
    ("ilo", "fr", "mon employeur garde mon passeport", "documents"),
]


@pytest.mark.parametrize(("jurisdiction", "locale", "question", "expected"), QUESTIONS)
def test_search_ranks_the_right_topic_first(
    jurisdiction: str, locale: str, question: str, expected: str
) -> None:
    hits = LIBRARY.search(question, jurisdiction, locale)
    assert hits, f"no result for {question!r}"
    assert hits[0].topic.topic == expected, [h.topic.topic for h in hits]


def test_nothing_for_noise() -> None:
    assert LIBRARY.search("zzqx wvvy", "mexico", "es") == []
    assert LIBRARY.search("???", "mexico", "es") == []


def test_a_question_repeating_its_words_costs_what_the_question_costs() -> None:
    """A flood of one word 200 times searched each repeat (85 ms on the event loop); now a
    word is searched once, and at most 24 distinct words of a message are searched."""
    from bot.domain.search import MAX_TERMS, terms

    question = "¿cuántas vacaciones me tocan si trabajo " + "muchas horas " * 200 + "?"
    assert terms(question) == terms("¿cuántas vacaciones me tocan si trabajo muchas horas?")
    assert len(terms(" ".join(f"palabra{n}" for n in range(400)))) == MAX_TERMS


@pytest.mark.parametrize(
    ("question", "locale", "answer"),
    [
        ("¿me pueden despedir si estoy embarazada?", "es", "nulo"),
        ("me pueden despedir si estoy enbarazada", "es", "nulo"),
        ("هل يمكن أن يطردوني إذا كنت حاملا؟", "ar", "باطل"),
        ("pagas extra", "es", "dos pagas extra al año"),
    ],
)
def test_a_question_opens_the_page_that_answers_it(question: str, locale: str, answer: str) -> None:
    """It used to open page 1 of 4 of maternity; the answer (the dismissal is void) is on
    page 4. The search button now carries the page."""
    found = Library.load().search(question, "spain", locale)
    assert answer in found[0].topic.pages[found[0].page] or any(
        answer in f.topic.pages[f.page] for f in found
    )


def test_arabic_words_are_compared_without_the_glued_article() -> None:
    from bot.domain.search import search_words

    # "المساعدة" (the help) and "مساعدة" (help), "والأجر" (and the pay) and "أجر" (pay).
    assert search_words("المساعدة والأجر للعاملة") == search_words("مساعدة أجر عاملة")
    assert search_words("أنا") == search_words("انا")  # the hamza is folded away


def test_people_s_words_bring_the_library_s_words() -> None:
    from bot.domain.search import expand, parse_synonyms, search_words

    synonyms = parse_synonyms(
        '[[same]]\npeople = ["me echaron", "botar"]\nlibrary = ["despido"]\n'
        '[[same]]\npeople = ["Paro"]\nlibrary = ["desempleo", "prestación"]\n',
        "test.toml",
    )
    assert expand(search_words("Me echaron ayer"), synonyms) == ["despido"]
    assert expand(search_words("me van a botar"), synonyms) == ["despido"]
    assert expand(search_words("echaron me"), synonyms) == []  # a phrase, in its order
    assert expand(search_words("y el PARO?"), synonyms) == ["desempleo", "prestacion"]


def test_a_synonym_file_with_a_wrong_shape_is_refused() -> None:
    from bot.domain.content import ContentError
    from bot.domain.search import parse_synonyms

    with pytest.raises(ContentError):
        parse_synonyms('[[same]]\npeople = "echar"\nlibrary = ["despido"]\n', "x.toml")


def test_every_library_word_of_the_search_vocabulary_is_in_the_library() -> None:
    assert LIBRARY.synonym_problems() == []
    assert LIBRARY.synonyms.keys() <= {"es", "en", "pt", "fr", "tl", "sw", "ar"}


def _slid(question: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(question[i : i + n]) == phrase for i in range(len(question) - n + 1))


_WORDS = st.sampled_from(["me", "echaron", "de", "la", "casa", "horas", "extra", "pago"])


@given(
    question=st.lists(_WORDS, max_size=8),
    table=st.lists(
        st.lists(
            st.tuples(_WORDS) | st.tuples(_WORDS, _WORDS) | st.tuples(_WORDS, _WORDS, _WORDS),
            min_size=1,
            max_size=3,
        ),
        max_size=6,
    ),
)
def test_the_phrase_lookup_finds_exactly_what_sliding_over_the_question_finds(
    question: list[str], table: list[list[tuple[str, ...]]]
) -> None:
    from bot.domain.search import Synonym, SynonymTable, ngrams

    synonyms = [Synonym(tuple(people), (f"lib{n}",)) for n, people in enumerate(table)]
    expected = [s.library for s in synonyms if any(_slid(question, p) for p in s.people)]
    assert SynonymTable(synonyms).groups(question) == expected
    grams = ngrams(question, 3)
    for people in table:
        for phrase in people:
            assert (phrase in grams) == _slid(question, phrase)
