"""Queue tickets as printed at the MPP: 1-2 letters and 1-4 digits ("A030", "a-30", "A 030")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters, an optional space/dash/dot, digits; not glued to other letters or digits. Digits are
# ASCII only: the machine prints 0-9, and "٠٢٥" (Arabic-Indic) must not read as 025.
_TICKET = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2})[\s\-.]?([0-9]{1,4})(?![A-Za-z0-9])")
# What the queue machine sends: no separator at all ("A030"); citizens may type "a-30".
_MACHINE = re.compile(r"([A-Za-z]{1,2})([0-9]{1,4})")
# Words that are not ticket prefixes although they look like one ("no 30", "ke 3", "hp 0812").
NOT_PREFIXES = frozenset(
    {"no", "ke", "jl", "rt", "rw", "km", "rp", "th", "jam", "sy", "hp", "wa", "tgl", "tg"}
)
# A word just before that makes the candidate something else: a SIM class ("sim b1").
_NOT_AFTER = frozenset({"sim", "golongan", "gol", "kelas", "pasal", "formulir", "form", "blok"})
# Right after the digits: more digits (a phone number "0812 3456"), a decimal or form code
# ("F-1.02"), or a plate's letter suffix ("N 1234 AB").
_TAIL_DIGITS = re.compile(r"[\s\-.,/:]?[0-9]")
_PLATE_TAIL = re.compile(r"\s?([A-Za-z]{1,3})(?![A-Za-z0-9])")
# A counter (loket) is shown to citizens: "3", "12A", "B 2"; nothing else gets through.
_COUNTER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ]{0,8}[A-Za-z0-9])?")
# Short words that follow a ticket in chat ("A030 ya"), never a plate suffix.
_CHAT_WORDS = frozenset({"ok", "ya", "yg", "dan", "kak", "min", "pak", "bu", "sdh", "kah", "lo"})
VEHICLE_WORDS = frozenset(
    {"plat", "plate", "nopol", "stnk", "bpkb", "kendaraan", "motor", "mobil", "pajak", "samsat"}
)


class TicketError(ValueError):
    """Not a ticket number; the message says what a ticket looks like."""


@dataclass(frozen=True, order=True)
class Ticket:
    prefix: str
    number: int

    def __str__(self) -> str:
        return f"{self.prefix}{self.number:03d}"


def parse_ticket(text: str, strict: bool = False) -> Ticket:
    """Exactly one ticket, as staff type it, or (strict) exactly as the queue machine prints."""
    m = (_MACHINE if strict else _TICKET).fullmatch(text.strip())
    if not m or int(m.group(2)) == 0:
        raise TicketError(
            f"'{text[:20]}' is not a ticket: use 1-2 letters and 1-4 digits, e.g. A030"
        )
    return Ticket(m.group(1).upper(), int(m.group(2)))


def find_tickets(text: str) -> list[Ticket]:
    """Every ticket a citizen mentions ("nomor saya a30 dan b40"), skipping look-alikes:
    plates, SIM classes, phone numbers and form codes."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    found: list[Ticket] = []
    for m in _TICKET.finditer(text):
        if int(m.group(2)) == 0 or _looks_like_something_else(text, m, words):
            continue
        ticket = Ticket(m.group(1).upper(), int(m.group(2)))
        if ticket not in found:
            found.append(ticket)
    return found


def find_ticket(text: str) -> Ticket | None:
    """The first ticket a citizen mentions in a sentence, if any."""
    tickets = find_tickets(text)
    return tickets[0] if tickets else None


def _looks_like_something_else(text: str, m: re.Match[str], words: set[str]) -> bool:
    if m.group(1).lower() in NOT_PREFIXES:
        return True
    before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 30) : m.start()])
    if before and before[-1].lower() in _NOT_AFTER:
        return True
    tail = text[m.end() :]
    if _TAIL_DIGITS.match(tail):
        return True
    plate = _PLATE_TAIL.match(tail)
    if plate is None:
        return False
    # "plat N 1234 AB": plates are written in capitals; in an all-capitals message they say
    # nothing ("ANTRIAN A030 YA").
    if plate.group(1).isupper() and any(c.islower() for c in text):
        return True
    return plate.group(1) not in _CHAT_WORDS and bool(words & VEHICLE_WORDS)


def parse_counter(value: object) -> str | None:
    """A whole number or short text of letters and digits; null, true, {}, NaN, 1e400 are not."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**6:
        return str(value)
    if isinstance(value, str) and _COUNTER.fullmatch(value.strip()):
        return value.strip()
    return None
