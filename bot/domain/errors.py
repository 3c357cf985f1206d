"""Domain errors that carry a message the user should read.

The message is a gettext msgid (marked with N_) plus format arguments, translated only when
the error handler renders it in the user's language.
"""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """Something the user can fix or should know; never a bug."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class NotAllowed(UserFacingError):
    """The user lacks the role a command needs."""
