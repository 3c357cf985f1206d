"""A worker's own data: /mydata sends all of it as a file, /delete erases all of it."""

from __future__ import annotations

from telegram import InputFile, ReplyKeyboardRemove, Update

from bot import callbacks
from bot.context import BotContext
from bot.handlers.common import (
    answer_callback,
    current_user,
    inline,
    send,
    start_again_markup,
)
from bot.handlers.menu import show_menu
from bot.i18n import _


async def mydata_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    payload = await context.services.users.export(user.user_id)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(
            payload,
            filename=context.services.discreet.file_name(
                user.neutral_notifications, "my-data", "json"
            ),
        ),
        caption=_("This file has everything I store about you."),
    )


async def delete_command(update: Update, context: BotContext) -> None:
    await current_user(update, context)
    await send(
        update,
        context,
        _(
            "⚠️ This erases <b>everything</b> I store about you: your settings, hours, payments "
            "and reminders. It cannot be undone. Get a copy first with /mydata.\n\n"
            "Do you want to delete all your data?"
        ),
        inline(
            [
                [(_("🗑 Yes, delete everything"), callbacks.encode("erase", "yes"))],
                [(_("No, keep my data"), callbacks.encode("erase", "no"))],
            ]
        ),
    )


async def on_erase(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    choice = data.arg(0)
    if choice not in ("yes", "no"):
        raise callbacks.InvalidCallback("bad erase choice")
    await answer_callback(update)
    assert update.effective_user is not None
    if choice == "no":
        await show_menu(update, context, _("Nothing was deleted."))
        return
    await context.services.cases.delete_all_of(update.effective_user.id)  # files on disk too
    await context.services.users.erase(update.effective_user.id)
    context.worker = None
    assert update.effective_chat is not None
    # The reply is rendered in the user's language, loaded before the erase.
    await context.bot.send_message(
        update.effective_chat.id,
        _("All your data has been deleted. Goodbye!"),
        reply_markup=ReplyKeyboardRemove(),  # the menu goes too: nothing left on her screen
    )
    await send(update, context, _("If you come back, tap Start."), start_again_markup())
