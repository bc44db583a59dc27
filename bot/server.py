"""The HTTP API the MPP's queue machine calls: POST a call, GET the state, a health check."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Sequence
from datetime import datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from handlers.queue import QueueFlow
from knowledge.tickets import TicketError, parse_counter, parse_ticket

Clock = Callable[[], datetime]
EXAMPLE = '{"ticket": "A025", "counter": "3"}'


def create_api(
    queue: QueueFlow,
    token: str | None,
    clock: Clock,
    on_call: Callable[[], None] = lambda: None,
    routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """`on_call` runs after a call is committed (it wakes the reminder sender); `routes` are
    the channels' own (webhooks) and others served beside the queue API (the staff dashboard,
    /metrics)."""

    def authorised(request: Request) -> JSONResponse | None:
        given = request.headers.get("authorization", "")
        if token is None:
            return _error(401, "MPP_QUEUE_TOKEN is not set on this server: the API is closed")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return _error(401, "missing or wrong bearer token")
        return None

    async def call(request: Request) -> JSONResponse:
        refused = authorised(request)
        if refused:
            return refused
        body = await _json_object(request)
        if isinstance(body, JSONResponse):
            return body
        try:
            ticket = parse_ticket(_text(body.get("ticket")), strict=True)
        except TicketError as exc:
            return _error(422, f"ticket: {exc}")
        counter = parse_counter(body.get("counter"))
        if counter is None:
            return _error(
                422, 'counter: up to 10 letters and digits naming the loket, e.g. "3" or "12A"'
            )
        state, reminders = queue.call(ticket, counter, clock())
        on_call()
        return JSONResponse(
            {
                "ticket": str(ticket),
                "prefix": state.prefix,
                "number": state.number,
                "counter": state.counter,
                "called_at": state.called_at,
                "recall": state.recall,
                "reminders": reminders,
                **({"note": f"{ticket} dipanggil ulang (recall)"} if state.recall else {}),
            }
        )

    async def current(request: Request) -> JSONResponse:
        refused = authorised(request)
        if refused:
            return refused
        now = clock()
        waiting = queue.store.subscriber_counts(now)
        return JSONResponse(
            {
                "day": queue.store.day(now),
                "queues": [
                    {
                        "prefix": s.prefix,
                        "last_called": f"{s.prefix}{s.number:03d}",
                        "counter": s.counter,
                        "called_at": s.called_at,
                        "subscribers": waiting.get(s.prefix, 0),
                    }
                    for s in queue.store.states(now)
                ],
            }
        )

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/api/queue/call", call, methods=["POST"]),
            Route("/api/queue", current, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            *routes,
        ]
    )


async def _json_object(request: Request) -> dict[str, object] | JSONResponse:
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or nested too deep to read
        return _error(400, f"body must be JSON: {EXAMPLE}")
    if not isinstance(body, dict):
        return _error(400, f"body must be a JSON object: {EXAMPLE}")
    return body


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)
