"""Outage drills: the Bot API answering 502, then refusing connections, while numbers are
called, with a kill -9 in the middle; after it comes back every reminder arrives once, the
"called" one first. MPP_RETRY_BASE_S=0.1 shrinks the backoff (waits 0.1 s doubling to 6 s,
given up after 3 minutes) so the drill takes seconds, not the real 30 minutes."""

from __future__ import annotations

import time
from pathlib import Path

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram, FakeTelegramServer

CITIZEN, OTHER = 7101, 7102
FAST = {"MPP_RETRY_BASE_S": "0.1"}


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in fake.to(chat)]


def wait_for(fake: FakeTelegram, chat: int, count: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(fake.to(chat)) >= count:
            return texts(fake, chat)
        time.sleep(0.05)
    raise AssertionError(f"chat {chat} got {texts(fake, chat)}")


def assert_reminders_once_called_first(fake: FakeTelegram, chat: int, count: int) -> None:
    reminders = texts(fake, chat)[1:]  # after the subscription's confirmation
    assert len(reminders) == count, reminders
    assert "DIPANGGIL" in reminders[0]
    assert sum("DIPANGGIL" in t for t in reminders) == 1


def test_called_reminder_survives_20_seconds_of_502(
    server: FakeTelegramServer, fake: FakeTelegram, tmp_path: Path
) -> None:
    with BotProcess(server.base_url, tmp_path, **FAST) as bot:
        fake.send_text(CITIZEN, "/antrian A030")
        wait_for(fake, CITIZEN, 1)
        server.down(502)
        outage_started = time.monotonic()
        for number in range(25, 31):
            assert bot.call(f"A{number:03d}").status_code == 200
        time.sleep(max(0.0, 20 - (time.monotonic() - outage_started)))
        assert len(fake.to(CITIZEN)) == 1  # nothing got through the outage
        server.recover()
        wait_for(fake, CITIZEN, 4)
        time.sleep(1.5)  # time for a duplicate to show up
        assert_reminders_once_called_first(fake, CITIZEN, 3)
        assert "wait" in bot.log() and "given up" not in bot.log()
    assert fake.rejected == []


def test_outage_drill_502_then_refused_with_a_kill(
    server: FakeTelegramServer, fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = BotProcess(server.base_url, tmp_path, **FAST).start()
    try:
        fake.send_text(CITIZEN, "/antrian A030")
        fake.send_text(OTHER, "/antrian A027")
        wait_for(fake, CITIZEN, 1)
        wait_for(fake, OTHER, 1)
        server.down(502)
        for number in (25, 26, 27, 28):
            assert bot.call(f"A{number:03d}").status_code == 200
        time.sleep(2)
        server.refuse()
        for number in (29, 30):
            assert bot.call(f"A{number:03d}").status_code == 200
        time.sleep(2)
        bot.kill()  # mid-outage: the undelivered reminders are only in the state file
        server.recover()
        bot.start()
        wait_for(fake, CITIZEN, 4)
        wait_for(fake, OTHER, 3)
        time.sleep(1.5)
        assert_reminders_once_called_first(fake, CITIZEN, 3)  # 5 away, 2 away, called
        assert_reminders_once_called_first(fake, OTHER, 2)  # 2 away, called
    finally:
        bot.stop()
    assert fake.rejected == []
