"""What a WhatsApp webhook carries, read into plain events (nothing else of it is kept).

Shape (Cloud API): {"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
"messages", "value": {"messages": [...], "statuses": [...], "metadata": {...}}}]}]}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SILENT = {"reaction", "system", "ephemeral"}  # nothing a citizen wrote: no answer


@dataclass(frozen=True)
class Message:
    """One message from a citizen: `kind` is "text", "button" (with payload) or "media"."""

    id: str
    wa_id: str
    kind: str
    text: str | None = None
    payload: str | None = None


@dataclass(frozen=True)
class Status:
    """A delivery status of something the bot sent; `errors` are Graph error codes."""

    id: str
    wa_id: str
    status: str
    errors: tuple[int, ...] = ()


def read_events(body: Any, phone_number_id: str | None = None) -> list[Message | Status]:
    """Every message and status in a webhook body; anything malformed is skipped, not raised.
    With `phone_number_id`, events for the app's other numbers are skipped too."""
    events: list[Message | Status] = []
    if not isinstance(body, dict):
        return events
    for entry in _list(body.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            value = _dict(_dict(change).get("value"))
            number = _dict(value.get("metadata")).get("phone_number_id")
            if phone_number_id and number and str(number) != phone_number_id:
                continue
            events += [m for m in map(_message, _list(value.get("messages"))) if m]
            events += [s for s in map(_status, _list(value.get("statuses"))) if s]
    return events


def _message(raw: Any) -> Message | None:
    raw = _dict(raw)
    ident, wa_id, kind = raw.get("id"), raw.get("from"), raw.get("type")
    if not (isinstance(ident, str) and isinstance(wa_id, str) and isinstance(kind, str)):
        return None
    if kind == "text":
        body = _dict(raw.get("text")).get("body")
        return Message(ident, wa_id, "text", text=body if isinstance(body, str) else "")
    if kind == "interactive":
        inner = _dict(raw.get("interactive"))
        reply = _dict(inner.get("button_reply") or inner.get("list_reply"))
        return Message(ident, wa_id, "button", payload=str(reply.get("id") or ""))
    if kind == "button":  # a quick-reply button of a template message
        payload = _dict(raw.get("button")).get("payload")
        return Message(ident, wa_id, "button", payload=str(payload or ""))
    if kind in SILENT:
        return None
    if kind == "request_welcome":  # the citizen opened the chat for the first time: greet
        return Message(ident, wa_id, "text", text="halo")
    # Photos, voice notes, stickers, locations, documents, contacts, and kinds yet to come.
    return Message(ident, wa_id, "media")


def _status(raw: Any) -> Status | None:
    raw = _dict(raw)
    ident, wa_id, status = raw.get("id"), raw.get("recipient_id"), raw.get("status")
    if not (isinstance(ident, str) and isinstance(status, str)):
        return None
    codes = tuple(
        e["code"] for e in map(_dict, _list(raw.get("errors"))) if isinstance(e.get("code"), int)
    )
    return Status(ident, wa_id if isinstance(wa_id, str) else "", status, codes)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
