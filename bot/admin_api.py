"""Announcements over HTTP for the MPP's own tools: create, list, end (MPP_ADMIN_TOKEN)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.http_common import bearer_refused, error, json_object
from handlers.announcements import AnnouncementError, check, notify_holders
from state.announcements import AnnouncementStore

if TYPE_CHECKING:  # the conversation core imports nothing from here; only the type is needed
    from handlers.conversation import Assistant

EXAMPLE = '{"text": "Samsat offline 10.00-12.00", "agency": "samsat", "until": "...+07:00"}'


def announcement_routes(
    assistant: Assistant,
    store: AnnouncementStore,
    token: str | None,
    clock: Callable[[], datetime],
    on_outbox: Callable[[], None] = lambda: None,
) -> list[Route]:
    """`on_outbox` wakes the reminder sender after a notice was queued for ticket holders."""

    def now() -> datetime:
        return assistant.hours.local(clock())

    async def create(request: Request) -> Response:
        denied = bearer_refused(request, token, "MPP_ADMIN_TOKEN")
        body = denied or await json_object(request, EXAMPLE)
        if isinstance(body, Response):
            return body
        try:
            text, agency = _string(body, "text") or "", _string(body, "agency")
            until = _until(_string(body, "until"))
            text, agency, until = check(assistant.catalogue, text, agency, until, now())
        except AnnouncementError as exc:
            return error(422, str(exc))
        made = store.add(text, agency, until, now(), by="api")
        answer: dict[str, object] = made.to_json()
        if body.get("notify") is True and assistant.queue is not None:
            answer["notified"] = notify_holders(assistant.queue, assistant.catalogue, made, now())
            on_outbox()
        return JSONResponse(answer, status_code=201)

    async def listing(request: Request) -> Response:
        denied = bearer_refused(request, token, "MPP_ADMIN_TOKEN")
        if denied:
            return denied
        return JSONResponse({"announcements": [a.to_json() for a in store.active(now())]})

    async def end(request: Request) -> Response:
        denied = bearer_refused(request, token, "MPP_ADMIN_TOKEN")
        if denied:
            return denied
        if not store.end(request.path_params["ident"], now()):
            return error(404, "no active announcement with that id")
        return Response(status_code=204)

    return [
        Route("/api/announcements", create, methods=["POST"]),
        Route("/api/announcements", listing, methods=["GET"]),
        Route("/api/announcements/{ident:int}", end, methods=["DELETE"]),
    ]


def _string(body: dict[str, object], key: str) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise AnnouncementError(key, f"{key}: must be a string")
    return value


def _until(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        raise AnnouncementError(
            "until", 'until: not an ISO time such as "2026-12-02T12:00+07:00"'
        ) from None
