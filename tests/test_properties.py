"""Whatever a citizen types, the assistant answers and never fails (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.conversation import Assistant
from handlers.queue import ticket_in
from handlers.types import Incoming
from knowledge.tickets import NOT_PREFIXES, Ticket, parse_ticket
from tests.conftest import FRIDAY_MORNING

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_gets_a_reply(assistant: Assistant, text: str) -> None:
    reply = assistant.handle(Incoming("prop", FRIDAY_MORNING, text=text))
    assert reply.plain_text().strip()


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_matches_within_the_contract(assistant: Assistant, text: str) -> None:
    result = assistant.matcher.search(text, top=3)
    assert result.status in ("answer", "ambiguous", "none")
    assert len(result.results) <= 3
    assert all(0 <= m.score <= 100 for m in result.results)


@given(
    prefix=st.text("ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=1, max_size=2).filter(
        lambda p: p.lower() not in NOT_PREFIXES  # "no 30", "rt 5": words before numbers
    ),
    number=st.integers(1, 9999),
    sep=st.sampled_from(["", " ", "-"]),
)
def test_every_printed_ticket_reads_back(prefix: str, number: int, sep: str) -> None:
    written = f"{prefix.lower()}{sep}{number}"
    assert parse_ticket(written) == Ticket(prefix, number)
    assert ticket_in(f"nomor saya {written}") == Ticket(prefix, number)
