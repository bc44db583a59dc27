"""Queue reminders to every channel: one sender over the outbox, one transport per channel.

A transport sends one text to one chat and says how it went: delivered, retry later (the service
is down or busy: the whole channel waits, with backoff), or give up (this chat cannot get it:
blocked, WhatsApp's 24-hour window closed, refused). A reminder is retried for at least
`Backoff.give_up_after` seconds from its first failed try, "called" reminders first, and is
marked sent right after the send that delivered it, so it is never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from state.reminders import Pending, ReminderStore

log = logging.getLogger(__name__)
IDLE_CHECK_S = 1.0  # how often the outbox is looked at without a wake-up
PURGE_EVERY_S = 60.0  # how often yesterday's tickets and chats are looked for and deleted
CHUNK = 20  # sends in flight at once per channel (each transport paces itself)


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"
    GIVE_UP = "give up"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reason: str = ""  # short and free of personal data: "NetworkError", "131047"
    wait: float | None = None  # a pause the service asked for (Telegram's retry_after)
    forget_chat: bool = False  # the chat blocked the bot: drop all its reminders


SENT = Result(Outcome.SENT)


class Transport(Protocol):
    """One channel's way of sending a reminder; `prefix` is its chat prefix ("telegram:")."""

    prefix: str

    async def send_text(self, chat: str, text: str) -> Result: ...


@dataclass(frozen=True)
class Backoff:
    """Waits of base, 2x, 4x... up to 60x base; a reminder is given up 1800x base after its
    first failed try (30 minutes at the default base of 1 s). Tests shrink the base."""

    base: float = 1.0

    @property
    def give_up_after(self) -> float:
        return self.base * 1800

    def delay(self, failures: int) -> float:
        return min(self.base * 2 ** max(failures - 1, 0), self.base * 60)


@dataclass
class _ChannelState:
    failures: int = 0  # failed rounds in a row
    paused_until: float = 0.0  # loop time


@dataclass
class ReminderSender:
    """Runs beside the channels; `wake()` after a call is committed makes it send at once."""

    store: ReminderStore
    transports: list[Transport]
    clock: Callable[[], datetime]
    backoff: Backoff = field(default_factory=Backoff)
    wall: Callable[[], float] = time.time  # real time, for the give-up window
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _state: dict[str, _ChannelState] = field(default_factory=dict)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        last_purge = -PURGE_EVERY_S
        while True:
            if loop.time() - last_purge >= PURGE_EVERY_S:
                # Without this, a quiet day would keep yesterday's chat ids until the next call.
                self.store.purge(self.clock())
                last_purge = loop.time()
            for transport in self.transports:
                if self._channel(transport).paused_until <= loop.time():
                    await self.drain(transport)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._idle(loop.time()))
            self._wake.clear()

    def _channel(self, transport: Transport) -> _ChannelState:
        return self._state.setdefault(transport.prefix, _ChannelState())

    def _idle(self, now: float) -> float:
        waits = [s.paused_until - now for s in self._state.values() if s.paused_until > now]
        return max(0.01, min([IDLE_CHECK_S, *waits]))

    async def drain(self, transport: Transport) -> int:
        """Send what is due on one channel, "called" first; stop at the first sign of an outage.
        Returns how many were delivered."""
        items = self.store.pending(channel=transport.prefix)
        urgent = [i for i in items if i.urgent]
        rest = [i for i in items if not i.urgent]
        sent = 0
        for group in (urgent, rest):
            for start in range(0, len(group), CHUNK):
                chunk = group[start : start + CHUNK]
                results = await asyncio.gather(*(self._send(transport, i) for i in chunk))
                sent += sum(r.outcome is Outcome.SENT for r in results)
                retry = [r for r in results if r.outcome is Outcome.RETRY]
                if retry:
                    self._pause(transport, retry[0])
                    return sent
        self._channel(transport).failures = 0
        return sent

    def _pause(self, transport: Transport, result: Result) -> None:
        state = self._channel(transport)
        state.failures += 1
        wait = result.wait if result.wait is not None else self.backoff.delay(state.failures)
        state.paused_until = asyncio.get_running_loop().time() + wait
        log.warning(
            "%s reminders wait %.1f s (%s, round %d)",
            transport.prefix.rstrip(":"),
            wait,
            result.reason,
            state.failures,
        )

    async def _send(self, transport: Transport, item: Pending) -> Result:
        result = await transport.send_text(item.chat, item.text)
        if result.outcome is Outcome.SENT:
            # Marked right after the send: a crash between the two is the only way to repeat one.
            self.store.mark_sent(item, self.clock())
            return result
        now = self.wall()
        give_up = result.reason if result.outcome is Outcome.GIVE_UP else None
        first = item.first_failed_at
        if give_up is None and first is not None and now - first >= self.backoff.give_up_after:
            give_up = f"failing for {now - first:.0f} s: {result.reason}"
        self.store.mark_failed(item, now, give_up)
        if result.forget_chat:
            self.store.unsubscribe_chat(item.chat)
        if give_up:
            log.warning("a %s reminder was given up (%s)", transport.prefix.rstrip(":"), give_up)
        return result
