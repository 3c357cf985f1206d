"""Organisers and workers through the real bot: roles, invites, targeted announcements in
each worker's language, meeting notices in each worker's timezone, RSVPs, reminders, /stop."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot import callbacks, i18n
from bot.channels.console import ConsoleChat
from bot.commands import COMMANDS
from bot.domain.users import Role
from bot.i18n import _
from tests.conftest import ADMIN_ID, Harness

ORGANISER = 700


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return _(message)


async def make_organiser(harness: Harness) -> None:
    await harness.onboard(user_id=ADMIN_ID)
    replies = await harness.say("/invite organiser", user_id=ADMIN_ID)
    code = replies[-1].text.split("<code>")[1].split("</code>")[0]
    await harness.onboard(user_id=ORGANISER, country="PE")
    replies = await harness.say(f"/join {code}", user_id=ORGANISER)
    assert "organiser" in replies[-1].text
    # The code works once only.
    await harness.onboard(user_id=701)
    replies = await harness.say(f"/join {code}", user_id=701)
    assert replies[-1].text == tr("es", "That code is not valid, was used already, or has expired.")


async def call_meeting(harness: Harness, text: str) -> ConsoleChat:
    """The organiser calls a meeting in Lima for 20 March 2026, 18:00, to everyone opted in."""
    org = harness.chat(ORGANISER)
    await org.say("/meeting")
    await org.say(text)
    await org.say("2026-03-20 18:00")
    await org.say("Av. Grau 123, Lima")
    await org.press(callbacks.encode("org", "audience", "meeting"))
    await org.press(callbacks.encode("org", "preview", "meeting"))
    await org.press(callbacks.encode("org", "now", "meeting"))
    return org


async def worker(
    harness: Harness,
    user_id: int,
    locale: str,
    country: str,
    categories: tuple[str, ...] = ("news", "meetings"),
) -> None:
    await harness.onboard(user_id=user_id, locale=locale, country=country, language_code=locale)
    chat = harness.chat(user_id, locale)
    for category in categories:
        await chat.press(callbacks.encode("sub", category, 1))


@pytest.mark.parametrize(
    "command", [c.name for c in COMMANDS if c.role in (Role.ORGANISER, Role.ADMIN)]
)
async def test_workers_are_refused_every_organiser_command(harness: Harness, command: str) -> None:
    await harness.onboard(user_id=710)
    replies = await harness.say(f"/{command}", user_id=710)
    assert replies[-1].text == tr("es", "Sorry, this command is only for union organisers.")


async def test_forged_organiser_buttons_are_refused(harness: Harness) -> None:
    await harness.onboard(user_id=711)
    replies = await harness.chat(711).press(callbacks.encode("org", "cancel_b", 1))
    assert replies[-1].text == tr("es", "Sorry, this command is only for union organisers.")


async def test_invite_codes_expire(harness: Harness) -> None:
    await harness.onboard(user_id=ADMIN_ID)
    replies = await harness.say("/invite analyst", user_id=ADMIN_ID)
    code = replies[-1].text.split("<code>")[1].split("</code>")[0]
    harness.clock.advance(hours=49)
    await harness.onboard(user_id=712)
    replies = await harness.say(f"/join {code}", user_id=712)
    assert replies[-1].text == tr("es", "That code is not valid, was used already, or has expired.")


async def test_targeted_announcement_in_each_language_with_stop(harness: Harness) -> None:
    await make_organiser(harness)
    await worker(harness, 720, "es", "PE")
    await worker(harness, 721, "en", "PE")
    await worker(harness, 722, "ar", "PE")  # no Arabic version: gets the fallback
    await worker(harness, 723, "es", "MX")  # another country: not targeted
    await worker(harness, 724, "es", "PE", categories=())  # did not opt in
    org = harness.chat(ORGANISER)
    await org.say("/announce")
    await org.say("Asamblea el sábado en Lima")
    await org.press(callbacks.encode("org", "lang", "announce", "en"))
    await org.say("Assembly on Saturday in Lima")
    await org.press(callbacks.encode("org", "audience", "announce"))
    await org.press(callbacks.encode("org", "c", "announce", "PE"))
    replies = await org.press(callbacks.encode("org", "preview", "announce"))
    assert tr("es", "It will reach {n} workers.").replace("{n}", "3") in replies[-1].text or (
        "3" in replies[-1].text
    )
    await org.press(callbacks.encode("org", "now", "announce"))
    await harness.deliver()
    texts = {uid: [s.text for s in harness.api.sent_to(uid)][-1] for uid in (720, 721, 722)}
    assert texts == {
        720: "Asamblea el sábado en Lima",
        721: "Assembly on Saturday in Lima",
        722: "Asamblea el sábado en Lima",
    }
    assert all(not any("Asamblea" in s.text for s in harness.api.sent_to(u)) for u in (723, 724))
    # Every announcement carries a stop button, in the worker's language.
    last = harness.api.sent_to(721)[-1]
    assert last.buttons == [(tr("en", "🔕 Stop these messages"), callbacks.encode("stop", "news"))]
    await harness.chat(721, "en").press(callbacks.encode("stop", "news"), last.message_id)
    assert (
        await harness.db.fetchval(
            "SELECT COUNT(*) FROM subscriptions WHERE user_id = 721 AND category = 'news'"
        )
        == 0
    )
    # The organiser gets a delivery report.
    report = harness.api.sent_to(ORGANISER)[-1].text
    assert report == tr(
        "es", "📊 Delivery report #{id}: sent {sent}, failed {failed}, blocked {blocked}."
    ).format(id=1, sent=3, failed=0, blocked=0)
    actions = [r[0] for r in await harness.db.fetchall("SELECT action FROM audit_log ORDER BY id")]
    assert {"invite", "join", "broadcast_create", "broadcast_send"} <= set(actions)


async def test_scheduled_announcement_can_be_cancelled(harness: Harness) -> None:
    await make_organiser(harness)
    await worker(harness, 730, "es", "PE")
    org = harness.chat(ORGANISER)
    await org.say("/announce")
    await org.say("Recordatorio")
    await org.press(callbacks.encode("org", "audience", "announce"))
    await org.press(callbacks.encode("org", "preview", "announce"))
    await org.press(callbacks.encode("org", "later", "announce"))
    replies = await org.say("2026-03-20 10:00")
    assert replies[-1].text.startswith("🕒")
    replies = await org.say("/broadcasts")
    await org.press(callbacks.encode("org", "cancel_b", 1), replies[-1].message_id)
    status = await harness.db.fetchval("SELECT status FROM broadcasts WHERE id = 1")
    assert status == "cancelled"


async def test_meeting_in_each_timezone_rsvp_reminders_and_change(harness: Harness) -> None:
    await make_organiser(harness)  # the organiser is in Peru (UTC-5)
    await worker(harness, 740, "es", "ES")  # Madrid
    await worker(harness, 741, "en", "PE")  # Lima
    org = harness.chat(ORGANISER)
    await org.say("/meeting")
    await org.say("Asamblea general\nSalarios 2026 y elecciones")
    await org.say("2026-03-20 18:00")  # 18:00 in Lima = 23:00 UTC = 00:00 in Madrid
    await org.say("Av. Grau 123, Lima")
    await org.press(callbacks.encode("org", "audience", "meeting"))
    await org.press(callbacks.encode("org", "preview", "meeting"))
    replies = await org.press(callbacks.encode("org", "now", "meeting"))
    organiser_copy = next(s for s in replies if s.files)
    ((ics_name, ics),) = organiser_copy.files.values()
    assert ics_name == "meeting.ics" and b"DTSTART:20260320T230000Z" in ics
    await harness.deliver()
    # Each worker gets the notice, then the calendar file: uploaded once per content and
    # channel, then sent by the file id (the organiser wrote only Spanish, so the English
    # worker's file is the same file).
    for worker_id in (740, 741):
        notice, calendar = harness.api.sent_to(worker_id)[-2:]
        assert notice.method == "sendMessage" and calendar.method == "sendDocument"
        for name, content in calendar.files.values():
            assert name == "meeting.ics" and b"DTSTART:20260320T230000Z" in content
    assert await harness.db.fetchval("SELECT COUNT(*) FROM audio_uploads") == 1
    madrid = harness.api.sent_to(740)[-2]
    lima = harness.api.sent_to(741)[-2]
    starts = dt.datetime(2026, 3, 20, 23, 0, tzinfo=dt.UTC)
    with i18n.using("es"):
        assert (
            i18n.fmt_datetime(
                starts.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Madrid")), "full"
            )
            in madrid.text
        )
    with i18n.using("en"):
        assert (
            i18n.fmt_datetime(
                starts.astimezone(__import__("zoneinfo").ZoneInfo("America/Lima")), "full"
            )
            in lima.text
        )
    # RSVP: going -> reminders 24 h and 2 h before, queued in the outbox.
    await harness.chat(740).press(callbacks.encode("rsvp", 1, "going"), madrid.message_id)
    reminders = await harness.db.fetchall(
        "SELECT not_before FROM outbox WHERE kind = 'meeting_reminder' AND user_id = 740"
        " AND status = 'pending' ORDER BY not_before"
    )
    # 24 h before = 23:00 UTC on the 19th = midnight in Madrid: quiet hours, so it moves
    # earlier, to 20:59 Madrid (19:59 UTC) on the 19th; 2 h before = 22:00 Madrid on the 20th:
    # also quiet, so 20:59 Madrid that evening.
    assert [r[0] for r in reminders] == ["2026-03-19T19:59:00+00:00", "2026-03-20T19:59:00+00:00"]
    await harness.chat(741, "en").press(callbacks.encode("rsvp", 1, "no"), lima.message_id)
    replies = await org.say("/meetings")
    assert (
        tr("es", "✅ {going} going · 🤔 {maybe} maybe · ❌ {no} can't").format(
            going=1, maybe=0, no=1
        )
        in replies[-1].text
    )
    # Change of time: everyone who answered is told, reminders move with it.
    await org.press(callbacks.encode("org", "move", 1), replies[-1].message_id)
    await org.say("2026-03-21 10:00")
    await harness.deliver()
    assert "🔄" in harness.api.sent_to(740)[-1].text and "🔄" in harness.api.sent_to(741)[-1].text
    pending = await harness.db.fetchall(
        "SELECT not_before FROM outbox WHERE kind = 'meeting_reminder' AND status = 'pending'"
    )
    assert [r[0] for r in pending] == ["2026-03-20T15:00:00+00:00", "2026-03-21T13:00:00+00:00"]


async def test_stop_command_unsubscribes_everything(harness: Harness) -> None:
    await worker(harness, 750, "es", "MX", categories=("news", "meetings", "episodes"))
    replies = await harness.say("/stop", user_id=750)
    assert replies[-1].text.startswith("🔕")
    assert await harness.db.fetchval("SELECT COUNT(*) FROM subscriptions WHERE user_id = 750") == 0


async def test_workers_join_groups_by_tag(harness: Harness) -> None:
    await worker(harness, 760, "es", "PE")
    replies = await harness.say("#Lima", user_id=760)
    assert replies[-1].text == tr("es", "✅ You joined the group #{tag}.").format(tag="lima")
    assert await harness.db.fetchval("SELECT tag FROM user_tags WHERE user_id = 760") == "lima"


async def test_only_invited_workers_can_answer_a_meeting(harness: Harness) -> None:
    """H1: a forged RSVP button from someone the notice never reached (an employer who sent
    /start) is refused, reveals nothing of the meeting and is audited."""
    await make_organiser(harness)
    await worker(harness, 750, "es", "PE")
    await call_meeting(harness, "Asamblea secreta\nAgenda")
    await harness.deliver()
    await worker(harness, 751, "es", "PE")  # arrives after the notice went out: not invited
    replies = await harness.chat(751).press(callbacks.encode("rsvp", 1, "going"))
    assert [r.text for r in replies] == [tr("es", "This button no longer works.")]
    assert await harness.db.fetchval("SELECT COUNT(*) FROM rsvps WHERE user_id = 751") == 0
    assert (
        await harness.db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE user_id = 751 AND kind = 'meeting_reminder'"
        )
        == 0
    )
    assert (
        await harness.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'rsvp_refused' AND user_id = 751"
        )
        == 1
    )
    # The invited worker still can.
    notice = harness.api.sent_to(750)[-1]
    await harness.chat(750).press(callbacks.encode("rsvp", 1, "going"), notice.message_id)
    assert await harness.db.fetchval("SELECT answer FROM rsvps WHERE user_id = 750") == "going"


async def test_double_tap_on_send_now_sends_one_broadcast(harness: Harness) -> None:
    """M1: two presses of "Send now" that reach the bot together create one broadcast."""
    await make_organiser(harness)
    await worker(harness, 760, "es", "PE")
    org = harness.chat(ORGANISER)
    await org.say("/announce")
    await org.say("Asamblea el sábado")
    await org.press(callbacks.encode("org", "audience", "announce"))
    preview = (await org.press(callbacks.encode("org", "preview", "announce")))[-1]
    now = callbacks.encode("org", "now", "announce")
    await asyncio.gather(
        org.press(now, message_id=preview.message_id),
        org.press(now, message_id=preview.message_id),
    )
    await harness.deliver()
    assert await harness.db.fetchval("SELECT COUNT(*) FROM broadcasts") == 1
    assert [s.text for s in harness.api.sent_to(760)].count("Asamblea el sábado") == 1


async def test_groups_in_any_script_can_be_joined_shown_and_left(harness: Harness) -> None:
    """M4: #bogotá, an Arabic tag and a 32-letter tag work in Meetings & news and can be left."""
    await worker(harness, 770, "es", "PE")
    long_tag = "a" * 32
    for tag in ("#Bogotá", "#القاهرة", f"#{long_tag}"):
        await harness.say(tag, user_id=770)
    tags = await harness.db.fetchall("SELECT tag FROM user_tags WHERE user_id = 770 ORDER BY tag")
    assert sorted(r[0] for r in tags) == sorted(["bogotá", "القاهرة", long_tag])
    chat = harness.chat(770)
    replies = await chat.say(tr("es", "📣 Meetings & news"))
    leave = [d for label, d in replies[-1].buttons if label.startswith("✖️")]
    assert len(leave) == 3
    for data in leave:
        assert data is not None
        await chat.press(data)
    assert await harness.db.fetchval("SELECT COUNT(*) FROM user_tags WHERE user_id = 770") == 0
    replies = await chat.press(callbacks.encode("tag", "0123456789ab"))  # forged
    assert replies[-1].text == tr("es", "That button is old. Here is the menu again.")


async def test_an_organiser_who_deletes_her_data_leaves_the_unions_record(
    harness: Harness,
) -> None:
    """M5: her broadcasts, meetings and audit rows stay under a pseudonym; workers' RSVPs stay;
    no row names her any more, not even inside audit details or on the invite she used."""
    await make_organiser(harness)
    await worker(harness, 780, "es", "PE")
    org = await call_meeting(harness, "Asamblea\nAgenda")
    await harness.deliver()
    notice = harness.api.sent_to(780)[-1]
    await harness.chat(780).press(callbacks.encode("rsvp", 1, "going"), notice.message_id)
    audit_before = await harness.db.fetchval("SELECT COUNT(*) FROM audit_log")
    await org.say("/delete")
    await org.press(callbacks.encode("erase", "yes"))
    db = harness.db
    assert await db.fetchval("SELECT COUNT(*) FROM broadcasts WHERE user_id < 0") == 1
    assert await db.fetchval("SELECT COUNT(*) FROM meetings WHERE user_id < 0") == 1
    assert await db.fetchval("SELECT COUNT(*) FROM audit_log") == audit_before
    assert await db.fetchval("SELECT answer FROM rsvps WHERE user_id = 780") == "going"
    for table in await db.tables_with_column("user_id"):
        count = await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (ORGANISER,))
        assert count == 0, table
    assert (
        await db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE json_extract(details, '$.user') = ?", (ORGANISER,)
        )
        == 0
    )
    assert await db.fetchval("SELECT COUNT(*) FROM invites WHERE used_by = ?", (ORGANISER,)) == 0


async def test_organisers_cannot_cancel_or_move_each_others_work(harness: Harness) -> None:
    """M6: only the organiser who wrote a broadcast or called a meeting, or an admin, may
    cancel or reschedule it; every refusal is audited."""
    await make_organiser(harness)
    replies = await harness.say("/invite organiser", user_id=ADMIN_ID)
    code = replies[-1].text.split("<code>")[1].split("</code>")[0]
    await harness.onboard(user_id=790, country="PE")
    await harness.say(f"/join {code}", user_id=790)
    await call_meeting(harness, "Asamblea\nAgenda")
    other = harness.chat(790)
    refusal = tr("es", "Only the organiser who wrote it, or an admin, can change it.")
    for data in (
        callbacks.encode("org", "cancel_b", 1),
        callbacks.encode("org", "cancel_m", 1),
        callbacks.encode("org", "move", 1),
    ):
        replies = await other.press(data)
        assert replies[-1].text == refusal, data
    assert await harness.db.fetchval("SELECT status FROM meetings WHERE id = 1") == "planned"
    refused = await harness.db.fetchall(
        "SELECT action FROM audit_log WHERE user_id = 790 AND action LIKE '%refused' ORDER BY id"
    )
    assert [r[0] for r in refused] == [
        "broadcast_cancel_refused",
        "meeting_cancel_refused",
        "meeting_move_refused",
    ]
    await harness.chat(ADMIN_ID).press(callbacks.encode("org", "cancel_m", 1))
    assert await harness.db.fetchval("SELECT status FROM meetings WHERE id = 1") == "cancelled"


async def test_join_codes_cannot_be_guessed_by_trying(harness: Harness) -> None:
    """L3: five wrong codes an hour, each audited, then a polite wait; a good code waits too."""
    await harness.onboard(user_id=795)
    for n in range(5):
        replies = await harness.say(f"/join WRONG{n}CODE", user_id=795)
        assert replies[-1].text == tr(
            "es", "That code is not valid, was used already, or has expired."
        )
    replies = await harness.say("/join WRONG9CODE", user_id=795)
    wait = "Too many codes tried. Please wait an hour, or ask your union for a new one."
    assert replies[-1].text == tr("es", wait)
    assert (
        await harness.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'join_failed' AND user_id = 795"
        )
        == 5
    )
    harness.clock.advance(hours=1, minutes=1)
    replies = await harness.say("/join WRONG9CODE", user_id=795)
    assert replies[-1].text == tr("es", "That code is not valid, was used already, or has expired.")
