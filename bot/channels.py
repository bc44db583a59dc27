"""What `mpp-bot run` needs of a channel: a third channel is a new folder with one such class."""

from __future__ import annotations

from typing import Protocol

from starlette.routing import BaseRoute

from bot.delivery import ReminderSender, Transport


class StartError(Exception):
    """A channel cannot start; the message is the one line the operator sees."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class Channel(Protocol):
    name: str
    transport: Transport  # how its queue reminders are sent

    async def check(self) -> str:
        """Reach the service once (raises StartError); returns a line for the start-up log."""
        ...

    def routes(self) -> list[BaseRoute]:
        """Routes it needs on the shared HTTP server (webhooks)."""
        ...

    def attach(self, sender: ReminderSender) -> None:
        """The reminder sender all channels share (a staff command may wake it)."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
