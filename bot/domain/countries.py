"""The countries the bot knows, and the jurisdiction whose rules apply in each.

Five countries have their own law in content/. Every other ISO 3166-1 country is a real place
too: the ILO Convention 189 baseline ("ilo") applies, and its time zones and currency come
from CLDR through Babel.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from babel.core import get_global
from babel.numbers import get_territory_currencies

OTHER = "INT"  # "another country" before every country could be chosen; kept for old rows
ILO = "ilo"  # the content folder with the C189 baseline
MAX_ZONE_CHARS = 64  # the longest IANA name is about 30 characters


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, or OTHER
    jurisdiction: str  # folder under content/
    timezone: str  # default IANA timezone; the worker can change it
    flag: str
    currency: str  # ISO 4217, for pay she records


# The countries with their own law, in the order of the first country question.
NATIONAL: tuple[Country, ...] = (
    Country("MX", "mexico", "America/Mexico_City", "🇲🇽", "MXN"),
    Country("ES", "spain", "Europe/Madrid", "🇪🇸", "EUR"),
    Country("PE", "peru", "America/Lima", "🇵🇪", "PEN"),
    Country("AR", "argentina", "America/Argentina/Buenos_Aires", "🇦🇷", "ARS"),
    Country("PA", "panama", "America/Panama", "🇵🇦", "USD"),  # the balboa is pegged; USD is used
)
# What "INT" meant: still read for workers who chose it, never stored for a new choice.
LEGACY_OTHER = Country(OTHER, ILO, "UTC", "🌍", "USD")
# One entry per rules folder (the five and the ILO baseline), as statistics and content use it.
COUNTRIES: tuple[Country, ...] = (*NATIONAL, LEGACY_OTHER)
BY_CODE = {c.code: c for c in COUNTRIES}


@dataclass(frozen=True)
class Region:
    """A part of the world, named by CLDR under its UN M49 code (`Locale.territories`)."""

    code: str
    icon: str
    first: tuple[str, ...]  # where domestic workers most often go: listed before the rest
    members: frozenset[str]


def _region(code: str, icon: str, first: str, members: str) -> Region:
    return Region(code, icon, tuple(first.split()), frozenset(members.split()))


# CLDR's territoryContainment (UN M49) for the five continents; Babel names the regions but
# does not ship this table. Sub-regions are kept as lines to check against the source.
# Antarctica (AQ) is in "Outlying Oceania" (QO) there, so it is listed with Oceania.
REGIONS: tuple[Region, ...] = (
    _region(
        "142",
        "🌏",
        "HK SG SA AE KW QA LB JO MY TW PH ID",
        """
        KZ KG TJ TM UZ
        CN HK MO KP JP MN KR TW
        BN KH ID LA MY MM PH SG TH TL VN
        AF BD BT IN IR MV NP PK LK
        AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE
        """,
    ),
    _region(
        "019",
        "🌎",
        "US CA BR CO CL EC BO GT CR DO PY VE",
        """
        AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI
        BZ CR SV GT HN MX NI PA
        AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE
        BM CA GL PM US
        """,
    ),
    _region(
        "150",
        "🌍",
        "IT FR GB DE PT BE CH IE GR NL AT PL",
        """
        BY BG CZ HU PL MD RO RU SK UA
        AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB
        AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES
        AT BE FR DE LI LU MC NL CH
        """,
    ),
    _region(
        "002",
        "🌍",
        "KE UG MA ZA ET NG TZ GH EG DZ TN SN",
        """
        DZ EG EH LY MA SD TN
        BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF
        AO CM CF TD CG CD GQ GA ST
        BW SZ LS NA ZA
        BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG
        """,
    ),
    _region(
        "009",
        "🌏",
        "AU NZ FJ PG",
        """
        AU CX CC HM NZ NF
        FJ NC PG SB VU
        GU KI MH FM NR MP PW UM
        AS CK PF NU PN WS TK TO TV WF
        AQ
        """,
    ),
)
REGION_BY_CODE = {r.code: r for r in REGIONS}
REGION_OF = {code: r.code for r in REGIONS for code in r.members}

# Where tzdata's zone.tab (geographic order) does not start with the most populous zone.
MAIN_ZONES = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


def is_country(code: str | None) -> bool:
    """An ISO 3166-1 alpha-2 code a worker may choose (never the legacy OTHER)."""
    return code in REGION_OF


def flag(code: str) -> str:
    """The flag emoji: the code's two letters as regional indicator symbols."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


def country(code: str | None) -> Country:
    """The country for `code`: its own law for the five, the ILO baseline with its own time
    zone and currency for any other ISO code; missing, unknown and legacy codes get the ILO
    baseline in UTC and US dollars."""
    found = BY_CODE.get(code or OTHER)
    if found is not None:
        return found
    if code is not None and is_country(code):
        return _baseline_country(code)
    return LEGACY_OTHER


@functools.cache
def _baseline_country(code: str) -> Country:
    currencies = get_territory_currencies(code, tender=True)
    # Antarctica has no currency of its own.
    return Country(code, ILO, _main_zone(code), flag(code), currencies[0] if currencies else "USD")


@functools.cache
def _zone_tab_order() -> dict[str, int]:
    """IANA zones in tzdata's zone.tab order: by country, most populous first within it."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):  # no tzdata wheel: Babel's order is used
        return {}
    names = [line.split("\t")[2] for line in text.splitlines() if line and line[0] != "#"]
    return {name: index for index, name in enumerate(names)}


def zones(code: str) -> tuple[str, ...]:
    """Every IANA zone CLDR lists for the country, main zone first; UTC where it lists none."""
    return _zones(code) if is_country(code) else ("UTC",)


@functools.cache  # bounded: only the 249 ISO codes reach it
def _zones(code: str) -> tuple[str, ...]:
    known = _known_zones()  # what the installed tzdata has, should CLDR be newer
    listed = [z for z in get_global("territory_zones").get(code, ()) if z in known]
    if not listed:
        return ("UTC",)  # uninhabited islands (Bouvet, Heard and McDonald)
    order = _zone_tab_order()
    main = BY_CODE[code].timezone if code in BY_CODE else MAIN_ZONES.get(code)
    return tuple(sorted(listed, key=lambda z: (z != main, order.get(z, len(order)), z)))


def _main_zone(code: str) -> str:
    return zones(code)[0]


def zone_choices(code: str, today: dt.date) -> tuple[str, ...]:
    """One zone per clock the country keeps: zones that show the same time every day of this
    year and the next count once (their past may differ); main zone first."""
    return _zone_choices(code, today.year) if is_country(code) else ("UTC",)


@functools.lru_cache(maxsize=512)
def _zone_choices(code: str, year: int) -> tuple[str, ...]:
    start = dt.datetime(year, 1, 1, 12, tzinfo=dt.UTC)
    days = (dt.date(year + 2, 1, 1) - start.date()).days
    instants = [start + dt.timedelta(days=d) for d in range(days)]
    seen: dict[tuple[dt.timedelta | None, ...], str] = {}
    for name in zones(code):
        tz = zoneinfo.ZoneInfo(name)
        seen.setdefault(tuple(moment.astimezone(tz).utcoffset() for moment in instants), name)
    return tuple(seen.values())


def has_zone(code: str, zone: str) -> bool:
    return zone in zones(code)


@functools.cache  # available_timezones() walks the whole tzdata tree on each call
def _known_zones() -> frozenset[str]:
    # Not "localtime" (the server's zone), nor the placeholders tzdata keeps for tools.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory", "posixrules"})


@functools.cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in _known_zones()}


def timezone_named(text: str) -> str | None:
    """The IANA zone a worker typed ('asia/hong_kong' -> 'Asia/Hong_Kong'), or None.

    Only names of real zone files match: a folder such as 'America' or an over-long name
    never reaches `ZoneInfo`, which would raise IsADirectoryError or OSError for them."""
    name = text.strip()
    if not name or len(name) > MAX_ZONE_CHARS:
        return None
    return _zone_names().get(name.casefold())


def zone_arg(zone: str) -> str:
    """A zone name as a callback argument: the codec allows no slashes, IANA names no dots."""
    return zone.replace("/", ".")


def zone_from_arg(arg: str) -> str:
    return arg.replace(".", "/")


def _fold(name: str) -> str:
    """A sort key that puts 'Émirats' with the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def listing(region_code: str, name: Callable[[str], str]) -> tuple[str, ...]:
    """The region's countries as the picker shows them: the common destinations first, then
    the rest by `name` (the country's name in the worker's language)."""
    region = REGION_BY_CODE[region_code]
    rest = sorted(region.members.difference(region.first), key=lambda c: (_fold(name(c)), c))
    return (*region.first, *rest)
