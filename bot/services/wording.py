"""Wording shared by the chat and the printed statement, so both say the same thing."""

from __future__ import annotations

from typing import Any

from bot import i18n
from bot.i18n import N_, _, fmt_date, fmt_duration, fmt_money

UNIT_SUFFIX = {
    "hour": N_("per hour"),
    "day": N_("per day"),
    "week": N_("per week"),
    "month": N_("per month"),
}


def per_unit(unit: str) -> str:
    return _(UNIT_SUFFIX[unit])


def render_warning(code: str, details: dict[str, Any], currency: str) -> str:
    if code == "below_minimum_wage":
        return _(
            "Your pay ({agreed} {unit}) is below the minimum wage ({minimum} {unit}, "
            "in force from {date})."
        ).format(
            agreed=fmt_money(details["agreed"], currency),
            minimum=fmt_money(details["minimum"], currency),
            unit=per_unit(str(details["unit"])),
            date=fmt_date(details["effective"]),
        )
    if code == "over_daily_limit":
        return _("You worked {hours} more than the legal limit of {limit} hours a day.").format(
            hours=fmt_duration(int(details["minutes"])), limit=i18n.fmt_number(details["limit"])
        )
    if code == "over_weekly_limit":
        return _("You worked {hours} more than the legal limit of {limit} hours a week.").format(
            hours=fmt_duration(int(details["minutes"])), limit=i18n.fmt_number(details["limit"])
        )
    return _(
        "In the week of {day} you did not get the weekly rest of {hours} hours in a row."
    ).format(day=fmt_date(details["week_start"]), hours=i18n.fmt_number(details["hours"]))
