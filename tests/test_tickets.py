"""Ticket numbers as citizens and queue machines write them."""

from __future__ import annotations

import pytest

from handlers.queue import ticket_in
from knowledge.tickets import Ticket, TicketError, find_ticket, parse_ticket


@pytest.mark.parametrize("text", ["A030", "a-30", "A 030", "a30", " A.030 ", "A0030"])
def test_forms_of_one_ticket(text: str) -> None:
    assert parse_ticket(text) == Ticket("A", 30)
    assert str(parse_ticket(text)) == "A030"


@pytest.mark.parametrize("text", ["", "030", "ABC030", "A12345", "A0", "A-", "🎫", "A030B"])
def test_malformed_tickets_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(TicketError, match="A030"):
        parse_ticket(text)


@pytest.mark.parametrize(
    ("text", "ticket"),
    [
        ("ingatkan antrian A030", Ticket("A", 30)),
        ("nomor saya a30", Ticket("A", 30)),
        ("B010", Ticket("B", 10)),
        ("antrian saya BB 7 ya", Ticket("BB", 7)),
    ],
)
def test_a_ticket_in_a_sentence(text: str, ticket: Ticket) -> None:
    assert ticket_in(text) == ticket


@pytest.mark.parametrize("text", ["syarat kk 2", "sim a 2 tahun", "no 30", "jam 8"])
def test_sentences_that_only_look_like_tickets(text: str) -> None:
    assert ticket_in(text) is None or find_ticket(text) is None
