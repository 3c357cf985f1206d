"""The A4 page every PDF is made on (the handbook, the statement).

Fonts come from matplotlib's DejaVu Sans, which covers Latin and Arabic script; text shaping
(uharfbuzz) joins Arabic letters, and fpdf2's bidi algorithm orders right-to-left and
left-to-right runs. Imported when the first PDF is made: fpdf2 and matplotlib take a third
of a second to load, and most processes never make a PDF.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.line_break import BREAKING_SPACE_SYMBOLS_STR

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# Tables: line height per point of font size (mm), cell padding (mm), and the smallest font a
# table may shrink to before its words are broken.
_GRID_LEADING = 0.42
_GRID_PAD_V, _GRID_PAD_H = 0.8, 1.0
_GRID_SLACK = 0.3  # measured widths are exact; keep a hair of room so a line never wraps early
_GRID_MIN_SIZE = 6.0
# Where fpdf2 may wrap a line: its breaking spaces (not the no-break ones inside figures).
_WORD_BREAKS = re.compile(f"[{re.escape(BREAKING_SPACE_SYMBOLS_STR)}]+")


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


def _capped(widths: list[float], room: float) -> list[float]:
    """The widths, the largest cut down to one common cap, so that they add up to `room`."""
    remaining = room
    for done, width in enumerate(sorted(widths)):
        share = remaining / (len(widths) - done)
        if width > share:
            return [min(w, share) for w in widths]
        remaining -= width
    return list(widths)
