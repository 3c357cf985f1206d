"""The one error handler: user errors become a translated answer, bugs a log line and an apology."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable
from decimal import Decimal

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot import logs
from bot.callbacks import InvalidCallback
from bot.context import BotContext
from bot.domain.errors import UserFacingError
from bot.handlers.common import answer_callback, start_again_markup
from bot.handlers.fallback import stale_button
from bot.i18n import _, fmt_date, fmt_number

log = logging.getLogger(__name__)


def _describe(update: object) -> str:
    """What kind of update failed, without any of its text (privacy)."""
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = [
        name
        for name in ("message", "edited_message", "callback_query", "my_chat_member")
        if getattr(update, name, None) is not None
    ]
    return f"update {update.update_id} ({', '.join(kinds) or 'other'})"


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if not isinstance(update, Update):
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            logs.polling.down(type(error).__name__)  # fetching updates failed: one line
            return
        log.error("error outside an update: %s", type(error).__name__, exc_info=error)
        return
    # The error handler gets a context of its own: load who she is again (is she still known?).
    if update.effective_user is not None and context.bot_data.services is not None:
        try:
            context.worker = await context.services.users.get(update.effective_user.id)
        except Exception:  # the database itself may be what failed
            context.worker = None
    if isinstance(error, InvalidCallback):
        log.info("refused callback data on %s: %s", _describe(update), error)
        await _safely(stale_button(update, context))
        return
    if isinstance(error, UserFacingError):
        await answer_callback(update)
        params = {k: _localise(v) for k, v in error.params.items()}
        # With no stored user (after /delete) the answer carries a button to begin again.
        markup = start_again_markup() if context.worker is None else None
        await _reply(update, context, _(error.message).format(**params), markup)
        return
    if isinstance(error, Forbidden) and update.effective_user is not None:
        log.info("user blocked the bot; marking inactive")
        await _safely(context.services.users.mark_blocked(update.effective_user.id))
        return
    # BadRequest subclasses NetworkError in python-telegram-bot, but a 400 is our bug (a bad
    # parameter, a message too long), not the network: an ERROR, and she still gets an answer.
    if isinstance(error, BadRequest):
        if "message is not modified" in str(error).lower():
            return  # a repeated edit with the same content: nothing to tell anyone
        log.error("Bot API refused a request on %s: %s", _describe(update), error.message)
        await answer_callback(update)
        await _reply(
            update,
            context,
            _("Sorry, something went wrong on my side. Your data is safe. Please try again."),
        )
        return
    if isinstance(error, NetworkError):
        log.warning("network error on %s: %s", _describe(update), type(error).__name__)
        return
    log.error("unhandled error on %s", _describe(update), exc_info=error)
    await answer_callback(update)
    await _reply(
        update,
        context,
        _("Sorry, something went wrong on my side. Your data is safe. Please try again."),
    )


def _localise(value: object) -> object:
    """Dates and numbers in a user error, formatted for the user's language."""
    if isinstance(value, dt.date):
        return fmt_date(value)
    if isinstance(value, Decimal):
        return fmt_number(value)
    return value


async def _reply(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    if update.effective_chat is not None:
        await _safely(context.bot.send_message(update.effective_chat.id, text, reply_markup=markup))


async def _safely(awaitable: Awaitable[object]) -> None:
    try:
        await awaitable
    except Exception:  # answering an error must never raise another
        log.warning("could not answer after an error", exc_info=True)
