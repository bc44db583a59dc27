"""Queue reminders end to end: `mpp-bot run` as a process, the fake Bot API, the real HTTP API.

Includes the acceptance scenario: /antrian A030, calls A025..A030 over HTTP with a kill -9 and
restart in between, exactly three reminders to that chat and none to a chat waiting for B010.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn

from bot.delivery import ReminderSender
from bot.server import create_api
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.delivery import TelegramTransport
from handlers.conversation import Assistant
from handlers.queue import QueueFlow
from knowledge.catalogue import Catalogue
from state.reminders import ReminderStore
from tests.bot_process import QUEUE_TOKEN, BotProcess
from tests.conftest import FRIDAY_MORNING, free_port
from tests.fake_telegram import TOKEN, FakeTelegram, FakeTelegramServer

CITIZEN, WAITING_B, STAFF, STRANGER = 7001, 7002, 4242, 9999


@pytest.fixture
def bot(server: FakeTelegramServer, tmp_path: Path) -> Iterator[BotProcess]:
    with BotProcess(server.base_url, tmp_path, MPP_STAFF_IDS=f"{STAFF},1") as process:
        yield process


def wait_for(fake: FakeTelegram, chat: int, count: int, timeout: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = [m["text"] for m in fake.to(chat)]
        if len(texts) >= count:
            return texts
        time.sleep(0.05)
    raise AssertionError(f"chat {chat} got {[m['text'][:50] for m in fake.to(chat)]}")


def test_three_reminders_exactly_across_a_hard_restart(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    fake.send_text(CITIZEN, "/antrian A030")
    fake.send_text(WAITING_B, "nomor saya b10")
    wait_for(fake, CITIZEN, 1)
    wait_for(fake, WAITING_B, 1)
    for number in (25, 26, 27):
        assert bot.call(f"A{number:03d}").status_code == 200
    wait_for(fake, CITIZEN, 2)  # confirmation + "5 away" (at A025)
    bot.kill()
    bot.start()
    for number in (28, 29, 30):
        assert bot.call(f"A{number:03d}", counter="3").status_code == 200
    texts = wait_for(fake, CITIZEN, 4)
    time.sleep(1.5)  # time for any duplicate to show up
    texts = [m["text"] for m in fake.to(CITIZEN)]
    reminders = texts[1:]
    assert len(reminders) == 3, texts
    assert "tinggal 5" in reminders[0] and "tinggal 2" in reminders[1]
    assert "DIPANGGIL" in reminders[2] and "loket 3" in reminders[2]
    assert len(fake.to(WAITING_B)) == 1  # only its confirmation
    assert fake.rejected == []


def test_api_refuses_wrong_tokens_and_bad_bodies(bot: BotProcess) -> None:
    assert bot.call("A001", token="wrong").status_code == 401
    assert httpx.post(f"{bot.url}/api/queue/call", json={"ticket": "A001"}).status_code == 401
    assert httpx.get(f"{bot.url}/api/queue").status_code == 401
    headers = {"Authorization": f"Bearer {QUEUE_TOKEN}"}
    bad_json = httpx.post(f"{bot.url}/api/queue/call", content=b"{oops", headers=headers)
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["error"]
    bad_ticket = bot.call("XYZ-12345")
    assert bad_ticket.status_code == 422 and "ticket" in bad_ticket.json()["error"]
    no_counter = httpx.post(f"{bot.url}/api/queue/call", json={"ticket": "A001"}, headers=headers)
    assert no_counter.status_code == 422 and "counter" in no_counter.json()["error"]
    assert bot.call("a-7", counter="2").status_code == 422  # the machine prints "A007"
    ok = bot.call("a7", counter="2")
    assert ok.status_code == 200 and ok.json()["ticket"] == "A007"
    state = httpx.get(f"{bot.url}/api/queue", headers=headers).json()
    assert state["queues"] == [
        {
            "prefix": "A",
            "last_called": "A007",
            "counter": "2",
            "called_at": ok.json()["called_at"],
            "subscribers": 0,
        }
    ]


def test_only_staff_may_call_numbers(fake: FakeTelegram, bot: BotProcess) -> None:
    fake.send_text(CITIZEN, "/antrian A005")
    wait_for(fake, CITIZEN, 1)
    fake.send_text(STRANGER, "/panggil A005 1")
    assert "hanya untuk petugas" in wait_for(fake, STRANGER, 1)[0]
    time.sleep(0.5)
    assert len(fake.to(CITIZEN)) == 1  # nothing changed for the citizen
    fake.send_text(STAFF, "/panggil A005 1")
    assert "Dipanggil: A005" in wait_for(fake, STAFF, 1)[0]
    assert "DIPANGGIL" in wait_for(fake, CITIZEN, 2)[1]


def test_a_blocked_chat_is_unsubscribed(fake: FakeTelegram, bot: BotProcess) -> None:
    fake.send_text(CITIZEN, "/antrian A010")
    wait_for(fake, CITIZEN, 1)
    fake.blocked.add(CITIZEN)
    bot.call("A005")
    time.sleep(1.0)
    fake.blocked.clear()
    bot.call("A010")
    time.sleep(1.5)
    assert len(fake.to(CITIZEN)) == 1  # no reminder after the block, not even "called"


def test_skipped_ticket_and_position(fake: FakeTelegram, bot: BotProcess) -> None:
    fake.send_text(CITIZEN, "ingatkan antrian C012")
    wait_for(fake, CITIZEN, 1)
    bot.call("C008")
    wait_for(fake, CITIZEN, 2)
    fake.send_text(CITIZEN, "/posisi")
    assert "tinggal 4" in wait_for(fake, CITIZEN, 3)[2]
    bot.call("C013")
    assert "terlewat" in wait_for(fake, CITIZEN, 4)[3]


async def test_the_day_rolling_over(tmp_path: Path, catalogue: Catalogue) -> None:
    """In-process, with an injected clock: yesterday's ticket gets nothing after midnight."""
    now = [FRIDAY_MORNING.replace(hour=23, minute=55)]
    with FakeTelegramServer() as server:
        fake = server.fake
        settings = Settings(
            catalogue_dir=tmp_path,
            knowledge_db=tmp_path / "k.db",
            telegram_token=TOKEN,
            telegram_api_base_url=server.base_url,
            telegram_rate_limit=0,
        )
        store = ReminderStore(tmp_path / "state.db")
        assistant = Assistant(catalogue, queue=QueueFlow(store, catalogue))
        app = build_application(settings, assistant, clock=lambda: now[0])
        sender = ReminderSender(store, [TelegramTransport(app.bot)], lambda: now[0])
        port = free_port()
        api = create_api(assistant.queue, QUEUE_TOKEN, lambda: now[0], on_call=sender.wake)
        http = uvicorn.Server(uvicorn.Config(api, port=port, log_level="warning", lifespan="off"))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            tasks = [asyncio.create_task(sender.run()), asyncio.create_task(http.serve())]
            while not http.started:
                await asyncio.sleep(0.02)
            fake.send_text(CITIZEN, "/antrian A030")
            for _ in range(200):
                if fake.to(CITIZEN):
                    break
                await asyncio.sleep(0.02)
            now[0] += timedelta(minutes=10)  # 00:05 the next day
            async with httpx.AsyncClient() as client:
                answer = await client.post(
                    f"http://127.0.0.1:{port}/api/queue/call",
                    json={"ticket": "A030", "counter": "1"},
                    headers={"Authorization": f"Bearer {QUEUE_TOKEN}"},
                )
            await asyncio.sleep(1.0)
            http.should_exit = True
            tasks[0].cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await app.updater.stop()
            await app.stop()
        store.close()
    assert answer.status_code == 200
    assert len(fake.to(CITIZEN)) == 1  # the confirmation only: the ticket ended at midnight
