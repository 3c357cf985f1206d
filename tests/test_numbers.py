"""Numbers as workers write them: amounts in digits with any separators, digits of any
script, and numbers in words in the bot's seven languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.numbers import (
    LANGUAGES,
    ascii_digits,
    normalise,
    parse_amount,
    spelled_numbers,
    words_to_digits,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4870", "4870"),
        ("1.500", "1500"),  # one dot and three digits group thousands
        ("1,500", "1500"),
        ("1 500", "1500"),
        ("1'500", "1500"),
        ("1,500.50", "1500.50"),
        ("1.500,50", "1500.50"),
        ("12.345.678", "12345678"),
        ("1,234,567.89", "1234567.89"),
        ("7,5", "7.5"),
        ("12.50", "12.50"),
        ("0.500", "0.500"),  # half, not five hundred
        ("$200", "200"),
        ("€ 1.200,00", "1200.00"),
        ("4870 HKD", "4870"),
        ("S/ 950", "950"),
        ("1500 pesos", "1500"),
        ("٥٠٠", "500"),
        ("٥٠٠٫٥", "500.5"),
        ("١٬٥٠٠", "1500"),
        ("۲۵۰۰", "2500"),
        ("2 mil", "2000"),
        ("1,5 mil", "1500"),
        ("2k", "2000"),
        ("1.5k", "1500"),
        ("quinientos", "500"),
        ("mil quinientos", "1500"),
        ("dos mil quinientos pesos", "2500"),
        ("five hundred", "500"),
        ("two thousand five hundred dollars", "2500"),
        ("mil e duzentos", "1200"),
        ("deux cents euros", "200"),
        ("mille deux cents", "1200"),
        ("limang daan", "500"),
        ("isang libo't limang daan", "1500"),
        ("elfu moja", "1000"),
        ("elfu mbili na mia tano", "2500"),
        ("خمسمائة", "500"),
        ("ألف وخمسمائة", "1500"),
        ("ألفين ريال", "2000"),
    ],
)
def test_amounts(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "hola", "1e5", "NaN", "Infinity", "-5", "1.5000", "1,50,000", "1.2.3", "500 hola"],
)
def test_garbage_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_an_amount_in_words_may_be_read_in_one_language_only() -> None:
    assert parse_amount("elfu moja", "sw") == Decimal(1000)
    with pytest.raises(ValueError):
        parse_amount("elfu moja", "es")


@settings(max_examples=300)
@given(st.integers(1, 99_999_999), st.sampled_from([".", ",", " "]), st.booleans())
def test_grouped_digits_read_back(number: int, separator: str, cents: bool) -> None:
    grouped = f"{number:,}".replace(",", separator)
    if cents:
        decimal = "," if separator == "." else "."
        assert parse_amount(f"{grouped}{decimal}25") == Decimal(f"{number}.25")
    else:
        assert parse_amount(grouped) == Decimal(number)


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_any_text_is_an_amount_or_a_value_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except ValueError:
        return
    assert amount.is_finite() and amount >= 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("٨ ساعات", "8 ساعات"), ("۱۲", "12"), ("८", "8"), ("8h", "8h"), ("", "")],
)
def test_ascii_digits(text: str, expected: str) -> None:
    assert ascii_digits(text) == expected


def test_normalise_folds_accents_digits_and_arabic_letter_shapes() -> None:
    assert normalise("Trabajé ٨ HORAS") == "trabaje 8 horas"
    assert normalise("ساعة") == normalise("ساعه")
    assert normalise("إلى") == "الي"
    assert normalise("9–17") == "9-17"


SPELLED = [
    # lang, text, values read
    ("es", "me pagaron quinientos cincuenta", [550]),
    ("es", "veintitres horas", [23]),  # without its accent
    ("es", "limpie el cuarto", []),  # a room, not a fourth
    ("en", "nine hundred and ninety nine", [999]),
    ("pt", "dois mil e quinhentos", [2500]),
    ("fr", "quatre-vingt-dix", [90]),
    ("tl", "dalawampu't lima", [25]),
    ("tl", "labing-isa", [11]),
    ("tl", "apat na raan", [400]),
    ("tl", "sandaan at limampu", [150]),
    ("tl", "walong oras", [8]),
    ("tl", "alas otso hanggang alas singko", [8, 5]),
    ("tl", "dos mil", [2000]),
    ("sw", "elfu kumi na tano", [15000]),
    ("sw", "elfu moja mia tano", [1500]),
    ("sw", "mia tano na hamsini", [550]),
    ("sw", "elfu mia mbili", [200000]),
    ("sw", "laki moja", [100000]),
    ("sw", "kumi na moja", [11]),
    ("sw", "elfu 2", [2000]),
    ("sw", "masaa sita", [6]),
    ("ar", "خمسة وعشرون", [25]),
    ("ar", "ثلاثة آلاف", [3000]),
    ("ar", "خمسة عشر ألف", [15000]),
    ("ar", "مئتين وخمسين", [250]),
    ("ar", "خمس مائة", [500]),
    ("ar", "ثماني ساعات", [8]),
]


@pytest.mark.parametrize(("lang", "text", "values"), SPELLED)
def test_numbers_in_words(lang: str, text: str, values: list[int]) -> None:
    assert [n.value for n in spelled_numbers(normalise(text), lang)] == values


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("es", "me pagaron quinientos pesos", "me pagaron 500 pesos"),
        ("es", "un dia me pagaron", "un dia me pagaron"),  # one small word stays a word
        ("en", "no one paid me", "no one paid me"),
        ("tl", "binayaran ako ng limang daan", "binayaran ako ng 500"),
        ("sw", "nimelipwa elfu moja jana", "nimelipwa 1000 jana"),
        ("ar", "استلمت خمسمائة", "استلمت 500"),
        ("es", "me pagaron 2 mil", "me pagaron 2000"),
    ],
)
def test_words_to_digits(lang: str, text: str, expected: str) -> None:
    assert words_to_digits(normalise(text), lang) == normalise(expected)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(LANGUAGES))
def test_reading_words_never_fails(text: str, lang: str) -> None:
    for number in spelled_numbers(normalise(text), lang):
        assert number.value > 0 and number.start < number.end
