"""The Graph API calls the bot makes: send one message, and ask who we are at start-up.

Failures are classified for the reminder sender: a closed 24-hour window (131047), an
undeliverable number or a refused message are given up; outages and throttling are retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

import httpx

from bot.delivery import SENT, Outcome, Result
from bot.settings import WhatsAppSettings
from bot.whatsapp.render import Message, text_message

log = logging.getLogger(__name__)
PREFIX = "whatsapp:"
WINDOW_CLOSED = 131047  # more than 24 hours since the citizen last wrote
# Graph error codes that mean "busy or down, try again later".
TRANSIENT = {1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004}
MAX_RATE = 70.0  # messages in any one second; Meta allows a business number 80/s


class GraphError(Exception):
    """The Graph API refused a call; `code` is Meta's error code (0 when unknown)."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"HTTP {status}, code {code}: {message}")
        self.status, self.code = status, code


class GraphClient:
    """One httpx client for the process; also the reminder Transport for WhatsApp."""

    prefix = PREFIX

    def __init__(self, settings: WhatsAppSettings, rate: float = MAX_RATE) -> None:
        self.settings = settings
        self.http = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {settings.access_token}"}, timeout=15
        )
        self._recent: deque[float] = deque(maxlen=max(1, int(rate)))  # last sends' times
        self._pace = asyncio.Lock()

    async def close(self) -> None:
        await self.http.aclose()

    async def check(self) -> None:
        """GET the phone number object: raises GraphError (bad token, wrong id) or HTTPError."""
        url = f"{self.settings.api_base_url.rstrip('/')}/{self.settings.phone_number_id}"
        response = await self.http.get(url)
        _raise_for(response)

    async def send(self, wa_id: str, message: Message) -> str:
        """Send one message; returns its id. Raises GraphError or httpx.HTTPError."""
        await self._wait_turn()
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id}
        response = await self.http.post(self.settings.messages_url, json={**body, **message})
        _raise_for(response)
        return str(response.json()["messages"][0]["id"])

    async def _wait_turn(self) -> None:
        """At most `rate` sends in any one second, over all chats (bursts allowed)."""
        loop = asyncio.get_running_loop()
        async with self._pace:
            if len(self._recent) == self._recent.maxlen:
                await asyncio.sleep(max(0.0, self._recent[0] + 1.0 - loop.time()))
            self._recent.append(loop.time())

    async def send_text(self, chat: str, text: str) -> Result:
        """Transport for reminders: one free-form text inside the 24-hour window."""
        try:
            await self.send(chat.removeprefix(PREFIX), text_message(text))
        except GraphError as exc:
            return classify(exc)
        except httpx.HTTPError as exc:
            return Result(Outcome.RETRY, type(exc).__name__)
        return SENT


def classify(exc: GraphError) -> Result:
    if exc.code == WINDOW_CLOSED:
        return Result(Outcome.GIVE_UP, "131047 window closed", forget_chat=True)
    if exc.status >= 500 or exc.status in (401, 429) or exc.code in TRANSIENT | {190}:
        # 401/190: a token problem the operator can fix within the retry window.
        return Result(Outcome.RETRY, f"Graph {exc.status}/{exc.code}")
    return Result(Outcome.GIVE_UP, f"Graph {exc.status}/{exc.code}")


def _raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    try:
        error: dict[str, Any] = response.json().get("error") or {}
    except ValueError:
        error = {}
    code = error.get("code") if isinstance(error.get("code"), int) else 0
    raise GraphError(response.status_code, code, str(error.get("message", ""))[:120])
