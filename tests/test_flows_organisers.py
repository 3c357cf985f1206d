"""Declared flows of organisers (an announcement, a meeting notice, a meeting's new time, a
recorded episode): every exit leaves the flow with nothing stored, an idle flow times out,
the flow's own buttons keep it going; and workers join the groups organisers use by tapping."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot import callbacks, i18n
from bot.channels.offline_api import Sent
from bot.handlers.news import tag_key
from bot.services.organisers import Audience
from tests.conftest import Harness
from tests.test_audio import tone
from tests.test_organisers import ORGANISER, call_meeting, make_organiser, worker


def tr(locale: str, message: str) -> str:
    with i18n.using(locale):
        return i18n._(message)


def org(*args: object) -> str:
    return callbacks.encode("org", *args)


JOINED = "✅ You joined the group #{tag}."
STALE = "That button is old. Here is the menu again."


async def in_flow(harness: Harness, user_id: int) -> str | None:
    row = await harness.db.fetchone(
        "SELECT flow FROM conversation_state WHERE user_id = ?", (user_id,)
    )
    return row[0] if row else None


async def stored(harness: Harness) -> dict[str, Any]:
    """Everything an organiser's flow can store, to compare before and after."""
    db = harness.db
    return {
        "broadcasts": await db.fetchval("SELECT COUNT(*) FROM broadcasts"),
        "meetings": [
            tuple(r) for r in await db.fetchall("SELECT id, starts_at, status FROM meetings")
        ],
        "episodes": await db.fetchval("SELECT COUNT(*) FROM recorded_episodes"),
        "outbox": await db.fetchval("SELECT COUNT(*) FROM outbox"),
    }


def location_update(harness: Harness, user_id: int, latitude: float, longitude: float) -> Any:
    update = harness.api.text_update(user_id, "-", "es")
    del update["message"]["text"]
    update["message"]["location"] = {"latitude": latitude, "longitude": longitude}
    return update


# ---- each flow, entered up to its last step before anything is stored ---------------------
async def enter_announcement(harness: Harness) -> None:
    chat = harness.chat(ORGANISER)
    await chat.say("/announce")
    await chat.say("Asamblea el sábado")
    await chat.press(org("lang", "announce", "en"))
    await chat.say("Assembly on Saturday")
    await chat.press(org("audience", "announce"))
    await chat.press(org("c", "announce", "PE"))
    await chat.say("#lima")  # tags for the audience, inside the flow
    await chat.press(org("preview", "announce"))


async def enter_scheduling(harness: Harness) -> None:
    await enter_announcement(harness)
    await harness.chat(ORGANISER).press(org("later", "announce"))


async def enter_meeting(harness: Harness) -> None:
    chat = harness.chat(ORGANISER)
    await chat.say("/meeting")
    await chat.say("Asamblea general\nSalarios")
    await chat.say("2026-03-20 18:00")
    await chat.say("Av. Grau 123, Lima")
    await chat.send_update(location_update(harness, ORGANISER, -12.05, -77.04))
    await chat.press(org("audience", "meeting"))
    await chat.press(org("preview", "meeting"))


async def enter_move(harness: Harness) -> None:
    chat = harness.chat(ORGANISER)
    replies = await chat.say("/meetings")
    await chat.press(org("move", 1), replies[-1].message_id)


async def enter_episode(harness: Harness) -> None:
    chat = harness.chat(ORGANISER)
    await chat.say("/episode")
    await chat.press(callbacks.encode("epl", "es"))
    await chat.say("Asamblea de marzo")


Enter = Callable[[Harness], Awaitable[None]]
# name -> (how to get in, the flow's name, a button of the flow that must be stale after)
FLOWS: dict[str, tuple[Enter, str, str | None]] = {
    "announcement": (enter_announcement, "announce", org("now", "announce")),
    "scheduling": (enter_scheduling, "announce", org("later", "announce")),
    "meeting": (enter_meeting, "meeting", org("now", "meeting")),
    "move": (enter_move, "move", None),  # "Change time" itself begins a new one
    "episode": (enter_episode, "episode", callbacks.encode("epl", "en")),
}
EXITS = ["/start", "/menu", "/cancel", "menu button", "/help", "timeout"]


async def leave(harness: Harness, how: str) -> list[Sent]:
    chat = harness.chat(ORGANISER)
    if how == "timeout":
        harness.clock.advance(minutes=31)
        return []
    if how == "menu button":
        return await chat.say("📚 " + tr("es", "Rights"))
    return await chat.say(how)


@pytest.mark.parametrize("how", EXITS)
@pytest.mark.parametrize("name", list(FLOWS))
async def test_every_exit_leaves_the_flow_with_nothing_stored(
    harness: Harness, name: str, how: str
) -> None:
    await make_organiser(harness)
    if name == "move":
        await call_meeting(harness, "Asamblea\nAgenda")
    enter, flow, old_button = FLOWS[name]
    before = await stored(harness)
    await enter(harness)
    assert await in_flow(harness, ORGANISER) == flow
    replies = await leave(harness, how)
    if how == "/cancel":
        assert replies[-1].text == tr("es", "Stopped. Nothing was saved.")
    if how != "timeout":  # an idle flow is left in place, and ignored
        assert await in_flow(harness, ORGANISER) is None
    # What she types next is new input: it joins a group, it is not the flow's answer.
    chat = harness.chat(ORGANISER)
    replies = await chat.say("#lima")
    assert [r.text for r in replies] == [tr("es", JOINED).format(tag="lima")]
    if old_button is not None:
        replies = await chat.press(old_button)
        assert replies[-1].text == tr("es", STALE)
    assert await stored(harness) == before


async def test_a_button_of_another_feature_leaves_the_announcement(harness: Harness) -> None:
    await make_organiser(harness)
    await enter_announcement(harness)
    chat = harness.chat(ORGANISER)
    await chat.press(callbacks.encode("sub", "news", 1))
    assert await in_flow(harness, ORGANISER) is None
    replies = await chat.say("#cusco")
    assert [r.text for r in replies] == [tr("es", JOINED).format(tag="cusco")]
    assert await harness.db.fetchval("SELECT COUNT(*) FROM broadcasts") == 0


async def test_an_announcement_with_its_own_buttons_pressed_mid_flow_is_scheduled(
    harness: Harness,
) -> None:
    await make_organiser(harness)
    chat = harness.chat(ORGANISER)
    await chat.say("/announce")
    await chat.say("Asamblea el sábado")
    await chat.press(org("lang", "announce", "en"))
    await chat.say("Assembly on Saturday")
    await chat.press(org("audience", "announce"))
    await chat.press(org("c", "announce", "PE"))
    await chat.press(org("c", "announce", "PE"))  # and off again
    await chat.press(org("l", "announce", "es"))
    await chat.say("#Lima, #cusco")
    await chat.press(org("audience", "announce"))  # "Continue" again: the choices stay
    await chat.press(org("preview", "announce"))
    await chat.press(org("later", "announce"))
    assert await harness.db.fetchval("SELECT COUNT(*) FROM broadcasts") == 0  # not yet
    replies = await chat.say("2026-03-20 10:00")  # Lima time: 15:00 UTC
    assert replies[-1].text.startswith("🕒")
    row = await harness.db.fetchone("SELECT status, send_at, audience, texts FROM broadcasts")
    assert tuple(row) == (
        "scheduled",
        "2026-03-20T15:00:00+00:00",
        '{"countries": [], "languages": ["es"], "tags": ["cusco", "lima"]}',
        '{"es": "Asamblea el sábado", "en": "Assembly on Saturday"}',
    )
    assert await in_flow(harness, ORGANISER) is None


async def test_a_time_in_the_past_is_refused_and_the_announcement_waits(
    harness: Harness,
) -> None:
    await make_organiser(harness)
    await enter_scheduling(harness)
    chat = harness.chat(ORGANISER)
    replies = await chat.say("2026-03-01 10:00")
    past = tr("es", "That time has already passed. Write a time in the future.")
    assert [r.text for r in replies] == [past]
    assert await harness.db.fetchval("SELECT COUNT(*) FROM broadcasts") == 0
    await chat.say("2026-03-20 10:00")
    assert await harness.db.fetchval("SELECT status FROM broadcasts") == "scheduled"


async def test_the_same_time_typed_twice_at_once_schedules_one_broadcast(
    harness: Harness,
) -> None:
    await make_organiser(harness)
    await enter_scheduling(harness)
    chat = harness.chat(ORGANISER)
    await asyncio.gather(chat.say("2026-03-20 10:00"), chat.say("2026-03-20 10:00"))
    assert await harness.db.fetchval("SELECT COUNT(*) FROM broadcasts") == 1


async def test_a_photo_announcement_keeps_its_caption(harness: Harness) -> None:
    await make_organiser(harness)
    chat = harness.chat(ORGANISER)
    await chat.say("/announce")
    update = harness.api.media_update(ORGANISER, "photo", b"\x89PNG", "es")
    update["message"]["caption"] = "Marcha el 8 de marzo"
    await chat.send_update(update)
    await chat.press(org("audience", "announce"))
    await chat.press(org("preview", "announce"))
    await chat.press(org("now", "announce"))
    row = await harness.db.fetchone("SELECT texts, media FROM broadcasts")
    file_id = update["message"]["photo"][-1]["file_id"]
    texts, media = (json.loads(v) for v in row)
    assert texts == {"es": "Marcha el 8 de marzo"}
    # the file is kept, so every channel can send it by its own file id
    assert media == {"kind": "photo", "file_id": file_id, "path": media["path"]}
    assert await asyncio.to_thread(Path(media["path"]).read_bytes) == b"\x89PNG"


async def test_text_where_a_button_is_expected_keeps_the_flow(harness: Harness) -> None:
    await make_organiser(harness)
    chat = harness.chat(ORGANISER)
    await chat.say("/announce")
    await chat.say("Asamblea el sábado")  # now at the language buttons
    replies = await chat.say("Otra cosa")
    tap = tr("es", "Please tap one of the buttons above, or send /cancel to stop.")
    assert [r.text for r in replies] == [tap]
    assert await in_flow(harness, ORGANISER) == "announce"


async def test_a_meeting_with_a_location_and_a_translation(harness: Harness) -> None:
    await make_organiser(harness)
    await worker(harness, 741, "en", "PE")
    chat = harness.chat(ORGANISER)
    await chat.say("/meeting")
    await chat.say("Asamblea general\nSalarios")
    await chat.say("2026-03-20 18:00")
    await chat.say("Av. Grau 123, Lima")
    replies = await chat.send_update(location_update(harness, ORGANISER, -12.05, -77.04))
    assert replies[-1].text == tr("es", "📍 Location saved.")
    await chat.press(org("lang", "meeting", "en"))
    await chat.say("General assembly\nWages")
    await chat.press(org("audience", "meeting"))
    await chat.press(org("l", "meeting", "en"))
    await chat.press(org("preview", "meeting"))
    await chat.press(org("now", "meeting"))
    row = await harness.db.fetchone("SELECT latitude, longitude, texts FROM meetings")
    assert tuple(row) == (
        -12.05,
        -77.04,
        '{"es": {"title": "Asamblea general", "agenda": "Salarios"},'
        ' "en": {"title": "General assembly", "agenda": "Wages"}}',
    )
    await harness.deliver()
    notice, calendar = harness.api.sent_to(741)[-2:]
    assert notice.text.startswith("📅 <b>General assembly</b>")
    assert calendar.method == "sendDocument"
    assert await in_flow(harness, ORGANISER) is None


async def test_a_photo_in_the_meeting_flow_is_refused_and_the_flow_waits(
    harness: Harness,
) -> None:
    await make_organiser(harness)
    chat = harness.chat(ORGANISER)
    await chat.say("/meeting")
    await chat.say("Asamblea general")
    await chat.say("2026-03-20 18:00")
    await chat.say("Av. Grau 123, Lima")
    replies = await chat.send_update(harness.api.media_update(ORGANISER, "photo", b"x", "es"))
    only_text = "I can only read text messages and buttons here. Please write, or tap a button."
    assert replies[-1].text == tr("es", only_text)
    assert await in_flow(harness, ORGANISER) == "meeting"


async def test_a_new_time_for_a_meeting(harness: Harness) -> None:
    await make_organiser(harness)
    await call_meeting(harness, "Asamblea\nAgenda")
    await enter_move(harness)
    chat = harness.chat(ORGANISER)
    replies = await chat.say("mañana")
    example = "Write the date and time like this: 2026-12-01 18:00 (your own time)."
    assert [r.text for r in replies] == [tr("es", example)]  # she is asked again
    await chat.say("2026-03-21 10:00")
    starts = await harness.db.fetchval("SELECT starts_at FROM meetings WHERE id = 1")
    assert starts == "2026-03-21T15:00:00+00:00"
    assert await in_flow(harness, ORGANISER) is None


async def test_a_revoked_organiser_cannot_finish_her_flow(harness: Harness) -> None:
    await make_organiser(harness)
    chat = harness.chat(ORGANISER)
    await chat.say("/announce")
    services = harness.app.bot_data.services
    assert services is not None
    await services.roles.revoke(ORGANISER, "organiser")
    replies = await chat.say("Asamblea el sábado")
    assert replies[-1].text == tr("es", "Sorry, this command is only for union organisers.")
    assert await harness.db.fetchval("SELECT COUNT(*) FROM broadcasts") == 0


async def test_an_episode_whose_language_is_changed_mid_flow(
    harness: Harness, tmp_path: Path
) -> None:
    await make_organiser(harness)
    chat = harness.chat(ORGANISER)
    await chat.say("/episode")
    await chat.press(callbacks.encode("epl", "es"))
    await chat.press(callbacks.encode("epl", "en"))  # she changes her mind
    await chat.say("March assembly")
    replies = await chat.say("here it comes")
    not_recording = "That is not a recording. Send a voice note or an audio file."
    assert [r.text for r in replies] == [tr("es", not_recording)]
    recording = tone(tmp_path / "rec.wav", 3, volume_db=-12).read_bytes()
    replies = await chat.send_update(
        harness.api.media_update(ORGANISER, "audio", recording, "es", file_name="rec.wav")
    )
    assert replies[-1].text == tr(
        "es", "✅ Episode added: {title}. It is now in 🎧 Listen."
    ).format(title="March assembly")
    row = await harness.db.fetchone("SELECT language, title FROM recorded_episodes")
    assert tuple(row) == ("en", "March assembly")
    assert await in_flow(harness, ORGANISER) is None


# ---- groups without typing ----------------------------------------------------------------
async def announce_to(harness: Harness, tags: str, schedule: str | None = None) -> None:
    chat = harness.chat(ORGANISER)
    await chat.say("/announce")
    await chat.say("Aviso")
    await chat.press(org("audience", "announce"))
    await chat.say(tags)
    await chat.press(org("preview", "announce"))
    if schedule is None:
        await chat.press(org("now", "announce"))
    else:
        await chat.press(org("later", "announce"))
        await chat.say(schedule)


async def group_buttons(harness: Harness, user_id: int) -> list[tuple[str, str | None]]:
    replies = await harness.say("📣 " + tr("es", "Meetings & news"), user_id=user_id)
    return [(label, data) for label, data in replies[-1].buttons if "#" in label]


def join(tag: str) -> tuple[str, str]:
    return f"➕ #{tag}", callbacks.encode("tag", tag_key(tag), 1)


def leave_group(tag: str) -> tuple[str, str]:
    return f"✖️ #{tag}", callbacks.encode("tag", tag_key(tag))


async def test_groups_organisers_use_are_offered_and_joined_by_tapping(harness: Harness) -> None:
    await make_organiser(harness)
    await announce_to(harness, "#Lima #Bogotá")  # broadcast 1
    chat = harness.chat(ORGANISER)
    await chat.say("/meeting")  # meeting 1, broadcast 2: cancelled below
    await chat.say("Asamblea")
    await chat.say("2026-03-20 18:00")
    await chat.say("Av. Grau 123")
    await chat.press(org("audience", "meeting"))
    await chat.say("#arequipa")
    await chat.press(org("preview", "meeting"))
    await chat.press(org("now", "meeting"))
    await chat.press(org("cancel_m", 1))
    await announce_to(harness, "#puno", schedule="2026-03-20 10:00")  # broadcast 3: cancelled
    await chat.press(org("cancel_b", 3))
    await announce_to(harness, "#cusco")  # broadcast 4, the most recent
    await worker(harness, 760, "es", "PE")
    await harness.say("#lima", user_id=760)  # typing still works
    await harness.say("#barrio", user_id=760)  # a group no organiser used (yet)
    assert await group_buttons(harness, 760) == [
        join("cusco"),
        join("bogotá"),
        leave_group("lima"),
        leave_group("barrio"),
    ]
    worker_chat = harness.chat(760)
    for _twice in range(2):  # a repeated press changes nothing
        replies = await worker_chat.press(join("bogotá")[1])
        assert replies[-1].text.startswith(tr("es", "📣 <b>Meetings & news</b>"))
        tags = await harness.db.fetchall("SELECT tag FROM user_tags WHERE user_id = 760")
        assert sorted(r[0] for r in tags) == ["barrio", "bogotá", "lima"]
    for _twice in range(2):
        await worker_chat.press(leave_group("lima")[1])
        tags = await harness.db.fetchall("SELECT tag FROM user_tags WHERE user_id = 760")
        assert sorted(r[0] for r in tags) == ["barrio", "bogotá"]
    assert await group_buttons(harness, 760) == [
        join("cusco"),
        leave_group("bogotá"),
        join("lima"),
        leave_group("barrio"),
    ]
    # A worker in the group gets what organisers send to it.
    await announce_to(harness, "#bogotá")
    await harness.deliver()
    assert harness.api.sent_to(760)[-1].text == "Aviso"


async def test_at_most_ten_groups_are_offered_most_recent_first(harness: Harness) -> None:
    await make_organiser(harness)
    services = harness.app.bot_data.services
    assert services is not None
    for n in range(1, 13):
        await services.broadcasts.create(
            ORGANISER, Audience("news", tags=(f"g{n}",)), {"es": "x"}, "es"
        )  # drafts are not offered: the organiser has not sent them
        broadcast = await services.broadcasts.create(
            ORGANISER,
            Audience("news", tags=(f"g{n}",)),
            {"es": "x"},
            "es",
            send_at=harness.clock.now().replace(year=2027),
        )
        assert broadcast == 2 * n
    await services.broadcasts.create(
        ORGANISER,
        Audience("news", tags=("g.13", "x" * 33)),  # not tags a worker could type: not offered
        {"es": "x"},
        "es",
        send_at=harness.clock.now().replace(year=2027),
    )
    await harness.onboard(user_id=761)
    assert await group_buttons(harness, 761) == [join(f"g{n}") for n in range(12, 2, -1)]


async def test_a_forged_join_button_is_refused(harness: Harness) -> None:
    await harness.onboard(user_id=762)
    replies = await harness.chat(762).press(callbacks.encode("tag", "0123456789ab", 1))
    assert replies[-1].text == tr("es", STALE)
    replies = await harness.chat(762).press(callbacks.encode("tag", tag_key("lima"), 2))
    assert replies[-1].text == tr("es", STALE)
    assert await harness.db.fetchval("SELECT COUNT(*) FROM user_tags") == 0
