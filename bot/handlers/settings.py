"""The Settings menu: language, country, privacy, and the user's data."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.handlers import data, discreet, onboarding
from bot.handlers.common import answer_callback, current_user, inline, send
from bot.i18n import _

_ACTIONS = {
    "language": onboarding.language_command,
    "country": onboarding.country_command,
    "privacy": onboarding.privacy_command,
    "discreet": discreet.show_discreet,
    "clear": discreet.clear_command,
    "mydata": data.mydata_command,
    "delete": data.delete_command,
}


async def show_settings(update: Update, context: BotContext) -> None:
    await current_user(update, context)
    await send(
        update,
        context,
        _("⚙️ <b>Settings</b>"),
        inline(
            [
                [(_("🌐 Language"), callbacks.encode("settings", "language"))],
                [(_("🗺 Country"), callbacks.encode("settings", "country"))],
                [(_("🔒 Privacy"), callbacks.encode("settings", "privacy"))],
                [(_("🕶 Discreet mode"), callbacks.encode("settings", "discreet"))],
                [(_("🧹 Clear this chat"), callbacks.encode("settings", "clear"))],
                [(_("📄 My data"), callbacks.encode("settings", "mydata"))],
                [(_("🗑 Delete my data"), callbacks.encode("settings", "delete"))],
            ]
        ),
    )


async def on_settings(update: Update, context: BotContext) -> None:
    data_ = callbacks.decode(update.callback_query.data if update.callback_query else None)
    action = _ACTIONS.get(data_.arg(0))
    if action is None:
        raise callbacks.InvalidCallback("unknown settings entry")
    await answer_callback(update)
    await action(update, context)
