"""The main menu: big buttons with an icon and a few words, and /menu and /help."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Message, ReplyKeyboardMarkup, Update
from telegram.ext import filters

from bot import i18n
from bot.commands import visible_commands
from bot.context import BotContext
from bot.domain.small_talk import classify
from bot.handlers.common import current_user, escape, send
from bot.i18n import N_, _

MenuAction = Callable[[Update, BotContext], Awaitable[None]]


@dataclass(frozen=True)
class MenuItem:
    key: str
    icon: str
    label: str  # gettext msgid, 1-3 words


MENU: tuple[MenuItem, ...] = (
    MenuItem("rights", "📚", N_("Rights")),
    MenuItem("listen", "🎧", N_("Listen")),
    MenuItem("hours", "🕒", N_("Hours & pay")),
    MenuItem("ask", "🙋", N_("Ask a person")),
    MenuItem("reminders", "⏰", N_("Reminders")),
    MenuItem("news", "📣", N_("Meetings & news")),
    MenuItem("help", "❓", N_("Help")),
    MenuItem("settings", "⚙️", N_("Settings")),
)


# Labels a keyboard already on her phone may still show, from before they were shortened to
# fit small screens (2026-12). A tap on one keeps working: the keyboard sends the label.
FORMER_LABELS: dict[str, tuple[str, ...]] = {
    "news": (
        "📣 Reuniones y noticias",
        "📣 Reuniões e notícias",
        "📣 Réunions et infos",
        "📣 Pulong at balita",
        "📣 Mikutano na habari",
        "📣 الاجتماعات والأخبار",
    ),
    "hours": ("🕒 Heures et salaire",),
}


def label(item: MenuItem) -> str:
    return f"{item.icon} {_(item.label)}"


def main_menu_markup() -> ReplyKeyboardMarkup:
    labels = [label(item) for item in MENU]
    rows = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def _normalise(text: str) -> str:
    return " ".join(text.replace("\ufe0f", "").split()).casefold()


@functools.cache
def _label_index() -> dict[str, str]:
    """Every menu label in every language (with and without its icon) -> menu key.

    Matching all languages keeps an old keyboard working right after a language change.
    """
    index: dict[str, str] = {}
    for locale in i18n.AVAILABLE_LOCALES:
        with i18n.using(locale):
            for item in MENU:
                index[_normalise(label(item))] = item.key
                index[_normalise(_(item.label))] = item.key
    for key, former in FORMER_LABELS.items():
        for text in former:
            index.setdefault(_normalise(text), key)
            index.setdefault(_normalise(text.partition(" ")[2]), key)
    return index


def menu_key(text: str | None) -> str | None:
    return _label_index().get(_normalise(text or ""))


class MenuButtonFilter(filters.MessageFilter):
    """Matches a text message that is a main-menu label."""

    def filter(self, message: Message) -> bool:
        return menu_key(message.text) is not None


MENU_BUTTON = MenuButtonFilter(name="MenuButton")


async def show_menu(update: Update, context: BotContext, text: str | None = None) -> None:
    await send(update, context, text or _("Main menu. Tap a button."), main_menu_markup())


async def small_talk(update: Update, context: BotContext, text: str) -> bool:
    """Text router step: a greeting or a thank-you gets a friendly word and the menu."""
    kind = classify(text)
    if kind is None:
        return False
    if kind == "greeting":
        reply = _("👋 Hello! Tap a button below, or write your question in your own words.")
    else:
        reply = _("😊 You are welcome! I am here whenever you need me.")
    await show_menu(update, context, reply)
    return True


async def menu_command(update: Update, context: BotContext) -> None:
    await current_user(update, context)
    await show_menu(update, context)


async def help_command(update: Update, context: BotContext) -> None:
    assert update.effective_user is not None
    roles = await context.services.users.roles(update.effective_user.id)
    lines = [
        _("<b>What I can do</b>"),
        _(
            "I explain your rights at work, help you keep a record of your hours and pay, "
            "and remind you of important dates. Tap the menu buttons or send a command:"
        ),
        "",
    ]
    lines += [f"/{c.name} — {escape(_(c.description))}" for c in visible_commands(roles)]
    lines += ["", _("Your data is yours: /mydata gives you a copy and /delete erases it.")]
    await send(update, context, "\n".join(lines), main_menu_markup())


class MenuRouter:
    """Maps menu keys to the feature that answers them."""

    def __init__(self) -> None:
        self._actions: dict[str, MenuAction] = {"help": help_command}

    def route(self, key: str, action: MenuAction) -> None:
        self._actions[key] = action

    def check_complete(self) -> None:
        """Every main-menu entry must lead somewhere."""
        missing = {item.key for item in MENU} - set(self._actions)
        if missing:
            raise RuntimeError(f"menu entries without a feature: {sorted(missing)}")

    async def __call__(self, update: Update, context: BotContext) -> None:
        await current_user(update, context)
        assert update.effective_message is not None
        key = menu_key(update.effective_message.text)
        assert key is not None  # the MENU_BUTTON filter matched it
        await self._actions[key](update, context)
