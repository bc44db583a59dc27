"""Staff keep the bot current, end to end: `mpp-bot run` as a process, the fake Bot API, HTTP.

Announcements over the admin API and in Telegram, an announcement ending with the (injected)
clock across a restart, catalogue edits answered without a restart, a broken edit survived.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.bot_process import BotProcess, edit_stnk_fee, reply_to
from tests.conftest import JAKARTA
from tests.fake_telegram import FakeTelegram, FakeTelegramServer
from tests.test_queue_e2e import wait_for

CITIZEN, STAFF, STRANGER = 7101, 4343, 9191
ADMIN = "admin-secret"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
NOW = ("--now", "2026-11-27T09:30")
NEW_FEE = "Pengesahan roda 2 Rp27.500"


@pytest.fixture
def bot(server: FakeTelegramServer, tmp_path: Path) -> Iterator[BotProcess]:
    env = {"MPP_ADMIN_TOKEN": ADMIN, "MPP_STAFF_IDS": str(STAFF)}
    with BotProcess(server.base_url, tmp_path, *NOW, **env) as process:
        yield process


def post(bot: BotProcess, body: dict[str, object], token: str = ADMIN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.post(f"{bot.url}/api/announcements", json=body, headers=headers)


def test_an_announcement_over_http_reaches_its_agency_answers_only(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    text = "Sistem Samsat offline pukul 10.00-12.00"
    assert post(bot, {"text": text, "agency": "samsat"}, token="wrong").status_code == 401
    assert post(bot, {"text": text, "agency": "samsak"}).status_code == 422
    assert post(bot, {"text": "  "}).status_code == 422
    assert post(bot, {"text": text, "agency": ["samsat"]}).status_code == 422
    assert post(bot, {"text": text, "until": "besok"}).status_code == 422
    bad_json = httpx.post(f"{bot.url}/api/announcements", content=b"{", headers=AUTH)
    assert bad_json.status_code == 400
    assert post(bot, {"text": "x" * 501}).status_code == 422
    assert post(bot, {"text": text, "until": "2026-11-27T08:00+07:00"}).status_code == 422
    made = post(bot, {"text": text, "agency": "samsat", "until": "2026-11-27T12:00+07:00"})
    assert made.status_code == 201
    body = made.json()
    assert body == {"id": body["id"], "text": text, "agency": "samsat", "until": body["until"]}
    assert body["until"].startswith("2026-11-27T12:00")
    assert text in reply_to(fake, CITIZEN, "syarat perpanjang stnk")
    # Another chat: in the same one, follow-ups may read "ktp hilang" against the STNK answer.
    assert text not in reply_to(fake, CITIZEN + 1, "ktp hilang")
    listed = httpx.get(f"{bot.url}/api/announcements", headers=AUTH).json()
    assert [a["id"] for a in listed["announcements"]] == [body["id"]]
    gone = httpx.delete(f"{bot.url}/api/announcements/{body['id']}", headers=AUTH)
    assert gone.status_code == 204
    assert text not in reply_to(fake, CITIZEN, "syarat perpanjang stnk")
    again = httpx.delete(f"{bot.url}/api/announcements/{body['id']}", headers=AUTH)
    assert again.status_code == 404
    assert httpx.get(f"{bot.url}/api/announcements").status_code == 401
    assert fake.rejected == []


def test_staff_announce_in_telegram_and_it_ends_with_the_clock(
    fake: FakeTelegram, server: FakeTelegramServer, bot: BotProcess, tmp_path: Path
) -> None:
    assert "hanya untuk petugas" in reply_to(fake, STRANGER, "/umumkan MPP tutup sampai 10.00")
    made = reply_to(fake, STAFF, "/umumkan Antrean penuh, datang setelah 13.00 sampai 10.00")
    assert "Pengumuman 1 dipasang" in made
    assert "Antrean penuh" in reply_to(fake, CITIZEN, "/start")
    assert "Antrean penuh" in reply_to(fake, CITIZEN, "jam buka")
    assert "1. [semua, s.d. 10.00]" in reply_to(fake, STAFF, "/pengumuman")
    bot.stop()
    # Restarted with the clock at 10.01: the same state file, the announcement has ended.
    later = BotProcess(server.base_url, tmp_path, "--now", "2026-11-27T10:01", **bot.env)
    later.port, later.url = bot.port, bot.url
    with later:
        assert "Antrean penuh" not in reply_to(fake, CITIZEN, "/start")
        assert "Tidak ada pengumuman aktif" in reply_to(fake, STAFF, "/pengumuman")


def test_an_announcement_disappears_by_itself_in_a_running_bot(
    fake: FakeTelegram, server: FakeTelegramServer, tmp_path: Path
) -> None:
    start = datetime(2026, 11, 27, 9, 30, tzinfo=JAKARTA)
    started = time.monotonic()  # the bot's clock cannot be ahead of start + time since this
    clock = ("--now", start.isoformat(), "--clock-runs")
    with BotProcess(server.base_url, tmp_path, *clock, MPP_ADMIN_TOKEN=ADMIN) as bot:
        until = start + timedelta(seconds=time.monotonic() - started + 6)
        made = post(bot, {"text": "Listrik padam sebentar", "until": until.isoformat()})
        assert made.status_code == 201, made.text
        assert "Listrik padam" in reply_to(fake, CITIZEN, "jam buka")
        deadline = time.monotonic() + 30
        while "Listrik padam" in reply_to(fake, CITIZEN, "jam buka"):
            assert time.monotonic() < deadline, "the announcement did not end"
            time.sleep(0.5)
        listed = httpx.get(f"{bot.url}/api/announcements", headers=AUTH).json()
        assert listed == {"announcements": []}


def health(bot: BotProcess) -> dict[str, object]:
    return httpx.get(f"{bot.url}/healthz").json()["catalogue"]


def test_a_catalogue_edit_is_answered_without_restart_and_a_broken_one_survived(
    fake: FakeTelegram, server: FakeTelegramServer, tmp_path: Path, data_copy: Path
) -> None:
    env = {"MPP_CATALOGUE_DIR": str(data_copy), "MPP_STAFF_IDS": str(STAFF)}
    with BotProcess(server.base_url, tmp_path, *NOW, MPP_CATALOGUE_POLL="1", **env) as bot:
        first = health(bot)
        assert first["services"] >= 150 and first["loaded_at"].startswith("2026-11-27T09:30")
        assert NEW_FEE not in reply_to(fake, CITIZEN, "syarat perpanjang stnk")
        edit_stnk_fee(data_copy, NEW_FEE)
        edited_at = time.monotonic()
        for i in range(40):  # questions keep arriving while the new catalogue is swapped in
            fake.send_text(CITIZEN + 1 + i % 4, "syarat perpanjang stnk")
            time.sleep(0.05)
        while NEW_FEE not in reply_to(fake, CITIZEN, "syarat perpanjang stnk"):
            assert time.monotonic() - edited_at < 10, "the edit was not answered within 10 s"
            time.sleep(0.2)
        answered = [wait_for(fake, CITIZEN + 1 + n, 10) for n in range(4)]
        assert sum(len(a) for a in answered) == 40  # none dropped
        assert all("Biaya:" in text for a in answered for text in a)
        assert health(bot)["version"] != first["version"]
        good = health(bot)
        # A broken edit: an unknown field. The old catalogue keeps answering.
        path = data_copy / "agencies" / "samsat.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("    fee: ", "    fees: ", 1))
        told = wait_for(fake, STAFF, 1)
        assert "samsat.yaml" in told[0] and "stnk-tahunan" in told[0] and "fees" in told[0]
        path.touch()  # saved again, unchanged: staff are not told twice
        time.sleep(2.5)
        assert NEW_FEE in reply_to(fake, CITIZEN, "syarat perpanjang stnk")
        assert len(fake.to(STAFF)) == 1 and health(bot) == good
        assert bot.proc is not None and bot.proc.poll() is None
        assert "samsat.yaml: service 'stnk-tahunan': field 'fees'" in bot.log()
        assert fake.rejected == []


def test_sighup_and_muatulang_reload_when_watching_is_off(
    fake: FakeTelegram, server: FakeTelegramServer, tmp_path: Path, data_copy: Path
) -> None:
    env = {"MPP_CATALOGUE_DIR": str(data_copy), "MPP_STAFF_IDS": str(STAFF)}
    with BotProcess(server.base_url, tmp_path, *NOW, MPP_CATALOGUE_POLL="0", **env) as bot:
        edit_stnk_fee(data_copy, NEW_FEE)
        time.sleep(1.5)
        assert NEW_FEE not in reply_to(fake, CITIZEN, "syarat perpanjang stnk")
        assert bot.proc is not None
        os.kill(bot.proc.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while NEW_FEE not in reply_to(fake, CITIZEN, "syarat perpanjang stnk"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        edit_stnk_fee(data_copy, "Rp1")
        assert "hanya untuk petugas" in reply_to(fake, STRANGER, "/muatulang")
        assert "Katalog baru dipakai" in reply_to(fake, STAFF, "/muatulang")
        assert "Biaya: Rp1" in reply_to(fake, CITIZEN, "syarat perpanjang stnk")
        assert "sudah yang terbaru" in reply_to(fake, STAFF, "/muatulang")


def test_sent_once_to_todays_ticket_holders_across_a_restart(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    reply_to(fake, CITIZEN, "/antrian A030")
    reply_to(fake, CITIZEN, "/antrian B010")  # two tickets, one message
    reply_to(fake, STRANGER, "jam buka")  # no ticket: not sent
    made = post(bot, {"text": "Loket A pindah ke gerai 5", "notify": True})
    assert made.status_code == 201 and made.json()["notified"] == 1
    got = wait_for(fake, CITIZEN, 3)
    assert got[2] == "📢 Pengumuman: Loket A pindah ke gerai 5"
    time.sleep(0.5)  # past the known instant between Telegram accepting it and the bot noting it
    bot.kill()
    bot.start()
    sent = reply_to(fake, STAFF, "/umumkan_kirim Sistem normal kembali")
    assert "Dikirim ke 1 pemegang antrian hari ini" in sent
    texts = wait_for(fake, CITIZEN, 4)
    time.sleep(1.5)  # time for any repeat to show up
    texts = [m["text"] for m in fake.to(CITIZEN)]
    assert texts[2:] == [
        "📢 Pengumuman: Loket A pindah ke gerai 5",
        "📢 Pengumuman: Sistem normal kembali",
    ]
    assert len(fake.to(STRANGER)) == 1
