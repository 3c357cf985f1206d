"""Hours and payments typed the way workers write them, in the bot's seven languages:
"8h", "9:00-17:30", "ayer de 8 a 14", "worked 6 hours on Monday", "trabalhei 5 horas ontem",
"j'ai travaillé 7 heures hier", "nagtrabaho ako ng 8 oras kahapon", "nilifanya kazi masaa 6
jana", "٨ ساعات", "me pagaron quinientos", "binayaran ako 500", "nimelipwa elfu moja".

The text is first normalised (folded, ASCII digits, numbers in words as digits: see
domain/numbers); own patterns then read the times, ranges, breaks, amounts and the common
day words (fast, exact); dateparser reads any other date phrase ("hace 3 días", "last
Friday"). Questions are never entries: "¿cuántas horas puedo trabajar?" goes to the rights
search instead. A text that is clearly an entry but cannot be one raises ParseError.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.domain import numbers

MAX_AMOUNT = Decimal(10_000_000)
MAX_TEXT = 300  # longer texts are stories or questions, never read as entries

# ParseError codes, each mapped to a message by the hours handler:
#   negative        a negative duration, time or amount: "-5h", "de -3 a 5", "paid -500"
#   over_24h        more than 24 hours in one entry: "25h", "9999 horas"
#   bad_time        a clock time that does not exist: "25:00-26:00", "9:75-17:00"
#   bad_date        a date that does not exist: "31 de febrero", "15/13"
#   zero_duration   no time worked: "0h", "9-9"
#   break_too_long  the break is as long as the work or longer
#   future_date     work or payment on a day still to come
#   bad_amount      a payment of zero or more than MAX_AMOUNT
#   not_understood  entry words and a number, but no reading: ask for digits ("8h", "9-17")
PARSE_ERROR_CODES = frozenset(
    {
        "negative",
        "over_24h",
        "bad_time",
        "bad_date",
        "zero_duration",
        "break_too_long",
        "future_date",
        "bad_amount",
        "not_understood",
    }
)


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
    ambiguous: bool = False  # the bot must confirm its reading ("de 9 a 5": 17:00 assumed)
    assumptions: tuple[str, ...] = ()
    overnight: bool = False  # the end is at or before the start: the bot confirms first


@dataclass(frozen=True)
class ParsedPayment:
    amount: Decimal
    day: dt.date
    method: str | None = None  # "cash" | "transfer"
    note: str | None = None


def _words(*groups: str) -> str:
    """One regex alternation of normalised words and phrases, longest first."""
    phrases = {numbers.normalise(p) for group in groups for p in group.split("|")}
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len)[::-1])


# An Arabic word may carry "و" (and), "ف", "ب", "ل" or the article: "بالأمس", "والراتب".
_AR_PREFIX = r"(?:و|ف|ب|ل|ال|بال|وال|فال|لل)?"


def _phrase_re(alternation: str) -> str:
    return rf"(?<!\w){_AR_PREFIX}(?:{alternation})(?!\w)"


# ---- vocabulary ----------------------------------------------------------------------------
_HOURS_WORD = _words(
    "h|hs|hr|hrs|hora|horas|hour|hours|heure|heures|oras|masaa|saa|ساعة|ساعات|ساعه"
)
_MINUTES_WORD = _words("m|min|mins|minuto|minutos|minute|minutes|dakika|دقيقة|دقائق|دقايق|دقيقه")
_DAYS_WORD = _words("dia|dias|day|days|jour|jours|araw|siku|يوم|ايام|أيام")
_HALF = _words("media|meia|demie|demi|a half|half|kalahati|medya|nusu|نصف|نص|ونصف|ونص")
_AND = _words("y|and|e|et|at|na|و")
# Hours told the Swahili way ("saa 2 asubuhi" = 08:00) or with a period of the day.
_MORNING_WORDS = _words(
    "am|a.m.|a. m.|de la manana|en la manana|da manha|de manha|du matin|ng umaga|sa umaga|"
    "umaga|asubuhi|alfajiri|صباحا|صباحاً|الصبح|صباح|ص"
)
_AFTERNOON_WORDS = _words(
    "pm|p.m.|p. m.|de la tarde|da tarde|de l'apres-midi|de l'apres midi|ng hapon|sa hapon|"
    "hapon|mchana|مساء|مساءا|مساءً|العصر|الظهر|بعد الظهر|م"
)
_EVENING_WORDS = _words("du soir|jioni|ng gabi|sa gabi|gabi|de la noche|da noite")
_NIGHT_WORDS = _words("usiku|بالليل|الليل|ليلا")
_PERIOD = f"{_MORNING_WORDS}|{_AFTERNOON_WORDS}|{_EVENING_WORDS}|{_NIGHT_WORDS}"
_CONNECTOR = _words(
    "a|to|until|till|ate|as|hasta|et|e|jusqu'a|jusqu a|hanggang|hangang|hadi|mpaka|"
    "إلى|الى|الي|حتى|لغاية|لحد"
)
_START_WORD = _words("de|from|das|des|entre|mula|kuanzia|kutoka|من")
_CLOCK_WORD = _words("las|la|a las|alas|ala|saa|الساعة|الساعه|ساعة")

_WORK_VERB = re.compile(
    _phrase_re(
        _words(
            "trabaje|he trabajado|trabajado|worked|have worked|trabalhei|trabalhado|"
            "j'ai travaille|ai travaille|j'ai bosse|ai bosse|travaille hier|nagtrabaho|"
            "nag-trabaho|nagtrabaho ako|trabaho|nilifanya kazi|nimefanya kazi|nilifanya|kazi|"
            "عملت|اشتغلت|شغلت|اشتغلنا"
        )
    )
)
# Looser: any work or day word makes "45 minutos" an entry.
_WORK_WORDS = re.compile(
    _phrase_re(
        r"trabaj\w*|trabalh\w*|travaill\w*|"
        + _words(
            "worked|work|working|turno|shift|jornada|nagtrabaho|trabaho|kazi|عملت|اشتغلت|شغل|"
            "hoy|ayer|today|yesterday|ontem|hoje|hier|aujourd'hui|kahapon|ngayon|jana|leo|امس|"
            "اليوم"
        )
    )
)
_PAID_WORDS = _words(
    "me pagaron|me pago|me pagou|me pagaram|pagaron|pagaram|pagamento|pago|pague|cobre|cobro|"
    "me dieron|recibi|me depositaron|me deposito|sueldo|salario|gane|"
    "paid|got paid|payment|pay|received|salary|wage|wages|earned|"
    "recebi|ganhei|me deram|"
    "j'ai recu|recu|paye|payee|j'ai touche|touche|salaire|"
    "binayaran|nabayaran|bayad|nagbayad|binayad|sahod|sumahod|sinahod|sweldo|suweldo|"
    "natanggap|nakatanggap|tinanggap|"
    "nimelipwa|nililipwa|amenilipa|alinilipa|wamenilipa|walinilipa|nimepokea|nilipokea|"
    "mshahara|malipo|"
    "استلمت|استلمنا|قبضت|قبضنا|دفع|دفعت|دفعلي|دفعتلي|دفعوا|دفعو|دفعولي|راتب|راتبي|معاش|معاشي"
)
_PAID = re.compile(_phrase_re(_PAID_WORDS))
# Right before the payment word; Tagalog and Arabic may put one word between: "hindi ako
# binayaran", "لم استلم راتبي". ("no" is not a negation in Portuguese: "no sábado".)
_NEGATION = re.compile(
    _phrase_re(_words("no|not|didn't|didnt|never|nunca|nao|pas|hindi|di|wala|walang|ما|لم|مش|لا"))
    + r"\s+(?:(?:ako|kami|pa|pa\s+ako)\s+|[\u0600-\u06ff]+\s+)?$"
)


def _lang(locale: str) -> str:
    return locale if locale in numbers.LANGUAGES else "en"


# ---- normalising ---------------------------------------------------------------------------
_FIXED = [
    (re.compile(p), r)
    for p, r in [
        # A half hour written as words, and the Arabic duals ("two hours" in one word).
        (
            _phrase_re(
                _words(
                    "media hora|meia hora|half an hour|half hour|une demi-heure|demi-heure|"
                    "demi heure|kalahating oras|nusu saa|نصف ساعة|نص ساعة|نصف ساعه|نص ساعه"
                )
            ),
            " 30 min ",
        ),
        (_phrase_re(_words("an hour|une heure|uma hora|una hora|isang oras")), " 1 hour "),
        (_phrase_re(_words("ساعتين|ساعتان")), " 2 ساعات "),
        (_phrase_re(_words("يومين|يومان")), " 2 ايام "),
    ]
]
_FALLBACK = {
    "es": ("en", "pt", "fr"),
    "en": ("es", "pt", "fr"),
    "pt": ("es", "en", "fr"),
    "fr": ("en", "es", "pt"),
    "tl": ("en", "es"),
    "sw": ("en",),
    "ar": ("en",),
}
_SMALL_AFTER = re.compile(
    rf"\s*(?:{_HOURS_WORD}|{_MINUTES_WORD}|{_DAYS_WORD}|{_PERIOD}|de\s+la\s+(?:tarde|noche))"
    r"(?!\w)"
)
_SMALL_BEFORE = re.compile(rf"(?<!\w)(?:{_HOURS_WORD}|{_CLOCK_WORD})\s*$")
_DIGIT_CONNECTOR = re.compile(rf"[0-9]\s*(?:h\s*)?(?:-|(?<!\w)(?:{_CONNECTOR}))\s*$")
_ONLY_CONNECTOR = re.compile(rf"\s*(?:-|(?<!\w)(?:{_CONNECTOR})(?!\w))\s*")


def _spell_out(text: str, lang: str) -> str:
    """Numbers in words as digits. One small word ("un", "dos", "moja") only where it must be
    a number: before "horas", after "saa" or "alas", or as one end of a range."""
    found = numbers.spelled_numbers(text, lang)
    if not found:  # "paid quinientos": another language, but only numbers that are clear
        for other in _FALLBACK.get(lang, ()):
            found = [n for n in numbers.spelled_numbers(text, other) if n.value >= 20]
            if found:
                break
    out, last = [], 0
    for index, number in enumerate(found):
        small = number.words == 1 and number.value <= 3
        if small:
            before = text[max(0, number.start - 24) : number.start]
            neighbours = found[index - 1 : index] + found[index + 1 : index + 2]
            in_range = any(
                _ONLY_CONNECTOR.fullmatch(text[min(n.end, number.end) : max(n.start, number.start)])
                for n in neighbours
            )
            if not (
                _SMALL_AFTER.match(text, number.end)
                or _SMALL_BEFORE.search(before)
                or _DIGIT_CONNECTOR.search(before)
                or in_range
            ):
                continue
        out += [text[last : number.start], str(number.value)]
        last = number.end
    return "".join([*out, text[last:]])


def _prepare(text: str, lang: str) -> str:
    """Folded text, ASCII digits, numbers in words as digits, one space between words."""
    prepared = numbers.normalise(text)
    for pattern, replacement in _FIXED:
        prepared = pattern.sub(replacement, prepared)
    prepared = " ".join(prepared.split())
    return " ".join(_spell_out(prepared, lang).split())


def _has_number(prepared: str) -> bool:
    return re.search("[0-9]", prepared) is not None


_UNIT_NEAR_NUMBER = re.compile(
    rf"[0-9]\s*(?:\S+\s+){{0,2}}(?:{_HOURS_WORD})(?!\w)"
    rf"|(?<!\w)(?:{_HOURS_WORD})\s+(?:\S+\s+)?[0-9]"
)


def _looks_like_entry(prepared: str) -> bool:
    """A work or payment verb and a number, or an hours word next to a number."""
    if _is_question(prepared) or not _has_number(prepared):
        return False
    if _PAID.search(prepared) and _is_negated(prepared):
        return False
    return bool(
        _WORK_VERB.search(prepared) or _PAID.search(prepared) or _UNIT_NEAR_NUMBER.search(prepared)
    )


def _too_long(text: str, lang: str) -> None:
    """None for a long text, or ParseError('not_understood') if it opens like an entry."""
    head = text[:60].rsplit(maxsplit=1)[0] if " " in text[:60] else text[:60]
    if _looks_like_entry(_prepare(head, lang)):
        raise ParseError("not_understood")


# ---- questions -----------------------------------------------------------------------------
_QUESTION_START = re.compile(
    r"^(?:cuant[oa]s?|como|que|cual|cuando|puedo|pueden|tengo|debo|"
    r"how|what|can|do|does|is|are|should|when|why|which|"
    r"quant[oa]s?|posso|qual|quando|devo|"
    r"combien|est-ce|puis-je|pourquoi|quel|quelle|ai-je|dois-je|"
    r"ilan|ilang|magkano|paano|ano|anong|pwede|puwede|pede|bakit|saan|kailan|sino|gaano|dapat|"
    r"vipi|naweza|ninaweza|kwa\s+nini|"
    r"كم|هل|ماذا|كيف|لماذا|ليش|ليه|متي|اين|وين|شو|ايش|قديش|ممكن|يحق)(?!\w)"
)
_QUESTION_WORD = re.compile(r"(?<!\w)(?:\w*ngapi|gani)(?!\w)")  # Swahili "how many/much"


def _is_question(folded: str) -> bool:
    return (
        "?" in folded
        or "¿" in folded
        or "؟" in folded
        or bool(_QUESTION_START.match(folded))
        or bool(_QUESTION_WORD.search(folded))
    )


# ---- days ----------------------------------------------------------------------------------
# Day words by language. Those of es, en, pt and fr are read in every locale, as before
# (workers mix them); Tagalog, Swahili and Arabic ones only in their own ("leo" and "jana"
# are also names). Each weekday list runs Monday to Sunday, each month list January onwards.
_RELATIVE_DAYS = {
    "es": {-2: "anteayer|antier|antes de ayer", -1: "ayer", 0: "hoy", 1: "manana"},
    "en": {-2: "day before yesterday", -1: "yesterday", 0: "today", 1: "tomorrow"},
    "pt": {-2: "anteontem", -1: "ontem", 0: "hoje", 1: "amanha"},
    "fr": {-2: "avant-hier|avant hier", -1: "hier", 0: "aujourd'hui", 1: "demain"},
    "tl": {-2: "kamakalawa", -1: "kahapon", 0: "ngayon|ngayong araw", 1: "bukas"},
    "sw": {-2: "juzi", -1: "jana", 0: "leo", 1: "kesho"},
    "ar": {
        -2: "أول أمس|اول امس|قبل أمس|قبل امس|أول امبارح|اول امبارح|أول البارحة",
        -1: "أمس|امس|الأمس|البارحة|البارح|امبارح|مبارح",
        0: "اليوم",
        1: "غدا|غداً|بكرة|بكره|بكرا",
    },
}
_WEEKDAYS = {
    "es": "lunes martes miercoles jueves viernes sabado domingo",
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "pt": "segunda|segunda-feira terca|terca-feira quarta|quarta-feira quinta|quinta-feira "
    "sexta|sexta-feira sabado domingo",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    # "linggo" is also "week": only "noong linggo" is last Sunday.
    "tl": "lunes martes miyerkules|miyerkoles huwebes biyernes|byernes sabado "
    "noong_linggo|nung_linggo|sa_linggo|domingo",
    "sw": "jumatatu jumanne jumatano alhamisi ijumaa jumamosi jumapili",
    "ar": "الاثنين|الإثنين|الاتنين الثلاثاء|الثلاثا|التلات الأربعاء|الاربعاء الخميس الجمعة "
    "السبت الأحد|الاحد",
}
_MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre "
    "noviembre diciembre",
    "en": "january|jan february|feb march|mar april|apr may june|jun july|jul august|aug "
    "september|sep|sept october|oct november|nov december|dec",
    "pt": "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "tl": "enero pebrero|febrero marso abril mayo hunyo|junio hulyo|julio agosto "
    "setyembre|septiyembre|setiembre oktubre nobyembre disyembre",
    "sw": "januari februari machi aprili mei juni julai agosti septemba oktoba novemba desemba",
    "ar": "يناير|كانون_الثاني فبراير|شباط مارس|آذار أبريل|ابريل|إبريل|نيسان مايو|أيار|ايار "
    "يونيو|يونيه|حزيران يوليو|يوليه|تموز أغسطس|اغسطس|آب سبتمبر|أيلول|ايلول "
    "أكتوبر|اكتوبر|تشرين_الأول نوفمبر|تشرين_الثاني ديسمبر|كانون_الأول",
}
_SHARED_LANGUAGES = ("es", "en", "pt", "fr")


def _names(table: str) -> dict[str, int]:
    """'lunes martes|mardi ...' -> {'lunes': 0, 'martes': 1, 'mardi': 1, ...}."""
    return {
        numbers.normalise(name.replace("_", " ")): index
        for index, names in enumerate(table.split())
        for name in names.split("|")
    }


@dataclass(frozen=True)
class _DayWords:
    """The day words read in one locale, and the patterns built from them."""

    relative: dict[str, int]
    weekdays: dict[str, int]
    months: dict[str, int]  # month numbers from 1
    relative_re: re.Pattern[str]
    weekday_re: re.Pattern[str]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]

    @staticmethod
    def lookup(table: dict[str, int], found: str) -> int:
        found = " ".join(found.split())
        if found in table:
            return table[found]
        # An Arabic prefix: "بالأمس" = "ب" + "الأمس"; the longest name it ends with.
        return table[max((name for name in table if found.endswith(name)), key=len)]


def _day_words(locale: str) -> _DayWords:
    langs = list(dict.fromkeys([*_SHARED_LANGUAGES, locale]))
    relative = {
        numbers.normalise(phrase): offset
        for lang in langs
        for offset, phrases in _RELATIVE_DAYS[lang].items()
        for phrase in phrases.split("|")
    }
    weekdays = {name: day for lang in langs for name, day in _names(_WEEKDAYS[lang]).items()}
    months = {name: i + 1 for lang in langs for name, i in _names(_MONTHS[lang]).items()}
    month_re = _words(*months)
    return _DayWords(
        relative=relative,
        weekdays=weekdays,
        months=months,
        relative_re=re.compile(_phrase_re(_words(*relative))),
        weekday_re=re.compile(_phrase_re(_words(*weekdays))),
        day_month=re.compile(
            rf"(?<![0-9:.,])(?:ika-?\s*)?([0-9]{{1,2}})(?:st|nd|rd|th|er|o)?\s*"
            rf"(?:de\s+|of\s+|ng\s+|من\s+)?({month_re})(?!\w)"
        ),
        month_day=re.compile(rf"(?<!\w)({month_re})\s+([0-9]{{1,2}})(?![0-9:.,])"),
    )


_DAY_WORDS = {lang: _day_words(lang) for lang in numbers.LANGUAGES}
_SLASH_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}|[0-9]{2}))?(?![0-9])")
_DAY_ONLY = re.compile(
    r"(?<!\w)(?:el|the|on\s+the|dia|le|ika-?|noong|nung|tarehe|يوم|بتاريخ|تاريخ)\s*"
    r"([0-9]{1,2})(?:st|nd|rd|th|ro|er|o)?(?![0-9:.,])"
    # not "el 8 horas", "el 8 a 14"; but "tarehe 5 masaa 8" is the 5th
    rf"(?!\s*(?:(?:{_HOURS_WORD}|{_MINUTES_WORD})(?!\s+[0-9])|am|pm|-|(?:{_CONNECTOR})\s+[0-9])"
    r"(?!\w))"
)
_DAYS_AGO = re.compile(
    r"(?<!\w)(?:hace|ha|faz)\s+([0-9]{1,2})\s+dias?(?!\w)"
    r"|(?<!\w)([0-9]{1,2})\s+days?\s+ago(?!\w)"
    r"|(?<!\w)il\s+y\s+a\s+([0-9]{1,2})\s+jours?(?!\w)"
    r"|(?<!\w)([0-9]{1,2})\s+araw\s+(?:na\s+)?(?:ang\s+)?nakalipas(?!\w)"
    r"|(?<!\w)nakaraang\s+([0-9]{1,2})\s+araw(?!\w)"
    r"|(?<!\w)siku\s+([0-9]{1,2})\s+(?:zilizopita|iliyopita)(?!\w)"
    r"|(?<!\w)قبل\s+([0-9]{1,2})\s+(?:ايام|يوم)(?!\w)"
)
# "mañana" after "la"/"de la"/"en la"/"por la" is "the morning", not "tomorrow".
_MORNING = re.compile(r"(?<!\w)(?:la|las)\s+mananas?(?!\w)")


def _year_back(month: int, day: int, today: dt.date) -> dt.date:
    """A date without a year: this year, or the last year it existed if that is in the future."""
    for year in range(today.year, today.year - 8, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            if (month, day) != (2, 29):  # "31 de febrero", "15/13": never a date
                raise ParseError("bad_date") from None
            continue
        if candidate <= today:
            return candidate
    raise ParseError("bad_date")


def _month_day_back(day: int, today: dt.date) -> dt.date:
    """Day of the month alone: the latest date up to today with that day, month by month
    ('el 31' on 15 March is 31 January: February has no 31st)."""
    if not 1 <= day <= 31:
        raise ParseError("bad_date")
    year, month = today.year, today.month
    while True:  # ends within three tries: of two months in a row, one has 31 days
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


_LAST = re.compile(
    _phrase_re(
        _words(
            "pasado|last|passado|passada|dernier|nakaraang|noong nakaraang|iliyopita|الماضي|"
            "الماضيه|اللي فات"
        )
    )
)


def _find_day(text: str, today: dt.date, locale: str) -> tuple[dt.date | None, list[str], bool]:
    """(day, assumptions, ambiguous) from the day words in the text; None if there are none."""
    text = _MORNING.sub(" ", text)
    if match := _DAYS_AGO.search(text):
        return today - dt.timedelta(days=int(next(g for g in match.groups() if g))), [], False
    words = _DAY_WORDS[_lang(locale)]
    if match := words.relative_re.search(text):
        return today + dt.timedelta(days=words.lookup(words.relative, match[0])), [], False
    if match := words.weekday_re.search(text):
        back = (today.weekday() - words.lookup(words.weekdays, match[0])) % 7
        if back == 0 and _LAST.search(text[max(0, match.start() - 20) : match.end() + 20]):
            back = 7  # "mardi dernier" on a Tuesday is a week ago
        return today - dt.timedelta(days=back), ["weekday_last"], False
    if match := words.day_month.search(text):
        return _year_back(words.lookup(words.months, match[2]), int(match[1]), today), [], False
    if match := words.month_day.search(text):
        return _year_back(words.lookup(words.months, match[1]), int(match[2]), today), [], False
    if match := _SLASH_DATE.search(text):
        first, second = int(match[1]), int(match[2])
        day, month = (second, first) if locale == "en" else (first, second)
        ambiguous = locale == "en" and first <= 12 and second <= 12 and first != second
        if match[3]:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            try:
                return dt.date(year, month, day), [], ambiguous
            except ValueError:
                raise ParseError("bad_date") from None
        return _year_back(month, day, today), [], ambiguous
    if match := _DAY_ONLY.search(text):
        return _month_day_back(int(match[1]), today), [], False
    return None, [], False


_DATEPARSER_LANGUAGES = {"tl": ("tl", "fil")}


def _dateparser_day(text: str, today: dt.date, locale: str) -> dt.date | None:
    """Other date phrases ("hace 3 días", "last friday"), read by dateparser."""
    words = re.sub(rf"[0-9:.,\-]+\s*(?:{_HOURS_WORD}|{_MINUTES_WORD})?(?!\w)", " ", text).strip()
    if len(words) < 4:
        return None
    from dateparser.search import search_dates  # slow to import: only when needed

    own = _DATEPARSER_LANGUAGES.get(locale, (locale,))
    languages = list(dict.fromkeys([*own, "es", "en", "pt", "fr"]))
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


_FILLER = re.compile(
    _phrase_re(
        _words(
            "trabaje|worked|work|trabalhei|j'ai|travaille|hoy|today|hoje|el|on|de|the|le|la|y|"
            "and|e|et|con|with|com|avec|a|o|en|in|em|no|na|h|hs|de la|ako|ng|nagtrabaho|"
            "trabaho|oras|nilifanya|kazi|masaa|saa|عملت|اشتغلت|ساعات|ساعه|من|الي|في"
        )
    )
    + rf"|(?<!\w)(?:{_HOURS_WORD})(?!\w)"
)


def _has_words(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]{3,}", _FILLER.sub(" ", text)))


# ---- hours ---------------------------------------------------------------------------------
_SIGN = r"(?:(?<![^\s(])(-))?"
_TIME = rf"(?:({_CLOCK_WORD})\s+)?{_SIGN}([0-9]{{1,2}})(?:[:.h]([0-9]{{2,3}}))?(?![0-9])"
_SUFFIX = rf"(?:\s*(?:h|hrs?|horas?|heures?|oras)(?!\w))?(?:\s*((?:{_PERIOD}))(?!\w))?"
_RANGE = re.compile(
    rf"(?:(?<!\w)(?:{_START_WORD})\s+)?(?<![0-9:.,]){_TIME}{_SUFFIX}"
    rf"\s*(?:-|(?<![^\W\d_])(?:{_CONNECTOR})(?![^\W\d_]))\s*"  # "de 8a14" too
    rf"{_TIME.replace(_SIGN, '(-)?')}{_SUFFIX}"
)
_NUMBER = r"([0-9]+(?:[.,][0-9]{1,2})?)(?![0-9])"
_NEGATIVE_WORD = r"(?:(?<!\w)(?:menos|minus|moins|negative|negativo)\s+)"
_DURATION = re.compile(
    rf"(?:{_SIGN}|{_NEGATIVE_WORD}(?=[0-9]))(?<![0-9.,:]){_NUMBER}\s*(?:{_HOURS_WORD})(?!\w)"
    rf"(?:\s*(?:(?:{_AND})\s*)?(?:([0-9]{{1,3}})\s*(?:{_MINUTES_WORD})(?!\w)"
    rf"|((?:{_HALF}))(?!\w)))?"
)
_HOURS_MINUTES = re.compile(r"(?<![0-9.,:])([0-9]{1,2})h([0-9]{2,3})(?![0-9])")
# Swahili and Arabic also put the word first: "masaa 6", "ساعات 8".
_UNIT_FIRST = re.compile(
    rf"(?<!\w)(?:masaa|saa|ساعات|ساعه)\s+{_SIGN}{_NUMBER}(?![0-9:.])"
    rf"(?:\s*(?:na|و)?\s*(nusu|نصف|نص|ونصف|ونص)(?!\w))?"
    rf"(?!\s*(?:{_PERIOD})(?!\w))"
)
_MINUTES_ONLY = re.compile(
    rf"{_SIGN}(?<![0-9.,:])([0-9]+)\s*(?:{_MINUTES_WORD})(?!\w)"
    rf"|(?<!\w)(?:dakika|دقيقه|دقائق)\s+([0-9]+)(?![0-9])"
)
_BREAK_WORD = _words(
    "pausa|descanso|break|almoco|almuerzo|comida|lunch|intervalo|pause|refeicao|dejeuner|"
    "colacion|pahinga|tanghalian|mapumziko|kupumzika|chakula|استراحة|راحة|بريك|غداء"
)
_BREAK_UNIT = rf"(?:{_HOURS_WORD}|min\w*|{_MINUTES_WORD})"
_BREAK_THEN_NUMBER = re.compile(
    rf"(?<!\w)(?:{_BREAK_WORD})(?!\w)\s*(?:(?:de|of|ng|ya|na|من)\s+)?"
    rf"(?:(?:saa|masaa|ساعه|dakika|دقيقه)\s+)?([0-9]{{1,3}}(?:[.,][0-9])?)\s*"
    rf"({_BREAK_UNIT}(?!\w))?"
)
_NUMBER_THEN_BREAK = re.compile(
    rf"(?<![0-9.,:])([0-9]{{1,3}}(?:[.,][0-9])?)\s*({_BREAK_UNIT})(?!\w)\s*"
    rf"(?:(?:de|of|ng|na|ya)\s+)?(?:{_BREAK_WORD})(?!\w)"
)
_BREAK_WORD_RE = re.compile(rf"(?<!\w)(?:{_BREAK_WORD})(?!\w)")
_RANGE_END = re.compile(rf"(?:-|(?<!\w)(?:{_CONNECTOR}))\s*$")


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    begin = dt.datetime.combine(dt.date(2000, 1, 1), start)
    finish = dt.datetime.combine(dt.date(2000, 1, 1), end)
    if finish <= begin:
        finish += dt.timedelta(days=1)
    return finish - begin


def _hours(value: str) -> Decimal:
    return Decimal(value.replace(",", "."))


@dataclass
class _Reading:
    """What the hours part of a text says, before the day is known."""

    worked: dt.timedelta
    rest: str  # the text without the part that was read
    start: dt.time | None = None
    end: dt.time | None = None
    ambiguous: bool = False
    assumptions: tuple[str, ...] = ()
    gap_minutes: int = 0  # between the two halves of a split shift, counted as a break

    @property
    def overnight(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " + text[match.end() :]


def _period(suffix: str | None) -> str | None:
    if not suffix:
        return None
    suffix = " ".join(suffix.split())
    for name, words in (
        ("morning", _MORNING_WORDS),
        ("afternoon", _AFTERNOON_WORDS),
        ("evening", _EVENING_WORDS),
        ("night", _NIGHT_WORDS),
    ):
        if re.fullmatch(words, suffix):
            return name
    return None


def _swahili_hour(hour: int, period: str | None) -> int:
    """Swahili hours count from 06:00: 'saa 2 asubuhi' is 08:00, 'saa 1 usiku' 19:00."""
    h12 = (hour + 6) % 12
    if period == "morning":
        return h12 or 12
    if period == "afternoon":
        return h12 if h12 == 11 else h12 + 12
    if period == "evening":
        return h12 + 12
    if period == "night":
        return h12 + 12 if h12 >= 6 else h12
    return h12 + 12 if h12 < 7 else h12  # no period: the working day, 07:00 to 18:00


def _clock(
    clock_word: str | None, sign: str | None, hour: str, minute: str | None, suffix: str | None
) -> tuple[dt.time, bool]:
    """The time of day, and whether it was read the Swahili way without a period word."""
    if sign:
        raise ParseError("negative")
    h, m = int(hour), int(minute or 0)
    if m > 59 or h > 24 or (h == 24 and m):
        raise ParseError("bad_time")
    period = _period(suffix)
    swahili = clock_word == "saa" and h <= 12
    if swahili:
        h = _swahili_hour(h, period)
    elif period == "morning" and h == 12:
        h = 0
    elif period in ("afternoon", "evening") and h < 12:
        h += 12
    elif period == "night":
        h = 0 if h == 12 else h + 12 if 6 <= h < 12 else h
    return dt.time(h % 24, m), swahili and period is None


def _break_minutes(text: str) -> tuple[int, str]:
    """The break ("pausa 30 min", "1 hora de comida", "pausa de 12 a 13") in minutes, and the
    text without it."""
    for word in _BREAK_WORD_RE.finditer(text):
        during = _RANGE.match(text, word.end() + text[word.end() :].startswith(" "))
        lunch = _read_range(during[0]) if during else None
        if during and lunch:
            return int(lunch.worked.total_seconds()) // 60, (
                text[: word.start()] + " " + text[during.end() :]
            )
    match = _BREAK_THEN_NUMBER.search(text)
    if match is None:
        match = _NUMBER_THEN_BREAK.search(text)
        if match is None or _RANGE_END.search(text[: match.start()]):
            return 0, text  # "de 8 a 16h pausa": 16h is the end of the range
    number, unit = match[1], (match[2] or "").strip()
    value = Decimal(number.replace(",", "."))
    in_hours = bool(re.fullmatch(_HOURS_WORD, unit)) or (not unit and value <= 5)
    minutes = int(value * 60) if in_hours else int(value)
    return minutes, _cut(text, match)


def _read_one_range(rest: str) -> _Reading | None:
    match = _RANGE.search(rest)
    if match is None:
        return None
    start, swahili_start = _clock(match[1], match[2], match[3], match[4], match[5])
    # "saa 3 asubuhi hadi 11 jioni": the end is told the same (Swahili) way as the start.
    end_word = match[6] or (match[1] if (match[1] or "").strip() == "saa" else None)
    end, swahili_end = _clock(end_word, match[7], match[8], match[9], match[10])
    if end == start:
        raise ParseError("zero_duration")
    assumptions = ["swahili_time"] if swahili_start or swahili_end else []
    explicit = bool(_period(match[5]) or _period(match[10]) or assumptions)
    if (
        end < start
        and not explicit
        and 1 <= end.hour < 12
        and 1 <= start.hour < 12  # "0:15-0:00" is a night, not a 12-hour guess
        and end.hour + 12 > start.hour
    ):
        end = end.replace(hour=end.hour + 12)  # "de 9 a 5": 09:00-17:00, to confirm
        assumptions.append("pm_assumed")
    return _Reading(
        worked=_span(start, end),
        rest=_cut(rest, match),
        start=start,
        end=end,
        ambiguous=bool(assumptions),
        assumptions=tuple(assumptions),
    )


def _read_range(rest: str) -> _Reading | None:
    """A range, or a split shift of two: "de 8 a 12 y de 14 a 18" is 08:00-18:00 with a
    two-hour break ("de 8 a 12 y de 2 a 6" too, with 14:00 assumed, to confirm)."""
    first = _read_one_range(rest)
    if first is None or first.start is None or first.end is None:
        return first
    second = _read_one_range(first.rest)
    if second is None or second.start is None or second.end is None:
        return first
    assumptions = [*first.assumptions, *second.assumptions]
    start, end = second.start, second.end
    if start < first.end and start.hour < 12 and end.hour < 12 and first.end.hour >= 12:
        start, end = start.replace(hour=start.hour + 12), end.replace(hour=end.hour + 12)
        assumptions.append("pm_assumed")
    if first.overnight or end <= start or start < first.end:
        raise ParseError("not_understood")  # overlapping or crossing midnight: ask again
    gap = _span(first.end, start) if start > first.end else dt.timedelta(0)
    return _Reading(
        worked=_span(first.start, end),
        rest=second.rest,
        start=first.start,
        end=end,
        ambiguous=bool(assumptions),
        assumptions=tuple(dict.fromkeys(assumptions)),
        gap_minutes=int(gap.total_seconds()) // 60,
    )


def _read_duration(rest: str) -> _Reading | None:
    if (match := _HOURS_MINUTES.search(rest)) is not None:  # "6h30"
        if int(match[2]) > 59:
            raise ParseError("bad_time")
        minutes = int(match[1]) * 60 + int(match[2])
    elif (match := _DURATION.search(rest)) is not None:
        if match[1] or match.group(0).lstrip().startswith(("menos", "minus", "moins", "neg")):
            raise ParseError("negative")
        minutes = int(_hours(match[2]) * 60) + int(match[3] or 0) + (30 if match[4] else 0)
    elif (match := _UNIT_FIRST.search(rest)) is not None:  # "masaa 6", "ساعات 8"
        if match[1]:
            raise ParseError("negative")
        minutes = int(_hours(match[2]) * 60) + (30 if match[3] else 0)
    else:
        return None
    return _Reading(worked=dt.timedelta(minutes=minutes), rest=_cut(rest, match))


def _read_minutes(rest: str) -> _Reading | None:
    match = _MINUTES_ONLY.search(rest)
    if match is None or not _WORK_WORDS.search(rest):
        return None
    if match[1]:
        raise ParseError("negative")
    return _Reading(worked=dt.timedelta(minutes=int(match[2] or match[3])), rest=_cut(rest, match))


def parse_shift(text: str, today: dt.date, locale: str) -> ParsedShift | None:
    """An hours entry, or None if the text is not one. Raises ParseError if impossible."""
    lang = _lang(locale)
    if len(text) > MAX_TEXT:
        _too_long(text, lang)
        return None
    prepared = _prepare(text, lang)
    if not prepared or prepared.startswith("/") or _is_question(prepared):
        return None
    if _PAID.search(prepared) and not _WORK_VERB.search(prepared):
        return None  # "me pagaron 8 horas extra" is for parse_payment
    break_minutes, rest = _break_minutes(prepared)
    words = _DAY_WORDS[lang]
    rest = _DAY_ONLY.sub(" ", words.day_month.sub(" ", _SLASH_DATE.sub(" ", rest)))
    reading = _read_range(rest) or _read_duration(rest) or _read_minutes(rest)
    if reading is None:
        if _looks_like_entry(prepared):
            raise ParseError("not_understood")
        return None
    assumptions = list(reading.assumptions)
    break_minutes += reading.gap_minutes
    day, day_assumptions, day_ambiguous = _find_day(prepared, today, locale)
    if day is None:
        rest = _MORNING.sub(" ", reading.rest)
        day = _dateparser_day(rest, today, lang) if _has_words(rest) else None
    if day is None:
        day = today
        assumptions.append("date_assumed_today")
    assumptions += day_assumptions
    if reading.worked > dt.timedelta(hours=24):
        raise ParseError("over_24h")
    if reading.worked <= dt.timedelta(0):
        raise ParseError("zero_duration")
    if day > today:
        raise ParseError("future_date")
    if break_minutes and dt.timedelta(minutes=break_minutes) >= reading.worked:
        raise ParseError("break_too_long")
    return ParsedShift(
        day=day,
        start=reading.start,
        end=reading.end,
        worked=reading.worked - dt.timedelta(minutes=break_minutes),
        break_minutes=break_minutes,
        ambiguous=reading.ambiguous or day_ambiguous,
        assumptions=tuple(assumptions),
        overnight=reading.overnight,
    )


# ---- payments ------------------------------------------------------------------------------
_AMOUNT = re.compile(
    r"(?<![0-9.,])(?:(?<![^\s(])(-))?"
    r"([0-9]{1,3}(?:([., '])[0-9]{3})(?:\3[0-9]{3})*(?:[.,][0-9]{1,2})?"
    r"|[0-9]+(?:[.,][0-9]{1,2})?)(?![0-9])(?!(?:o|a|th|st|nd|rd|er|e)(?!\w))"  # not "13o"
)
_TIME_UNIT = (
    rf"(?:{_HOURS_WORD}|{_MINUTES_WORD}|{_DAYS_WORD}|"
    + _words(
        "semana|semanas|mes|meses|ano|anos|week|weeks|month|months|year|years|semaine|semaines|"
        "mois|an|ans|linggo|buwan|taon|wiki|mwezi|miezi|mwaka|اسبوع|اسابيع|شهر|اشهر|شهور|سنه"
    )
    + ")"
)
_TIME_UNIT_AFTER = re.compile(rf"\s*{_TIME_UNIT}(?!\w)")
_TIME_UNIT_BEFORE = re.compile(rf"(?<!\w){_TIME_UNIT}\s*$")  # Swahili: "miezi 2"
_METHODS = {
    "cash": (
        "efectivo|cash|dinheiro|especes|en mano|billetes|cash lang|pesa taslimu|taslimu|"
        "نقدا|نقدي|كاش|cash in hand"
    ),
    "transfer": (
        "transferencia|transfer|pix|virement|deposito|banco|bank|yape|plin|mercado pago|bizum|"
        "gcash|maya|m-pesa|mpesa|tigo pesa|airtel money|benki|تحويل|بنك|حواله|حوالة"
    ),
}
_METHOD_RES = {name: re.compile(_phrase_re(_words(words))) for name, words in _METHODS.items()}
_NOTES = (
    "aguinaldo|gratificacion|bono|bonus|decimo|vacaciones|vacation|horas extra|overtime|cts|"
    "prima|13o|ferias|conges|finiquito|liquidacion|13th month|overtime pay|bonasi|likizo|"
    "مكافاه|مكافأة|عيدية|اجازه|إجازة"
)
_NOTE_RE = re.compile(_phrase_re(_words(_NOTES)))


# Swahili says "not paid" in one verb: "sijalipwa", "hajanilipa", "hawakunilipa".
_SWAHILI_NOT_PAID = re.compile(r"(?<!\w)(?:sija|siku|haja|haku|hawaja|hawaku)\w*lip\w*")


def _is_negated(prepared: str) -> bool:
    """'no me pagaron', 'she didn't pay me', 'hindi ako binayaran', 'ما استلمت'."""
    return bool(_SWAHILI_NOT_PAID.search(prepared)) or any(
        _NEGATION.search(prepared[max(0, m.start() - 30) : m.start()])
        for m in _PAID.finditer(prepared)
    )


# "8000 kwa mwezi", "500 por semana": what a job pays, not a payment received.
_RATE = re.compile(
    _phrase_re(
        _words(
            "al mes|por mes|a la semana|por semana|al dia|por dia|a month|per month|a week|"
            "per week|a day|per day|por hora|per hour|an hour|par mois|par semaine|par jour|"
            "par heure|ao mes|por hora|kada buwan|bawat buwan|kada linggo|isang buwan|"
            "kwa mwezi|kwa wiki|kwa siku|kwa saa|شهريا|في الشهر|بالشهر|اسبوعيا|في الاسبوع|"
            "في اليوم|يوميا|بالساعه"
        )
    )
)


def _amounts(text: str) -> Iterable[re.Match[str]]:
    """The numbers that may be the amount: not '2 meses', '8 horas'."""
    for match in _AMOUNT.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if not _TIME_UNIT_AFTER.match(text, match.end()) and not _TIME_UNIT_BEFORE.search(before):
            yield match


def parse_payment(text: str, today: dt.date, locale: str) -> ParsedPayment | None:
    """A payment received, or None if the text is not one. Raises ParseError if impossible."""
    lang = _lang(locale)
    if len(text) > MAX_TEXT:
        _too_long(text, lang)
        return None
    prepared = _prepare(text, lang)
    if not prepared or prepared.startswith("/") or _is_question(prepared):
        return None
    if (
        _PAID.search(prepared) is None
        or _is_negated(prepared)
        or _RATE.search(prepared)
        or _RATE.search(numbers.normalise(text))  # before "an hour" became "1 hour"
    ):
        return None
    words = _DAY_WORDS[lang]
    without_dates = _DAYS_AGO.sub(" ", words.day_month.sub(" ", prepared))
    without_dates = _SLASH_DATE.sub(" ", words.month_day.sub(" ", without_dates))
    without_dates = _DAY_ONLY.sub(" ", without_dates)
    match = next(iter(_amounts(_PAID.sub(" ", without_dates))), None)
    if match is None:
        if _has_number(prepared):
            raise ParseError("not_understood")
        return None
    if match[1]:
        raise ParseError("negative")
    try:
        amount = numbers.parse_amount(match[2])
    except ValueError:
        raise ParseError("not_understood") from None
    if not Decimal(0) < amount <= MAX_AMOUNT:
        raise ParseError("bad_amount")
    day, _assumptions, _ambiguous = _find_day(prepared, today, locale)
    day = day or today
    if day > today:
        raise ParseError("future_date")
    method = next((name for name, regex in _METHOD_RES.items() if regex.search(prepared)), None)
    note_match = _NOTE_RE.search(prepared)
    note = " ".join(note_match[0].split()) if note_match else None
    return ParsedPayment(amount=amount, day=day, method=method, note=note)
