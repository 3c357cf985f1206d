"""Helpers every handler uses: sending (split, HTML), keyboards, and the per-update user."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import i18n
from bot.context import BotContext
from bot.domain.errors import UserFacingError
from bot.domain.text import split_message
from bot.domain.users import User
from bot.i18n import N_

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup
Button = tuple[str, str]  # (label, callback data)

escape = html.escape


def inline(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def send(
    update: Update, context: BotContext, text: str, markup: Markup | None = None
) -> Message | None:
    """Send HTML `text` to the update's chat, split to fit; the keyboard goes on the last part."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(text) or ["…"]
    message = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        message = await context.bot.send_message(
            chat.id,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
            disable_web_page_preview=True,
        )
    return message


async def load_user(update: Update, context: BotContext) -> None:
    """Runs first for every update: ignore non-private chats, load the user, set the locale."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop  # the bot serves workers one to one only
    tg_user = update.effective_user
    if tg_user is None:
        raise ApplicationHandlerStop
    services = context.services
    context.worker = await services.users.get(tg_user.id)
    if context.worker is not None:
        i18n.set_locale(context.worker.locale)
    else:
        i18n.set_locale(i18n.negotiate(tg_user.language_code, services.settings.default_locale))


async def current_user(update: Update, context: BotContext) -> User:
    """The stored user. Only /start creates one, so nothing is stored before the user asks."""
    if context.worker is None:
        raise UserFacingError(N_("I don't have your details any more. Send /start to begin."))
    return context.worker


async def answer_callback(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner; a failure here must not hide the real reply."""
    query = update.callback_query
    if query is not None:
        with contextlib.suppress(TelegramError):  # an expired query id is harmless
            await query.answer(text)


async def first_press(update: Update, context: BotContext, user_id: int) -> str | None:
    """The key of this press if it is the first of this button on this message, else None.

    A repeat (a double tap, or a press arriving while the first is still at work) is told
    "Already saved" in the chat and changes nothing. Release the key if the action fails.
    """
    query = update.callback_query
    message_id = query.message.message_id if query and query.message else 0
    key = f"cb:{message_id}:{query.data if query else ''}"
    if await context.services.once.claim(user_id, key):
        return key
    await answer_callback(update)
    await send(update, context, i18n._("✅ Already saved."))  # said in the chat, not a toast
    return None
