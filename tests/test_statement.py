"""The export a worker shows an inspector: the CSV and the PDF statement, in es, en and ar.

Built from hand-made entries, so every figure and time below is known in advance. The PDF is
checked twice: through a page class that records every cell it lays out (always runs), and
through the text and word boxes poppler's pdftotext reads back (skipped when it is missing).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import i18n
from bot.domain.records import Employer, PaymentEntry, WorkEntry
from bot.domain.users import User
from bot.domain.wages import Payment, Work, summarise
from bot.i18n import _, ngettext
from bot.services import pdf
from bot.services.content import Library
from bot.services.hours import EmployerSummary, Period, agreement_of
from bot.services.pdf import A4
from bot.services.record_csv import build_record_csv, safe_cell
from bot.services.statement import StatementService, days_late
from tests.conftest import FakeClock

LOCALES = ("es", "en", "ar")
TZ = ZoneInfo("Europe/Madrid")
UTC = dt.UTC
LIBRARY = Library.load()
PERIOD = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
FORMULA_NAME = '=HYPERLINK("http://x.example","y")'
EMPLOYERS = [
    Employer(1, 7, "Casa Azul", Decimal("60"), "day", "EUR", False, "2026-10-01T08:00:00+00:00"),
    Employer(
        2, 7, FORMULA_NAME, Decimal("9.50"), "hour", "EUR", False, "2026-10-01T08:00:00+00:00"
    ),
]
NAMES = {e.id: e.nickname for e in EMPLOYERS}


def shift(
    entry_id: int,
    employer_id: int,
    day: int,
    start: str,
    end: str,
    brk: int,
    created: str,
    **kw: str,
) -> WorkEntry:
    """A shift on 2026-11-<day> from `start` to `end` Madrid time, written down at `created`."""
    on = dt.date(2026, 11, day)
    start_at = dt.datetime.combine(on, dt.time.fromisoformat(start), TZ).astimezone(UTC)
    end_at = dt.datetime.combine(on, dt.time.fromisoformat(end), TZ).astimezone(UTC)
    minutes = int((end_at - start_at).total_seconds()) // 60 - brk
    updated = kw.get("updated", created)
    return WorkEntry(
        entry_id, employer_id, on, start_at, end_at, minutes, brk, "text", created, updated
    )


WORK = [
    # Written down an hour after she finished (Madrid is UTC+1 in November).
    shift(1, 1, 2, "08:00", "14:30", 30, "2026-11-02T13:40:00+00:00"),
    # Corrected seventeen days later.
    shift(
        2,
        1,
        3,
        "08:00",
        "20:00",
        60,
        "2026-11-03T19:10:00+00:00",
        updated="2026-11-20T10:05:00+00:00",
    ),
    # Written from memory four weeks later.
    shift(3, 1, 4, "09:00", "13:00", 0, "2026-12-01T21:44:36+00:00"),
    shift(4, 2, 5, "07:15", "11:45", 15, "2026-11-05T11:00:00+00:00"),
]
PAYMENTS = [
    PaymentEntry(
        1, 1, dt.date(2026, 11, 7), Decimal("120.50"), "EUR", "cash", "-50 adelanto",
        "2026-11-07T18:00:00+00:00", "2026-11-07T18:00:00+00:00",
    ),
    PaymentEntry(
        2, 2, dt.date(2026, 11, 8), Decimal("40.00"), "EUR", "transfer", "@nota",
        "2026-11-08T18:00:00+00:00", "2026-11-09T09:00:00+00:00",
    ),
]  # fmt: skip


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def record_csv(locale: str) -> bytes:
    with i18n.using(locale):
        return build_record_csv(NAMES, WORK, PAYMENTS, TZ)


def summaries() -> list[EmployerSummary]:
    """What HoursService.summaries works out for these entries (Spain's rules)."""
    rules = LIBRARY.rules.get("spain")
    result = []
    for employer in EMPLOYERS:
        work = [
            Work(e.day, dt.timedelta(minutes=e.worked_minutes), local(e.start_at), local(e.end_at))
            for e in WORK
            if e.employer_id == employer.id
        ]
        paid = [Payment(p.day, p.amount) for p in PAYMENTS if p.employer_id == employer.id]
        summary = summarise(work, paid, agreement_of(employer), rules, PERIOD.start, PERIOD.end, TZ)
        result.append(EmployerSummary(employer, summary))
    return result


def local(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(TZ) if moment else None


def statement_pdf(locale: str, csv_sha256: str | None) -> bytes:
    user = User(7, locale, "ES", "Europe/Madrid")
    service = StatementService(LIBRARY, FakeClock(dt.datetime(2026, 12, 1, 22, 0, tzinfo=UTC)))
    return service.build(user, PERIOD, summaries(), WORK, PAYMENTS, csv_sha256=csv_sha256)


def plain(text: str) -> str:
    """Text as a reader sees it: no invisible bidi marks, ordinary spaces."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"[\u00a0\u202f ]+", " ", text)


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_csv_headers_and_kinds_are_in_her_language(locale: str) -> None:
    rows = list(csv.reader(io.StringIO(record_csv(locale).decode("utf-8-sig"))))
    with i18n.using(locale):
        assert rows[0] == [
            _("Type"),
            _("Household"),
            _("Date"),
            _("Start ({timezone})").format(timezone="Europe/Madrid"),
            _("End ({timezone})").format(timezone="Europe/Madrid"),
            _("Break (minutes)"),
            _("Worked (hours)"),
            _("Amount"),
            _("Currency"),
            _("Method"),
            _("Note"),
            _("Recorded ({timezone})").format(timezone="Europe/Madrid"),
            _("Changed"),
            _("Changed on ({timezone})").format(timezone="Europe/Madrid"),
        ]
        assert [r[0] for r in rows[1:]] == [_("Work")] * 4 + [_("Payment")] * 2
    # The catalogs already translate "Date"; the header uses them.
    assert rows[0][2] == {"es": "Fecha", "en": "Date", "ar": "التاريخ"}[locale]


def test_csv_rows_have_local_times_plain_numbers_and_no_formulas() -> None:
    data = record_csv("es")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet apps need to read UTF-8
    assert data.count(b"\r\n") == 1 + len(WORK) + len(PAYMENTS)  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    yes, no = tr("es", "Yes"), tr("es", "No")
    work, payment = tr("es", "Work"), tr("es", "Payment")
    formula = "'" + FORMULA_NAME
    assert rows[1:] == [
        [work, "Casa Azul", "2026-11-02", "08:00", "14:30", "30", "6.00", "", "", "", "",
         "2026-11-02 14:40:00", no, ""],
        [work, "Casa Azul", "2026-11-03", "08:00", "20:00", "60", "11.00", "", "", "", "",
         "2026-11-03 20:10:00", yes, "2026-11-20 11:05:00"],
        [work, "Casa Azul", "2026-11-04", "09:00", "13:00", "0", "4.00", "", "", "", "",
         "2026-12-01 22:44:36", no, ""],
        [work, formula, "2026-11-05", "07:15", "11:45", "15", "4.25", "", "", "", "",
         "2026-11-05 12:00:00", no, ""],
        [payment, "Casa Azul", "2026-11-07", "", "", "", "", "120.50", "EUR",
         tr("es", "cash"), "'-50 adelanto", "2026-11-07 19:00:00", no, ""],
        [payment, formula, "2026-11-08", "", "", "", "", "40.00", "EUR",
         tr("es", "transfer"), "'@nota", "2026-11-08 19:00:00", yes, "2026-11-09 10:00:00"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+34 600 000 000", "'+34 600 000 000"),
        ("-50 adelanto", "'-50 adelanto"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        (" =1+1", "' =1+1"),
        ("＝1+1", "'＝1+1"),
        ("Casa Azul", "Casa Azul"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(typed: str, cell: str) -> None:
    assert safe_cell(typed) == cell


# --- PDF: what is laid out ------------------------------------------------------------------


class RecordingA4(A4):
    """The real page, noting each text cell it lays out: (x, width, text, align).

    A cell() does not wrap, so its text must fit between its inner margins; multi_cell()
    wraps inside its width, which fpdf2 guarantees.
    """

    def __init__(self, margin: float, rtl: bool = False) -> None:
        super().__init__(margin, rtl)
        self.laid_out: list[tuple[float, float, str, str]] = []
        self.overflowing: list[str] = []

    def multi_cell(self, w: float, h: Any = None, text: str = "", *args: Any, **kw: Any) -> Any:
        self._note(w, text, kw.get("align", args[1] if len(args) > 1 else "J"))
        return super().multi_cell(w, h, text, *args, **kw)

    def cell(self, w: Any = None, h: Any = None, text: str = "", *args: Any, **kw: Any) -> Any:
        width = self._note(w or 0, text, kw.get("align", "L"))
        if self.get_string_width(text) > width - 2 * self.c_margin + 0.01:
            self.overflowing.append(text)
        return super().cell(w, h, text, *args, **kw)

    def _note(self, w: float, text: str, align: Any) -> float:
        width = w if w else self.w - self.r_margin - self.x
        self.laid_out.append((self.x, width, text, str(getattr(align, "value", align))))
        return width


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> list[RecordingA4]:
    made: list[RecordingA4] = []

    def page(margin: float, rtl: bool = False) -> RecordingA4:
        made.append(RecordingA4(margin, rtl))
        return made[-1]

    monkeypatch.setattr(pdf, "A4", page)  # the statement takes its page from bot.services.pdf
    return made


@pytest.mark.parametrize("locale", LOCALES)
def test_statement_shows_local_recording_times_and_the_csv_digest(
    locale: str, pages: list[RecordingA4]
) -> None:
    digest = hashlib.sha256(record_csv(locale)).hexdigest()
    assert statement_pdf(locale, digest).startswith(b"%PDF-")
    texts = [plain(text) for _x, _w, text, _a in pages[0].laid_out]
    with i18n.using(locale):
        on_time = plain(i18n.fmt_datetime(dt.datetime(2026, 11, 2, 14, 40), "short"))
        changed = plain(
            _("changed on {date}").format(
                date=i18n.fmt_datetime(dt.datetime(2026, 11, 20, 11, 5), "short")
            )
        )
        late = plain(
            i18n.fmt_datetime(dt.datetime(2026, 12, 1, 22, 44), "short")
            + " "
            + ngettext("({n} day later)", "({n} days later)", 27).format(n=i18n.fmt_number(27))
        )
        label = _("SHA-256 of the CSV file:")
        start = plain(i18n.fmt_time(dt.time(8, 0)))
    assert on_time in texts  # recorded the same day: no "later" note
    assert any(t.endswith("\n" + changed) for t in texts)
    assert late in texts
    assert start in texts
    assert [label, digest] == texts[texts.index(label) : texts.index(label) + 2]
    assert not [t for t in texts if "+00:00" in t or re.search(r"\dT\d", t)]  # no raw UTC


@pytest.mark.parametrize("locale", LOCALES)
def test_every_cell_stays_inside_the_margins(locale: str, pages: list[RecordingA4]) -> None:
    statement_pdf(locale, hashlib.sha256(record_csv(locale)).hexdigest())
    page = pages[0]
    right = page.w - page.r_margin
    outside = [
        (round(x, 2), round(x + w, 2), text)
        for x, w, text, _a in page.laid_out
        if x + w > right + 0.01 or (x < page.l_margin - 0.01 and x != 0)  # 0: height pass
    ]
    assert (outside, page.overflowing) == ([], [])


@pytest.mark.parametrize(("locale", "first_column_on_the_right"), [("es", False), ("ar", True)])
def test_table_columns_mirror_and_align_right_in_arabic(
    locale: str, first_column_on_the_right: bool, pages: list[RecordingA4]
) -> None:
    statement_pdf(locale, None)
    headers = [tr(locale, h) for h in ("Date", "From", "To", "Break", "Worked", "Recorded")]
    placed: dict[str, tuple[float, str]] = {}
    for x, _w, text, align in pages[0].laid_out:
        if x > 0:  # x == 0: fpdf2 measuring a cell's height, not placing it
            placed.setdefault(text, (x, align))  # the first table: the first household's shifts
    xs = [placed[h][0] for h in headers]
    assert xs == sorted(xs, reverse=first_column_on_the_right)
    assert {placed[h][1] for h in headers} == {"R" if first_column_on_the_right else "L"}


def test_a_long_unbroken_note_wraps_inside_its_column(pages: list[RecordingA4]) -> None:
    note = "X" * 150  # a pasted link, say: longer than the page is wide
    payment = PaymentEntry(
        3, 1, dt.date(2026, 11, 9), Decimal("5"), "EUR", None, note, "2026-11-09T18:00:00+00:00",
        "2026-11-09T18:00:00+00:00",
    )  # fmt: skip
    user = User(7, "es", "ES", "Europe/Madrid")
    StatementService(LIBRARY, FakeClock()).build(user, PERIOD, summaries(), WORK, [payment])
    page = pages[0]
    assert max(x + w for x, w, _t, _a in page.laid_out) <= page.w - page.r_margin + 0.01
    assert [round(w) for _x, w, text, _a in page.laid_out if plain(text) == note][-1] < 180


def test_statement_refuses_a_digest_that_is_not_sha256() -> None:
    with pytest.raises(ValueError, match="64 hexadecimal"):
        statement_pdf("es", "abc123")


@pytest.mark.parametrize(
    ("recorded", "late"),
    [
        ("2026-11-04T13:00:00+01:00", 0),  # the same day
        ("2026-11-06T12:59:00+01:00", 0),  # 47 h 59 min after she finished
        ("2026-11-06T13:01:00+01:00", 2),  # just over 48 h: two days later
        ("2026-12-01T22:44:36+01:00", 27),
    ],
)
def test_days_late_counts_from_the_end_of_the_work(recorded: str, late: int) -> None:
    end = dt.datetime(2026, 11, 4, 13, 0, tzinfo=TZ)
    assert days_late(dt.date(2026, 11, 4), end, dt.datetime.fromisoformat(recorded), TZ) == late


def test_without_an_end_time_the_day_ends_at_midnight() -> None:
    day = dt.date(2026, 11, 7)
    assert days_late(day, None, dt.datetime(2026, 11, 9, 23, 59, tzinfo=TZ), TZ) == 0
    assert days_late(day, None, dt.datetime(2026, 11, 10, 0, 1, tzinfo=TZ), TZ) == 3


# --- PDF: what a reader gets back (poppler) -------------------------------------------------

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdftotext(pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_poppler
@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_text_holds_the_digest_of_the_csv(locale: str, tmp_path: Path) -> None:
    digest = hashlib.sha256(record_csv(locale)).hexdigest()
    text = plain(pdftotext(statement_pdf(locale, digest), tmp_path))
    assert digest in text.split()


@needs_poppler
@pytest.mark.parametrize("locale", ("es", "en"))
def test_the_pdf_text_shows_local_times(locale: str, tmp_path: Path) -> None:
    text = plain(pdftotext(statement_pdf(locale, None), tmp_path))
    with i18n.using(locale):
        expected = [
            i18n.fmt_datetime(dt.datetime(2026, 11, 2, 14, 40), "short"),
            i18n.fmt_time(dt.time(8, 0)),
            i18n.fmt_time(dt.time(14, 30)),
        ]
    assert [plain(e) in text for e in expected] == [True, True, True]
    assert "+00:00" not in text


@needs_poppler
@pytest.mark.parametrize("locale", LOCALES)
def test_no_word_is_printed_outside_the_margins(locale: str, tmp_path: Path) -> None:
    boxes = pdftotext(statement_pdf(locale, "0" * 64), tmp_path, "-bbox")
    mm = 25.4 / 72
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', boxes)
    assert len(words) > 100
    outside = [(x0, x1) for x0, x1 in words if float(x0) * mm < 14.9 or float(x1) * mm > 195.1]
    assert outside == []
