"""The queue API refuses what the queue machine would never mean, with 4xx and never a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.server import create_api
from handlers.queue import QueueFlow
from knowledge.catalogue import Catalogue
from state.reminders import ReminderStore
from tests.conftest import FRIDAY_MORNING

TOKEN = "secret-queue-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class ApiClient:
    """The ASGI app called in-process through httpx (no socket, no thread)."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def _requests(self, calls: Sequence[tuple[str, str, bytes]]) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            return [
                await http.request(m, path, content=body, headers=AUTH) for m, path, body in calls
            ]

    def post_many(self, bodies: Sequence[bytes]) -> list[httpx.Response]:
        return asyncio.run(self._requests([("POST", "/api/queue/call", b) for b in bodies]))

    def post(self, body: object) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.post_many([content])[0]

    def get(self, path: str) -> httpx.Response:
        return asyncio.run(self._requests([("GET", path, b"")]))[0]


@pytest.fixture
def client(tmp_path: Path, catalogue: Catalogue) -> ApiClient:
    flow = QueueFlow(ReminderStore(tmp_path / "state.db"), catalogue)
    return ApiClient(create_api(flow, TOKEN, lambda: FRIDAY_MORNING))


def post(client: ApiClient, body: bytes | str) -> int:
    return client.post(body if isinstance(body, bytes) else body.encode()).status_code


@pytest.mark.parametrize(
    "counter", ["null", "true", "{}", "[]", "NaN", "Infinity", "1e400", '"3\\nX"', '""', '"٣"']
)
def test_counters_that_are_not_short_letters_and_digits_are_refused(
    client: ApiClient, counter: str
) -> None:
    assert post(client, f'{{"ticket": "A001", "counter": {counter}}}') == 422


@pytest.mark.parametrize("counter", ['"3"', "3", '"12A"', '"B 2"'])
def test_plain_counters_are_taken(client: ApiClient, counter: str) -> None:
    assert post(client, f'{{"ticket": "A001", "counter": {counter}}}') == 200


@pytest.mark.parametrize("ticket", ['"A-5"', '"C٠٢٥"', "null", "5", '"A 5"'])
def test_tickets_not_as_the_machine_prints_them_are_refused(
    client: ApiClient, ticket: str
) -> None:
    assert post(client, f'{{"ticket": {ticket}, "counter": "1"}}') == 422


def test_a_deeply_nested_body_is_a_bad_request(client: ApiClient) -> None:
    assert post(client, "[" * 100_000) == 400
    assert post(client, b"\xff\xfe") == 400


def test_a_recall_is_answered_as_a_recall(client: ApiClient) -> None:
    assert post(client, json.dumps({"ticket": "B003", "counter": "1"})) == 200
    answer = client.post({"ticket": "B001", "counter": "2"}).json()
    assert answer["recall"] is True and answer["ticket"] == "B001"
    assert "dipanggil ulang" in answer["note"]
    queues = client.get("/api/queue").json()["queues"]
    assert queues[0]["last_called"] == "B003"
