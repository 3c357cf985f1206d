"""Reminders with a controllable clock: restarts, missed occurrences, DST, short months,
quiet hours, cancelling, and the whole flow through the bot in Spanish and English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot import callbacks, i18n
from bot.app import due_work
from bot.domain.reminders import (
    Schedule,
    next_occurrence,
    parse_month_day,
    parse_one_off,
    parse_time_of_day,
)
from bot.i18n import _
from tests.conftest import Harness

MADRID, SANTIAGO, MEXICO = (
    ZoneInfo("Europe/Madrid"),
    ZoneInfo("America/Santiago"),
    ZoneInfo("America/Mexico_City"),
)
UTC = dt.UTC


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def services(harness: Harness):
    assert harness.app.bot_data.services is not None
    return harness.app.bot_data.services


async def daily_reminder(harness: Harness, user_id: int, at: str = "2000") -> None:
    chat = harness.chat(user_id)
    await chat.say("⏰ " + tr("es", "Reminders"))
    await chat.press(callbacks.encode("rem", "new", "log_hours"))
    replies = await chat.press(callbacks.encode("rem", "at", "log_hours", at))
    assert replies[-1].text.startswith(tr("es", "✅ Reminder saved: {what}").split("{")[0])


def reminders_sent(harness: Harness, user_id: int) -> list[str]:
    return [
        s.text
        for s in harness.api.sent_to(user_id)
        if s.text.startswith(tr("es", "⏰ Time to write down today's hours."))
    ]


# ---- pure scheduling --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Madrid: clocks go forward on 29 March 2026; 20:00 local is 19:00 UTC, then 18:00.
        (
            MADRID,
            dt.datetime(2026, 3, 28, 19, 0, tzinfo=UTC),
            dt.datetime(2026, 3, 29, 18, 0, tzinfo=UTC),
        ),
        # Santiago: clocks go back on 5 April 2026; 20:00 local is 23:00 UTC, then 00:00.
        (
            SANTIAGO,
            dt.datetime(2026, 4, 4, 23, 0, tzinfo=UTC),
            dt.datetime(2026, 4, 6, 0, 0, tzinfo=UTC),
        ),
    ],
)
def test_daily_time_stays_local_across_dst(
    tz: ZoneInfo, before: dt.datetime, after: dt.datetime
) -> None:
    schedule = Schedule("daily", dt.time(20))
    first = next_occurrence(schedule, tz, before - dt.timedelta(minutes=1))
    assert first == before
    assert next_occurrence(schedule, tz, first) == after
    assert after.astimezone(tz).time() == dt.time(20)


def test_a_time_skipped_by_dst_fires_once_an_hour_late() -> None:
    schedule = Schedule("daily", dt.time(2, 30))  # does not exist in Madrid on 29 March 2026
    moment = next_occurrence(schedule, MADRID, dt.datetime(2026, 3, 28, 12, tzinfo=UTC))
    assert moment == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time
    following = next_occurrence(schedule, MADRID, moment)
    assert following == dt.datetime(2026, 3, 30, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),  # 31 -> last day of February
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        (dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap year
    ],
)
def test_monthly_day_31_moves_to_the_end_of_short_months(after: dt.date, expected: dt.date) -> None:
    schedule = Schedule("monthly", dt.time(9), month_day=31)
    start = dt.datetime.combine(after, dt.time(12), MEXICO)
    assert next_occurrence(schedule, MEXICO, start).astimezone(MEXICO).date() == expected


@pytest.mark.parametrize(
    ("text", "locale", "local", "note"),
    [
        ("remind me tomorrow at 9 to call the union", "en", "2026-03-11 09:00", "call the union"),
        ("recuérdame el viernes a las 18", "es", "2026-03-13 18:00", ""),
        (
            "recuérdame mañana a las 9 llamar al sindicato",
            "es",
            "2026-03-11 09:00",
            "llamar al sindicato",
        ),
        (
            "rappelle-moi demain à 9h appeler le syndicat",
            "fr",
            "2026-03-11 09:00",
            "appeler le syndicat",
        ),
        ("recuérdame a las 8pm tomar la pastilla", "es", "2026-03-10 20:00", "tomar la pastilla"),
    ],
)
def test_one_off_reminders_typed_naturally(text: str, locale: str, local: str, note: str) -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
    parsed = parse_one_off(text, now, MEXICO, locale)
    assert parsed is not None
    assert parsed.when.astimezone(MEXICO).strftime("%Y-%m-%d %H:%M") == local
    assert parsed.note == note


# Her own words, the way workers write them: no accents, abbreviations, small typos, digits
# of any script, numbers in words. Said on Tuesday 10 March 2026 at 09:00 in Mexico City.
HER_OWN_WORDS = [
    (
        "es",
        "recuerdame mañana a las 9 llamar al sindicato",
        "2026-03-11 09:00",
        "llamar al sindicato",
    ),
    (
        "es",
        "recuerdame manana a las 9 de la mañana ir al medico",
        "2026-03-11 09:00",
        "ir al medico",
    ),
    (
        "es",
        "porfa recuerdame el viernes a las 6 de la tarde pagar la renta",
        "2026-03-13 18:00",
        "pagar la renta",
    ),
    (
        "es",
        "recordame hoy a las 8 de la noche llamar a mi hija",
        "2026-03-10 20:00",
        "llamar a mi hija",
    ),
    (
        "es",
        "avisame el sabado a las 10 y media reunion del sindicato",
        "2026-03-14 10:30",
        "reunion del sindicato",
    ),
    ("es", "recuerdame en 2 horas sacar la ropa", "2026-03-10 11:00", "sacar la ropa"),
    (
        "es",
        "recuérdame el lunes a las nueve ir al consulado",
        "2026-03-16 09:00",
        "ir al consulado",
    ),
    ("es", "recuerdame mñn a las 7 tomar la pastilla", "2026-03-11 07:00", "tomar la pastilla"),
    (
        "es",
        "recuerdame el 20/3 a las 11 cita en migracion",
        "2026-03-20 11:00",
        "cita en migracion",
    ),
    (
        "es",
        "me recuerdas pasado manana a las 4 llamar al abogado",
        "2026-03-12 16:00",
        "llamar al abogado",
    ),
    (
        "es",
        "recuerdame el miercoles a las 2 y cuarto recoger los papeles",
        "2026-03-11 14:15",
        "recoger los papeles",
    ),
    ("es", "recuerdame a las 3 llamar a mi mama", "2026-03-10 15:00", "llamar a mi mama"),
    ("es", "recuérdame dentro de 3 días a las 10 ir al banco", "2026-03-13 10:00", "ir al banco"),
    (
        "es",
        "recuerdame el martes que viene a las 11 renovar la visa",
        "2026-03-17 11:00",
        "renovar la visa",
    ),
    ("en", "remind me tomorrow at 9 to call the union", "2026-03-11 09:00", "call the union"),
    ("en", "remind me tmrw at 6pm to call mom", "2026-03-11 18:00", "call mom"),
    (
        "en",
        "pls remind me friday at 10am meeting at the union office",
        "2026-03-13 10:00",
        "meeting at the union office",
    ),
    ("en", "remind me tonight at 8 to send money home", "2026-03-10 20:00", "send money home"),
    (
        "en",
        "remind me in 30 mins to take the clothes out",
        "2026-03-10 09:30",
        "take the clothes out",
    ),
    (
        "en",
        "remind me on monday at 2:30 pm to go to the embassy",
        "2026-03-16 14:30",
        "go to the embassy",
    ),
    ("en", "remaind me tomorow at 7 am to take my pills", "2026-03-11 07:00", "take my pills"),
    ("en", "remind me next tuesday at 11 to renew my visa", "2026-03-17 11:00", "renew my visa"),
    ("en", "remind me at half past 9 to call the agency", "2026-03-10 09:30", "call the agency"),
    ("en", "remind me on the 15th at 9am to pay rent", "2026-03-15 09:00", "pay rent"),
    (
        "en",
        "remind me sunday at noon church with friends",
        "2026-03-15 12:00",
        "church with friends",
    ),
    ("en", "remind me 3/15 at 10 renew passport", "2026-03-15 10:00", "renew passport"),
    (
        "pt",
        "me lembra amanha as 9 de ligar pro sindicato",
        "2026-03-11 09:00",
        "ligar pro sindicato",
    ),
    ("pt", "lembre-me sexta as 18h de pagar o aluguel", "2026-03-13 18:00", "pagar o aluguel"),
    (
        "pt",
        "me lembre hoje a noite as 8 de ligar pra minha mae",
        "2026-03-10 20:00",
        "ligar pra minha mae",
    ),
    ("pt", "lembra-me amanhã às 7 da manhã tomar o remédio", "2026-03-11 07:00", "tomar o remédio"),
    ("pt", "me lembra daqui a 2 horas tirar a roupa", "2026-03-10 11:00", "tirar a roupa"),
    (
        "pt",
        "me lembre no sabado as 10 e meia reuniao do sindicato",
        "2026-03-14 10:30",
        "reuniao do sindicato",
    ),
    (
        "pt",
        "me lembra segunda feira as 14h consulta no consulado",
        "2026-03-16 14:00",
        "consulta no consulado",
    ),
    (
        "pt",
        "me lembra depois de amanha as 9 ligar pro advogado",
        "2026-03-12 09:00",
        "ligar pro advogado",
    ),
    ("pt", "lembre me dia 15 as 10h pagar a conta", "2026-03-15 10:00", "pagar a conta"),
    (
        "pt",
        "me lembra quarta as 3 da tarde buscar os documentos",
        "2026-03-11 15:00",
        "buscar os documentos",
    ),
    ("pt", "me lembra amanha as nove ligar pra agencia", "2026-03-11 09:00", "ligar pra agencia"),
    (
        "pt",
        "me lembre amanhã às 9 de ligar para o sindicato",
        "2026-03-11 09:00",
        "ligar para o sindicato",
    ),
    (
        "fr",
        "rappelle-moi demain à 9h d'appeler le syndicat",
        "2026-03-11 09:00",
        "appeler le syndicat",
    ),
    (
        "fr",
        "rappelle moi demain a 9h appeler le syndicat",
        "2026-03-11 09:00",
        "appeler le syndicat",
    ),
    ("fr", "rapelle moi vendredi a 18h payer le loyer", "2026-03-13 18:00", "payer le loyer"),
    ("fr", "rappelle-moi ce soir a 20h appeler maman", "2026-03-10 20:00", "appeler maman"),
    ("fr", "rappelle moi dans 2 heures sortir le linge", "2026-03-10 11:00", "sortir le linge"),
    (
        "fr",
        "stp rappelle moi lundi a 14h30 rdv a l'ambassade",
        "2026-03-16 14:30",
        "rdv a l'ambassade",
    ),
    (
        "fr",
        "rappelle moi apres demain a 10h rendez vous avocat",
        "2026-03-12 10:00",
        "rendez vous avocat",
    ),
    (
        "fr",
        "rappelle-moi samedi à 10 heures et demie reunion du syndicat",
        "2026-03-14 10:30",
        "reunion du syndicat",
    ),
    ("fr", "rappelle moi le 15 mars a 9h payer la facture", "2026-03-15 09:00", "payer la facture"),
    (
        "fr",
        "rappelez-moi mercredi a 8h prendre mes medicaments",
        "2026-03-11 08:00",
        "prendre mes medicaments",
    ),
    ("fr", "rappelle moi demain a midi manger avec Fatou", "2026-03-11 12:00", "manger avec Fatou"),
    (
        "fr",
        "rappelle-moi la semaine prochaine a 9h appeler l'agence",
        "2026-03-17 09:00",
        "appeler l'agence",
    ),
    (
        "tl",
        "paalalahanan mo ako bukas ng 9 na tawagan ang unyon",
        "2026-03-11 09:00",
        "tawagan ang unyon",
    ),
    (
        "tl",
        "paalalahanan mo ako bukas ng alas 9 ng umaga na tawagan ang unyon",
        "2026-03-11 09:00",
        "tawagan ang unyon",
    ),
    (
        "tl",
        "pa remind ako bukas alas 7 ng gabi tawagan si nanay",
        "2026-03-11 19:00",
        "tawagan si nanay",
    ),
    (
        "tl",
        "paki remind ako sa biyernes alas 10 magbayad ng upa",
        "2026-03-13 10:00",
        "magbayad ng upa",
    ),
    (
        "tl",
        "paalala bukas alas-2 ng hapon meeting sa unyon",
        "2026-03-11 14:00",
        "meeting sa unyon",
    ),
    ("tl", "remind mo ako mamayang alas 5 kunin ang sahod", "2026-03-10 17:00", "kunin ang sahod"),
    (
        "tl",
        "paalalahanan mo ako sa lunes alas otso pumunta sa embahada",
        "2026-03-16 08:00",
        "pumunta sa embahada",
    ),
    (
        "tl",
        "pa remind naman bukas ng 6 ng umaga inom ng gamot",
        "2026-03-11 06:00",
        "inom ng gamot",
    ),
    (
        "tl",
        "paalalahanan mo ako sa makalawa alas 3 tawagan ang agency",
        "2026-03-12 15:00",
        "tawagan ang agency",
    ),
    (
        "tl",
        "ipaalala mo sa akin sa sabado alas diyes y medya magsimba",
        "2026-03-14 10:30",
        "magsimba",
    ),
    (
        "tl",
        "paremind ako mamayang gabi alas 9 mag padala ng pera",
        "2026-03-10 21:00",
        "mag padala ng pera",
    ),
    (
        "tl",
        "paalalahanan mo ako sa linggo alas 11 magsimba kasama si ate",
        "2026-03-15 11:00",
        "magsimba kasama si ate",
    ),
    (
        "tl",
        "pakiremind ako sa loob ng 2 oras ilabas ang labada",
        "2026-03-10 11:00",
        "ilabas ang labada",
    ),
    (
        "tl",
        "paalalahanan mo ako bukas alas 9 bumili ng 2 kilo ng bigas",
        "2026-03-11 09:00",
        "bumili ng 2 kilo ng bigas",
    ),
    (
        "sw",
        "nikumbushe kesho saa tatu asubuhi kupiga simu chama",
        "2026-03-11 09:00",
        "kupiga simu chama",
    ),
    (
        "sw",
        "nikumbushe kesho saa 3 asubuhi kupiga simu kwa chama cha wafanyakazi",
        "2026-03-11 09:00",
        "kupiga simu kwa chama cha wafanyakazi",
    ),
    (
        "sw",
        "tafadhali nikumbushe ijumaa saa nne asubuhi kulipa kodi",
        "2026-03-13 10:00",
        "kulipa kodi",
    ),
    ("sw", "nikumbushe leo saa 2 usiku kumpigia mama", "2026-03-10 20:00", "kumpigia mama"),
    (
        "sw",
        "nikumbushe jumamosi saa 4 mchana mkutano wa chama",
        "2026-03-14 10:00",
        "mkutano wa chama",
    ),
    ("sw", "nikumbushe baada ya saa 2 kutoa nguo", "2026-03-10 11:00", "kutoa nguo"),
    (
        "sw",
        "nikumbushe kesho kutwa saa 3 asubuhi kwenda ubalozini",
        "2026-03-12 09:00",
        "kwenda ubalozini",
    ),
    (
        "sw",
        "unikumbushe jumatatu saa moja jioni kutuma pesa nyumbani",
        "2026-03-16 19:00",
        "kutuma pesa nyumbani",
    ),
    (
        "sw",
        "nikumbushe kesho saa 9 alasiri kuchukua mshahara",
        "2026-03-11 15:00",
        "kuchukua mshahara",
    ),
    (
        "sw",
        "nikumbushe tarehe 15 saa tatu asubuhi kulipa kodi ya nyumba",
        "2026-03-15 09:00",
        "kulipa kodi ya nyumba",
    ),
    ("sw", "nikumbushe jumapili saa sita mchana kanisani", "2026-03-15 12:00", "kanisani"),
    (
        "sw",
        "nikumbusha kesho saa tatu na nusu asubuhi kumpigia wakala",
        "2026-03-11 09:30",
        "kumpigia wakala",
    ),
    (
        "sw",
        "nikumbushe baada ya siku 3 saa tatu asubuhi kwenda hospitali",
        "2026-03-13 09:00",
        "kwenda hospitali",
    ),
    ("ar", "ذكرني غدا الساعة ٩ بالاتصال بالنقابة", "2026-03-11 09:00", "بالاتصال بالنقابة"),
    ("ar", "ذكرني غدا الساعة ٩ صباحا بالاتصال بالنقابة", "2026-03-11 09:00", "بالاتصال بالنقابة"),
    ("ar", "ذكرني بكرة الساعه ٣ العصر اروح البنك", "2026-03-11 15:00", "اروح البنك"),
    ("ar", "فكرني بكره الساعة ٨ بالليل اتصل بامي", "2026-03-11 20:00", "اتصل بامي"),
    ("ar", "ذكرني يوم الجمعة الساعة ١٠ صباحا ادفع الايجار", "2026-03-13 10:00", "ادفع الايجار"),
    ("ar", "ذكرني بعد ساعتين اخذ الدواء", "2026-03-10 11:00", "اخذ الدواء"),
    ("ar", "ذكرني الليلة الساعة ٩ ارسل فلوس لاهلي", "2026-03-10 21:00", "ارسل فلوس لاهلي"),
    ("ar", "ذكرني بعد بكرة الساعة ١١ موعد السفارة", "2026-03-12 11:00", "موعد السفارة"),
    (
        "ar",
        "من فضلك ذكرني الاحد الساعه التاسعه صباحا اروح الكنيسه",
        "2026-03-15 09:00",
        "اروح الكنيسه",
    ),
    ("ar", "ذكرني يوم الاتنين الساعة ٢ الظهر اجتماع النقابة", "2026-03-16 14:00", "اجتماع النقابة"),
    ("ar", "ذكرني بعد نص ساعة اطلع الغسيل", "2026-03-10 09:30", "اطلع الغسيل"),
    ("ar", "ذكرني غدا الساعة ٧ ونص صباحا موعد الطبيب", "2026-03-11 07:30", "موعد الطبيب"),
    ("ar", "ذكّرني غداً الساعة 6 مساءً بالاتصال بالمكتب", "2026-03-11 18:00", "بالاتصال بالمكتب"),
    ("ar", "ذكرني بعد يومين الساعة ١٠ اروح السفارة", "2026-03-12 10:00", "اروح السفارة"),
]


@pytest.mark.parametrize(("locale", "text", "local", "note"), HER_OWN_WORDS)
def test_one_off_reminders_in_her_own_words(locale: str, text: str, local: str, note: str) -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    parsed = parse_one_off(text, now, MEXICO, locale)
    assert parsed is not None
    assert (parsed.when.astimezone(MEXICO).strftime("%Y-%m-%d %H:%M"), parsed.note) == (local, note)


def test_at_least_ten_phrases_in_each_language() -> None:
    counts = {
        lang: sum(1 for row in HER_OWN_WORDS if row[0] == lang) for lang in i18n.AVAILABLE_LOCALES
    }
    assert min(counts.values()) >= 10, counts


# The example on the reminders screen ("For a one-off reminder, write for example: …"), one
# per language for the translators: each must be understood as tomorrow at 09:00.
SCREEN_EXAMPLES = {
    "es": ("recuérdame mañana a las 9 llamar al sindicato", "llamar al sindicato"),
    "en": ("remind me tomorrow at 9 to call the union", "call the union"),
    "pt": ("me lembre amanhã às 9 de ligar para o sindicato", "ligar para o sindicato"),
    "fr": ("rappelle-moi demain à 9h d'appeler le syndicat", "appeler le syndicat"),
    "tl": ("paalalahanan mo ako bukas ng 9 na tawagan ang unyon", "tawagan ang unyon"),
    "sw": (
        "nikumbushe kesho saa 3 asubuhi kupiga simu kwa chama cha wafanyakazi",
        "kupiga simu kwa chama cha wafanyakazi",
    ),
    "ar": ("ذكرني غدا الساعة ٩ صباحا بالاتصال بالنقابة", "بالاتصال بالنقابة"),
}


@pytest.mark.parametrize("locale", i18n.AVAILABLE_LOCALES)
def test_the_screen_example_is_understood_in_every_language(locale: str) -> None:
    text, note = SCREEN_EXAMPLES[locale]
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
    parsed = parse_one_off(text, now, MEXICO, locale)
    assert parsed is not None
    assert (parsed.when.astimezone(MEXICO), parsed.note) == (
        dt.datetime(2026, 3, 11, 9, 0, tzinfo=MEXICO),
        note,
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("recuérdame llamar al sindicato", "no_time"),
        ("remind me to call", "no_time"),
        ("recuerdame el 31 de febrero a las 9 pagar", "bad_date"),
        ("recuerdame hoy a las 08:00 pagar", "past"),  # 08:00 as written, already gone
        ("remind me tomorrow at 25:00", "no_time"),
        ("me lembra as 3 amigas da festa", "no_time"),  # "as 3 amigas" is "the 3 friends"
        ("remind me " + "to call " * 40 + "at 9", "too_long"),
    ],
)
def test_reminders_that_cannot_be(text: str, error: str) -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match=error):
        parse_one_off(text, now, MEXICO, "es")


@pytest.mark.parametrize(
    "text",
    ["¿cuántas horas puedo trabajar?", "trabajé de 9 a 17", "hello", "recuerdos a mi mamá"],
)
def test_not_a_reminder(text: str) -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert parse_one_off(text, now, MEXICO, "es") is None


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("es", "20:00", dt.time(20)),
        ("es", "20", dt.time(20)),
        ("es", "8", dt.time(8)),  # as written, like the 24-hour grid beside it
        ("es", "2000", dt.time(20)),
        ("es", "8.30", dt.time(8, 30)),
        ("fr", "20h30", dt.time(20, 30)),
        ("en", "8pm", dt.time(20)),
        ("es", "a las 8 de la noche", dt.time(20)),
        ("es", "7 y media de la tarde", dt.time(19, 30)),
        ("pt", "às 19h", dt.time(19)),
        ("tl", "alas otso ng gabi", dt.time(20)),
        ("sw", "saa mbili usiku", dt.time(20)),  # Swahili hours count from 06:00
        ("ar", "٨ مساءً", dt.time(20)),
        ("ar", "الساعة الثامنة مساء", dt.time(20)),
        ("en", "noon", dt.time(12)),
        ("es", "25:00", None),
        ("es", "9:75", None),
        ("es", "hola", None),
    ],
)
def test_a_time_typed_as_an_answer(locale: str, text: str, expected: dt.time | None) -> None:
    assert parse_time_of_day(text, locale) == expected


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("es", "31", 31),
        ("es", "el 15", 15),
        ("es", "quince", 15),
        ("en", "the 1st", 1),
        ("fr", "le 5", 5),
        ("pt", "dia 5", 5),
        ("tl", "ika-5", 5),
        ("sw", "tarehe 30", 30),
        ("sw", "kumi na tano", 15),
        ("ar", "٣١", 31),
        ("ar", "يوم ١٥", 15),
        ("es", "32", None),
        ("es", "0", None),
        ("es", "cuarenta", None),
    ],
)
def test_a_day_of_the_month_typed_as_an_answer(
    locale: str, text: str, expected: int | None
) -> None:
    assert parse_month_day(text, locale) == expected


def test_not_a_reminder_and_bad_ones() -> None:
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert parse_one_off("¿cuántas horas puedo trabajar?", now, MEXICO, "es") is None
    with pytest.raises(ValueError, match="no_time"):
        parse_one_off("recuérdame llamar al sindicato", now, MEXICO, "es")


# ---- through the bot ----------------------------------------------------------------------


async def test_due_reminder_is_sent_once_even_across_a_restart(harness: Harness) -> None:
    await harness.onboard(user_id=801)  # Mexico City; test clock: 09:00 local
    await daily_reminder(harness, 801)
    harness.clock.advance(hours=11, seconds=5)  # 20:00:05 local
    await due_work(services(harness))
    await harness.restart()  # crash after queueing, before sending
    await due_work(services(harness))  # the same occurrence again: a no-op
    await harness.deliver()
    assert len(reminders_sent(harness, 801)) == 1


async def test_reminder_due_while_the_bot_was_stopped(harness: Harness) -> None:
    await harness.onboard(user_id=802)
    await daily_reminder(harness, 802)
    from tests.conftest import start_app, stop_app

    await stop_app(harness.app)  # the bot is down at 20:00…
    harness.clock.advance(hours=13)  # …and back at 22:00 local: inside the 3 h grace window
    harness.app = await start_app(harness.settings, harness.api, harness.clock)
    for chat in harness._chats.values():
        chat.app = harness.app
    await due_work(services(harness))
    await harness.deliver()
    # Quiet hours (21-07) defer it to 07:00: not lost, not yet sent.
    assert reminders_sent(harness, 802) == []
    harness.clock.advance(hours=9)  # 07:00 next day
    await harness.deliver()
    assert len(reminders_sent(harness, 802)) == 1
    log = await harness.db.fetchall("SELECT outcome FROM reminder_log WHERE user_id = 802")
    assert [r[0] for r in log] == ["sent"]


async def test_reminder_found_too_late_is_dropped_and_recorded(harness: Harness) -> None:
    await harness.onboard(user_id=803)
    await daily_reminder(harness, 803, "1800")
    harness.clock.advance(hours=9 + 3, minutes=30)  # 21:30 local: 3.5 h after 18:00
    await due_work(services(harness))
    harness.clock.advance(hours=10)
    await harness.deliver()
    assert reminders_sent(harness, 803) == []
    log = await harness.db.fetchall("SELECT outcome FROM reminder_log WHERE user_id = 803")
    assert [r[0] for r in log] == ["dropped"]
    next_at = await harness.db.fetchval("SELECT next_at FROM reminders WHERE user_id = 803")
    assert next_at == "2026-03-12T00:00:00+00:00"  # tomorrow 18:00 in Mexico City


async def test_quiet_hours_off_sends_at_night(harness: Harness) -> None:
    await harness.onboard(user_id=804)
    chat = harness.chat(804)
    await chat.say("⏰ " + tr("es", "Reminders"))
    await chat.press(callbacks.encode("rem", "quiet", 0))
    await chat.press(callbacks.encode("rem", "other", "log_hours"))
    await chat.say("22:30")
    harness.clock.advance(hours=13, minutes=30, seconds=1)  # 22:30 local
    await due_work(services(harness))
    await harness.deliver()
    assert len(reminders_sent(harness, 804)) == 1


async def test_cancelling_while_due_sends_nothing(harness: Harness) -> None:
    await harness.onboard(user_id=805)
    await daily_reminder(harness, 805, "2000")
    harness.clock.advance(hours=12)  # 21:00: due, queued for 07:00 because of quiet hours
    await due_work(services(harness))
    reminder_id = await harness.db.fetchval("SELECT id FROM reminders WHERE user_id = 805")
    await harness.chat(805).press(callbacks.encode("rem", "del", reminder_id))
    harness.clock.advance(hours=11)
    await harness.deliver()
    assert reminders_sent(harness, 805) == []


async def test_one_off_list_pause_change_in_english(harness: Harness) -> None:
    await harness.onboard(user_id=806, locale="en", language_code="en")
    chat = harness.chat(806, "en")
    replies = await chat.say("remind me tomorrow at 9 to call the union")
    assert replies[-1].text.startswith(tr("en", "✅ Reminder saved: {what}").split("{")[0])
    assert "call the union" in replies[-1].text
    replies = await chat.say("⏰ " + tr("en", "Reminders"))
    assert "call the union" in replies[-1].text
    reminder_id = await harness.db.fetchval("SELECT id FROM reminders WHERE user_id = 806")
    await chat.press(callbacks.encode("rem", "pause", reminder_id))
    assert await harness.db.fetchval("SELECT paused FROM reminders WHERE id = ?", (reminder_id,))
    await chat.press(callbacks.encode("rem", "resume", reminder_id))
    await chat.press(callbacks.encode("rem", "time", reminder_id))
    replies = await chat.say("10:15")
    assert replies[-1].text == tr("en", "✅ Time changed.")
    replies = await chat.say("remind me to call")
    assert replies[-1].text == tr(
        "en", "Tell me the time too, for example: remind me tomorrow at 9 to call the union"
    )


async def test_log_usual_hours_from_the_reminder(harness: Harness) -> None:
    await harness.onboard(user_id=807)
    chat = harness.chat(807)
    await chat.say("/hours")
    await chat.say("Casa")
    await chat.press(callbacks.encode("h", "unit", "hour"))
    await chat.say("50")
    await chat.press(callbacks.encode("h", "livein", 0))
    await chat.press(callbacks.encode("h", "date", "n", "20260301"))
    await chat.say("ayer de 8 a 14")  # the first shift with times becomes the usual schedule
    replies = await chat.press(callbacks.encode("rem", "usual"))
    assert "6 h" in replies[-1].text
    rows = await harness.db.fetchall("SELECT day, source FROM work_entries ORDER BY id")
    assert [tuple(r) for r in rows][-1] == ("2026-03-10", "reminder")


async def test_payday_on_day_31_and_timezone_change(harness: Harness) -> None:
    await harness.onboard(user_id=808)
    chat = harness.chat(808)
    await chat.press(callbacks.encode("rem", "monthly", "payday"))
    await chat.say("31")
    next_at = await harness.db.fetchval("SELECT next_at FROM reminders WHERE user_id = 808")
    assert next_at == "2026-03-31T15:00:00+00:00"  # 09:00 in Mexico City
    replies = await chat.say("/timezone Mars/Olympus")
    assert replies[-1].text == tr(
        "es", "I don't know that time zone. Write it like this: Europe/Madrid"
    )
    await chat.say("/timezone Asia/Hong_Kong")
    assert await harness.db.fetchval("SELECT timezone FROM users WHERE user_id = 808") == (
        "Asia/Hong_Kong"
    )
