"""The delivery engine's Sender for Telegram: Bot API answers mapped to delivery outcomes."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.channels.reply_retry import NO_RETRY, retry_seconds
from bot.services.delivery import Blocked, RateLimited, Rejected, Sender, Transient


def telegram_sender(bot: Bot) -> Sender:
    """`bot` may be a plain Bot (benchmarks) or the application's ExtBot, whose ReplyRetry
    must leave a 429 to the engine."""
    extra: dict[str, Any] = {"rate_limit_args": NO_RETRY} if isinstance(bot, ExtBot) else {}

    async def send(method: str, payload: dict[str, Any]) -> int | None:
        try:
            with warnings.catch_warnings():
                # The method name comes from the outbox row, so the generic call is right here.
                warnings.simplefilter("ignore", PTBUserWarning)
                result = await bot.do_api_request(method, api_kwargs=payload, **extra)
        except RetryAfter as error:
            raise RateLimited(retry_seconds(error)) from error
        except Forbidden as error:
            raise Blocked(error.message) from error
        except BadRequest as error:
            raise Rejected(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise Transient(type(error).__name__) from error
        return result.get("message_id") if isinstance(result, dict) else None

    return send
