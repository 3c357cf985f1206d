"""Discreet mode: clear this chat, neutral notifications and file names, and Hide.

`/clear` and Settings → 🧹 delete the messages of the last 48 hours in her chat (the bot's
and hers: a bot may delete both in a private chat for that long) and say what could not go.
🙈 Hide on a rights page deletes the last few messages at once, with no reply left behind.
Settings → 🕶 turns on neutral notifications and neutral file names; a neutral line's 👁 Read
button (`reveal:<outbox id>`) shows what it holds.
"""

from __future__ import annotations

import contextlib
import warnings

from telegram import Update
from telegram.error import TelegramError
from telegram.warnings import PTBUserWarning

from bot import callbacks, i18n
from bot.context import BotContext
from bot.handlers.common import answer_callback, current_user, inline, send
from bot.i18n import _

HIDE_COUNT = 12  # the newest messages 🙈 Hide deletes


def _deleter(context: BotContext):  # type: ignore[no-untyped-def]
    async def delete(chat_id: int, message_id: int) -> bool:
        try:
            return bool(await context.bot.delete_message(chat_id, message_id))
        except TelegramError:
            return False

    return delete


async def clear_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    # Her /clear itself was noted when it arrived, so it goes too.
    deleted, failed = await context.services.discreet.clear(user.user_id, _deleter(context))
    lines = [
        i18n.ngettext(
            "🧹 Chat cleared: {count} message deleted.",
            "🧹 Chat cleared: {count} messages deleted.",
            deleted,
        ).format(count=deleted)
    ]
    if failed:
        lines.append(
            i18n.ngettext(
                "{count} message could not be deleted. To delete it, press and hold it, then "
                "tap Delete, or delete the whole chat from your chat list.",
                "{count} messages could not be deleted. To delete them, press and hold each, "
                "then tap Delete, or delete the whole chat from your chat list.",
                failed,
            ).format(count=failed)
        )
    else:
        lines.append(
            _(
                "Messages older than 48 hours I cannot delete: press and hold one, then tap "
                "Delete, or delete the whole chat from your chat list."
            )
        )
    await send(update, context, "\n".join(lines))


async def on_hide(update: Update, context: BotContext) -> None:
    """🙈 Hide: the newest messages go at once; nothing is left saying so."""
    callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await current_user(update, context)
    await answer_callback(update, _("Hidden."))
    await context.services.discreet.clear(user.user_id, _deleter(context), limit=HIDE_COUNT)


def hide_button() -> tuple[str, str]:
    return (_("🙈 Hide"), callbacks.encode("hide"))


async def show_discreet(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    on = user.neutral_notifications
    text = "\n\n".join(
        [
            _("🕶 <b>Discreet mode</b>"),
            _(
                "If someone else may look at your phone: reminders, announcements and answers "
                "from your union arrive as “You have a new message”, and you tap Read to see "
                "them. Files I send get plain names, like document-2026-12.pdf."
            ),
            _("Discreet mode is on.") if on else _("Discreet mode is off."),
            _("🧹 Clear this chat deletes our messages of the last 48 hours."),
        ]
    )
    await send(update, context, text, inline(discreet_rows(on)))


def discreet_rows(on: bool) -> list[list[tuple[str, str]]]:
    toggle = (
        (_("Turn discreet mode off"), callbacks.encode("discreet", 0))
        if on
        else (_("🕶 Turn discreet mode on"), callbacks.encode("discreet", 1))
    )
    return [[toggle], [(_("🧹 Clear this chat"), callbacks.encode("settings", "clear"))]]


async def on_discreet(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    on = data.int_arg(0)
    if on not in (0, 1):
        raise callbacks.InvalidCallback("discreet is 0 or 1")
    user = await current_user(update, context)
    await answer_callback(update)
    context.worker = await context.services.users.set_neutral(user.user_id, bool(on))
    await show_discreet(update, context)


async def on_reveal(update: Update, context: BotContext) -> None:
    """👁 Read on a neutral line: the message it stands for, sent now."""
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    user = await current_user(update, context)
    held = await context.services.discreet.held(user.user_id, data.int_arg(0))
    await answer_callback(update)
    if held is None:
        await send(update, context, _("This message is no longer available."))
        return
    with contextlib.suppress(TelegramError), warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)  # the method comes from the outbox row
        await context.bot.do_api_request(held.method, api_kwargs=held.payload)
