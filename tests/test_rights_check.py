"""“Is this right?”: the rights check, run by buttons only in each country, each conclusion
checked against the rule it rests on (content/<jurisdiction>/check.toml and rules.toml)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from bot import callbacks, i18n
from bot.channels.offline_api import Sent
from bot.domain.entry_parser import ParsedShift
from bot.domain.rights_check import QUESTIONS, BadAnswers, read_answers
from bot.i18n import _
from tests.conftest import Harness


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


def press_label(reply: Sent, label: str) -> str:
    for text, data in reply.buttons:
        if text == label and data:
            return data
    raise AssertionError(f"no button {label!r} in {[t for t, _d in reply.buttons]}")


async def run_check(
    harness: Harness, user_id: int, locale: str, taps: list[str]
) -> tuple[list[Sent], Sent]:
    """Open the check from the list of topics and tap the answers by their labels."""
    chat = harness.chat(user_id)
    topics = (await chat.press(callbacks.encode("topics")))[-1]
    reply = (await chat.press(press_label(topics, tr(locale, "✅ Is this right? Check it"))))[-1]
    screens = [reply]
    for tap in taps:
        label = {
            "y": tr(locale, "✅ Yes"),
            "n": tr(locale, "❌ No"),
            "u": tr(locale, "🤷 I don't know"),
            "p": tr(locale, "🙊 I prefer not to say"),
        }[tap]
        reply = (await chat.press(press_label(reply, label)))[-1]
        screens.append(reply)
    return screens, reply


async def test_mexico_by_buttons_each_conclusion_rests_on_its_rule(harness: Harness) -> None:
    await harness.onboard(user_id=1, country="MX")
    # contract no, IMSS no, rest yes, over 48 h yes, minimum don't know, on time yes,
    # passport kept yes, violence no.
    screens, result = await run_check(harness, 1, "es", list("nnyyuyyn"))
    assert tr("es", "Question {number} of {total}").format(number=1, total=8) in screens[0].text
    text = result.text
    assert tr("es", "<b>What looks wrong:</b>") in text
    assert tr("es", "The law says your job must have a written contract.") in text
    assert "LFT, art. 331 Ter" in text
    assert (
        tr("es", "Your employer must register you in social security ({name}).").format(name="IMSS")
        in text
    )
    assert "LSS, art. 12; LFT, art. 334 Bis" in text
    assert (
        tr("es", "A normal week is at most {hours} hours. Hours beyond that are overtime.").format(
            hours="48"
        )
        in text
    )
    assert tr("es", "Your passport and your identity papers are yours: keep them yourself.") in text
    assert "Convenio 189 OIT, art. 9" in text
    assert (
        tr("es", "Your pay must be paid to you in money, regularly, at least once a month.")
        not in text
    )
    assert tr("es", "Your safety comes first.")[:10] not in text
    data = [d for _l, d in result.buttons]
    for topic in ("help", "contract", "social_security", "hours"):
        assert callbacks.encode("topic", topic, 0) in data
    # Nothing was stored while she answered.
    assert await harness.db.fetchall("SELECT * FROM rights_checks") == []
    assert await harness.db.fetchall("SELECT * FROM conversation_state") == []


async def test_spain_in_arabic_her_record_answers_hours_and_hourly_pay(harness: Harness) -> None:
    await harness.onboard(user_id=2, locale="ar", language_code="ar", country="ES")
    services = harness.app.bot_data.services  # type: ignore[union-attr]
    user = await services.users.get(2)
    employer = await services.hours.add_employer(
        user, "Casa A", Decimal("8.00"), "hour", "EUR", False, dt.date(2026, 1, 5)
    )
    # Three full weeks before this one (the clock is Tuesday 10 March 2026): 6 days x 8 h.
    for week in range(1, 4):
        monday = dt.date(2026, 3, 9) - dt.timedelta(weeks=week)
        for day in range(6):
            shift = ParsedShift(
                monday + dt.timedelta(days=day), dt.time(8), dt.time(16), dt.timedelta(hours=8)
            )
            await services.hours.log_shift(user, employer.id, shift)
    # Asked: contract no (a spoken contract is lawful in Spain), alta no, 36 h rest no,
    # paid on time yes, passport no, violence no. Hours and pay come from her record.
    screens, result = await run_check(harness, 2, "ar", list("nnnynn"))
    assert len(screens) == 7  # six questions asked, then the result
    text = result.text
    assert (
        tr("ar", "Your employer must register you in social security ({name}).").format(
            name="Seguridad Social"
        )
        in text
    )
    assert "LGSS, art. 139.1" in text
    plain = text.replace("\u2068", "").replace("\u2069", "")  # the isolates around figures
    rest = tr("ar", "You have the right to at least {hours} hours in a row of rest every week.")
    assert rest.format(hours="36") in plain
    # 48 h a week against Spain's 40: overtime, from her record.
    assert (
        tr("ar", "A normal week is at most {hours} hours. Hours beyond that are overtime.").format(
            hours="40"
        )
        in plain
    )
    assert re.search(r"48", plain)
    # 8 €/h against 9,55 €/h (RD 126/2026, art. 4.2): below the minimum.
    assert tr("ar", "Your pay may not be lower than the legal minimum wage.") in plain
    assert "RD 1620/2011, art. 8.1" in plain or "Real Decreto 126/2026" in plain
    # A spoken contract is advice here, not a breach.
    wrong_part = plain.split(tr("ar", "<b>Good to know:</b>"))[0]
    assert tr("ar", "The law says your job must have a written contract.") not in wrong_part
    assert "RD 1620/2011, art. 5.1" in plain
    # Save: once, and a second press changes nothing.
    chat = harness.chat(2)
    save = press_label(result, tr("ar", "💾 Save to my record"))
    await chat.press(save)
    again = await chat.press(save)
    assert tr("ar", "✅ Already saved.") in again[-1].text
    rows = await harness.db.fetchall("SELECT jurisdiction, answers FROM rights_checks")
    assert [tuple(r) for r in rows] == [("spain", "nnnrrynn")]
    # Her data export includes it, and /delete erases it.
    assert b"rights_checks" in await services.users.export(2)


async def test_violence_shows_the_emergency_contacts_first(harness: Harness) -> None:
    await harness.onboard(user_id=3, country="AR")
    _screens, result = await run_check(harness, 3, "es", list("yyynyyny"))
    text = result.text
    first = text.split("\n\n", 1)[1]
    assert first.startswith(
        tr("es", "🆘 <b>Your safety comes first.</b> Nobody may hit, threaten or harass you.")
    )
    assert text.index("911") < text.index("144") < len(text)
    assert callbacks.encode("topic", "harassment", 0) in [d for _l, d in result.buttons]
    assert tr("es", "👍 From your answers, nothing looks wrong.") not in text


async def test_prefer_not_to_say_still_shows_where_help_is(harness: Harness) -> None:
    await harness.onboard(user_id=4, country="PE")
    _screens, result = await run_check(harness, 4, "es", list("yyynyynp"))
    text = result.text
    assert (
        tr("es", "🆘 If someone hurts or threatens you, you can get help, confidentially.") in text
    )
    assert tr("es", "👍 From your answers, nothing looks wrong.") in text


async def test_panama_asks_no_weekly_hours_and_rest_is_the_ilo_minimum(harness: Harness) -> None:
    await harness.onboard(user_id=5, country="PA")
    # contract no (oral allowed), CSS yes, rest no, minimum yes, on time no, passport no,
    # violence no: seven questions, Panama's law sets no weekly hours.
    screens, result = await run_check(harness, 5, "es", list("nynynnn"))
    assert len(screens) == 8
    text = result.text
    assert tr("es", "This is the international minimum (ILO Convention 189).") in text
    assert "Convenio 189 OIT, art. 10" in text or "C189" in text or "189" in text
    assert (
        tr("es", "Your pay must be paid to you in money, regularly, at least once a month.") in text
    )
    assert "Código de Trabajo, art. 231" in text


async def test_an_ilo_country_gets_the_international_minimum(harness: Harness) -> None:
    await harness.onboard(user_id=6, locale="tl", language_code="tl", country="HK")
    _screens, result = await run_check(harness, 6, "tl", list("nnyyyyn"))
    text = result.text
    assert "ILO Convention 189, art. 7" in text
    # Hong Kong's own law is not in this guide: no written-contract "breach" is claimed.
    assert tr("tl", "The law says your job must have a written contract.") not in text


async def test_back_goes_one_question_back_and_forged_answers_are_refused(
    harness: Harness,
) -> None:
    await harness.onboard(user_id=7, country="MX")
    chat = harness.chat(7)
    reply = (await chat.press(callbacks.encode("chk", "snn")))[-1]
    assert tr("es", "Question {number} of {total}").format(number=3, total=8) in reply.text
    back = (await chat.press(press_label(reply, tr("es", "◀️ Back"))))[-1]
    assert tr("es", "Question {number} of {total}").format(number=2, total=8) in back.text
    for forged in ("sxyz", "s" + "y" * 9, "nnn", "s;drop"):
        replies = await chat.press(f"v1:chk:{forged}")
        assert replies and "Traceback" not in replies[-1].text
    with pytest.raises(BadAnswers):
        read_answers("y" * (len(QUESTIONS) + 1))
    # Saving an unfinished check is refused and stores nothing.
    await chat.press(callbacks.encode("chksave", "snn"))
    assert await harness.db.fetchall("SELECT * FROM rights_checks") == []


# One country per jurisdiction, and Hong Kong for the ILO baseline.
COUNTRY_OF = {
    "mexico": "MX",
    "spain": "ES",
    "peru": "PE",
    "argentina": "AR",
    "panama": "PA",
    "ilo": "HK",
}
WRONG_LABEL = {"y": "✅ Yes", "n": "❌ No"}


@pytest.mark.parametrize("locale", ["es", "en", "pt", "fr", "tl", "sw", "ar"])
@pytest.mark.parametrize("jurisdiction", list(COUNTRY_OF))
async def test_every_country_and_language_by_buttons_each_wrong_answer_cites_its_rule(
    harness: Harness, jurisdiction: str, locale: str
) -> None:
    """She answers every question the way that means something is wrong: each point the
    country's law covers is listed with the source in its check.toml, and violence puts the
    country's emergency contacts first."""
    from bot.domain.rights_check import _WRONG, next_question

    services = harness.app.bot_data.services  # type: ignore[union-attr]
    check = services.library.checks[jurisdiction]
    await harness.onboard(
        user_id=9, locale=locale, language_code=locale, country=COUNTRY_OF[jurisdiction]
    )
    chat = harness.chat(9)
    topics = (await chat.press(callbacks.encode("topics")))[-1]
    reply = (await chat.press(press_label(topics, tr(locale, "✅ Is this right? Check it"))))[-1]
    asked = []
    for _step in range(len(QUESTIONS) + 1):
        answers = [d for label, d in reply.buttons if d and label == tr(locale, "✅ Yes")]
        if not answers:
            break
        so_far = callbacks.decode(answers[0]).arg(0)[1:-1]  # "s" + answers + this answer
        question = next_question(so_far)
        assert question is not None
        asked.append(question)
        reply = (await chat.press(press_label(reply, tr(locale, WRONG_LABEL[_WRONG[question]]))))[
            -1
        ]
    text = reply.text.replace("\u2068", "").replace("\u2069", "")
    assert asked[-1] == "violence" and len(asked) >= 7, asked
    assert tr(locale, "<b>What looks wrong:</b>") in text
    for point, rule in check.points.items():
        if point in asked and not (point == "contract" and rule.kind != "required"):
            assert rule.source in text, (point, rule.source)
    emergency = check.contacts_for("emergency")
    body = text.split("\n\n", 1)[1]
    assert body.startswith(
        tr(locale, "🆘 <b>Your safety comes first.</b> Nobody may hit, threaten or harass you.")
    )
    for contact in emergency:
        assert contact.phone in text
    # The answers were not stored: she did not tap Save.
    assert await harness.db.fetchall("SELECT * FROM rights_checks") == []
