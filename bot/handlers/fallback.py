"""Answers for everything no feature handled: the bot never stays silent or crashes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.domain.text import MAX_INPUT_CHARS, has_words
from bot.handlers.common import answer_callback, inline, send, start_again_markup
from bot.handlers.menu import main_menu_markup
from bot.i18n import _


async def unknown_command(update: Update, context: BotContext) -> None:
    await send(update, context, _("I don't know that command. Send /help to see what I can do."))


async def edited_message(update: Update, context: BotContext) -> None:
    await send(
        update,
        context,
        _("I only read new messages, not edits. Please send it again as a new message."),
    )


async def unsupported_media(update: Update, context: BotContext) -> None:
    """A sticker, video, location… with nothing waiting for it (voice notes, photos and
    documents are offered to a helper by the cases feature)."""
    await send(
        update,
        context,
        _(
            "I can't use this kind of message. You can write, send a voice note, a photo or a "
            "document, or tap a button."
        ),
        main_menu_markup(),
    )


TextInterpreter = Callable[[Update, BotContext, str], Awaitable[bool]]


class TextRouter:
    """Free text goes to each feature in turn (hours entries, reminders, rights search…);
    the first that understands it answers. Order matters: the most specific come first."""

    def __init__(self, interpreters: list[TextInterpreter]) -> None:
        self.interpreters = interpreters

    async def __call__(self, update: Update, context: BotContext) -> None:
        assert update.effective_message is not None
        text = update.effective_message.text or ""
        if context.worker is not None and len(text) < MAX_INPUT_CHARS and has_words(text):
            for interpret in self.interpreters:
                if await interpret(update, context, text):
                    return
        await free_text(update, context)


MediaInterpreter = Callable[[Update, BotContext], Awaitable[bool]]


class MediaRouter:
    """Photos, voice notes and documents go to the feature expecting one, else a polite no."""

    def __init__(self, interpreters: list[MediaInterpreter]) -> None:
        self.interpreters = interpreters

    async def __call__(self, update: Update, context: BotContext) -> None:
        for interpret in self.interpreters:
            if await interpret(update, context):
                return
        await unsupported_media(update, context)


async def free_text(update: Update, context: BotContext) -> None:
    """Text no feature understood."""
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    if context.worker is None:
        await send(update, context, _("👋 Hello! Tap Start to begin."), start_again_markup())
        return
    if len(text) >= MAX_INPUT_CHARS:
        reply = _("That message is very long. Please send a short message or question.")
    elif not has_words(text):
        reply = _("Tap a button below, or write a question in words. Send /help for help.")
    else:
        # Her words did not match anything: a person may help where the bot cannot.
        await send(
            update,
            context,
            _(
                "Sorry, I did not understand. Tap a button below, or send /help to see what I "
                "can do. Or ask a person at your union:"
            ),
            inline([[(_("🙋 Ask a person"), callbacks.encode("ask", "intro"))]]),
        )
        return
    await send(update, context, reply, main_menu_markup())


async def stale_button(update: Update, context: BotContext) -> None:
    """A button this version of the bot did not make, or one too old to work."""
    await answer_callback(update, _("This button no longer works."))
    if context.worker is None:
        await send(update, context, _("👋 Hello! Tap Start to begin."), start_again_markup())
        return
    await send(
        update, context, _("That button is old. Here is the menu again."), main_menu_markup()
    )
