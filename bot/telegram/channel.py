"""The Telegram channel in `mpp-bot run`: long polling, or a webhook when TELEGRAM_WEBHOOK_URL
and TELEGRAM_WEBHOOK_SECRET are set (several workers); checked before start, stopped cleanly."""

from __future__ import annotations

import logging

from starlette.routing import BaseRoute
from telegram import Bot, Update
from telegram.constants import MessageLimit
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.channels import StartError
from bot.delivery import ReminderSender
from bot.reload import CatalogueReloader
from bot.settings import Settings
from bot.telegram.app import Clock, build_application
from bot.telegram.delivery import TelegramTransport
from bot.telegram.webhook import set_webhook, webhook_route
from handlers.conversation import Assistant
from state.seen import SeenMessages

log = logging.getLogger(__name__)
MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH


class TelegramChannel:
    name = "telegram"

    def __init__(
        self, settings: Settings, assistant: Assistant, clock: Clock, seen: SeenMessages
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.seen = seen  # update ids already answered by any worker (webhook mode)
        self.webhook = bool(settings.telegram_webhook_secret)
        self.recorder = assistant.recorder
        self.app: Application = build_application(settings, assistant, clock)
        self.transport = TelegramTransport(self.app.bot)

    def attach(self, sender: ReminderSender | None) -> None:
        """/panggil wakes the reminder sender shared by all channels."""
        self.app.bot_data["sender"] = sender

    def attach_reloader(self, reloader: CatalogueReloader) -> None:
        """/muatulang reloads; staff chats (MPP_STAFF_IDS) are told of a broken edit."""
        self.app.bot_data["reloader"] = reloader
        reloader.notifiers.append(self._tell_staff)

    async def _tell_staff(self, text: str) -> None:
        for chat_id in self.settings.staff_ids:
            try:
                await self.app.bot.send_message(chat_id, text[:MAX_MESSAGE], parse_mode=None)
            except TelegramError as exc:  # e.g. a staff member who never opened the bot
                log.warning("staff chat not told: %s", exc)

    async def check(self) -> str:
        """Ask Telegram who we are before starting, so a bad token or URL gets one clear line."""
        base = self.settings.telegram_api_base_url
        try:
            async with Bot(self.settings.telegram_token or "", base_url=base) as bot:
                mode = "webhook" if self.webhook else "long polling"
                return f"Telegram @{bot.username} ({mode})"
        except InvalidToken:
            raise StartError(
                2, "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather (/token)."
            ) from None
        except NetworkError as exc:
            raise StartError(
                3,
                f"Cannot reach the Telegram API at {base}: {type(exc).__name__}. "
                "Check the network or TELEGRAM_API_BASE_URL.",
            ) from None

    def routes(self) -> list[BaseRoute]:
        secret = self.settings.telegram_webhook_secret
        if not secret:
            return []  # long polling: Telegram needs no route of ours
        recorder = self.recorder
        refused = (lambda: recorder.refused(self.name)) if recorder else (lambda: None)
        return [webhook_route(self.app, secret, self.seen, self.clock, refused)]

    async def start(self) -> None:
        await self.app.initialize()
        await self.app.post_init(self.app)  # type: ignore[misc]
        await self.app.start()
        if not self.webhook:
            await self.app.updater.start_polling(allowed_updates=Update.ALL_TYPES)  # type: ignore[union-attr]
        elif self.settings.telegram_set_webhook:
            await set_webhook(self.app, self.settings)

    async def stop(self) -> None:
        if not self.webhook:
            await self.app.updater.stop()  # type: ignore[union-attr]
        await self.app.stop()
        await self.app.shutdown()
