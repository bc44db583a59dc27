"""A fake WhatsApp Cloud (Graph) API on 127.0.0.1, strict where Meta is strict, and a fake Meta
that posts signed webhooks to the bot.

It refuses what Meta refuses: a wrong token (401, code 190), a wrong phone number id, text over
4096 characters, reply buttons beyond 1-3 or with titles over 20 or repeated, lists beyond 10
rows or with row titles over 24, descriptions over 72, button labels over 20, repeated row ids,
interactive bodies over 1024 (buttons) or 4096 (lists), unknown message types, and a free-form
message to someone who has not written in 24 hours (131047: at once, or later as a `failed`
status webhook when `window_errors = "status"`).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.fake_http import Faults, JsonHandler, LoopbackServer

ACCESS_TOKEN = "EAAG-test-access-token"
PHONE_NUMBER_ID = "1234567890"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
WINDOW_S = 24 * 3600


class Refused(Exception):
    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status


def _need(ok: bool, message: str) -> None:
    if not ok:
        raise Refused(100, f"(#100) Invalid parameter: {message}")


def _text(value: Any, limit: int, what: str) -> None:
    ok = isinstance(value, str) and bool(value.strip()) and len(value) <= limit
    _need(ok, f"{what} (1-{limit} characters)")


def check_message(msg: dict[str, Any]) -> None:
    """Raise Refused for a message body Meta would refuse."""
    _need(msg.get("messaging_product") == "whatsapp", "messaging_product")
    _need(str(msg.get("to", "")).isdigit(), "to")
    kind = msg.get("type", "text")
    if kind == "text":
        _text(msg.get("text", {}).get("body"), 4096, "text.body")
    elif kind == "interactive":
        _check_interactive(msg.get("interactive") or {})
    elif kind == "location":
        loc = msg.get("location") or {}
        _need(all(isinstance(loc.get(k), int | float) for k in ("latitude", "longitude")), "loc")
    else:
        raise Refused(100, f"(#100) Param type must be one of the supported types, not {kind}")


def _check_interactive(inner: dict[str, Any]) -> None:
    kind, action = inner.get("type"), inner.get("action") or {}
    _text((inner.get("body") or {}).get("text"), 1024 if kind == "button" else 4096, "body")
    for part in ("header", "footer"):
        if part in inner:
            _text(inner[part].get("text"), 60, part)
    if kind == "button":
        buttons = action.get("buttons") or []
        _need(1 <= len(buttons) <= 3, "buttons (1-3)")
        for b in buttons:
            _need(b.get("type") == "reply", "button type")
            _text(b["reply"].get("id"), 256, "button id")
            _text(b["reply"].get("title"), 20, "button title")
        _need(len({b["reply"]["title"] for b in buttons}) == len(buttons), "button titles unique")
        _need(len({b["reply"]["id"] for b in buttons}) == len(buttons), "button ids unique")
    elif kind == "list":
        _text(action.get("button"), 20, "action.button")
        sections = action.get("sections") or []
        _need(1 <= len(sections) <= 10, "sections (1-10)")
        rows = [r for s in sections for r in s.get("rows") or []]
        _need(1 <= len(rows) <= 10, "rows (1-10 in all)")
        for s in sections:
            if len(sections) > 1 or "title" in s:
                _text(s.get("title"), 24, "section title")
        for r in rows:
            _text(r.get("id"), 200, "row id")
            _text(r.get("title"), 24, "row title")
            if "description" in r:
                _text(r["description"], 72, "row description")
        _need(len({r["id"] for r in rows}) == len(rows), "row ids unique")
    else:
        raise Refused(100, "(#100) interactive.type")


@dataclass
class FakeGraph(Faults):
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted messages, with "at"
    rejected: list[str] = field(default_factory=list)  # what Meta would have refused
    last_inbound: dict[str, float] = field(default_factory=dict)  # wa_id -> time it wrote
    window_errors: str = "sync"  # or "status": 131047 arrives later as a webhook
    webhook: Meta | None = None  # where "status" failures are posted
    cond: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def send(self, msg: dict[str, Any]) -> dict[str, Any]:
        check_message(msg)
        wa_id = msg["to"]
        open_window = time.time() - self.last_inbound.get(wa_id, -WINDOW_S) < WINDOW_S
        if not open_window and self.window_errors == "sync":
            raise Refused(131047, "Re-engagement message", status=400)
        ident = f"wamid.out{next(self._ids)}"
        if not open_window:
            assert self.webhook is not None
            threading.Thread(target=self.webhook.failed_status, args=(wa_id, ident)).start()
            return {"messaging_product": "whatsapp", "messages": [{"id": ident}]}
        with self.cond:
            self.sent.append({**msg, "at": time.monotonic(), "id": ident})
            self.cond.notify_all()
        return {"messaging_product": "whatsapp", "contacts": [{"wa_id": wa_id}],
                "messages": [{"id": ident}]}  # fmt: skip

    def to(self, wa_id: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["to"] == wa_id]

    def wait_for(self, wa_id: str, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.to(wa_id)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{wa_id} got {[text_of(m) for m in self.to(wa_id)]}")
                self.cond.wait(left)
            return self.to(wa_id)


def text_of(msg: dict[str, Any]) -> str:
    """What the citizen reads of a sent message (body text of any kind)."""
    if msg["type"] == "text":
        return msg["text"]["body"]
    if msg["type"] == "interactive":
        return msg["interactive"]["body"]["text"]
    return msg["type"]


class _Handler(JsonHandler):
    fake: FakeGraph

    def do_GET(self) -> None:
        if not self.dropped():
            self.reply_json(*self._answer(None))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if not self.dropped():
            self.reply_json(*self._answer(body))

    def _answer(self, body: bytes | None) -> tuple[int, Any]:
        if self.fake.outage:
            return self.fake.outage, {"error": {"message": "Service unavailable", "code": 2}}
        if self.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return 401, _error(190, "Invalid OAuth access token.")
        path = self.path.split("?")[0].strip("/").split("/")
        try:
            if path[1:] == [PHONE_NUMBER_ID] and body is None:
                return 200, {"id": PHONE_NUMBER_ID, "verified_name": "MPP Among Warga"}
            if path[1:] == [PHONE_NUMBER_ID, "messages"] and body is not None:
                return 200, self.fake.send(json.loads(body))
            raise Refused(100, "Unsupported request: object does not exist")
        except Refused as exc:
            self.fake.rejected.append(f"{exc.code}: {exc}")
            return exc.status, _error(exc.code, str(exc))


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code}}


class FakeGraphServer(LoopbackServer):
    def __init__(self) -> None:
        fake = FakeGraph()
        super().__init__(type("Handler", (_Handler,), {"fake": fake}), fake)
        self.fake: FakeGraph = fake

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v23.0"


def whatsapp_env(server: FakeGraphServer) -> dict[str, str]:
    """The settings that point `mpp-bot run` at this fake."""
    return {
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_API_BASE_URL": server.base_url,
    }


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Meta:
    """Posts webhooks to the bot as Meta does: signed, in Meta's envelope; records who wrote
    (that opens the 24-hour window at the fake Graph API)."""

    def __init__(self, url: str, graph: FakeGraph) -> None:
        self.url, self.graph = url, graph
        self._ids = itertools.count(1)
        graph.webhook = self

    def envelope(self, **value: Any) -> dict[str, Any]:
        meta = {"display_phone_number": "620000000", "phone_number_id": PHONE_NUMBER_ID}
        value = {"messaging_product": "whatsapp", "metadata": meta, **value}
        change = {"field": "messages", "value": value}
        return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}

    def message(self, wa_id: str, kind: str, **content: Any) -> dict[str, Any]:
        self.graph.last_inbound[wa_id] = time.time()
        msg = {"from": wa_id, "id": f"wamid.in{next(self._ids)}", "timestamp": "1", "type": kind}
        contact = {"profile": {"name": "Warga"}, "wa_id": wa_id}
        return self.envelope(contacts=[contact], messages=[{**msg, **content}])

    def text(self, wa_id: str, body: str) -> dict[str, Any]:
        return self.message(wa_id, "text", text={"body": body})

    def button(self, wa_id: str, ident: str, title: str = "x") -> dict[str, Any]:
        reply = {"type": "button_reply", "button_reply": {"id": ident, "title": title}}
        return self.message(wa_id, "interactive", interactive=reply)

    def row(self, wa_id: str, ident: str, title: str = "x") -> dict[str, Any]:
        reply = {"type": "list_reply", "list_reply": {"id": ident, "title": title}}
        return self.message(wa_id, "interactive", interactive=reply)

    def photo(self, wa_id: str) -> dict[str, Any]:
        return self.message(wa_id, "image", image={"id": "media1", "mime_type": "image/jpeg"})

    def status(self, wa_id: str, state: str, *codes: int) -> dict[str, Any]:
        status = {"id": "wamid.out1", "status": state, "timestamp": "1", "recipient_id": wa_id}
        if codes:
            status["errors"] = [{"code": c, "title": "Re-engagement message"} for c in codes]
        return self.envelope(statuses=[status])

    def post(self, payload: dict[str, Any], secret: str | None = APP_SECRET) -> httpx.Response:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Hub-Signature-256"] = sign(body, secret)
        return httpx.post(self.url, content=body, headers=headers, timeout=10)

    def failed_status(self, wa_id: str, ident: str) -> None:
        payload = self.status(wa_id, "failed", 131047)
        payload["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = ident
        self.post(payload)
