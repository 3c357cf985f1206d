"""The rights library: file format, validation, paging, and the shipped content itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain.content import (
    ContentError,
    paginate,
    parse_topic,
    to_plain_segments,
    to_telegram_html,
)
from bot.domain.rules import parse_rules
from bot.services.content import Library

GOOD = """+++
title = "Tu contrato"
summary = "Qué debe decir."
jurisdiction = "mexico"
language = "es"
topic = "contract"
reviewed = 2026-11-24
related = ["pay"]
keywords = ["contrato"]

[[sources]]
law = "Ley Federal del Trabajo"
article = "Art. 331 Ter"
url = "https://www.diputados.gob.mx/LeyesBiblio/pdf/LFT.pdf"
+++
Tienes derecho a un **contrato por escrito** (LFT, art. 331 Ter).

- Pide una copia.
- Guarda la copia en un lugar seguro, lejos de la casa donde trabajas si puedes.
"""


def test_a_good_topic_parses() -> None:
    topic = parse_topic(GOOD, "mexico/contract.es.md")
    assert (topic.jurisdiction, topic.topic, topic.language) == ("mexico", "contract", "es")
    assert topic.reviewed == dt.date(2026, 11, 24)
    assert topic.sources[0].cite() == "Ley Federal del Trabajo, Art. 331 Ter"
    assert topic.related == ("pay",)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('title = "Tu contrato"', 'title = ""'), "'title' is missing or empty"),
        (("reviewed = 2026-11-24", 'reviewed = "ayer"'), "'reviewed' must be a date"),
        (('[[sources]]\nlaw = "Ley Federal del Trabajo"', "[[sources]]"), "source 1 lacks law"),
        (("(LFT, art. 331 Ter)", "(LFT, art. 331 Ter) [P]"), "unverified marker '[P]'"),
        (("Pide una copia.", "Pide una copia. TODO"), "unverified marker 'TODO'"),
        (("Pide una copia.", "Ganas $303.07 al día."), "no 'effective'"),
        (('related = ["pay"]', 'related = ["salary"]'), "'salary' is not a topic id"),
        (('topic = "contract"', 'topic = "wages"'), "topic 'wages' is not one of"),
        (("- Pide una copia.", "- " + "x" * 1200), "a paragraph has"),
    ],
)
def test_problems_are_reported_with_reasons(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(ContentError) as raised:
        parse_topic(GOOD.replace(*change), "f.md")
    assert any(problem in p for p in raised.value.problems), raised.value.problems


def test_money_with_effective_date_is_fine() -> None:
    text = GOOD.replace("Pide una copia.", "Ganas $303.07 al día.").replace(
        "reviewed = 2026-11-24", "reviewed = 2026-11-24\neffective = 2026-01-01"
    )
    assert parse_topic(text).effective == dt.date(2026, 1, 1)


def test_screens_stay_under_the_limit_and_keep_every_paragraph() -> None:
    body = "\n\n".join(f"Párrafo {n}. " + "palabra " * 39 + "fin." for n in range(12))
    pages = paginate(body, 1000)
    assert len(pages) > 1 and all(len(p) <= 1000 for p in pages)
    assert "\n\n".join(pages) == body


def test_forced_page_break() -> None:
    assert paginate("uno\n\n---\n\ndos") == ["uno", "dos"]
    # On paper the screen break is only a gap, never a printed "---".
    assert to_plain_segments("uno\n---\n- dos") == [("uno", False), ("", False), ("dos", True)]


def test_markdown_becomes_safe_telegram_html() -> None:
    html = to_telegram_html("**Ojo** <script>\n- uno\n[MITRADEL](https://mitradel.gob.pa)")
    assert html == (
        '<b>Ojo</b> &lt;script&gt;\n• uno\n<a href="https://mitradel.gob.pa">MITRADEL</a>'
    )


def test_rules_parse_and_validate() -> None:
    rules = parse_rules(
        """
jurisdiction = "peru"
country = "PE"
name = "Perú"
currency = "PEN"
timezone = "America/Lima"
reviewed = 2026-11-24
[daily_hours]
value = 8
source = "Ley 31047, art. 10"
url = "https://example.org"
[overtime]
basis = "day"
source = "DS 007-2002-TR, art. 10"
url = "https://example.org"
[[overtime.tiers]]
hours = 2
period = "day"
multiplier = "1.25"
[[overtime.tiers]]
period = "day"
multiplier = "1.35"
"""
    )
    overtime = rules.on(dt.date(2026, 1, 1)).overtime
    assert overtime is not None
    assert [t.multiplier for t in overtime.tiers] == [Decimal("1.25"), Decimal("1.35")]
    with pytest.raises(ContentError) as raised:
        parse_rules(
            'jurisdiction = "peru"\ncountry = "PE"\nname = "P"\nreviewed = 2026-01-01\n'
            'timezone = "Mars/Base"\n[daily_hours]\nvalue = 8\n'
        )
    assert any("IANA" in p for p in raised.value.problems)
    assert any("[daily_hours] lacks source, url" in p for p in raised.value.problems)


def test_the_shipped_library_passes_the_check() -> None:
    """`dwbot content check` in CI: every (jurisdiction, topic) in es and en, all valid."""
    assert Library.load().check() == []


def test_shipped_rules_match_the_countries_the_bot_offers() -> None:
    from bot.domain.countries import COUNTRIES

    library = Library.load()
    for country in COUNTRIES:
        rules = library.rules[country.jurisdiction]
        if country.code != "INT":
            assert rules.country == country.code
            assert rules.timezone == country.timezone
            # Amounts are compared with the minimum wage only in the same currency.
            assert rules.currency == country.currency


def test_a_translation_keeps_the_citations_figures_and_pages_of_its_source() -> None:
    from bot.domain.content import translation_problems

    source = "Tu jornada es de **40 horas** (RD 1620/2011, art. 9.1).\n\n---\n\nSMI: 1.221 €."
    good = "Your week is **40 hours** (RD 1620/2011, art. 9.1).\n\n---\n\nSMI: 1,221 €."
    arabic = "أسبوعكِ **٤٠ ساعة** (RD 1620/2011, art. 9.1).\n\n---\n\nSMI: 1.221 €."
    assert translation_problems(source, good) == []
    assert translation_problems(source, arabic) == []
    assert translation_problems(source, good.replace("9.1", "9.2")) == [
        "a citation with 1620 2011 91 is in the source but not here",
        "a citation with 1620 2011 92 is here but not in the source",
    ]
    assert translation_problems(source, good.replace("40", "48")) == [
        "figures differ from the source: missing 40; not in the source 48"
    ]
    assert translation_problems(source, good.replace("\n\n---\n\n", "\n\n")) == [
        "the page breaks (---) differ from the source"
    ]


def test_every_translation_in_the_library_matches_its_source() -> None:
    assert Library.load().translation_problems() == []


def test_sentences_are_counted_by_words_and_lines_and_an_article_does_not_end_one() -> None:
    from bot.domain.content import sentences, shown_text

    text = (
        "Tu jornada es de **8 horas** (LFT, art. 61). Descansas.\n"
        "- un día (D.S. 009-2021-TR, art. 10)"
    )
    assert sentences(text) == [9, 1, 9]  # "D.S. 009-2021-TR" is 5 words: D, S, 009, 2021, TR
    assert sentences(shown_text(text)) == [6, 1, 2]


def test_a_legal_term_is_explained_in_brackets_at_its_first_appearance() -> None:
    from bot.domain.content import explained_at_first_use

    ok = "Cobras el **100 % de tu base reguladora** (el promedio de tu salario) (LGSS, art. 179)."
    assert explained_at_first_use(ok, "base reguladora")  # after the bold that holds it
    ok = "Es tu **base reguladora** (el promedio de tu salario). La base reguladora sube."
    assert explained_at_first_use(ok, "base reguladora")
    assert explained_at_first_use("la CTS (dinero para cuando te quedes sin trabajo)", "CTS")
    late = "La base reguladora sube. Tu **base reguladora** (el promedio de tu salario)."
    assert not explained_at_first_use(late, "base reguladora")  # not at its first use
    cited = "Es nulo (Estatuto de los Trabajadores, art. 55.5)."
    assert not explained_at_first_use(cited, "nulo")  # a citation explains nothing
    assert not explained_at_first_use("nada", "CTS")


def test_the_terms_files_hold_and_are_checked() -> None:
    library = Library.load()
    assert library.term_problems() == []


def test_the_library_is_built_once_until_a_file_changes(tmp_path: Path) -> None:
    import shutil

    from bot.services.content import CONTENT_DIR

    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "ilo", root / "ilo")
    first = Library.load(root)
    assert Library.load(root) is first  # a second app in the process reuses it
    topic = root / "ilo" / "hours.en.md"
    topic.write_text(topic.read_text("utf-8").replace("Working hours", "Hours", 1), "utf-8")
    second = Library.load(root)
    assert second is not first
    assert second.get("ilo", "hours", "en").topic.title.startswith("Hours")  # type: ignore[union-attr]


def test_resolutions_and_several_sources_with_years_are_citations() -> None:
    """Peru's help topic cites a Resolución de Superintendencia and two sources with years;
    both go to the page's footer, as every citation does."""
    from bot.domain.content import split_citations

    text, cited = split_citations(
        "Cualquier persona puede denunciar (R.S. 190-2017-SUNAFIL).\n"
        "Da consultas gratis (MTPE, 2016; Gestión, 2026).\n"
        "Trabajas de noche (de 20:00 a 6:00)."
    )
    assert cited == ("R.S. 190-2017-SUNAFIL", "MTPE, 2016; Gestión, 2026")
    assert "(de 20:00 a 6:00)" in text  # figures in a bracket stay in the text


SEARCHED = GOOD.replace(
    "Tienes derecho a un **contrato por escrito**",
    "<!-- search: no tengo contrato, me hacen firmar -->\n"
    "Tienes derecho a un **contrato por escrito**",
).replace(
    "- Pide una copia.",
    "---\n<!-- search: donde guardo la copia, mi jefa la rompio -->\n- Pide una copia.",
)


def test_a_search_line_is_never_shown_and_belongs_to_its_page() -> None:
    topic = parse_topic(SEARCHED, "searched.es.md")
    assert "<!--" not in topic.body and "search:" not in topic.body
    assert all("search:" not in page for page in topic.pages)
    plain = parse_topic(
        SEARCHED.replace("<!-- search: no tengo contrato, me hacen firmar -->\n", "").replace(
            "<!-- search: donde guardo la copia, mi jefa la rompio -->\n", ""
        ),
        "plain.es.md",
    )
    assert topic.pages == plain.pages  # the same screens as without the lines
    assert len(topic.pages) == 2
    assert topic.page_search == (
        ("no tengo contrato", "me hacen firmar"),
        ("donde guardo la copia", "mi jefa la rompio"),
    )


def test_a_comment_that_is_not_a_whole_search_line_is_refused() -> None:
    broken = GOOD.replace("- Pide una copia.", "- Pide una copia. <!-- nota interna -->")
    with pytest.raises(ContentError, match="search line"):
        parse_topic(broken, "broken.es.md")


def test_a_search_line_finds_its_page_not_the_first() -> None:
    library = Library.load()
    hits = library.search("no tengo papeles puedo denunciar sin papeles", "spain", "es")
    assert hits
    first = hits[0]
    assert first.page != 0 or len(first.topic.pages) == 1
    assert "denunciar sin papeles" in first.topic.page_search[first.page]


def test_the_library_cache_gives_the_same_library_and_rebuilds_when_anything_changes(
    tmp_path: Path,
) -> None:
    import shutil

    from bot.services import content as content_module
    from bot.services import library_cache

    root = tmp_path / "content"
    shutil.copytree(content_module.CONTENT_DIR, root)
    cache = tmp_path / "cache"
    built = Library.load(root, cache_dir=cache)
    assert len(list(cache.glob("library-*.json"))) == 1
    content_module._LOADED.clear()
    again = Library.load(root, cache_dir=cache)
    assert again.topics == built.topics and again.load_problems == built.load_problems
    for question, locale in (("me pueden despedir si estoy embarazada", "es"), ("حامل", "ar")):
        assert [(f.topic.topic, f.page) for f in again.search(question, "spain", locale)] == [
            (f.topic.topic, f.page) for f in built.search(question, "spain", locale)
        ]
    # A changed topic is a new key: built afresh, and the old files go.
    old_key = library_cache.key(root)
    topic = root / "spain" / "pay.es.md"
    text = topic.read_text("utf-8")
    assert "**salario mínimo interprofesional**" in text
    changed_text = text.replace("**salario mínimo interprofesional**", "**sueldo mínimo**")
    topic.write_text(changed_text, "utf-8")
    assert library_cache.key(root) != old_key
    content_module._LOADED.clear()
    changed = Library.load(root, cache_dir=cache)
    assert "**sueldo mínimo**" in changed.topics[("spain", "pay", "es")].body
    new_key = library_cache.key(root)
    assert sorted(p.name for p in cache.iterdir()) == [
        f"library-{new_key}.json",
        f"library-{new_key}.sqlite",
    ]
    # A damaged cache is never trusted: the library is read again.
    (cache / f"library-{library_cache.key(root)}.json").write_text("{not json", "utf-8")
    content_module._LOADED.clear()
    assert Library.load(root, cache_dir=cache).topics == changed.topics
