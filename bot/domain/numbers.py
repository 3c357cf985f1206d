"""Numbers as workers write them: digits of any script ("٨"), amounts ("1.500,50",
"1,500.50", "4870", "2 mil", "1.5k") and numbers in words in the bot's seven languages
("quinientos", "five hundred", "mil e duzentos", "limang daan", "elfu moja", "خمسمائة").

Spanish, English, Portuguese and French words are read by text2num; Tagalog, Swahili and
Arabic, which it does not know, by the small tables below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from text_to_num import find_numbers

from bot.domain.text import fold

LANGUAGES = ("es", "en", "pt", "fr", "tl", "sw", "ar")
MAX_TEXT = 300  # longer texts are not read as one number
_TEXT2NUM = frozenset({"es", "en", "pt", "fr"})

# Separators and letter variants that mean the same to a reader: the Arabic decimal and
# thousands separators, the kinds of dash and apostrophe, no-break spaces, the shapes of
# tāʼ marbūṭa and alif maqṣūra ("ساعة" = "ساعه"), the tatweel stretch.
_SAME = str.maketrans(
    {
        "٫": ".",
        "٬": ",",
        "،": ",",
        "–": "-",
        "—": "-",
        "−": "-",
        "’": "'",
        "‘": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,
    }
)


def ascii_digits(text: str) -> str:
    """Every decimal digit as 0-9: '٨ ساعات' -> '8 ساعات', '۱۲' -> '12'."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )


def normalise(text: str) -> str:
    """Folded (lower case, no accents), ASCII digits, one spelling per separator and letter."""
    return ascii_digits(fold(text)).translate(_SAME)


# ---- digits ---------------------------------------------------------------------------------
_DIGIT_AMOUNT = re.compile(r"[0-9]+(?:[., '][0-9]+)*")


def _digits_amount(text: str) -> Decimal:
    """'1.500' and '1 500' = 1500, '1.500,50' = '1,500.50' = 1500.50, '7,5' = 7.5."""
    parts = re.split(r"([., '])", text)
    numbers, separators = parts[0::2], parts[1::2]
    if not separators:
        return Decimal(text)
    decimals = ""
    kinds = set(separators)
    last = separators[-1]
    if len(kinds) == 2 or (separators.count(last) == 1 and last in ".," and len(numbers[-1]) != 3):
        # The last separator marks the decimals: "1.500,50", "1,500.50", "7,5", "12.50".
        if last not in ".," or separators.count(last) != 1 or not 1 <= len(numbers[-1]) <= 2:
            raise ValueError(text)
        decimals = numbers.pop()
        separators.pop()
    elif len(numbers) == 2 and numbers[0] == "0" and last in ".,":
        decimals = numbers.pop()  # "0.500" is half, not five hundred
        separators.pop()
    if len(set(separators)) > 1:
        raise ValueError(text)
    if separators and (
        not 1 <= len(numbers[0]) <= 3 or any(len(group) != 3 for group in numbers[1:])
    ):
        raise ValueError(text)
    return Decimal("".join(numbers) + ("." + decimals if decimals else ""))


# ---- words ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpelledNumber:
    """A number written in words (or digits with a word: "2 mil") at text[start:end]."""

    start: int
    end: int
    value: int
    words: int  # how many words spell it: one small word ("dos", "one") may not be a number


@dataclass(frozen=True)
class _Token:
    word: str
    start: int
    end: int
    blocked: bool = False  # already part of a number read another way

    # text2num's Token protocol
    def text(self) -> str:
        return _ACCENTED.get(self.word, self.word)

    def nt_separated(self, previous: _Token) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return self.blocked


# text2num wants the accents that workers leave out.
_ACCENTED = {
    "dieciseis": "dieciséis",
    "veintidos": "veintidós",
    "veintitres": "veintitrés",
    "veintiseis": "veintiséis",
}
_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|[^\w\s]")

# "2 mil", "2k", "1,5 mil", "3 elfu": digits times a word.
_SCALE_WORDS = {
    "k": 1000,
    "mil": 1000,
    "thousand": 1000,
    "mille": 1000,
    "libo": 1000,
    "elfu": 1000,
    "الف": 1000,
    "الاف": 1000,
    "million": 10**6,
    "millon": 10**6,
    "millones": 10**6,
    "milhao": 10**6,
    "milhoes": 10**6,
    "milyon": 10**6,
    "milioni": 10**6,
    "مليون": 10**6,
}
_DIGITS_TIMES_WORD = re.compile(
    r"(?<![0-9.,])([0-9]{1,6}(?:[.,][0-9]{1,3})?) {0,2}("
    + "|".join(sorted(_SCALE_WORDS, key=len, reverse=True))
    + r")(?!\w)"
)


def _digits_times_word(text: str) -> list[SpelledNumber]:
    found = []
    for match in _DIGITS_TIMES_WORD.finditer(text):
        value = Decimal(match[1].replace(",", ".")) * _SCALE_WORDS[match[2]]
        if value == value.to_integral_value():  # "1.5k" is 1500; "0 mil" is kept, as no number
            found.append(SpelledNumber(match.start(), match.end(), int(value), 2))
    return found


# A word's value and kind: "n" adds (1-99), "h" multiplies by 100, "H" is whole hundreds,
# "b" multiplies by 1000 or more, "B" is whole thousands ("ألفين", 2000).
_Entry = tuple[int, str]


def _table(spec: Iterable[tuple[str, int, str]]) -> dict[str, _Entry]:
    return {normalise(word): (value, kind) for words, value, kind in spec for word in words.split()}


_TAGALOG = _table(
    [
        ("isa uno una", 1, "n"),
        ("dalawa dos", 2, "n"),
        ("tatlo tres", 3, "n"),
        ("apat kuwatro kwatro", 4, "n"),
        ("lima singko sinko", 5, "n"),
        ("anim sais", 6, "n"),
        ("pito siyete syete", 7, "n"),
        ("walo otso", 8, "n"),
        ("siyam nuwebe", 9, "n"),
        ("sampu diyes dyes labing labin labim", 10, "n"),  # "labing-isa" = 10 + 1
        ("labingisa onse", 11, "n"),
        ("labindalawa dose", 12, "n"),
        ("labintatlo trese", 13, "n"),
        ("labingapat katorse", 14, "n"),
        ("labinlima kinse", 15, "n"),
        ("labinganim disisais", 16, "n"),
        ("labimpito labinpito disisyete", 17, "n"),
        ("labingwalo disiotso", 18, "n"),
        ("labinsiyam disinuwebe", 19, "n"),
        ("dalawampu bente beinte", 20, "n"),
        ("tatlumpu trenta treinta", 30, "n"),
        ("apatnapu kuwarenta kwarenta", 40, "n"),
        ("limampu singkuwenta singkwenta", 50, "n"),
        ("animnapu sisenta", 60, "n"),
        ("pitumpu setenta", 70, "n"),
        ("walumpu otsenta", 80, "n"),
        ("siyamnapu nobenta", 90, "n"),
        ("daan raan", 100, "h"),
        ("sandaan isandaan siyento syento", 100, "H"),
        ("libo mil", 1000, "b"),
        ("sanlibo", 1000, "B"),
        ("milyon", 10**6, "b"),
    ]
)
_TAGALOG_LINKS = frozenset({"na", "at", "y"})  # "apat na raan", "libo at limang daan"

_ARABIC_UNITS = {
    1: "واحد واحدة",
    2: "اثنان اثنين اتنين اثنتان اثنتين",
    3: "ثلاث ثلاثة تلات تلاتة",
    4: "أربع أربعة اربع اربعة",
    5: "خمس خمسة",
    6: "ست ستة",
    7: "سبع سبعة",
    8: "ثمان ثماني ثمانية تمن تماني تمانية",
    9: "تسع تسعة",
}
_ARABIC_HUNDREDS = ("مائة", "مئة", "مية", "ميه", "ماية", "ميت")
_ARABIC = _table(
    [
        *((words, value, "n") for value, words in _ARABIC_UNITS.items()),
        ("عشر عشرة", 10, "n"),  # also "خمسة عشر" = 5 + 10
        ("أحدعشر حداشر", 11, "n"),
        ("اثناعشر اثنيعشر اطناشر اتناشر", 12, "n"),
        ("عشرون عشرين", 20, "n"),
        ("ثلاثون ثلاثين تلاتين", 30, "n"),
        ("أربعون أربعين اربعين", 40, "n"),
        ("خمسون خمسين", 50, "n"),
        ("ستون ستين", 60, "n"),
        ("سبعون سبعين", 70, "n"),
        ("ثمانون ثمانين تمانين", 80, "n"),
        ("تسعون تسعين", 90, "n"),
        (" ".join(_ARABIC_HUNDREDS), 100, "h"),
        ("مئتان مئتين مائتان مائتين ميتين", 200, "H"),
        *(
            (
                " ".join(
                    stem + hundred
                    for stem in _ARABIC_UNITS[value].split()
                    if not stem.endswith(("ة", "ي"))
                    for hundred in _ARABIC_HUNDREDS
                ),
                value * 100,
                "H",
            )
            for value in range(3, 10)
        ),
        ("ألف آلاف الف الاف", 1000, "b"),
        ("ألفان ألفين الفين", 2000, "B"),
        ("مليون ملايين", 10**6, "b"),
    ]
)
_ARABIC_LINKS = frozenset({"و"})

_SWAHILI_UNITS = _table(
    [
        ("moja", 1, "n"),
        ("mbili mawili wawili", 2, "n"),
        ("tatu matatu watatu", 3, "n"),
        ("nne manne wanne", 4, "n"),
        ("tano matano watano", 5, "n"),
        ("sita", 6, "n"),
        ("saba", 7, "n"),
        ("nane", 8, "n"),
        ("tisa", 9, "n"),
    ]
)
_SWAHILI_TENS = _table(
    [
        ("kumi", 10, "n"),
        ("ishirini", 20, "n"),
        ("thelathini", 30, "n"),
        ("arobaini", 40, "n"),
        ("hamsini", 50, "n"),
        ("sitini", 60, "n"),
        ("sabini", 70, "n"),
        ("themanini", 80, "n"),
        ("tisini", 90, "n"),
    ]
)
_SWAHILI_SCALES = {"milioni": 10**6, "laki": 10**5, "elfu": 1000}


def _fits(total: int, current: int, last_big: int, value: int, kind: str, *, ar: bool) -> bool:
    """May this word continue the number read so far ("twenty" + "five", not "five" + "two")?"""
    if kind == "n":
        rest = current % 100
        if value < 10:
            return current % 10 == 0
        if value == 10 and ar:
            return rest < 10  # "خمسة عشر"
        if value < 20:
            return rest == 0
        return rest == 0 or (ar and rest < 10)  # Arabic says the units first: "خمسة وعشرون"
    if kind == "h":
        return current < 10
    if kind == "H":
        return current == 0
    return value < last_big and (kind == "b" or current == 0)


def _western(
    tokens: list[_Token],
    lookup: Callable[[str], _Entry | None],
    links: frozenset[str],
    *,
    ar: bool = False,
) -> list[tuple[int, int, int]]:
    """(first token, end token, value) for each number said count-then-scale: 'limang daan'."""
    found = []
    i = 0
    while i < len(tokens):
        if tokens[i].blocked or lookup(tokens[i].word) is None:
            i += 1
            continue
        total = current = 0
        last_big = 10**12
        j = end = i
        while j < len(tokens) and not tokens[j].blocked:
            entry = lookup(tokens[j].word)
            if entry is None:
                if tokens[j].word in links and j + 1 < len(tokens) and j > i:
                    j += 1
                    continue
                break
            value, kind = entry
            if not _fits(total, current, last_big, value, kind, ar=ar):
                break
            if kind == "n":
                current += value
            elif kind == "h":
                current = max(current, 1) * 100
            elif kind == "H":
                current = value
            elif kind == "b":
                total += max(current, 1) * value
                current, last_big = 0, value
            else:
                total += value
                current, last_big = 0, 1000
            j = end = j + 1
        found.append((i, end, total + current))
        i = end
    return found


def _tagalog_word(word: str) -> _Entry | None:
    """'limang' = 'lima' + linker, "dalawampu't" = 'dalawampu' + 'at', 'labing-isa'."""
    word = word.replace("-", "")
    for candidate in (word, word.removesuffix("ng"), word.removesuffix("'t")):
        if candidate in _TAGALOG:
            return _TAGALOG[candidate]
    if word.endswith("g") and word[:-1] in _TAGALOG:  # "sampung", "dalawampung"
        return _TAGALOG[word[:-1]]
    return None


def _arabic_word(word: str) -> _Entry | None:
    """'وخمسمائة' = 'و' + 'خمسمائة'; 'بخمسين' = 'ب' + 'خمسين'."""
    for prefix in ("", "و", "ب", "وب"):
        if word.startswith(prefix) and word[len(prefix) :] in _ARABIC:
            return _ARABIC[word[len(prefix) :]]
    return None


def _swahili(tokens: list[_Token]) -> list[tuple[int, int, int]]:
    """Swahili puts the scale first: 'elfu mbili na mia tano' = 2 x 1000 + 5 x 100 = 2500."""

    def word(k: int) -> str:
        return tokens[k].word if k < len(tokens) and not tokens[k].blocked else ""

    def small(k: int, *, digits: bool) -> tuple[int, int] | None:
        """A number below 1000 from token k: 'mia tano na hamsini' = 550; (value, next)."""
        value, start = 0, k
        if word(k) == "mia":
            count = _SWAHILI_UNITS.get(word(k + 1))
            if count is not None:
                value, k = 100 * count[0], k + 2
            elif word(k + 1).isdecimal() and 0 < int(word(k + 1)) < 10:
                value, k = 100 * int(word(k + 1)), k + 2
            else:
                value, k = 100, k + 1
            if word(k) == "na" and (word(k + 1) in _SWAHILI_TENS or word(k + 1) in _SWAHILI_UNITS):
                k += 1
        if word(k) in _SWAHILI_TENS:
            value, k = value + _SWAHILI_TENS[word(k)][0], k + 1
            if word(k) == "na" and word(k + 1) in _SWAHILI_UNITS:
                value, k = value + _SWAHILI_UNITS[word(k + 1)][0], k + 2
        elif word(k) in _SWAHILI_UNITS:
            value, k = value + _SWAHILI_UNITS[word(k)][0], k + 1
        elif k == start and digits and word(k).isdecimal() and 0 < int(word(k)) < 1000:
            value, k = int(word(k)), k + 1
        return (value, k) if k > start else None

    def number(k: int) -> tuple[int, int] | None:
        total, start, last_scale = 0, k, 10**12
        while True:
            scale = _SWAHILI_SCALES.get(word(k), 0)
            if scale and scale < last_scale:
                count = small(k + 1, digits=True)
                value, nxt = count if count else (1, k + 1)
                total, k, last_scale = total + value * scale, nxt, scale
            elif last_scale > 1 and (part := small(k, digits=False)) is not None:
                total, k, last_scale = total + part[0], part[1], 1
            else:
                break
            if word(k) == "na":  # "elfu moja na mia tano": "na" only joins two parts
                scale = _SWAHILI_SCALES.get(word(k + 1), 0)
                if (scale and scale < last_scale) or (
                    not scale and last_scale > 1 and small(k + 1, digits=False)
                ):
                    k += 1
        return (total, k) if k > start else None

    found = []
    i = 0
    while i < len(tokens):
        read = number(i)
        if read is None:
            i += 1
            continue
        found.append((i, read[1], read[0]))
        i = read[1]
    return found


def _text2num(tokens: list[_Token], lang: str) -> list[tuple[int, int, int]]:
    found = []
    for occurrence in find_numbers(tokens, lang, 0):
        if occurrence.is_ordinal or occurrence.value != int(occurrence.value):
            continue  # "cuarto" is a room as often as a fourth
        found.append((occurrence.start, occurrence.end, int(occurrence.value)))
    return found


def spelled_numbers(text: str, lang: str) -> list[SpelledNumber]:
    """The numbers written in words in a normalised text, in order; zero is never one."""
    text = text[:MAX_TEXT]
    mixed = _digits_times_word(text)
    tokens = [
        _Token(m[0], m.start(), m.end(), any(s.start <= m.start() < s.end for s in mixed))
        for m in _TOKEN.finditer(text)
    ]
    if lang in _TEXT2NUM:
        spans = _text2num(tokens, lang)
    elif lang == "tl":
        spans = _western(tokens, _tagalog_word, _TAGALOG_LINKS)
    elif lang == "ar":
        spans = _western(tokens, _arabic_word, _ARABIC_LINKS, ar=True)
    elif lang == "sw":
        spans = _swahili(tokens)
    else:
        spans = []
    found = [number for number in mixed if number.value > 0] + [
        SpelledNumber(tokens[first].start, tokens[end - 1].end, value, end - first)
        for first, end, value in spans
        if value > 0
    ]
    return sorted(found, key=lambda number: number.start)


def words_to_digits(text: str, lang: str, threshold: int = 3) -> str:
    """Numbers in words as digits: 'me pagaron quinientos' -> 'me pagaron 500'.

    One word worth `threshold` or less stays a word ("no one", "un día"), as in text2num.
    """
    out, last = [], 0
    for number in spelled_numbers(text, lang):
        if number.words == 1 and number.value <= threshold:
            continue
        out += [text[last : number.start], str(number.value)]
        last = number.end
    return "".join([*out, text[last:]])


# ---- amounts --------------------------------------------------------------------------------
_CURRENCY_NAMES = (
    "peso pesos sol soles euro euros dolar dolares dollar dollars bucks real reais "
    "quetzal quetzales lempira lempiras colon colones guarani guaranies bolivar "
    "bolivares franc francs piso shilingi shillings shilling ksh kes tsh tzs ugx "
    "dirham dirhams riyal riyals dinar dinars ريال ريالات درهم دراهم دينار دنانير "
    "جنيه ليرة ليرات دولار"
)
_CURRENCY_WORDS = frozenset(normalise(word) for word in _CURRENCY_NAMES.split())


def _strip_currency(text: str) -> str:
    """Without currency signs, names and codes: '$ 1.500 MXN' -> '1.500'."""
    text = "".join(" " if unicodedata.category(ch) == "Sc" else ch for ch in text)
    words = text.split()
    for index in (0, -1):
        if len(words) > 1 and (
            words[index] in _CURRENCY_WORDS
            or (
                re.fullmatch(r"[a-z]{3}|s/\.?|b/\.?", words[index])
                and not any(spelled_numbers(words[index], lang) for lang in LANGUAGES)
            )
        ):
            words.pop(index)
    return " ".join(words)


def parse_amount(text: str, lang: str | None = None) -> Decimal:
    """'450', '1.500', '1.500,50', '1,500.50', '$200', '2 mil', 'quinientos', 'elfu moja'.

    Number words are read in `lang`, or in any of the bot's languages when it is None.
    Raises ValueError if the text is not one amount (signs, exponents and NaN included).
    """
    if len(text) > MAX_TEXT:
        raise ValueError("too long")
    clean = _strip_currency(normalise(text).strip())
    if _DIGIT_AMOUNT.fullmatch(clean):
        try:
            return _digits_amount(clean)
        except InvalidOperation:
            raise ValueError(text) from None
    for language in [lang] if lang else LANGUAGES:
        found = spelled_numbers(clean, language)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(clean):
            return Decimal(found[0].value)
    raise ValueError(text)
