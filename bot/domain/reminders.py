"""When reminders fall due: pure date arithmetic in the worker's own timezone.

Occurrences are computed on the local calendar and converted to UTC, so a daily 20:00
reminder stays at 20:00 across DST changes. A monthly date missing from a short month moves
to the month's last day. A wall-clock time that does not exist on a spring-forward night is
taken at the same UTC offset as the evening before (it fires an hour "late", never twice).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain import numbers

KINDS = ("log_hours", "payday", "rest_day", "one_off")
RULES = ("daily", "weekly", "monthly", "once")

# How late a reminder missed while the bot was down is still worth sending (README policy).
GRACE: dict[str, dt.timedelta] = {
    "log_hours": dt.timedelta(hours=3),  # still the same evening: she can log today's hours
    "payday": dt.timedelta(hours=12),  # the same day
    "rest_day": dt.timedelta(hours=6),
    "one_off": dt.timedelta(hours=1),  # an appointment reminder after that is noise
}

QUIET_START, QUIET_END = dt.time(21), dt.time(7)


@dataclass(frozen=True)
class Schedule:
    rule: str  # one of RULES
    at: dt.time  # local wall-clock time
    weekday: int | None = None  # 0 = Monday, for weekly
    month_day: int | None = None  # 1-31, for monthly
    once_at: dt.datetime | None = None  # UTC, for once


def _local(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time.

    fold=0 (PEP 495): a repeated time (clocks went back) is its first occurrence; a skipped
    time (clocks went forward) is read with the old offset, i.e. one hour later in new time.
    """
    return dt.datetime.combine(day, at, tz).astimezone(dt.UTC)


def next_occurrence(schedule: Schedule, tz: ZoneInfo, after: dt.datetime) -> dt.datetime | None:
    """The first occurrence strictly after `after` (UTC), or None for a past one-off."""
    if schedule.rule == "once":
        return schedule.once_at if schedule.once_at and schedule.once_at > after else None
    day = after.astimezone(tz).date()
    for _ in range(400):  # at most a year and a bit of candidate days
        if _matches(schedule, day):
            moment = _local(day, schedule.at, tz)
            if moment > after:
                return moment
        day += dt.timedelta(days=1)
    raise ValueError(f"no occurrence for {schedule}")


def _matches(schedule: Schedule, day: dt.date) -> bool:
    if schedule.rule == "daily":
        return True
    if schedule.rule == "weekly":
        return day.weekday() == schedule.weekday
    if schedule.rule == "monthly":
        wanted = schedule.month_day or 1
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(wanted, last)
    raise ValueError(f"unknown rule {schedule.rule!r}")


def in_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    return local >= QUIET_START or local < QUIET_END


def after_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Deferred, never dropped: a message due 21:00-07:00 local time goes at 07:00."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() < QUIET_END else local.date() + dt.timedelta(days=1)
    return _local(day, QUIET_END, tz)


def before_quiet_hours(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A meeting reminder due 21:00-07:00 goes at 20:59 the evening before: earlier, not later."""
    if not in_quiet_hours(moment, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date() if local.time() >= QUIET_START else local.date() - dt.timedelta(days=1)
    return _local(day, dt.time(20, 59), tz)


def missed_decision(kind: str, due: dt.datetime, now: dt.datetime) -> str:
    """'send' if a reminder due at `due` is still useful at `now`, else 'drop'."""
    return "send" if now - due <= GRACE.get(kind, dt.timedelta(hours=1)) else "drop"


# ---- her own words ---------------------------------------------------------------------------
# One-off reminders ("recuérdame mañana a las 9 llamar al sindicato"), a time typed as an
# answer ("8 de la noche", "saa 2 usiku") and a day of the month ("el 15"), in the bot's seven
# languages, written the way workers write: no accents, typos, digits of any script, numbers in
# words. The text is read folded (numbers.normalise) with number words as digits
# (numbers.spelled_numbers); the note keeps her own spelling. Weekday, month and day words come
# from dateparser's language data, and dateparser reads any other date ("en 3 días", "wiki
# ijayo"). Written here is only what it lacks: how each language marks a time ("a las", "alas",
# "saa", "الساعة"), Swahili hours (counted from 06:00), Arabic ordinal hours, the day after
# tomorrow and colloquial day words ("بكرة", "tmrw"), and "in 2 hours" in all seven.

MAX_REMINDER_CHARS = 300
DEFAULT_TIMES = {"log_hours": dt.time(20), "payday": dt.time(9), "rest_day": dt.time(8)}


def _alt(*groups: str) -> str:
    """One regex alternation of folded phrases ('|' between them), longest first."""
    phrases = {numbers.normalise(p.strip()) for g in groups for p in g.split("|") if p.strip()}
    return "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)
    )


# "por favor recuérdame", "pls remind me", "tafadhali nikumbushe", "من فضلك ذكرني".
_PLEASE = _alt(
    "por favor|porfa|porfavor|xfa|pf|please|pls|plz|pliz|plis|s'il te plait|s'il vous plait|"
    "stp|svp|pakiusap|tafadhali|من فضلك|لو سمحت|رجاء|رجاءا|بليز"
)
# Checked in this order: "remind mo ako" is Tagalog, "remind me" English.
_TRIGGERS: dict[str, str] = {
    "tl": r"(?:paki-?\s?)?(?:ipa-?alala|paalalahanan|paalalahan|paalalahanin|paalala)"
    r"(?:\s+(?:mo|nyo|niyo|ninyo|po))*(?:\s+(?:ako|ko|sa\s+akin|saakin))?"
    r"|(?:paki-?\s?|pa-?\s?|i-?)remind(?:\s+(?:mo|nyo|niyo|po))*(?:\s+(?:ako|ko|sa\s+akin))?"
    r"|remind\s+(?:mo|nyo|niyo)(?:\s+(?:ako|ko|sa\s+akin))?",
    "en": r"remind\s*me|remaind\s+me|remine\s+me|remid\s+me|reminde\s+me|remimd\s+me",
    "es": r"recuerdame|recuerdeme|recordame|recordarme|recuerda\s+me|acuerdame|avisame"
    r"|me\s+(?:recuerdas|recuerda|avisas)",
    "pt": r"(?:lembre|lembra|lembrar)-?\s?me|me\s+(?:lembre|lembra|lembrar|avisa|avise)",
    "fr": r"(?:rappelle|rappel|rapelle|rappele|rappelez|rapellez)-?\s?moi"
    r"|(?:fais|fait)-?\s?moi\s+penser",
    "sw": r"u?nikumbush\w*|kumbusha\s+mimi",
    "ar": r"(?:ذكر|فكر|نبه)(?:ي|و)?ني",
}
_TRIGGER_RES = {
    lang: re.compile(rf"^\s*(?:(?:{_PLEASE})[\s,.!]+)?(?:{trigger})(?!\w)[\s,:.!-]*")
    for lang, trigger in _TRIGGERS.items()
}

# ---- times of day ----------------------------------------------------------------------
_HALF = _alt("y media|y medya|e meia|et demie|et demi|and a half|na nusu|ونص|و نص|والنصف|ونصف")
_QUARTER = _alt("y cuarto|e um quarto|et quart|na robo|وربع|و ربع|والربع")
_TO_QUARTER = _alt(
    "menos cuarto|menos un cuarto|moins le quart|moins quart|kasorobo|kasoro robo|الا ربع"
)
# A period of the day after a time, and whether it may also stand apart from it ("mañana por
# la tarde a las 5"); "pm", "ص" or "gabi" are read only right after the time.
_PERIOD_WORDS: tuple[tuple[str, str, bool], ...] = (
    (
        "morning",
        "de la manana|en la manana|por la manana|in the morning|this morning|da manha|de manha|"
        "pela manha|du matin|le matin|ce matin|ng umaga|sa umaga|ng madaling araw|madaling araw|"
        "de la madrugada|de madrugada|da madrugada|asubuhi|alfajiri|صباحا|الصبح|الصباح|بالصباح|"
        "صباح|الفجر|فجرا",
        True,
    ),
    ("morning", "am|a.m.|a.m|a. m.|umaga|ص", False),
    ("noon", "ng tanghali|sa tanghali|al mediodia|del mediodia|de mediodia|الظهر|ظهرا", True),
    (
        "afternoon",
        "de la tarde|en la tarde|por la tarde|in the afternoon|this afternoon|da tarde|a tarde|"
        "de tarde|pela tarde|de l'apres-midi|de l'apres midi|l'apres-midi|l'apres midi|"
        "cet apres-midi|ng hapon|sa hapon|mchana|alasiri|العصر|عصرا|بعد الظهر",
        True,
    ),
    ("afternoon", "pm|p.m.|p.m|p. m.|hapon|tarde", False),
    (
        "evening",
        "de la noche|en la noche|por la noche|in the evening|this evening|at night|da noite|"
        "a noite|de noite|pela noite|du soir|le soir|ce soir|ng gabi|sa gabi|jioni|مساء|مساءا|"
        "المساء|بالمساء|المسا|بالليل|الليل|ليلا|بليل",
        True,
    ),
    ("evening", "gabi|noche|noite|soir|evening|night|م", False),
    ("night", "usiku", True),  # Swahili: "saa 2 usiku" is 20:00, "saa 8 usiku" 02:00
)
_PERIOD_ALT = _alt(*(words for _kind, words, _apart in _PERIOD_WORDS))
_PERIOD_APART = re.compile(
    rf"(?<!\w)(?:{_alt(*(words for _kind, words, apart in _PERIOD_WORDS if apart))})(?!\w)"
)
_PERIOD_KIND = {
    numbers.normalise(p): kind for kind, words, _apart in _PERIOD_WORDS for p in words.split("|")
}

# "a las 9", "at 9", "às 9", "vers 9", "alas 9", "saa 3", "الساعة ٩"; "ng 9" and "a 9" only
# with minutes, a period or nothing after ("bumili ng 2 kilo" is no time).
_MARKERS = _alt(
    "a las|a la|a eso de las|a eso de la|sobre las|como a las|tipo las|para las|at|@|around|"
    "at around|by|pras|para as|por volta das|por volta da|la pelas|vers|alas|ala|ng alas|"
    "mga alas|bandang alas|sa alas|mamayang alas|mamayang|saa|kwenye saa|mnamo saa|الساعه|"
    "ساعه|عالساعه|على الساعه|في الساعه|بالساعه"
)
_LOOSE_MARKERS = _alt("a|as|ng")  # also "to", "the" (pt "as 3 amigas"), "of" (tl)
_SWAHILI_MARKERS = frozenset({"saa", "kwenye saa", "mnamo saa"})
_MARKED = re.compile(
    rf"(?<!\w)(?:(?P<mark>{_MARKERS})|(?P<loose>{_LOOSE_MARKERS}))(?:\s*-\s*|\s+|(?=[0-9]))"
    r"(?=[0-9])"
)
_CLOCK = re.compile(
    r"(?P<h>[0-9]{1,2})(?![0-9])"
    r"(?:(?P<sep>[:.])(?P<m>[0-9]{2})(?![0-9])"
    r"|(?P<hsep>h)(?P<hm>[0-9]{2})?(?![0-9a-z])"
    r"|\s*(?P<unit>o'?clock|heures?|horas?|hrs?|hs|oras)(?:\s+(?P<um>[0-5][0-9]))?(?![0-9]))?"
    rf"(?:\s*(?:(?P<half>{_HALF})|(?P<quarter>{_QUARTER})|(?P<toq>{_TO_QUARTER})"
    r"|(?:y|e|et|na|and|و)\s*(?P<plus>[0-5][0-9])|(?P<spoken>15|30|45))(?![\w]))?"
    rf"(?:\s*(?P<period>{_PERIOD_ALT})(?!\w))?"
)
_BARE = re.compile(r"(?<![\w:.,/-])[0-9]{1,2}(?![0-9])")
_NOON = _alt("mediodia|medio dia|noon|midday|meio-dia|meio dia|midi|tanghaling tapat")
_MIDNIGHT = _alt(
    "medianoche|media noche|midnight|meia-noite|meia noite|minuit|hatinggabi|usiku wa manane|"
    "منتصف الليل"
)
_NAMED = re.compile(
    rf"(?<!\w)(?:(?:{_MARKERS}|a|al|ao|a o)\s+)?(?:(?P<noon>{_NOON})|(?P<midnight>{_MIDNIGHT}))"
    r"(?!\w)"
)
_PAST_TO = re.compile(
    r"(?<!\w)(?:at\s+)?(?P<part>half|quarter)\s+(?P<dir>past|after|to)\s+(?P<h>[0-9]{1,2})"
    rf"(?![0-9])(?:\s*(?P<period>{_PERIOD_ALT})(?!\w))?"
)
# "at the ninth hour" is how Arabic says 9 o'clock: "الساعة التاسعة".
_AR_ORDINAL_HOURS = {
    numbers.normalise(word): hour
    for hour, words in enumerate(
        [
            "",
            "الواحدة",
            "الثانية",
            "الثالثة",
            "الرابعة",
            "الخامسة",
            "السادسة",
            "السابعة",
            "الثامنة",
            "التاسعة",
            "العاشرة",
            "الحادية عشرة|الحادية عشر",
            "الثانية عشرة|الثانية عشر",
        ]
    )
    for word in words.split("|")
    if word
}
_AR_ORDINAL = re.compile(rf"(?<=ساعه )(?:{_alt(*_AR_ORDINAL_HOURS)})(?!\w)")

# "en 2 horas", "in 30 minutes", "dans une heure", "baada ya saa 2", "بعد ساعتين".
_IN = _alt(
    "en|dentro de|in|em|daqui a|daqui|dans|sa loob ng|pagkalipas ng|makalipas ang|after|"
    "baada ya|بعد|كمان|خلال"
)
_HOUR_UNIT = _alt("h|hr|hrs|hora|horas|hour|hours|heure|heures|oras|saa|masaa|ساعه|ساعات")
_MINUTE_UNIT = _alt("min|mins|minuto|minutos|minute|minutes|minuti|dakika|دقيقه|دقايق|دقائق")
_HALF_HOUR = _alt(
    "media hora|meia hora|half an hour|half hour|une demi-heure|une demi heure|demi-heure|"
    "kalahating oras|nusu saa|نص ساعه|نصف ساعه"
)
_OFFSET = re.compile(
    rf"(?<!\w)(?:{_IN})\s+(?:(?P<n>[0-9]{{1,3}})\s*(?P<unit>{_HOUR_UNIT}|{_MINUTE_UNIT})"
    rf"|(?P<unit_first>{_HOUR_UNIT}|{_MINUTE_UNIT})\s+(?P<n_after>[0-9]{{1,3}})"
    rf"|(?P<half>{_HALF_HOUR})|(?P<hour>an hour|a hour|ساعه)|(?P<two>ساعتين|ساعتان)"
    r"|(?P<two_min>دقيقتين))(?!\w)"
)


@dataclass(frozen=True)
class _Clock:
    """A time of day as she wrote it, before the day is known."""

    hour: int
    minute: int  # may be -15: "a las 9 menos cuarto"
    system: str  # "24h" as written, "12h" morning or evening unknown, "swahili"
    period: str | None = None  # morning, noon, afternoon, evening, night

    def readings(self) -> list[dt.time]:
        """The times she may mean, the likeliest first: "a las 8" is 08:00 or 20:00, "a las
        3" 15:00 (nobody sets a reminder for 3 in the night without saying so)."""
        h = self.hour
        if self.system == "swahili":
            hours = [_swahili_hour(h, self.period)]
        elif self.period is not None:
            hours = [_with_period(h, self.period)]
        elif self.system == "12h":
            hours = [12] if h == 12 else [h, h + 12] if h >= 7 else [h + 12]
        else:
            hours = [h % 24]
        return [_minutes_to_time(x * 60 + self.minute) for x in hours]


def _minutes_to_time(minutes: int) -> dt.time:
    minutes %= 24 * 60
    return dt.time(minutes // 60, minutes % 60)


def _with_period(hour: int, period: str) -> int:
    if hour > 12:
        return hour
    if period == "morning":
        return 0 if hour == 12 else hour
    if period == "noon":
        return hour if hour in (11, 12) else hour + 12
    if period == "night":
        return 0 if hour == 12 else hour if hour < 6 else hour + 12
    return hour if hour == 12 and period == "afternoon" else (hour + 12) % 24


def _swahili_hour(hour: int, period: str | None) -> int:
    """Swahili hours count from 06:00: 'saa 3 asubuhi' is 09:00, 'saa 1 jioni' 19:00."""
    h12 = (hour + 6) % 12
    if period == "morning":
        return h12 or 12
    if period in ("afternoon", "noon"):  # "mchana" is the daytime: saa 4 is 10:00, saa 8 14:00
        return h12 if h12 >= 10 else h12 + 12
    if period == "evening":
        return h12 + 12
    if period == "night":
        return h12 + 12 if h12 >= 6 else h12
    return h12 + 12 if h12 < 7 else h12  # no period: the working day, 07:00 to 18:00


def _period_of(words: str | None) -> str | None:
    return _PERIOD_KIND.get(" ".join(words.split())) if words else None


def _clock(match: re.Match[str], mark: str | None) -> _Clock | None:
    """The clock read by _CLOCK; None if no such time exists ("25:00", "9:75")."""
    hour = int(match["h"])
    minute_text = match["m"] or match["hm"] or match["um"] or match["plus"] or match["spoken"]
    minute = int(minute_text or 0)
    if match["half"]:
        minute = 30
    elif match["quarter"]:
        minute = 15
    elif match["toq"]:
        minute = -15
    if hour > 24 or minute > 59 or (hour == 24 and minute > 0):
        return None
    period = _period_of(match["period"])
    if mark in _SWAHILI_MARKERS and hour <= 12:
        return _Clock(hour, minute, "swahili", period)
    as_written = (
        hour == 0
        or hour > 12
        or match["h"].startswith("0")
        or match["hsep"] is not None
        or (match["unit"] or "").startswith("heure")
    )
    return _Clock(hour, minute, "24h" if as_written and period is None else "12h", period)


def _has_hint(match: re.Match[str]) -> bool:
    """Minutes, 'h', a unit or a period: enough to read a number as a time without 'at'."""
    return any(
        match[name] for name in ("sep", "hsep", "unit", "half", "quarter", "toq", "plus", "period")
    )


# ---- the text she wrote, folded, remembering where each letter came from ---------------
class _Reading:
    """Her text folded, with number words as digits. Parts read as a date or a time are
    blanked out as they are taken; what is left, in her own spelling, is the note."""

    def __init__(self, original: str, languages: tuple[str, ...]) -> None:
        self.original = original
        chars: list[str] = []
        spans: list[tuple[int, int]] = []  # for each folded character, where it came from
        for index, ch in enumerate(original):
            folded = numbers.normalise(ch)
            if not folded:  # a mark (an accent, a shadda) goes with its letter
                if spans:
                    spans[-1] = (spans[-1][0], index + 1)
                continue
            chars += folded
            spans += [(index, index + 1)] * len(folded)
        self.chars, self.spans = chars, spans
        for lang in languages:
            self._spell_out(lang)
        for found in reversed(list(_AR_ORDINAL.finditer("".join(self.chars)))):
            self._replace(found.start(), found.end(), str(_AR_ORDINAL_HOURS[found[0]]))
        self.taken = [False] * len(self.chars)

    def _replace(self, start: int, end: int, digits: str) -> None:
        span = (self.spans[start][0], self.spans[end - 1][1])
        self.chars[start:end] = list(digits)
        self.spans[start:end] = [span] * len(digits)

    def _spell_out(self, lang: str) -> None:
        for number in reversed(numbers.spelled_numbers("".join(self.chars), lang)):
            self._replace(number.start, number.end, str(number.value))

    @property
    def rest(self) -> str:
        """The folded text not taken yet (taken parts are spaces: positions stay the same)."""
        return "".join(
            " " if taken else ch for ch, taken in zip(self.chars, self.taken, strict=True)
        )

    def take(self, start: int, end: int) -> None:
        for index in range(start, end):
            self.taken[index] = True

    def note(self) -> str:
        """What is left in her own words, without the little words around it."""
        gone: set[int] = set()
        for (start, end), taken in zip(self.spans, self.taken, strict=True):
            if taken:
                gone.update(range(start, end))
        left = "".join(" " if i in gone else ch for i, ch in enumerate(self.original))
        words = left.split()
        while words and _bare(words[0]) in _NOTE_LEADING:
            words.pop(0)
        if words and _bare(words[0]).startswith(("d'", "qu'")):
            words[0] = words[0].split("'", 1)[1] if "'" in words[0] else words[0].split("’", 1)[1]
        while words and _bare(words[-1]) in _NOTE_TRAILING:
            words.pop()
        return " ".join(words).strip(" ,.;:!-")[:200]


def _bare(word: str) -> str:
    return numbers.normalise(word).strip(",.;:!?¿¡-")


# Little words left at the edges of the note once the date and the time are taken out.
def _folded_words(spec: str) -> frozenset[str]:
    return frozenset(numbers.normalise(word) for word in spec.split())


_NOTE_TRAILING = _folded_words(
    "el la los las lo the on at de del a al sa na ng ya في يوم le les du em no"
)
_NOTE_LEADING = _NOTE_TRAILING | _folded_words(
    "que para y en por favor porfa to that about of and for please pls plz o os as e pra d pour "
    "et l upang ako mo po ko naman nga kay kwamba kuhusu wa ان أن بان على عن ل و انه tafadhali"
)


# ---- days ------------------------------------------------------------------------------
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# What dateparser's language data does not have (its "tl" data lacks even "bukas", which its
# "fil" data has; both are read for Tagalog). Relative days: {days from today: phrases}.
_MORE_DAYS: dict[str, dict[int, str]] = {
    "es": {1: "mñn|mnn|mñna", 2: "pasado manana|pasado mañana|pasadomanana"},
    "en": {
        1: "tmrw|tmr|tmrrw|tomorow|tommorow|tommorrow|tomorro|tomoro|2morrow|2moro|2mrw",
        2: "day after tomorrow|the day after tomorrow",
    },
    "pt": {0: "hj", 1: "amanha|amanhã|amnh", 2: "depois de amanha"},
    "fr": {0: "auj|aujourdhui|aujourd hui", 2: "apres demain|apres-demain"},
    "tl": {0: "ngayon|ngayong araw|mamaya", 1: "bukas|bkas|bukas ng", 2: "sa makalawa|makalawa"},
    "sw": {2: "kesho kutwa|keshokutwa"},
    "ar": {1: "بكرة|بكره|بكرا|باكر", 2: "بعد غد|بعد الغد|بعد بكرة|بعد بكره|بعد بكرا"},
}
_NEXT_WEEK = {
    "es": "la semana que viene|la proxima semana|la semana proxima|proxima semana",
    "en": "next week",
    "pt": "semana que vem|a semana que vem|na semana que vem|proxima semana|na proxima semana",
    "fr": "la semaine prochaine|semaine prochaine",
    "tl": "sa susunod na linggo|susunod na linggo|sa isang linggo",
    "sw": "wiki ijayo|wiki inayokuja",
    "ar": "الاسبوع القادم|الاسبوع الجاي|الأسبوع القادم|الاسبوع الجاي ده",
}
_TONIGHT = {
    "es": "esta noche|hoy en la noche|hoy por la noche|esta tarde",
    "en": "tonight|tonite|this evening",
    "pt": "hoje a noite|hoje de noite|esta noite|hoje a tarde",
    "fr": "ce soir",
    "tl": "mamayang gabi|ngayong gabi|mamaya ng gabi|mamayang hapon",
    "sw": "leo usiku|usiku wa leo|leo jioni",
    "ar": "الليلة|الليله|اليوم بالليل|الليلة دي",
}
_MORE_WEEKDAYS = {
    "en": "tues|wensday|wendsday|thur|thurs",  # not "sun", "sat", "wed": words too
    "pt": "segunda feira|terca feira|quarta feira|quinta feira|sexta feira",
    "tl": "lunes|martes|miyerkoles|merkoles|huwebes|huebes|biyernes|byernes|sabado|sa linggo",
    "ar": "الاتنين|الاثنين|التلات|التلاتاء|الثلاثاء|الاربع|الاربعاء|الخميس|الجمعه|السبت|الاحد",
}
_MORE_WEEKDAY_INDEX = {
    "en": [1, 2, 2, 3, 3],
    "pt": [0, 1, 2, 3, 4],
    "tl": [0, 1, 2, 2, 3, 3, 4, 4, 5, 6],
    "ar": [0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6],
}
_MORE_MONTHS = {
    "tl": "enero ene pebrero febrero marso abril mayo hunyo junio hulyo julio agosto "
    "setyembre septiyembre oktubre nobyembre disyembre",
    "ar": "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|"
    "كانون الأول",
}
_TL_MONTH_INDEX = [1, 1, 2, 2, 3, 4, 5, 6, 6, 7, 7, 8, 9, 9, 10, 11, 12]
_BEFORE_WEEKDAY = _alt(
    "el|este|el proximo|proximo|el otro|this|next|this coming|coming|on|on next|na|no|nesta|"
    "neste|na proxima|no proximo|proxima|ce|le|sa|ngayong|sa darating na|sa susunod na|"
    "siku ya|يوم|هذا|هاد"
)
_NEXT_WEEKDAY = _folded_words("proximo proxima next prochain ijayo القادم الجاي الجايه القادمه") | {
    "que viene",
    "que vem",
    "sa susunod na",
    "sa darating na",
    "on next",
}
_AFTER_WEEKDAY = _alt(
    "que viene|proximo|que vem|prochain|ijayo|hii|القادم|الجاي|الجايه|القادمه|هذا|ng umaga"
)
_ORDINAL = r"(?:st|nd|rd|th|er|ro|o|º|ª)?"
_DAY_MARK = _alt(
    "el dia|el|no dia|dia|the|on the|le|sa ika|sa ika-|ika|ika-|tarehe|يوم|بتاريخ|تاريخ"
)
_DAYS_UNIT = _alt("dia|dias|day|days|jour|jours|araw|siku|يوم|ايام")
_IN_DAYS = re.compile(
    rf"(?<!\w)(?:{_IN})\s+(?:(?P<n>[0-9]{{1,2}})\s*(?:{_DAYS_UNIT})"
    rf"|(?:{_DAYS_UNIT})\s+(?P<n_after>[0-9]{{1,2}})|(?P<two>يومين))(?!\w)"
)
_DAY_OF_MONTH = re.compile(
    rf"(?<!\w)(?:{_DAY_MARK})\s*([0-9]{{1,2}}){_ORDINAL}(?![0-9:.,]|\w)"
    r"|(?<![\w:.,/])([0-9]{1,2})(?:st|nd|rd|th)(?!\w)"
)
_NUMERIC_DATE = re.compile(
    r"(?<![0-9/])([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}|[0-9]{2}))?(?![0-9/])"
    r"|(?<![0-9-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9-])"
)


@dataclass(frozen=True)
class _DayWords:
    relative: dict[str, int]
    tonight: frozenset[str]
    weekdays: dict[str, int]
    months: dict[str, int]
    relative_re: re.Pattern[str]
    weekday_re: re.Pattern[str]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]

    @staticmethod
    def lookup(table: dict[str, int], phrase: str) -> int:
        return table[" ".join(phrase.split())]


def _dateparser_codes(lang: str) -> tuple[str, ...]:
    return ("tl", "fil") if lang == "tl" else (lang,)


def _dateparser_info(lang: str) -> list[dict[str, object]]:
    from dateparser.languages.loader import default_loader  # slow to load: on first use

    return [dict(default_loader.get_locale(code).info) for code in _dateparser_codes(lang)]


def _names(info: dict[str, object], keys: tuple[str, ...], minimum: int) -> dict[str, int]:
    """dateparser's names for weekdays or months, folded; short ones ("mar", "sa") left out
    unless `minimum` allows them (months are read only next to a day number)."""
    found = {}
    for index, key in enumerate(keys):
        for name in info.get(key, []) or []:  # type: ignore[attr-defined]
            folded = numbers.normalise(str(name))
            if len(folded) >= minimum and folded != "linggo":  # Tagalog "linggo" is also week
                found[folded] = index
    return found


@functools.cache
def _day_words(languages: tuple[str, ...]) -> _DayWords:
    relative: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    months: dict[str, int] = {}
    tonight: set[str] = set()
    for lang in languages:
        for info in _dateparser_info(lang):
            kinds = info.get("relative-type", {}) or {}
            for key, offset in (("0 day ago", 0), ("in 1 day", 1), ("in 2 day", 2)):
                for phrase in kinds.get(key, []):  # type: ignore[attr-defined]
                    relative[numbers.normalise(phrase)] = offset
            weekdays |= _names(info, _WEEKDAY_KEYS, 4)
            months |= {name: i + 1 for name, i in _names(info, _MONTH_KEYS, 3).items()}
        for offset, phrases in _MORE_DAYS.get(lang, {}).items():
            relative |= {numbers.normalise(p): offset for p in phrases.split("|")}
        relative |= {numbers.normalise(p): 7 for p in _NEXT_WEEK[lang].split("|")}
        for phrase in _TONIGHT[lang].split("|"):
            relative[numbers.normalise(phrase)] = 0
            tonight.add(numbers.normalise(phrase))
        extra = _MORE_WEEKDAYS[lang].split("|") if lang in _MORE_WEEKDAYS else []
        weekdays |= {
            numbers.normalise(name): day
            for name, day in zip(extra, _MORE_WEEKDAY_INDEX.get(lang, []), strict=True)
        }
        if lang == "tl":
            names = _MORE_MONTHS["tl"].split()
            months |= dict(zip(names, _TL_MONTH_INDEX, strict=True))
        if lang == "ar":
            names = _MORE_MONTHS["ar"].split("|")
            months |= {numbers.normalise(n): i + 1 for i, n in enumerate(names)}
    month_re = _alt(*months)
    return _DayWords(
        relative=relative,
        tonight=frozenset(tonight),
        weekdays=weekdays,
        months=months,
        relative_re=re.compile(rf"(?<!\w)(?:{_alt(*relative)})(?!\w)"),
        weekday_re=re.compile(
            rf"(?<!\w)(?P<before>(?:(?:{_BEFORE_WEEKDAY})\s+)*)(?P<day>{_alt(*weekdays)})"
            rf"(?:\s+(?P<after>{_AFTER_WEEKDAY}))?(?!\w)"
        ),
        day_month=re.compile(
            rf"(?<![\w:.,])(?:(?:{_DAY_MARK})\s*)?([0-9]{{1,2}}){_ORDINAL}\s*"
            rf"(?:de\s+|of\s+|ng\s+|-)?({month_re})(?!\w)(?:\s+(?:de\s+|del\s+)?([0-9]{{4}}))?"
        ),
        month_day=re.compile(
            rf"(?<!\w)({month_re})\s+([0-9]{{1,2}})(?:st|nd|rd|th)?(?![0-9:])"
            r"(?:,?\s+([0-9]{4}))?"
        ),
    )


def _dates_of(year: int | None, month: int, day: int, today: dt.date) -> list[dt.date]:
    """A date without a year is the next one to come (this year's, or next year's)."""
    years = [year] if year else [today.year, today.year + 1]
    found = []
    for y in years:
        try:
            candidate = dt.date(y, month, day)
        except ValueError:
            continue
        if year or candidate >= today:
            found.append(candidate)
    return found


def _month_days(day: int, today: dt.date) -> list[dt.date]:
    """'el 15': the next dates with that day, this month first."""
    if not 1 <= day <= 31:
        return []
    found, year, month = [], today.year, today.month
    for _ in range(4):
        with contextlib.suppress(ValueError):
            candidate = dt.date(year, month, day)
            if candidate >= today:
                found.append(candidate)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return found


class _Day:
    """The days she may mean, the likeliest first, and whether she said it is tonight."""

    def __init__(self, days: list[dt.date], tonight: bool = False) -> None:
        self.days = days
        self.tonight = tonight


def _says_next(before: str | None, after: str | None) -> bool:
    said = " ".join(f"{before or ''} {after or ''}".split())
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", said) for word in _NEXT_WEEKDAY)


def _relative_day(reading: _Reading, words: _DayWords, today: dt.date, en: bool) -> _Day | None:
    rest = reading.rest
    for relative in words.relative_re.finditer(rest):
        phrase = " ".join(relative[0].split())
        if phrase == "manana" and re.search(r"(?<!\w)la\s+$", rest[: relative.start()]):
            continue  # "por la mañana" is the morning, not tomorrow
        reading.take(relative.start(), relative.end())
        offset = words.lookup(words.relative, phrase)
        return _Day([today + dt.timedelta(days=offset)], phrase in words.tonight)
    return None


def _weekday(reading: _Reading, words: _DayWords, today: dt.date, en: bool) -> _Day | None:
    found = words.weekday_re.search(reading.rest)
    if found is None:
        return None
    reading.take(found.start(), found.end())
    ahead = (words.lookup(words.weekdays, found["day"]) - today.weekday()) % 7
    if ahead == 0 and _says_next(found["before"], found["after"]):
        return _Day([today + dt.timedelta(days=7)])  # "next Tuesday" said on a Tuesday
    day = today + dt.timedelta(days=ahead)
    # Today's weekday is today if the time is still to come, else a week on.
    return _Day([day, day + dt.timedelta(days=7)] if ahead == 0 else [day])


def _in_days(reading: _Reading, words: _DayWords, today: dt.date, en: bool) -> _Day | None:
    """'en 3 días', 'baada ya siku 3', 'بعد يومين'."""
    found = _IN_DAYS.search(reading.rest)
    if found is None:
        return None
    reading.take(found.start(), found.end())
    count = 2 if found["two"] else int(found["n"] or found["n_after"])
    return _Day([today + dt.timedelta(days=count)])


def _named_month(reading: _Reading, words: _DayWords, today: dt.date, en: bool) -> _Day | None:
    """'15 de marzo', 'le 15 mars', 'March 15th', 'tarehe 15 Machi', '15 مارس'."""
    if found := words.day_month.search(reading.rest):
        day, month, year = found[1], found[2], found[3]
    elif found := words.month_day.search(reading.rest):
        month, day, year = found[1], found[2], found[3]
    else:
        return None
    reading.take(found.start(), found.end())
    number = words.lookup(words.months, month)
    return _Day(_dates_of(int(year) if year else None, number, int(day), today))


def _numeric_date(reading: _Reading, words: _DayWords, today: dt.date, en: bool) -> _Day | None:
    """'20/3', '3/15' (month first in English when it can be), '2026-04-01'."""
    found = _NUMERIC_DATE.search(reading.rest)
    if found is None:
        return None
    reading.take(found.start(), found.end())
    if found[4]:
        return _Day(_dates_of(int(found[4]), int(found[5]), int(found[6]), today))
    first, second = int(found[1]), int(found[2])
    month_first = second > 12 or (en and first <= 12)
    day, month = (second, first) if month_first else (first, second)
    year = int(found[3]) + (2000 if len(found[3]) == 2 else 0) if found[3] else None
    return _Day(_dates_of(year, month, day, today))


def _day_of_month(reading: _Reading, words: _DayWords, today: dt.date, en: bool) -> _Day | None:
    """'el 15', 'the 15th', 'dia 15', 'ika-15', 'tarehe 15', 'يوم 15'."""
    found = _DAY_OF_MONTH.search(reading.rest)
    if found is None:
        return None
    reading.take(found.start(), found.end())
    return _Day(_month_days(int(found[1] or found[2]), today))


DayReader = Callable[[_Reading, _DayWords, dt.date, bool], _Day | None]
_DAY_READERS: tuple[DayReader, ...] = (
    _relative_day,
    _weekday,
    _in_days,
    _named_month,
    _numeric_date,
    _day_of_month,
)


def _find_day(reading: _Reading, languages: tuple[str, ...], today: dt.date) -> _Day | None:
    """The day words in the text, by our readers first, then by dateparser."""
    words = _day_words(languages)
    for read in _DAY_READERS:
        if (day := read(reading, words, today, languages[0] == "en")) is not None:
            return day
    return _dateparser_day(reading, languages, today)


def _dateparser_day(reading: _Reading, languages: tuple[str, ...], today: dt.date) -> _Day | None:
    """Any other date phrase ("en 3 días", "next week", "wiki ijayo"), read by dateparser."""
    rest = reading.rest
    if len(re.sub(r"\W", "", rest)) < 3:
        return None
    from dateparser.search import search_dates  # slow to load: on first use

    codes = [code for lang in languages for code in _dateparser_codes(lang)]
    found = search_dates(
        " ".join(rest.split())[:160],  # its language detection grows with the text
        languages=list(dict.fromkeys(codes)),
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
            "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["day"],  # not "may" (a month) in "ask if I may leave"
        },
    )
    if not found:
        return None
    phrase, moment = found[0]
    pattern = r"\s+".join(re.escape(part) for part in phrase.split())
    if located := re.search(pattern, rest):
        reading.take(located.start(), located.end())
    return _Day([moment.date()]) if moment.date() >= today else None


# ---- reading a time ----------------------------------------------------------------------
def _find_offset(reading: _Reading) -> dt.timedelta | None:
    found = _OFFSET.search(reading.rest)
    if found is None:
        return None
    if found["half"]:
        minutes = 30
    elif found["hour"]:
        minutes = 60
    elif found["two"]:
        minutes = 120
    elif found["two_min"]:
        minutes = 2
    else:
        count = int(found["n"] or found["n_after"])
        unit = " ".join((found["unit"] or found["unit_first"]).split())
        minutes = count * 60 if re.fullmatch(_HOUR_UNIT, unit) else count
    if not 0 < minutes <= 7 * 24 * 60:
        return None
    reading.take(found.start(), found.end())
    return dt.timedelta(minutes=minutes)


_AFTER_LOOSE_TIME = _folded_words(
    "na para upang at de da do pra pro e et no na pour d'appeler hoje amanha demain"
)


def _loose_ok(rest: str, clock: re.Match[str]) -> bool:
    """'ng 9', 'as 9' and 'a 9' are a time with minutes or a period, or when nothing, a
    linking word or a verb comes next: "bukas ng 9 na tawagan", "as 9 ligar", "à 9 appeler",
    but not "bumili ng 2 kilo" or "as 3 amigas"."""
    if _has_hint(clock):
        return True
    after = rest[clock.end() :].split()
    if not after:
        return True
    word = after[0].strip(",.;:")
    # Infinitives end so in Spanish, Portuguese and French: "ligar", "appeler", "prendre".
    return (
        word in _AFTER_LOOSE_TIME
        or word.startswith(("d'", "l'"))
        or word.endswith(("ar", "er", "ir", "re"))
    )


Found = tuple[int, int, _Clock]  # where a time was read, and the time


def _marked_clock(rest: str) -> Found | None:
    """'a las 9', 'at 9:30', 'alas nuwebe', 'saa tatu asubuhi', 'الساعة ٩'."""
    for marked in _MARKED.finditer(rest):
        match = _CLOCK.match(rest, marked.end())
        if match is None or (marked["loose"] and not _loose_ok(rest, match)):
            continue
        mark = " ".join(marked["mark"].split()) if marked["mark"] else None
        if (clock := _clock(match, mark)) is not None:
            return marked.start(), match.end(), clock
    return None


def _bare_clock(rest: str) -> Found | None:
    """'18:30', '9h', '8pm', '9 de la mañana': a number that says it is a time."""
    for bare in _BARE.finditer(rest):
        match = _CLOCK.match(rest, bare.start())
        if match is not None and _has_hint(match) and (clock := _clock(match, None)):
            return bare.start(), match.end(), clock
    return None


def _named_clock(rest: str) -> Found | None:
    """'a mediodía', 'at noon', 'à midi', 'midnight'."""
    named = _NAMED.search(rest)
    if named is None:
        return None
    return named.start(), named.end(), _Clock(0 if named["midnight"] else 12, 0, "24h")


def _past_to_clock(rest: str) -> Found | None:
    """'half past 9', 'quarter to 9'."""
    spoken = _PAST_TO.search(rest)
    if spoken is None or int(spoken["h"]) > 12:
        return None
    minute = {"half": 30, "quarter": 15}[spoken["part"]]
    minute = -minute if spoken["dir"] == "to" else minute
    clock = _Clock(int(spoken["h"]), minute, "12h", _period_of(spoken["period"]))
    return spoken.start(), spoken.end(), clock


_CLOCK_READERS: tuple[Callable[[str], Found | None], ...] = (
    _marked_clock,
    _bare_clock,
    _named_clock,
    _past_to_clock,
)


def _find_clock(reading: _Reading) -> _Clock | None:
    """The first time of day in the text: "a las 9", "9:30", "8pm", "saa tatu asubuhi"."""
    rest = reading.rest
    found = [time for read in _CLOCK_READERS if (time := read(rest)) is not None]
    if not found:
        return None
    start, end, clock = min(found, key=lambda item: (item[0], -item[1]))
    reading.take(start, end)
    # "mañana por la tarde a las 5", "kesho asubuhi saa 3": the period stands apart.
    if (
        clock.period is None
        and clock.system != "24h"
        and (apart := _PERIOD_APART.search(reading.rest))
    ):
        reading.take(apart.start(), apart.end())
        clock = _Clock(clock.hour, clock.minute, clock.system, _period_of(apart[0]))
    return clock


def _language(locale: str) -> str:
    return locale if locale in numbers.LANGUAGES else "en"


def _spelling_languages(lang: str) -> tuple[str, ...]:
    # Tagalog tells the time in Spanish numbers ("alas nueve"), spelt either way.
    return ("tl", "es") if lang == "tl" else (lang,)


@dataclass(frozen=True)
class OneOff:
    when: dt.datetime  # UTC
    note: str


def parse_one_off(text: str, now: dt.datetime, tz: ZoneInfo, locale: str) -> OneOff | None:
    """'recuérdame el viernes a las 18 llamar al sindicato' -> Friday 18:00 local, the note.

    None if the text is not a reminder request. Raises ValueError('too_long') for a text over
    MAX_REMINDER_CHARS, ValueError('no_time') when no time of day is given,
    ValueError('bad_date') for a date that does not exist and ValueError('past') for a time
    that has passed.
    """
    folded = numbers.normalise(text[: MAX_REMINDER_CHARS + 1])
    said_in = next((lang for lang, trigger in _TRIGGER_RES.items() if trigger.match(folded)), None)
    if said_in is None:
        return None
    if len(text) > MAX_REMINDER_CHARS:
        # Bounded work: dateparser over 4,000 characters costs seconds on the event loop.
        raise ValueError("too_long")
    languages = tuple(dict.fromkeys([said_in, _language(locale), "en"]))
    reading = _Reading(text, _spelling_languages(said_in))
    trigger = _TRIGGER_RES[said_in].match(reading.rest)
    if trigger is None:  # number words changed the text: read the trigger again
        return None
    reading.take(0, trigger.end())
    local_now = now.astimezone(tz)
    offset = _find_offset(reading)
    if offset is not None:
        return OneOff(now + offset, reading.note())
    clock = _find_clock(reading)
    if clock is None:
        raise ValueError("no_time")
    day = _find_day(reading, languages, local_now.date())
    if day is not None and not day.days:
        raise ValueError("bad_date")  # "31 de febrero", "el 45"
    if day is not None and day.tonight and clock.period is None and clock.system == "12h":
        clock = _Clock(clock.hour, clock.minute, clock.system, "evening")
    days = day.days if day is not None else [local_now.date(), local_now.date() + dt.timedelta(1)]
    return OneOff(_first_after(days, clock, tz, now), reading.note())


def _first_after(days: list[dt.date], clock: _Clock, tz: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """The first of the days and readings still to come: on today, the earliest reading
    ("a las 8" said at 15:00 is 20:00); on a later day, the likeliest."""
    today = now.astimezone(tz).date()
    for day in days:
        readings = clock.readings()
        if day == today:
            readings = sorted(readings)
        for at in readings:
            moment = _local(day, at, tz)
            if moment > now:
                return moment
    raise ValueError("past")


# ---- answers to one question -------------------------------------------------------------
_WHOLE_HHMM = re.compile(r"([0-9]{1,2})([0-9]{2})")


def parse_time_of_day(text: str, locale: str) -> dt.time | None:
    """A time typed as the answer to "at what time?": '20:00', '20', '2000', '8.30', '20h',
    '8pm', '8 de la noche', 'alas 8 ng gabi', 'saa 2 usiku', '٨ مساءً'. A bare hour is taken
    as written (8 is 08:00), like the 24-hour grid beside it."""
    if len(text) > 60:
        return None
    lang = _language(locale)
    reading = _Reading(text, _spelling_languages(lang))
    rest = " ".join(reading.rest.split()).strip(" .!")
    if whole := _WHOLE_HHMM.fullmatch(rest):
        hour, minute = int(whole[1]), int(whole[2])
        return dt.time(hour, minute) if hour < 24 and minute < 60 else None
    if named := _NAMED.fullmatch(rest):
        return dt.time(0 if named["midnight"] else 12)
    marked = re.match(
        rf"(?:(?P<mark>{_MARKERS})|{_LOOSE_MARKERS})(?:\s*-\s*|\s+|(?=[0-9]))(?=[0-9])", rest
    )
    start = marked.end() if marked else 0
    match = _CLOCK.match(rest, start)
    if match is None or match.end() != len(rest):
        return None
    mark = " ".join(marked["mark"].split()) if marked and marked["mark"] else None
    clock = _clock(match, mark)
    if clock is None:
        return None
    if clock.system == "12h" and clock.period is None:
        clock = _Clock(clock.hour, clock.minute, "24h")
    return clock.readings()[0]


_DAY_ANSWER = re.compile(
    rf"(?:(?:{_DAY_MARK}|day|jour|kila|siku)\s*)?([0-9]{{1,2}}){_ORDINAL}\.?"
    r"(?:\s+(?:de\s+cada\s+mes|of\s+the\s+month|of\s+every\s+month|du\s+mois|de\s+cada|"
    r"ng\s+buwan|kila\s+mwezi|من\s+كل\s+شهر|من\s+الشهر))?"
)


def parse_month_day(text: str, locale: str) -> int | None:
    """A day of the month typed as an answer: '31', 'el 15', 'the 1st', 'quince', 'ika-5',
    'tarehe 30', '٣١'."""
    if len(text) > 60:
        return None
    reading = _Reading(text, _spelling_languages(_language(locale)))
    rest = " ".join(reading.rest.split()).strip(" .!")
    found = _DAY_ANSWER.fullmatch(rest)
    if found is None or not 1 <= int(found[1]) <= 31:
        return None
    return int(found[1])
