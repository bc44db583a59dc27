"""Deliver due queue reminders to Telegram: rate-limited, retried, and each marked sent once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from state.db import Unavailable
from state.reminders import Pending, ReminderStore

log = logging.getLogger(__name__)
CHANNEL = "telegram:"
MAX_ATTEMPTS = 5
IDLE_CHECK_S = 1.0  # also retries failed sends this often, without waiting for a new call
PURGE_EVERY_S = 60.0  # how often yesterday's tickets and chats are looked for and deleted


class ReminderSender:
    """Runs beside the bot; `wake()` after a call is committed makes it send at once."""

    def __init__(self, store: ReminderStore, bot: Bot, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.bot = bot
        self.clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        last_purge = -PURGE_EVERY_S
        loop = asyncio.get_running_loop()
        while True:
            try:
                if loop.time() - last_purge >= PURGE_EVERY_S:
                    # Without this, a quiet day would keep yesterday's chat ids until a call.
                    self.store.purge(self.clock())
                    last_purge = loop.time()
                await self.drain()
            except Unavailable:  # the database restarts: what is due waits, none is lost
                log.warning("state database unavailable: reminders wait for it")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=IDLE_CHECK_S)
            self._wake.clear()

    async def drain(self) -> int:
        """Send everything due now (failures wait for the next round); returns how many sent."""
        sent, after = 0, 0
        while True:
            # Claimed: with several workers on PostgreSQL, no other worker sends these meanwhile.
            with self.store.claim(channel=CHANNEL, after=after) as batch:
                if not batch:
                    return sent
                results = await asyncio.gather(*(self._send(item) for item in batch))
            sent += sum(results)
            after = batch[-1].id

    async def _send(self, item: Pending) -> bool:
        chat_id = int(item.chat.removeprefix(CHANNEL))
        try:
            await self.bot.send_message(chat_id, item.text, parse_mode=None)
        except Forbidden:
            log.info("a chat blocked the bot: its reminders are dropped")
            self.store.unsubscribe_chat(item.chat)
            return False
        except RetryAfter as exc:  # the rate limiter retries first; this is what is left
            await asyncio.sleep(
                float(
                    exc.retry_after
                    if isinstance(exc.retry_after, int | float)
                    else exc.retry_after.total_seconds()
                )
            )
            return False
        except TelegramError as exc:
            give_up = item.attempts + 1 >= MAX_ATTEMPTS
            log.warning(
                "reminder not delivered (%s, attempt %d%s)",
                type(exc).__name__,
                item.attempts + 1,
                ", giving up" if give_up else "",
            )
            self.store.mark_failed(item, type(exc).__name__, give_up)
            return False
        # Marked right after the send: a crash between the two is the only way to repeat one.
        self.store.mark_sent(item, self.clock())
        return True
