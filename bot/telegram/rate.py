"""Telegram's overall rate shared by every worker, on top of python-telegram-bot's limiter.

The library's AIORateLimiter still applies the per-group limit and retries after a 429; only
its per-process overall limit is replaced by a slot reserved in the shared database. If the
database is unavailable the worker paces itself alone until it is back.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from telegram.ext import AIORateLimiter

from state.db import Unavailable
from state.rate import SharedRate


class SharedRateLimiter(AIORateLimiter):
    def __init__(self, shared: SharedRate, max_retries: int = 3) -> None:
        super().__init__(overall_max_rate=0, max_retries=max_retries)
        self.shared = shared

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: Any,
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if data.get("chat_id") is not None:  # a message to a chat: counts toward the 30/s
            try:
                wait = self.shared.reserve(time.time())
            except Unavailable:
                wait = self.shared.interval
            if wait > 0:
                await asyncio.sleep(wait)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
