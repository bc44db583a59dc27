"""Queue reminders in the store: each reminder once, in order, across restarts and threads."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.delivery import ReminderSender
from handlers.queue import QueueFlow
from knowledge.catalogue import Catalogue
from knowledge.tickets import Ticket
from state.reminders import ReminderStore
from tests.conftest import FRIDAY_MORNING

CHAT, OTHER = "telegram:1", "telegram:2"


@pytest.fixture
def flow(tmp_path: Path, catalogue: Catalogue) -> QueueFlow:
    return QueueFlow(ReminderStore(tmp_path / "state.db"), catalogue)


def call(
    flow: QueueFlow,
    number: int,
    counter: str = "3",
    prefix: str = "A",
    now: datetime = FRIDAY_MORNING,
) -> int:
    return flow.call(Ticket(prefix, number), counter, now)[1]


def due(flow: QueueFlow) -> list[tuple[str, str]]:
    """What would be sent now, then mark it sent (as delivery does)."""
    items = flow.store.pending()
    for item in items:
        flow.store.mark_sent(item, FRIDAY_MORNING)
    return [(item.chat, item.kind) for item in items]


def test_the_whole_sequence_once_each(flow: QueueFlow) -> None:
    reply = flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    assert "tinggal" in reply.plain_text() or "sebelum Anda" in reply.plain_text()
    flow.subscribe(OTHER, "B010", FRIDAY_MORNING)
    sent = []
    for number in range(20, 31):
        call(flow, number)
        call(flow, number)  # a repeated call changes nothing
        sent += due(flow)
    assert sent == [(CHAT, "near:5"), (CHAT, "near:2"), (CHAT, "called")]


def test_called_text_names_the_counter(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    call(flow, 30, counter="7")
    [item] = flow.store.pending()
    assert "A030" in item.text and "loket 7" in item.text


def test_thresholds_passed_before_subscribing_are_not_sent(flow: QueueFlow) -> None:
    call(flow, 26)
    reply = flow.subscribe(CHAT, "a-30", FRIDAY_MORNING)
    assert "tinggal 4 nomor" in reply.plain_text()
    call(flow, 27)
    assert due(flow) == []
    call(flow, 28)
    assert due(flow) == [(CHAT, "near:2")]


def test_a_jump_sends_only_the_tightest_reminder(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    call(flow, 29)
    assert due(flow) == [(CHAT, "near:2")]


def test_skipped_ticket_is_told_once_kindly(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    call(flow, 31)
    call(flow, 32)
    assert due(flow) == [(CHAT, "skipped")]
    flow.subscribe(OTHER, "A031", FRIDAY_MORNING)  # already past: refused, not subscribed
    assert flow.store.tickets(OTHER, FRIDAY_MORNING) == []


def test_subscribing_to_a_passed_number_says_so(flow: QueueFlow) -> None:
    call(flow, 40)
    assert "terlewat" in flow.subscribe(CHAT, "A030", FRIDAY_MORNING).plain_text()


def test_cancel_and_positions(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    flow.subscribe(CHAT, "B007", FRIDAY_MORNING)
    call(flow, 20)
    text = flow.positions(CHAT, FRIDAY_MORNING).plain_text()
    assert "A030" in text and "tinggal 10" in text and "B007" in text
    assert "A030" in flow.cancel(CHAT, "A030", FRIDAY_MORNING).plain_text()
    call(flow, 28)
    assert due(flow) == []
    assert "B007" in flow.cancel(CHAT, "", FRIDAY_MORNING).plain_text()


def test_everything_ends_at_local_midnight(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    call(flow, 20)
    tomorrow = FRIDAY_MORNING + timedelta(days=1)
    assert flow.store.tickets(CHAT, tomorrow) == []
    assert flow.store.state("A", tomorrow) is None
    call(flow, 28, now=tomorrow)  # yesterday's ticket gets nothing
    assert due(flow) == []
    rows = flow.store.db.execute("select count(*) from subscriptions").fetchone()[0]
    assert rows == 0  # and yesterday's chats are forgotten


def test_late_evening_calls_still_work(flow: QueueFlow) -> None:
    late = FRIDAY_MORNING.replace(hour=23, minute=50)
    flow.subscribe(CHAT, "A030", late)
    call(flow, 30, now=late)
    assert due(flow) == [(CHAT, "called")]


def test_state_survives_a_restart(tmp_path: Path, catalogue: Catalogue) -> None:
    first = QueueFlow(ReminderStore(tmp_path / "s.db"), catalogue)
    first.subscribe(CHAT, "A030", FRIDAY_MORNING)
    call(first, 25)  # near:5 made due, not yet delivered
    first.store.close()
    again = QueueFlow(ReminderStore(tmp_path / "s.db"), catalogue)
    assert due(again) == [(CHAT, "near:5")]
    call(again, 25)
    assert due(again) == []


def test_concurrent_calls_never_duplicate(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "c.db"
    QueueFlow(ReminderStore(path), catalogue).subscribe(CHAT, "A030", FRIDAY_MORNING)

    def caller() -> None:
        flow = QueueFlow(ReminderStore(path), catalogue)  # its own connection, like a process
        for number in range(24, 31):
            call(flow, number)

    threads = [threading.Thread(target=caller) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = [k for _, k in due(QueueFlow(ReminderStore(path), catalogue))]
    assert sorted(kinds) == sorted(set(kinds)) and "called" in kinds


async def test_a_quiet_day_still_forgets_yesterday(flow: QueueFlow) -> None:
    """The sender purges on its own: no call is needed after midnight."""
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    tomorrow = FRIDAY_MORNING + timedelta(days=1)
    sender = ReminderSender(flow.store, [], clock=lambda: tomorrow)
    task = asyncio.create_task(sender.run())
    await asyncio.sleep(0.1)
    task.cancel()
    rows = flow.store.db.execute("select count(*) from subscriptions").fetchone()[0]
    assert rows == 0


def test_purged_chats_are_gone_from_the_files_and_the_write_ahead_log(tmp_path: Path) -> None:
    store = ReminderStore(tmp_path / "state.db")
    secret = "telegram:987654321"
    store.subscribe(secret, Ticket("A", 30), FRIDAY_MORNING)
    store.purge(FRIDAY_MORNING + timedelta(days=1))
    for name in ("state.db", "state.db-wal"):
        path = tmp_path / name
        assert not path.exists() or b"987654321" not in path.read_bytes(), name
    store.close()
