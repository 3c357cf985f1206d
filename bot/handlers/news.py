"""Meetings & news for workers: what she opted in to, her groups, RSVPs, and /stop.

A group is a tag organisers send to (#lima, #branch2). She joins one by typing it, or by
tapping it in Meetings & news, which lists the groups organisers use.
"""

from __future__ import annotations

import hashlib
import re

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.domain.errors import UserFacingError
from bot.domain.text import group_tag
from bot.handlers.common import Button, answer_callback, current_user, escape, inline, send
from bot.handlers.organisers import render_reminder
from bot.i18n import N_, _
from bot.services.organisers import CATEGORIES, GROUP_TAG
from bot.storage.organisers import Recipient

LABELS = {
    "news": N_("Union news"),
    "meetings": N_("Meetings"),
    "episodes": N_("New audio episodes"),
}
_TAG_RE = re.compile(rf"^#({GROUP_TAG.pattern})$")
JOIN = "1"  # "tag:<key>" leaves a group (as it always did), "tag:<key>:1" joins it


def _group_button(tag: str, joined: bool) -> list[Button]:
    if joined:
        return [(f"✖️ #{tag}", callbacks.encode("tag", tag_key(tag)))]
    return [(f"➕ #{tag}", callbacks.encode("tag", tag_key(tag), JOIN))]


async def show_news(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    broadcasts = context.services.broadcasts
    subscribed = await broadcasts.subscriptions(user.user_id)
    tags = await broadcasts.groups(user.user_id)
    in_use = await broadcasts.groups_in_use()
    rows: list[list[Button]] = [
        [
            (
                ("✅ " if c in subscribed else "⬜ ") + _(LABELS[c]),
                callbacks.encode("sub", c, int(c not in subscribed)),
            )
        ]
        for c in CATEGORIES
    ]
    # The groups organisers use (most recent first), then any other group she follows.
    rows += [_group_button(t, t in tags) for t in in_use]
    rows += [_group_button(t, True) for t in tags if t not in in_use]
    lines = [
        _("📣 <b>Meetings & news</b>"),
        _("Choose what unions may send you. You can stop at any time with /stop."),
        _("Messages never arrive between 21:00 and 07:00 your time."),
        "",
        _("Your groups: {tags}").format(tags=escape(", ".join(f"#{t}" for t in tags)) or "—"),
    ]
    if in_use:
        lines.append(_("Groups unions send to are below: tap ➕ to join one, ✖️ to leave it."))
    lines.append(
        _("To join a group (your city or union branch), write it with #, for example: #lima")
    )
    text = "\n".join(lines)
    await send(update, context, text, inline(rows))


async def on_subscription(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    category, value = data.arg(0), data.arg(1)
    if category not in CATEGORIES or value not in ("0", "1"):
        raise callbacks.InvalidCallback("bad subscription")
    user = await current_user(update, context)
    await context.services.broadcasts.set_subscription(user.user_id, category, value == "1")
    await answer_callback(update, _("Saved."))
    await show_news(update, context)


def tag_key(tag: str) -> str:
    """A short ASCII key for a group in button data: tags can be in any script (#bogotá,
    #القاهرة) and up to 32 letters, which the callback codec could not carry."""
    return hashlib.sha256(tag.encode("utf-8")).hexdigest()[:12]


async def on_tag(update: Update, context: BotContext) -> None:
    """Join or leave a group; a repeated press changes nothing (it is not a toggle)."""
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    if data.args[1:] not in ((), (JOIN,)):
        raise callbacks.InvalidCallback("bad group button")
    user = await current_user(update, context)
    broadcasts = context.services.broadcasts
    known = await broadcasts.groups(user.user_id) + await broadcasts.groups_in_use()
    tag = next((t for t in known if tag_key(t) == data.arg(0)), None)
    if tag is None:
        raise callbacks.InvalidCallback("neither her group nor one organisers use")
    if data.args[1:] == (JOIN,):
        await broadcasts.join_group(user.user_id, tag)
    else:
        await broadcasts.leave_group(user.user_id, tag)
    await answer_callback(update, _("Saved."))
    await show_news(update, context)


async def join_tag(update: Update, context: BotContext, text: str) -> bool:
    """Text router step: '#lima' joins the group 'lima'."""
    match = _TAG_RE.match(text.strip())
    if context.worker is None or match is None:
        return False
    tag = group_tag(match[1])
    await context.services.broadcasts.join_group(context.worker.user_id, tag)
    await send(update, context, _("✅ You joined the group #{tag}.").format(tag=escape(tag)))
    return True


async def stop_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    await context.services.broadcasts.unsubscribe_all(user.user_id)
    await send(
        update,
        context,
        _(
            "🔕 Done. You will get no more news or meeting messages. "
            "To change this, open 📣 Meetings & news."
        ),
    )


async def on_stop(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    category = data.arg(0)
    if category not in CATEGORIES:
        raise callbacks.InvalidCallback("bad category")
    user = await current_user(update, context)
    await context.services.broadcasts.set_subscription(user.user_id, category, False)
    await answer_callback(update)
    await send(
        update,
        context,
        _("🔕 Done. You will get no more messages of this kind: {kind}.").format(
            kind=_(LABELS[category])
        ),
    )


async def on_rsvp(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    meeting_id, answer = data.int_arg(0), data.arg(1)
    user = await current_user(update, context)
    recipient = Recipient(user.user_id, user.locale, user.timezone, user.country, user.quiet_hours)
    try:
        await context.services.meetings.rsvp(meeting_id, recipient, answer, render_reminder)
    except UserFacingError:
        await answer_callback(update)
        raise
    await answer_callback(update, _("Saved."))
    replies = {
        "going": _("✅ Thank you! I will remind you 24 hours and 2 hours before."),
        "maybe": _("🤔 Noted. I will remind you 24 hours and 2 hours before."),
        "no": _("❌ Noted. Thank you for answering."),
    }
    await send(update, context, replies[answer])
