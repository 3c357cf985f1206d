"""/stats for analysts and admins: a short summary, a chart and the CSV of the anonymous
report (bot.services.stats). Workers are refused; nothing here sees a per-worker row."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

from telegram import InputFile, Update

from bot import i18n
from bot.context import BotContext
from bot.domain.anonymity import period_start
from bot.domain.countries import BY_CODE, OTHER
from bot.domain.errors import UserFacingError
from bot.domain.users import Role
from bot.handlers.common import current_user, escape, send
from bot.i18n import N_, _
from bot.services.stats import (
    ALL,
    DEFAULT_MONTHS,
    MAX_MONTHS,
    ChartText,
    Report,
    Row,
    Usage,
    chart_png,
    default_period,
    month_range,
)

USAGE = N_("Write /stats, or add a country code and a number of months, for example: /stats MX 12")


def parse_args(args: list[str], today: dt.date) -> tuple[str | None, dt.date, dt.date]:
    """`/stats [COUNTRY] [MONTHS]` in either order."""
    country_code: str | None = None
    months: int | None = None
    for raw in args[:2]:
        value = raw.strip().upper()
        if value.isdecimal() and months is None and 1 <= int(value) <= MAX_MONTHS:
            months = int(value)
        elif value in BY_CODE and country_code is None:
            country_code = value
        else:
            raise UserFacingError(USAGE)
    if len(args) > 2:
        raise UserFacingError(USAGE)
    start, end = default_period(today, months or DEFAULT_MONTHS)
    return country_code, start, end


def period_label(period: str) -> str:
    """'2026-05' -> 'May 2026' and '2026-Q2' -> 'Q2 2026', in the current language."""
    return i18n.fmt_date(period_start(period), "QQQ y" if "Q" in period else "LLLL y")


def place_name(code: str) -> str:
    if code == ALL:
        return _("All countries")
    if code == OTHER:
        return _("Other countries")
    return i18n.country_name(code)


def _percent(value: int | None) -> str:
    return "–" if value is None else i18n.fmt_percent(value)


def _money(value: float | None, currency: str) -> str:
    return "–" if value is None else i18n.fmt_money(Decimal(str(value)), currency)


def _hours(value: float | None) -> str:
    return "–" if value is None else i18n.fmt_number(value)


def describe_row(row: Row) -> str:
    lines = [
        _("{place}, {period}").format(
            place=f"<b>{escape(place_name(row.country))}</b>",
            period=escape(period_label(row.period)),
        ),
        _("Workers: about {count}").format(count=i18n.fmt_number(row.workers or 0)),
        _("Hours per week: median {median}; 9 in 10 work up to {p90}").format(
            median=_hours(row.hours_median), p90=_hours(row.hours_p90)
        ),
    ]
    if row.over_limit_pct is not None:
        lines.append(
            _("Above the legal weekly limit: {share}").format(share=_percent(row.over_limit_pct))
        )
    if row.pay_median is not None:
        lines.append(
            _("Median pay per hour: {pay}").format(pay=_money(row.pay_median, row.currency))
        )
    if row.minimum_hourly is not None and row.below_minimum_pct is not None:
        lines.append(
            _("Paid below the minimum wage ({minimum} per hour): {share}").format(
                minimum=_money(row.minimum_hourly, row.currency),
                share=_percent(row.below_minimum_pct),
            )
        )
    if row.unpaid_pct is not None:
        lines.append(
            _("Owed unpaid pay: {share}").format(share=_percent(row.unpaid_pct))
            + (
                " · " + _("in all {amount}").format(amount=_money(row.unpaid_total, row.currency))
                if row.unpaid_total is not None
                else ""
            )
        )
    return "\n".join(lines)


def _item_title(context: BotContext, use: Usage, locale: str) -> str:
    if use.kind == "topic":
        found = context.services.library.get("ilo", use.item, locale)
        return found.topic.title if found else use.item
    for episode in context.services.episodes:
        if episode.id == use.item:
            return (
                episode.titles.get(locale)
                or episode.titles.get("en")
                or next(iter(episode.titles.values()), use.item)
            )
    return use.item


def period_heading(report: Report) -> str:
    """Exactly which months are in: the first, the last, how many, and where a month is cut
    short (the current one, up to today)."""
    months = month_range(report.start, report.end)
    heading = i18n.ngettext(
        "📊 <b>Anonymous statistics</b>: {first} to {last} ({count} month)",
        "📊 <b>Anonymous statistics</b>: {first} to {last} ({count} months)",
        len(months),
    ).format(
        first=escape(period_label(months[0])),
        last=escape(period_label(months[-1])),
        count=i18n.fmt_number(len(months)),
    )
    notes = []
    if report.start.day != 1:
        notes.append(
            _("{month} counts from {day}.").format(
                month=escape(period_label(months[0])), day=i18n.fmt_date(report.start)
            )
        )
    if (report.end + dt.timedelta(days=1)).day != 1:
        notes.append(
            _("{month} counts up to {day}, included.").format(
                month=escape(period_label(months[-1])), day=i18n.fmt_date(report.end)
            )
        )
    return "\n".join([heading, *notes])


def chart_text(report: Report) -> ChartText:
    """The chart's words in her language. Matplotlib cannot join Arabic letters or lay out
    right-to-left text, so a right-to-left reader gets the chart in English (the caption
    sent with it is in her language)."""
    months = month_range(report.start, report.end)
    if i18n.is_rtl():
        with i18n.using("en"):
            return chart_text(report)
    return ChartText(
        title=_("Anonymous statistics, {first} to {last}").format(
            first=period_label(months[0]), last=period_label(months[-1])
        ),
        hours_title=_("Median hours per week"),
        hours_axis=_("hours per week"),
        period_axis=_("period"),
        shares_title=_("Latest period, share of workers"),
        shares_axis=_("Workers (%)"),
        unpaid=_("owed unpaid pay"),
        below_minimum=_("paid below the minimum wage"),
    )


def summary(report: Report, context: BotContext, locale: str) -> str:
    """The latest published period of each place, the suppressed count and what is read."""
    latest: dict[str, Row] = {}
    for row in report.country_rows():
        if row.suppressed is None:
            latest[row.country] = row  # rows come in period order
    hidden = sum(1 for row in report.rows if row.suppressed)
    parts = [
        period_heading(report),
        _(
            "Only workers who agreed are counted. Groups of fewer than {k} workers are hidden "
            "or merged, and every figure is rounded."
        ).format(k=i18n.fmt_number(report.k)),
    ]
    if not latest:
        parts.append(_("No figures to show yet: too few workers in this period."))
        return "\n\n".join(parts)
    order = [ALL, *sorted(c for c in latest if c != ALL)]
    parts += [describe_row(latest[code]) for code in order if code in latest]
    if hidden:
        parts.append(
            i18n.ngettext(
                "{count} figure is hidden to protect workers.",
                "{count} figures are hidden to protect workers.",
                hidden,
            ).format(count=i18n.fmt_number(hidden))
        )
    for kind, heading in (
        ("topic", _("Most read rights topics:")),
        ("episode", _("Most played episodes:")),
    ):
        items = [u for u in report.usage if u.country == ALL and u.kind == kind]
        if items:
            parts.append(
                f"<b>{heading}</b>\n"
                + "\n".join(
                    f"- {escape(_item_title(context, u, locale))} ({i18n.fmt_number(u.workers)})"
                    for u in items
                )
            )
    meetings = [m for m in report.rsvps if m.country == ALL and m.suppressed is None]
    if meetings:
        m = meetings[-1]
        parts.append(
            _("Meetings, {period}: {count} invited, {share} said they are coming").format(
                period=escape(period_label(m.period)),
                count=i18n.fmt_number(m.invited or 0),
                share=_percent(m.going_pct),
            )
        )
    return "\n\n".join(parts)


async def stats_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    await context.services.roles.require(
        user.user_id,
        Role.ANALYST,
        refusal=N_("Sorry, statistics are only for union analysts."),
    )
    today = context.services.clock.now().date()
    country_code, start, end = parse_args(list(context.args or []), today)
    async with context.services.expensive.slot(user.user_id):
        report = await context.services.stats.report(start, end, country_code)
    await send(update, context, summary(report, context, user.locale))
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    if any(row.suppressed is None for row in report.rows):
        png = await asyncio.to_thread(chart_png, report, chart_text(report))
        await context.bot.send_photo(
            chat_id,
            InputFile(png, filename="stats.png"),
            caption=_(
                "Left: median hours per week, one line per country. Right, for the latest "
                "period: red, the share owed unpaid pay; blue, the share paid below the "
                "minimum wage."
            ),
        )
    stem = f"stats-{start.isoformat()}-{end.isoformat()}" + (
        f"-{country_code}" if country_code else ""
    )
    await context.bot.send_document(
        chat_id,
        InputFile(report.to_csv().encode(), filename=f"{stem}.csv"),
        caption=_("📤 The full report as a spreadsheet (CSV)."),
    )
    await context.services.roles.audit(
        user.user_id,
        "stats",
        {"country": country_code, "from": start.isoformat(), "to": end.isoformat()},
    )
