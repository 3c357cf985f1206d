"""Hours and payments typed the way workers write them, in Spanish, English, Portuguese or
French: "8h", "9:00-17:30", "ayer de 8 a 14", "worked 6 hours on Monday",
"trabalhei 5 horas ontem", "me pagaron 500 ayer", "paid 1500 cash".

Own patterns read the times, ranges, breaks, amounts and common day words (fast, exact);
dateparser reads any other date phrase ("hace 3 días", "last Friday"). Questions are never
entries: "¿cuántas horas puedo trabajar?" goes to the rights search instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.domain.text import fold

MAX_AMOUNT = Decimal(10_000_000)


class ParseError(ValueError):
    """The text is an hours or payment entry, but an impossible one."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ParsedShift:
    day: dt.date  # the local day the work started
    start: dt.time | None  # None when only a duration was given
    end: dt.time | None  # may be earlier than start: the shift crossed midnight
    worked: dt.timedelta  # breaks already subtracted
    break_minutes: int = 0
    ambiguous: bool = False  # the bot must confirm its reading
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedPayment:
    amount: Decimal
    day: dt.date
    method: str | None = None  # "cash" | "transfer"
    note: str | None = None


# ---- questions -----------------------------------------------------------------------------
_QUESTION_START = re.compile(
    r"^(?:cuant[oa]s?|como|que|cual|puedo|pueden|tengo|debo|how|what|can|do|does|is|are|"
    r"quant[oa]s?|posso|combien|est-ce|puis-je)\b"
)


def _is_question(folded: str) -> bool:
    return "?" in folded or "¿" in folded or bool(_QUESTION_START.match(folded))


# ---- days ----------------------------------------------------------------------------------
_RELATIVE_DAYS = {
    "anteayer": -2,
    "antier": -2,
    "anteontem": -2,
    "avant-hier": -2,
    "day before yesterday": -2,
    "hoy": 0,
    "today": 0,
    "hoje": 0,
    "aujourd'hui": 0,
    "ayer": -1,
    "yesterday": -1,
    "ontem": -1,
    "hier": -1,
    "manana": 1,
    "tomorrow": 1,
    "amanha": 1,
    "demain": 1,
}
_WEEKDAYS = {
    0: ("lunes", "monday", "segunda", "segunda-feira", "lundi"),
    1: ("martes", "tuesday", "terca", "terca-feira", "mardi"),
    2: ("miercoles", "wednesday", "quarta", "quarta-feira", "mercredi"),
    3: ("jueves", "thursday", "quinta", "quinta-feira", "jeudi"),
    4: ("viernes", "friday", "sexta", "sexta-feira", "vendredi"),
    5: ("sabado", "saturday", "samedi"),
    6: ("domingo", "sunday", "dimanche"),
}
_MONTHS = {
    1: ("enero", "january", "janeiro", "janvier", "jan"),
    2: ("febrero", "february", "fevereiro", "fevrier", "feb"),
    3: ("marzo", "march", "marco", "mars", "mar"),
    4: ("abril", "april", "avril", "apr"),
    5: ("mayo", "may", "maio", "mai"),
    6: ("junio", "june", "junho", "juin", "jun"),
    7: ("julio", "july", "julho", "juillet", "jul"),
    8: ("agosto", "august", "aout", "aug"),
    9: ("septiembre", "setiembre", "september", "setembro", "septembre", "sep", "sept"),
    10: ("octubre", "october", "outubro", "octobre", "oct"),
    11: ("noviembre", "november", "novembro", "novembre", "nov"),
    12: ("diciembre", "december", "dezembro", "decembre", "dec"),
}
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names}
_MONTH_RE = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s*(?:de\s+|of\s+)?({_MONTH_RE})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})\b")
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")
_DAY_ONLY = re.compile(r"\b(?:el|the|on the|dia|le)\s+(\d{1,2})\b(?!\s*(?:h|:|horas?|hours?))")
# "mañana" after "la"/"de la"/"en la"/"por la" is "the morning", not "tomorrow".
_MORNING = re.compile(r"\b(?:la|las)\s+mananas?\b")


def _year_back(month: int, day: int, today: dt.date) -> dt.date | None:
    """A date without a year: this year, or last year if that would be in the future."""
    for year in (today.year, today.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return candidate
    return None


_DAYS_AGO = re.compile(
    r"\b(?:hace|ha|faz|there\s+are)\s+(\d{1,2})\s+dias?\b|\b(\d{1,2})\s+days?\s+ago\b"
    r"|\bil\s+y\s+a\s+(\d{1,2})\s+jours?\b"
)


def _find_day(folded: str, today: dt.date, locale: str) -> tuple[dt.date | None, list[str], bool]:
    """(day, assumptions, ambiguous) from the day words in the text; None if there are none."""
    text = _MORNING.sub(" ", folded)
    if match := _DAYS_AGO.search(text):
        return today - dt.timedelta(days=int(match[1] or match[2] or match[3])), [], False
    for phrase, offset in sorted(_RELATIVE_DAYS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            return today + dt.timedelta(days=offset), [], False
    for weekday, names in _WEEKDAYS.items():
        if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in names):
            back = (today.weekday() - weekday) % 7
            return today - dt.timedelta(days=back), ["weekday_last"], False
    if match := _DAY_MONTH.search(text):
        return _year_back(_MONTH_OF[match[2]], int(match[1]), today), [], False
    if match := _MONTH_DAY.search(text):
        return _year_back(_MONTH_OF[match[1]], int(match[2]), today), [], False
    if match := _SLASH_DATE.search(text):
        first, second = int(match[1]), int(match[2])
        day, month = (second, first) if locale == "en" else (first, second)
        ambiguous = locale == "en" and first <= 12 and second <= 12 and first != second
        if match[3]:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            try:
                return dt.date(year, month, day), [], ambiguous
            except ValueError:
                return None, [], False
        return _year_back(month, day, today), [], ambiguous
    if match := _DAY_ONLY.search(text):
        day = int(match[1])
        for back in range(0, 3):  # this month, else the month before
            month_start = (today.replace(day=1) - dt.timedelta(days=31 * back)).replace(day=1)
            try:
                candidate = month_start.replace(day=day)
            except ValueError:
                continue
            if candidate <= today:
                return candidate, [], False
    return None, [], False


def _dateparser_day(text: str, today: dt.date, locale: str) -> dt.date | None:
    """Other date phrases ("hace 3 días", "last friday"), read by dateparser."""
    words = re.sub(r"[\d:.,\-–]+\s*(?:h|hs|horas?|hours?|heures?|min\w*)?", " ", text).strip()
    if len(words) < 4:
        return None
    from dateparser.search import search_dates  # slow to import: only when needed

    languages = [
        lang
        for lang in dict.fromkeys([locale, "es", "en", "pt", "fr"])
        if lang in ("es", "en", "pt", "fr")
    ]
    found = search_dates(
        words,
        languages=languages,
        settings={
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
            "REQUIRE_PARTS": ["day"],
        },
    )
    return found[0][1].date() if found else None


# ---- hours -------------------------------------------------------------------------------
_NUMBER = r"(\d{1,2})(?:[:.h](\d{2}))?"
_RANGE = re.compile(
    rf"(?:\b(?:de|from|das|des|entre)\s+)?\b{_NUMBER}\s*(am|pm|h(?!\w))?\s*"
    rf"(?:-|–|—|\ba\b|\bto\b|\buntil\b|\btill\b|\bate\b|\bas\b|\ba\b|\bhasta\b|\bet\b|\be\b)\s*"
    rf"{_NUMBER}\s*(am|pm|h(?!\w))?"
)
_HOURS_WORD = r"(?:h|hs|hrs?|horas?|hours?|heures?)"
_DURATION = re.compile(
    rf"\b(\d{{1,2}}(?:[.,]\d{{1,2}})?)\s*{_HOURS_WORD}(?!\w)"
    r"(?:\s*(?:y|and|e|et)?\s*(?:(\d{1,2})\s*(?:m|min|mins|minutos?|minutes?)(?!\w)"
    r"|(media|a\s+half|meia|demie)))?"
    r"|\b(\d{1,2})h(\d{2})\b"
)
_MINUTES_ONLY = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutos?|minutes?)\b")
_BREAK = re.compile(
    r"(?:\b(?:pausa|descanso|break|almoco|almuerzo|comida|lunch|intervalo|pause|refeicao)\b"
    r"\s*(?:de\s+|of\s+)?(\d{1,3}(?:[.,]\d)?)\s*(h|hs|horas?|hours?|min\w*)?)"
    r"|(?:\b(\d{1,3}(?:[.,]\d)?)\s*(h|hs|horas?|hours?|min\w*)\s*(?:de\s+|of\s+)?"
    r"(?:pausa|descanso|break|almoco|almuerzo|comida|lunch|pause|intervalo|refeicao)\b)"
)
_WORK_WORDS = re.compile(
    r"\b(?:trabaj\w*|worked|work|working|trabalh\w*|travaill\w*|horas?|hours?|heures?|"
    r"turno|shift|jornada|hoy|ayer|today|yesterday|ontem|hoje|hier)\b"
)


def _time(hour: str, minute: str | None, suffix: str | None) -> dt.time | None:
    h, m = int(hour), int(minute or 0)
    suffix = (suffix or "").strip()
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    if h == 24 and m == 0:
        h = 0
    if h > 23 or m > 59:
        return None
    return dt.time(h, m)


def _break_minutes(folded: str) -> tuple[int, str]:
    match = _BREAK.search(folded)
    if match is None:
        return 0, folded
    number = match[1] or match[3]
    unit = (match[2] or match[4] or "").strip()
    value = Decimal(number.replace(",", "."))
    in_hours = unit.startswith("h") or (not unit and value <= 5)  # "pausa 1" is an hour
    minutes = int(value * 60) if in_hours else int(value)
    return minutes, folded[: match.start()] + " " + folded[match.end() :]


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    begin = dt.datetime.combine(dt.date(2000, 1, 1), start)
    finish = dt.datetime.combine(dt.date(2000, 1, 1), end)
    if finish <= begin:
        finish += dt.timedelta(days=1)
    return finish - begin


def parse_shift(text: str, today: dt.date, locale: str) -> ParsedShift | None:
    """An hours entry, or None if the text is not one. Raises ParseError if impossible."""
    folded = fold(text).strip()
    if not folded or folded.startswith("/") or _is_question(folded):
        return None
    break_minutes, rest = _break_minutes(folded)
    rest = _SLASH_DATE.sub(" ", rest) if _SLASH_DATE.search(rest) else rest
    start = end = None
    ambiguous = False
    assumptions: list[str] = []
    if (match := _RANGE.search(rest)) is not None:
        start = _time(match[1], match[2], match[3])
        end = _time(match[4], match[5], match[6])
        if start is None or end is None:
            raise ParseError("over_24h")
        explicit = bool(match[3] in ("am", "pm") or match[6] in ("am", "pm"))
        if end == start:
            raise ParseError("zero_duration")
        if (
            end < start
            and not explicit
            and 1 <= end.hour < 12
            and 1 <= start.hour < 12  # "0:15-0:00" is a night, not a 12-hour guess
            and end.hour + 12 > start.hour
        ):
            end = end.replace(hour=end.hour + 12)  # "de 9 a 5": 09:00-17:00, to confirm
            ambiguous = True
            assumptions.append("pm_assumed")
        worked = _span(start, end)
        rest = rest[: match.start()] + " " + rest[match.end() :]
    elif (match := _DURATION.search(rest)) is not None:
        if match[4] is not None:  # "6h30"
            minutes = int(match[4]) * 60 + int(match[5])
        else:
            hours = Decimal(match[1].replace(",", "."))
            minutes = int(hours * 60) + int(match[2] or 0) + (30 if match[3] else 0)
        worked = dt.timedelta(minutes=minutes)
        rest = rest[: match.start()] + " " + rest[match.end() :]
    elif (match := _MINUTES_ONLY.search(rest)) is not None and _WORK_WORDS.search(rest):
        worked = dt.timedelta(minutes=int(match[1]))
        rest = rest[: match.start()] + " " + rest[match.end() :]
    else:
        return None
    day, day_assumptions, day_ambiguous = _find_day(fold(text), today, locale)
    if day is None:
        rest = _MORNING.sub(" ", rest)
        day = _dateparser_day(rest, today, locale) if _has_words(rest) else None
    if day is None:
        day = today
        assumptions.append("date_assumed_today")
    assumptions += day_assumptions
    if day > today:
        raise ParseError("future_date")
    if worked > dt.timedelta(hours=24):
        raise ParseError("over_24h")
    if worked <= dt.timedelta(0):
        raise ParseError("zero_duration")
    if break_minutes and dt.timedelta(minutes=break_minutes) >= worked:
        raise ParseError("break_too_long")
    return ParsedShift(
        day=day,
        start=start,
        end=end,
        worked=worked - dt.timedelta(minutes=break_minutes),
        break_minutes=break_minutes,
        ambiguous=ambiguous or day_ambiguous,
        assumptions=tuple(assumptions),
    )


_FILLER = re.compile(
    r"\b(?:trabaj\w*|worked|work|trabalh\w*|travaill\w*|j'ai|hoy|today|hoje|el|on|de|the|le|"
    r"la|y|and|e|et|con|with|com|avec|a|o|en|in|em|no|na|horas?|hours?|heures?|h|hs|de\s+la)\b"
)


def _has_words(text: str) -> bool:
    return bool(re.search(r"[a-z]{3,}", _FILLER.sub(" ", text)))


# ---- payments ---------------------------------------------------------------------------
_PAID = re.compile(
    r"\b(?:me\s+pagaron|me\s+pago|me\s+pagou|pagaron|pagamento|pago|pague|paid|got\s+paid|"
    r"payment|pay|cobre|cobro|me\s+dieron|recibi|recebi|received|j'ai\s+recu|recu|paye|"
    r"me\s+deram|salario)\b"
)
_AMOUNT = re.compile(
    r"(?:\$|€|s/\.?|b/\.|usd|mxn|eur|pen|ars|pab)?\s*"
    r"(\d{1,3}(?:[., ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
)
_METHODS = {
    "cash": ("efectivo", "cash", "dinheiro", "especes", "en mano", "billetes"),
    "transfer": (
        "transferencia",
        "transfer",
        "pix",
        "virement",
        "deposito",
        "banco",
        "bank",
        "yape",
        "plin",
        "mercado pago",
        "bizum",
    ),
}
_NOTES = (
    "aguinaldo",
    "gratificacion",
    "bono",
    "bonus",
    "decimo",
    "vacaciones",
    "vacation",
    "horas extra",
    "overtime",
    "cts",
    "prima",
    "13o",
    "ferias",
    "conges",
    "finiquito",
    "liquidacion",
)


def _amount(raw: str) -> Decimal:
    text = raw.replace(" ", "")
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        head, _sep, tail = text.rpartition(sep)
        # One separator followed by exactly three digits groups thousands: "1.500" = 1500.
        text = (
            (head.replace(sep, "") + tail)
            if len(tail) == 3
            else (head.replace(sep, "") + "." + tail)
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ParseError("bad_amount") from None


def parse_payment(text: str, today: dt.date, locale: str) -> ParsedPayment | None:
    """A payment received, or None if the text is not one. Raises ParseError if impossible."""
    folded = fold(text).strip()
    if not folded or folded.startswith("/") or _is_question(folded):
        return None
    if _PAID.search(folded) is None:
        return None
    without_dates = _SLASH_DATE.sub(" ", _DAY_MONTH.sub(" ", folded))
    match = _AMOUNT.search(_PAID.sub(" ", without_dates))
    if match is None:
        return None
    amount = _amount(match[1])
    if not Decimal(0) < amount <= MAX_AMOUNT:
        raise ParseError("bad_amount")
    day, _assumptions, _ambiguous = _find_day(folded, today, locale)
    day = day or today
    if day > today:
        raise ParseError("future_date")
    method = next(
        (name for name, words in _METHODS.items() if any(w in folded for w in words)), None
    )
    note = next((word for word in _NOTES if re.search(rf"\b{word}\b", folded)), None)
    return ParsedPayment(amount=amount, day=day, method=method, note=note)
