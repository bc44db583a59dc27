"""A scripted day through the real `mpp-bot run`: the report counts it, the dashboard and
/metrics show it, the SKM survey runs in the chat, and no personal data reaches the disk."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.catalogue import Catalogue
from knowledge.matcher import Matcher
from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram, FakeTelegramServer

ADMIN_TOKEN = "admin-secret-for-tests"
NIK, PHONE = "3579012345670001", "0812 3456 7890"
QUESTIONS = [
    *["syarat perpanjang STNK", "perpanjang stnk tahunan", "syarat perpanjang stnk"],
    *["perpanjang STNK tahunan dimana", "stnk tahunan syaratnya apa", "perpanjangan stnk"],
    *["syarat bikin ktp", "ktp hilang", "syarat akta kelahiran", "bikin paspor"],
    *["cara daftar bpjs", "sim", "bayar pbb", "balik nama", "bpjs"],
    *["syarat skck", "kk", "surat", "izin mendirikan bangunan", "syarat ktp"],
    NIK_QUESTION := f"nik saya {NIK} dipakai pinjol orang lain",
    PHONE_QUESTION := f"tolong hubungi saya di {PHONE} soal sertifikat",
    *["harga cabe di pasar", "jadwal kereta ke surabaya", "resep rendang", "cuaca besok"],
    *["harga cabe di pasar?", "main layangan", "resep rendang enak", "nonton bola"],
]
# One citizen per question: each stands alone (no follow-up context between them).
CHATS = tuple(range(987_654_321_001, 987_654_321_031))  # never found in hex by chance


@pytest.fixture
def bot(server: FakeTelegramServer, tmp_path: Path) -> Iterator[BotProcess]:
    with BotProcess(server.base_url, tmp_path, MPP_ADMIN_TOKEN=ADMIN_TOKEN) as process:
        yield process


def ask_all(fake: FakeTelegram, questions: list[str], chats: tuple[int, ...] = CHATS) -> None:
    for i, text in enumerate(questions):
        before = len(fake.sent)
        fake.send_text(chats[i % len(chats)], text)
        fake.wait_sent(before + 1)
    time.sleep(0.3)  # a reply split in parts finishes sending


def report(bot: BotProcess) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "report", "--json", "--days", "1"],
        env=bot.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_scripted_day_is_counted_and_nothing_personal_is_kept(
    fake: FakeTelegram, bot: BotProcess, catalogue: Catalogue, tmp_path: Path
) -> None:
    assert len(QUESTIONS) == 30
    matcher = Matcher(catalogue)
    results = {q: matcher.search(q) for q in QUESTIONS}
    statuses = Counter(results[q].status for q in QUESTIONS)
    assert min(statuses.values()) >= 5, statuses  # some of each kind
    assert {results[NIK_QUESTION].status, results[PHONE_QUESTION].status} <= {"none", "ambiguous"}
    refs = Counter(results[q].best for q in QUESTIONS if results[q].status == "answer")

    ask_all(fake, QUESTIONS)
    got = report(bot)

    assert got["questions"] == 30
    assert got["by_status"] == {s: statuses[s] for s in ("answer", "ambiguous", "none")}
    assert got["by_channel"] == {"telegram": 30}
    assert got["top"][0]["ref"] == refs.most_common(1)[0][0] == "service:stnk-tahunan"
    assert got["top"][0]["count"] == refs["service:stnk-tahunan"] >= 5
    texts = [u["text"] for u in got["unanswered"]]
    assert "nik saya [NIK] dipakai pinjol orang lain" in texts
    assert "tolong hubungi saya di [TELEPON] soal sertifikat" in texts
    assert sum(u["count"] for u in got["unanswered"]) == statuses["none"] + statuses["ambiguous"]
    cabe = next(u for u in got["unanswered"] if u["text"].startswith("harga cabe"))
    assert cabe["count"] == 2  # "harga cabe di pasar" and "...?" counted together
    assert sum(got["by_hour"].values()) == 30

    stored = b"".join(p.read_bytes() for p in tmp_path.glob("state.db*"))
    assert (tmp_path / "state.db-wal").exists()  # the WAL is searched too
    for secret in (
        NIK,
        PHONE,
        "81234567890",
        *(q for q in QUESTIONS if results[q].best and results[q].status == "answer"),
    ):
        assert secret.encode() not in stored, secret
    assert not any(str(chat).encode() in stored for chat in CHATS)

    dashboard_and_metrics(bot, catalogue.services["stnk-tahunan"].name)


def dashboard_and_metrics(bot: BotProcess, top_service: str) -> None:
    with httpx.Client(base_url=bot.url) as client:
        assert client.get("/admin").status_code == 401
        wrong = client.post("/admin/login", data={"token": "nope"})
        assert wrong.status_code == 401 and "Token salah" in wrong.text
        ok = client.post("/admin/login", data={"token": ADMIN_TOKEN})
        assert ok.status_code == 303
        cookie = ok.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        page = client.get("/admin")
        assert page.status_code == 200 and html.escape(top_service) in page.text
        assert client.post("/admin/logout", data={}).status_code == 403  # no CSRF token
    metrics = httpx.get(f"{bot.url}/metrics", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert metrics.status_code == 200
    assert 'mpp_questions_total{channel="telegram",status="answer"}' in metrics.text
    for name in ("mpp_reply_seconds_bucket", "mpp_reminders_made_total", "mpp_catalogue_reloads"):
        assert name in metrics.text
    assert httpx.get(f"{bot.url}/metrics").status_code == 401
    assert ADMIN_TOKEN not in bot.log()


def test_survey_after_a_called_ticket_through_the_real_bot(
    fake: FakeTelegram, bot: BotProcess, tmp_path: Path
) -> None:
    citizen = 9001
    ask_all(fake, ["/antrian A030"], (citizen,))
    assert bot.call("A030").status_code == 200
    deadline = time.monotonic() + 10
    while len(fake.to(citizen)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Ketik SURVEI" in fake.to(citizen)[-1]["text"]
    ask_all(fake, ["SURVEI"], (citizen,))
    assert "Layanan apa" in fake.to(citizen)[-1]["text"]
    fake.send_text(citizen, "perpanjang stnk")
    first = fake.wait_sent(len(fake.sent) + 1)[-1]
    buttons = [b["callback_data"] for row in first["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[:4] == ["skm:1:1", "skm:1:2", "skm:1:3", "skm:1:4"]
    for unsur in range(1, 10):
        before = len(fake.sent)
        fake.press(citizen, f"skm:{unsur}:4")
        fake.wait_sent(before + 1)
    fake.send_text(citizen, f"mantap, wa saya {PHONE}")
    assert "Terima kasih" in fake.wait_sent(len(fake.sent) + 1)[-1]["text"]

    skm = report(bot)["skm"]
    assert skm["respondents"] == 1
    assert skm["overall"]["ikm"] == 100.0 and skm["overall"]["grade"] == "A"
    assert skm["agencies"][0]["agency"] == "samsat"
    assert skm["comments"] == ["mantap, wa saya [TELEPON]"]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("state.db*"))
    assert PHONE.encode() not in stored
