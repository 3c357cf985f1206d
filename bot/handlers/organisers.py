"""Organiser commands: invites and roles, announcements, meeting notices, delivery reports.

Every command, step and button here checks the role first; a worker gets a polite refusal.
Writing an announcement (ANNOUNCE), a meeting notice (MEETING) and a meeting's new time (MOVE)
are declared flows (`FLOWS` at the end): nothing is stored before their last step.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec
from zoneinfo import ZoneInfo

from telegram import Update

from bot import callbacks, i18n
from bot.context import BotContext, Services
from bot.domain.countries import COUNTRIES, OTHER, country
from bot.domain.errors import UserFacingError
from bot.domain.flows import Flow
from bot.domain.text import MAX_INPUT_CHARS, group_tag, safe_file_name
from bot.domain.users import Role, User
from bot.handlers import flows
from bot.handlers.common import (
    Button,
    answer_callback,
    current_user,
    escape,
    first_press,
    inline,
    send,
)
from bot.handlers.flows import FlowSpec, buttons
from bot.i18n import N_, _
from bot.services.delivery import FILE_REFERENCE
from bot.services.organisers import Audience, meeting_time_text, stop_button
from bot.storage.organisers import Broadcast, Meeting, Recipient

ANNOUNCE, MEETING, MOVE = "announce", "meeting", "move"
ORGANISING = (Role.ORGANISER,)
# The steps after a notice's first text, where its language and audience buttons work.
WRITTEN = ("languages", "translation", "audience")
ONLY_TEXT = N_("I can only read text messages and buttons here. Please write, or tap a button.")

P = ParamSpec("P")
Step = Callable[Concatenate[Update, BotContext, User, P], Awaitable[None]]


def organising(step: Step[P]) -> Step[P]:
    """A flow step that checks her role again first (a role can be revoked mid-flow)."""

    @functools.wraps(step)
    async def checked(
        update: Update, context: BotContext, user: User, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        await context.services.roles.require(user.user_id, *ORGANISING)
        await step(update, context, user, *args, **kwargs)

    return checked


async def _organiser(update: Update, context: BotContext) -> User:
    user = await current_user(update, context)
    await context.services.roles.require(user.user_id, *ORGANISING)
    return user


async def _is_admin(context: BotContext, user: User) -> bool:
    return Role.ADMIN in await context.services.users.roles(user.user_id)


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


# ---- writing an announcement or a meeting notice -------------------------------------------
async def announce_command(update: Update, context: BotContext) -> None:
    await _organiser(update, context)
    await flows.save(context, ANNOUNCE, {"step": "text", "texts": {}})
    await send(
        update,
        context,
        _(
            "📣 Write the announcement in your language. You can also send a photo, a voice note "
            "or a document with the text as its caption."
        ),
    )


async def meeting_command(update: Update, context: BotContext) -> None:
    await _organiser(update, context)
    await flows.save(context, MEETING, {"step": "title", "texts": {}})
    await send(
        update,
        context,
        _("📅 New meeting. Write its title on the first line and the agenda below it."),
    )


def _check_length(text: str) -> None:
    if len(text) > MAX_INPUT_CHARS - 500:
        raise UserFacingError(N_("That is too long for one message. Please make it shorter."))


def _meeting_text(text: str) -> dict[str, str]:
    """A meeting notice as she writes it: the title on the first line, the agenda below."""
    title, _sep, agenda = text.partition("\n")
    return {"title": title.strip()[:120], "agenda": agenda.strip()}


def _language_buttons(flow: Flow) -> list[list[Button]]:
    missing = [code for code in i18n.AVAILABLE_LOCALES if code not in flow.data["texts"]]
    rows = [
        [(f"➕ {i18n.NATIVE_NAMES[c]}", callbacks.encode("org", "lang", flow.name, c))]
        for c in missing
    ]
    rows.append([(_("Continue ➡️"), callbacks.encode("org", "audience", flow.name))])
    return rows


@organising
async def write_version(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    """The notice in her language first, then each translation she chose to add."""
    _check_length(text)
    locale = flow.data.get("adding", user.locale)
    version = _meeting_text(text) if flow.name == MEETING else text
    data = {key: value for key, value in flow.data.items() if key != "adding"}
    data |= {
        "step": "languages",
        "texts": {**flow.data["texts"], locale: version},
        "fallback": flow.data.get("fallback", user.locale),
    }
    flow = await flows.save(context, flow.name, data)
    await send(
        update,
        context,
        _(
            "Saved. Add a version in another language, or continue. "
            "Workers whose language is missing get the {language} "
            "version."
        ).format(language=i18n.NATIVE_NAMES[data["fallback"]]),
        inline(_language_buttons(flow)),
    )


def _attachment(update: Update) -> dict[str, str] | None:
    message = update.effective_message
    if message is None:
        return None
    if message.photo:
        return {"kind": "photo", "file_id": message.photo[-1].file_id}
    if message.voice:
        return {"kind": "voice", "file_id": message.voice.file_id}
    if message.document:
        return {
            "kind": "document",
            "file_id": message.document.file_id,
            "name": safe_file_name(message.document.file_name or "document"),
        }
    return None


MEDIA_NAMES = {"photo": "photo.jpg", "voice": "voice.ogg", "document": "document"}
MAX_MEDIA_BYTES = 20 * 1024 * 1024


async def _keep_media(context: BotContext, media: dict[str, str]) -> Path:
    """The announcement's file, kept on disk: the organiser's file id is her channel's, and
    each worker's channel sends the file by its own (uploaded once per channel)."""
    channel_file = await context.bot.get_file(media["file_id"])
    if (channel_file.file_size or 0) > MAX_MEDIA_BYTES:
        raise UserFacingError(N_("That file is too big (more than 20 MB)."))
    name = media.get("name") or MEDIA_NAMES[media["kind"]]
    folder = context.services.settings.data_dir / "broadcast_media" / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    await channel_file.download_to_drive(target)
    return target


@organising
async def attach_media(update: Update, context: BotContext, user: User, flow: Flow) -> None:
    """A photo, voice note or document as the announcement, its caption as the text."""
    media = _attachment(update)
    if media is None:
        raise UserFacingError(ONLY_TEXT)
    media["path"] = str(await _keep_media(context, media))
    caption = update.effective_message.caption if update.effective_message else None
    with_media = Flow(flow.name, {**flow.data, "media": media}, flow.updated_at)
    await write_version(update, context, user, with_media, caption or "")


@organising
async def meeting_title(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    _check_length(text)
    data = {**flow.data, "step": "when", "texts": {user.locale: _meeting_text(text)}}
    await flows.save(context, MEETING, data)
    await send(
        update,
        context,
        _("When is it? Write the date and time like this: 2026-12-01 18:00 (your own time)."),
    )


@organising
async def meeting_time(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    _check_length(text)
    when = _parse_local_time(text, user)
    await flows.save(context, MEETING, {**flow.data, "step": "place", "when": when.isoformat()})
    await send(
        update,
        context,
        _("Where is it? Write the address. You can also share a location on the map after it."),
    )


@organising
async def meeting_place(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    _check_length(text)
    data = {**flow.data, "step": "languages", "place": text.strip()[:200], "fallback": user.locale}
    flow = await flows.save(context, MEETING, data)
    await send(
        update,
        context,
        _(
            "Add a version in another language (title on the first "
            "line, agenda below), or continue."
        ),
        inline(_language_buttons(flow)),
    )


@organising
async def meeting_location(update: Update, context: BotContext, user: User, flow: Flow) -> None:
    """A map location shared after the meeting's address."""
    message = update.effective_message
    if message is None or message.location is None:
        raise UserFacingError(ONLY_TEXT)
    location = [message.location.latitude, message.location.longitude]
    flow = await flows.save(context, MEETING, {**flow.data, "location": location})
    await send(update, context, _("📍 Location saved."), inline(_language_buttons(flow)))


@organising
async def audience_tags(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    """Tags such as '#lima #branch2' written on the audience screen."""
    _check_length(text)
    tags = sorted({group_tag(t) for t in text.replace(",", " ").split() if group_tag(t)})[:10]
    flow = await flows.save(context, flow.name, {**flow.data, "tags": tags})
    await _show_audience(update, context, flow)


@organising
async def schedule_time(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    """The time an announcement goes out: it is stored, scheduled, only now."""
    _check_length(text)
    when = _parse_local_time(text, user)
    # The same time typed twice at once must not schedule two broadcasts.
    once = f"schedule:{flow.data.get('attempt', '')}"
    if not await context.services.once.claim(user.user_id, once):
        await send(update, context, _("✅ Already saved."))
        return
    try:
        await _create_broadcast(context, user, flow, send_at=when)
    except BaseException:
        await context.services.once.release(user.user_id, once)
        raise
    await flows.end(context)
    await send(
        update,
        context,
        _("🕒 Scheduled for {time}. /broadcasts shows it and can cancel it.").format(
            time=i18n.fmt_datetime(when.astimezone(_user_tz(user)))
        ),
    )


def _audience_from(flow: Flow) -> Audience:
    return Audience(
        "meetings" if flow.name == MEETING else "news",
        tuple(flow.data.get("countries", [])),
        tuple(flow.data.get("languages", [])),
        tuple(flow.data.get("tags", [])),
    )


async def _show_audience(update: Update, context: BotContext, flow: Flow) -> None:
    count = len(await context.services.broadcasts.recipients(_audience_from(flow)))
    chosen = set(flow.data.get("countries", [])) | set(flow.data.get("languages", []))
    rows: list[list[Button]] = []
    row: list[Button] = []
    for item in COUNTRIES:
        if item.code == OTHER:
            continue
        mark = "✅" if item.code in chosen else "⬜"
        row.append((f"{mark} {item.flag}", callbacks.encode("org", "c", flow.name, item.code)))
    rows.append(row)
    rows.append(
        [
            (("✅ " if c in chosen else "⬜ ") + c, callbacks.encode("org", "l", flow.name, c))
            for c in i18n.AVAILABLE_LOCALES
        ]
    )
    rows.append([(_("👀 Preview"), callbacks.encode("org", "preview", flow.name))])
    tags = ", ".join(flow.data.get("tags", [])) or _("none")
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


# ---- what workers get ----------------------------------------------------------------------
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


def _render(meetings: dict[int, Meeting], ics: dict[str, str]) -> Any:
    """How each recipient's copy of a broadcast looks: her language, her timezone. A meeting
    notice is followed by its calendar file in her language (`ics`: a file reference per
    language, sent on each channel by that channel's own file id, uploaded once)."""

    def render(broadcast: Broadcast, recipient: Recipient) -> list[tuple[str, dict[str, object]]]:
        if broadcast.meeting_id is not None:
            meeting = meetings[broadcast.meeting_id]
            notice: tuple[str, dict[str, object]] = (
                "sendMessage",
                {
                    "chat_id": recipient.user_id,
                    "parse_mode": "HTML",
                    "text": render_meeting_notice(meeting, recipient, broadcast.fallback_locale),
                    "reply_markup": rsvp_markup(meeting.id, recipient.locale),
                },
            )
            calendar = ics.get(recipient.locale)
            if calendar is None:
                return [notice]
            with i18n.using(recipient.locale):
                caption = _("📅 To add the meeting to your phone's calendar, open this file.")
            return [
                notice,
                (
                    "sendDocument",
                    {"chat_id": recipient.user_id, "document": calendar, "caption": caption},
                ),
            ]
        text = broadcast.texts.get(recipient.locale) or broadcast.texts[broadcast.fallback_locale]
        with i18n.using(recipient.locale):
            markup = stop_button(broadcast.category)
        media = broadcast.media
        if media:
            method = {"photo": "sendPhoto", "voice": "sendVoice"}.get(media["kind"], "sendDocument")
            return [
                (
                    method,
                    {
                        "chat_id": recipient.user_id,
                        media["kind"]: FILE_REFERENCE + media["path"]
                        if media.get("path")
                        else media["file_id"],
                        "caption": text[:1024],
                        "reply_markup": markup,
                    },
                )
            ]
        payload = {"chat_id": recipient.user_id, "text": text, "reply_markup": markup}
        return [("sendMessage", payload)]

    return render


async def send_broadcast(services: Services, broadcast_id: int) -> int:
    """Queue a broadcast now (the scheduler calls this for scheduled ones too)."""
    broadcast = await services.broadcasts.get(broadcast_id)
    meetings: dict[int, Meeting] = {}
    ics: dict[str, str] = {}
    if broadcast.meeting_id is not None:
        meeting = await services.meetings.get(broadcast.meeting_id)
        meetings[meeting.id] = meeting
        ics = await services.meetings.ics_files(meeting, services.settings.data_dir / "meetings")
    return await services.broadcasts.send(broadcast_id, _render(meetings, ics))


# ---- the buttons of a notice being written -------------------------------------------------
def _composing(context: BotContext, data: callbacks.Callback, *names: str) -> Flow:
    """The notice (announcement or meeting, as the button says) she is writing now."""
    name = data.arg(1)
    if name not in (names or (ANNOUNCE, MEETING)):
        raise callbacks.InvalidCallback(f"not a notice flow: {name!r}")
    return flows.current(context, name, *WRITTEN)


async def add_language(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    flow = _composing(context, data)
    locale = data.arg(2)
    if locale not in i18n.AVAILABLE_LOCALES:
        raise callbacks.InvalidCallback("unknown language")
    await flows.save(context, flow.name, {**flow.data, "step": "translation", "adding": locale})
    await send(
        update,
        context,
        _("Write the {language} version now.").format(language=i18n.NATIVE_NAMES[locale]),
    )


async def choose_audience(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    flow = _composing(context, data)
    flow = await flows.save(context, flow.name, {**flow.data, "step": "audience"})
    await _show_audience(update, context, flow)


async def _toggle(
    update: Update, context: BotContext, data: callbacks.Callback, key: str, valid: set[str]
) -> None:
    flow = _composing(context, data)
    value = data.arg(2)
    if value not in valid:
        raise callbacks.InvalidCallback("bad audience value")
    chosen = sorted(set(flow.data.get(key, [])) ^ {value})
    flow = await flows.save(context, flow.name, {**flow.data, "step": "audience", key: chosen})
    await _show_audience(update, context, flow)


async def toggle_country(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    await _toggle(update, context, data, "countries", {c.code for c in COUNTRIES})


async def toggle_language(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    await _toggle(update, context, data, "languages", set(i18n.AVAILABLE_LOCALES))


async def preview(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    flow = _composing(context, data)
    recipients = await context.services.broadcasts.recipients(_audience_from(flow))
    texts = flow.data["texts"]
    fallback = flow.data.get("fallback", user.locale)
    if flow.name == MEETING:
        meeting = texts.get(fallback) or next(iter(texts.values()))
        title, place = escape(meeting["title"]), escape(flow.data["place"])
        body = f"📅 <b>{title}</b>\n📍 {place}\n\n" + escape(meeting.get("agenda", ""))
    else:
        body = escape(texts.get(fallback, ""))
    languages = ", ".join(i18n.NATIVE_NAMES[c] for c in texts)
    rows = [[(_("📤 Send now"), callbacks.encode("org", "now", flow.name))]]
    if flow.name == ANNOUNCE:
        rows.append([(_("🕒 Schedule"), callbacks.encode("org", "later", flow.name))])
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
        inline(rows),
    )


async def send_now(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    """The last step: the meeting and the broadcast are stored and queued, only now."""
    flow = _composing(context, data)
    # M1: a double tap on "Send now" must not create a second broadcast.
    press = await first_press(update, context, user.user_id)
    if press is None:
        return
    try:
        meeting_id = await _create_meeting(context, user, flow) if flow.name == MEETING else None
        broadcast_id = await _create_broadcast(context, user, flow, meeting_id)
    except BaseException:
        await context.services.once.release(user.user_id, press)
        raise
    await flows.end(context)
    if meeting_id:
        await _send_ics(update, context, meeting_id, user.locale)
    count = await send_broadcast(context.services, broadcast_id)
    await send(
        update,
        context,
        i18n.ngettext(
            "📤 Queued for {n} worker. You will get a delivery report.",
            "📤 Queued for {n} workers. You will get a delivery report.",
            count,
        ).format(n=count),
    )


async def ask_schedule(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    flow = _composing(context, data, ANNOUNCE)  # meetings go out at once
    attempt = secrets.token_hex(6)  # tells a second scheduling apart from the same one twice
    await flows.save(context, ANNOUNCE, {**flow.data, "step": "schedule", "attempt": attempt})
    await send(
        update,
        context,
        _(
            "When should it go? Write the date and time like this: "
            "2026-12-01 18:00 (your own time)."
        ),
    )


async def _create_meeting(context: BotContext, user: User, flow: Flow) -> int:
    when = dt.datetime.fromisoformat(flow.data["when"]).astimezone(_user_tz(user))
    location = flow.data.get("location")
    return await context.services.meetings.create(
        user,
        when.replace(tzinfo=None),
        flow.data["place"],
        (location[0], location[1]) if location else None,
        flow.data["texts"],
    )


async def _create_broadcast(
    context: BotContext,
    user: User,
    flow: Flow,
    meeting_id: int | None = None,
    send_at: dt.datetime | None = None,
) -> int:
    texts = flow.data["texts"]
    if flow.name == MEETING:
        texts = {locale: version["title"] for locale, version in texts.items()}
    return await context.services.broadcasts.create(
        user.user_id,
        _audience_from(flow),
        texts,
        flow.data.get("fallback", user.locale),
        flow.data.get("media"),
        meeting_id,
        send_at,
    )


async def _send_ics(update: Update, context: BotContext, meeting_id: int, locale: str) -> None:
    """The organiser's own copy of the calendar file."""
    from telegram import InputFile

    meeting = await context.services.meetings.get(meeting_id)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(context.services.meetings.ics(meeting, locale), filename="meeting.ics"),
        caption=_("📅 Calendar file for this meeting."),
    )


# ---- lists and management -----------------------------------------------------------------
async def broadcasts_command(update: Update, context: BotContext) -> None:
    user = await _organiser(update, context)
    items = await context.services.broadcasts.mine(user.user_id)
    if not items:
        await send(
            update, context, _("You have no announcements yet. Send /announce to write one.")
        )
        return
    for broadcast, counts in items:
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
        if counts.get("held"):
            text += "\n" + _("⏳ Waiting for them to write on WhatsApp: {n}").format(
                n=counts["held"]
            )
        if "wa_delivered" in counts:
            text += "\n" + _("WhatsApp: delivered {delivered}, read {read}").format(
                delivered=counts["wa_delivered"], read=counts["wa_read"]
            )
        rows = (
            [[(_("✖️ Cancel"), callbacks.encode("org", "cancel_b", broadcast.id))]]
            if broadcast.status in ("scheduled", "queued")
            else []
        )
        await send(update, context, text, inline(rows) if rows else None)


STATUS = {
    "scheduled": N_("scheduled"),
    "queued": N_("sending"),
    "done": N_("sent"),
    "cancelled": N_("cancelled"),
    "draft": N_("draft"),
}


async def meetings_command(update: Update, context: BotContext) -> None:
    user = await _organiser(update, context)
    meetings = await context.services.meetings.mine(user.user_id)
    if not meetings:
        await send(update, context, _("You have no meetings yet. Send /meeting to plan one."))
        return
    me = Recipient(user.user_id, user.locale, user.timezone, user.country)
    for meeting, counts in meetings:
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
        rows = (
            []
            if meeting.status == "cancelled"
            else [
                [
                    (_("🔄 Change time"), callbacks.encode("org", "move", meeting.id)),
                    (_("✖️ Cancel meeting"), callbacks.encode("org", "cancel_m", meeting.id)),
                ]
            ]
        )
        await send(update, context, text, inline(rows) if rows else None)


async def cancel_broadcast(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    admin = await _is_admin(context, user)
    await context.services.broadcasts.cancel(user.user_id, data.int_arg(1), admin)
    await send(update, context, _("✖️ Cancelled. Messages not yet sent will not go out."))


async def cancel_meeting(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    admin = await _is_admin(context, user)
    count = await context.services.meetings.cancel(
        user.user_id, data.int_arg(1), render_change, admin
    )
    await send(
        update,
        context,
        i18n.ngettext(
            "✖️ Meeting cancelled. {n} person who answered will be told.",
            "✖️ Meeting cancelled. {n} people who answered will be told.",
            count,
        ).format(n=count),
    )


async def ask_new_time(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    """'Change time' on a meeting begins the MOVE flow (she is asked before anything moves)."""
    target = data.int_arg(1)
    meeting = await context.services.meetings.get(target)  # checked again when it is saved
    await context.services.meetings.require_owner(
        user.user_id, meeting, await _is_admin(context, user), "meeting_move_refused"
    )
    await flows.save(context, MOVE, {"step": "when", "meeting": target})
    await send(
        update,
        context,
        _("Write the new date and time like this: 2026-12-01 18:00 (your own time)."),
    )


@organising
async def move_time(update: Update, context: BotContext, user: User, flow: Flow, text: str) -> None:
    when = _parse_local_time(text, user)
    meeting = await context.services.meetings.get(int(flow.data["meeting"]))
    count = await context.services.meetings.reschedule(
        user.user_id,
        meeting.id,
        when.astimezone(ZoneInfo(meeting.timezone)).replace(tzinfo=None),
        render_change,
        render_reminder,
        await _is_admin(context, user),
    )
    await flows.end(context)
    await send(
        update,
        context,
        i18n.ngettext(
            "🔄 New time saved. {n} person who answered will be told.",
            "🔄 New time saved. {n} people who answered will be told.",
            count,
        ).format(n=count),
    )


# ---- buttons and flows --------------------------------------------------------------------
ButtonAction = Callable[[Update, BotContext, User, callbacks.Callback], Awaitable[None]]
BUTTONS: dict[str, ButtonAction] = {  # "org:<action>:…" -> what it does
    "lang": add_language,
    "audience": choose_audience,
    "c": toggle_country,
    "l": toggle_language,
    "preview": preview,
    "now": send_now,
    "later": ask_schedule,
    "cancel_b": cancel_broadcast,
    "cancel_m": cancel_meeting,
    "move": ask_new_time,
}


async def on_button(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await _organiser(update, context)
    action = BUTTONS.get(data.arg(0))
    if action is None:
        raise callbacks.InvalidCallback(f"unknown organiser action {data.arg(0)!r}")
    await answer_callback(update)
    await action(update, context, user, data)


_NOTICE_BUTTONS = ("org:lang", "org:audience", "org:c", "org:l", "org:preview", "org:now")
FLOWS: list[FlowSpec] = [
    FlowSpec(
        ANNOUNCE,
        text={
            "text": write_version,
            "translation": write_version,
            "audience": audience_tags,
            "schedule": schedule_time,
        },
        media={"text": attach_media},
        buttons=buttons(*_NOTICE_BUTTONS, "org:later"),
    ),
    FlowSpec(
        MEETING,
        text={
            "title": meeting_title,
            "when": meeting_time,
            "place": meeting_place,
            "translation": write_version,
            "audience": audience_tags,
        },
        media=dict.fromkeys(WRITTEN, meeting_location),
        buttons=buttons(*_NOTICE_BUTTONS),
    ),
    FlowSpec(MOVE, text={"when": move_time}),
]
