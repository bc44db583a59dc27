"""Several `mpp-bot run` workers on one PostgreSQL, Telegram in webhook mode (issue 15).

Each drill starts real worker processes against the fake Bot API and a real PostgreSQL started
by the tests; updates are POSTed to the workers as Telegram (or a load balancer) would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.bot_process import BotProcess
from tests.fake_graph import FakeGraphServer, Meta, sign, text_of, whatsapp_env
from tests.fake_telegram import FakeTelegram, FakeTelegramServer
from tests.postgres_server import PostgresServer

SECRET = "webhook-secret-0123456789"
PUBLIC_URL = "https://mpp.example.id/webhooks/telegram"
ADMIN = "admin-secret-for-workers"
CITIZEN, OTHER, RACER, FOLLOWER, RESTARTER, QUEUER = 7001, 7002, 7003, 7004, 7005, 7006
REPORTER = 7100  # and the two after it
NOTICED = 7200


@pytest.fixture(scope="module")
def server() -> Iterator[FakeTelegramServer]:
    """One fake Bot API for the module's workers (tests use chats of their own)."""
    with FakeTelegramServer() as server:
        yield server


@pytest.fixture(scope="module")
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as graph:
        yield graph


@pytest.fixture(scope="module")
def trio(
    server: FakeTelegramServer,
    graph: FakeGraphServer,
    postgres: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[BotProcess]]:
    """Three workers sharing one database, started once (a start costs seconds); only the
    first calls setWebhook. A test that stops one starts it again."""
    url, root = postgres.fresh_url(), tmp_path_factory.mktemp("workers")
    started: list[BotProcess] = []
    for i in range(3):
        folder = root / f"worker{i + 1}"
        folder.mkdir()
        worker = BotProcess(
            server.base_url,
            folder,
            MPP_DATABASE_URL=url,
            XDG_DATA_HOME=str(folder / "xdg"),
            TELEGRAM_WEBHOOK_URL=PUBLIC_URL,
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_SET_WEBHOOK="1" if i == 0 else "0",
            **whatsapp_env(graph),
            MPP_ADMIN_TOKEN=ADMIN,
        )
        started.append(worker.start())
    yield started
    for worker in started:
        worker.stop()


@pytest.fixture
def fake(server: FakeTelegramServer, trio: list[BotProcess]) -> Iterator[FakeTelegram]:
    yield server.fake
    server.fake.send_delay = 0.0
    for worker in trio:  # a test that killed a worker leaves the others their full number
        if worker.proc is None or worker.proc.poll() is not None:
            worker.start()


def post(worker: BotProcess, update: dict[str, Any], secret: str | None = SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    url = f"{worker.url}/webhooks/telegram"
    return httpx.post(url, json=update, headers=headers, timeout=30).status_code


def settle(fake: FakeTelegram, chat: int, count: int, timeout: float = 20) -> list[str]:
    """Wait for `count` messages to `chat`, then a moment more for any duplicate."""
    deadline = time.monotonic() + timeout
    while len(fake.to(chat)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    return [m["text"] for m in fake.to(chat)]


def test_an_update_is_answered_once_whichever_worker_gets_it(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    w1, w2, _ = trio
    update = fake.update(CITIZEN, "syarat perpanjang stnk")
    assert post(w2, update) == 200
    assert post(w1, update) == 200  # the same update again, to the other worker
    assert len(settle(fake, CITIZEN, 1)) == 1
    assert post(w1, fake.update(CITIZEN, "halo"), secret=None) == 401
    assert post(w2, fake.update(CITIZEN, "halo"), secret="wrong-secret-0123456789") == 403
    assert len(settle(fake, CITIZEN, 1)) == 1
    auth = {"Authorization": f"Bearer {ADMIN}"}
    metrics = httpx.get(f"{w2.url}/metrics", headers=auth).text
    assert 'mpp_webhook_signature_failures_total{channel="telegram"} 1.0' in metrics
    assert fake.webhook["url"] == PUBLIC_URL and fake.webhook["secret_token"] == SECRET
    assert fake.calls.count("setWebhook") == 1 and "getUpdates" not in fake.calls
    folders = [w.workdir for w in trio]
    assert [list(f.rglob("*.db")) for f in folders] == [[], [], []]  # no SQLite state file


def test_the_same_update_racing_to_three_workers_is_answered_once(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    for round_ in range(5):
        update = fake.update(RACER, f"jam buka {round_}")
        assert race([lambda w=w, u=update: post(w, u) for w in trio]) == [200, 200, 200]
    assert len(settle(fake, RACER, 5)) == 5


def test_reminders_are_sent_once_across_workers_and_a_kill(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    w1, w2, _ = trio
    assert post(w1, fake.update(QUEUER, "antrian A030")) == 200
    assert post(w2, fake.update(OTHER, "antrian B010")) == 200
    settle(fake, QUEUER, 1)
    for number in (25, 26, 27):
        assert w2.call(f"A{number:03d}").status_code == 200
    settle(fake, QUEUER, 2)  # confirmation + "5 away"
    w1.kill()
    for number in (28, 29, 30):
        assert w2.call(f"A{number:03d}").status_code == 200
    reminders = settle(fake, QUEUER, 4)[1:]
    assert len(reminders) == 3, reminders
    assert "tinggal 5" in reminders[0] and "tinggal 2" in reminders[1]
    assert "DIPANGGIL" in reminders[2]
    assert len(fake.to(OTHER)) == 1


def test_a_worker_killed_mid_send_loses_no_reminder(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    w1, w2, w3 = trio
    chats = list(range(8001, 8031))
    for chat in chats:
        assert post(w1, fake.update(chat, "antrian D030")) == 200
    for chat in chats:
        settle_quick(fake, chat)
    fake.send_delay = 0.3  # a slow Telegram: worker 3 is mid-send when it dies
    w1.stop()
    w2.stop()  # only worker 3 sends at first
    assert w3.call("D030").status_code == 200
    time.sleep(0.6)
    w3.kill()
    fake.send_delay = 0.0
    w1.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(len(fake.to(c)) < 2 for c in chats):
        time.sleep(0.1)
    time.sleep(1.0)
    counts = [len(fake.to(c)) - 1 for c in chats]  # minus each confirmation
    assert all(n >= 1 for n in counts), counts
    # Only a send in flight at the kill (done, not yet marked) can repeat: at most one each.
    assert max(counts) <= 2


def race(calls: list[Callable[[], int]]) -> list[int]:
    """Run the calls in threads released at the same moment; their results."""
    gate = threading.Barrier(len(calls))
    results: list[int] = [0] * len(calls)

    def run(i: int) -> None:
        gate.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def settle_quick(fake: FakeTelegram, chat: int) -> None:
    deadline = time.monotonic() + 20
    while not fake.to(chat) and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_follow_up_on_another_worker_keeps_the_topic(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    w1, w2, _ = trio
    assert post(w1, fake.update(FOLLOWER, "syarat perpanjang stnk")) == 200
    settle_quick(fake, FOLLOWER)
    assert post(w2, fake.update(FOLLOWER, "biayanya berapa?")) == 200
    texts = settle(fake, FOLLOWER, 2)
    assert len(texts) == 2 and "STNK" in texts[1] and "Biaya" in texts[1], texts[1]


def test_a_database_restart_mid_stream(
    fake: FakeTelegram, trio: list[BotProcess], postgres: PostgresServer
) -> None:
    w1, w2, _ = trio
    assert post(w1, fake.update(RESTARTER, "antrian C030")) == 200
    settle_quick(fake, RESTARTER)
    assert w2.call("C025").status_code == 200
    settle(fake, RESTARTER, 2)  # "5 away" sent and marked (a send cut off before its mark
    postgres.stop()  # would be sent again: at least once, never lost)
    try:
        during = w2.call("C028")
        assert during.status_code == 503 and "retry" in during.json()["error"]
        assert post(w1, fake.update(RESTARTER, "jam buka")) == 503  # Telegram will retry it
    finally:
        postgres.start()
    deadline = time.monotonic() + 30
    while (retried := w2.call("C028")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)  # the queue machine retries until the database is back
    assert retried.status_code == 200
    assert w1.call("C030").status_code == 200
    assert post(w2, fake.update(RESTARTER, "jam buka")) == 200
    texts = settle(fake, RESTARTER, 5)
    # confirmation, 5 away, 2 away, called, and the opening hours (the reply may come first)
    assert len(texts) == 5, [t[:40] for t in texts]
    reminders = [t for t in texts if t.startswith(("⏰", "🔔"))]  # "called" is sent first when due
    assert len(reminders) == 3 and sum("DIPANGGIL" in t for t in reminders) == 1
    for words in ("tinggal 5", "tinggal 2"):
        assert sum(words in t for t in reminders) == 1


def test_three_workers_together_keep_telegrams_rate(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    chats = list(range(9001, 9091))
    start = len(fake.sent)
    with ThreadPoolExecutor(max_workers=9) as pool:  # 90 citizens at once, spread over 3
        codes = list(pool.map(lambda i: post(trio[i % 3], fake.update(chats[i], "antrian E030")),
                              range(len(chats))))  # fmt: skip
    assert codes == [200] * len(chats)
    assert trio[0].call("E030").status_code == 200  # and 90 reminders on top
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(len(fake.to(c)) < 2 for c in chats):
        time.sleep(0.1)
    times = sorted(m["at"] for m in fake.sent[start:])
    assert len(times) == 2 * len(chats)
    # Telegram's ~30 messages/s shared, not tripled: slots are 1/30 s apart over all workers,
    # so 180 messages take 6 s; a send held up by a busy CPU may bunch a few in one second.
    assert times[-1] - times[0] >= 0.95 * (len(times) - 1) / 30
    busiest = max(sum(1 for t in times if s <= t < s + 1.0) for s in times)
    assert busiest <= 36, busiest


def test_the_report_counts_questions_answered_by_every_worker(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    def asked() -> int:
        out = subprocess.run(
            [sys.executable, "-m", "bot.cli", "report", "--json", "--days", "1"],
            env=trio[0].env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(out.stdout)["questions"]

    before = asked()
    for i, worker in enumerate(trio):
        assert post(worker, fake.update(REPORTER + i, "syarat ktp hilang")) == 200
    for i in range(3):
        settle_quick(fake, REPORTER + i)
    assert asked() == before + 3


def test_the_same_whatsapp_message_posted_to_two_workers_at_once_gets_one_answer(
    graph: FakeGraphServer, trio: list[BotProcess]
) -> None:
    meta = Meta(f"{trio[0].url}/webhooks/whatsapp", graph.fake)
    for round_ in range(5):
        wa_id = f"62811000000{round_}"
        body = json.dumps(meta.text(wa_id, "syarat perpanjang stnk")).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)}

        def deliver(worker: BotProcess, body: bytes = body, headers: dict = headers) -> int:
            url = f"{worker.url}/webhooks/whatsapp"
            return httpx.post(url, content=body, headers=headers, timeout=30).status_code

        assert race([lambda w=w: deliver(w) for w in trio[:2]]) == [200, 200]
        [answer] = graph.fake.wait_for(wa_id, 1)
        assert "STNK" in text_of(answer)
    time.sleep(1.0)  # time for a second answer to show up, if there were one
    assert all(len(graph.fake.to(f"62811000000{r}")) == 1 for r in range(5))


def test_an_announcement_made_on_one_worker_is_shown_by_another(
    fake: FakeTelegram, trio: list[BotProcess]
) -> None:
    notice = "Sistem Samsat offline sementara"
    made = httpx.post(
        f"{trio[0].url}/api/announcements",
        json={"text": notice, "agency": "samsat"},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert made.status_code in (200, 201), made.text
    assert post(trio[2], fake.update(NOTICED, "syarat perpanjang stnk")) == 200
    [reply] = settle(fake, NOTICED, 1)
    assert notice in reply and "STNK" in reply
