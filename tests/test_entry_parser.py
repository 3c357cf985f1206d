"""Hours and payments as workers type them: a table of real entries in es, en, pt and fr,
including ambiguous and impossible ones, and properties that hold for any input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.entry_parser import ParseError, parse_payment, parse_shift

TODAY = dt.date(2026, 3, 10)  # a Tuesday
MON, SAT, FRI = dt.date(2026, 3, 9), dt.date(2026, 3, 7), dt.date(2026, 3, 6)
YESTERDAY = dt.date(2026, 3, 9)

SHIFTS = [
    # text, locale, (day, start, end, worked minutes, break minutes, ambiguous)
    ("8h", "es", (TODAY, None, None, 480, 0, False)),
    ("8 h", "es", (TODAY, None, None, 480, 0, False)),
    ("8 horas", "es", (TODAY, None, None, 480, 0, False)),
    ("7.5h", "en", (TODAY, None, None, 450, 0, False)),
    ("7,5 horas", "es", (TODAY, None, None, 450, 0, False)),
    ("6h30", "pt", (TODAY, None, None, 390, 0, False)),
    ("6 horas y media", "es", (TODAY, None, None, 390, 0, False)),
    ("hoy 8 horas", "es", (TODAY, None, None, 480, 0, False)),
    ("trabajé 4 horas el sábado", "es", (SAT, None, None, 240, 0, False)),
    ("trabajé 4 horas en la mañana", "es", (TODAY, None, None, 240, 0, False)),
    ("trabajé 45 minutos", "es", (TODAY, None, None, 45, 0, False)),
    ("hace 3 días 8h", "es", (dt.date(2026, 3, 7), None, None, 480, 0, False)),
    ("el 3 de marzo 8h", "es", (dt.date(2026, 3, 3), None, None, 480, 0, False)),
    ("el 3 6h", "es", (dt.date(2026, 3, 3), None, None, 360, 0, False)),
    ("3/3 8h", "es", (dt.date(2026, 3, 3), None, None, 480, 0, False)),
    ("el 15 de diciembre 8h", "es", (dt.date(2025, 12, 15), None, None, 480, 0, False)),
    ("9:00-17:30", "es", (TODAY, "09:00", "17:30", 510, 0, False)),
    ("9-17", "es", (TODAY, "09:00", "17:00", 480, 0, False)),
    ("de 8 a 14", "es", (TODAY, "08:00", "14:00", 360, 0, False)),
    ("ayer de 8 a 14", "es", (YESTERDAY, "08:00", "14:00", 360, 0, False)),
    ("el lunes de 9 a 13", "es", (MON, "09:00", "13:00", 240, 0, False)),
    ("8:30 a 15", "es", (TODAY, "08:30", "15:00", 390, 0, False)),
    ("22:00-06:00", "es", (TODAY, "22:00", "06:00", 480, 0, False)),  # across midnight
    ("9-17 pausa 30 min", "es", (TODAY, "09:00", "17:00", 450, 30, False)),
    ("9:00-17:00 descanso 1h", "es", (TODAY, "09:00", "17:00", 420, 60, False)),
    ("de 7 a 15 con 1 hora de comida", "es", (TODAY, "07:00", "15:00", 420, 60, False)),
    ("de 9 a 5", "es", (TODAY, "09:00", "17:00", 480, 0, True)),  # 5 pm assumed: confirm
    ("worked 6 hours on Monday", "en", (MON, None, None, 360, 0, False)),
    ("from 9am to 5pm", "en", (TODAY, "09:00", "17:00", 480, 0, False)),
    ("9 to 5", "en", (TODAY, "09:00", "17:00", 480, 0, True)),
    ("8h with 30 min break", "en", (TODAY, None, None, 450, 30, False)),
    ("last friday 6h", "en", (FRI, None, None, 360, 0, False)),
    ("March 3 8h", "en", (dt.date(2026, 3, 3), None, None, 480, 0, False)),
    ("5/3 8h", "en", (dt.date(2025, 5, 3), None, None, 480, 0, True)),  # May 3 or 5 March?
    ("yesterday 10am to 6pm", "en", (YESTERDAY, "10:00", "18:00", 480, 0, False)),
    ("trabalhei 5 horas ontem", "pt", (YESTERDAY, None, None, 300, 0, False)),
    ("das 8h às 16h", "pt", (TODAY, "08:00", "16:00", 480, 0, False)),
    ("9-18 almoço 1h", "pt", (TODAY, "09:00", "18:00", 480, 60, False)),
    ("segunda 8h", "pt", (MON, None, None, 480, 0, False)),
    ("hoje das 7 às 15", "pt", (TODAY, "07:00", "15:00", 480, 0, False)),
    ("j'ai travaillé 6 heures hier", "fr", (YESTERDAY, None, None, 360, 0, False)),
]

IMPOSSIBLE = [
    ("25h", "es", "over_24h"),
    ("0h", "es", "zero_duration"),
    ("9-9", "es", "zero_duration"),
    ("mañana 8h", "es", "future_date"),
    ("tomorrow 8h", "en", "future_date"),
    ("amanhã das 8 às 12", "pt", "future_date"),
    ("9-17 pausa 9 horas", "es", "break_too_long"),
    ("de 25 a 30", "es", "over_24h"),
]

NOT_ENTRIES = [
    "¿cuántas horas puedo trabajar?",
    "how many hours can I work",
    "me despidieron embarazada",
    "hola",
    "can my employer keep my passport",
    "el pago mínimo",
    "cuánto me deben pagar",
    "/start",
    "quanto tempo de férias eu tenho?",
]


@pytest.mark.parametrize(("text", "locale", "expected"), SHIFTS)
def test_shift_entries(text: str, locale: str, expected: tuple[object, ...]) -> None:
    shift = parse_shift(text, TODAY, locale)
    assert shift is not None, text
    actual = (
        shift.day,
        shift.start.strftime("%H:%M") if shift.start else None,
        shift.end.strftime("%H:%M") if shift.end else None,
        int(shift.worked.total_seconds()) // 60,
        shift.break_minutes,
        shift.ambiguous,
    )
    assert actual == expected


@pytest.mark.parametrize(("text", "locale", "code"), IMPOSSIBLE)
def test_impossible_entries_explain_why(text: str, locale: str, code: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_shift(text, TODAY, locale)
    assert raised.value.code == code


@pytest.mark.parametrize("text", NOT_ENTRIES)
def test_questions_and_chat_are_not_entries(text: str) -> None:
    assert parse_shift(text, TODAY, "es") is None
    assert parse_payment(text, TODAY, "es") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paid 1500", (Decimal("1500"), TODAY, None, None)),
        ("me pagaron 500 ayer", (Decimal("500"), YESTERDAY, None, None)),
        ("me pagaron 1.500,50 en efectivo", (Decimal("1500.50"), TODAY, "cash", None)),
        ("me pagaron 1,500.50", (Decimal("1500.50"), TODAY, None, None)),
        ("paid 1 500", (Decimal("1500"), TODAY, None, None)),
        ("pago 300 transferencia", (Decimal("300"), TODAY, "transfer", None)),
        ("recebi 300 por pix", (Decimal("300"), TODAY, "transfer", None)),
        ("got paid $200 yesterday", (Decimal("200"), YESTERDAY, None, None)),
        ("cobré 2000 el viernes", (Decimal("2000"), FRI, None, None)),
        ("me pagaron 800 de aguinaldo", (Decimal("800"), TODAY, None, "aguinaldo")),
        ("me pagaron 500 el 3 de marzo", (Decimal("500"), dt.date(2026, 3, 3), None, None)),
        ("j'ai reçu 400 en espèces", (Decimal("400"), TODAY, "cash", None)),
    ],
)
def test_payments(text: str, expected: tuple[object, ...]) -> None:
    payment = parse_payment(text, TODAY, "es")
    assert payment is not None
    assert (payment.amount, payment.day, payment.method, payment.note) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("me pagaron 0", "bad_amount"),
        ("paid 99999999999", "bad_amount"),
        ("me pagaron 500 mañana", "future_date"),
    ],
)
def test_impossible_payments(text: str, code: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_payment(text, TODAY, "es")
    assert raised.value.code == code


times = st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@settings(max_examples=200, deadline=None)
@given(times, times, st.sampled_from([0, 15, 30, 60]))
def test_a_range_is_end_minus_start_minus_break(start, end, pause) -> None:
    text = f"{start[0]}:{start[1]:02d}-{end[0]}:{end[1]:02d}" + (
        f" pausa {pause} min" if pause else ""
    )
    span = ((end[0] * 60 + end[1]) - (start[0] * 60 + start[1])) % (24 * 60)
    try:
        shift = parse_shift(text, TODAY, "es")
    except ParseError as error:
        assert (span == 0 and error.code == "zero_duration") or (
            pause >= span and error.code == "break_too_long"
        )
        return
    assert shift is not None
    if shift.ambiguous:  # "9:00-5:00" is read as 09:00-17:00 and confirmed with the worker
        span = ((end[0] + 12) * 60 + end[1] - (start[0] * 60 + start[1])) % (24 * 60)
    assert int(shift.worked.total_seconds()) // 60 == span - pause > 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_an_entry_a_clear_error_or_nothing(text: str) -> None:
    try:
        shift = parse_shift(text, TODAY, "es")
        payment = parse_payment(text, TODAY, "es")
    except ParseError as error:
        assert error.code in {
            "over_24h",
            "zero_duration",
            "future_date",
            "break_too_long",
            "bad_amount",
        }
        return
    if shift is not None:
        assert dt.timedelta(0) < shift.worked <= dt.timedelta(hours=24)
        assert shift.day <= TODAY
    if payment is not None:
        assert payment.amount > 0 and payment.day <= TODAY
