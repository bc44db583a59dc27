"""Queue reminders in the conversation: subscribe, cancel, where am I, and the words sent."""

from __future__ import annotations

import re
from datetime import datetime

from handlers.types import Block, Reply, say
from knowledge.catalogue import Catalogue
from knowledge.tickets import Ticket, find_ticket, find_tickets
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
# One call would otherwise queue a message per ticket of one chat and delay everyone else's.
MAX_TICKETS_PER_DAY = 5
ALL_WORDS = {"semua", "all", "semuanya"}


def ticket_in(text: str) -> Ticket | None:
    """The ticket a message is about, when it is about a ticket at all (cheap tests first:
    most messages are questions, some are very long)."""
    alone = re.fullmatch(r"\s*[A-Za-z]{1,2}[\s\-.]?[0-9]{1,4}\s*[.!?]*\s*", text) is not None
    if not alone and not set(re.findall(r"[a-z]+", text.lower())) & QUEUE_WORDS:
        return None
    return find_ticket(text)


class QueueFlow:
    """Subscriptions and calls for one channel's chats, worded for citizens."""

    def __init__(
        self, store: ReminderStore, catalogue: Catalogue, survey_offer: str | None = None
    ) -> None:
        self.store = store
        self.survey_offer = survey_offer  # a line added to the "called" reminder (SKM survey)
        self.prefix_agency = {
            a.queue_prefix: a for a in catalogue.agencies.values() if a.queue_prefix
        }

    def _where(self, prefix: str) -> str:
        agency = self.prefix_agency.get(prefix)
        return f" ({agency.name})" if agency else ""

    def subscribe(self, chat: str, text: str, now: datetime) -> Reply:
        """Every ticket in the text, one paragraph each; the daily limit said once, kindly."""
        tickets = find_tickets(text)
        if not tickets:
            return say("Nomor tiket tidak terbaca. 🙏", HOW_TO)
        before = self.store.subscribed_today(chat, now)
        room = MAX_TICKETS_PER_DAY - len(before)
        blocks, refused, followed = [], [], False
        for ticket in tickets:
            if ticket not in before and room <= 0:
                refused.append(str(ticket))
                continue
            room -= ticket not in before
            lines, subscribed = self._subscribe_one(chat, ticket, now)
            blocks.append(Block(lines))
            followed = followed or subscribed
        if followed:
            thresholds = " dan ".join(str(t) for t in self.store.thresholds)
            blocks.append(
                Block(
                    [
                        f"Saya kabari saat tinggal {thresholds} nomor lagi, dan saat dipanggil.",
                        "Untuk membatalkan, ketik: batal. "
                        "Pengingat berlaku sampai hari ini berakhir.",
                    ]
                )
            )
        if refused:
            blocks.append(Block([_limit_line(refused)]))
        return Reply(blocks)

    def _subscribe_one(self, chat: str, ticket: Ticket, now: datetime) -> tuple[list[str], bool]:
        position = Position(ticket, self.store.state(ticket.prefix, now))
        if position.remaining < 0:
            return [
                f"Nomor {ticket} sudah terlewat: antrian {ticket.prefix} sudah sampai "
                f"{_called(position.state)}.",
                "Silakan langsung ke loket informasi atau petugas gerai.",
            ], False
        if position.remaining == 0 and position.state:
            return [
                f"Nomor {ticket} sedang dipanggil ke loket {position.state.counter}! "
                "Silakan segera ke sana."
            ], False
        self.store.subscribe(chat, ticket, now)
        return [
            f"Siap! Saya ingatkan nomor {ticket}{self._where(ticket.prefix)}.",
            _position_line(position),
        ], True

    def cancel(self, chat: str, text: str, now: datetime) -> Reply:
        """/batal stops all; /batal A030 one; anything else stops nothing and says so."""
        words = set(re.findall(r"\w+", text.lower()))
        tickets = find_tickets(text)
        if words and not tickets and not words <= ALL_WORDS:
            return say(
                f'Maaf, nomor tiket "{text.strip()[:30]}" tidak terbaca, jadi tidak ada '
                "pengingat yang dibatalkan.",
                "Batalkan satu nomor: /batal A030. Batalkan semua: /batal semua.",
            )
        stopped: list[Ticket] = []
        for ticket in tickets or [None]:
            stopped += self.store.cancel(chat, now, ticket)
        if not stopped:
            named = ", ".join(str(t) for t in tickets)
            return say(
                "Tidak ada pengingat antrian yang aktif" + (f" untuk {named}." if named else ".")
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
        text = (
            f"🔔 Nomor {mine} DIPANGGIL ke loket {counter}{self._where(mine.prefix)}. "
            "Silakan segera ke sana."
        )
        return f"{text}\n\n{self.survey_offer}" if self.survey_offer else text

    def recalled(self, mine: Ticket, counter: str) -> str:
        return (
            f"🔔 Nomor {mine} DIPANGGIL ULANG ke loket {counter}{self._where(mine.prefix)}. "
            "Silakan segera ke sana."
        )

    def skipped(self, mine: Ticket, called: Ticket) -> str:
        return (
            f"Nomor {mine} tampaknya terlewat: yang dipanggil sekarang {called}. "
            "Jangan khawatir: segera temui petugas gerai atau loket informasi, "
            "tunjukkan tiket Anda."
        )


def _limit_line(refused: list[str]) -> str:
    return (
        f"Nomor {', '.join(refused)} belum bisa saya ingatkan: satu chat bisa memasang paling "
        f"banyak {MAX_TICKETS_PER_DAY} nomor sehari (yang sudah dibatalkan ikut terhitung). 🙏 "
        "Untuk nomor lain, silakan tanya petugas di loket informasi."
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
