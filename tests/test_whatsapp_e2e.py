"""WhatsApp end to end: signed webhooks posted to the real `mpp-bot run` process, answers
read at a strict fake Graph API on loopback (the acceptance scenarios of issue 8)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.bot_process import QUEUE_TOKEN, BotProcess
from tests.fake_graph import (
    ACCESS_TOKEN,
    APP_SECRET,
    VERIFY_TOKEN,
    FakeGraph,
    FakeGraphServer,
    Meta,
    text_of,
    whatsapp_env,
)
from tests.fake_telegram import TOKEN, FakeTelegramServer

CITIZEN, OTHER = "6281111111111", "6282222222222"


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as server:
        yield server


ADMIN_TOKEN = "admin-secret-for-tests"


@pytest.fixture
def bot(graph: FakeGraphServer, tmp_path: Path) -> Iterator[BotProcess]:
    env = {**whatsapp_env(graph), "MPP_ADMIN_TOKEN": ADMIN_TOKEN}
    with BotProcess(None, tmp_path, **env) as process:
        yield process


@pytest.fixture
def meta(graph: FakeGraphServer, bot: BotProcess) -> Meta:
    return Meta(f"{bot.url}/webhooks/whatsapp", graph.fake)


def settle(fake: FakeGraph, seconds: float = 1.0) -> None:
    """Time for a wrong second answer to show up, if there were one."""
    time.sleep(seconds)


def assert_clean_log(bot: BotProcess, *texts: str) -> None:
    log = bot.log()
    for secret in (ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, TOKEN, CITIZEN, OTHER, *texts):
        assert secret not in log, f"{secret[:12]}... in the log:\n{log}"
    assert "Traceback" not in log


def test_handshake_and_signatures(bot: BotProcess, meta: Meta, graph: FakeGraphServer) -> None:
    url = f"{bot.url}/webhooks/whatsapp"
    ok = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    answer = httpx.get(url, params=ok)
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert httpx.get(url, params={**ok, "hub.verify_token": "wrong"}).status_code == 403
    assert httpx.get(url, params={**ok, "hub.mode": "unsubscribe"}).status_code == 403
    question = meta.text(CITIZEN, "syarat perpanjang STNK")
    assert meta.post(question, secret=None).status_code == 401
    assert meta.post(question, secret="not-the-app-secret").status_code == 403
    huge = httpx.post(url, content=b"x" * 2_000_000, headers={"X-Hub-Signature-256": "sha256=0"})
    assert huge.status_code == 413
    settle(graph.fake)
    assert graph.fake.sent == []  # nothing processed
    # The same message, properly signed, is answered (it was never claimed by the bad posts).
    assert meta.post(question).status_code == 200
    [answer_msg] = graph.fake.wait_for(CITIZEN, 1)
    assert "STNK" in text_of(answer_msg) and "KTP" in text_of(answer_msg)
    # The two refused posts show on /metrics, where an operator sees probes or a bad secret.
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    metrics = httpx.get(f"{bot.url}/metrics", headers=auth).text
    assert 'mpp_webhook_signature_failures_total{channel="whatsapp"} 2.0' in metrics


def test_each_message_answered_once(bot: BotProcess, meta: Meta, graph: FakeGraphServer) -> None:
    fake = graph.fake
    question = meta.text(CITIZEN, "syarat perpanjang STNK")
    started = time.monotonic()
    assert meta.post(question).status_code == 200
    acknowledged = time.monotonic() - started
    [answer] = fake.wait_for(CITIZEN, 1)
    assert "STNK" in text_of(answer) and "KTP" in text_of(answer)
    if answer["type"] == "interactive":  # the card with its "Detail" reply button
        [button] = answer["interactive"]["action"]["buttons"]
        assert button["reply"]["id"].startswith("detail:")
    assert "*" in text_of(answer)  # WhatsApp bold, not HTML
    assert "<b>" not in text_of(answer)
    assert acknowledged < 2.0
    assert meta.post(question).status_code == 200  # Meta re-sends: acknowledged, not answered
    bot.kill()
    bot.start()
    assert meta.post(question).status_code == 200  # after a kill -9: still not answered again
    racing = meta.text(OTHER, "syarat perpanjang STNK")
    threads = [threading.Thread(target=meta.post, args=(racing,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fake.wait_for(OTHER, 1)
    settle(fake, 1.5)
    assert len(fake.to(CITIZEN)) == 1 and len(fake.to(OTHER)) == 1
    assert fake.rejected == []
    assert_clean_log(bot, "syarat perpanjang")


def test_choices_photo_status_and_menu(
    bot: BotProcess, meta: Meta, graph: FakeGraphServer
) -> None:
    fake = graph.fake
    meta.post(meta.text(CITIZEN, "syarat ktp"))
    [offer] = fake.wait_for(CITIZEN, 1)
    assert offer["type"] == "interactive"
    inner = offer["interactive"]
    if inner["type"] == "button":
        first = inner["action"]["buttons"][0]["reply"]["id"]
        meta.post(meta.button(CITIZEN, first))
    else:
        first = inner["action"]["sections"][0]["rows"][0]["id"]
        meta.post(meta.row(CITIZEN, first))
    chosen = text_of(fake.wait_for(CITIZEN, 2)[1])
    assert "Persyaratan" in chosen or "KTP" in chosen
    meta.post(meta.photo(CITIZEN))
    assert "pesan teks" in text_of(fake.wait_for(CITIZEN, 3)[2])
    meta.post(meta.status(CITIZEN, "delivered"))
    meta.post(meta.status(CITIZEN, "read"))
    meta.post(meta.row(CITIZEN, "service:no-such-thing"))
    assert "pilihan tidak dikenal" in text_of(fake.wait_for(CITIZEN, 4)[3])
    meta.post(meta.text(CITIZEN, "menu"))
    menu = fake.wait_for(CITIZEN, 5)[4]
    assert menu["interactive"]["type"] == "list"
    # Browsing 26 agencies: 9 rows and "Lainnya…", which opens the next rows.
    meta.post(meta.text(CITIZEN, "layanan"))
    offer = fake.wait_for(CITIZEN, 6)[5]
    rows = offer["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 10 and rows[-1]["title"] == "Lainnya…"
    meta.post(meta.row(CITIZEN, rows[-1]["id"]))
    more = fake.wait_for(CITIZEN, 7)[6]["interactive"]["action"]["sections"][0]["rows"]
    assert more[0]["id"] not in {r["id"] for r in rows}
    settle(fake)
    assert len(fake.to(CITIZEN)) == 7  # the statuses got no answer
    assert fake.rejected == []
    assert_clean_log(bot)


def test_queue_reminders_exactly_once_across_a_kill(
    bot: BotProcess, meta: Meta, graph: FakeGraphServer
) -> None:
    fake = graph.fake
    meta.post(meta.text(CITIZEN, "antrian A030"))
    assert "A030" in text_of(fake.wait_for(CITIZEN, 1)[0])
    for number in (25, 26, 27):
        assert bot.call(f"A{number:03d}").status_code == 200
    fake.wait_for(CITIZEN, 2)
    bot.kill()
    bot.start()
    for number in (28, 29, 30):
        assert bot.call(f"A{number:03d}", counter="3").status_code == 200
    fake.wait_for(CITIZEN, 4)
    settle(fake, 1.5)
    reminders = [text_of(m) for m in fake.to(CITIZEN)][1:]
    assert len(reminders) == 3, reminders
    assert "tinggal 5" in reminders[0] and "tinggal 2" in reminders[1]
    assert "DIPANGGIL" in reminders[2] and "loket 3" in reminders[2]
    assert fake.rejected == []


def test_an_answer_survives_a_short_graph_outage(
    bot: BotProcess, meta: Meta, graph: FakeGraphServer
) -> None:
    graph.down(502)
    meta.post(meta.text(CITIZEN, "jam buka"))
    time.sleep(1.5)
    graph.recover()
    assert "Jam layanan" in text_of(graph.fake.wait_for(CITIZEN, 1)[0])
    # A message to another number of the same Meta app is not ours to answer.
    other_number = meta.text(OTHER, "jam buka")
    other_number["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert meta.post(other_number).status_code == 200
    settle(graph.fake, 1.5)
    assert len(graph.fake.to(CITIZEN)) == 1 and graph.fake.to(OTHER) == []


@pytest.mark.parametrize("errors", ["sync", "status"])
def test_a_closed_window_stops_the_reminders(
    bot: BotProcess, meta: Meta, graph: FakeGraphServer, errors: str
) -> None:
    """131047, refused at once or reported later: no retries without end, no personal data."""
    fake = graph.fake
    fake.window_errors = errors
    meta.post(meta.text(CITIZEN, "antrian A030"))
    fake.wait_for(CITIZEN, 1)
    fake.last_inbound[CITIZEN] -= 25 * 3600  # the citizen wrote more than a day ago
    bot.call("A025")
    settle(fake, 2.0)
    bot.call("A030")
    settle(fake, 1.5)
    assert len(fake.to(CITIZEN)) == 1
    refused = [r for r in fake.rejected if r.startswith("131047")]
    assert len(refused) == (1 if errors == "sync" else 0)
    assert "131047" in bot.log()
    assert_clean_log(bot)


def test_telegram_and_whatsapp_in_one_process(graph: FakeGraphServer, tmp_path: Path) -> None:
    with (
        FakeTelegramServer() as telegram,
        BotProcess(telegram.base_url, tmp_path, **whatsapp_env(graph)) as bot,
    ):
        meta = Meta(f"{bot.url}/webhooks/whatsapp", graph.fake)
        meta.post(meta.text(CITIZEN, "antrian A030"))
        telegram.fake.send_text(5001, "antrian A030")
        graph.fake.wait_for(CITIZEN, 1)
        assert "A030" in telegram.fake.wait_sent(1)[0]["text"]
        bot.call("A030", counter="4")
        assert "DIPANGGIL" in text_of(graph.fake.wait_for(CITIZEN, 2)[1])
        deadline = time.monotonic() + 10
        while len(telegram.fake.sent) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "DIPANGGIL" in telegram.fake.sent[1]["text"]
        assert bot.stop() == 0
    assert graph.fake.rejected == [] and telegram.fake.rejected == []
    assert_clean_log(bot, "antrian A030")
    assert bot.log().count("stopped (SIGTERM)") == 1


def run_cli(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env={**os.environ, "MPP_STATE_DB": str(cwd / "s.db"), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_channel_or_a_wrong_token_is_one_clear_line(
    graph: FakeGraphServer, tmp_path: Path
) -> None:
    nothing = run_cli({}, tmp_path)
    assert nothing.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in nothing.stderr and "WHATSAPP_ACCESS_TOKEN" in nothing.stderr
    wrong = run_cli({**whatsapp_env(graph), "WHATSAPP_ACCESS_TOKEN": "EAA-wrong"}, tmp_path)
    assert wrong.returncode == 2 and "WHATSAPP_ACCESS_TOKEN" in wrong.stderr
    assert "EAA-wrong" not in wrong.stderr and "Traceback" not in wrong.stderr
    half = run_cli({"WHATSAPP_ACCESS_TOKEN": "x"}, tmp_path)
    assert half.returncode == 2 and "WHATSAPP_APP_SECRET" in half.stderr
    assert len(half.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_cleanly(bot: BotProcess, tmp_path: Path, sig: signal.Signals) -> None:
    """systemd/docker stop (SIGTERM) and Ctrl+C (SIGINT): exit 0, one line, the store closed
    (SQLite removes the -wal file when the last connection closes cleanly)."""
    headers = {"Authorization": f"Bearer {QUEUE_TOKEN}"}
    assert httpx.get(f"{bot.url}/api/queue", headers=headers).status_code == 200
    assert bot.proc is not None
    before = len(bot.log().splitlines())
    bot.proc.send_signal(sig)
    assert bot.proc.wait(timeout=30) == 0
    assert bot.log().splitlines()[before:] == [bot.log().splitlines()[-1]]
    assert bot.log().strip().endswith(f"stopped ({sig.name})")
    assert (tmp_path / "state.db").exists() and not (tmp_path / "state.db-wal").exists()
