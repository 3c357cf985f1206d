"""A worker's first minute: language, country, privacy choices, then the main menu.

The same pickers serve /language, /country and /privacy later; the callback's flow argument
says which flow it belongs to ("o" onboarding, "s" settings, "z" /timezone). "Another
country" asks the region, then the country (paged), then, where the country keeps several
clocks, the time zone: all by buttons, with names, zones and currencies from CLDR.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain import countries
from bot.domain.countries import BY_CODE, ILO, NATIONAL, OTHER, Country, country
from bot.domain.users import Consent, User
from bot.handlers import flows
from bot.handlers.common import (
    INERT_LABEL,
    Button,
    Inert,
    answer_callback,
    current_user,
    escape,
    inline,
    nav_row,
    send,
)
from bot.handlers.menu import main_menu_markup, show_menu
from bot.i18n import _

# "z" is /timezone: the same region and country buttons, but only her time zone changes.
ONBOARDING, SETTINGS, TIME_ZONE = "o", "s", "z"
PLACE_FLOWS = (ONBOARDING, SETTINGS, TIME_ZONE)
PAGE_SIZE = 12  # countries per page: six rows of two, then Back / Menu / Next
ZONE_CONVERSATION = "timezone"  # /timezone waiting for a typed name (TIMEZONE in reminders.py)


def _check_flow(flow: str, allowed: tuple[str, ...] = (ONBOARDING, SETTINGS)) -> str:
    if flow not in allowed:
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


async def on_begin(update: Update, context: BotContext) -> None:
    """The Start button offered to someone the bot does not know: the same as /start."""
    await answer_callback(update)
    await start(update, context)


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
    await send(update, context, *_country_question(user, flow))


async def country_command(update: Update, context: BotContext) -> None:
    await ask_country(update, context, await current_user(update, context), SETTINGS)


async def ask_timezone(
    update: Update, context: BotContext, user: User, *, replace: bool = False
) -> None:
    """/timezone without a name: her zone, a button per clock of her country, and any other
    country's clocks through the region picker. A typed name works too (handlers/reminders)."""
    current = user.timezone or country(user.country).timezone
    text = _(
        "Your time zone is {tz}. To change it, write its name, for example: "
        "Europe/Madrid, America/Lima, Asia/Hong_Kong"
    ).format(tz=escape(current))
    rows: list[list[Button]] = []
    if user.country is not None and countries.is_country(user.country):
        choices = context.services.users.zone_choices(user.country)
        if len(choices) > 1:
            rows = _zone_rows(user, TIME_ZONE, user.country, choices, context.services.clock.now())
    rows.append([("🌍 " + _("Another country"), callbacks.encode("region", TIME_ZONE))])
    await _show(update, context, text, inline(rows), replace=replace)


async def on_region(update: Update, context: BotContext) -> None:
    """The "another country" picker: regions, then a region's countries page by page.

    `region:<flow>` lists the regions, `region:<flow>:<M49>:<page>` a page of countries,
    `region:<flow>:up` goes back to where the picker started, `region:<flow>:menu` leaves it.
    """
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    flow, rest = _check_flow(data.arg(0), PLACE_FLOWS), data.args[1:]
    user = await current_user(update, context)
    await answer_callback(update)
    if not rest:
        await _show(update, context, *_regions_screen(flow))
    elif rest == ("up",):
        await _start_over(update, context, user, flow)
    elif rest == ("menu",):
        if flow == ONBOARDING:  # no main menu before onboarding ends: start the question again
            await _start_over(update, context, user, flow)
        else:
            await show_menu(update, context)
    elif len(rest) == 2 and rest[0] in countries.REGION_BY_CODE:
        await _show(update, context, *_countries_screen(user, flow, rest[0], data.int_arg(2)))
    else:
        raise callbacks.InvalidCallback("unknown region step")


async def _start_over(update: Update, context: BotContext, user: User, flow: str) -> None:
    """Back to where the picker began: the country question, or /timezone's own screen."""
    if flow == TIME_ZONE:
        await ask_timezone(update, context, user, replace=True)
    else:
        await _show(update, context, *_country_question(user, flow))


async def on_country(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    code, flow = data.arg(0), _check_flow(data.arg(1), PLACE_FLOWS)
    user = await current_user(update, context)
    if code == OTHER:  # the "Another country" button of versions before the region picker
        await answer_callback(update)
        await _show(update, context, *_regions_screen(flow))
        return
    choices = context.services.users.zone_choices(code)  # refuses codes that are no country
    # The five with their own law keep their main zone (changeable with /timezone).
    if len(choices) > 1 and (flow == TIME_ZONE or code not in BY_CODE):
        await answer_callback(update)
        now = context.services.clock.now()
        await _show(update, context, *_zones_screen(user, flow, code, choices, now))
        return
    await _chosen(update, context, flow, code, choices[0])


async def on_zone(update: Update, context: BotContext) -> None:
    """`zone:<flow>:<country>:<zone with dots for slashes>`: one of the country's clocks."""
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    flow = _check_flow(data.arg(0), PLACE_FLOWS)
    code, zone = data.arg(1), countries.zone_from_arg(data.arg(2))
    await current_user(update, context)
    await _chosen(update, context, flow, code, zone)


async def _chosen(update: Update, context: BotContext, flow: str, code: str, zone: str) -> None:
    """Store the choice (the service validates both), then say what it means for her."""
    assert update.effective_user is not None
    users, now = context.services.users, context.services.clock.now()
    if flow == TIME_ZONE:
        user = await users.set_timezone(update.effective_user.id, zone, of_country=code)
        context.worker = user
        if context.flow is not None and context.flow.at(ZONE_CONVERSATION):
            await flows.end(context)  # no name to type now
        await answer_callback(update)
        await send(
            update,
            context,
            _("✅ Time zone: {tz}.").format(tz=escape(zone)) + "\n" + _your_time(zone, now),
        )
        return
    user = await users.set_country(update.effective_user.id, code, zone)
    context.worker = user
    await answer_callback(update)
    place = country(code)
    baseline = _baseline_lines(place, zone, now) if place.jurisdiction == ILO else []
    if flow == ONBOARDING:
        if baseline:
            header = f"{place.flag} <b>{escape(i18n.country_name(code))}</b>"
            await send(update, context, "\n".join([header, *baseline]))
        await show_privacy(update, context, user, flow)
        return
    done = _("Done. Country: {country}.").format(country=escape(i18n.country_name(code)))
    await show_menu(update, context, "\n".join([done, *baseline]))


# ---- the picker's screens ------------------------------------------------------------------

Screen = tuple[str, InlineKeyboardMarkup]


def region_name(code: str) -> str:
    """A world region's name (UN M49 code) in the current language, from CLDR via Babel."""
    return i18n.babel_locale(i18n.current_locale()).territories.get(code, code)


def zone_city(zone: str) -> str:
    """A zone's city in the current language ('Asia/Hong_Kong' -> 'Hong Kong')."""
    locale = i18n.babel_locale(i18n.current_locale())
    return str(babel_dates.get_timezone_location(zone, locale=locale, return_city=True))


def money_label(currency: str) -> str:
    """'Hong Kong dollar (HK$)' in the current language, from CLDR via Babel."""
    locale = i18n.babel_locale(i18n.current_locale())
    name = str(babel_numbers.get_currency_name(currency, locale=locale))
    symbol = babel_numbers.get_currency_symbol(currency, locale=locale)
    return name if symbol == currency else f"{name} " + i18n.isolate(f"({symbol})")


def _your_time(zone: str, now: dt.datetime) -> str:
    return _("Your time now: {time} ({place}).").format(
        time=i18n.fmt_time(now.astimezone(ZoneInfo(zone))), place=escape(zone_city(zone))
    )


def _baseline_lines(place: Country, zone: str, now: dt.datetime) -> list[str]:
    """What choosing a country without its own law here means: rules, clock and money."""
    return [
        _(
            "Your rights: the international standard, ILO Convention 189. "
            "I do not have this country's own law yet."
        ),
        _your_time(zone, now),
        _("Your money: {currency}.").format(currency=escape(money_label(place.currency))),
    ]


def _country_question(user: User, flow: str) -> Screen:
    rows: list[list[Button]] = []
    for item in NATIONAL:
        mark = "✅ " if item.code == user.country else ""
        label = f"{mark}{item.flag} {i18n.country_name(item.code)}"
        rows.append([(label, callbacks.encode("country", item.code, flow))])
    elsewhere = user.country is not None and user.country not in {c.code for c in NATIONAL}
    other = ("✅ " if elsewhere else "") + "🌍 " + _("Another country")
    rows.append([(other, callbacks.encode("region", flow))])
    return _("Which country do you work in? Your rights depend on its laws."), inline(rows)


def _nav(flow: str, back: str, following: str | Inert) -> list[Button]:
    """The last row of every screen after the first: Back, Menu, Next, always all three.

    Where a screen does not page, Next is a blank button that shows the same screen again.
    """
    return nav_row(back, (_("☰ Menu"), callbacks.encode("region", flow, "menu")), following)


def _regions_screen(flow: str) -> Screen:
    rows: list[list[Button]] = [
        [(f"{r.icon} {region_name(r.code)}", callbacks.encode("region", flow, r.code, 0))]
        for r in countries.REGIONS
    ]
    again = Inert(callbacks.encode("region", flow))  # one page: Next shows it again
    rows.append(_nav(flow, callbacks.encode("region", flow, "up"), again))
    return _("In which part of the world do you work?"), inline(rows)


def _countries_screen(user: User, flow: str, region_code: str, page: int) -> Screen:
    codes = countries.listing(region_code, i18n.country_name)
    pages = -(-len(codes) // PAGE_SIZE)
    page %= pages  # a stale page number still lands on a page; Next on the last wraps round
    buttons = [
        (
            ("✅ " if code == user.country else "")
            + f"{countries.flag(code)} {i18n.country_name(code)}",
            callbacks.encode("country", code, flow),
        )
        for code in codes[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    ]
    if pages > 1:  # a short last page keeps the grid, so the buttons below stay put
        this_page = callbacks.encode("region", flow, region_code, page)
        buttons += [(INERT_LABEL, this_page)] * (PAGE_SIZE - len(buttons))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    back = (
        callbacks.encode("region", flow, region_code, page - 1)
        if page > 0
        else callbacks.encode("region", flow)
    )
    rows.append(_nav(flow, back, callbacks.encode("region", flow, region_code, (page + 1) % pages)))
    region = countries.REGION_BY_CODE[region_code]
    title = f"{region.icon} <b>{escape(region_name(region_code))}</b> " + i18n.isolate(
        f"({page + 1}/{pages})"
    )
    return title + "\n" + _("Choose the country where you work."), inline(rows)


def _zone_rows(
    user: User, flow: str, code: str, choices: tuple[str, ...], now: dt.datetime
) -> list[list[Button]]:
    """A button per clock: its time now and its city, so she can match her phone's clock."""
    return [
        [
            (
                ("✅ " if zone == user.timezone else "")
                + f"🕒 {i18n.fmt_time(now.astimezone(ZoneInfo(zone)))} · {zone_city(zone)}",
                callbacks.encode("zone", flow, code, countries.zone_arg(zone)),
            )
        ]
        for zone in choices
    ]


def _zones_screen(
    user: User, flow: str, code: str, choices: tuple[str, ...], now: dt.datetime
) -> Screen:
    rows = _zone_rows(user, flow, code, choices, now)
    region_code = countries.REGION_OF[code]
    index = countries.listing(region_code, i18n.country_name).index(code)
    back = callbacks.encode("region", flow, region_code, index // PAGE_SIZE)
    rows.append(_nav(flow, back, Inert(callbacks.encode("country", code, flow))))  # this again
    place = f"{countries.flag(code)} <b>{escape(i18n.country_name(code))}</b>"
    text = _("{country} has more than one time zone. What time is it where you work?")
    return text.format(country=place), inline(rows)


async def _show(
    update: Update,
    context: BotContext,
    text: str,
    markup: InlineKeyboardMarkup,
    *,
    replace: bool = True,
) -> None:
    """Turn the picker's message into the next screen, so paging adds no messages; send a
    new one for a command, or when the old message cannot be edited."""
    query = update.callback_query
    message = query.message if query is not None else None
    if replace and message is not None:
        try:
            await context.bot.edit_message_text(
                text,
                message.chat.id,
                message.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # Next on a region with one page
                return
    await send(update, context, text, markup)


def privacy_text() -> str:
    return "\n".join(
        [
            _("🔒 <b>Your privacy</b>"),
            "",
            _("I keep only what I need to help you:"),
            _(
                "• your chat account's number (on WhatsApp: your phone number, kept only to "
                "answer you; never your name), your language and country;"
            ),
            _("• the hours and payments you write down, only if you say yes below."),
            "",
            _("I never share your records with your employer."),
            _(
                "Unions can see anonymous statistics only from people who say yes. "
                "No one can find you in them."
            ),
            "",
            _(
                "If someone else may look at your phone: Settings → 🕶 Discreet mode hides what "
                "notifications say, and /clear deletes our recent messages."
            ),
            _("Your messages to a helper (🙋 Ask a person) are seen only by your union's helpers."),
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
