"""The countries the bot knows, and the jurisdiction whose rules apply in each."""

from __future__ import annotations

from dataclasses import dataclass

OTHER = "INT"  # "another country": the ILO C189 baseline applies


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, or OTHER
    jurisdiction: str  # folder under content/
    timezone: str  # default IANA timezone; the worker can change it
    flag: str
    currency: str  # ISO 4217, for pay she records


COUNTRIES: tuple[Country, ...] = (
    Country("MX", "mexico", "America/Mexico_City", "🇲🇽", "MXN"),
    Country("ES", "spain", "Europe/Madrid", "🇪🇸", "EUR"),
    Country("PE", "peru", "America/Lima", "🇵🇪", "PEN"),
    Country("AR", "argentina", "America/Argentina/Buenos_Aires", "🇦🇷", "ARS"),
    Country("PA", "panama", "America/Panama", "🇵🇦", "USD"),  # the balboa is pegged; USD is used
    Country(OTHER, "ilo", "UTC", "🌍", "USD"),
)
BY_CODE = {c.code: c for c in COUNTRIES}


def country(code: str | None) -> Country:
    """The country for `code`; unknown or missing codes get the ILO baseline."""
    return BY_CODE.get(code or OTHER, BY_CODE[OTHER])
