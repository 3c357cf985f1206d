"""Users, consents and roles as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Consent(StrEnum):
    RECORDS = "records"  # keep hours and payments on the bot
    STATISTICS = "statistics"  # count in anonymous union statistics


class Role(StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    ANALYST = "analyst"
    HELPER = "helper"  # reads and answers workers' help requests (cases)


@dataclass(frozen=True)
class User:
    user_id: int
    locale: str
    country: str | None = None
    timezone: str | None = None
    onboarded: bool = False
    active: bool = True
    records_consent: bool = False
    statistics_consent: bool = False
    quiet_hours: bool = True  # no reminders or announcements 21:00-07:00 her time
    neutral_notifications: bool = False  # discreet mode: neutral lines and file names
