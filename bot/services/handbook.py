"""The printable handbook: every topic for a country, in one language, as a small A4 PDF.

Generated from the same content files as the chat answers, cached on disk under a name that
changes whenever the content does. Fonts come from matplotlib's DejaVu Sans, which covers
Latin and Arabic script; text shaping (uharfbuzz) joins Arabic letters, and fpdf2's bidi
algorithm orders right-to-left and left-to-right runs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.line_break import BREAKING_SPACE_SYMBOLS_STR

from bot import i18n
from bot.domain.content import to_plain_segments
from bot.i18n import _
from bot.services.content import Found, Library

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_BODY_SIZE = 10.5
# Part of the cache key: raise it when the layout changes, so cached PDFs are rebuilt.
LAYOUT_VERSION = 3
# Tables: line height per point of font size (mm), cell padding (mm), and the smallest font a
# table may shrink to before its words are broken.
_GRID_LEADING = 0.42
_GRID_PAD_V, _GRID_PAD_H = 0.8, 1.0
_GRID_SLACK = 0.3  # measured widths are exact; keep a hair of room so a line never wraps early
_GRID_MIN_SIZE = 6.0
# Where fpdf2 may wrap a line: its breaking spaces (not the no-break ones inside figures).
_WORD_BREAKS = re.compile(f"[{re.escape(BREAKING_SPACE_SYMBOLS_STR)}]+")


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
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            pdf = self.build(jurisdiction, locale, place, today)
            # Write then rename, so a crash never leaves half a PDF in the cache.
            fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(pdf)
            Path(tmp).replace(path)
            for old in self.cache_dir.glob(f"handbook-{jurisdiction}-{locale}-*.pdf"):
                if old != path:
                    old.unlink(missing_ok=True)
        return path

    def build(self, jurisdiction: str, locale: str, place: str, today: dt.date) -> bytes:
        with i18n.using(locale):
            return _render(self.library.topics_for(jurisdiction, locale), locale, place, today)


class A4(FPDF):
    """An A4 page with DejaVu Sans (Latin and Arabic), shaped text and bidirectional layout.

    `rtl` is the document's base direction, like HTML's `dir`: every paragraph and table cell
    is laid out by fpdf2's Unicode bidi algorithm (UAX #9) in that direction, so Latin names,
    numbers and dates inside Arabic sentences keep their place, and the FSI/PDI isolates that
    `i18n` puts around numbers and dates are honoured rather than stripped.
    """

    footer_text = ""

    def __init__(self, margin: float, rtl: bool = False) -> None:
        super().__init__(format="A4", unit="mm")
        self.rtl = rtl
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(True, margin=margin)
        self.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("mono", "", str(FONT_DIR / "DejaVuSansMono.ttf"))
        self.set_direction(rtl)
        self.set_creator("dwbot")

    def set_direction(self, rtl: bool) -> None:
        """The base direction of the text that follows (the bidi algorithm's paragraph level)."""
        # Without an explicit direction fpdf2 guesses from the first strong letter, which skips
        # isolates: a cell holding only an isolated Arabic date would be laid out left to right.
        self.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")

    def paragraph(
        self,
        text: str,
        size: float,
        *,
        bold: bool = False,
        rtl: bool | None = None,
        markdown: bool = False,
        leading: float = 0.5,
        family: str = "body",
    ) -> None:
        """A paragraph across the page, aligned to the side its direction starts from."""
        right = self.rtl if rtl is None else rtl
        self.set_direction(right)
        self.set_font(family, "B" if bold else "", size)
        self.multi_cell(
            0,
            size * leading,
            text,
            align="R" if right else "L",
            markdown=markdown,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_direction(self.rtl)

    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[str]], size: float) -> None:
        """A bordered table as wide as the text; columns run right to left in RTL."""
        widths, size = self.column_widths(headers, rows, size)
        order = slice(None, None, -1 if self.rtl else 1)  # the first column is on the right in RTL
        self.set_font("body", "", size)
        with self.table(
            col_widths=tuple(widths[order]),
            width=self.epw,  # the widths add up to it, give or take a rounding
            align="L",
            text_align="R" if self.rtl else "L",
            v_align="T",
            line_height=size * _GRID_LEADING,
            padding=(_GRID_PAD_V, _GRID_PAD_H),
            wrapmode=WrapMode.WORD,
        ) as table:
            for cells in [headers, *rows]:
                row = table.row()
                for cell in cells[order]:
                    row.cell(cell)

    def column_widths(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], size: float
    ) -> tuple[list[float], float]:
        """Column widths (mm) that add up to the text width, and the font size that fits them.

        Each column gets what its longest line needs when there is room; otherwise columns
        wrap between words, sharing the room by how much each needs beyond its longest word.
        When even the longest words do not fit, the font gets smaller (down to a limit); a
        word longer than a third of the page (a pasted link, say) is broken by letters
        instead, so one such note does not shrink the whole table.
        """
        room = self.epw
        while True:
            natural, least = self._measure(headers, rows, size)
            if sum(natural) <= room:
                return [w * room / sum(natural) for w in natural], size
            if sum(min(w, room / 3) for w in least) <= room or size <= _GRID_MIN_SIZE:
                break
            size -= 0.5
        if sum(least) > room:
            return _capped(least, room), size
        spare = room - sum(least)
        wanted = sum(n - m for n, m in zip(natural, least, strict=True))
        return [m + (n - m) * spare / wanted for n, m in zip(natural, least, strict=True)], size

    def _measure(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], size: float
    ) -> tuple[list[float], list[float]]:
        """Per column: the width of its longest line, and of its longest word, padding included."""
        pad = 2 * _GRID_PAD_H + _GRID_SLACK
        natural, least = [], []
        for column, header in enumerate(headers):
            lines: list[tuple[str, str]] = [("B", line) for line in header.split("\n")]
            lines += [("", line) for cells in rows for line in cells[column].split("\n")]
            widest = longest = 0.0
            for style, line in lines:
                self.set_font("body", style, size)
                widest = max(widest, self.get_string_width(line))
                for word in _WORD_BREAKS.split(line):
                    longest = max(longest, self.get_string_width(word))
            natural.append(widest + pad)
            least.append(longest + pad)
        return natural, least

    def footer(self) -> None:
        if not self.footer_text:
            return
        # A page can end inside a paragraph of the other direction (a fallback topic); the
        # footer is in the document's, and that paragraph goes on in its own afterwards.
        shaping = self.text_shaping
        self.set_direction(self.rtl)
        self.set_y(-12)
        self.set_font("body", size=8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.text_shaping = shaping


def _render(topics: list[Found], locale: str, place: str, today: dt.date) -> bytes:
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


def _capped(widths: list[float], room: float) -> list[float]:
    """The widths, the largest cut down to one common cap, so that they add up to `room`."""
    remaining = room
    for done, width in enumerate(sorted(widths)):
        share = remaining / (len(widths) - done)
        if width > share:
            return [min(w, share) for w in widths]
        remaining -= width
    return list(widths)


def _rtl(language: str) -> bool:
    return i18n.is_rtl(language)
