"""The printable handbook: every topic for a country, in one language, as a small A4 PDF.

Generated from the same content files as the chat answers, cached on disk under a name that
changes whenever the content does. The page itself (fonts, shaping, bidi) is
`bot/services/pdf.py`, imported on the first PDF.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot import i18n
from bot.domain.content import to_plain_segments
from bot.i18n import _
from bot.services.content import Found, Library
from bot.services.files import write_atomic

_BODY_SIZE = 10.5
# Part of the cache key: raise it when the layout changes, so cached PDFs are rebuilt.
LAYOUT_VERSION = 3


class HandbookService:
    def __init__(self, library: Library, cache_dir: Path) -> None:
        self.library = library
        self.cache_dir = cache_dir

    def path_for(self, jurisdiction: str, locale: str) -> Path:
        fingerprint = self.library.fingerprint(jurisdiction, locale)
        return (
            self.cache_dir / f"handbook-{jurisdiction}-{locale}-{fingerprint}-v{LAYOUT_VERSION}.pdf"
        )

    def get(self, jurisdiction: str, locale: str, place: str, today: dt.date) -> Path:
        """The cached PDF, built first if the content changed since the last one."""
        path = self.path_for(jurisdiction, locale)
        if not path.is_file():
            write_atomic(path, self.build(jurisdiction, locale, place, today))
            for old in self.cache_dir.glob(f"handbook-{jurisdiction}-{locale}-*.pdf"):
                if old != path:
                    old.unlink(missing_ok=True)
        return path

    def build(self, jurisdiction: str, locale: str, place: str, today: dt.date) -> bytes:
        with i18n.using(locale):
            return _render(self.library.topics_for(jurisdiction, locale), locale, place, today)


def _render(topics: list[Found], locale: str, place: str, today: dt.date) -> bytes:
    from bot.services.pdf import A4  # fpdf2 and its fonts load on the first PDF, not at start

    rtl = i18n.is_rtl(locale)
    pdf = A4(margin=18, rtl=rtl)
    pdf.set_title(_("Your rights at work") + f" — {place}")
    pdf.footer_text = _("Your rights at work") + f" — {place}"
    pdf.add_page()

    def para(text: str, size: float = _BODY_SIZE, bold: bool = False, right: bool = rtl) -> None:
        pdf.paragraph(text, size, bold=bold, rtl=right, markdown=not bold, leading=0.55)

    para(_("Your rights at work"), 20, bold=True)
    para(place, 14, bold=True)
    pdf.ln(2)
    para(_("Generated on {date}.").format(date=i18n.fmt_date(today, "long")))
    para(
        _(
            "This is information, not legal advice. For help with your case, contact a union "
            'or the labour authority (see "Where to get help").'
        )
    )
    pdf.ln(3)
    para(_("Contents"), 13, bold=True)
    for number, found in enumerate(topics, 1):
        para(f"{number}. {found.topic.title}", right=_rtl(found.topic.language))
    for number, found in enumerate(topics, 1):
        topic = found.topic
        topic_rtl = _rtl(topic.language)
        pdf.ln(4)
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        para(f"{number}. {topic.title}", 14, bold=True, right=topic_rtl)
        if found.fallback:
            para(
                _(
                    "This topic is not yet available in your language. Here it is in {language}."
                ).format(language=i18n.NATIVE_NAMES.get(topic.language, topic.language)),
                9,
            )
        for line, bullet in to_plain_segments(topic.body):
            if not line:
                pdf.ln(1.5)
                continue
            # The bidi algorithm puts a leading bullet on the right of a right-to-left line.
            para(("• " if bullet else "") + line, right=topic_rtl)
        pdf.ln(1)
        para(_("Sources"), 9, bold=True)
        for source in topic.sources:
            # The citation is in the topic's language; the link keeps its order either way.
            para(f"{source.cite()} — {source.url}", 8, right=topic_rtl)
        reviewed = _("Reviewed on {date}.").format(date=i18n.fmt_date(topic.reviewed, "long"))
        if topic.effective:
            reviewed += " " + _("Figures in force from {date}.").format(
                date=i18n.fmt_date(topic.effective, "long")
            )
        para(reviewed, 8)
    pdf.alias_nb_pages()
    return bytes(pdf.output())


def _rtl(language: str) -> bool:
    return i18n.is_rtl(language)
