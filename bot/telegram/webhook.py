"""Telegram webhook mode: updates POSTed to /webhooks/telegram on the shared HTTP server.

Telegram sends the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; it is compared
in constant time. Each update id is claimed in the state database before it is handled, so an
update delivered twice (Telegram retries, or a proxy sends it to two workers) is answered once.
When the database cannot be reached the answer is 503: Telegram keeps the update and retries.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram.app import Clock
from state.db import Unavailable
from state.seen import SeenMessages

log = logging.getLogger(__name__)
PATH = "/webhooks/telegram"
HEADER = "x-telegram-bot-api-secret-token"


def webhook_route(
    app: Application,
    secret: str,
    seen: SeenMessages,
    clock: Clock,
    refused: Callable[[], None] = lambda: None,
) -> Route:
    """`refused` counts requests without the right secret (mpp_webhook_signature_failures)."""

    async def receive(request: Request) -> JSONResponse:
        given = request.headers.get(HEADER)
        if given is None:
            refused()
            return JSONResponse({"error": "missing secret token header"}, status_code=401)
        if not hmac.compare_digest(given.encode(), secret.encode()):
            refused()
            return JSONResponse({"error": "wrong secret token"}, status_code=403)
        try:
            update = Update.de_json(json.loads(await request.body()), app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        try:
            first = seen.claim("telegram", str(update.update_id), clock())
        except Unavailable:
            log.warning("state database unavailable: update %d left to Telegram's retry",
                        update.update_id)  # fmt: skip
            return JSONResponse({"error": "try again"}, status_code=503)
        if first:
            # Handled before answering: Telegram's retry is for updates this worker never got.
            await app.process_update(update)
        return JSONResponse({"ok": True, "duplicate": not first})

    return Route(PATH, receive, methods=["POST"])


async def set_webhook(app: Application, settings: Settings) -> None:
    """Point Telegram at the public URL (once per deployment is enough; workers may skip it)."""
    await app.bot.set_webhook(
        settings.telegram_webhook_url or "",
        secret_token=settings.telegram_webhook_secret,
        allowed_updates=Update.ALL_TYPES,
    )
