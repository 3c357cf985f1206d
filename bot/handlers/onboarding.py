"""A worker's first minute: language, country, privacy choices, then the main menu.

The same pickers serve /language, /country and /privacy later; the callback's last argument
says which flow it belongs to ("o" onboarding, "s" settings).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain.countries import COUNTRIES, OTHER
from bot.domain.users import Consent, User
from bot.handlers.common import answer_callback, current_user, inline, send
from bot.handlers.menu import main_menu_markup, show_menu
from bot.i18n import _

ONBOARDING, SETTINGS = "o", "s"


def _check_flow(flow: str) -> str:
    if flow not in (ONBOARDING, SETTINGS):
        raise callbacks.InvalidCallback(f"unknown flow {flow!r}")
    return flow


async def start(update: Update, context: BotContext) -> None:
    tg_user = update.effective_user
    assert tg_user is not None
    user = context.worker or await context.services.users.get_or_create(
        tg_user.id, tg_user.language_code
    )
    if user.onboarded:
        await show_menu(update, context, _("Welcome back! Here is the menu."))
        return
    await send(
        update,
        context,
        _(
            "👋 Hello! I help domestic workers know their rights and keep a record of "
            "their hours and pay. It is free and private."
        ),
    )
    await ask_language(update, context, user, ONBOARDING)


async def ask_language(update: Update, context: BotContext, user: User, flow: str) -> None:
    rows = [
        [
            (
                ("✅ " if code == user.locale else "") + i18n.NATIVE_NAMES[code],
                callbacks.encode("lang", code, flow),
            )
        ]
        for code in i18n.AVAILABLE_LOCALES
    ]
    await send(update, context, _("Choose your language:"), inline(rows))


async def language_command(update: Update, context: BotContext) -> None:
    await ask_language(update, context, await current_user(update, context), SETTINGS)


async def on_language(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    locale, flow = data.arg(0), _check_flow(data.arg(1))
    await current_user(update, context)
    assert update.effective_user is not None
    user = await context.services.users.set_locale(update.effective_user.id, locale)
    i18n.set_locale(user.locale)
    await answer_callback(update)
    if flow == ONBOARDING:
        await ask_country(update, context, user, flow)
    else:
        await show_menu(update, context, _("Done. I will speak English with you."))


async def ask_country(update: Update, context: BotContext, user: User, flow: str) -> None:
    rows = []
    for country in COUNTRIES:
        name = _("Another country") if country.code == OTHER else i18n.country_name(country.code)
        mark = "✅ " if country.code == user.country else ""
        rows.append(
            [(f"{mark}{country.flag} {name}", callbacks.encode("country", country.code, flow))]
        )
    await send(
        update,
        context,
        _("Which country do you work in? Your rights depend on its laws."),
        inline(rows),
    )


async def country_command(update: Update, context: BotContext) -> None:
    await ask_country(update, context, await current_user(update, context), SETTINGS)


async def on_country(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    code, flow = data.arg(0), _check_flow(data.arg(1))
    await current_user(update, context)
    assert update.effective_user is not None
    user = await context.services.users.set_country(update.effective_user.id, code)
    await answer_callback(update)
    if flow == ONBOARDING:
        await show_privacy(update, context, user, flow)
        return
    name = _("another country") if code == OTHER else i18n.country_name(code)
    await show_menu(update, context, _("Done. Country: {country}.").format(country=name))


def privacy_text() -> str:
    return "\n".join(
        [
            _("🔒 <b>Your privacy</b>"),
            "",
            _("I keep only what I need to help you:"),
            _("• your Telegram number (not your name or phone), your language and country;"),
            _("• the hours and payments you write down, only if you say yes below."),
            "",
            _("I never share your records with your employer."),
            _(
                "Unions can see anonymous statistics only from people who say yes. "
                "No one can find you in them."
            ),
            "",
            _("You can change these choices at any time with /privacy."),
            _("/mydata sends you a copy of your data. /delete erases all of it."),
        ]
    )


def privacy_markup(user: User, flow: str) -> InlineKeyboardMarkup:
    def box(on: bool) -> str:
        return "✅" if on else "⬜"

    return inline(
        [
            [
                (
                    f"{box(user.records_consent)} " + _("Keep my records"),
                    callbacks.encode(
                        "consent", Consent.RECORDS, int(not user.records_consent), flow
                    ),
                )
            ],
            [
                (
                    f"{box(user.statistics_consent)} " + _("Count me in anonymous statistics"),
                    callbacks.encode(
                        "consent", Consent.STATISTICS, int(not user.statistics_consent), flow
                    ),
                )
            ],
            [(_("Continue ➡️"), callbacks.encode("privacy_done", flow))],
        ]
    )


async def show_privacy(update: Update, context: BotContext, user: User, flow: str) -> None:
    await send(update, context, privacy_text(), privacy_markup(user, flow))


async def privacy_command(update: Update, context: BotContext) -> None:
    await show_privacy(update, context, await current_user(update, context), SETTINGS)


async def on_consent(update: Update, context: BotContext) -> None:
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    kind_raw, value, flow = data.arg(0), data.arg(1), _check_flow(data.arg(2))
    if kind_raw not in {c.value for c in Consent} or value not in ("0", "1"):
        raise callbacks.InvalidCallback("bad consent arguments")
    await current_user(update, context)
    assert update.effective_user is not None and query is not None
    user = await context.services.users.set_consent(
        update.effective_user.id, Consent(kind_raw), value == "1"
    )
    await answer_callback(update, _("Saved."))
    if query.message is not None:
        await context.bot.edit_message_reply_markup(
            query.message.chat.id,
            query.message.message_id,
            reply_markup=privacy_markup(user, flow),
        )


async def on_privacy_done(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    flow = _check_flow(data.arg(0))
    user = await current_user(update, context)
    await answer_callback(update)
    if flow == ONBOARDING and not user.onboarded:
        user = await context.services.users.finish_onboarding(user.user_id)
        records = (
            _("Your records will be kept.")
            if user.records_consent
            else _("Your records will not be kept. To log hours later, say yes in /privacy.")
        )
        await send(
            update,
            context,
            _("All set! ✅") + "\n" + records + "\n\n" + _("Here is the main menu. Tap a button."),
            main_menu_markup(),
        )
    else:
        await show_menu(update, context, _("Your choices are saved."))
