"""The worker's record as a CSV file: one row per entry, headers in her language, local times.

The file is evidence a worker shows a labour inspector, so it stays machine-readable (ISO
dates, dot decimals, RFC 4180 quoting, UTF-8 with a BOM for spreadsheet apps) and no cell a
user typed can run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.domain.records import PaymentEntry, WorkEntry
from bot.domain.settlement import Settlement
from bot.i18n import _
from bot.services.wording import settlement_line

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection");
# tab and carriage return hide one, and some spreadsheet apps also read the full-width forms.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def build_record_csv(
    names: dict[int, str],
    work: list[WorkEntry],
    payments: list[PaymentEntry],
    tz: ZoneInfo,
    settlements: Sequence[tuple[str, Settlement, str]] = (),
) -> bytes:
    """Every entry, work first then payments, as CSV in the active locale (see `i18n.using`)."""
    zone = str(tz)
    out = io.StringIO()
    writer = csv.writer(out)  # the excel dialect is RFC 4180 (quoted fields, CRLF)

    def row(*cells: str | int) -> None:
        writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in cells])

    row(
        _("Type"),
        _("Household"),
        _("Date"),
        _("Start ({timezone})").format(timezone=zone),
        _("End ({timezone})").format(timezone=zone),
        _("Break (minutes)"),
        _("Worked (hours)"),
        _("Amount"),
        _("Currency"),
        _("Method"),
        _("Note"),
        _("Recorded ({timezone})").format(timezone=zone),
        _("Changed"),
        _("Changed on ({timezone})").format(timezone=zone),
    )
    for entry in work:
        recorded, changed = _stamps(entry.created_at, entry.updated_at, tz)
        row(
            _("Work"),
            names.get(entry.employer_id, ""),
            entry.day.isoformat(),
            _clock_time(entry.start_at, tz),
            _clock_time(entry.end_at, tz),
            entry.break_minutes,
            f"{Decimal(entry.worked_minutes) / 60:.2f}",
            "",
            "",
            "",
            "",
            recorded,
            _("Yes") if changed else _("No"),
            changed,
        )
    for payment in payments:
        recorded, changed = _stamps(payment.created_at, payment.updated_at, tz)
        row(
            _("Payment"),
            names.get(payment.employer_id, ""),
            payment.day.isoformat(),
            "",
            "",
            "",
            "",
            format(payment.amount, "f"),  # never "1E+3": spreadsheets must read it as a number
            payment.currency,
            payment_method(payment.method),
            payment.note or "",
            recorded,
            _("Yes") if changed else _("No"),
            changed,
        )
    # What she is owed if the job ends: one row per line, with its article in the note.
    for name, settlement, currency in settlements:
        for line in settlement.lines:
            row(
                _("End of job"),
                name,
                settlement.ended.isoformat(),
                "",
                "",
                "",
                "",
                "" if line.amount is None else f"{line.amount}",
                currency,
                "",
                settlement_line(line, currency),
                "",
                "",
                "",
            )
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet apps read UTF-8


def safe_cell(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def payment_method(method: str | None) -> str:
    """How a payment was made, in the active language ('' when not given)."""
    return {"cash": _("cash"), "transfer": _("transfer")}.get(method or "", method or "")


def local_moment(stamp: str, tz: ZoneInfo) -> dt.datetime:
    """A stored ISO 8601 moment (UTC) in the worker's time zone."""
    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:  # every stored stamp is aware; read a bare one as UTC, not local
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz)


def _stamps(created_at: str, updated_at: str, tz: ZoneInfo) -> tuple[str, str]:
    """(recorded, changed) as local 'YYYY-MM-DD HH:MM:SS'; changed is '' if never changed."""
    created, updated = local_moment(created_at, tz), local_moment(updated_at, tz)
    return _local_text(created), _local_text(updated) if updated != created else ""


def _local_text(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _clock_time(moment: dt.datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M") if moment else ""
