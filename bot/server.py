"""The HTTP API the MPP's queue machine calls: POST a call, GET the state, a health check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.admin_api import announcement_routes
from bot.http_common import bearer_refused, error, json_object
from handlers.conversation import Assistant
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
    assistant: Assistant | None = None,
    admin_token: str | None = None,
) -> Starlette:
    """`on_call` runs after a call is committed (it wakes the reminder sender); `routes` are
    the channels' own (webhooks) and others served beside the queue API (the staff dashboard,
    /metrics). With `assistant`, /healthz reports its catalogue and the announcement API is
    served."""

    def authorised(request: Request) -> JSONResponse | None:
        return bearer_refused(request, token, "MPP_QUEUE_TOKEN")

    async def call(request: Request) -> JSONResponse:
        refused = authorised(request)
        if refused:
            return refused
        body = await json_object(request, EXAMPLE)
        if isinstance(body, JSONResponse):
            return body
        try:
            ticket = parse_ticket(_text(body.get("ticket")), strict=True)
        except TicketError as exc:
            return error(422, f"ticket: {exc}")
        counter = parse_counter(body.get("counter"))
        if counter is None:
            return error(
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
        if assistant is None:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "ok", "catalogue": assistant.knowledge.health()})

    served = [
        Route("/api/queue/call", call, methods=["POST"]),
        Route("/api/queue", current, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        *routes,
    ]
    if assistant is not None and assistant.announcements is not None:
        notices = assistant.announcements
        served += announcement_routes(assistant, notices, admin_token, clock, on_outbox=on_call)
    return Starlette(routes=served)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
