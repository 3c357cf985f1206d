"""Organiser commands: invites and roles, announcements, meeting notices, delivery reports.

Every command here checks the role first; a worker gets a polite refusal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot import callbacks, i18n
from bot.context import BotContext, Services
from bot.domain.countries import COUNTRIES, OTHER, country
from bot.domain.errors import UserFacingError
from bot.domain.text import MAX_INPUT_CHARS, group_tag
from bot.domain.users import Role, User
from bot.handlers.common import (
    Button,
    answer_callback,
    current_user,
    escape,
    first_press,
    inline,
    send,
)
from bot.i18n import N_, _
from bot.services.organisers import Audience, meeting_time_text, stop_button
from bot.storage.organisers import Broadcast, Meeting, Recipient

ANNOUNCE, MEETING = "announce", "meeting"
ORGANISING = (Role.ORGANISER,)


async def _organiser(update: Update, context: BotContext) -> User:
    user = await current_user(update, context)
    await context.services.roles.require(user.user_id, *ORGANISING)
    return user


# ---- roles ---------------------------------------------------------------------------------
async def invite_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    role = (context.args or [""])[0].lower()
    code = await context.services.roles.invite(user.user_id, role)
    await send(
        update,
        context,
        _(
            "Invite code for the role {role}: <code>{code}</code>\nIt works once, for 48 hours. "
            "The new person sends: /join {code}"
        ).format(role=escape(role), code=code),
    )


async def join_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    if not context.args:
        raise UserFacingError(N_("Write the code after the command, for example: /join ABCD2345EF"))
    role = await context.services.roles.join(user.user_id, context.args[0])
    await send(
        update,
        context,
        _("Welcome! You now have the role {role}. Send /help to see your commands.").format(
            role=escape(role)
        ),
    )


# ---- composing an announcement -------------------------------------------------------------
async def announce_command(update: Update, context: BotContext) -> None:
    user = await _organiser(update, context)
    await context.services.conversations.set(user.user_id, ANNOUNCE, {"step": "text", "texts": {}})
    await send(
        update,
        context,
        _(
            "📣 Write the announcement in your language. You can also send a photo, a voice note "
            "or a document with the text as its caption."
        ),
    )


def _language_buttons(data: dict[str, Any], flow: str) -> list[list[Button]]:
    missing = [code for code in i18n.AVAILABLE_LOCALES if code not in data["texts"]]
    rows = [
        [(f"➕ {i18n.NATIVE_NAMES[c]}", callbacks.encode("org", "lang", flow, c))] for c in missing
    ]
    rows.append([(_("Continue ➡️"), callbacks.encode("org", "audience", flow))])
    return rows


async def compose_step(update: Update, context: BotContext, text: str) -> bool:
    """Text router step for organisers writing an announcement or a meeting notice."""
    user = context.worker
    if user is None:
        return False
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] not in (ANNOUNCE, MEETING):
        return False
    await context.services.roles.require(user.user_id, *ORGANISING)
    flow, data = state
    if len(text) > MAX_INPUT_CHARS - 500:
        raise UserFacingError(N_("That is too long for one message. Please make it shorter."))
    step = data["step"]
    if flow == MEETING and step in ("title", "when", "place"):
        await _meeting_details(update, context, user, data, text)
        return True
    if step in ("text", "translation"):
        locale = data.get("adding", user.locale)
        if flow == MEETING:
            title, _sep, agenda = text.partition("\n")
            data["texts"][locale] = {"title": title.strip(), "agenda": agenda.strip()}
        else:
            data["texts"][locale] = text
        data.pop("adding", None)
        data["fallback"] = data.get("fallback", user.locale)
        data["step"] = "languages"
        await context.services.conversations.set(user.user_id, flow, data)
        await send(
            update,
            context,
            _(
                "Saved. Add a version in another language, or continue. "
                "Workers whose language is missing get the {language} "
                "version."
            ).format(language=i18n.NATIVE_NAMES[data["fallback"]]),
            inline(_language_buttons(data, flow)),
        )
        return True
    if step == "audience":
        data["tags"] = sorted(
            {group_tag(t) for t in text.replace(",", " ").split() if group_tag(t)}
        )[:10]
        await context.services.conversations.set(user.user_id, flow, data)
        await _show_audience(update, context, user, flow, data)
        return True
    if step == "schedule":
        when = _parse_local_time(text, user)
        broadcast_id = int(data["broadcast"])
        await context.services.broadcasts.schedule(broadcast_id, when)
        await context.services.conversations.clear(user.user_id)
        await send(
            update,
            context,
            _("🕒 Scheduled for {time}. /broadcasts shows it and can cancel it.").format(
                time=i18n.fmt_datetime(when.astimezone(_user_tz(user)))
            ),
        )
        return True
    return False


async def media_step(update: Update, context: BotContext) -> bool:
    """A photo, voice note or document sent while writing an announcement."""
    user = context.worker
    message = update.effective_message
    if user is None or message is None:
        return False
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] != ANNOUNCE or state[1]["step"] != "text":
        return False
    await context.services.roles.require(user.user_id, *ORGANISING)
    media = None
    if message.photo:
        media = {"kind": "photo", "file_id": message.photo[-1].file_id}
    elif message.voice:
        media = {"kind": "voice", "file_id": message.voice.file_id}
    elif message.document:
        media = {"kind": "document", "file_id": message.document.file_id}
    if media is None:
        return False
    data = state[1] | {"media": media}
    await context.services.conversations.set(user.user_id, ANNOUNCE, data)
    await compose_step(update, context, message.caption or "")
    return True


def _audience_from(data: dict[str, Any], category: str) -> Audience:
    return Audience(
        category,
        tuple(data.get("countries", [])),
        tuple(data.get("languages", [])),
        tuple(data.get("tags", [])),
    )


async def _show_audience(
    update: Update, context: BotContext, user: User, flow: str, data: dict[str, Any]
) -> None:
    category = "meetings" if flow == MEETING else "news"
    count = len(await context.services.broadcasts.recipients(_audience_from(data, category)))
    chosen = set(data.get("countries", [])) | set(data.get("languages", []))
    rows: list[list[Button]] = []
    row: list[Button] = []
    for item in COUNTRIES:
        if item.code == OTHER:
            continue
        mark = "✅" if item.code in chosen else "⬜"
        row.append((f"{mark} {item.flag}", callbacks.encode("org", "c", flow, item.code)))
    rows.append(row)
    rows.append(
        [
            (("✅ " if c in chosen else "⬜ ") + c, callbacks.encode("org", "l", flow, c))
            for c in i18n.AVAILABLE_LOCALES
        ]
    )
    rows.append([(_("👀 Preview"), callbacks.encode("org", "preview", flow))])
    tags = ", ".join(data.get("tags", [])) or _("none")
    await send(
        update,
        context,
        _(
            "👥 <b>Who gets it?</b> Tap countries and languages (none ticked = all). To target "
            "groups, write tags such as #lima #branch2.\nTags: {tags}\nRecipients now: {count}"
        ).format(tags=escape(tags), count=count),
        inline(rows),
    )


def _user_tz(user: User) -> ZoneInfo:
    return ZoneInfo(user.timezone or country(user.country).timezone)


def _parse_local_time(text: str, user: User) -> dt.datetime:
    """'2026-12-01 18:00' in the organiser's own timezone -> an aware UTC datetime."""
    try:
        local = dt.datetime.strptime(" ".join(text.split()), "%Y-%m-%d %H:%M")
    except ValueError:
        raise UserFacingError(
            N_("Write the date and time like this: 2026-12-01 18:00 (your own time).")
        ) from None
    return local.replace(tzinfo=_user_tz(user)).astimezone(dt.UTC)


# ---- meetings ------------------------------------------------------------------------------
async def meeting_command(update: Update, context: BotContext) -> None:
    user = await _organiser(update, context)
    await context.services.conversations.set(user.user_id, MEETING, {"step": "title", "texts": {}})
    await send(
        update,
        context,
        _("📅 New meeting. Write its title on the first line and the agenda below it."),
    )


async def _meeting_details(
    update: Update, context: BotContext, user: User, data: dict[str, Any], text: str
) -> None:
    conversations = context.services.conversations
    if data["step"] == "title":
        title, _sep, agenda = text.partition("\n")
        data["texts"] = {user.locale: {"title": title.strip()[:120], "agenda": agenda.strip()}}
        data["step"] = "when"
        await conversations.set(user.user_id, MEETING, data)
        await send(
            update,
            context,
            _("When is it? Write the date and time like this: 2026-12-01 18:00 (your own time)."),
        )
    elif data["step"] == "when":
        data["when"] = _parse_local_time(text, user).isoformat()
        data["step"] = "place"
        await conversations.set(user.user_id, MEETING, data)
        await send(
            update,
            context,
            _("Where is it? Write the address. You can also share a location on the map after it."),
        )
    else:
        data["place"] = text.strip()[:200]
        data["step"] = "languages"
        data["fallback"] = user.locale
        await conversations.set(user.user_id, MEETING, data)
        await send(
            update,
            context,
            _(
                "Add a version in another language (title on the first "
                "line, agenda below), or continue."
            ),
            inline(_language_buttons(data, MEETING)),
        )


def render_meeting_notice(meeting: Meeting, recipient: Recipient, fallback: str) -> str:
    texts = (
        meeting.texts.get(recipient.locale)
        or meeting.texts.get(fallback)
        or next(iter(meeting.texts.values()))
    )
    with i18n.using(recipient.locale):
        lines = [
            f"📅 <b>{escape(texts.get('title', ''))}</b>",
            _("🕒 {time}").format(time=meeting_time_text(meeting, recipient)),
            _("📍 {place}").format(place=escape(meeting.place)),
        ]
        if texts.get("agenda"):
            lines += ["", escape(texts["agenda"])]
        lines += ["", _("Will you come?")]
    return "\n".join(lines)


def rsvp_markup(meeting_id: int, locale: str) -> dict[str, object]:
    with i18n.using(locale):
        return {
            "inline_keyboard": [
                [
                    {
                        "text": _("✅ Going"),
                        "callback_data": callbacks.encode("rsvp", meeting_id, "going"),
                    },
                    {
                        "text": _("🤔 Maybe"),
                        "callback_data": callbacks.encode("rsvp", meeting_id, "maybe"),
                    },
                    {
                        "text": _("❌ Can't"),
                        "callback_data": callbacks.encode("rsvp", meeting_id, "no"),
                    },
                ],
                [
                    {
                        "text": _("🔕 Stop these messages"),
                        "callback_data": callbacks.encode("stop", "meetings"),
                    }
                ],
            ]
        }


def render_reminder(meeting: Meeting, recipient: Recipient, lead: dt.timedelta) -> str:
    texts = meeting.texts.get(recipient.locale) or next(iter(meeting.texts.values()))
    with i18n.using(recipient.locale):
        hours = int(lead.total_seconds() // 3600)
        return "\n".join(
            [
                i18n.ngettext(
                    "⏰ Reminder: the meeting is in {n} hour.",
                    "⏰ Reminder: the meeting is in {n} hours.",
                    hours,
                ).format(n=hours),
                f"<b>{escape(texts.get('title', ''))}</b>",
                _("🕒 {time}").format(time=meeting_time_text(meeting, recipient)),
                _("📍 {place}").format(place=escape(meeting.place)),
            ]
        )


def render_change(meeting: Meeting, recipient: Recipient) -> str:
    texts = meeting.texts.get(recipient.locale) or next(iter(meeting.texts.values()))
    with i18n.using(recipient.locale):
        if meeting.status == "cancelled":
            return _("❌ The meeting “{title}” is cancelled.").format(
                title=escape(texts.get("title", ""))
            )
        return _("🔄 The meeting “{title}” has a new time: {time}.").format(
            title=escape(texts.get("title", "")), time=meeting_time_text(meeting, recipient)
        )


def _render(meetings: dict[int, Meeting]) -> Any:
    """How each recipient's copy of a broadcast looks: her language, her timezone."""

    def render(broadcast: Broadcast, recipient: Recipient) -> tuple[str, dict[str, object]]:
        if broadcast.meeting_id is not None:
            meeting = meetings[broadcast.meeting_id]
            return "sendMessage", {
                "chat_id": recipient.user_id,
                "parse_mode": "HTML",
                "text": render_meeting_notice(meeting, recipient, broadcast.fallback_locale),
                "reply_markup": rsvp_markup(meeting.id, recipient.locale),
            }
        text = broadcast.texts.get(recipient.locale) or broadcast.texts[broadcast.fallback_locale]
        with i18n.using(recipient.locale):
            markup = stop_button(broadcast.category)
        media = broadcast.media
        if media:
            method = {"photo": "sendPhoto", "voice": "sendVoice"}.get(media["kind"], "sendDocument")
            return method, {
                "chat_id": recipient.user_id,
                media["kind"]: media["file_id"],
                "caption": text[:1024],
                "reply_markup": markup,
            }
        return "sendMessage", {"chat_id": recipient.user_id, "text": text, "reply_markup": markup}

    return render


async def send_broadcast(services: Services, broadcast_id: int) -> int:
    """Queue a broadcast now (the scheduler calls this for scheduled ones too)."""
    broadcast = await services.organisers.broadcast(broadcast_id)
    meetings: dict[int, Meeting] = {}
    if broadcast is not None and broadcast.meeting_id is not None:
        meetings[broadcast.meeting_id] = await services.meetings.get(broadcast.meeting_id)
    return await services.broadcasts.send(broadcast_id, _render(meetings))


# ---- buttons ------------------------------------------------------------------------------
async def on_button(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await _organiser(update, context)
    await answer_callback(update)
    action = data.arg(0)
    conversations = context.services.conversations
    if action in ("cancel_b", "cancel_m", "counts", "move"):
        await _manage(update, context, user, action, data)
        return
    flow = data.arg(1)
    state = await conversations.get(user.user_id)
    if flow not in (ANNOUNCE, MEETING) or state is None or state[0] != flow:
        raise callbacks.InvalidCallback("no announcement being written")
    flow_data = state[1]
    if action == "lang":
        locale = data.arg(2)
        if locale not in i18n.AVAILABLE_LOCALES:
            raise callbacks.InvalidCallback("unknown language")
        flow_data.update(step="translation", adding=locale)
        await conversations.set(user.user_id, flow, flow_data)
        await send(
            update,
            context,
            _("Write the {language} version now.").format(language=i18n.NATIVE_NAMES[locale]),
        )
    elif action == "audience":
        flow_data["step"] = "audience"
        await conversations.set(user.user_id, flow, flow_data)
        await _show_audience(update, context, user, flow, flow_data)
    elif action in ("c", "l"):
        key, value = ("countries", data.arg(2)) if action == "c" else ("languages", data.arg(2))
        valid = {c.code for c in COUNTRIES} if action == "c" else set(i18n.AVAILABLE_LOCALES)
        if value not in valid:
            raise callbacks.InvalidCallback("bad audience value")
        chosen = set(flow_data.get(key, []))
        chosen ^= {value}
        flow_data[key] = sorted(chosen)
        await conversations.set(user.user_id, flow, flow_data)
        await _show_audience(update, context, user, flow, flow_data)
    elif action == "preview":
        await _preview(update, context, user, flow, flow_data)
    elif action in ("now", "later"):
        # M1: a double tap on "Send now" must not create a second broadcast.
        press = await first_press(update, context, user.user_id)
        if press is None:
            return
        try:
            await _confirm(update, context, user, flow, flow_data, action)
        except BaseException:
            await context.services.once.release(user.user_id, press)
            raise
    else:
        raise callbacks.InvalidCallback(f"unknown organiser action {action!r}")


async def _preview(
    update: Update, context: BotContext, user: User, flow: str, data: dict[str, Any]
) -> None:
    category = "meetings" if flow == MEETING else "news"
    recipients = await context.services.broadcasts.recipients(_audience_from(data, category))
    fallback = data.get("fallback", user.locale)
    if flow == MEETING:
        texts = data["texts"].get(fallback) or next(iter(data["texts"].values()))
        body = f"📅 <b>{escape(texts['title'])}</b>\n📍 {escape(data['place'])}\n\n" + escape(
            texts.get("agenda", "")
        )
    else:
        body = escape(data["texts"].get(fallback, ""))
    languages = ", ".join(i18n.NATIVE_NAMES[c] for c in data["texts"])
    await send(
        update,
        context,
        _("👀 <b>Preview</b> ({languages})").format(languages=languages)
        + "\n\n"
        + body
        + "\n\n"
        + i18n.ngettext(
            "It will reach {n} worker.", "It will reach {n} workers.", len(recipients)
        ).format(n=len(recipients)),
        inline(
            [
                [(_("📤 Send now"), callbacks.encode("org", "now", flow))],
                [(_("🕒 Schedule"), callbacks.encode("org", "later", flow))],
            ]
            if flow == ANNOUNCE
            else [[(_("📤 Send now"), callbacks.encode("org", "now", flow))]]
        ),
    )


async def _confirm(
    update: Update, context: BotContext, user: User, flow: str, data: dict[str, Any], action: str
) -> None:
    services = context.services
    category = "meetings" if flow == MEETING else "news"
    meeting_id = None
    if flow == MEETING:
        when = dt.datetime.fromisoformat(data["when"]).astimezone(_user_tz(user))
        meeting_id = await services.meetings.create(
            user, when.replace(tzinfo=None), data["place"], data.get("location"), data["texts"]
        )
        texts = {k: v["title"] for k, v in data["texts"].items()}
    else:
        texts = data["texts"]
    broadcast_id = await services.broadcasts.create(
        user.user_id,
        _audience_from(data, category),
        texts,
        data.get("fallback", user.locale),
        data.get("media"),
        meeting_id,
    )
    if action == "later":
        data.update(step="schedule", broadcast=broadcast_id)
        await services.conversations.set(user.user_id, flow, data)
        await send(
            update,
            context,
            _(
                "When should it go? Write the date and time like this: "
                "2026-12-01 18:00 (your own time)."
            ),
        )
        return
    await services.conversations.clear(user.user_id)
    if meeting_id is not None:
        await _send_ics(update, context, meeting_id, user.locale)
    count = await send_broadcast(services, broadcast_id)
    await send(
        update,
        context,
        i18n.ngettext(
            "📤 Queued for {n} worker. You will get a delivery report.",
            "📤 Queued for {n} workers. You will get a delivery report.",
            count,
        ).format(n=count),
    )


async def _send_ics(update: Update, context: BotContext, meeting_id: int, locale: str) -> None:
    """The .ics goes to the organiser first; its file_id is reused for every worker."""
    from telegram import InputFile

    meeting = await context.services.meetings.get(meeting_id)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(context.services.meetings.ics(meeting, locale), filename="meeting.ics"),
        caption=_("📅 Calendar file for this meeting."),
    )


async def location_step(update: Update, context: BotContext) -> None:
    """A map location shared right after a meeting's address."""
    user = context.worker
    message = update.effective_message
    state = await context.services.conversations.get(user.user_id) if user else None
    if (
        user is None
        or message is None
        or message.location is None
        or state is None
        or (state[0] != MEETING or "place" not in state[1])
    ):
        await send(
            update,
            context,
            _("I can only read text messages and buttons here. Please write, or tap a button."),
        )
        return
    await context.services.roles.require(user.user_id, *ORGANISING)
    data = state[1] | {"location": [message.location.latitude, message.location.longitude]}
    await context.services.conversations.set(user.user_id, MEETING, data)
    await send(update, context, _("📍 Location saved."), inline(_language_buttons(data, MEETING)))


# ---- lists and management -----------------------------------------------------------------
async def broadcasts_command(update: Update, context: BotContext) -> None:
    user = await _organiser(update, context)
    store = context.services.organisers
    items = await store.broadcasts_by(user.user_id, ("scheduled", "queued", "done"))
    if not items:
        await send(
            update, context, _("You have no announcements yet. Send /announce to write one.")
        )
        return
    for broadcast in items:
        counts = await context.services.outbox.batch_counts(broadcast.id)
        text = _(
            "#{id} · {status} · sent {sent}, waiting {pending}, failed {failed}, blocked {blocked}"
        ).format(
            id=broadcast.id,
            status=_(STATUS.get(broadcast.status, broadcast.status)),
            sent=counts.get("sent", 0),
            pending=counts.get("pending", 0),
            failed=counts.get("failed", 0),
            blocked=counts.get("blocked", 0),
        )
        buttons = (
            [[(_("✖️ Cancel"), callbacks.encode("org", "cancel_b", broadcast.id))]]
            if broadcast.status in ("scheduled", "queued")
            else []
        )
        await send(update, context, text, inline(buttons) if buttons else None)


STATUS = {
    "scheduled": N_("scheduled"),
    "queued": N_("sending"),
    "done": N_("sent"),
    "cancelled": N_("cancelled"),
    "draft": N_("draft"),
}


async def meetings_command(update: Update, context: BotContext) -> None:
    user = await _organiser(update, context)
    meetings = await context.services.organisers.meetings_by(user.user_id)
    if not meetings:
        await send(update, context, _("You have no meetings yet. Send /meeting to plan one."))
        return
    me = Recipient(user.user_id, user.locale, user.timezone, user.country)
    for meeting in meetings:
        counts = await context.services.organisers.rsvp_counts(meeting.id)
        title = (meeting.texts.get(user.locale) or next(iter(meeting.texts.values())))["title"]
        text = "\n".join(
            [
                f"📅 <b>{escape(title)}</b> · {meeting_time_text(meeting, me)}",
                _("✅ {going} going · 🤔 {maybe} maybe · ❌ {no} can't").format(
                    going=counts.get("going", 0),
                    maybe=counts.get("maybe", 0),
                    no=counts.get("no", 0),
                ),
            ]
            + ([_("❌ Cancelled")] if meeting.status == "cancelled" else [])
        )
        buttons = (
            []
            if meeting.status == "cancelled"
            else [
                [
                    (_("🔄 Change time"), callbacks.encode("org", "move", meeting.id)),
                    (_("✖️ Cancel meeting"), callbacks.encode("org", "cancel_m", meeting.id)),
                ]
            ]
        )
        await send(update, context, text, inline(buttons) if buttons else None)


async def _manage(
    update: Update, context: BotContext, user: User, action: str, data: callbacks.Callback
) -> None:
    services = context.services
    target = data.int_arg(1)
    admin = Role.ADMIN in await services.users.roles(user.user_id)
    if action == "cancel_b":
        await services.broadcasts.cancel(user.user_id, target, admin)
        await send(update, context, _("✖️ Cancelled. Messages not yet sent will not go out."))
    elif action == "cancel_m":
        count = await services.meetings.cancel(user.user_id, target, render_change, admin)
        await send(
            update,
            context,
            i18n.ngettext(
                "✖️ Meeting cancelled. {n} person who answered will be told.",
                "✖️ Meeting cancelled. {n} people who answered will be told.",
                count,
            ).format(n=count),
        )
    elif action == "move":
        meeting = await services.meetings.get(target)  # checked again when it is saved
        await services.meetings.require_owner(user.user_id, meeting, admin, "meeting_move_refused")
        await services.conversations.set(user.user_id, "move", {"meeting": target})
        await send(
            update,
            context,
            _("Write the new date and time like this: 2026-12-01 18:00 (your own time)."),
        )


async def move_step(update: Update, context: BotContext, text: str) -> bool:
    user = context.worker
    if user is None:
        return False
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] != "move":
        return False
    await context.services.roles.require(user.user_id, *ORGANISING)
    when = _parse_local_time(text, user)
    meeting = await context.services.meetings.get(int(state[1]["meeting"]))
    count = await context.services.meetings.reschedule(
        user.user_id,
        meeting.id,
        when.astimezone(ZoneInfo(meeting.timezone)).replace(tzinfo=None),
        render_change,
        render_reminder,
        Role.ADMIN in await context.services.users.roles(user.user_id),
    )
    await context.services.conversations.clear(user.user_id)
    await send(
        update,
        context,
        i18n.ngettext(
            "🔄 New time saved. {n} person who answered will be told.",
            "🔄 New time saved. {n} people who answered will be told.",
            count,
        ).format(n=count),
    )
    return True
