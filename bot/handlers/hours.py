"""Hours & pay: households, clock in and out, typed entries, payments, summaries, export.

Multi-step conversations (adding a household, confirming an entry) keep their state in the
database, so a restart in the middle loses nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

from telegram import InputFile, Update

from bot import callbacks
from bot.context import BotContext
from bot.domain.entry_parser import (
    ParsedPayment,
    ParsedShift,
    ParseError,
    parse_payment,
    parse_shift,
)
from bot.domain.errors import UserFacingError
from bot.domain.records import PAY_UNITS, Employer
from bot.domain.users import Consent, User
from bot.domain.wages import Summary
from bot.handlers.common import Button, answer_callback, current_user, escape, inline, send
from bot.i18n import N_, _, fmt_date, fmt_duration, fmt_money, fmt_time, ngettext
from bot.services.hours import HoursService, Period, parse_amount, validate_nickname
from bot.services.wording import per_unit, render_warning

ENTRY, EMPLOYER, PAYMENT_AMOUNT, EDIT = "entry", "employer", "payment_amount", "edit"
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
    month = await service.summaries(user, Period.named("month", today))
    lines = [_("🕒 <b>Hours & pay</b>")]
    for weekly, monthly in zip(week, month, strict=True):
        employer = weekly.employer
        lines += [
            "",
            f"🏠 <b>{escape(employer.nickname)}</b>",
            _("This week: {hours} worked").format(hours=fmt_duration(weekly.summary.minutes)),
            _("This month: {due} earned, {paid} paid, {balance} owed").format(
                due=fmt_money(monthly.summary.due, employer.currency),
                paid=fmt_money(monthly.summary.paid, employer.currency),
                balance=fmt_money(max(monthly.summary.balance, Decimal(0)), employer.currency),
            ),
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
        [(_("🏠 Add a household"), callbacks.encode("h", "addemp"))],
    ]
    await send(update, context, "\n".join(lines), inline(rows))


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
    service = _service(context)
    state = await context.services.conversations.get(user.user_id)
    if state is None or state[0] != EMPLOYER or state[1].get("step") != "livein":
        raise callbacks.InvalidCallback("no household being added")
    flow = state[1]
    employer = await service.add_employer(
        user,
        flow["nickname"],
        Decimal(flow["amount"]),
        flow["unit"],
        flow["currency"],
        data.arg(1) == "1",
    )
    await context.services.conversations.clear(user.user_id)
    await send(
        update,
        context,
        _("✅ Saved: {name}, {amount} {unit}.").format(
            name=escape(employer.nickname),
            amount=fmt_money(employer.pay, employer.currency),
            unit=per_unit(employer.pay_unit),
        ),
    )
    await show_hours(update, context)


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
        if flow == EMPLOYER:
            await _employer_step(update, context, user, data, text)
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
    if shift is not None and shift.ambiguous:
        await _confirm(update, context, user, shift)
        return True
    await _store_or_ask(update, context, user, shift=shift, payment=payment)
    return True


def _shift_state(shift: ParsedShift) -> dict[str, Any]:
    return {
        "kind": "work",
        "day": shift.day.isoformat(),
        "start": shift.start.isoformat("minutes") if shift.start else None,
        "end": shift.end.isoformat("minutes") if shift.end else None,
        "worked": int(shift.worked.total_seconds()) // 60,
        "break": shift.break_minutes,
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
    )


def describe_shift(shift: ParsedShift) -> str:
    when = fmt_date(shift.day, "full")
    if shift.start is not None and shift.end is not None:
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
    await context.services.conversations.clear(user.user_id)
    if shift is not None:
        entry = await service.log_shift(user, employer.id, shift)
        saved = describe_shift(shift)
        week = await service.summaries(user, Period.named("week", service.today(user)))
        minutes = next(s.summary.minutes for s in week if s.employer.id == employer.id)
        text = _("✅ Saved for {name}: {entry}").format(name=escape(employer.nickname), entry=saved)
        text += "\n" + _("This week: {hours} worked").format(hours=fmt_duration(minutes))
        markup = inline([[(_("↩️ Undo"), callbacks.encode("h", "del", "work", entry.id))]])
    else:
        assert payment is not None
        stored = await service.log_payment(user, employer.id, payment)
        text = _("✅ Payment saved for {name}: {amount} on {day}.").format(
            name=escape(employer.nickname),
            amount=fmt_money(stored.amount, stored.currency),
            day=fmt_date(stored.day),
        )
        markup = inline([[(_("↩️ Undo"), callbacks.encode("h", "del", "payment", stored.id))]])
    await send(update, context, text, markup)


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
    await service.log_shift(user, entry.employer_id, shift, replace=entry.id)
    await context.services.conversations.clear(user.user_id)
    await send(update, context, _("✅ Entry changed: {entry}").format(entry=describe_shift(shift)))
    return True


# ---- summaries, entries, export -----------------------------------------------------------
def render_summary(summary: Summary, employer: Employer, rules_name: str | None) -> str:
    currency = employer.currency
    lines = [
        f"🏠 <b>{escape(employer.nickname)}</b> — "
        + _("{start} to {end}").format(start=fmt_date(summary.start), end=fmt_date(summary.end)),
        ngettext("{n} day worked", "{n} days worked", summary.days_worked).format(
            n=summary.days_worked
        )
        + " · "
        + ngettext("{n} day of rest", "{n} days of rest", summary.rest_days).format(
            n=summary.rest_days
        ),
        _("Hours worked: {hours}").format(hours=fmt_duration(summary.minutes)),
    ]
    if summary.overtime_minutes:
        lines.append(_("Overtime: {hours}").format(hours=fmt_duration(summary.overtime_minutes)))
    lines += [
        _("Earned as agreed: {amount}").format(amount=fmt_money(summary.earned, currency)),
    ]
    if summary.overtime_pay:
        lines.append(
            _("Extra for overtime: {amount}").format(
                amount=fmt_money(summary.overtime_pay, currency)
            )
        )
    lines += [
        _("Paid to you: {amount}").format(amount=fmt_money(summary.paid, currency)),
        "<b>"
        + (
            _("Still owed to you: {amount}").format(amount=fmt_money(summary.balance, currency))
            if summary.balance >= 0
            else _("Paid more than the record shows: {amount}").format(
                amount=fmt_money(-summary.balance, currency)
            )
        )
        + "</b>",
    ]
    for warning in summary.warnings:
        lines += [
            "",
            "⚠️ "
            + render_warning(warning.code, warning.details, currency)
            + f" ({escape(warning.source)})",
        ]
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
        if start == dt.date.min or end < start or (end - start).days > 366:
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
    await answer_callback(update)
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
    elif action in ("ok", "emp"):
        state = await context.services.conversations.get(user.user_id)
        if state is None or state[0] != ENTRY:
            raise callbacks.InvalidCallback("nothing to confirm")
        parsed = _from_state(state[1])
        chosen = data.int_arg(1) if action == "emp" else None
        if isinstance(parsed, ParsedShift):
            await _store_or_ask(update, context, user, shift=parsed, employer_id=chosen)
        else:
            await _store_or_ask(update, context, user, payment=parsed, employer_id=chosen)
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


async def hours_command(update: Update, context: BotContext) -> None:
    await show_hours(update, context)
