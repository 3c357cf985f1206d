"""Command line: `dwbot` (or `python -m bot`) and its subcommands."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Sequence

from bot import logs
from bot.config import ConfigError, Settings

log = logging.getLogger("bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dwbot",
        description="Domestic workers' rights bot. With no command: Telegram if "
        "TELEGRAM_BOT_TOKEN is set, else the offline console.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the main job (the default)")
    sub.add_parser("telegram", help="run on Telegram (long polling); needs TELEGRAM_BOT_TOKEN")
    console = sub.add_parser("console", help="chat with the bot offline in this terminal")
    console.add_argument("--user-id", type=int, default=1, help="your user id (default 1)")
    console.add_argument(
        "--language", default=None, help="Telegram language code to pretend, e.g. es-MX or ar"
    )
    admin = sub.add_parser(
        "admin", help="grant, revoke and list organiser, analyst and helper roles"
    )
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    for name in ("grant", "revoke"):
        action = admin_sub.add_parser(name, help=f"{name} a role")
        action.add_argument("user_id", type=int, help="the person's Telegram user id")
        action.add_argument("role", choices=["organiser", "analyst", "helper"])
    admin_sub.add_parser("list", help="everyone with a role (admins come from DWBOT_ADMIN_IDS)")
    audio = sub.add_parser("audio", help="build the audio episodes from transcripts/recordings")
    audio_sub = audio.add_subparsers(dest="audio_command", required=True)
    build = audio_sub.add_parser("build", help="encode episodes whose source changed")
    build.add_argument("--force", action="store_true", help="encode everything again")
    content = sub.add_parser("content", help="check the rights library or show its coverage")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    content_sub.add_parser("check", help="validate every content file; exit 1 on any problem")
    content_sub.add_parser("stats", help="coverage table: jurisdiction x topic x language")
    stats = sub.add_parser("stats", help="the anonymous statistics report (as /stats shows it)")
    stats.add_argument("--country", help="ISO code, e.g. MX (default: every country)")
    stats.add_argument("--from", dest="start", help="YYYY-MM or YYYY-MM-DD (default: 6 months ago)")
    stats.add_argument("--to", dest="end", help="YYYY-MM or YYYY-MM-DD (default: today)")
    stats.add_argument("--format", choices=["table", "csv", "json"], default="table")
    stats.add_argument("--k", type=int, default=10, help="smallest group published (5 or more)")
    stats.add_argument(
        "--epsilon", type=float, default=None, help="add Laplace noise to counts (off by default)"
    )
    demo = sub.add_parser("demo-data", help="fill the database with synthetic workers")
    demo.add_argument("--workers", type=int, default=2_000)
    demo.add_argument("--entries", type=int, default=40_000)
    demo.add_argument("--months", type=int, default=6)
    demo.add_argument("--seed", type=int, default=189)
    demo.add_argument(
        "--append", action="store_true", help="add to a database that already has users"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        logs.configure(
            settings.log_level,
            secrets=[
                secret
                for secret in (
                    settings.token,
                    settings.whatsapp_token,
                    settings.whatsapp_app_secret,
                    settings.whatsapp_verify_token,
                )
                if secret
            ],
        )
        settings.ensure_data_dir()
        return _dispatch(args, settings)
    except ConfigError as exc:
        print(f"dwbot: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command or "run"
    if command == "run":
        command = (
            "whatsapp" if settings.whatsapp_token else "telegram" if settings.token else "console"
        )
    if command in ("console", "telegram", "whatsapp"):
        from bot.storage.database import unreadable

        problem = unreadable(settings.database_path)
        if problem is not None:
            print(
                f"dwbot: the database {settings.database_path} cannot be used ({problem});"
                " restore it from a backup or move it away, then start again",
                file=sys.stderr,
            )
            return 2
    if command == "whatsapp":
        from bot.channels.whatsapp.run import run_whatsapp

        return run_whatsapp(settings)
    if command == "console":
        from bot.channels.console import run_console

        if settings.log_level == "INFO":  # the chat is on the same terminal: only problems
            logging.getLogger().setLevel(logging.WARNING)

        return asyncio.run(
            run_console(
                settings, args.user_id if "user_id" in args else 1, getattr(args, "language", None)
            )
        )
    if command == "content":
        return _content(args.content_command)
    if command == "audio":
        from bot.services import episodes

        report = episodes.build(force=args.force)
        print(
            f"built {len(report.built)}, unchanged {len(report.unchanged)},"
            f" no offline voice {len(report.no_voice)}"
        )
        for line in report.lines:
            print(f"  built {line}")
        for name in report.no_voice:
            print(f"  no voice {name} (record a human voice as <lang>.wav)")
        return 0
    if command == "admin":
        return asyncio.run(_admin(settings, args))
    if command == "stats":
        return asyncio.run(_stats(settings, args))
    if command == "demo-data":
        return asyncio.run(_demo_data(settings, args))
    if command == "telegram":
        if not settings.token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
        return _run_telegram(settings)
    raise AssertionError(command)


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from bot.domain.clock import SystemClock
    from bot.services.organisers import RoleService
    from bot.services.users import UserService
    from bot.storage.database import Database
    from bot.storage.organisers import OrganiserStore
    from bot.storage.users import UserStore

    db = await Database.open(settings.database_path)
    try:
        clock = SystemClock()
        users = UserService(UserStore(db), clock, settings.admin_ids, settings.default_locale)
        roles = RoleService(OrganiserStore(db), clock, users)
        if args.admin_command == "grant":
            await roles.grant(args.user_id, args.role)
            print(f"granted {args.role} to {args.user_id}")
        elif args.admin_command == "revoke":
            done = await roles.revoke(args.user_id, args.role)
            print(f"revoked {args.role} from {args.user_id}" if done else "no such role")
            return 0 if done else 1
        else:
            for user_id in sorted(settings.admin_ids):
                print(f"{user_id}\tadmin\t(DWBOT_ADMIN_IDS)")
            for user_id, role, granted_at in await OrganiserStore(db).all_roles():
                print(f"{user_id}\t{role}\t{granted_at}")
        return 0
    finally:
        await db.close()


async def _stats(settings: Settings, args: argparse.Namespace) -> int:
    from bot.domain.anonymity import Policy
    from bot.domain.clock import SystemClock
    from bot.domain.countries import BY_CODE
    from bot.services.content import Library
    from bot.services.stats import StatsService, parse_period
    from bot.storage.database import Database
    from bot.storage.stats import StatsStore

    clock = SystemClock()
    country = args.country.upper() if args.country else None
    try:
        if country is not None and country not in BY_CODE:
            raise ValueError(f"unknown country {args.country!r}; use one of {', '.join(BY_CODE)}")
        start, end = parse_period(args.start, args.end, clock.now().date())
        policy = Policy(k=args.k, epsilon=args.epsilon)
    except ValueError as exc:
        print(f"dwbot stats: {exc}", file=sys.stderr)
        return 2
    db = await Database.open(settings.database_path)
    try:
        report = await StatsService(StatsStore(db), Library.load(), clock).report(
            start, end, country, policy
        )
    finally:
        await db.close()
    output = {"table": report.to_table, "csv": report.to_csv, "json": report.to_json}
    sys.stdout.write(output[args.format]())
    return 0


async def _demo_data(settings: Settings, args: argparse.Namespace) -> int:
    from bot.domain.clock import SystemClock
    from bot.services import demo_data
    from bot.storage.database import Database
    from bot.storage.stats import StatsStore

    if not (1 <= args.workers <= 1_000_000 and 1 <= args.entries <= 50_000_000):
        print("dwbot demo-data: --workers 1..1000000 and --entries 1..50000000", file=sys.stderr)
        return 2
    db = await Database.open(settings.database_path)
    try:
        store = StatsStore(db)
        if await store.has_users() and not args.append:
            print(
                f"dwbot demo-data: {settings.database_path} already has users; "
                "use --append to add synthetic workers beside them",
                file=sys.stderr,
            )
            return 1
        first_user, first_household = await store.next_demo_ids(demo_data.DEMO_ID_BASE)
        rows = demo_data.generate(
            args.workers,
            args.entries,
            SystemClock().now().date(),
            months=args.months,
            seed=args.seed,
            first_user=first_user,
            first_household=first_household,
        )
        await store.bulk_load(rows)
    finally:
        await db.close()
    print(
        f"added {len(rows.users):,} synthetic workers, {len(rows.entries):,} entries and "
        f"{len(rows.payments):,} payments to {settings.database_path}"
    )
    return 0


def _content(action: str) -> int:
    from bot.domain.content import LANGUAGES
    from bot.services.content import Library

    library = Library.load()
    if action == "check":
        problems = library.check()
        for problem in problems:
            print(problem)
        # A figure that expires soon is a warning, not a failure: its successor is not out yet.
        warnings = library.expiring(dt.date.today())
        for warning in warnings:
            print(f"warning: {warning}")
        topics, rules = len(library.topics), len(library.rules)
        print(
            f"{topics} topic files, {rules} rules files, {len(problems)} problems,"
            f" {len(warnings)} warnings"
        )
        return 1 if problems else 0
    print(f"{'jurisdiction':<12} {'topic':<16} " + " ".join(f"{lang:>3}" for lang in LANGUAGES))
    coverage = library.coverage()
    for jurisdiction, topic, present in coverage:
        marks = " ".join(f"{'✓' if lang in present else '·':>3}" for lang in LANGUAGES)
        print(f"{jurisdiction:<12} {topic:<16} {marks}")
    files = sum(len(present) for _j, _t, present in coverage)
    print(
        f"{files} of {len(coverage) * len(LANGUAGES)} topic files ({len(coverage)} topics x"
        f" {len(LANGUAGES)} languages)"
    )
    print()
    print("Words per sentence (a line is a sentence), as written and as the chat shows it")
    print("(citations lifted into the page's footer); share of sentences over 20 words:")
    print(
        f"{'language':<9} {'files':>5} {'written':>8} {'shown':>6}"
        f" {'>20 written':>12} {'>20 shown':>10}"
    )
    for lang, row in library.readability().items():
        print(
            f"{lang:<9} {row.files:>5} {row.written:>8.1f} {row.shown:>6.1f}"
            f" {row.long_written:>11.0%} {row.long_shown:>10.0%}"
        )
    return 0


def _run_telegram(settings: Settings) -> int:
    from telegram import Update
    from telegram.error import InvalidToken

    from bot.app import build_application

    app = build_application(settings)
    try:
        # bootstrap_retries=-1: with no network at start, keep trying instead of exiting.
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except InvalidToken:
        print("dwbot: Telegram refused TELEGRAM_BOT_TOKEN (invalid or revoked)", file=sys.stderr)
        return 2
    return 0
