"""Languages: complete catalogs, negotiation, and numbers and dates that survive RTL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po

from bot import i18n

POT = i18n.LOCALES_DIR / "messages.pot"


def catalog(locale: str):
    with (i18n.LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def template_ids() -> set[str]:
    with POT.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(locale) if m.id}
    missing = template_ids() - set(messages)
    empty = [mid for mid, m in messages.items() if not all(s.strip() for s in strings(m))]
    fuzzy = [mid for mid, m in messages.items() if m.fuzzy]
    assert (sorted(missing), sorted(empty), sorted(fuzzy)) == ([], [], [])


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_placeholders_and_markup_survive_translation(locale: str) -> None:
    for message in catalog(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        for translated in strings(message):
            assert sorted(re.findall(r"\{\w+\}", translated)) == sorted(
                re.findall(r"\{\w+\}", source)
            ), (locale, source)
            assert re.findall(r"</?b>", translated) == re.findall(r"</?b>", source), (
                locale,
                source,
            )


def test_every_message_in_code_is_in_the_template() -> None:
    """`make catalogs` was run after the last UI text change."""
    from babel.messages.extract import extract_from_dir

    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(
            str(i18n.LOCALES_DIR.parent / "bot"),
            method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "ngettext": (1, 2)},
        )
    }
    assert found - template_ids() == set()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("es-MX", "es"),
        ("es", "es"),
        ("pt-BR", "pt"),
        ("ar-SA", "ar"),
        ("fil", "tl"),
        ("tl", "tl"),
        ("sw-KE", "sw"),
        ("fr-CA", "fr"),
        ("de", "es"),
        (None, "es"),
        ("", "es"),
    ],
)
def test_language_negotiation(code: str | None, expected: str) -> None:
    assert i18n.negotiate(code, "es") == expected


def test_arabic_numbers_and_dates_are_isolated() -> None:
    with i18n.using("ar"):
        assert i18n.is_rtl()
        date = i18n.fmt_date(dt.date(2026, 3, 5))
        money = i18n.fmt_money(Decimal("1234.50"), "EUR")
        assert date.startswith(i18n.FSI) and date.endswith(i18n.PDI)
        assert (money.startswith(i18n.FSI) and "1,234.50" in money) or "١" in money
        sentence = i18n._("Done. Country: {country}.").format(country=i18n.country_name("ES"))
        assert "إسبانيا" in sentence
    with i18n.using("es"):
        assert i18n.fmt_money(Decimal("1234.50"), "EUR") == "1.234,50\xa0€"
        assert i18n.fmt_date(dt.date(2026, 3, 5)) == "5 mar 2026"
