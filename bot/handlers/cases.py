"""Ask a person: a worker's help request (a "case") and the helpers' queue.

Worker buttons `ask:<action>:…`; helper buttons `case:<action>:…`. Two declared flows:
ASK (she writes or records what she wants to send, then confirms) and ANSWER (a helper's
next message is her answer to the case). A voice note, photo or document sent outside any
flow starts ASK at its confirmation step: it is never "only text".

What a helper sees never holds the worker's Telegram id, name, username or phone: the case
card is built from the case number, her language, her country, when it was opened and what
she sent (escaped). Every helper action goes through CaseService, which checks the role and
the ownership and writes the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import warnings
from pathlib import Path
from typing import Any

from telegram import Message, Update

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain.cases import (
    CLOSED,
    MAX_FILE_BYTES,
    MAX_VOICE_SECONDS,
    NEW,
    OPEN,
    QUEUES,
    WAITING,
    WORKER,
    Case,
    CaseMessage,
)
from bot.domain.countries import country
from bot.domain.errors import UserFacingError
from bot.domain.flows import Flow
from bot.domain.users import User
from bot.handlers import flows
from bot.handlers.common import (
    Button,
    current_user,
    dispatch,
    escape,
    inline,
    send,
)
from bot.handlers.flows import FlowSpec, buttons
from bot.i18n import N_, _, fmt_datetime
from bot.services.cases import Incoming

ASK, ANSWER = "ask", "case_answer"
_STATUS = {
    NEW: N_("🆕 new, waiting for a helper"),
    OPEN: N_("👤 a helper is on it"),
    WAITING: N_("💬 answered"),
    CLOSED: N_("✅ closed"),
}
_QUEUE_LABELS = {
    "new": N_("🆕 New ({count})"),
    "mine": N_("👤 Mine ({count})"),
    "waiting": N_("⏳ Waiting ({count})"),
    "closed": N_("✅ Closed ({count})"),
}


def ask_button() -> Button:
    return (_("🙋 Ask a person"), callbacks.encode("ask", "intro"))


# ---- what she sees before sending ---------------------------------------------------------


def privacy_lines(days: int) -> str:
    return _(
        "👀 <b>Who sees it:</b> only your union's helpers.\n"
        "📄 <b>What they see:</b> a case number, your language, your country and what you "
        "send. Not your name, your phone number or your Telegram account, unless you write "
        "them.\n"
        "🗓 <b>How long it is kept:</b> until you delete it. Once the request is closed, it is "
        "deleted after {days} days."
    ).format(days=days)


def intro_rows(current: int | None, earlier: bool) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if current is not None:
        rows.append(
            [
                (
                    _("📂 My help request #{number}").format(number=current),
                    callbacks.encode("ask", "view", current),
                )
            ]
        )
    rows.append([(_("✍️ Write or record"), callbacks.encode("ask", "new"))])
    if earlier:
        rows.append([(_("📂 My earlier requests"), callbacks.encode("ask", "list"))])
    return rows


async def show_intro(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    services = context.services
    current = await services.cases.current(user)
    earlier = current is None and bool(await services.cases.mine(user))
    rows = intro_rows(current.id if current else None, earlier)
    text = "\n\n".join(
        [
            _("🙋 <b>Ask a person</b>"),
            _(
                "A helper from your union reads your message and answers you here, in this "
                "chat. You can write, send a voice note, a photo (of a payslip or a contract) "
                "or a document."
            ),
            privacy_lines(int(services.settings.case_retention_days)),
        ]
    )
    await send(update, context, text, inline(rows))


async def ask_command(update: Update, context: BotContext) -> None:
    await show_intro(update, context)


async def _intro(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    await show_intro(update, context)


async def _new(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    await flows.save(context, ASK, {"step": "message"})
    await send(
        update,
        context,
        _(
            "Send your message now: write it, or record a voice note 🎤, or send a photo or a "
            "document. Then you can check it before it goes."
        ),
        inline([[(_("✖️ Cancel"), callbacks.encode("ask", "cancel"))]]),
    )


async def _cancel(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    await flows.end(context)
    await send(update, context, _("Stopped. Nothing was sent."))


def _held(message: Message) -> dict[str, Any] | None:
    """What she sent, as flow data (ids and sizes only; nothing is downloaded yet)."""
    if message.voice is not None:
        media: Any = message.voice
        kind = "voice"
    elif message.photo:
        media = message.photo[-1]
        kind = "photo"
    elif message.document is not None:
        media = message.document
        kind = "document"
    elif message.audio is not None:
        media = message.audio
        kind = "voice" if (message.audio.mime_type or "").startswith("audio/ogg") else "document"
    else:
        return None
    return {
        "kind": kind,
        "file_ref": media.file_id,
        "size": int(getattr(media, "file_size", 0) or 0),
        "seconds": int(_seconds(media)),
        "mime": getattr(media, "mime_type", None) or ("image/jpeg" if kind == "photo" else None),
        "text": (message.caption or "")[:1000] or None,
        "key": f"{message.chat.id}:{message.message_id}",
    }


def _seconds(media: object) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value = getattr(media, "duration", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value or 0)


def _refuse_too_big(held: dict[str, Any]) -> None:
    if held["size"] > MAX_FILE_BYTES:
        raise UserFacingError(N_("That file is too big (more than 20 MB)."))
    if held["kind"] == "voice" and held["seconds"] > MAX_VOICE_SECONDS:
        raise UserFacingError(
            N_("That voice note is longer than 10 minutes. Please send a shorter one.")
        )


async def ask_text(update: Update, context: BotContext, user: User, flow: Flow, text: str) -> None:
    message = update.effective_message
    assert message is not None
    held = {"kind": "text", "text": text[:4000], "key": f"{message.chat.id}:{message.message_id}"}
    await _confirm(update, context, user, {**flow.data, "step": "confirm", "held": held})


async def ask_media(update: Update, context: BotContext, user: User, flow: Flow) -> None:
    message = update.effective_message
    held = _held(message) if message else None
    if held is None:
        raise UserFacingError(N_("I can take text, voice notes, photos and documents."))
    _refuse_too_big(held)
    await _confirm(update, context, user, {**flow.data, "step": "confirm", "held": held})


async def media_outside_a_flow(update: Update, context: BotContext) -> bool:
    """A voice note, photo or document with no flow waiting for one: offer a helper."""
    user = context.worker
    message = update.effective_message
    if user is None or message is None or not user.onboarded:
        return False
    if context.flow is not None and context.flow.name != ASK:
        # In the middle of a task that waits for text or a tap: say what it waits for, and
        # keep it (a voice note is not lost: she can send it again after, to a helper).
        await send(
            update, context, _("Please tap one of the buttons above, or send /cancel to stop.")
        )
        return True
    held = _held(message)
    if held is None:
        return False
    _refuse_too_big(held)
    await _confirm(update, context, user, {"step": "confirm", "held": held, "offered": True})
    return True


_KIND_NAMES = {
    "text": N_("your message"),
    "voice": N_("your voice note"),
    "photo": N_("your photo"),
    "document": N_("your document"),
}


def confirm_rows(can_attach: bool) -> list[list[Button]]:
    rows: list[list[Button]] = [[(_("✅ Send"), callbacks.encode("ask", "send", 0))]]
    if can_attach:
        rows.append([(_("✅ Send with my hours & pay"), callbacks.encode("ask", "send", 1))])
    rows.append([(_("✖️ Don't send"), callbacks.encode("ask", "cancel"))])
    return rows


async def _confirm(update: Update, context: BotContext, user: User, data: dict[str, Any]) -> None:
    await flows.save(context, ASK, data)
    services = context.services
    current = await services.cases.current(user)
    what = _(_KIND_NAMES[data["held"]["kind"]])
    if current is not None:
        question = _("Add {what} to your help request #{number}?").format(
            what=what, number=current.id
        )
    else:
        question = _("Send {what} to a helper at your union?").format(what=what)
    can_attach = current is None and user.records_consent
    rows = confirm_rows(can_attach and bool(await services.hours.employers(user)))
    text = question
    if current is None:
        text += "\n\n" + privacy_lines(int(services.settings.case_retention_days))
    if data["held"]["kind"] == "text":
        text += "\n\n<i>" + escape(data["held"]["text"][:300]) + "</i>"
    await send(update, context, text, inline(rows))


async def _send(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    flow = flows.current(context, ASK, "confirm")
    held = dict(flow.data["held"])
    attach = "summary" if data.int_arg(1) == 1 else None
    services = context.services
    urgent = services.library.urgent_sign(held.get("text") or "", user.locale) is not None
    with tempfile.TemporaryDirectory() as tmp:
        item = await _incoming(context, held, Path(tmp))
        current = await services.cases.current(user)
        if current is not None:
            added = await services.cases.add_from_worker(user, current.id, item)
            if urgent:
                await services.cases.mark_urgent(current)
            case = current
        else:
            case = await services.cases.open(user, item, urgent=urgent, attach=attach)
            added = True
    await flows.end(context)
    if not added:
        await send(update, context, _("✅ Already sent."))
        return
    await send(
        update,
        context,
        _(
            "✅ Sent. Your help request is #{number}. A helper answers you here, in this chat. "
            "To add something, tap 🙋 Ask a person again."
        ).format(number=case.id),
        inline(
            [
                [
                    (
                        _("📂 My help request #{number}").format(number=case.id),
                        callbacks.encode("ask", "view", case.id),
                    )
                ]
            ]
        ),
    )


async def _incoming(context: BotContext, held: dict[str, Any], folder: Path) -> Incoming:
    """Download what she sent (already checked against the limits) into `folder`."""
    if held["kind"] == "text":
        return Incoming("text", text=held["text"], dedupe_key=held["key"])
    telegram_file = await context.bot.get_file(held["file_ref"])
    if (telegram_file.file_size or 0) > MAX_FILE_BYTES:
        raise UserFacingError(N_("That file is too big (more than 20 MB)."))
    target = folder / "upload"
    await telegram_file.download_to_drive(target)
    return Incoming(
        held["kind"],
        text=held.get("text"),
        file=target,
        file_ref=held["file_ref"],
        mime=held.get("mime"),
        size=target.stat().st_size,
        seconds=held.get("seconds") or None,
        dedupe_key=held["key"],
    )


async def _view(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    case = await context.services.cases.own(user, data.int_arg(1))
    await _show_her_case(update, context, case)


async def _show_her_case(update: Update, context: BotContext, case: Case) -> None:
    assert context.worker is not None
    messages = await context.services.cases.her_messages(context.worker, case.id)
    zone = _zone(context)
    lines = [
        _("📂 <b>Your help request #{number}</b>").format(number=case.id),
        _("Opened: {when}").format(when=fmt_datetime(case.opened_at.astimezone(zone), "short")),
        _("Status: {status}").format(status=_(_STATUS[case.status])),
        "",
    ]
    for message in messages[-10:]:  # the last ten: the whole case is in /mydata
        who = _("👩 You") if message.author == WORKER else _("🧑‍💼 Helper")
        when = fmt_datetime(message.created_at.astimezone(zone), "short")
        lines += [f"{who} · {when}", _describe(message)]
    await send(update, context, "\n".join(lines), inline(her_case_rows(case)))


def her_case_rows(case: Case) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if case.status != CLOSED:
        rows.append([(_("✍️ Add a message"), callbacks.encode("ask", "new"))])
        rows.append([(_("✅ Close: I have my answer"), callbacks.encode("ask", "close", case.id))])
    else:
        rows.append([(_("🔁 Open it again"), callbacks.encode("ask", "reopen", case.id))])
    rows.append([(_("🗑 Delete it all"), callbacks.encode("ask", "del", case.id))])
    return rows


def _zone(context: BotContext) -> Any:
    user = context.worker
    assert user is not None
    return context.services.hours.timezone(user)


async def _list(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    cases = await context.services.cases.mine(user)
    if not cases:
        await show_intro(update, context)
        return
    rows = [
        [
            (
                _("#{number} · {status}").format(number=c.id, status=_(_STATUS[c.status])),
                callbacks.encode("ask", "view", c.id),
            )
        ]
        for c in cases[:10]
    ]
    await send(update, context, _("📂 <b>Your help requests</b>"), inline(rows))


async def _close(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    await context.services.cases.close_by_worker(user, data.int_arg(1))
    await _view(update, context, user, data)


async def _reopen(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    await context.services.cases.reopen(user, data.int_arg(1))
    await _view(update, context, user, data)


async def _delete(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    case = await context.services.cases.own(user, data.int_arg(1))
    await send(
        update,
        context,
        _(
            "Delete help request #{number}? Everything in it goes, for you and for the "
            "helpers: your messages, your files and their answers. This cannot be undone."
        ).format(number=case.id),
        inline(
            [
                [(_("🗑 Yes, delete it"), callbacks.encode("ask", "delyes", case.id))],
                [(_("✖️ No, keep it"), callbacks.encode("ask", "view", case.id))],
            ]
        ),
    )


async def _delete_yes(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    with contextlib.suppress(UserFacingError):  # a second tap: it is gone already
        await context.services.cases.delete(user, data.int_arg(1))
    await send(update, context, _("🗑 Deleted. Nothing of it is kept."))


_WORKER_ACTIONS = {
    "intro": _intro,
    "new": _new,
    "cancel": _cancel,
    "send": _send,
    "view": _view,
    "list": _list,
    "close": _close,
    "reopen": _reopen,
    "del": _delete,
    "delyes": _delete_yes,
    "add": _new,
}


async def on_ask(update: Update, context: BotContext) -> None:
    await dispatch(update, context, _WORKER_ACTIONS, frozenset({"send"}))


# ---- urgent signs ------------------------------------------------------------------------


async def urgent_first(update: Update, context: BotContext, text: str) -> bool:
    """Runs before every other reading of her text: a message that shows danger gets her
    country's emergency and help contacts at once. Returns False so her words are still
    answered (a search, an hours entry) after the contacts."""
    user = context.worker
    if user is None:
        return False
    sign = context.services.library.urgent_sign(text, user.locale)
    if sign is None:
        return False
    services = context.services
    jurisdiction = country(user.country).jurisdiction
    check = services.library.checks.get(jurisdiction) or services.library.checks.get("ilo")
    lines = [_("🆘 <b>Your safety comes first.</b> If you are in danger now, call:")]
    for contact in check.contacts if check else ():
        lines.append(f"📞 <b>{escape(contact.phone)}</b> · {escape(contact.name)}")
    if not check or not check.contacts:
        lines.append(_("the police or the emergency number of the country you are in."))
    lines.append(
        _("You can also tell a helper at your union, confidentially: tap 🙋 Ask a person.")
    )
    rows: list[list[Button]] = [[ask_button()]]
    help_topic = services.library.get(jurisdiction, "help", user.locale)
    if help_topic is not None:
        rows.append([(help_topic.topic.title, callbacks.encode("topic", "help", 0))])
    await send(update, context, "\n".join(lines), inline(rows))
    current = await services.cases.current(user)
    if current is not None:
        await services.cases.mark_urgent(current)
    return False


# ---- the helpers' side ---------------------------------------------------------------------


async def cases_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    await _queues(update, context, user)


def queues_rows(counts: dict[str, int], on_duty: bool) -> list[list[Button]]:
    rows: list[list[Button]] = [
        [(_(_QUEUE_LABELS[q]).format(count=counts[q]), callbacks.encode("case", "q", q))]
        for q in QUEUES
    ]
    rows.append(
        [
            (_("🔕 Go off duty"), callbacks.encode("case", "duty", 0))
            if on_duty
            else (_("🔔 Go on duty"), callbacks.encode("case", "duty", 1))
        ]
    )
    return rows


async def _queues(update: Update, context: BotContext, user: User) -> None:
    services = context.services
    counts = await services.cases.counts(user.user_id)
    on_duty = await services.cases.on_duty(user.user_id)
    rows = queues_rows(counts, on_duty)
    text = (
        _("📋 <b>Help requests</b>")
        + "\n"
        + (
            _("You are on duty: you are told of new requests.")
            if on_duty
            else _("You are off duty: you are not told of new requests.")
        )
    )
    if counts["urgent"]:
        text += "\n" + _("🔴 {count} new urgent.").format(count=counts["urgent"])
    await send(update, context, text, inline(rows))


async def _queue(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    queue = data.arg(1)
    if queue not in QUEUES:
        raise callbacks.InvalidCallback("unknown queue")
    cases = await context.services.cases.queue(user.user_id, queue)
    rows: list[list[Button]] = [
        [(_case_label(c, user), callbacks.encode("case", "view", c.id))] for c in cases
    ]
    rows.append([(_("◀️ Back"), callbacks.encode("case", "home"))])
    title = _(_QUEUE_LABELS[queue]).format(count=len(cases))
    await send(update, context, title if cases else title + "\n" + _("Nothing here."), inline(rows))


def _case_label(case: Case, helper: User) -> str:
    when = fmt_datetime(case.opened_at.astimezone(_helper_zone(helper)), "short")
    language = i18n.NATIVE_NAMES.get(case.locale, case.locale)
    place = country(case.country).code if case.country else "—"
    return f"{'🔴 ' if case.urgent else ''}#{case.id} · {language} · {place} · {when}"


def _helper_zone(helper: User) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(helper.timezone or country(helper.country).timezone)


def case_card(case: Case, messages: list[CaseMessage], helper: User, summary: str | None) -> str:
    """The helper's view of a case. Built only from the case and its messages: no id, name,
    username or phone of the worker is in reach here."""
    zone = _helper_zone(helper)
    place = country(case.country)
    lines = [
        _("📂 <b>Help request #{number}</b>").format(number=case.id)
        + (" · " + _("🔴 urgent") if case.urgent else ""),
        _("Language: {language} · Country: {country}").format(
            language=i18n.NATIVE_NAMES.get(case.locale, case.locale),
            country=f"{place.flag} {place.code}" if case.country else "—",
        ),
        _("Opened: {when}").format(when=fmt_datetime(case.opened_at.astimezone(zone), "short")),
        _("Status: {status}").format(status=_(_STATUS[case.status])),
        "",
    ]
    for number, message in enumerate(messages, 1):
        who = _("👩 She") if message.author == WORKER else _("🧑‍💼 Helper")
        when = fmt_datetime(message.created_at.astimezone(zone), "short")
        lines.append(f"<b>{number}.</b> {who} · {when}")
        lines.append(_describe(message))
    if summary:
        lines += ["", _("📎 <b>Her hours and pay (she chose to share it):</b>"), summary]
    return "\n".join(lines)


def _describe(message: CaseMessage) -> str:
    caption = f"\n{escape(message.body)}" if message.body else ""
    if message.kind == "text":
        return escape(message.body or "")
    if message.kind == "voice":
        return _("🎤 Voice note ({seconds} s)").format(seconds=message.seconds or 0) + caption
    if message.kind == "photo":
        return _("🖼 Photo") + caption
    size = f"{(message.bytes or 0) // 1024} kB"
    return _("📄 Document ({size})").format(size=size) + caption


async def _view_case(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    services = context.services
    view = await services.cases.view(user.user_id, data.int_arg(1))
    case = view.case
    summary = None
    worker = await services.cases.worker_of(user.user_id, case)
    if worker is not None:
        from bot.handlers.hours import record_summary

        summary = await record_summary(context, worker)
    rows = case_rows(case, user.user_id, any(m.file_ref for m in view.messages))
    await send(update, context, case_card(case, view.messages, user, summary), inline(rows))


def case_rows(case: Case, helper_id: int, files: bool) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if case.status == NEW:
        rows.append([(_("🙋 Take this case"), callbacks.encode("case", "take", case.id))])
    elif case.status != CLOSED and case.helper_id == helper_id:
        rows.append([(_("✍️ Answer her"), callbacks.encode("case", "ans", case.id))])
    if files:
        rows.append([(_("▶️ Play and open her files"), callbacks.encode("case", "files", case.id))])
    if case.status != CLOSED:
        rows.append([(_("✅ Close the case"), callbacks.encode("case", "close", case.id))])
    rows.append([(_("◀️ Back"), callbacks.encode("case", "home"))])
    return rows


async def _take(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    await context.services.cases.take(user.user_id, data.int_arg(1))
    await _view_case(update, context, user, data)


async def _answer(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    services = context.services
    view = await services.cases.view(user.user_id, data.int_arg(1))
    if view.case.helper_id != user.user_id or view.case.status == CLOSED:
        raise UserFacingError(
            N_("This case is not yours. Take it first, or ask an admin to give it to you.")
        )
    await flows.save(context, ANSWER, {"step": "answer", "case": view.case.id})
    language = i18n.NATIVE_NAMES.get(view.case.locale, view.case.locale)
    await send(
        update,
        context,
        _(
            "Send your answer to #{number} now: text, a voice note, a photo or a document. "
            "She reads {language}. It reaches her as a message from the bot."
        ).format(number=view.case.id, language=language),
        inline([[(_("✖️ Cancel"), callbacks.encode("case", "view", view.case.id))]]),
    )


async def answer_text(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    message = update.effective_message
    assert message is not None
    item = Incoming("text", text=text[:4000], dedupe_key=f"h{message.chat.id}:{message.message_id}")
    await _deliver(update, context, user, flow, item)


async def answer_media(update: Update, context: BotContext, user: User, flow: Flow) -> None:
    message = update.effective_message
    held = _held(message) if message else None
    if held is None:
        raise UserFacingError(N_("I can take text, voice notes, photos and documents."))
    _refuse_too_big(held)
    held["key"] = "h" + held["key"]
    with tempfile.TemporaryDirectory() as tmp:
        item = await _incoming(context, held, Path(tmp))
        await _deliver(update, context, user, flow, item)


async def _deliver(
    update: Update, context: BotContext, user: User, flow: Flow, item: Incoming
) -> None:
    case_id = int(flow.data["case"])
    sent = await context.services.cases.answer(user.user_id, case_id, item)
    await flows.end(context)
    await send(
        update,
        context,
        _("✅ Sent to the worker of #{number}.").format(number=case_id)
        if sent
        else _("✅ Already sent."),
        inline(
            [
                [
                    (
                        _("📂 Open #{number}").format(number=case_id),
                        callbacks.encode("case", "view", case_id),
                    )
                ]
            ]
        ),
    )


async def _files(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    view = await context.services.cases.view(user.user_id, data.int_arg(1))
    chat = update.effective_chat
    assert chat is not None
    for number, message in enumerate(view.messages, 1):
        if not message.file_ref:
            continue
        caption = f"#{view.case.id} · {number}"
        if message.kind == "voice":
            await context.bot.send_voice(chat.id, message.file_ref, caption=caption)
        elif message.kind == "photo":
            await context.bot.send_photo(chat.id, message.file_ref, caption=caption)
        else:
            await context.bot.send_document(chat.id, message.file_ref, caption=caption)


async def _close_case(
    update: Update, context: BotContext, user: User, data: callbacks.Callback
) -> None:
    await context.services.cases.close_by_helper(user.user_id, data.int_arg(1))
    await _view_case(update, context, user, data)


async def _duty(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    await context.services.cases.set_on_duty(user.user_id, data.int_arg(1) == 1)
    await _queues(update, context, user)


async def _home(update: Update, context: BotContext, user: User, data: callbacks.Callback) -> None:
    await _queues(update, context, user)


_HELPER_ACTIONS = {
    "home": _home,
    "q": _queue,
    "view": _view_case,
    "take": _take,
    "ans": _answer,
    "files": _files,
    "close": _close_case,
    "duty": _duty,
}


async def on_case(update: Update, context: BotContext) -> None:
    await dispatch(update, context, _HELPER_ACTIONS, frozenset({"take", "close"}))


async def not_a_recording(update: Update, context: BotContext, user: User, flow: Flow) -> None:
    raise UserFacingError(N_("I can take text, voice notes, photos and documents."))


FLOWS: list[FlowSpec] = [
    FlowSpec(
        ASK,
        text={"message": ask_text},
        media={"message": ask_media, "confirm": ask_media},
        buttons=buttons("ask"),
    ),
    FlowSpec(
        ANSWER,
        text={"answer": answer_text},
        media={"answer": answer_media},
        # Listening to her files again keeps the answer waiting; any other button (Cancel,
        # another case) ends it, so an answer can never go to a case she is not looking at.
        buttons=buttons("case:files"),
    ),
]
