"""The replies the conversation gives: an entry's card, a menu, the fallback, commands.

A mixin of `Assistant` (handlers/conversation.py), which decides WHICH reply a turn gets; the
methods here only build it from the catalogue and opening hours in use now.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.cards import (
    agency_card,
    facility_card,
    place,
    service_card,
    service_detail,
)
from handlers.info import BROWSE_REF, browse_reply, facilities_reply, info_reply
from handlers.queue import QueueFlow
from handlers.smalltalk import greeting_reply, help_reply, menu_reply
from handlers.types import Block, Choice, Incoming, Reply, say
from handlers.wording import (
    ANONYMOUS,
    COMMANDS,
    FORM_AGENCY,
    FORM_REFS,
    NO_REMINDERS,
    QUEUE_COMMANDS,
)
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.matcher import Matcher, MatchResult


class Replies:
    """Reply builders; the class using it provides the knowledge in use and the queue flow."""

    catalogue: Catalogue
    hours: OpeningHours
    matcher: Matcher
    queue: QueueFlow | None

    def _command(self, name: str, msg: Incoming, args: str = "") -> Reply:
        if name == "menu":
            return menu_reply()
        if name in QUEUE_COMMANDS:
            return self._queue_command(name, msg, args)
        refs = {"instansi": "info:instansi", "jam": "info:jam-buka", "lokasi": "info:lokasi"}
        if name in refs:
            return self.open_ref(refs[name], msg)
        if name == "layanan":
            return browse_reply(self.catalogue)
        if name == "fasilitas":
            return facilities_reply(self.catalogue)
        if name == "help":
            return help_reply()
        return greeting_reply(self.catalogue.mpp.name)

    def _queue_command(self, name: str, msg: Incoming, args: str) -> Reply:
        if self.queue is None or msg.chat is None:
            return say(NO_REMINDERS, choices=[Choice("Cara ambil antrian", "info:antrian")])
        if name == "batal":
            return self.queue.cancel(msg.chat, args, msg.now)
        if name == "posisi" or not args.strip():
            return self.queue.positions(msg.chat, msg.now)
        if msg.anonymous:
            return say(ANONYMOUS)
        return self.queue.subscribe(msg.chat, args, msg.now)

    def _form_reply(self, code: str) -> Reply:
        """ "formulir F-1.02 dimana": population forms belong to Dukcapil; say where it is."""
        agency = self.catalogue.agencies[FORM_AGENCY]
        choices = [self._choice(ref) for ref in FORM_REFS if self.catalogue.get(ref)]
        return say(
            f"{code.upper().replace(' ', '')} adalah kode formulir kependudukan (Dukcapil), "
            "misalnya F-1.02 untuk KK baru atau pisah KK.",
            f"Formulirnya tanyakan di gerai Dukcapil ({place(agency)}) atau loket informasi MPP.",
            choices=choices,
        )

    def _smalltalk(self, kind: str, salam: bool = False) -> Reply:
        if kind == "help":
            return help_reply()
        if kind == "thanks":
            return say(
                "Sama-sama! Semoga urusannya lancar. 🙏",
                "Ada lagi yang ingin ditanyakan? Ketik saja.",
            )
        return greeting_reply(self.catalogue.mpp.name, salam)

    def open_ref(self, ref: str, msg: Incoming, lead: str | None = None) -> Reply:
        """The answer for one entry, by ref: what a pressed button or a clear match opens."""
        # Cards compare clock times with opening hours: always in the MPP's own zone.
        cat, now = self.catalogue, self.hours.local(msg.now)
        kind, _, ident = ref.partition(":")
        if kind == "detail" and ident.removeprefix("service:") in cat.services:
            service = cat.services[ident.removeprefix("service:")]
            return replace(service_detail(service, cat), about=service.agency)
        if kind == "service" and ident in cat.services:
            service = cat.services[ident]
            card = service_card(service, cat, self.hours, now, lead)
            return replace(card, about=service.agency)
        if kind == "agency" and ident in cat.agencies:
            return replace(agency_card(cat.agencies[ident], cat, self.hours, now), about=ident)
        if kind == "facility" and ident in cat.facilities:
            return facility_card(cat.facilities[ident])
        if ref == BROWSE_REF:
            return browse_reply(cat)
        if kind == "info" and ident in cat.info:
            return info_reply(ref, cat, self.hours, now)
        if kind == "cmd" and ident in (*COMMANDS, "menu"):  # a topic of the main menu
            return self._command(ident, msg)
        # A stale button from an older catalogue, or an id never offered: say so kindly.
        return say(
            "Maaf, pilihan tidak dikenal atau sudah tidak tersedia. "
            "Silakan ketik pertanyaan Anda lagi."
        )

    def answer(self, result: MatchResult, msg: Incoming, lead: str | None = None) -> Reply:
        lead = lead or next(iter(sorted(result.intents)), None)
        if result.status == "answer" and result.best:
            return self._with_alternatives(self.open_ref(result.best, msg, lead), result)
        if result.status == "ambiguous":
            shown = result.results[: self.matcher.policy.max_options]
            options = [self._choice(m.ref) for m in shown]
            if len(options) > 1:
                return say("Maksud Anda yang mana? Silakan pilih:", choices=options)
            # One close guess: ask, and say where else to turn if it is not that.
            return say(
                "Apakah maksud Anda layanan ini?",
                f"Jika bukan, silakan tanya langsung di loket informasi MPP ({self._desk()}).",
                choices=options,
            )
        return self.fallback(result)

    def _with_alternatives(self, card: Reply, result: MatchResult) -> Reply:
        """The answer, and what the question could as well have meant one tap away: the
        citizen who asked "syarat skck" for a renewal is not made to pick before reading."""
        if not result.alternatives:
            return card
        others = [self._choice(ref) for ref in result.alternatives]
        names = " / ".join(c.label for c in others)
        line = Block([f"Atau maksud Anda {names}? Pilih di bawah."])
        return replace(card, blocks=[*card.blocks, line], choices=[*card.choices, *others])

    def _choice(self, ref: str) -> Choice:
        entry = self.catalogue.get(ref)
        return Choice(entry.name if entry else ref, ref)

    def _desk(self) -> str:
        desk = self.catalogue.facilities.get("loket-informasi")
        return (desk and desk.location) or self.catalogue.mpp.address

    def fallback(self, result: MatchResult) -> Reply:
        """Out of scope: say so kindly and point to the info desk. No menu of guesses: a list
        of unrelated services ("wisata" -> TDUP) reads as not having listened."""
        first = "Maaf, saya belum menemukan layanan MPP yang cocok dengan pertanyaan itu. 🙏"
        if result.elsewhere:
            # Another town's office, another bank, chit-chat: say why, not "not found yet".
            first = (
                f"Maaf, itu di luar layanan {self.catalogue.mpp.name}, jadi saya tidak punya "
                "datanya. 🙏"
            )
        return say(
            first,
            f"Untuk hal lain, silakan tanya langsung di loket informasi MPP ({self._desk()}).",
            choices=[Choice("Daftar instansi", "info:instansi")],
        )
