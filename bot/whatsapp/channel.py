"""The WhatsApp channel: the webhook Meta calls, and the answers sent back through the Graph API.

A webhook is acknowledged as soon as its signature is checked and its message ids are claimed in
the state database; the answers are sent right after, in the background (Meta re-sends slow or
failed deliveries). A claimed id is never answered again, by this process or another: a crash
between the claim and the send loses that one answer rather than repeating it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels import StartError
from bot.delivery import Outcome, ReminderSender
from bot.settings import WhatsAppSettings
from bot.whatsapp.client import PREFIX, WINDOW_CLOSED, GraphClient, GraphError, classify
from bot.whatsapp.payload import Message, Status, read_events
from bot.whatsapp.render import MORE, choice_message, messages
from handlers.conversation import Assistant
from handlers.types import Choice, Incoming, Reply, say
from state.rate import SharedRate
from state.seen import SeenMessages

log = logging.getLogger(__name__)
PATH = "/webhooks/whatsapp"
MAX_BODY = 256 * 1024  # Meta's webhooks are a few kB; anything far bigger is not from Meta
KEEP_PAGES = 5000  # chats whose long list of choices is kept for "Lainnya…"
PRUNE_EVERY = 1000  # claims between two prunes of old message ids
ANSWER_RETRIES = (1.0, 2.0, 4.0)  # waits between tries of an answer before it is given up
EXPIRED = "Daftar pilihan itu sudah kedaluwarsa. Silakan ketik lagi yang Anda cari. 🙏"


class WhatsAppChannel:
    name = "whatsapp"

    def __init__(
        self,
        settings: WhatsAppSettings,
        assistant: Assistant,
        clock: Callable[[], datetime],
        seen: SeenMessages,
        shared_rate: SharedRate | None = None,
    ) -> None:
        """`shared_rate`: the number's send rate kept in the database (several workers)."""
        self.settings = settings
        self.assistant = assistant
        self.clock = clock
        self.seen = seen
        self.client = GraphClient(settings, shared=shared_rate)
        self.transport = self.client
        self._tasks: set[asyncio.Task[None]] = set()
        self._last: dict[str, asyncio.Task[None]] = {}  # each chat's latest answer in flight
        self._pages: OrderedDict[str, list[Choice]] = OrderedDict()
        self._claims = 0

    # --- life ---------------------------------------------------------------------------
    async def check(self) -> str:
        """Ask the Graph API for our number once, so a bad token or id gets one clear line."""
        base = self.settings.api_base_url
        try:
            await self.client.check()
        except GraphError as exc:
            what = "WHATSAPP_ACCESS_TOKEN" if exc.status == 401 else "WHATSAPP_PHONE_NUMBER_ID"
            raise StartError(2, f"The Graph API refused {what} ({_short(exc)}).") from None
        except httpx.HTTPError as exc:
            raise StartError(
                3,
                f"Cannot reach the Graph API at {base}: {type(exc).__name__}. "
                "Check the network or WHATSAPP_API_BASE_URL.",
            ) from None
        return f"WhatsApp Cloud API (webhook {PATH})"

    def attach(self, sender: ReminderSender) -> None:
        pass  # no staff commands on WhatsApp: nothing here wakes the sender

    async def start(self) -> None:
        pass  # Meta calls us: nothing to start beyond the shared HTTP server

    async def stop(self) -> None:
        """Let answers in flight finish (a few seconds at most), then close the client."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=10)
        await self.client.close()

    def routes(self) -> list[BaseRoute]:
        return [
            Route(PATH, self.verify, methods=["GET"]),
            Route(PATH, self.receive, methods=["POST"]),
        ]

    # --- the webhook --------------------------------------------------------------------
    async def verify(self, request: Request) -> Response:
        """Meta's subscription handshake: echo hub.challenge for the right verify token."""
        params = request.query_params
        given = params.get("hub.verify_token", "").encode()
        if params.get("hub.mode") == "subscribe" and hmac.compare_digest(
            given, self.settings.verify_token.encode()
        ):
            return PlainTextResponse(params.get("hub.challenge", ""))
        return PlainTextResponse("verification failed", status_code=403)

    def _refused(self) -> None:
        if self.assistant.recorder:
            self.assistant.recorder.refused(self.name)

    async def receive(self, request: Request) -> Response:
        body = await _read_capped(request)
        if body is None:
            return PlainTextResponse("body too large", status_code=413)
        signature = request.headers.get("x-hub-signature-256", "")
        if not signature.startswith("sha256="):
            self._refused()
            return PlainTextResponse("missing signature", status_code=401)
        expected = hmac.new(self.settings.app_secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature.removeprefix("sha256=").encode(), expected.encode()):
            self._refused()
            return PlainTextResponse("wrong signature", status_code=403)
        try:
            events = read_events(json.loads(body), self.settings.phone_number_id)
        except (ValueError, UnicodeDecodeError):
            return PlainTextResponse("body is not JSON", status_code=400)
        for event in events:
            if isinstance(event, Status):
                self.on_status(event)
            elif self._claim(event):
                self._spawn(event)
        return PlainTextResponse("ok")

    def _claim(self, message: Message) -> bool:
        now = self.clock()
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            self.seen.prune(now)
        return self.seen.claim(self.name, message.id, now)

    def _spawn(self, message: Message) -> None:
        """Answer in the background, after this chat's earlier messages (in order)."""
        before = self._last.get(message.wa_id)
        task = asyncio.create_task(self._after(before, self.answer(message)))
        self._last[message.wa_id] = task
        self._tasks.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(lambda t: self._done(message.wa_id, t))

    @staticmethod
    async def _after(before: asyncio.Task[None] | None, work: Coroutine[Any, Any, None]) -> None:
        if before is not None:
            await asyncio.wait([before])
        await work

    def _done(self, wa_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._last.get(wa_id) is task:
            del self._last[wa_id]

    def on_status(self, status: Status) -> None:
        """Statuses are read, never answered; a reminder refused for a closed window stops the
        chat's reminders (they would all be refused)."""
        if status.status != "failed":
            return
        if WINDOW_CLOSED in status.errors and status.wa_id and self.assistant.queue:
            self.assistant.queue.store.unsubscribe_chat(PREFIX + status.wa_id)
        log.warning("a WhatsApp message was not delivered (errors %s)", list(status.errors))

    # --- answering ------------------------------------------------------------------------
    async def answer(self, message: Message) -> None:
        chat = PREFIX + message.wa_id
        try:
            for out in self._reply_messages(message, chat):
                await self._send(message.wa_id, out)
        except (GraphError, httpx.HTTPError) as exc:
            log.warning("a WhatsApp answer was not sent (%s)", _short(exc))
        except Exception:
            log.exception("a WhatsApp message could not be answered")

    async def _send(self, wa_id: str, out: dict[str, Any]) -> None:
        """A few quick tries through a short outage; the citizen is waiting for this one."""
        for wait in ANSWER_RETRIES:
            try:
                await self.client.send(wa_id, out)
                return
            except GraphError as exc:
                if classify(exc).outcome is not Outcome.RETRY:
                    raise
            except httpx.HTTPError:
                pass
            await asyncio.sleep(wait)
        await self.client.send(wa_id, out)

    def _reply_messages(self, message: Message, chat: str) -> list[dict[str, Any]]:
        if message.payload and message.payload.startswith(MORE):
            return [self._next_page(chat, message.payload)]
        incoming = Incoming(
            self._user_id(message.wa_id),
            self.clock(),
            text=message.text,
            payload=message.payload,
            kind=message.kind,
            chat=chat,
        )
        reply = self.assistant.handle(incoming)
        self._remember_choices(chat, reply)
        return messages(reply)

    def _user_id(self, wa_id: str) -> str:
        """A stable pseudonym: the core never sees the phone number except as the reminder
        chat, so nothing it records about a user (usage, limits) holds the number."""
        digest = hmac.new(self.settings.app_secret.encode(), wa_id.encode(), hashlib.sha256)
        return "wa-" + digest.hexdigest()[:16]

    def _remember_choices(self, chat: str, reply: Reply) -> None:
        if len(reply.choices) > 10:
            self._pages[chat] = reply.choices
            self._pages.move_to_end(chat)
            while len(self._pages) > KEEP_PAGES:
                self._pages.popitem(last=False)

    def _next_page(self, chat: str, payload: str) -> dict[str, Any]:
        choices = self._pages.get(chat, [])
        offset = payload.removeprefix(MORE)
        start = int(offset) if offset.isdigit() else len(choices)
        rest = choices[start:]
        if not rest:
            return messages(say(EXPIRED))[0]
        return choice_message("Pilihan lainnya:", rest, offset=start)


async def _read_capped(request: Request) -> bytes | None:
    """The raw body (the signature covers exactly these bytes), or None past MAX_BODY."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _short(exc: Exception) -> str:
    if isinstance(exc, GraphError):
        return f"Graph {exc.status}/{exc.code}"
    return type(exc).__name__
