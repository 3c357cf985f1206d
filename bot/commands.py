"""Every command the bot answers, with its description; /help, setMyCommands and the README
consistency test all read this list."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.users import Role
from bot.i18n import N_


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # gettext msgid
    role: Role | None = None  # None: every user


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Start, or start again")),
    Command("menu", N_("Show the main menu")),
    Command("help", N_("What I can do and my commands")),
    Command("cancel", N_("Stop what you are doing; nothing is saved")),
    Command("hours", N_("Log your hours and payments")),
    Command("export", N_("Your record as a spreadsheet and a PDF")),
    Command("handbook", N_("Your rights as a PDF to keep or print")),
    Command("check", N_("Is this right? A check of your job in 8 questions")),
    Command("ask", N_("Ask a person at your union, confidentially")),
    Command("clear", N_("Delete our messages of the last 48 hours from this chat")),
    Command("stop", N_("Stop all news and meeting messages")),
    Command("timezone", N_("See or change your time zone")),
    Command("language", N_("Change language")),
    Command("country", N_("Change country")),
    Command("privacy", N_("What I store and your choices")),
    Command("mydata", N_("Get a copy of all your data")),
    Command("delete", N_("Delete all your data")),
    Command("join", N_("Join a union team with an invite code")),
    Command("announce", N_("Write an announcement to workers"), Role.ORGANISER),
    Command("broadcasts", N_("Your announcements and their delivery"), Role.ORGANISER),
    Command("meeting", N_("Plan a meeting and invite workers"), Role.ORGANISER),
    Command("meetings", N_("Your meetings and who is coming"), Role.ORGANISER),
    Command("episode", N_("Add an audio episode you recorded"), Role.ORGANISER),
    Command("cases", N_("Help requests from workers"), Role.HELPER),
    Command("stats", N_("Anonymous statistics: summary, chart and CSV"), Role.ANALYST),
    Command("invite", N_("Make an invite code for an organiser, analyst or helper"), Role.ADMIN),
)


def visible_commands(roles: set[Role]) -> list[Command]:
    return [c for c in COMMANDS if c.role is None or c.role in roles or Role.ADMIN in roles]
