"""`mpp-bot run`: long polling with clear messages for the failures a new operator meets."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence

import uvicorn
from starlette.routing import BaseRoute
from telegram import Bot, Update
from telegram.constants import MessageLimit
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.reload import CatalogueReloader, Notify
from bot.server import create_api
from bot.settings import Settings
from bot.telegram.app import Clock, build_application
from bot.telegram.delivery import ReminderSender
from handlers.conversation import Assistant

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH


def configure_logging() -> None:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx logs every request URL, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


async def check_token(settings: Settings) -> str:
    """Ask Telegram who we are before starting, so a bad token or URL gets one clear line."""
    async with Bot(settings.telegram_token or "", base_url=settings.telegram_api_base_url) as bot:
        return bot.username


def run_telegram(
    settings: Settings, assistant: Assistant, clock: Clock, routes: Sequence[BaseRoute] = ()
) -> int:
    try:
        username = asyncio.run(check_token(settings))
    except InvalidToken:
        print(
            "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather (/token).",
            file=sys.stderr,
        )
        return 2
    except NetworkError as exc:
        print(
            f"Cannot reach the Telegram API at {settings.telegram_api_base_url}: "
            f"{type(exc).__name__}. Check the network or TELEGRAM_API_BASE_URL.",
            file=sys.stderr,
        )
        return 3
    configure_logging()
    logging.getLogger(__name__).info(
        "starting as @%s (long polling), HTTP API on %s:%d",
        username,
        settings.http_host,
        settings.http_port,
    )
    asyncio.run(serve(settings, assistant, clock, routes))
    return 0


async def serve(
    settings: Settings, assistant: Assistant, clock: Clock, routes: Sequence[BaseRoute] = ()
) -> None:
    """The bot, the reminder sender and the HTTP server in one loop, until SIGINT/SIGTERM."""
    app = build_application(settings, assistant, clock)
    sender: ReminderSender | None = app.bot_data["sender"]
    server = None
    if assistant.queue is not None:
        api = create_api(
            assistant.queue,
            settings.queue_token,
            clock,
            on_call=sender.wake if sender else lambda: None,
            routes=routes,
            assistant=assistant,
            admin_token=settings.admin_token,
        )
        server = uvicorn.Server(
            uvicorn.Config(
                api,
                host=settings.http_host,
                port=settings.http_port,
                log_level="warning",
                lifespan="off",
            )
        )
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        await app.start()
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)  # type: ignore[union-attr]
        tasks = [asyncio.create_task(sender.run())] if sender else []
        reloader = CatalogueReloader(
            assistant, settings.catalogue_dir, clock, settings.catalogue_poll
        )
        reloader.notifiers.append(staff_notifier(app.bot, settings.staff_ids))
        app.bot_data["reloader"] = reloader  # for /muatulang
        tasks.append(asyncio.create_task(reloader.watch()))
        try:
            if server:
                await server.serve()  # returns on SIGINT/SIGTERM
            else:
                await asyncio.Event().wait()
        finally:
            for task in tasks:
                task.cancel()
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()


def staff_notifier(bot: Bot, staff_ids: frozenset[int]) -> Notify:
    """How the catalogue reloader tells Telegram staff chats of a broken edit."""

    async def tell_staff(text: str) -> None:
        for chat_id in staff_ids:
            try:
                await bot.send_message(chat_id, text[:MAX_MESSAGE], parse_mode=None)
            except TelegramError as exc:  # e.g. a staff member who never opened the bot
                logging.getLogger(__name__).warning("staff chat not told: %s", exc)

    return tell_staff
