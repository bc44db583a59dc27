"""Queue tickets only where a citizen means one; limits, cancels and recalls said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.conversation import Assistant
from handlers.queue import MAX_TICKETS_PER_DAY, QueueFlow, ticket_in
from handlers.types import Incoming
from knowledge.catalogue import Catalogue
from knowledge.tickets import Ticket, TicketError, find_tickets, parse_ticket
from state.reminders import ReminderStore
from tests.conftest import FRIDAY_MORNING

CHAT = "telegram:1"


@pytest.fixture
def flow(tmp_path: Path, catalogue: Catalogue) -> QueueFlow:
    return QueueFlow(ReminderStore(tmp_path / "state.db"), catalogue)


@pytest.fixture
def with_queue(catalogue: Catalogue, flow: QueueFlow) -> Assistant:
    return Assistant(catalogue, queue=flow)


def ask_in_chat(assistant: Assistant, text: str) -> str:
    """The reply as the citizen sees it: the text and the labels of its buttons."""
    reply = assistant.handle(Incoming("u", FRIDAY_MORNING, text=text, chat=CHAT))
    return "\n".join([reply.plain_text(), *(c.label for c in reply.choices)])


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("plat nomor N 1234 AB mati pajak 2 tahun", "STNK"),
        ("perpanjang sim b1 umum antri dimana", "SIM"),
        ("nomor hp sy 0812 3456 7890 mau tanya bpjs", "BPJS"),
        ("formulir nomor F-1.02 dimana", "F-1.02"),
    ],
)
def test_plates_sim_classes_phones_and_forms_are_questions_not_tickets(
    with_queue: Assistant, flow: QueueFlow, text: str, topic: str
) -> None:
    reply = ask_in_chat(with_queue, text)
    assert "Saya ingatkan" not in reply
    assert topic in reply
    assert flow.store.tickets(CHAT, FRIDAY_MORNING) == []


@pytest.mark.parametrize(
    "text",
    ["plat N 1234 AB", "sim b1", "wa 0812 3456 7890", "F-1.02", "hp sy 0812-3456", "C٠٢٥"],
)
def test_look_alikes_are_no_tickets(text: str) -> None:
    assert find_tickets(text) == [] or ticket_in(text) is None


@pytest.mark.parametrize(
    ("text", "tickets"),
    [
        ("antrian A030 B040", [Ticket("A", 30), Ticket("B", 40)]),
        ("nomor saya a30 ya", [Ticket("A", 30)]),
        ("antrian saya N 12", [Ticket("N", 12)]),
        ("ANTRIAN SAYA A030 YA", [Ticket("A", 30)]),
    ],
)
def test_tickets_people_do_write_still_read(text: str, tickets: list[Ticket]) -> None:
    assert find_tickets(text) == tickets


def test_two_tickets_in_one_command_are_both_remembered(flow: QueueFlow) -> None:
    reply = flow.subscribe(CHAT, "A030 B040", FRIDAY_MORNING).plain_text()
    assert "A030" in reply and "B040" in reply
    assert flow.store.tickets(CHAT, FRIDAY_MORNING) == [Ticket("A", 30), Ticket("B", 40)]


def test_a_chat_can_follow_a_few_tickets_a_day_and_is_told_kindly(flow: QueueFlow) -> None:
    for number in range(1, 40):
        reply = flow.subscribe(CHAT, f"A{number:03d}", FRIDAY_MORNING).plain_text()
    assert len(flow.store.tickets(CHAT, FRIDAY_MORNING)) == MAX_TICKETS_PER_DAY
    assert "paling banyak" in reply and "Saya ingatkan" not in reply
    # A ticket already followed can be asked about again.
    assert "Saya ingatkan" in flow.subscribe(CHAT, "A001", FRIDAY_MORNING).plain_text()


def test_cancel_with_an_unreadable_ticket_cancels_nothing(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "A030", FRIDAY_MORNING)
    reply = flow.cancel(CHAT, "zzz", FRIDAY_MORNING).plain_text()
    assert "tidak terbaca" in reply
    assert flow.store.tickets(CHAT, FRIDAY_MORNING) == [Ticket("A", 30)]
    assert "A030" in flow.cancel(CHAT, "semua", FRIDAY_MORNING).plain_text()
    assert flow.store.tickets(CHAT, FRIDAY_MORNING) == []


def test_a_recall_is_told_as_a_recall_and_the_queue_does_not_move_back(flow: QueueFlow) -> None:
    flow.subscribe(CHAT, "B001", FRIDAY_MORNING)
    flow.call(Ticket("B", 1), "2", FRIDAY_MORNING)
    flow.call(Ticket("B", 3), "2", FRIDAY_MORNING)
    for item in flow.store.pending():
        flow.store.mark_sent(item, FRIDAY_MORNING)
    state, made = flow.call(Ticket("B", 1), "4", FRIDAY_MORNING)
    assert state.recall and made == 1
    [item] = flow.store.pending()
    assert "DIPANGGIL ULANG ke loket 4" in item.text
    assert flow.store.state("B", FRIDAY_MORNING).number == 3


@pytest.mark.parametrize("text", ["A-5", "C٠٢٥", "A 030", "A030\n"])
def test_the_queue_machine_format_is_strict(text: str) -> None:
    if text.strip() == "A030":
        assert parse_ticket(text, strict=True) == Ticket("A", 30)
        return
    with pytest.raises(TicketError):
        parse_ticket(text, strict=True)


LETTERS = "ABCDEFGHJKLMNPRSTUVWZ"


@settings(max_examples=200, deadline=None)
@given(
    region=st.text(LETTERS, min_size=1, max_size=2),
    number=st.integers(1, 9999),
    suffix=st.text(LETTERS, min_size=1, max_size=3),
    lead=st.sampled_from(["plat nomor", "nopol", "pajak motor", "nomor antrian? bukan, plat"]),
    shout=st.booleans(),
)
def test_no_plate_is_ever_read_as_a_ticket(
    region: str, number: int, suffix: str, lead: str, shout: bool
) -> None:
    text = f"{lead} {region} {number} {suffix} mati pajak"
    assert ticket_in(text.upper() if shout else text) is None


@settings(max_examples=200, deadline=None)
@given(
    groups=st.lists(st.integers(0, 9999), min_size=2, max_size=4),
    lead=st.sampled_from(["nomor hp sy", "no wa", "hp saya", "nomor telp sy"]),
)
def test_no_phone_number_is_ever_read_as_a_ticket(groups: list[int], lead: str) -> None:
    phone = "08" + " ".join(f"{g:04d}" for g in groups)
    assert ticket_in(f"{lead} {phone} mau tanya bpjs") is None


@pytest.mark.parametrize(
    "text", ["plat nomor N 12 DAN", "nopol AB 1 OK", "antrian? bukan, plat B 5 YA"]
)
def test_a_capital_plate_suffix_that_is_also_a_word_is_still_a_plate(text: str) -> None:
    assert ticket_in(text) is None
