"""Queue tickets as printed at the MPP: 1-2 letters and 1-4 digits ("A030", "a-30", "A 030")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters, an optional space/dash/dot, digits; not glued to other letters or digits.
_TICKET = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2})[\s\-.]?(\d{1,4})(?![A-Za-z0-9])")
# Words that are not ticket prefixes although they look like one ("no 30", "ke 3").
NOT_PREFIXES = frozenset({"no", "ke", "jl", "rt", "rw", "km", "rp", "th", "jam"})


class TicketError(ValueError):
    """Not a ticket number; the message says what a ticket looks like."""


@dataclass(frozen=True, order=True)
class Ticket:
    prefix: str
    number: int

    def __str__(self) -> str:
        return f"{self.prefix}{self.number:03d}"


def parse_ticket(text: str) -> Ticket:
    """Exactly one ticket, as staff or the queue machine send it."""
    m = _TICKET.fullmatch(text.strip())
    if not m or int(m.group(2)) == 0:
        raise TicketError(
            f"'{text[:20]}' is not a ticket: use 1-2 letters and 1-4 digits, e.g. A030"
        )
    return Ticket(m.group(1).upper(), int(m.group(2)))


def find_ticket(text: str) -> Ticket | None:
    """The ticket a citizen mentions in a sentence ("nomor saya a30"), if any."""
    for m in _TICKET.finditer(text):
        if m.group(1).lower() in NOT_PREFIXES or int(m.group(2)) == 0:
            continue
        return Ticket(m.group(1).upper(), int(m.group(2)))
    return None
