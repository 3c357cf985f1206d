"""Hours & pay: households, clock in and out, typed entries, payments, summaries, export.

Multi-step conversations (adding a household, confirming an entry) keep their state in the
database, so a restart in the middle loses nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from telegram import InputFile, Update

from bot import callbacks, i18n
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
from bot.domain.records import PAY_UNITS, Employer, JobEnding
from bot.domain.settlement import REASONS, Settlement
from bot.domain.users import Consent, User
from bot.domain.wages import Summary
from bot.handlers.common import (
    Button,
    answer_callback,
    current_user,
    escape,
    first_press,
    inline,
    send,
)
from bot.i18n import N_, _, fmt_date, fmt_duration, fmt_money, fmt_time
from bot.services.hours import (
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

ENTRY, EMPLOYER, PAYMENT_AMOUNT, EDIT = "entry", "employer", "payment_amount", "edit"
TERMS, ENDING = "terms", "ending"
# (flow, step) waiting for a date -> the date picker's tag for it.
DATE_STEPS = {(EMPLOYER, "start"): "n", (TERMS, "start"): "t", (ENDING, "date"): "e"}
# Buttons that record something: a second press of the same button changes nothing.
RECORDING = frozenset({"date", "emp", "ok", "mvs", "ovl", "vac", "livein"})
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
        _("To log hours, just write them, for example: {examples}").format(
            examples="8h · 9:00-17:30 · 9-17"
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
            (_("📤 Export"), callbacks.encode("h", "export", "month")),
        ],
        [
            (_("🏠 My households"), callbacks.encode("h", "homes")),
            (_("🧾 If the job ends"), callbacks.encode("h", "end")),
        ],
        [(_("➕ Add a household"), callbacks.encode("h", "addemp"))],
    ]
    await send(update, context, "\n".join(lines), inline(rows))


def balance_line(balance: Decimal, currency: str) -> str:
    text = balance_text(balance, currency)
    return f"<b>{text}</b>" if balance > 0 else text


# ---- adding a household ---------------------------------------------------------------------
async def ask_nickname(update: Update, context: BotContext, user: User) -> None:
    await context.services.conversations.set(user.user_id, EMPLOYER, {"step": "nickname"})
    await send(
        update,
        context,
        _(
            "🏠 Which household do you work for? Send a nickname, not a real name "
            "(for example: Casa Azul, or Señora M)."
        ),
    )


async def _employer_step(
    update: Update, context: BotContext, user: User, data: dict[str, Any], text: str
) -> None:
    service = _service(context)
    step = data.get("step")
    if step == "nickname":
        data.update(step="unit", nickname=validate_nickname(text))
        await context.services.conversations.set(user.user_id, EMPLOYER, data)
        await send(
            update,
            context,
            _("How are you paid at {name}?").format(name=escape(data["nickname"])),
            inline([[(_(UNIT_LABELS[u]), callbacks.encode("h", "unit", u))] for u in PAY_UNITS]),
        )
    elif step == "amount":
        amount, currency = parse_amount(text, service.currency(user))
        data.update(step="livein", amount=str(amount), currency=currency)
        await context.services.conversations.set(user.user_id, EMPLOYER, data)
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
    else:
        await send(update, context, _("Please tap one of the buttons above."))


async def on_unit(update: Update, context: BotContext, data: callbacks.Callback) -> None:
    user = await current_user(update, context)
    unit = data.arg(1)
    state = await context.services.conversations.get(user.user_id)
    if unit not in PAY_UNITS or state is None or state[0] != EMPLOYER:
        raise callbacks.InvalidCallback("no household being added")
    flow_data = state[1] | {"step": "amount", "unit": unit}
    await context.services.conversations.set(user.user_id, EMPLOYER, flow_data)
    await send(
        update,
        context,
        _("How much do you get {unit}? Write the number, for example: 450").format(
            unit=per_unit(unit)
        ),
    )


async def on_live_in(update: Update, context: BotContext, data: callbacks.Callback) -> None:
    user = await current_user(update, context)
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] != EMPLOYER or state[1].get("step") != "livein":
        raise callbacks.InvalidCallback("no household being added")
    flow = state[1] | {"step": "start", "live_in": data.arg(1) == "1"}
    await context.services.conversations.set(user.user_id, EMPLOYER, flow)
    await ask_date(
        update,
        context,
        user,
        "n",
        _("Since when do you work at {name}? Tap, or write the date.").format(
            name=escape(flow["nickname"])
        ),
    )


# ---- picking a date by taps -------------------------------------------------------------
def _compact(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _from_compact(raw: str) -> dt.date:
    try:
        if len(raw) != 8 or not raw.isdigit():
            raise ValueError(raw)
        day = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        raise callbacks.InvalidCallback("bad date in button") from None
    if not dt.date(1970, 1, 1) <= day <= dt.date(2100, 12, 31):  # forged: the pickers never
        raise callbacks.InvalidCallback("date in button out of range")
    return day


def _tag(raw: str) -> str:
    if raw not in ("n", "t", "e") and not (raw.startswith("s") and raw[1:].isdigit()):
        raise callbacks.InvalidCallback("unknown date tag")
    return raw


async def ask_date(
    update: Update, context: BotContext, user: User, tag: str, question: str
) -> None:
    """Today, this week, this month, last month, or a month then a day: all by taps."""
    today = _service(context).today(user)
    monday = today - dt.timedelta(days=today.weekday())
    first = today.replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    rows: list[list[Button]] = [
        [
            (_("Today"), callbacks.encode("h", "date", tag, _compact(today))),
            (_("Yesterday"), callbacks.encode("h", "date", tag, _compact(today - dt.timedelta(1)))),
        ],
        [
            (_("This week (Monday)"), callbacks.encode("h", "date", tag, _compact(monday))),
            (_("1st of this month"), callbacks.encode("h", "date", tag, _compact(first))),
        ],
        [
            (_("1st of last month"), callbacks.encode("h", "date", tag, _compact(last_month))),
            (_("📅 Pick a month"), callbacks.encode("h", "months", tag, 0)),
        ],
    ]
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
            (_("➡️ Later"), callbacks.encode("h", "months", tag, max(page - 1, 0))),
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
    rows = [
        [(str(d.day), callbacks.encode("h", "date", tag, _compact(d))) for d in days[i : i + 7]]
        for i in range(0, len(days), 7)
    ]
    await send(
        update,
        context,
        _("Which day of {month}?").format(month=i18n.fmt_month(month)),
        inline(rows),
    )


async def on_date(update: Update, context: BotContext, tag: str, day: dt.date) -> None:
    """A date was picked (or typed) for the flow that asked for it."""
    user = await current_user(update, context)
    service = _service(context)
    state = await context.services.conversations.get(user.user_id)
    if tag == "n":
        if state is None or state[0] != EMPLOYER or state[1].get("step") != "start":
            raise callbacks.InvalidCallback("no household being added")
        flow = state[1]
        employer = await service.add_employer(
            user,
            flow["nickname"],
            Decimal(flow["amount"]),
            flow["unit"],
            flow["currency"],
            bool(flow.get("live_in")),
            day,
        )
        await context.services.conversations.clear(user.user_id)
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
    elif tag.startswith("s"):
        employer = await service.set_start(user, int(tag[1:]), day)
        await send(
            update,
            context,
            _("✅ Start date of {name}: {day}.").format(
                name=escape(employer.nickname), day=fmt_date(day)
            ),
        )
        await show_household(update, context, employer.id)
    elif tag == "t":
        if state is None or state[0] != TERMS or state[1].get("step") != "start":
            raise callbacks.InvalidCallback("no pay change in progress")
        flow = state[1]
        employer = await service.set_terms(
            user, int(flow["employer"]), Decimal(flow["amount"]), flow["unit"], day
        )
        await context.services.conversations.clear(user.user_id)
        await send(
            update,
            context,
            _("✅ New pay for {name} from {day}: {amount} {unit}.").format(
                name=escape(employer.nickname),
                day=fmt_date(max(day, agreement_of(employer).starts)),
                amount=fmt_money(Decimal(flow["amount"]), employer.currency),
                unit=per_unit(flow["unit"]),
            ),
        )
        await show_household(update, context, employer.id)
    elif tag == "e":
        if state is None or state[0] != ENDING:
            raise callbacks.InvalidCallback("no ending in progress")
        flow = state[1] | {"ended": day.isoformat()}
        if country_jurisdiction(user) == "mexico":
            await context.services.conversations.set(user.user_id, ENDING, flow)
            await ask_vacation(update, context)
            return
        await _show_settlement(update, context, user, flow, None)


def country_jurisdiction(user: User) -> str:
    return country(user.country).jurisdiction


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


async def ask_terms_unit(update: Update, context: BotContext, employer_id: int) -> None:
    user = await current_user(update, context)
    employer = await _service(context).employer(user, employer_id)
    await context.services.conversations.set(
        user.user_id, TERMS, {"step": "unit", "employer": employer.id}
    )
    rows = [[(_(UNIT_LABELS[u]), callbacks.encode("h", "tu", u))] for u in PAY_UNITS]
    await send(
        update,
        context,
        _("How are you paid at {name} now?").format(name=escape(employer.nickname)),
        inline(rows),
    )


async def _terms_step(
    update: Update, context: BotContext, user: User, data: dict[str, Any], text: str
) -> None:
    if data.get("step") != "amount":
        await send(update, context, _("Please tap one of the buttons above."))
        return
    service = _service(context)
    employer = await service.employer(user, int(data["employer"]))
    amount, _currency = parse_amount(text, employer.currency)
    data.update(step="start", amount=str(amount))
    await context.services.conversations.set(user.user_id, TERMS, data)
    await ask_date(update, context, user, "t", _("From which day is this the pay?"))


# ---- typed entries --------------------------------------------------------------------------
async def interpret_text(update: Update, context: BotContext, text: str) -> bool:
    """Text router step: a conversation in progress, else an hours or payment entry."""
    user = context.worker
    if user is None:
        return False
    service = _service(context)
    state = await context.services.conversations.get(user.user_id)
    if state is not None:
        flow, data = state
        # A step waiting for a date takes a typed one as well as a tapped one.
        tag = DATE_STEPS.get((flow, str(data.get("step"))))
        if tag is not None:
            await on_date(update, context, tag, _typed_date(service, user, text))
            return True
        if flow == EMPLOYER:
            await _employer_step(update, context, user, data, text)
            return True
        if flow == TERMS:
            await _terms_step(update, context, user, data, text)
            return True
        if flow == PAYMENT_AMOUNT:
            amount, _currency = parse_amount(text, service.currency(user))
            parsed = ParsedPayment(amount=amount, day=service.today(user))
            await _store_or_ask(update, context, user, payment=parsed)
            return True
        if flow == EDIT:
            return await _edit_step(update, context, user, data, text)
    if not user.records_consent:
        return False
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


def _from_state(data: dict[str, Any]) -> ParsedShift | ParsedPayment:
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


async def _confirm(update: Update, context: BotContext, user: User, shift: ParsedShift) -> None:
    await context.services.conversations.set(user.user_id, ENTRY, _shift_state(shift))
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
        if shift is not None:
            pending = _shift_state(shift)
        else:
            assert payment is not None
            pending = _payment_state(payment)
        await context.services.conversations.set(user.user_id, ENTRY, pending)
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
        await context.services.conversations.clear(user.user_id)
        saved = describe_shift(shift)
        week = await service.summaries(user, Period.named("week", service.today(user)))
        minutes = next(s.summary.minutes for s in week if s.employer.id == employer.id)
        text = _("✅ Saved for {name}: {entry}").format(name=escape(employer.nickname), entry=saved)
        text += "\n" + _("This week: {hours} worked").format(hours=fmt_duration(minutes))
        markup = inline([[(_("↩️ Undo"), callbacks.encode("h", "del", "work", entry.id))]])
    else:
        assert payment is not None
        await context.services.conversations.clear(user.user_id)
        stored = await service.log_payment(user, employer.id, payment)
        text = _("✅ Payment saved for {name}: {amount} on {day}.").format(
            name=escape(employer.nickname),
            amount=fmt_money(stored.amount, stored.currency),
            day=fmt_date(stored.day),
        )
        markup = inline([[(_("↩️ Undo"), callbacks.encode("h", "del", "payment", stored.id))]])
    await send(update, context, text, markup)


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
    await context.services.conversations.set(user.user_id, ENTRY, pending)
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


async def _edit_step(
    update: Update, context: BotContext, user: User, data: dict[str, Any], text: str
) -> bool:
    service = _service(context)
    entry = await service.work_entry(user, int(data["entry"]))
    try:
        shift = parse_shift(text, service.today(user), user.locale)
    except ParseError as error:
        raise UserFacingError(PARSE_ERRORS.get(error.code, PARSE_ERRORS["zero_duration"])) from None
    if shift is None:
        await send(update, context, _("Please write the hours, for example: 9:00-17:00"))
        return True
    if "date_assumed_today" in shift.assumptions:
        # No day typed: the entry keeps its own day, it does not move to today.
        shift = dataclasses.replace(shift, day=entry.day)
    await service.log_shift(user, entry.employer_id, shift, replace=entry.id)
    await context.services.conversations.clear(user.user_id)
    await send(update, context, _("✅ Entry changed: {entry}").format(entry=describe_shift(shift)))
    return True


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
    for _day, text, buttons in items[:10]:
        await send(update, context, text, inline([buttons]))


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
    data = _data(update)
    action = data.arg(0)
    user = await current_user(update, context)
    service = _service(context)
    if action not in RECORDING:
        await answer_callback(update)
        await _on_action(update, context, user, service, data, action)
        return
    key = await first_press(update, context, user.user_id)
    if key is None:
        return
    await answer_callback(update)
    try:
        await _on_action(update, context, user, service, data, action)
    except BaseException:
        await context.services.once.release(user.user_id, key)
        raise


async def _on_action(
    update: Update,
    context: BotContext,
    user: User,
    service: HoursService,
    data: callbacks.Callback,
    action: str,
) -> None:
    if action == "consent":
        context.worker = await context.services.users.set_consent(
            user.user_id, Consent.RECORDS, True
        )
        await show_hours(update, context)
    elif action == "start":
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
    elif action == "stop":
        entry = await service.stop_clock(user)
        await send(
            update,
            context,
            _("⏹ Stopped. Saved: {hours} on {day}.").format(
                hours=fmt_duration(entry.worked_minutes), day=fmt_date(entry.day)
            ),
        )
    elif action == "log":
        await send(
            update,
            context,
            _("Write the hours you worked, for example: {examples}").format(
                examples="8h · 9:00-17:30 · 9-17"
            ),
        )
    elif action == "pay":
        await context.services.conversations.set(user.user_id, PAYMENT_AMOUNT, {})
        await send(
            update, context, _("How much were you paid today? Write the number, for example: 1500")
        )
    elif action == "sum":
        name = data.arg(1)
        if name not in PERIODS:
            raise callbacks.InvalidCallback("unknown period")
        await show_summary(update, context, name)
    elif action == "list":
        await show_entries(update, context)
    elif action == "export":
        await export(update, context, data.arg(1))
    elif action == "addemp":
        await ask_nickname(update, context, user)
    elif action == "unit":
        await on_unit(update, context, data)
    elif action == "livein":
        await on_live_in(update, context, data)
    elif action in ("ok", "emp", "mvs", "ovl"):
        state = await context.services.conversations.get(user.user_id)
        if state is None or state[0] != ENTRY:
            raise callbacks.InvalidCallback("nothing to confirm")
        parsed = _from_state(state[1])
        chosen = data.int_arg(1) if action != "ok" else state[1].get("employer")
        if isinstance(parsed, ParsedShift):
            await _store_or_ask(
                update,
                context,
                user,
                shift=parsed,
                employer_id=chosen,
                move_start=action == "mvs" or bool(state[1].get("move_start")),
                replace_overlap=action == "ovl",
            )
        else:
            await _store_or_ask(update, context, user, payment=parsed, employer_id=chosen)
    elif action == "date":
        await on_date(update, context, _tag(data.arg(1)), _from_compact(data.arg(2)))
    elif action == "months":
        page = data.int_arg(2)
        if not 0 <= page <= 9:
            raise callbacks.InvalidCallback("month page out of range")
        await ask_month(update, context, user, _tag(data.arg(1)), page)
    elif action == "month":
        await ask_day(update, context, user, _tag(data.arg(1)), data.arg(2))
    elif action == "homes":
        await show_households(update, context)
    elif action == "home":
        await show_household(update, context, data.int_arg(1))
    elif action == "terms":
        await ask_terms_unit(update, context, data.int_arg(1))
    elif action == "tu":
        state = await context.services.conversations.get(user.user_id)
        unit = data.arg(1)
        if unit not in PAY_UNITS or state is None or state[0] != TERMS:
            raise callbacks.InvalidCallback("no pay change in progress")
        await context.services.conversations.set(
            user.user_id, TERMS, state[1] | {"step": "amount", "unit": unit}
        )
        await send(
            update,
            context,
            _("How much do you get {unit}? Write the number, for example: 450").format(
                unit=per_unit(unit)
            ),
        )
    elif action == "start_date":
        employer = await service.employer(user, data.int_arg(1))
        await ask_date(
            update,
            context,
            user,
            f"s{employer.id}",
            _("Since when do you work at {name}? Tap, or write the date.").format(
                name=escape(employer.nickname)
            ),
        )
    elif action == "end":
        await ask_ending(update, context, user, data.int_arg(1) if len(data.args) > 1 else None)
    elif action == "endr":
        await on_ending_reason(update, context, user, data.int_arg(1), data.arg(2))
    elif action == "vac":
        state = await context.services.conversations.get(user.user_id)
        if state is None or state[0] != ENDING or "ended" not in state[1]:
            raise callbacks.InvalidCallback("no ending in progress")
        raw = data.arg(1)
        taken = None if raw == "x" else data.int_arg(1)
        if taken is not None and not 0 <= taken <= 60:
            raise callbacks.InvalidCallback("vacation days out of range")
        await _show_settlement(update, context, user, state[1], taken)
    elif action == "no":
        await context.services.conversations.clear(user.user_id)
        await send(
            update,
            context,
            _("Not saved. Write it again, for example: {examples}").format(examples="9:00-17:00"),
        )
    elif action == "del":
        kind, entry_id = data.arg(1), data.int_arg(2)
        await service.delete(user, kind, entry_id)
        await send(update, context, _("🗑 Deleted."))
    elif action == "edit":
        entry = await service.work_entry(user, data.int_arg(1))
        await context.services.conversations.set(user.user_id, EDIT, {"entry": entry.id})
        await send(
            update,
            context,
            _("Write the correct hours for {day}, for example: 9:00-17:00").format(
                day=fmt_date(entry.day)
            ),
        )
    else:
        raise callbacks.InvalidCallback(f"unknown hours action {action!r}")


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
    await context.services.conversations.set(
        user.user_id, ENDING, {"step": "date", "employer": employer.id, "reason": reason}
    )
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
    update: Update, context: BotContext, user: User, flow: dict[str, Any], taken: int | None
) -> None:
    service = _service(context)
    ending = JobEnding(
        int(flow["employer"]), str(flow["reason"]), dt.date.fromisoformat(flow["ended"]), taken
    )
    settlement: Settlement = await service.settlement(user, ending)
    await service.save_ending(user, ending)
    await context.services.conversations.clear(user.user_id)
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
                [(_("🕒 Hours & pay"), callbacks.encode("h", "homes"))],
            ]
        ),
    )


async def hours_command(update: Update, context: BotContext) -> None:
    await show_hours(update, context)
