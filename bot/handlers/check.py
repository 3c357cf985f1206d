"""“Is this right?”: the rights check, eight questions by buttons, then what looks wrong.

Buttons: `chk:s<answers>` shows the next question (or the result when all are answered),
`chkback:s<answers>` goes back one question, `chksave:s<answers>` saves a finished check to
her record. The answers ride in the button (see bot/domain/rights_check.py): nothing is stored
until she taps Save.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from telegram import Update

from bot import callbacks, i18n
from bot.context import BotContext
from bot.domain.rights_check import (
    FROM_RECORD,
    NO,
    NOT_ASKED,
    QUESTIONS,
    TOPIC_OF,
    UNSURE,
    YES,
    BadAnswers,
    Finding,
    Rule,
    is_finished,
    next_question,
    read_answers,
)
from bot.domain.rules import MinimumWage
from bot.domain.users import User
from bot.handlers.common import (
    Button,
    answer_callback,
    current_user,
    first_press,
    inline,
    send,
)
from bot.handlers.rights import place_name, source_footer
from bot.i18n import N_, _
from bot.services.rights_check import CheckContext
from bot.services.wording import per_unit


def _answers(data: callbacks.Callback) -> str:
    raw = data.arg(0)
    if not raw.startswith("s"):
        raise callbacks.InvalidCallback("answers start with s")
    try:
        return read_answers(raw[1:])
    except BadAnswers:
        raise callbacks.InvalidCallback(f"bad answers {raw!r}") from None


def _button(action: str, answers: str) -> str:
    return callbacks.encode(action, "s" + answers)


async def check_command(update: Update, context: BotContext) -> None:
    user = await current_user(update, context)
    await _show(update, context, user, "")


async def on_check(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    answers = _answers(data)
    user = await current_user(update, context)
    await answer_callback(update)
    await _show(update, context, user, answers)


async def on_back(update: Update, context: BotContext) -> None:
    """One question back: drop her last answer and the ones the bot filled in after it."""
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    answers = _answers(data).rstrip(FROM_RECORD + NOT_ASKED)[:-1]
    user = await current_user(update, context)
    await answer_callback(update)
    await _show(update, context, user, answers.rstrip(FROM_RECORD + NOT_ASKED))


async def on_save(update: Update, context: BotContext) -> None:
    data = callbacks.decode(update.callback_query.data if update.callback_query else None)
    answers = _answers(data)
    if not is_finished(answers):
        raise callbacks.InvalidCallback("only a finished check is saved")
    user = await current_user(update, context)
    if await first_press(update, context, user.user_id) is None:
        return
    await answer_callback(update)
    await context.services.rights_check.save(user, answers)
    await send(
        update,
        context,
        _("💾 Saved to your record, with today's date. /mydata shows it; /delete erases it."),
    )


async def _show(update: Update, context: BotContext, user: User, answers: str) -> None:
    service = context.services.rights_check
    ctx = await service.context(user)
    answers = service.fill(ctx, answers)
    question = next_question(answers)
    if question is None:
        text, rows = result_screen(ctx, user, answers, service.result(ctx, answers))
    else:
        text, rows = question_screen(ctx, user, answers, question)
    await send(update, context, text, inline(rows))


# ---- screens (plain functions of the check's state, for the tests and the console) ----------
def question_screen(
    ctx: CheckContext, user: User, answers: str, question: str
) -> tuple[str, list[list[Button]]]:
    number = len(answers) + 1
    lines = []
    if not answers:
        lines += [
            _("✅ <b>Is this right?</b> A check of your job in 8 questions, for {place}.").format(
                place=escape(place_name(user))
            ),
            _("Nothing you answer is kept unless you choose to save it at the end."),
            "",
        ]
    lines.append(
        _("Question {number} of {total}").format(
            number=i18n.fmt_number(number), total=i18n.fmt_number(len(QUESTIONS))
        )
    )
    lines.append(f"<b>{escape(_question_text(ctx, question))}</b>")
    hint = _question_hint(ctx, question)
    if hint:
        lines.append(escape(hint))
    unsure = _("🙊 I prefer not to say") if question == "violence" else _("🤷 I don't know")
    rows: list[list[Button]] = [
        [(_("✅ Yes"), _button("chk", answers + YES)), (_("❌ No"), _button("chk", answers + NO))],
        [(unsure, _button("chk", answers + UNSURE))],
    ]
    nav: list[Button] = []
    if answers.rstrip(FROM_RECORD + NOT_ASKED):
        nav.append((_("◀️ Back"), _button("chkback", answers)))
    nav.append((_("📚 Topics"), callbacks.encode("topics")))
    rows.append(nav)
    return "\n".join(lines), rows


def _question_text(ctx: CheckContext, question: str) -> str:
    if question == "contract":
        return _("📝 Do you have a written contract?")
    if question == "social_security":
        institution = _institution(ctx)
        if institution:
            return _("🏥 Has your employer registered you in social security ({name})?").format(
                name=institution
            )
        return _("🏥 Has your employer registered you in social security?")
    if question == "weekly_rest":
        return _("🛌 Every week, do you get at least {hours} hours in a row off work?").format(
            hours=i18n.fmt_number(ctx.weekly_rest.value)
        )
    if question == "weekly_hours":
        assert ctx.rules.weekly_hours is not None
        return _("⏰ In a normal week, do you work more than {hours} hours?").format(
            hours=i18n.fmt_number(ctx.rules.weekly_hours.value)
        )
    if question == "minimum_wage":
        return _("💰 Are you paid at least the legal minimum wage?")
    if question == "paid_on_time":
        return _("📅 Are you paid on the agreed day, at least once a month?")
    if question == "documents":
        return _("🛂 Does your employer keep your passport or your identity card?")
    return _(
        "🆘 Has anyone in the house hit you, threatened you, insulted you or touched you"
        " against your will?"
    )


def _question_hint(ctx: CheckContext, question: str) -> str:
    if question == "minimum_wage":
        return _minimum_line(ctx.rules.minimum_wages, ctx.rules.currency)
    if question == "weekly_hours":
        return _("Count only your working time, without breaks.")
    return ""


def _institution(ctx: CheckContext) -> str:
    rule = ctx.check.points.get("social_security")
    return rule.institution if rule else ""


def _per_unit(amount: Decimal, unit: str, currency: str) -> str:
    return f"{i18n.fmt_money(amount, currency)} {per_unit(unit)}"


def _minimum_line(wages: tuple[MinimumWage, ...], currency: str | None) -> str:
    """The minimums in force today, or nothing when this guide has none for the country."""
    if not wages or not currency:
        return ""
    first = min(w.effective for w in wages)
    return _("The legal minimum since {date}: {amounts}.").format(
        date=i18n.fmt_date(first),
        amounts=i18n.fmt_list([_per_unit(w.amount, w.unit, currency) for w in wages]),
    )


def result_screen(
    ctx: CheckContext, user: User, answers: str, found: list[Finding]
) -> tuple[str, list[list[Button]]]:
    lines = [
        _("✅ <b>Your rights check</b> ({place})").format(place=escape(place_name(user))),
        "",
    ]
    violence = answers[QUESTIONS.index("violence")]
    if violence in (YES, UNSURE):
        lines += _safety_lines(ctx, urgent=violence == YES)
    wrong = [f for f in found if f.status == "wrong" and f.question != "violence"]
    other = [f for f in found if f.status != "wrong" and f.question != "violence"]
    if wrong:
        lines.append(_("<b>What looks wrong:</b>"))
        for finding in wrong:
            lines += _finding_lines(ctx, finding, "⚠️")
    elif violence != YES:
        lines.append(_("👍 From your answers, nothing looks wrong."))
        lines.append("")
    if other:
        lines.append(_("<b>Good to know:</b>"))
        for finding in other:
            lines += _finding_lines(ctx, finding, "💡")
    lines.append(_("<b>What you can do:</b>"))
    lines.append(_("• Keep a record of your hours and payments in 🕒 Hours & pay."))
    lines.append(_("• Talk to your union or the labour authority: see “Where to get help”."))
    lines.append("")
    lines.append(_("ℹ️ This is information, not legal advice."))
    topics = list(dict.fromkeys(TOPIC_OF[f.question] for f in found if f.question != "violence"))
    if violence in (YES, UNSURE):
        topics.insert(0, "harassment")
    rows: list[list[Button]] = [[(_("🆘 Where to get help"), callbacks.encode("topic", "help", 0))]]
    rows += [[(_topic_label(t), callbacks.encode("topic", t, 0))] for t in topics[:3]]
    rows.append([(_("💾 Save to my record"), _button("chksave", answers))])
    rows.append(
        [
            (_("◀️ Back"), _button("chkback", answers)),
            (_("🔁 Start again"), _button("chk", "")),
        ]
    )
    return "\n".join(lines).rstrip(), rows


TOPIC_LABELS = {
    "contract": N_("📝 Your contract"),
    "social_security": N_("🏥 Social security"),
    "hours": N_("⏰ Hours and rest"),
    "pay": N_("💰 Pay"),
    "documents": N_("🛂 Documents"),
    "harassment": N_("🛡️ Harassment and violence"),
}


def _topic_label(topic: str) -> str:
    return _(TOPIC_LABELS[topic])


def _safety_lines(ctx: CheckContext, urgent: bool) -> list[str]:
    lines = []
    if urgent:
        lines.append(
            _("🆘 <b>Your safety comes first.</b> Nobody may hit, threaten or harass you.")
        )
    else:
        lines.append(_("🆘 If someone hurts or threatens you, you can get help, confidentially."))
    contacts = ctx.check.contacts_for("emergency", "violence")
    if contacts:
        lines.append(_("If you are in danger now, call:"))
        for contact in contacts:
            name = contact.name if contact.name != contact.phone else ""
            lines.append(
                f"📞 <b>{escape(i18n.isolate(contact.phone))}</b>"
                + (f" {escape(name)}" if name else "")
            )
    else:
        lines.append(_("If you are in danger now, call your country's emergency number."))
    rule = ctx.check.points.get("violence")
    cited = [rule.source] if rule else []
    cited += [c.source for c in contacts]
    lines.append(f"<i>{escape(source_footer(tuple(dict.fromkeys(cited))))}</i>")
    lines.append("")
    return lines


def _finding_lines(ctx: CheckContext, finding: Finding, mark: str) -> list[str]:
    text = _finding_text(ctx, finding)
    lines = [f"{mark} {escape(text)}"]
    record = _record_text(ctx, finding)
    if record:
        lines.append(escape(record))
    if finding.rule is not None:  # a check.toml rule or a rules.toml figure: both cite
        lines.append(f"<i>{escape(source_footer((finding.rule.source,)))}</i>")
    lines.append("")
    return lines


def _finding_text(ctx: CheckContext, finding: Finding) -> str:
    q, status = finding.question, finding.status
    institution = _institution(ctx)
    if q == "contract":
        if status == "wrong":
            return _("The law says your job must have a written contract.")
        if status == "tip":
            kind = finding.rule.kind if isinstance(finding.rule, Rule) else ""
            if kind == "oral_allowed":
                return _(
                    "A spoken contract is valid here. Still, ask for your hours, pay and days"
                    " off in writing, and keep a copy."
                )
            return _(
                "Your hours, pay and days off should be clear, preferably in writing. Ask"
                " for them in writing and keep a copy."
            )
        return _("Ask your employer for a copy of your contract, and keep it.")
    if q == "social_security":
        if status == "wrong":
            if institution:
                return _("Your employer must register you in social security ({name}).").format(
                    name=institution
                )
            return _("Your employer must register you in social security.")
        if status == "tip":
            return _(
                "You have the right to social security on terms no worse than other workers."
                " Ask {name} how you can be registered."
            ).format(name=institution or _("social security"))
        return _("Ask {name} whether you are registered.").format(
            name=institution or _("social security")
        )
    if q == "weekly_rest":
        hours = i18n.fmt_number(ctx.weekly_rest.value)
        if status == "wrong":
            text = _("You have the right to at least {hours} hours in a row of rest every week.")
        else:
            text = _(
                "Note your days off for a few weeks to see whether you get {hours} hours in a row."
            )
        text = text.format(hours=hours)
        if ctx.rest_is_international:
            text += " " + _("This is the international minimum (ILO Convention 189).")
        return text
    if q == "weekly_hours":
        assert ctx.rules.weekly_hours is not None
        hours = i18n.fmt_number(ctx.rules.weekly_hours.value)
        if status == "wrong":
            return _(
                "A normal week is at most {hours} hours. Hours beyond that are overtime."
            ).format(hours=hours)
        return _(
            "Log your hours for a few weeks in 🕒 Hours & pay: the check will then compare them"
            " with the limit of {hours} hours."
        ).format(hours=hours)
    if q == "minimum_wage":
        if status == "wrong":
            return _("Your pay may not be lower than the legal minimum wage.")
        line = _minimum_line(ctx.rules.minimum_wages, ctx.rules.currency)
        if line:
            return line
        return _(
            "This guide does not yet show the current minimum wage here. Ask the labour"
            " authority (see “Where to get help”)."
        )
    if q == "paid_on_time":
        if status == "wrong":
            return _("Your pay must be paid to you in money, regularly, at least once a month.")
        return _("Note each payment, with its date, in 🕒 Hours & pay.")
    if q == "documents":
        return _("Your passport and your identity papers are yours: keep them yourself.")
    return ""


def _record_text(ctx: CheckContext, finding: Finding) -> str:
    if finding.found is None:
        return ""
    record = ctx.record
    if finding.question == "weekly_hours":
        return _("Your record: {hours} hours a week on average (weeks logged: {weeks}).").format(
            hours=i18n.fmt_number(finding.found), weeks=i18n.fmt_number(record.weeks)
        )
    if finding.question == "minimum_wage" and finding.figure is not None:
        return _("Your record: {pay}. The minimum: {minimum}.").format(
            pay=_per_unit(finding.found, "hour", record.currency),
            minimum=_per_unit(finding.figure, "hour", record.currency),
        )
    return ""
