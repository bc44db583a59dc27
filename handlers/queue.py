"""Queue reminders in the conversation: subscribe, cancel, where am I, and the words sent."""

from __future__ import annotations

import re
from datetime import datetime

from handlers.types import Reply, say
from knowledge.catalogue import Catalogue
from knowledge.tickets import Ticket, TicketError, find_ticket, parse_ticket
from state.reminders import Position, QueueState, ReminderStore

# A ticket inside a sentence counts only with one of these words ("syarat kk 2" is no ticket).
QUEUE_WORDS = {
    "antrian",
    "antri",
    "antre",
    "antrean",
    "antriane",
    "nomor",
    "nomer",
    "no",
    "tiket",
    "karcis",
    "ingatkan",
    "ingetin",
    "reminder",
    "remind",
    "giliran",
    "ticket",
    "queue",
    "nomorku",
}
HOW_TO = "Kirim nomor tiket antrian Anda, misalnya: A030"


def ticket_in(text: str) -> Ticket | None:
    """The ticket a message is about, when it is about a ticket at all."""
    ticket = find_ticket(text)
    if ticket is None:
        return None
    words = set(re.findall(r"[a-z]+", text.lower()))
    alone = re.fullmatch(r"\s*[A-Za-z]{1,2}[\s\-.]?\d{1,4}\s*[.!?]*\s*", text) is not None
    return ticket if alone or words & QUEUE_WORDS else None


class QueueFlow:
    """Subscriptions and calls for one channel's chats, worded for citizens."""

    def __init__(self, store: ReminderStore, catalogue: Catalogue) -> None:
        self.store = store
        self.prefix_agency = {
            a.queue_prefix: a for a in catalogue.agencies.values() if a.queue_prefix
        }

    def _where(self, prefix: str) -> str:
        agency = self.prefix_agency.get(prefix)
        return f" ({agency.name})" if agency else ""

    def subscribe(self, chat: str, text: str, now: datetime) -> Reply:
        try:
            ticket = parse_ticket(text) if text.strip() else None
        except TicketError:
            ticket = find_ticket(text)
        if ticket is None:
            return say("Nomor tiket tidak terbaca. 🙏", HOW_TO)
        position = Position(ticket, self.store.state(ticket.prefix, now))
        if position.remaining < 0:
            return say(
                f"Nomor {ticket} sudah terlewat: antrian {ticket.prefix} sudah sampai "
                f"{_called(position.state)}.",
                "Silakan langsung ke loket informasi atau petugas gerai.",
            )
        if position.remaining == 0 and position.state:
            return say(
                f"Nomor {ticket} sedang dipanggil ke loket {position.state.counter}! "
                "Silakan segera ke sana."
            )
        self.store.subscribe(chat, ticket, now)
        thresholds = " dan ".join(str(t) for t in self.store.thresholds)
        return say(
            f"Siap! Saya ingatkan nomor {ticket}{self._where(ticket.prefix)}.",
            _position_line(position),
            f"Saya kabari saat tinggal {thresholds} nomor lagi, dan saat dipanggil.",
            "Untuk membatalkan, ketik: batal. Pengingat berlaku sampai hari ini berakhir.",
        )

    def cancel(self, chat: str, text: str, now: datetime) -> Reply:
        ticket = find_ticket(text) if text.strip() else None
        stopped = self.store.cancel(chat, now, ticket)
        if not stopped:
            return say(
                "Tidak ada pengingat antrian yang aktif" + (f" untuk {ticket}." if ticket else ".")
            )
        return say("Pengingat dibatalkan: " + ", ".join(str(t) for t in stopped) + ".")

    def positions(self, chat: str, now: datetime) -> Reply:
        mine = self.store.positions(chat, now)
        if not mine:
            return say("Belum ada pengingat antrian.", HOW_TO)
        return say(
            *(f"• {p.ticket}: {_position_line(p)}" for p in mine), title="Posisi antrian Anda:"
        )

    def call(self, ticket: Ticket, counter: str, now: datetime) -> tuple[QueueState, int]:
        return self.store.call(ticket, counter, now, self)

    # ReminderTexts: the words the reminders carry.
    def near(self, mine: Ticket, remaining: int, called: Ticket, counter: str) -> str:
        return (
            f"⏰ Nomor {mine}{self._where(mine.prefix)}: tinggal {remaining} nomor lagi. "
            f"Sekarang {called} di loket {counter}. Mohon bersiap di dekat gerai."
        )

    def called(self, mine: Ticket, counter: str) -> str:
        return (
            f"🔔 Nomor {mine} DIPANGGIL ke loket {counter}{self._where(mine.prefix)}. "
            "Silakan segera ke sana."
        )

    def skipped(self, mine: Ticket, called: Ticket) -> str:
        return (
            f"Nomor {mine} tampaknya terlewat: yang dipanggil sekarang {called}. "
            "Jangan khawatir: segera temui petugas gerai atau loket informasi, "
            "tunjukkan tiket Anda."
        )


def _called(state: QueueState | None) -> str:
    return str(Ticket(state.prefix, state.number)) if state else "belum ada"


def _position_line(position: Position) -> str:
    if position.state is None:
        return (
            f"Antrian {position.ticket.prefix} belum ada yang dipanggil hari ini "
            f"(sekitar {position.remaining} nomor sebelum Anda)."
        )
    if position.remaining < 0:
        return f"terlewat (sekarang {_called(position.state)})."
    return (
        f"Sekarang dipanggil {_called(position.state)} di loket {position.state.counter}; "
        f"tinggal {position.remaining} nomor lagi."
    )
