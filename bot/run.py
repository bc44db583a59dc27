"""`mpp-bot run`: every configured channel, the reminder sender and the HTTP server in one loop.

Telegram runs when TELEGRAM_BOT_TOKEN is set, WhatsApp when its four settings are; each channel
is checked against its service before anything starts, so a wrong token is one clear line.
SIGTERM and Ctrl+C stop everything in order and exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import uvicorn
from starlette.routing import BaseRoute

from bot.channels import Channel, StartError
from bot.delivery import Backoff, ReminderSender
from bot.reload import CatalogueReloader
from bot.server import create_api
from bot.settings import Settings
from handlers.conversation import Assistant
from state.seen import SeenMessages

log = logging.getLogger("mpp-bot")
Clock = Callable[[], datetime]

NOTHING_SET = (
    "No channel is configured: set TELEGRAM_BOT_TOKEN (Telegram) and/or WHATSAPP_ACCESS_TOKEN, "
    "WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN (WhatsApp), "
    "in .env or the environment; see README. Without them: mpp-bot chat"
)


def configure_logging() -> None:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx logs every request URL, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("telegram.ext").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # start/stop chatter


def channels_for(settings: Settings, assistant: Assistant, clock: Clock) -> list[Channel]:
    """The channels whose settings are present (imported here: chat/ask need none of them)."""
    channels: list[Channel] = []
    if settings.telegram_token:
        from bot.telegram.channel import TelegramChannel

        channels.append(TelegramChannel(settings, assistant, clock))
    if settings.whatsapp and assistant.queue:
        from bot.whatsapp.channel import WhatsAppChannel

        seen = SeenMessages(assistant.queue.store.db)
        channels.append(WhatsAppChannel(settings.whatsapp, assistant, clock, seen))
    return channels


@dataclass(frozen=True)
class Extras:
    """What other parts add to the one process: routes on the HTTP server (a dashboard) and
    background jobs (a catalogue watcher), each started after the channels."""

    routes: Sequence[BaseRoute] = ()
    jobs: Sequence[Callable[[], Awaitable[None]]] = ()
    reloader: CatalogueReloader | None = None  # channels with staff chats hook in (/muatulang)


def run(settings: Settings, assistant: Assistant, clock: Clock, extras: Extras = Extras()) -> int:
    channels = channels_for(settings, assistant, clock)
    if not channels:
        print(NOTHING_SET, file=sys.stderr)
        return 2
    try:
        return asyncio.run(serve(settings, assistant, clock, channels, extras))
    except StartError as exc:
        print(exc, file=sys.stderr)
        return exc.code


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # `serve` handles SIGINT/SIGTERM itself (uvicorn would re-raise them at the end)


async def serve(
    settings: Settings,
    assistant: Assistant,
    clock: Clock,
    chans: list[Channel],
    extras: Extras = Extras(),
) -> int:
    names = [await c.check() for c in chans]
    configure_logging()
    queue = assistant.queue
    assert queue is not None, "mpp-bot run always has a reminder store"
    sender = ReminderSender(
        queue.store, [c.transport for c in chans], clock, Backoff(settings.retry_base_s)
    )
    for channel in chans:
        channel.attach(sender)
        if extras.reloader is not None:  # staff commands and "broken edit" notices
            getattr(channel, "attach_reloader", lambda _: None)(extras.reloader)
    routes = [*extras.routes, *(r for c in chans for r in c.routes())]
    server = _http_server(settings, assistant, clock, sender, routes)
    stopped = _stop_signal()
    log.info(
        "starting: %s; HTTP on %s:%d", ", ".join(names), settings.http_host, settings.http_port
    )
    for channel in chans:
        await channel.start()
    tasks = [asyncio.create_task(sender.run()), asyncio.create_task(server.serve())]
    tasks += [asyncio.create_task(job()) for job in extras.jobs]
    try:
        done, _ = await asyncio.wait([stopped, tasks[1]], return_when=asyncio.FIRST_COMPLETED)
        code = 0 if stopped in done else 1  # the server ending by itself: it could not bind
    finally:
        server.should_exit = True
        for task in (tasks[0], *tasks[2:]):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for channel in chans:
            await channel.stop()
    log.info("stopped (%s)", stopped.result() if stopped.done() else "HTTP server ended")
    return code


def _http_server(
    settings: Settings,
    assistant: Assistant,
    clock: Clock,
    sender: ReminderSender,
    routes: Sequence[BaseRoute],
) -> _Server:
    """The queue API, the channels' webhooks and any extra routes on one port."""
    assert assistant.queue is not None
    api = create_api(
        assistant.queue,
        settings.queue_token,
        clock,
        on_call=sender.wake,
        routes=routes,
        assistant=assistant,
        admin_token=settings.admin_token,
    )
    config = uvicorn.Config(
        api, host=settings.http_host, port=settings.http_port, log_level="warning", lifespan="off"
    )
    return _Server(config)


def _stop_signal() -> asyncio.Future[str]:
    """A future that gets the signal's name on SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(
            sig, lambda s=sig: future.done() or future.set_result(signal.Signals(s).name)
        )
    return future
