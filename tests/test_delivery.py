"""The reminder sender with a scripted transport: backoff, "called" first, never twice, give up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.delivery import SENT, Backoff, Outcome, ReminderSender, Result
from handlers.queue import QueueFlow
from knowledge.catalogue import Catalogue
from knowledge.tickets import Ticket
from state.reminders import ReminderStore
from tests.conftest import FRIDAY_MORNING

DOWN = Result(Outcome.RETRY, "NetworkError")


class Scripted:
    """A transport whose answer the test sets; it records what it delivered."""

    prefix = "telegram:"

    def __init__(self) -> None:
        self.answer = SENT
        self.delivered: list[str] = []
        self.tries = 0

    async def send_text(self, chat: str, text: str) -> Result:
        self.tries += 1
        if self.answer.outcome is Outcome.SENT:
            self.delivered.append(text)
        return self.answer


@pytest.fixture
def flow(tmp_path: Path, catalogue: Catalogue) -> QueueFlow:
    flow = QueueFlow(ReminderStore(tmp_path / "state.db"), catalogue)
    flow.subscribe("telegram:1", "A030", FRIDAY_MORNING)
    flow.subscribe("whatsapp:62800", "A031", FRIDAY_MORNING)
    return flow


def make_sender(flow: QueueFlow, transport: Scripted, now: list[float]) -> ReminderSender:
    return ReminderSender(
        flow.store, [transport], lambda: FRIDAY_MORNING, Backoff(1.0), wall=lambda: now[0]
    )


def test_backoff_doubles_up_to_a_cap_and_gives_up_after_30_minutes() -> None:
    backoff = Backoff()
    assert [backoff.delay(n) for n in (1, 2, 3, 7, 30)] == [1, 2, 4, 60, 60]
    assert backoff.give_up_after == 30 * 60


async def test_called_first_after_an_outage_and_each_once(flow: QueueFlow) -> None:
    transport, now = Scripted(), [0.0]
    sender = make_sender(flow, transport, now)
    transport.answer = DOWN
    for number in (25, 28, 30):
        flow.call(Ticket("A", number), "3", FRIDAY_MORNING)
        assert await sender.drain(transport) == 0
    now[0] = 20 * 60.0  # twenty minutes of outage: still trying
    assert await sender.drain(transport) == 0
    transport.answer = SENT
    assert await sender.drain(transport) == 3
    assert await sender.drain(transport) == 0  # nothing twice
    assert "DIPANGGIL" in transport.delivered[0]
    assert [("tinggal 5" in t, "tinggal 2" in t) for t in transport.delivered[1:]] == [
        (True, False),
        (False, True),
    ]
    # The WhatsApp chat's reminders wait for their own channel's transport.
    assert [p.chat for p in flow.store.pending()] == ["whatsapp:62800"] * 2


async def test_a_reminder_is_given_up_only_after_the_retry_window(flow: QueueFlow) -> None:
    transport, now = Scripted(), [1000.0]
    sender = make_sender(flow, transport, now)
    transport.answer = DOWN
    flow.call(Ticket("A", 30), "3", FRIDAY_MORNING)
    await sender.drain(transport)
    now[0] += 29 * 60
    await sender.drain(transport)
    assert len(flow.store.pending("telegram:")) == 1
    now[0] += 60
    await sender.drain(transport)
    assert flow.store.pending("telegram:") == []
    transport.answer = SENT
    assert await sender.drain(transport) == 0


async def test_a_chat_that_cannot_be_reached_is_not_retried(flow: QueueFlow) -> None:
    transport, now = Scripted(), [0.0]
    sender = make_sender(flow, transport, now)
    transport.answer = Result(Outcome.GIVE_UP, "131047 window closed", forget_chat=True)
    flow.call(Ticket("A", 25), "3", FRIDAY_MORNING)
    await sender.drain(transport)
    tries = transport.tries
    flow.call(Ticket("A", 30), "3", FRIDAY_MORNING)
    await sender.drain(transport)
    assert transport.tries == tries == 1  # unsubscribed: no "called" made for it
