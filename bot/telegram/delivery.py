"""Reminders on Telegram: one send through the Bot API, its failure classified for the sender."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.delivery import SENT, Outcome, Result

PREFIX = "telegram:"


class TelegramTransport:
    """Plain text (no parse mode): a reminder carries no markup to break."""

    prefix = PREFIX

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text(self, chat: str, text: str) -> Result:
        try:
            await self.bot.send_message(int(chat.removeprefix(PREFIX)), text, parse_mode=None)
        except Forbidden:
            return Result(Outcome.GIVE_UP, "blocked", forget_chat=True)
        except RetryAfter as exc:  # the rate limiter retries first; this is what is left
            wait = exc.retry_after
            seconds = float(wait if isinstance(wait, int | float) else wait.total_seconds())
            return Result(Outcome.RETRY, "RetryAfter", wait=seconds)
        except BadRequest as exc:
            return Result(Outcome.GIVE_UP, f"BadRequest: {exc.message[:80]}")
        except TelegramError as exc:  # network errors, 5xx, timeouts: the service is down
            return Result(Outcome.RETRY, type(exc).__name__)
        return SENT
