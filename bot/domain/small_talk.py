"""Greetings and thanks, in the bot's languages, so that "hola" or "شكرا" gets a friendly
answer and the menu instead of a rights search."""

from __future__ import annotations

from bot.domain.text import fold, words


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


# Folded words (lower case, no accents). A message is small talk when every word in it is
# one of these and at least one is a core word (a greeting "good" needs its "morning").
_HELLO = _folded(
    "hola holi buenas buenos hello hi hey hiya ola oi bonjour salut bonsoir coucou kumusta "
    "musta habari jambo hujambo mambo shikamoo salaam salam مرحبا مرحبه اهلا أهلا هلا السلام"
)
# Words of "good morning" and the like: greetings only together with the words above or
# below, and meaningful in a rights question ("me pagan tarde"), so kept for search.
_GREETING_CORE = _HELLO | _folded(
    "صباح مساء morning evening afternoon dia tarde noite umaga hapon gabi"
)
_GREETING_FILLER = _folded(
    "dias tardes noches good bom boa magandang po ka yako za asubuhi mchana jioni "
    "عليكم الخير النور ورحمة الله وبركاته there everyone señora senora amiga friend"
)
_THANKS_CORE = _folded(
    "gracias thanks thank thx obrigada obrigado merci salamat asante شكرا شكرًا مشكورة مشكور"
)
_THANKS_FILLER = _folded(
    "muchas muchisimas mil you very much so lot a muito beaucoup maraming po sana جزيلا لك لكي"
)

# Words that never help a rights search ("hola, cuántas horas…").
SMALL_TALK_WORDS = _HELLO | _THANKS_CORE


def _is(found: list[str], core: frozenset[str], filler: frozenset[str]) -> bool:
    return (
        0 < len(found) <= 6
        and all(w in core or w in filler for w in found)
        and any(w in core for w in found)
    )


def classify(text: str) -> str | None:
    """'greeting', 'thanks' or None."""
    found = words(text)
    if _is(found, _THANKS_CORE, _THANKS_FILLER):
        return "thanks"
    if _is(found, _GREETING_CORE, _GREETING_FILLER) and (
        len(found) > 1 or found[0] in _HELLO  # "tarde" alone is not a greeting
    ):
        return "greeting"
    return None
