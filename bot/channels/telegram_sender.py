"""The delivery engine's Sender for Telegram: Bot API answers mapped to delivery outcomes."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.services.delivery import Blocked, RateLimited, Rejected, Sender, Transient


def telegram_sender(bot: Bot) -> Sender:
    async def send(method: str, payload: dict[str, Any]) -> int | None:
        try:
            with warnings.catch_warnings():
                # The method name comes from the outbox row, so the generic call is right here.
                warnings.simplefilter("ignore", PTBUserWarning)
                result = await bot.do_api_request(method, api_kwargs=payload)
        except RetryAfter as error:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PTBDeprecationWarning)  # int now, timedelta later
                wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
            raise RateLimited(seconds) from error
        except Forbidden as error:
            raise Blocked(error.message) from error
        except BadRequest as error:
            raise Rejected(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise Transient(type(error).__name__) from error
        return result.get("message_id") if isinstance(result, dict) else None

    return send
