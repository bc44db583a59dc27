"""The Telegram channel end to end: the real Application against a fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram.app import GROUP_ANONYMOUS_BOT, build_application
from bot.telegram.render import html_lines, split_message
from handlers.conversation import Assistant
from handlers.queue import QueueFlow
from handlers.types import Block, Reply
from knowledge.catalogue import Catalogue
from state.reminders import ReminderStore
from tests.bot_process import BotProcess
from tests.conftest import FRIDAY_MORNING
from tests.fake_telegram import BOT, TOKEN, FakeTelegram, FakeTelegramServer

CHAT = 5001
STICKER = {
    "file_id": "stk",
    "file_unique_id": "u1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}


def settings_for(server: FakeTelegramServer, rate: float = 0.0) -> Settings:
    return Settings(
        catalogue_dir=Path("."),
        knowledge_db=Path("unused.db"),
        telegram_token=TOKEN,
        telegram_api_base_url=server.base_url,
        telegram_rate_limit=rate,
    )


@pytest.fixture
async def bot(server: FakeTelegramServer, assistant: Assistant) -> AsyncIterator[Application]:
    app = build_application(settings_for(server), assistant, clock=lambda: FRIDAY_MORNING)
    async with app:
        await app.post_init(app)  # what run_polling does after initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()
    assert server.fake.rejected == [], "the bot made calls Telegram would reject"


async def sent(fake: FakeTelegram, count: int, timeout: float = 10.0) -> list[dict]:
    """Wait (without blocking the bot's event loop) until `count` messages were sent."""
    for _ in range(int(timeout / 0.02)):
        if len(fake.sent) >= count:
            return list(fake.sent)
        await asyncio.sleep(0.02)
    raise AssertionError(f"sent {len(fake.sent)}: {[m.get('text', '')[:50] for m in fake.sent]}")


async def test_start_registers_commands_and_offers_buttons(bot, fake) -> None:
    assert {c["command"] for c in fake.commands} >= {
        "start",
        "help",
        "instansi",
        "layanan",
        "jam",
        "lokasi",
        "fasilitas",
    }
    fake.send_text(CHAT, "/start")
    [reply] = await sent(fake, 1)
    assert "asisten" in reply["text"] and reply["parse_mode"] == "HTML"
    assert reply["reply_markup"]["inline_keyboard"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/instansi", "Instansi di"),
        ("/layanan", "Pilih instansi"),
        ("/jam", "Jam layanan"),
        ("/lokasi", "Panglima Sudirman"),
        ("/fasilitas", "Fasilitas"),
        ("/help", "Cara memakai"),
        ("/antrian A030", "Pengingat antrian tersedia"),
    ],
)
async def test_menu_commands(bot, fake, command: str, expected: str) -> None:
    fake.send_text(CHAT, command)
    [reply] = await sent(fake, 1)
    assert expected in reply["text"]


async def test_service_question_gets_requirements(bot, fake) -> None:
    fake.send_text(CHAT, "syarat perpanjang stnk")
    [reply] = await sent(fake, 1)
    assert "STNK" in reply["text"] and "STNK" in reply["text"]
    assert "<b>" in reply["text"]


async def test_ambiguous_question_offers_buttons_and_pressing_answers(bot, fake) -> None:
    fake.send_text(CHAT, "syarat ktp")
    [choices] = await sent(fake, 1)
    buttons = [row[0] for row in choices["reply_markup"]["inline_keyboard"]]
    assert 2 <= len(buttons) <= 5
    fake.press(CHAT, buttons[0]["callback_data"])
    _, card = await sent(fake, 2)
    assert "Syarat" in card["text"]
    assert len(fake.answered_callbacks) == 1


async def test_detail_button_sends_the_rest_of_the_answer(bot, fake) -> None:
    fake.send_text(CHAT, "syarat perpanjang stnk")
    [card] = await sent(fake, 1)
    [[detail]] = card["reply_markup"]["inline_keyboard"]
    assert detail["text"] == "Detail" and len(card["text"]) <= 700
    fake.press(CHAT, detail["callback_data"])
    _, rest = await sent(fake, 2)
    assert "Alur" in rest["text"] and "Syarat lengkap" in rest["text"]


async def test_sticker_gets_a_kind_prompt(bot, fake) -> None:
    fake.push({"message": fake.message(CHAT, sticker=STICKER)})
    [reply] = await sent(fake, 1)
    assert "pesan teks" in reply["text"]


async def test_hours_question(bot, fake) -> None:
    fake.send_text(CHAT, "jam buka mpp")
    [reply] = await sent(fake, 1)
    assert "Jam layanan MPP" in reply["text"] and "perkiraan" in reply["text"]
    assert "sedang BUKA" not in reply["text"]  # the MPP's hours are not confirmed yet


async def test_group_message_without_mention_gets_no_reply(bot, fake) -> None:
    group = -100200
    fake.send_text(group, "syarat perpanjang stnk", chat_type="supergroup", user_id=77)
    fake.send_text(
        group, f"@{BOT['username']} syarat perpanjang stnk", chat_type="supergroup", user_id=77
    )
    [reply] = await sent(fake, 1)
    await asyncio.sleep(0.3)
    assert len(fake.sent) == 1 and "STNK" in reply["text"]


async def test_huge_message_is_answered(bot, fake) -> None:
    fake.send_text(CHAT, "syarat perpanjang stnk " + "x" * 5000)
    [reply] = await sent(fake, 1)
    assert len(reply["text"]) <= 4096


async def test_markup_in_text_is_escaped(bot, fake) -> None:
    fake.send_text(CHAT, "<script>alert(1)</script> & <b>ktp hilang</b>")
    [reply] = await sent(fake, 1)
    assert "<script>" not in reply["text"]


async def test_an_edited_question_is_answered_again(bot, fake) -> None:
    fake.push({"edited_message": fake.message(CHAT, "syarat perpanjang stnk", edit_date=1)})
    [reply] = await sent(fake, 1)
    assert "STNK" in reply["text"]


async def test_api_errors_do_not_kill_the_bot(bot, fake) -> None:
    fake.fail_next["sendMessage"] = 500
    fake.send_text(CHAT, "syarat perpanjang stnk")
    [sorry] = await sent(fake, 1)
    assert "gangguan" in sorry["text"]
    fake.fail_next["getUpdates"] = 502
    fake.send_text(CHAT, "ktp hilang")
    _, answer = await sent(fake, 2)
    assert "KTP" in answer["text"]


async def test_rate_limited_bot_still_answers(server, fake, assistant) -> None:
    app = build_application(settings_for(server, rate=30), assistant, lambda: FRIDAY_MORNING)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        for i in range(5):
            fake.send_text(CHAT + i, "jam buka")
        await sent(fake, 5)
        await app.updater.stop()
        await app.stop()
    assert fake.rejected == []


def test_long_replies_split_at_line_boundaries() -> None:
    reply = Reply([Block([f"baris {i} " + "x" * 80 for i in range(200)], title="Judul")])
    parts = split_message(html_lines(reply))
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert all(line.startswith(("baris", "<b>")) for p in parts for line in p.splitlines())


def test_catalogue_text_is_escaped_once() -> None:
    lines = html_lines(Reply([Block(["a < b & c"], title="<x>")]))
    assert lines == ["<b>&lt;x&gt;</b>", "a &lt; b &amp; c"]


def test_every_button_payload_fits_telegram(catalogue: Catalogue) -> None:
    assert all(len(ref.encode()) <= 64 for ref in catalogue.refs())


def _wait_sync(fake: FakeTelegram, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(fake.sent) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_mpp_bot_run_passes_the_acceptance_scenario(server, fake, tmp_path: Path) -> None:
    """The installed command, as an operator starts it, against the fake Bot API."""
    with BotProcess(server.base_url, tmp_path) as bot:
        fake.send_text(-100300, "syarat ktp", chat_type="group", user_id=9)  # not addressed
        for text in ("/start", "syarat perpanjang stnk", "syarat ktp"):
            fake.send_text(CHAT, text)
            _wait_sync(fake, len(fake.sent) + 1)
        fake.press(CHAT, fake.sent[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        _wait_sync(fake, 4)
        fake.push({"message": fake.message(CHAT, sticker=STICKER)})
        for text in ("jam buka mpp", "ktp " + "panjang " * 700, "<script>x</script> & ktp"):
            _wait_sync(fake, len(fake.sent) + 1)
            fake.send_text(CHAT, text)
        _wait_sync(fake, 8)
    output = bot.log()
    texts = [m["text"] for m in fake.sent]
    assert len(texts) == 8, output
    assert "asisten" in texts[0] and "KTP" in texts[1] and "STNK" in texts[1]
    assert fake.sent[2]["reply_markup"] and "Syarat" in texts[3]
    assert fake.answered_callbacks and "pesan teks" in texts[4] and "Jam layanan" in texts[5]
    assert all(m["chat_id"] == CHAT for m in fake.sent)  # silent in the unaddressed group
    assert fake.rejected == []
    assert TOKEN not in output  # the token never reaches the log


def test_mpp_bot_run_with_a_wrong_token_says_so(server, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "999:wrong",
        "TELEGRAM_API_BASE_URL": server.base_url,
    }
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "refused TELEGRAM_BOT_TOKEN" in out.stderr and "Traceback" not in out.stderr


# --- odd cases a real chat throws at the bot ------------------------------------------------
GROUP = -100777


async def test_unknown_commands_get_the_list_of_commands(bot, fake: FakeTelegram) -> None:
    fake.send_text(CHAT, "/daftar")
    [reply] = await sent(fake, 1)
    assert "tidak saya kenal" in reply["text"] and "/antrian" in reply["text"]


async def test_a_mention_in_another_letter_case_is_stripped(bot, fake: FakeTelegram) -> None:
    fake.send_text(GROUP, "@MPP_Batu_Bot jam buka", chat_type="supergroup", user_id=77)
    [reply] = await sent(fake, 1)
    assert "MPP_Batu_Bot" not in reply["text"] and "Jam" in reply["text"]


async def test_a_button_still_answers_when_the_spinner_cannot_be_stopped(
    bot, fake: FakeTelegram
) -> None:
    fake.fail_next["answerCallbackQuery"] = 400  # "query is too old" after a restart
    fake.press(CHAT, "info:jam-buka")
    [reply] = await sent(fake, 1)
    assert "gangguan" not in reply["text"] and "Jam" in reply["text"]


async def test_a_button_without_data_says_the_choice_is_gone(bot, fake: FakeTelegram) -> None:
    fake.press(CHAT, "")
    [reply] = await sent(fake, 1)
    assert "tidak tersedia" in reply["text"]


@pytest.fixture
async def queue_bot(server: FakeTelegramServer, catalogue: Catalogue, tmp_path: Path):
    store = ReminderStore(tmp_path / "state.db")
    assistant = Assistant(catalogue, queue=QueueFlow(store, catalogue))
    app: Application = build_application(settings_for(server), assistant, lambda: FRIDAY_MORNING)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        yield store
        await app.updater.stop()
        await app.stop()


async def test_an_anonymous_admin_cannot_subscribe_the_whole_group(
    queue_bot: ReminderStore, fake: FakeTelegram
) -> None:
    group = {"id": GROUP, "type": "supergroup", "title": "Warga"}
    fake.send_text(
        GROUP,
        "/antrian A030",
        chat_type="supergroup",
        user_id=GROUP_ANONYMOUS_BOT,
        sender_chat=group,
    )
    [reply] = await sent(fake, 1)
    assert "anonim" in reply["text"]
    await asyncio.sleep(0.1)
    assert queue_bot.tickets(f"telegram:{GROUP}", FRIDAY_MORNING) == []
