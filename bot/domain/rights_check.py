"""“Is this right?”: a short check of eight questions, answered by buttons, that ends with
what looks wrong, the rule for each point, and what she can do.

What each country's law says on each point is content (`content/<jurisdiction>/check.toml`,
format in content/README.md); the hours and rest figures come from the same rules.toml the
calculator uses. Her answers travel in the buttons themselves, one letter per question, so
nothing is stored while she answers: a press carries everything the next screen needs, a
repeated press shows the same screen, and a forged one is refused by `read_answers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.domain.content import ContentError, load_toml
from bot.domain.rules import Rules, Sourced

# In the order she is asked; violence last, so the check ends on the help she may need.
QUESTIONS: tuple[str, ...] = (
    "contract",
    "social_security",
    "weekly_rest",
    "weekly_hours",
    "minimum_wage",
    "paid_on_time",
    "documents",
    "violence",
)
YES, NO, UNSURE = "y", "n", "u"
FROM_RECORD = "r"  # answered by her hours-and-pay record, not asked
NOT_ASKED = "-"  # the country's law has no such rule (Panama has no weekly hour limit)
ANSWERS = frozenset({YES, NO, UNSURE, FROM_RECORD, NOT_ASKED})
ASKED = (YES, NO, UNSURE)

CONTRACT_RULES = ("required", "oral_allowed", "advised")
SOCIAL_SECURITY_RULES = ("required", "advised")
CONTACT_KINDS = ("emergency", "violence", "labour")
# The topic that explains each point, for the buttons under the result.
TOPIC_OF = {
    "contract": "contract",
    "social_security": "social_security",
    "weekly_rest": "hours",
    "weekly_hours": "hours",
    "minimum_wage": "pay",
    "paid_on_time": "pay",
    "documents": "documents",
    "violence": "harassment",
}
# What a "wrong" answer is for each question (the others are fine or unknown).
_WRONG = {
    "contract": NO,
    "social_security": NO,
    "weekly_rest": NO,
    "weekly_hours": YES,
    "minimum_wage": NO,
    "paid_on_time": NO,
    "documents": YES,
    "violence": YES,
}


@dataclass(frozen=True)
class Rule:
    """What the law says on one point, in the law's words (`kind` picks the sentence the bot
    says), and where."""

    kind: str
    source: str
    url: str
    institution: str = ""  # who registers her: "IMSS", "la Seguridad Social"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    kind: str  # one of CONTACT_KINDS
    source: str
    url: str


@dataclass(frozen=True)
class CheckRules:
    """One jurisdiction's check.toml."""

    jurisdiction: str
    reviewed: dt.date
    points: dict[str, Rule]
    contacts: tuple[Contact, ...] = ()

    def contacts_for(self, *kinds: str) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.kind in kinds)


@dataclass(frozen=True)
class Record:
    """What her hours-and-pay record says on the points it can answer (None: it cannot)."""

    weekly_hours: Decimal | None = None  # her average over the last four full weeks
    weeks: int = 0  # how many of those weeks have entries
    hourly_pay: Decimal | None = None  # her agreed pay per hour, where she is paid by the hour
    currency: str = ""


@dataclass(frozen=True)
class Finding:
    """One point of the result: `wrong` (the law is not being followed), or `unsure` (she
    does not know: how to find out)."""

    question: str
    status: str  # "wrong" | "unsure" | "tip" (advice where the law does not require it)
    rule: Rule | Sourced | None = None
    figure: Decimal | None = None  # the limit, the minimum
    found: Decimal | None = None  # what her record shows


class BadAnswers(ValueError):
    """Answers that no button of the check produces (an old or forged button)."""


def read_answers(raw: str) -> str:
    if len(raw) > len(QUESTIONS) or any(a not in ANSWERS for a in raw):
        raise BadAnswers(raw)
    return raw


def next_question(answers: str) -> str | None:
    return QUESTIONS[len(answers)] if len(answers) < len(QUESTIONS) else None


def answer_for(question: str, rules: Rules, record: Record) -> str | None:
    """The answer the bot gives itself, without asking: her record answers the hours and the
    hourly pay; a rule the country does not have is not asked. None: ask her."""
    if question == "weekly_hours":
        if rules.weekly_hours is None:
            return NOT_ASKED
        if record.weekly_hours is not None:
            return FROM_RECORD
    if (
        question == "minimum_wage"
        and record.hourly_pay is not None
        and rules.minimum_for("hour", False) is not None
    ):
        return FROM_RECORD
    return None


def findings(
    check: CheckRules, rules: Rules, weekly_rest: Sourced, answers: str, record: Record
) -> list[Finding]:
    """What looks wrong, then what she does not know, in the order of the questions; violence
    always first. `weekly_rest` is the country's rule, or the ILO minimum where it has none."""
    wrong: list[Finding] = []
    unsure: list[Finding] = []
    for question, answer in zip(QUESTIONS, answers, strict=False):
        rule: Rule | Sourced | None = check.points.get(question)
        figure: Decimal | None = None
        found: Decimal | None = None
        if question == "weekly_rest":
            rule, figure = weekly_rest, weekly_rest.value
        elif question == "weekly_hours":
            if rules.weekly_hours is None:
                continue
            rule, figure = rules.weekly_hours, rules.weekly_hours.value
            if answer == FROM_RECORD and record.weekly_hours is not None:
                found = record.weekly_hours
                answer = YES if found > figure else NO
        elif question == "minimum_wage":
            minimum = rules.minimum_for("hour", False)
            if answer == FROM_RECORD and minimum is not None and record.hourly_pay is not None:
                figure, found = minimum.amount, record.hourly_pay
                answer = NO if found < figure else YES
        lenient = isinstance(rule, Rule) and rule.kind in ("oral_allowed", "advised")
        if answer == _WRONG[question] and lenient:
            # No written contract where a spoken one is lawful, or no registration where this
            # guide cites only the ILO's equal-treatment rule: advice, not a breach.
            unsure.append(Finding(question, "tip", rule))
        elif answer == _WRONG[question]:
            wrong.append(Finding(question, "wrong", rule, figure, found))
        elif answer == UNSURE:
            unsure.append(Finding(question, "unsure", rule, figure))
    wrong.sort(key=lambda f: f.question != "violence")
    return wrong + unsure


def is_finished(answers: str) -> bool:
    return len(answers) == len(QUESTIONS)


def parse_check(text: str, path: str = "<text>") -> CheckRules:
    raw = load_toml(text, path)
    problems: list[str] = []
    jurisdiction = raw.get("jurisdiction")
    reviewed = raw.get("reviewed")
    if not isinstance(jurisdiction, str):
        problems.append("jurisdiction is missing")
    if not isinstance(reviewed, dt.date):
        problems.append("reviewed must be a date")
    points: dict[str, Rule] = {}
    kinds = {"contract": CONTRACT_RULES, "social_security": SOCIAL_SECURITY_RULES}
    for question in (
        "contract",
        "social_security",
        "minimum_wage",
        "paid_on_time",
        "documents",
        "violence",
    ):
        table = raw.get(question)
        if not isinstance(table, dict):
            problems.append(f"[{question}] is missing")
            continue
        rule = _rule(question, table, kinds.get(question), problems)
        if rule is not None:
            points[question] = rule
    contacts = tuple(
        c for c in (_contact(t, problems) for t in raw.get("contacts", [])) if c is not None
    )
    unknown = set(raw) - {"jurisdiction", "reviewed", "contacts", *points, *QUESTIONS}
    if unknown:
        problems.append(f"unknown tables: {', '.join(sorted(unknown))}")
    if problems:
        raise ContentError(path, problems)
    assert isinstance(jurisdiction, str) and isinstance(reviewed, dt.date)
    return CheckRules(jurisdiction, reviewed, points, contacts)


def _rule(
    question: str, table: dict[str, Any], kinds: tuple[str, ...] | None, problems: list[str]
) -> Rule | None:
    kind = table.get("rule", "law")
    if kinds is not None and kind not in kinds:
        problems.append(f"[{question}] rule must be one of {', '.join(kinds)}")
        return None
    for key in ("source", "url"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            problems.append(f"[{question}] needs a {key}")
            return None
    if not table["url"].startswith("https://"):
        problems.append(f"[{question}] url must start with https://")
        return None
    institution = table.get("institution", "")  # none: the bot says "social security"
    return Rule(str(kind), table["source"], table["url"], str(institution))


def _contact(table: Any, problems: list[str]) -> Contact | None:
    if not isinstance(table, dict):
        problems.append("[[contacts]] must be tables")
        return None
    missing = [k for k in ("name", "phone", "kind", "source", "url") if not table.get(k)]
    if missing:
        problems.append(f"a contact lacks {', '.join(missing)}")
        return None
    if table["kind"] not in CONTACT_KINDS:
        problems.append(f"contact kind must be one of {', '.join(CONTACT_KINDS)}")
        return None
    phone = str(table["phone"])
    if not phone.replace(" ", "").replace("-", "").isdigit():
        problems.append(f"contact phone {phone!r} must be digits")
        return None
    return Contact(table["name"], phone, table["kind"], table["source"], table["url"])
