"""Helpers every handler uses: sending (split, HTML), keyboards, and the per-update user."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

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

from bot import callbacks, i18n, logs
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
    if chat is None:
        # No chat to answer in: an inline query, or a button on an inline message (the bot
        # makes none, so it is forged or forwarded). A button gets a short "no", nothing else.
        sender = update.effective_user
        default = context.services.settings.default_locale
        i18n.set_locale(i18n.negotiate(sender.language_code if sender else None, default))
        await answer_callback(update, i18n._("This button no longer works."))
        raise ApplicationHandlerStop
    tg_user = update.effective_user
    if tg_user is None:
        raise ApplicationHandlerStop
    logs.polling.up()  # an update arrived: the Bot API answers again (if it was down)
    services = context.services
    services.hours.begin_update()
    context.worker, flow = await services.users.load(tg_user.id)
    context.flow = services.flows.live(flow)
    if flow is not None and context.flow is None:
        await services.flows.end(tg_user.id)  # timed out: its half-typed data goes too
    if context.worker is not None:
        i18n.set_locale(context.worker.locale)
        if update.message is not None:  # her message too can go with "Clear this chat"
            await services.discreet.remember(tg_user.id, update.message.message_id)
    else:
        i18n.set_locale(i18n.negotiate(tg_user.language_code, services.settings.default_locale))


async def current_user(update: Update, context: BotContext) -> User:
    """The stored user. Only /start creates one, so nothing is stored before the user asks."""
    if context.worker is None:
        raise UserFacingError(N_("I don't have your details any more. Tap Start to begin again."))
    return context.worker


def start_again_markup() -> InlineKeyboardMarkup:
    """One button to begin again, for someone the bot no longer knows (after /delete)."""
    return inline([[(i18n._("▶️ Start"), callbacks.encode("begin"))]])


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


# ---- the navigation row of paged screens -----------------------------------------------------

INERT_LABEL = "·"  # a slot with nothing to do on this screen looks empty
FIRST_PAGE, LAST_PAGE = "first", "last"  # what an inert Back or Next says when pressed
_EDGE_NOTICES = {
    FIRST_PAGE: N_("This is the first page."),
    LAST_PAGE: N_("This is the last page."),
}


@dataclass(frozen=True)
class Inert:
    """A navigation slot that does not apply on this screen (Back on the first page, Next on
    the last). It is drawn as a blank-looking button; `data` is what a press does: show the
    same screen again, or tell her where she is (`answer_edge`). Never a step elsewhere."""

    data: str


def nav_row(back: str | Inert, middle: Button, following: str | Inert) -> list[Button]:
    """[◀️ Back] [middle] [Next ▶️]: the same three slots in the same order on every page.

    A slot that does not apply stays in its place as an `Inert` button, so a tap on the
    left always goes back, in the middle always goes up a level, and on the right always goes
    on. Put the row last and keep the rows above it the same on every page (pad a short last
    page), so the console's numbers for these buttons do not change either.
    """

    def slot(label: str, target: str | Inert) -> Button:
        return (INERT_LABEL, target.data) if isinstance(target, Inert) else (label, target)

    return [slot(i18n._("◀️ Back"), back), middle, slot(i18n._("Next ▶️"), following)]


def edge_arg(data: callbacks.Callback, index: int) -> str | None:
    """The FIRST_PAGE/LAST_PAGE marker an inert slot's data carries at `index`, if any."""
    if len(data.args) <= index:
        return None
    edge = data.args[index]
    if edge not in _EDGE_NOTICES:
        raise callbacks.InvalidCallback(f"{data.action}: unknown page edge {edge!r}")
    return edge


async def answer_edge(update: Update, edge: str) -> None:
    """An inert Back or Next was pressed: say so in the button's toast, change nothing."""
    await answer_callback(update, i18n._(_EDGE_NOTICES[edge]))


Action = Callable[[Update, BotContext, User, "callbacks.Callback"], Awaitable[None]]


async def dispatch(
    update: Update,
    context: BotContext,
    actions: Mapping[str, Action],
    recording: frozenset[str],
) -> None:
    """A feature's buttons: `v1:<feature>:<action>:…` goes to `actions[action]`. An action in
    `recording` stores something: only the first press of its button does anything."""
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    action = data.arg(0)
    user = await current_user(update, context)
    act = actions.get(action)
    if act is None:
        raise callbacks.InvalidCallback(f"unknown action {data.action}:{action!r}")
    if action not in recording:
        await answer_callback(update)
        await act(update, context, user, data)
        return
    key = await first_press(update, context, user.user_id)
    if key is None:
        return
    await answer_callback(update)
    try:
        await act(update, context, user, data)
    except BaseException:
        await context.services.once.release(user.user_id, key)
        raise
