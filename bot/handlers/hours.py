"""Hours & pay: households, clock in and out, typed entries, payments, summaries, export.

Every multi-step task is a declared flow (`FLOWS` at the end): adding a household, a pay
change, logging hours or a payment by taps, confirming a typed entry, changing an entry and
the end-of-job calculator. Each can be done by tapping alone; typing works at every step.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from telegram import InputFile, Update
from telegram.error import BadRequest

from bot import callbacks, i18n
from bot.callbacks import Callback
from bot.context import BotContext
from bot.domain.countries import country
from bot.domain.dates import parse_date
from bot.domain.entry_parser import (
    ParsedPayment,
    ParsedShift,
    ParseError,
    parse_payment,
    parse_shift,
)
from bot.domain.errors import UserFacingError
from bot.domain.flows import Flow
from bot.domain.records import PAY_UNITS, Employer, JobEnding
from bot.domain.settlement import REASONS, Settlement
from bot.domain.users import Consent, User
from bot.domain.wages import Summary
from bot.handlers import flows, pickers
from bot.handlers.common import (
    Action,
    Button,
    current_user,
    dispatch,
    escape,
    inline,
    send,
)
from bot.handlers.flows import FlowSpec, buttons
from bot.i18n import N_, _, fmt_date, fmt_duration, fmt_money, fmt_time
from bot.services.hours import (
    MAX_AMOUNT,
    HoursService,
    NeedsChoice,
    Period,
    agreement_of,
    parse_amount,
    validate_nickname,
)
from bot.services.wording import (
    balance_text,
    ending_reason,
    per_unit,
    render_settlement,
    summary_lines,
)

ENTRY, EMPLOYER, PAYMENT, EDIT = "entry", "employer", "payment", "edit"
TERMS, ENDING, LOG = "terms", "ending", "log"
# Buttons that record something: a second press of the same button changes nothing.
RECORDING = frozenset({"date", "emp", "ok", "mvs", "ovl", "vac", "livein", "le", "lm", "lu"})
# Date-picker tags: new household, pay change, job end, log hours, payment, export month;
# "s<id>" changes a household's start date.
DATE_TAGS = frozenset({"n", "t", "e", "l", "p", "x"})
# Shown in her language: translators write the forms workers there type.
EXAMPLES = N_("8h · 9:00-17:30 · yesterday 9-17")
UNIT_LABELS = {
    "hour": N_("Per hour"),
    "day": N_("Per day"),
    "week": N_("Per week"),
    "month": N_("Per month"),
}
PERIODS = {
    "week": N_("This week"),
    "lastweek": N_("Last week"),
    "month": N_("This month"),
    "lastmonth": N_("Last month"),
}
PARSE_ERRORS = {
    "future_date": N_("That date is in the future. You can log only work done."),
    "over_24h": N_("That is more than 24 hours. Please check the hours."),
    "zero_duration": N_("That adds up to no time worked. Please check the hours."),
    "break_too_long": N_("The break is longer than the work. Please check it."),
    "bad_amount": N_("Please write the amount as a number, for example: 1500"),
    "negative": N_("Hours and amounts cannot be negative. Please check the number."),
    "bad_date": N_("That date does not exist. Please check the day and the month."),
    "bad_time": N_("That is not a time of day. Please write times from 0:00 to 23:59."),
    "not_understood": N_(
        "I could not read that entry. Please write it with digits, for example: 8h or 9-17"
    ),
}


def _service(context: BotContext) -> HoursService:
    return context.services.hours


def _data(update: Update) -> callbacks.Callback:
    return callbacks.decode(update.callback_query.data if update.callback_query else None)


# ---- the main screen ---------------------------------------------------------------------
async def show_hours(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    service = _service(context)
    if not user.records_consent:
        await send(
            update,
            context,
            _(
                "🕒 <b>Hours & pay</b>\n\nHere you can keep your own record of the hours you "
                "work and the money you receive. It is evidence for a union or an inspector.\n\n"
                "To do it, I need your OK to keep your records."
            ),
            inline([[(_("✅ Keep my records"), callbacks.encode("h", "consent"))]]),
        )
        return
    employers = await service.employers(user)
    if not employers:
        await ask_nickname(update, context, user)
        return
    today = service.today(user)
    week = await service.summaries(user, Period.named("week", today))
    overall = await service.since_start(user)
    lines = [_("🕒 <b>Hours & pay</b>")]
    for weekly, total in zip(week, overall, strict=True):
        employer = weekly.employer
        lines += [
            "",
            f"🏠 <b>{escape(employer.nickname)}</b>",
            _("This week: {hours} worked").format(hours=fmt_duration(weekly.summary.minutes)),
            _("Since {start}: {due} earned, {paid} paid").format(
                start=fmt_date(agreement_of(employer).starts),
                due=fmt_money(total.summary.due, employer.currency),
                paid=fmt_money(total.summary.paid, employer.currency),
            ),
            balance_line(total.summary.balance, employer.currency),
        ]
    running = await service.running_clock(user)
    if running is not None:
        started = running[1].astimezone(service.timezone(user))
        lines += ["", _("⏱ Working since {time}.").format(time=fmt_time(started))]
    lines += [
        "",
        _("Tap 📝 Log hours, or just write them, for example: {examples}").format(
            examples=_(EXAMPLES)
        ),
    ]
    clock_button = (
        (_("⏹ Stop work"), callbacks.encode("h", "stop"))
        if running
        else (_("▶️ Start work"), callbacks.encode("h", "start"))
    )
    rows: list[list[Button]] = [
        [clock_button],
        [
            (_("📝 Log hours"), callbacks.encode("h", "log")),
            (_("💵 Log payment"), callbacks.encode("h", "pay")),
        ],
        [
            (_("📊 This week"), callbacks.encode("h", "sum", "week")),
            (_("📊 This month"), callbacks.encode("h", "sum", "month")),
        ],
        [
            (_("📋 My entries"), callbacks.encode("h", "list")),
            (_("📤 Export"), callbacks.encode("h", "export", "pick")),
        ],
        [
            (_("🏠 My households"), callbacks.encode("h", "homes")),
            (_("🧾 If the job ends"), callbacks.encode("h", "end")),
        ],
        [(_("➕ Add a household"), callbacks.encode("h", "addemp"))],
    ]
    await send(update, context, "\n".join(lines), inline(rows))


async def record_summary(context: BotContext, worker: User) -> str | None:
    """Her hours and pay since each household's start, as lines for a helper she chose to
    share it with (the household nicknames are hers; no name of hers is in it)."""
    service = _service(context)
    if not worker.records_consent:
        return None
    lines = []
    for total in await service.since_start(worker):
        employer = total.employer
        lines += [
            f"🏠 {escape(employer.nickname)}",
            _("Since {start}: {due} earned, {paid} paid").format(
                start=fmt_date(agreement_of(employer).starts),
                due=fmt_money(total.summary.due, employer.currency),
                paid=fmt_money(total.summary.paid, employer.currency),
            ),
            balance_line(total.summary.balance, employer.currency),
        ]
    return "\n".join(lines) or None


def balance_line(balance: Decimal, currency: str) -> str:
    text = balance_text(balance, currency)
    return f"<b>{text}</b>" if balance > 0 else text


# ---- adding a household: name, pay, live-in, start date -------------------------------------
async def ask_nickname(update: Update, context: BotContext, user: User) -> None:
    await flows.save(context, EMPLOYER, {"step": "nickname"})
    number = len(await _service(context).employers(user)) + 1
    rows: list[list[Button]] = [
        [(_("🏠 House {number}").format(number=number), callbacks.encode("h", "nick", number))],
        [
            (
                _("🔤 A letter (the family's initial)"),
                callbacks.encode("h", "letters", pickers.default_script(user.locale)),
            )
        ],
    ]
    await send(
        update,
        context,
        _(
            "🏠 Which household do you work for? Tap a name, or send a nickname, not a real "
            "name (for example: Casa Azul, or Señora M)."
        ),
        inline(rows),
    )


async def _nickname_chosen(update: Update, context: BotContext, user: User, name: str) -> None:
    flow = flows.current(context, EMPLOYER, "nickname")
    nickname = validate_nickname(name)
    await flows.save(context, EMPLOYER, dict(flow.data) | {"step": "unit", "nickname": nickname})
    await send(
        update,
        context,
        _("How are you paid at {name}?").format(name=escape(nickname)),
        inline([[(_(UNIT_LABELS[u]), callbacks.encode("h", "unit", u))] for u in PAY_UNITS]),
    )


async def _typed_nickname(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    await _nickname_chosen(update, context, user, text)


async def _on_nick(update: Update, context: BotContext, user: User, data: Callback) -> None:
    number = data.int_arg(1)
    if not 1 <= number <= 99:
        raise callbacks.InvalidCallback("house number out of range")
    await _nickname_chosen(update, context, user, _("House {number}").format(number=number))


async def _on_letters(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flows.current(context, EMPLOYER, "nickname")
    script = data.arg(1) if data.args[1:] else pickers.default_script(user.locale)
    if script not in pickers.ALPHABETS:
        raise callbacks.InvalidCallback("unknown script")
    rows = pickers.letters(
        script,
        lambda index: callbacks.encode("h", "letter", script, index),
        lambda other: callbacks.encode("h", "letters", other),
    )
    await send(update, context, _("Tap the first letter of the family's name."), inline(rows))


async def _on_letter(update: Update, context: BotContext, user: User, data: Callback) -> None:
    letter = pickers.letter(data.arg(1), data.arg(2))
    await _nickname_chosen(update, context, user, _("Family {letter}").format(letter=letter))


async def _on_unit(update: Update, context: BotContext, user: User, data: Callback) -> None:
    unit = data.arg(1)
    flow = flows.current(context, EMPLOYER, "unit", "amount")
    if unit not in PAY_UNITS:
        raise callbacks.InvalidCallback("unknown pay unit")
    await flows.save(context, EMPLOYER, dict(flow.data) | {"step": "amount", "unit": unit})
    await ask_amount(update, context, user, None, unit)


async def ask_amount(
    update: Update, context: BotContext, user: User, employer: Employer | None, unit: str
) -> None:
    """How much, per `unit`: presets to tap, another amount on a keypad, or typed."""
    service = _service(context)
    currency = employer.currency if employer else service.currency(user)
    presets = service.pay_presets(user, None, unit)
    rows: list[list[Button]] = [
        [
            (
                _("{amount} (legal minimum)").format(amount=fmt_money(amount, currency)),
                callbacks.encode("h", "amt", format(amount, "f")),
            )
        ]
        for amount in presets
    ]
    rows.append([(_("🔢 Type the amount with buttons"), callbacks.encode("h", "kp", ""))])
    await send(
        update,
        context,
        _("How much do you get {unit}? Tap, or write the number, for example: {example}").format(
            unit=per_unit(unit), example=fmt_money(Decimal(450), currency)
        ),
        inline(rows),
    )


async def _typed_pay(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    """The pay of a new household or of a pay change, typed."""
    currency = await _flow_currency(context, user, flow)
    amount, currency = parse_amount(text, currency)
    await _amount_chosen(update, context, user, flow, amount, currency)


async def _flow_currency(context: BotContext, user: User, flow: Flow) -> str:
    if "employer" in flow.data:
        return (await _service(context).employer(user, int(flow.data["employer"]))).currency
    return _service(context).currency(user)


async def _amount_chosen(
    update: Update,
    context: BotContext,
    user: User,
    flow: Flow,
    amount: Decimal,
    currency: str | None = None,
) -> None:
    """An amount picked, keyed or typed: the flow it belongs to moves on."""
    if not Decimal(0) < amount < MAX_AMOUNT:
        raise UserFacingError(PARSE_ERRORS["bad_amount"])
    currency = currency or await _flow_currency(context, user, flow)
    state = dict(flow.data) | {"amount": format(amount, "f")}
    if flow.at(EMPLOYER, "amount"):
        await flows.save(context, EMPLOYER, state | {"step": "livein", "currency": currency})
        await send(
            update,
            context,
            _("Do you live in that house?"),
            inline(
                [
                    [(_("Yes, I live there"), callbacks.encode("h", "livein", 1))],
                    [(_("No"), callbacks.encode("h", "livein", 0))],
                ]
            ),
        )
    elif flow.at(TERMS, "amount"):
        await flows.save(context, TERMS, state | {"step": "start"})
        await ask_date(update, context, user, "t", _("From which day is this the pay?"))
    elif flow.at(PAYMENT, "amount"):
        await flows.save(context, PAYMENT, state | {"step": "day"})
        await ask_date(update, context, user, "p", _("When were you paid?"))
    else:
        raise callbacks.InvalidCallback("no amount asked")


def _amount_flow(context: BotContext) -> Flow:
    flow = context.flow
    if flow is None or not (
        flow.at(EMPLOYER, "amount") or flow.at(TERMS, "amount") or flow.at(PAYMENT, "amount")
    ):
        raise callbacks.InvalidCallback("no amount asked")
    return flow


async def _on_preset(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow = _amount_flow(context)
    try:
        amount = Decimal(data.arg(1))
    except InvalidOperation:
        raise callbacks.InvalidCallback("bad amount in button") from None
    if not amount.is_finite():
        raise callbacks.InvalidCallback("bad amount in button")
    await _amount_chosen(update, context, user, flow, amount)


async def _on_keypad(update: Update, context: BotContext, user: User, data: Callback) -> None:
    """A key of the keypad: the message shows the new value, with the keys for the next."""
    _amount_flow(context)
    raw = data.arg(1) if data.args[1:] else ""
    pickers.keypad_value(raw)  # refuses a forged value
    text = _("Amount: {value}").format(value=pickers.keypad_display(raw))
    markup = inline(
        pickers.keypad(
            raw,
            lambda value: callbacks.encode("h", "kp", value),
            lambda value: callbacks.encode("h", "kpok", value),
        )
    )
    query = update.callback_query
    if raw and query is not None and query.message is not None:
        with contextlib.suppress(BadRequest):  # the same key twice: "message is not modified"
            await query.edit_message_text(text, reply_markup=markup)
        return
    await send(update, context, text, markup)


async def _on_keypad_done(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow = _amount_flow(context)
    amount = pickers.keypad_value(data.arg(1) if data.args[1:] else "")
    if amount is None or amount <= 0:
        await send(update, context, _("Tap the numbers of the amount first, then ✅ Done."))
        return
    await _amount_chosen(update, context, user, flow, amount)


async def _on_live_in(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow = flows.current(context, EMPLOYER, "livein")
    state = dict(flow.data) | {"step": "start", "live_in": data.arg(1) == "1"}
    await flows.save(context, EMPLOYER, state)
    await ask_date(
        update,
        context,
        user,
        "n",
        _("Since when do you work at {name}? Tap, or write the date.").format(
            name=escape(state["nickname"])
        ),
    )


# ---- picking a date by taps -------------------------------------------------------------
def _from_compact(raw: str) -> dt.date:
    try:
        if len(raw) != 8 or not raw.isdecimal():
            raise ValueError(raw)
        day = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        raise callbacks.InvalidCallback("bad date in button") from None
    if not dt.date(1970, 1, 1) <= day <= dt.date(2100, 12, 31):  # forged: the pickers never
        raise callbacks.InvalidCallback("date in button out of range")
    return day


def _tag(raw: str) -> str:
    if raw not in DATE_TAGS and not (raw.startswith("s") and raw[1:].isdecimal()):
        raise callbacks.InvalidCallback("unknown date tag")
    return raw


async def ask_date(
    update: Update, context: BotContext, user: User, tag: str, question: str
) -> None:
    """The last two weeks day by day, or a month then a day: all by taps."""
    today = _service(context).today(user)
    rows = pickers.recent_days(
        today,
        lambda day: callbacks.encode("h", "date", tag, day),
        callbacks.encode("h", "months", tag, 0),
    )
    await send(update, context, question, inline(rows))


async def ask_month(update: Update, context: BotContext, user: User, tag: str, page: int) -> None:
    today = _service(context).today(user)
    first = today.replace(day=1)
    months = []
    for back in range(page * 12, page * 12 + 12):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(dt.date(year, month + 1, 1))
    rows = [
        [
            (i18n.fmt_month(m), callbacks.encode("h", "month", tag, m.strftime("%Y%m")))
            for m in months[i : i + 3]
        ]
        for i in range(0, 12, 3)
    ]
    rows.append(
        [
            (_("⬅️ Earlier"), callbacks.encode("h", "months", tag, min(page + 1, 9))),
            (_("Later ➡️"), callbacks.encode("h", "months", tag, max(page - 1, 0))),
        ]
    )
    await send(update, context, _("Which month?"), inline(rows))


async def ask_day(update: Update, context: BotContext, user: User, tag: str, raw: str) -> None:
    month = _from_compact(raw + "01")
    today = _service(context).today(user)
    days = [
        month + dt.timedelta(days=n)
        for n in range(31)
        if (month + dt.timedelta(days=n)).month == month.month
        and month + dt.timedelta(days=n) <= today
    ]
    if not days:
        raise callbacks.InvalidCallback("a month in the future")
    if tag == "x":  # the export picker wants the whole month
        await send_export(update, context, user, Period(days[0], _month_end(month)))
        return
    rows = [
        [
            (str(d.day), callbacks.encode("h", "date", tag, pickers.compact(d)))
            for d in days[i : i + 7]
        ]
        for i in range(0, len(days), 7)
    ]
    await send(
        update,
        context,
        _("Which day of {month}?").format(month=i18n.fmt_month(month)),
        inline(rows),
    )


def _month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


async def on_date(update: Update, context: BotContext, tag: str, day: dt.date) -> None:
    """A date was picked (or typed) for the flow that asked for it."""
    user = await current_user(update, context)
    if tag.startswith("s"):
        await _start_date_changed(update, context, user, int(tag[1:]), day)
        return
    await DATE_TARGETS[tag](update, context, user, day)


async def _household_started(update: Update, context: BotContext, user: User, day: dt.date) -> None:
    flow = flows.current(context, EMPLOYER, "start")
    state = flow.data
    employer = await _service(context).add_employer(
        user,
        state["nickname"],
        Decimal(state["amount"]),
        state["unit"],
        state["currency"],
        bool(state.get("live_in")),
        day,
    )
    await flows.end(context)
    await send(
        update,
        context,
        _("✅ Saved: {name}, {amount} {unit}, since {day}.").format(
            name=escape(employer.nickname),
            amount=fmt_money(employer.pay, employer.currency),
            unit=per_unit(employer.pay_unit),
            day=fmt_date(day),
        ),
    )
    await show_hours(update, context)


async def _start_date_changed(
    update: Update, context: BotContext, user: User, employer_id: int, day: dt.date
) -> None:
    employer = await _service(context).set_start(user, employer_id, day)
    await send(
        update,
        context,
        _("✅ Start date of {name}: {day}.").format(
            name=escape(employer.nickname), day=fmt_date(day)
        ),
    )
    await show_household(update, context, employer.id)


async def _terms_started(update: Update, context: BotContext, user: User, day: dt.date) -> None:
    state = flows.current(context, TERMS, "start").data
    employer = await _service(context).set_terms(
        user, int(state["employer"]), Decimal(state["amount"]), state["unit"], day
    )
    await flows.end(context)
    await send(
        update,
        context,
        _("✅ New pay for {name} from {day}: {amount} {unit}.").format(
            name=escape(employer.nickname),
            day=fmt_date(max(day, agreement_of(employer).starts)),
            amount=fmt_money(Decimal(state["amount"]), employer.currency),
            unit=per_unit(state["unit"]),
        ),
    )
    await show_household(update, context, employer.id)


async def _job_ended(update: Update, context: BotContext, user: User, day: dt.date) -> None:
    flow = flows.current(context, ENDING, "date")
    state = dict(flow.data) | {"ended": day.isoformat()}
    if country_jurisdiction(user) == "mexico":
        await flows.save(context, ENDING, state | {"step": "vacation"})
        await ask_vacation(update, context)
        return
    await _show_settlement(update, context, user, state, None)


def country_jurisdiction(user: User) -> str:
    return country(user.country).jurisdiction


async def _typed_flow_date(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    """A step waiting for a date takes a typed one as well as a tapped one."""
    tag = DATE_STEPS[(flow.name, flow.step)]
    await on_date(update, context, tag, _typed_date(_service(context), user, text))


# ---- households: start date, pay history ----------------------------------------------------
async def show_households(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    employers = await _service(context).employers(user)
    if not employers:
        await ask_nickname(update, context, user)
        return
    rows = [[(f"🏠 {e.nickname}", callbacks.encode("h", "home", e.id))] for e in employers]
    rows.append([(_("➕ Add a household"), callbacks.encode("h", "addemp"))])
    await send(update, context, _("Your households:"), inline(rows))


async def show_household(update: Update, context: BotContext, employer_id: int) -> None:
    user = await current_user(update, context)
    employer = await _service(context).employer(user, employer_id)
    agreement = agreement_of(employer)
    lines = [
        f"🏠 <b>{escape(employer.nickname)}</b>",
        _("Working there since {day}.").format(day=fmt_date(agreement.starts)),
        _("Pay agreed:"),
    ]
    for terms in agreement.terms:
        lines.append(
            "• "
            + _("from {day}: {amount} {unit}").format(
                day=fmt_date(terms.starts),
                amount=fmt_money(terms.amount, terms.currency),
                unit=per_unit(terms.unit),
            )
        )
    rows: list[list[Button]] = [
        [(_("💶 New pay from a date"), callbacks.encode("h", "terms", employer.id))],
        [(_("📅 Change the start date"), callbacks.encode("h", "start_date", employer.id))],
        [(_("🧾 If the job ends"), callbacks.encode("h", "end", employer.id))],
        [(_("⬅️ Back"), callbacks.encode("h", "homes"))],
    ]
    await send(update, context, "\n".join(lines), inline(rows))


async def _on_terms(update: Update, context: BotContext, user: User, data: Callback) -> None:
    employer = await _service(context).employer(user, data.int_arg(1))
    await flows.save(context, TERMS, {"step": "unit", "employer": employer.id})
    rows = [[(_(UNIT_LABELS[u]), callbacks.encode("h", "tu", u))] for u in PAY_UNITS]
    await send(
        update,
        context,
        _("How are you paid at {name} now?").format(name=escape(employer.nickname)),
        inline(rows),
    )


async def _on_terms_unit(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow = flows.current(context, TERMS, "unit", "amount")
    unit = data.arg(1)
    if unit not in PAY_UNITS:
        raise callbacks.InvalidCallback("unknown pay unit")
    await flows.save(context, TERMS, dict(flow.data) | {"step": "amount", "unit": unit})
    employer = await _service(context).employer(user, int(flow.data["employer"]))
    await ask_amount(update, context, user, employer, unit)


async def _on_start_date(update: Update, context: BotContext, user: User, data: Callback) -> None:
    employer = await _service(context).employer(user, data.int_arg(1))
    await ask_date(
        update,
        context,
        user,
        f"s{employer.id}",
        _("Since when do you work at {name}? Tap, or write the date.").format(
            name=escape(employer.nickname)
        ),
    )


# ---- logging hours by taps: household, day, then usual hours, start and end, or a duration ---
async def _on_log(update: Update, context: BotContext, user: User, data: Callback) -> None:
    employer = await _household_first(update, context, user, LOG, "lh", _("For which household?"))
    if employer is not None:
        await _log_day(update, context, user, employer)


async def _household_first(
    update: Update, context: BotContext, user: User, flow: str, button: str, question: str
) -> Employer | None:
    """Her only household; with several, the flow asks which one first (None: asked)."""
    service = _service(context)
    service.require_consent(user)
    employers = await service.employers(user)
    if not employers:
        await ask_nickname(update, context, user)
        return None
    if len(employers) > 1:
        await flows.save(context, flow, {"step": "household"})
        rows = [[(e.nickname, callbacks.encode("h", button, e.id))] for e in employers]
        await send(update, context, question, inline(rows))
        return None
    return employers[0]


async def _on_log_household(
    update: Update, context: BotContext, user: User, data: Callback
) -> None:
    flows.current(context, LOG, "household")
    await _log_day(update, context, user, await _service(context).employer(user, data.int_arg(1)))


async def _log_day(update: Update, context: BotContext, user: User, employer: Employer) -> None:
    await flows.save(context, LOG, {"step": "day", "employer": employer.id})
    await ask_date(
        update,
        context,
        user,
        "l",
        _(
            "Which day did you work at {name}? Tap, or write the hours, for example: {examples}"
        ).format(name=escape(employer.nickname), examples=_(EXAMPLES)),
    )


async def _log_day_chosen(update: Update, context: BotContext, user: User, day: dt.date) -> None:
    flow = flows.current(context, LOG, "day")
    service = _service(context)
    if day > service.today(user):
        raise UserFacingError(PARSE_ERRORS["future_date"])
    employer = await service.employer(user, int(flow.data["employer"]))
    await flows.save(context, LOG, dict(flow.data) | {"step": "how", "day": day.isoformat()})
    rows: list[list[Button]] = []
    usual = await service.usual_shift(user, employer.id)
    if usual is not None:
        start, end = usual
        rows.append(
            [
                (
                    _("✅ As usual: {start}–{end}").format(
                        start=fmt_time(start), end=fmt_time(end)
                    ),
                    callbacks.encode("h", "lu", pickers.hhmm(start), pickers.hhmm(end)),
                )
            ]
        )
    rows += [
        [(_("🕘 From … to …"), callbacks.encode("h", "lg", 1))],
        [(_("⏱ How many hours"), callbacks.encode("h", "lw"))],
    ]
    await send(
        update,
        context,
        _("{day} at {name}: which hours?").format(
            day=fmt_date(day, "full"), name=escape(employer.nickname)
        ),
        inline(rows),
    )


def _log_flow(context: BotContext, *steps: str) -> tuple[Flow, dt.date]:
    flow = flows.current(context, LOG, *steps)
    if "day" not in flow.data:
        raise callbacks.InvalidCallback("no day picked")
    return flow, dt.date.fromisoformat(str(flow.data["day"]))


async def _on_start_grid(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow, _day = _log_flow(context, "how", "start")
    page = data.int_arg(1)
    if not 0 <= page < len(pickers.GRID_PAGES):
        raise callbacks.InvalidCallback("grid page out of range")
    await flows.save(context, LOG, dict(flow.data) | {"step": "start"})
    rows = pickers.time_grid(
        pickers.half_hours(pickers.GRID_PAGES[page]),
        lambda t: callbacks.encode("h", "ls", t),
    )
    rows.append(pickers.page_row(page, lambda p: callbacks.encode("h", "lg", p)))
    await send(update, context, _("At what time did you start?"), inline(rows))


async def _on_start_time(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow, _day = _log_flow(context, "start", "end")
    start = pickers.time_from(data.arg(1))
    await flows.save(context, LOG, dict(flow.data) | {"step": "end", "start": data.arg(1)})
    began = dt.datetime.combine(dt.date.min, start)
    times = [(began + dt.timedelta(minutes=30 * n)).time() for n in range(1, 25)]  # to 12 h

    def next_day(t: dt.time) -> str:
        return "🌙" if t <= start else ""

    rows = pickers.time_grid(times, lambda t: callbacks.encode("h", "le", t), next_day)
    await send(
        update,
        context,
        _("You started at {start}. At what time did you finish? (🌙: the next day)").format(
            start=fmt_time(start)
        ),
        inline(rows),
    )


async def _on_end_time(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow, day = _log_flow(context, "end")
    start = pickers.time_from(str(flow.data["start"]))
    end = pickers.time_from(data.arg(1))
    await _log_range(update, context, user, flow, day, start, end)


async def _on_usual(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow, day = _log_flow(context, "how")
    start, end = _usual_time(data.arg(1)), _usual_time(data.arg(2))
    await _log_range(update, context, user, flow, day, start, end)


def _usual_time(raw: str) -> dt.time:
    if len(raw) != 4 or not raw.isdecimal() or int(raw[:2]) > 23 or int(raw[2:]) > 59:
        raise callbacks.InvalidCallback("bad time in button")
    return dt.time(int(raw[:2]), int(raw[2:]))


async def _log_range(
    update: Update,
    context: BotContext,
    user: User,
    flow: Flow,
    day: dt.date,
    start: dt.time,
    end: dt.time,
) -> None:
    begin = dt.datetime.combine(day, start)
    finish = dt.datetime.combine(day, end)
    if finish <= begin:
        finish += dt.timedelta(days=1)
    shift = ParsedShift(day=day, start=start, end=end, worked=finish - begin)
    await _store_or_ask(update, context, user, shift=shift, employer_id=int(flow.data["employer"]))


async def _on_duration_grid(
    update: Update, context: BotContext, user: User, data: Callback
) -> None:
    flow, _day = _log_flow(context, "how", "duration")
    await flows.save(context, LOG, dict(flow.data) | {"step": "duration"})
    rows = pickers.durations(lambda minutes: callbacks.encode("h", "lm", minutes))
    await send(update, context, _("How long did you work, without breaks?"), inline(rows))


async def _on_duration(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow, day = _log_flow(context, "duration")
    minutes = data.int_arg(1)
    if not 0 < minutes <= 24 * 60 or minutes % 30:
        raise callbacks.InvalidCallback("duration out of range")
    shift = ParsedShift(day=day, start=None, end=None, worked=dt.timedelta(minutes=minutes))
    await _store_or_ask(update, context, user, shift=shift, employer_id=int(flow.data["employer"]))


async def _typed_in_log(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    """Typed while logging by taps: a date at the day step, else an hours entry for the day
    she picked (or the one she typed) at the household she picked."""
    service = _service(context)
    if flow.step == "day" and (day := parse_date(text, service.today(user), user.locale)):
        await _log_day_chosen(update, context, user, day)
        return
    shift = _parse_typed_shift(service, user, text)
    if shift is None:
        await send(
            update,
            context,
            _("Please tap the buttons above, or write the hours, for example: {examples}").format(
                examples=_(EXAMPLES)
            ),
        )
        return
    if "day" in flow.data and "date_assumed_today" in shift.assumptions:
        shift = dataclasses.replace(shift, day=dt.date.fromisoformat(str(flow.data["day"])))
    employer_id = int(flow.data["employer"]) if "employer" in flow.data else None
    if shift.ambiguous or shift.overnight:
        await _confirm(update, context, user, shift, employer_id)
        return
    await _store_or_ask(update, context, user, shift=shift, employer_id=employer_id)


# ---- logging a payment by taps: household, amount, day --------------------------------------
async def _on_pay(update: Update, context: BotContext, user: User, data: Callback) -> None:
    employer = await _household_first(update, context, user, PAYMENT, "ph", _("Who paid you?"))
    if employer is not None:
        await _payment_amount(update, context, user, employer)


async def _on_pay_household(
    update: Update, context: BotContext, user: User, data: Callback
) -> None:
    flows.current(context, PAYMENT, "household")
    employer = await _service(context).employer(user, data.int_arg(1))
    await _payment_amount(update, context, user, employer)


async def _payment_amount(
    update: Update, context: BotContext, user: User, employer: Employer
) -> None:
    await flows.save(context, PAYMENT, {"step": "amount", "employer": employer.id})
    terms = agreement_of(employer).terms[-1]
    agreed, half = _service(context).pay_presets(user, employer, terms.unit)
    rows: list[list[Button]] = [
        [
            (
                _("{amount} (the pay agreed {unit})").format(
                    amount=fmt_money(agreed, employer.currency), unit=per_unit(terms.unit)
                ),
                callbacks.encode("h", "amt", format(agreed, "f")),
            )
        ],
        [
            (
                _("Half: {amount}").format(amount=fmt_money(half, employer.currency)),
                callbacks.encode("h", "amt", format(half, "f")),
            )
        ],
        [(_("🔢 Another amount"), callbacks.encode("h", "kp", ""))],
    ]
    await send(
        update,
        context,
        _("How much did {name} pay you? Tap, or write the number.").format(
            name=escape(employer.nickname)
        ),
        inline(rows),
    )


async def _typed_payment_amount(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    await _typed_pay(update, context, user, flow, text)


async def _payment_day_chosen(
    update: Update, context: BotContext, user: User, day: dt.date
) -> None:
    flow = flows.current(context, PAYMENT, "day")
    if day > _service(context).today(user):
        raise UserFacingError(PARSE_ERRORS["future_date"])
    payment = ParsedPayment(amount=Decimal(str(flow.data["amount"])), day=day)
    await _store_or_ask(
        update, context, user, payment=payment, employer_id=int(flow.data["employer"])
    )


# ---- typed entries outside a flow ------------------------------------------------------------
async def interpret_text(update: Update, context: BotContext, text: str) -> bool:
    """Text router step: an hours or payment entry typed in her own words."""
    user = context.worker
    if user is None or not user.records_consent:
        return False
    service = _service(context)
    today = service.today(user)
    try:
        shift = parse_shift(text, today, user.locale)
        payment = None if shift else parse_payment(text, today, user.locale)
    except ParseError as error:
        raise UserFacingError(PARSE_ERRORS.get(error.code, PARSE_ERRORS["zero_duration"])) from None
    if shift is None and payment is None:
        return False
    if shift is not None and (shift.ambiguous or shift.overnight):
        await _confirm(update, context, user, shift)
        return True
    await _store_or_ask(update, context, user, shift=shift, payment=payment)
    return True


def _parse_typed_shift(service: HoursService, user: User, text: str) -> ParsedShift | None:
    try:
        return parse_shift(text, service.today(user), user.locale)
    except ParseError as error:
        raise UserFacingError(PARSE_ERRORS.get(error.code, PARSE_ERRORS["zero_duration"])) from None


def _typed_date(service: HoursService, user: User, text: str) -> dt.date:
    day = parse_date(text, service.today(user), user.locale)
    if day is None:
        raise UserFacingError(N_("Please tap a date, or write it like 15/03/2026."))
    return day


def _shift_state(shift: ParsedShift) -> dict[str, Any]:
    return {
        "kind": "work",
        "day": shift.day.isoformat(),
        "start": shift.start.isoformat("minutes") if shift.start else None,
        "end": shift.end.isoformat("minutes") if shift.end else None,
        "worked": int(shift.worked.total_seconds()) // 60,
        "break": shift.break_minutes,
        "overnight": shift.overnight,
    }


def _payment_state(payment: ParsedPayment) -> dict[str, Any]:
    return {
        "kind": "payment",
        "day": payment.day.isoformat(),
        "amount": str(payment.amount),
        "method": payment.method,
        "note": payment.note,
    }


def _from_state(data: Mapping[str, Any]) -> ParsedShift | ParsedPayment:
    day = dt.date.fromisoformat(data["day"])
    if data["kind"] == "payment":
        return ParsedPayment(Decimal(data["amount"]), day, data.get("method"), data.get("note"))
    return ParsedShift(
        day=day,
        start=dt.time.fromisoformat(data["start"]) if data.get("start") else None,
        end=dt.time.fromisoformat(data["end"]) if data.get("end") else None,
        worked=dt.timedelta(minutes=int(data["worked"])),
        break_minutes=int(data.get("break") or 0),
        overnight=bool(data.get("overnight")),
    )


def describe_shift(shift: ParsedShift) -> str:
    when = fmt_date(shift.day, "full")
    if shift.start is not None and shift.end is not None and shift.overnight:
        text = _("{day}, from {start} to {end} the next day").format(
            day=when, start=fmt_time(shift.start), end=fmt_time(shift.end)
        )
    elif shift.start is not None and shift.end is not None:
        text = _("{day}, from {start} to {end}").format(
            day=when, start=fmt_time(shift.start), end=fmt_time(shift.end)
        )
    else:
        text = when
    text += " — " + fmt_duration(int(shift.worked.total_seconds()) // 60)
    if shift.break_minutes:
        text += " " + _("(break: {minutes} min)").format(minutes=shift.break_minutes)
    return text


async def _confirm(
    update: Update,
    context: BotContext,
    user: User,
    shift: ParsedShift,
    employer_id: int | None = None,
) -> None:
    pending = _shift_state(shift) | ({"employer": employer_id} if employer_id else {})
    await flows.save(context, ENTRY, pending)
    await send(
        update,
        context,
        _("Did you mean: {entry}?").format(entry=describe_shift(shift)),
        inline(
            [
                [(_("✅ Yes, save it"), callbacks.encode("h", "ok"))],
                [(_("❌ No"), callbacks.encode("h", "no"))],
            ]
        ),
    )


async def _store_or_ask(
    update: Update,
    context: BotContext,
    user: User,
    shift: ParsedShift | None = None,
    payment: ParsedPayment | None = None,
    employer_id: int | None = None,
    move_start: bool = False,
    replace_overlap: bool = False,
) -> None:
    """Save the entry for the only household, or ask which household it was for."""
    service = _service(context)
    employers = await service.employers(user)
    if not employers:
        await ask_nickname(update, context, user)
        return
    if employer_id is None and len(employers) > 1:
        pending = _shift_state(shift) if shift is not None else _payment_state(_must(payment))
        await flows.save(context, ENTRY, pending)
        await send(
            update,
            context,
            _("For which household?"),
            inline([[(e.nickname, callbacks.encode("h", "emp", e.id))] for e in employers]),
        )
        return
    employer = next((e for e in employers if e.id == employer_id), employers[0])
    if shift is not None:
        try:
            entry = await service.log_shift(
                user, employer.id, shift, move_start=move_start, replace_overlap=replace_overlap
            )
        except NeedsChoice as choice:
            await _ask_choice(update, context, user, shift, employer, choice)
            return
        await flows.end(context)
        saved = describe_shift(shift)
        week = await service.summaries(user, Period.named("week", service.today(user)))
        minutes = next(s.summary.minutes for s in week if s.employer.id == employer.id)
        text = _("✅ Saved for {name}: {entry}").format(name=escape(employer.nickname), entry=saved)
        text += "\n" + _("This week: {hours} worked").format(hours=fmt_duration(minutes))
        undo = callbacks.encode("h", "del", "work", entry.id)
        again = (_("📝 Log another day"), callbacks.encode("h", "log"))
    else:
        payment = _must(payment)
        await flows.end(context)
        stored = await service.log_payment(user, employer.id, payment)
        text = _("✅ Payment saved for {name}: {amount} on {day}.").format(
            name=escape(employer.nickname),
            amount=fmt_money(stored.amount, stored.currency),
            day=fmt_date(stored.day),
        )
        undo = callbacks.encode("h", "del", "payment", stored.id)
        again = (_("💵 Log another payment"), callbacks.encode("h", "pay"))
    await send(update, context, text, inline([[(_("↩️ Undo"), undo)], [again], [_hours_button()]]))


def _must(payment: ParsedPayment | None) -> ParsedPayment:
    assert payment is not None
    return payment


def _hours_button() -> Button:
    return (_("🕒 Hours & pay"), callbacks.encode("h", "main"))


async def _ask_choice(
    update: Update,
    context: BotContext,
    user: User,
    shift: ParsedShift,
    employer: Employer,
    choice: NeedsChoice,
) -> None:
    """Work before her start date, or over an entry she already has: she decides."""
    pending = _shift_state(shift) | {"employer": employer.id}
    await flows.save(context, ENTRY, pending)
    if choice.kind == "before_start":
        text = _(
            "You said you started at {name} on {start}, but this work is on {day}. "
            "Did you start on {day}?"
        ).format(
            name=escape(employer.nickname),
            start=fmt_date(choice.details["started"]),  # type: ignore[arg-type]
            day=fmt_date(shift.day),
        )
        rows = [
            [(_("✅ Yes, move my start"), callbacks.encode("h", "mvs", employer.id))],
            [(_("❌ Don't save"), callbacks.encode("h", "no"))],
        ]
    else:
        text = _("You already logged hours at {name} that overlap these: {entry}.").format(
            name=escape(employer.nickname), entry=describe_shift(shift)
        )
        rows = [
            [(_("🔁 Replace the old entry"), callbacks.encode("h", "ovl", employer.id))],
            [(_("❌ Don't save"), callbacks.encode("h", "no"))],
        ]
    await send(update, context, text, inline(rows))


async def _on_pending(update: Update, context: BotContext, user: User, data: Callback) -> None:
    """Yes, save it / this household / move my start / replace the old entry."""
    flow = flows.current(context, ENTRY)
    action = data.arg(0)
    parsed = _from_state(flow.data)
    chosen = data.int_arg(1) if action != "ok" else flow.data.get("employer")
    if isinstance(parsed, ParsedShift):
        await _store_or_ask(
            update,
            context,
            user,
            shift=parsed,
            employer_id=chosen,
            move_start=action == "mvs" or bool(flow.data.get("move_start")),
            replace_overlap=action == "ovl",
        )
    else:
        await _store_or_ask(update, context, user, payment=parsed, employer_id=chosen)


async def _on_not_saved(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await flows.end(context)
    await send(
        update,
        context,
        _("Not saved. Tap to log it again, or write it, for example: {examples}").format(
            examples=_(EXAMPLES)
        ),
        inline([[(_("📝 Log hours"), callbacks.encode("h", "log"))], [_hours_button()]]),
    )


# ---- changing an entry -----------------------------------------------------------------------
async def _on_edit(update: Update, context: BotContext, user: User, data: Callback) -> None:
    entry = await _service(context).work_entry(user, data.int_arg(1))
    await flows.save(context, EDIT, {"entry": entry.id})
    await send(
        update,
        context,
        _("Write the correct hours for {day}, for example: 9:00-17:00").format(
            day=fmt_date(entry.day)
        ),
    )


async def _typed_edit(
    update: Update, context: BotContext, user: User, flow: Flow, text: str
) -> None:
    service = _service(context)
    entry = await service.work_entry(user, int(flow.data["entry"]))
    shift = _parse_typed_shift(service, user, text)
    if shift is None:
        await send(update, context, _("Please write the hours, for example: 9:00-17:00"))
        return
    if "date_assumed_today" in shift.assumptions:
        # No day typed: the entry keeps its own day, it does not move to today.
        shift = dataclasses.replace(shift, day=entry.day)
    await service.log_shift(user, entry.employer_id, shift, replace=entry.id)
    await flows.end(context)
    await send(
        update,
        context,
        _("✅ Entry changed: {entry}").format(entry=describe_shift(shift)),
        inline([[(_("📋 My entries"), callbacks.encode("h", "list"))], [_hours_button()]]),
    )


# ---- summaries, entries, export -----------------------------------------------------------
def render_summary(summary: Summary, employer: Employer, rules_name: str | None) -> str:
    """A period's figures, each with how it was computed, and what was not calculated."""
    lines = [
        f"🏠 <b>{escape(employer.nickname)}</b> — "
        + _("{start} to {end}").format(start=fmt_date(summary.start), end=fmt_date(summary.end))
    ]
    for kind, text in summary_lines(summary, employer.currency):
        safe = escape(text)
        lines.append(
            {
                "how": f"   {safe}",
                "owed": f"<b>{safe}</b>" if summary.balance > 0 else safe,
                "warning": f"\n⚠️ {safe}",
                "note": f"\nℹ️ {safe}",
            }.get(kind, safe)
        )
    return "\n".join(lines)


async def show_summary(update: Update, context: BotContext, name: str) -> None:
    user = await current_user(update, context)
    service = _service(context)
    service.require_consent(user)
    period = Period.named(name, service.today(user))
    summaries = await service.summaries(user, period)
    if not summaries:
        await ask_nickname(update, context, user)
        return
    rules = service.rules(user)
    parts = [f"📊 <b>{_(PERIODS[name])}</b>"]
    parts += [
        render_summary(s.summary, s.employer, rules.name if rules else None) for s in summaries
    ]
    if rules is None:
        parts.append(_("There are no legal limits in my data for your country, so I only add up."))
    elif any(s.summary.minutes for s in summaries):
        parts.append(_("Rules applied: {name}.").format(name=escape(rules.name)))
    parts.append(_("ℹ️ This is information, not legal advice."))
    other = [
        (_(label), callbacks.encode("h", "sum", key))
        for key, label in PERIODS.items()
        if key != name
    ]
    await send(
        update,
        context,
        "\n\n".join(parts),
        inline([other[:2], other[2:], [(_("📤 Export"), callbacks.encode("h", "export", name))]]),
    )


async def show_entries(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    service = _service(context)
    today = service.today(user)
    period = Period(today - dt.timedelta(days=30), today)
    work, payments = await service.entries(user, period)
    names = {e.id: e.nickname for e in await service.employers(user)}
    tz = service.timezone(user)
    items: list[tuple[dt.date, str, list[Button]]] = []
    for entry in work:
        times = ""
        if entry.start_at and entry.end_at:
            start, end = entry.start_at.astimezone(tz), entry.end_at.astimezone(tz)
            times = f" {fmt_time(start)}–{fmt_time(end)}"
        items.append(
            (
                entry.day,
                f"🕒 {fmt_date(entry.day)}{times} · {fmt_duration(entry.worked_minutes)} · "
                f"{escape(names.get(entry.employer_id, ''))}",
                [
                    (_("✏️ Change"), callbacks.encode("h", "edit", entry.id)),
                    (_("🗑 Delete"), callbacks.encode("h", "del", "work", entry.id)),
                ],
            )
        )
    for payment in payments:
        items.append(
            (
                payment.day,
                f"💵 {fmt_date(payment.day)} · {fmt_money(payment.amount, payment.currency)} · "
                f"{escape(names.get(payment.employer_id, ''))}",
                [(_("🗑 Delete"), callbacks.encode("h", "del", "payment", payment.id))],
            )
        )
    items.sort(key=lambda item: item[0], reverse=True)
    if not items:
        await send(update, context, _("You have no entries in the last 30 days."))
        return
    await send(update, context, _("📋 <b>Your entries of the last 30 days</b>"))
    for _day, text, row in items[:10]:
        await send(update, context, text, inline([row]))


async def export(update: Update, context: BotContext, name: str) -> None:
    user = await current_user(update, context)
    service = _service(context)
    service.require_consent(user)
    period = Period.named(name if name in PERIODS else "month", service.today(user))
    await send_export(update, context, user, period)


async def send_export(update: Update, context: BotContext, user: User, period: Period) -> None:
    async with context.services.expensive.slot(user.user_id):  # one at a time, a few a minute
        await _send_export(update, context, user, period)


async def _send_export(update: Update, context: BotContext, user: User, period: Period) -> None:
    service = _service(context)
    assert update.effective_chat is not None
    stem = f"{_('hours')}-{period.start.isoformat()}-{period.end.isoformat()}"
    if user.neutral_notifications:  # discreet mode: nothing in the name says what it is
        stem = f"document-{period.start:%Y-%m}"
    csv_bytes = await service.export_csv(user, period)
    pdf_bytes = await asyncio.to_thread(
        context.services.statements.build,
        user,
        period,
        await service.summaries(user, period),
        *await service.entries(user, period),
        hashlib.sha256(csv_bytes).hexdigest(),  # printed on the PDF to match the two files
        await service.settlements(user),
    )
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(csv_bytes, filename=f"{stem}.csv"),
        caption=_("📤 Your record as a spreadsheet (CSV)."),
    )
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(pdf_bytes, filename=f"{stem}.pdf"),
        caption=_("📄 Your statement to print or show to a union or a labour inspector."),
    )


async def export_command(update: Update, context: BotContext) -> None:
    """/export [this|last] month or week; /export YYYY-MM-DD YYYY-MM-DD for any period."""
    user = await current_user(update, context)
    service = _service(context)
    service.require_consent(user)
    args = context.args or []
    if len(args) == 2:
        try:
            start, end = dt.date.fromisoformat(args[0]), dt.date.fromisoformat(args[1])
        except ValueError:
            start = end = dt.date.min
        today = service.today(user)
        if (
            start < dt.date(1970, 1, 1)
            or end < start
            or (end - start).days > 366
            or end > today + dt.timedelta(days=366)
        ):
            raise UserFacingError(
                N_("Write the period as two dates, for example: /export 2026-03-01 2026-03-31")
            )
        await send_export(update, context, user, Period(start, end))
        return
    if args and args[0] not in PERIODS:
        raise UserFacingError(
            N_("Write the period as two dates, for example: /export 2026-03-01 2026-03-31")
        )
    await export(update, context, args[0] if args else "month")


# ---- buttons ------------------------------------------------------------------------------
async def on_button(update: Update, context: BotContext) -> None:
    await dispatch(update, context, ACTIONS, RECORDING)


async def _on_consent(update: Update, context: BotContext, user: User, data: Callback) -> None:
    context.worker = await context.services.users.set_consent(user.user_id, Consent.RECORDS, True)
    await show_hours(update, context)


async def _on_main(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await show_hours(update, context)


async def _on_clock_start(update: Update, context: BotContext, user: User, data: Callback) -> None:
    service = _service(context)
    employers = await service.employers(user)
    if not employers:
        await ask_nickname(update, context, user)
        return
    if len(employers) > 1 and len(data.args) < 2:
        await send(
            update,
            context,
            _("Where are you working now?"),
            inline([[(e.nickname, callbacks.encode("h", "start", e.id))] for e in employers]),
        )
        return
    employer_id = data.int_arg(1) if len(data.args) > 1 else employers[0].id
    started = await service.start_clock(user, employer_id)
    await send(
        update,
        context,
        _("▶️ Started at {time}. Press ⏹ Stop work when you finish.").format(
            time=fmt_time(started.astimezone(service.timezone(user)))
        ),
        inline([[(_("⏹ Stop work"), callbacks.encode("h", "stop"))]]),
    )


async def _on_clock_stop(update: Update, context: BotContext, user: User, data: Callback) -> None:
    entry = await _service(context).stop_clock(user)
    await send(
        update,
        context,
        _("⏹ Stopped. Saved: {hours} on {day}.").format(
            hours=fmt_duration(entry.worked_minutes), day=fmt_date(entry.day)
        ),
        inline(
            [
                [(_("↩️ Undo"), callbacks.encode("h", "del", "work", entry.id))],
                [_hours_button()],
            ]
        ),
    )


async def _on_summary(update: Update, context: BotContext, user: User, data: Callback) -> None:
    name = data.arg(1)
    if name not in PERIODS:
        raise callbacks.InvalidCallback("unknown period")
    await show_summary(update, context, name)


async def _on_list(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await show_entries(update, context)


async def _on_export(update: Update, context: BotContext, user: User, data: Callback) -> None:
    name = data.arg(1) if data.args[1:] else ""
    if name == "pick":
        await ask_export_period(update, context, user)
        return
    await export(update, context, name)


async def ask_export_period(update: Update, context: BotContext, user: User) -> None:
    _service(context).require_consent(user)
    rows: list[list[Button]] = [
        [
            (_(PERIODS["month"]), callbacks.encode("h", "export", "month")),
            (_(PERIODS["lastmonth"]), callbacks.encode("h", "export", "lastmonth")),
        ],
        [(_("📅 Another month"), callbacks.encode("h", "months", "x", 0))],
    ]
    await send(update, context, _("📤 Which period should I export?"), inline(rows))


async def _on_add_household(
    update: Update, context: BotContext, user: User, data: Callback
) -> None:
    await ask_nickname(update, context, user)


async def _on_date(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await on_date(update, context, _tag(data.arg(1)), _from_compact(data.arg(2)))


async def _on_months(update: Update, context: BotContext, user: User, data: Callback) -> None:
    page = data.int_arg(2)
    if not 0 <= page <= 9:
        raise callbacks.InvalidCallback("month page out of range")
    await ask_month(update, context, user, _tag(data.arg(1)), page)


async def _on_month(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await ask_day(update, context, user, _tag(data.arg(1)), data.arg(2))


async def _on_homes(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await show_households(update, context)


async def _on_home(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await show_household(update, context, data.int_arg(1))


async def _on_end(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await ask_ending(update, context, user, data.int_arg(1) if len(data.args) > 1 else None)


async def _on_end_reason(update: Update, context: BotContext, user: User, data: Callback) -> None:
    await on_ending_reason(update, context, user, data.int_arg(1), data.arg(2))


async def _on_vacation(update: Update, context: BotContext, user: User, data: Callback) -> None:
    flow = flows.current(context, ENDING, "vacation")
    raw = data.arg(1)
    taken = None if raw == "x" else data.int_arg(1)
    if taken is not None and not 0 <= taken <= 60:
        raise callbacks.InvalidCallback("vacation days out of range")
    await _show_settlement(update, context, user, flow.data, taken)


async def _on_delete(update: Update, context: BotContext, user: User, data: Callback) -> None:
    kind, entry_id = data.arg(1), data.int_arg(2)
    await _service(context).delete(user, kind, entry_id)
    await send(
        update,
        context,
        _("🗑 Deleted."),
        inline([[(_("📋 My entries"), callbacks.encode("h", "list"))], [_hours_button()]]),
    )


ACTIONS: dict[str, Action] = {
    "consent": _on_consent,
    "main": _on_main,
    "start": _on_clock_start,
    "stop": _on_clock_stop,
    "log": _on_log,
    "lh": _on_log_household,
    "lg": _on_start_grid,
    "ls": _on_start_time,
    "le": _on_end_time,
    "lu": _on_usual,
    "lw": _on_duration_grid,
    "lm": _on_duration,
    "pay": _on_pay,
    "ph": _on_pay_household,
    "amt": _on_preset,
    "kp": _on_keypad,
    "kpok": _on_keypad_done,
    "sum": _on_summary,
    "list": _on_list,
    "export": _on_export,
    "addemp": _on_add_household,
    "nick": _on_nick,
    "letters": _on_letters,
    "letter": _on_letter,
    "unit": _on_unit,
    "livein": _on_live_in,
    "ok": _on_pending,
    "emp": _on_pending,
    "mvs": _on_pending,
    "ovl": _on_pending,
    "no": _on_not_saved,
    "date": _on_date,
    "months": _on_months,
    "month": _on_month,
    "homes": _on_homes,
    "home": _on_home,
    "terms": _on_terms,
    "tu": _on_terms_unit,
    "start_date": _on_start_date,
    "end": _on_end,
    "endr": _on_end_reason,
    "vac": _on_vacation,
    "del": _on_delete,
    "edit": _on_edit,
}


# ---- when the job ends ---------------------------------------------------------------------
async def ask_ending(
    update: Update, context: BotContext, user: User, employer_id: int | None
) -> None:
    service = _service(context)
    service.require_consent(user)
    employers = await service.employers(user)
    if not employers:
        await ask_nickname(update, context, user)
        return
    if employer_id is None and len(employers) > 1:
        rows = [[(e.nickname, callbacks.encode("h", "end", e.id))] for e in employers]
        await send(update, context, _("Which job?"), inline(rows))
        return
    employer = await service.employer(user, employer_id or employers[0].id)
    reasons = REASONS.get(country_jurisdiction(user), REASONS["ilo"])
    rows = [[(ending_reason(r), callbacks.encode("h", "endr", employer.id, r))] for r in reasons]
    await send(
        update,
        context,
        _(
            "🧾 What you are owed when the job ends. How did (or will) the job at {name} end?"
        ).format(name=escape(employer.nickname)),
        inline(rows),
    )


async def on_ending_reason(
    update: Update, context: BotContext, user: User, employer_id: int, reason: str
) -> None:
    employer = await _service(context).employer(user, employer_id)
    if reason not in REASONS.get(country_jurisdiction(user), REASONS["ilo"]):
        raise callbacks.InvalidCallback("unknown ending reason")
    await flows.save(context, ENDING, {"step": "date", "employer": employer.id, "reason": reason})
    await ask_date(update, context, user, "e", _("On which day did (or will) the job end?"))


async def ask_vacation(update: Update, context: BotContext) -> None:
    numbers = list(range(0, 21))
    rows = [
        [(str(n), callbacks.encode("h", "vac", n)) for n in numbers[i : i + 7]]
        for i in range(0, len(numbers), 7)
    ]
    rows.append([(_("I don't know"), callbacks.encode("h", "vac", "x"))])
    await send(
        update,
        context,
        _("How many days of holiday did you take in your current year of work?"),
        inline(rows),
    )


async def _show_settlement(
    update: Update, context: BotContext, user: User, flow: Mapping[str, Any], taken: int | None
) -> None:
    service = _service(context)
    ending = JobEnding(
        int(flow["employer"]), str(flow["reason"]), dt.date.fromisoformat(flow["ended"]), taken
    )
    settlement: Settlement = await service.settlement(user, ending)
    await service.save_ending(user, ending)
    await flows.end(context)
    employer = await service.employer(user, ending.employer_id)
    text = render_settlement(settlement, employer.currency, employer.nickname)
    await send(
        update,
        context,
        text,
        inline(
            [
                [(_("🆘 Where to get help"), callbacks.encode("topic", "help", 0))],
                [(_("📤 Export"), callbacks.encode("h", "export", "month"))],
                [_hours_button()],
            ]
        ),
    )


async def hours_command(update: Update, context: BotContext) -> None:
    await show_hours(update, context)


DATE_TARGETS: dict[str, Callable[[Update, BotContext, User, dt.date], Awaitable[None]]] = {
    "n": _household_started,
    "t": _terms_started,
    "e": _job_ended,
    "l": _log_day_chosen,
    "p": _payment_day_chosen,
}
# (flow, step) waiting for a date -> the date picker's tag for it (typed dates go there too).
DATE_STEPS = {
    (EMPLOYER, "start"): "n",
    (TERMS, "start"): "t",
    (ENDING, "date"): "e",
    (PAYMENT, "day"): "p",
}
PICK_DATE = ("h:date", "h:months", "h:month")
AMOUNT = ("h:amt", "h:kp", "h:kpok")
FLOWS = [
    FlowSpec(
        EMPLOYER,
        text={"nickname": _typed_nickname, "amount": _typed_pay, "start": _typed_flow_date},
        buttons=buttons(
            "h:nick", "h:letters", "h:letter", "h:unit", "h:livein", *AMOUNT, *PICK_DATE
        ),
    ),
    FlowSpec(
        TERMS,
        text={"amount": _typed_pay, "start": _typed_flow_date},
        buttons=buttons("h:tu", *AMOUNT, *PICK_DATE),
    ),
    FlowSpec(
        LOG,
        text={"*": _typed_in_log},
        buttons=buttons("h:lh", "h:lg", "h:ls", "h:le", "h:lu", "h:lw", "h:lm", *PICK_DATE),
    ),
    FlowSpec(
        PAYMENT,
        text={"amount": _typed_payment_amount, "day": _typed_flow_date},
        buttons=buttons("h:ph", *AMOUNT, *PICK_DATE),
    ),
    FlowSpec(ENTRY, buttons=buttons("h:ok", "h:no", "h:emp", "h:mvs", "h:ovl")),
    FlowSpec(EDIT, text={"*": _typed_edit}),
    FlowSpec(ENDING, text={"date": _typed_flow_date}, buttons=buttons("h:vac", *PICK_DATE)),
]
