"""A fake Telegram Bot API on 127.0.0.1, strict where Telegram is strict.

The real python-telegram-bot Application talks to it through `base_url`. Tests queue updates
(`send_text`, `press`, ...) and read what the bot sent (`sent`). It rejects what Telegram
rejects: HTML that does not parse, unknown tags, text over 4096 characters, callback data over
64 bytes, and calls to methods it does not know.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

from tests.fake_http import Faults, JsonHandler, LoopbackServer

TOKEN = "123456:TEST-token"
BOT = {
    "id": 123456,
    "is_bot": True,
    "first_name": "MPP Among Warga",
    "username": "mpp_batu_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
}
MAX_TEXT = 4096


class BadRequest(Exception):
    status = 400


class Forbidden(BadRequest):
    status = 403


class _StrictHTML(HTMLParser):
    """Telegram's HTML: only known tags, balanced; entities must be escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text_len = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise BadRequest(f'Can\'t parse entities: unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            raise BadRequest(f'Can\'t parse entities: unexpected end tag "{tag}"')

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise BadRequest("Can't parse entities: unescaped < or >")
        self.text_len += len(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            raise BadRequest(f"Can't parse entities: unsupported entity &{name};")
        self.text_len += 1

    def handle_charref(self, name: str) -> None:
        self.text_len += 1


def check_html(text: str) -> None:
    # A bare "&" not starting an entity is refused by Telegram.
    for i, ch in enumerate(text):
        if ch == "&" and not any(
            text.startswith(e, i) for e in ("&lt;", "&gt;", "&amp;", "&quot;", "&#")
        ):
            raise BadRequest("Can't parse entities: unescaped &")
    parser = _StrictHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise BadRequest("Can't parse entities: unclosed tag")
    if parser.text_len > MAX_TEXT:
        raise BadRequest("Bad Request: message is too long")


@dataclass
class FakeTelegram(Faults):
    """Holds the state; `FakeTelegramServer` serves it over HTTP."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)  # every accepted send* call
    calls: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # what Telegram would have refused
    fail_next: dict[str, int] = field(default_factory=dict)  # method -> HTTP status, once
    commands: list[dict[str, Any]] = field(default_factory=list)
    answered_callbacks: list[str] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)  # chats that blocked the bot
    cond: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _msg_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    # --- what a test does -----------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> None:
        with self.cond:
            self.updates.append({"update_id": next(self._ids), **update})
            self.cond.notify_all()

    def message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        msg = {
            "message_id": next(self._msg_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "Warga"},
            **extra,
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                cmd = text.split()[0]
                msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
        return msg

    def send_text(self, chat_id: int, text: str, **kw: Any) -> None:
        self.push({"message": self.message(chat_id, text, **kw)})

    def press(self, chat_id: int, data: str) -> None:
        self.push(
            {
                "callback_query": {
                    "id": str(next(self._ids)),
                    "chat_instance": "ci",
                    "data": data,
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
                    "message": self.message(chat_id, "pilihan", user_id=BOT["id"]),
                }
            }
        )

    def wait_sent(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until at least `count` messages were sent; return them all."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.sent) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"bot sent {len(self.sent)} messages, wanted {count}: "
                        f"{[m.get('text', '')[:60] for m in self.sent]}"
                    )
                self.cond.wait(left)
            return list(self.sent)

    def to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["chat_id"] == chat_id]

    # --- the API ----------------------------------------------------------------------------
    def call(self, method: str, params: dict[str, Any]) -> Any:
        self.calls.append(method)
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            raise BadRequest(f"Method not found: {method}")
        return handler(params)

    def api_getMe(self, p: dict[str, Any]) -> Any:
        return BOT

    def api_deleteWebhook(self, p: dict[str, Any]) -> Any:
        return True

    def api_setMyCommands(self, p: dict[str, Any]) -> Any:
        self.commands = json.loads(p["commands"])
        return True

    def api_getUpdates(self, p: dict[str, Any]) -> Any:
        offset = int(p.get("offset", 0) or 0)
        wait = min(float(p.get("timeout", 0) or 0), 0.5)
        with self.cond:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and wait:
                self.cond.wait(wait)
            return list(self.updates)

    def api_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        self.answered_callbacks.append(p["callback_query_id"])
        return True

    def api_sendMessage(self, p: dict[str, Any]) -> Any:
        if int(p["chat_id"]) in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        text = p.get("text", "")
        if p.get("parse_mode") == "HTML":
            check_html(text)
        elif len(text) > MAX_TEXT:
            raise BadRequest("Bad Request: message is too long")
        if not text.strip():
            raise BadRequest("Bad Request: message text is empty")
        markup = json.loads(p["reply_markup"]) if p.get("reply_markup") else None
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
        return self._record("sendMessage", p, text=text, reply_markup=markup)

    def api_sendVenue(self, p: dict[str, Any]) -> Any:
        return self._record("sendVenue", p, title=p["title"], address=p["address"])

    def api_sendLocation(self, p: dict[str, Any]) -> Any:
        return self._record("sendLocation", p)

    def _record(self, method: str, p: dict[str, Any], **fields: Any) -> Any:
        chat_id = int(p["chat_id"])
        entry = {
            "method": method,
            "chat_id": chat_id,
            "at": time.monotonic(),
            **fields,
            "parse_mode": p.get("parse_mode"),
        }
        with self.cond:
            self.sent.append(entry)
            self.cond.notify_all()
        return {
            "message_id": next(self._msg_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": fields.get("text", ""),
        }


class _Handler(JsonHandler):
    fake: FakeTelegram

    def do_POST(self) -> None:
        if self.dropped():
            return
        token, _, method = self.path.removeprefix("/bot").partition("/")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        params = dict(parse_qsl(body)) if body else {}
        self.reply_json(*self._answer(token, method, params))

    def _answer(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        fake = self.fake
        if token != TOKEN:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        failure = fake.outage or fake.fail_next.pop(method, None)
        if failure:
            return failure, {
                "ok": False,
                "error_code": failure,
                "description": "Internal Server Error",
            }
        try:
            return 200, {"ok": True, "result": fake.call(method, params)}
        except Forbidden as exc:
            return 403, {"ok": False, "error_code": 403, "description": str(exc)}
        except BadRequest as exc:
            fake.rejected.append(f"{method}: {exc}")
            return 400, {"ok": False, "error_code": 400, "description": str(exc)}


class FakeTelegramServer(LoopbackServer):
    """Serve a FakeTelegram on a free loopback port, in a thread."""

    def __init__(self) -> None:
        fake = FakeTelegram()
        super().__init__(type("Handler", (_Handler,), {"fake": fake}), fake)
        self.fake: FakeTelegram = fake

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def __exit__(self, *exc: object) -> None:
        with self.fake.cond:
            self.fake.cond.notify_all()
        self.close()
