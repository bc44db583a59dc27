"""The conversation core: an incoming message becomes a channel-neutral reply."""

from __future__ import annotations

from handlers.cards import agency_card, facility_card, service_card
from handlers.info import browse_reply, facilities_reply, info_reply
from handlers.queue import QueueFlow, ticket_in
from handlers.smalltalk import SMALLTALK, greeting_reply, help_reply, smalltalk_kind
from handlers.types import Choice, Incoming, Reply, say
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.matcher import Matcher, MatchResult
from knowledge.normalize import fold

NON_TEXT = (
    "Maaf, saya hanya bisa membaca pesan teks. 🙏\n"
    "Silakan ketik pertanyaan Anda, misalnya: syarat perpanjang STNK."
)

# Commands every channel offers: name -> what it does (shown in the channel's command menu).
COMMANDS = {
    "start": "Mulai dan lihat contoh pertanyaan",
    "help": "Cara memakai asisten",
    "instansi": "Instansi di MPP, letak gerai, buka atau tutup",
    "layanan": "Telusuri layanan per instansi",
    "jam": "Jam buka hari ini dan jadwal mingguan",
    "lokasi": "Alamat dan peta MPP",
    "fasilitas": "Fasilitas: laktasi, ruang bermain anak, toilet, ATM...",
    "antrian": "Ingatkan saya nomor antrian, contoh: /antrian A030",
    "posisi": "Posisi nomor antrian saya",
    "batal": "Batalkan pengingat antrian",
}
NO_REMINDERS = (
    "Pengingat antrian hanya tersedia lewat Telegram. "
    "Di sini saya bisa menjelaskan cara mengambil antrian."
)


class Assistant:
    """Holds the long-lived knowledge (catalogue, matcher, hours), built once at start-up."""

    def __init__(
        self, catalogue: Catalogue, matcher: Matcher | None = None, queue: QueueFlow | None = None
    ) -> None:
        self.catalogue = catalogue
        self.matcher = matcher or Matcher(catalogue)
        self.hours = OpeningHours(catalogue.mpp)
        self.queue = queue  # None where no channel can deliver reminders (the console)

    def handle(self, msg: Incoming) -> Reply:
        if msg.payload:
            return self.open_ref(msg.payload, msg)
        if msg.kind != "text" or msg.text is None:
            return say(NON_TEXT)
        text = msg.text.strip()
        if not any(c.isalnum() for c in fold(text)):
            return say(
                "Silakan ketik pertanyaan Anda tentang layanan di MPP. 🙂",
                "Contoh: syarat perpanjang STNK, jam buka, lokasi MPP.",
            )
        small = SMALLTALK.get(fold(text).strip(" !?.,"))
        if small:
            return self._smalltalk(small)
        if ticket_in(text):
            return self.command("antrian", msg, text)
        result = self.matcher.search(text)
        if not result.results:
            # "makasih min", "pagi kak": no question in it, only politeness.
            small = smalltalk_kind(text)
            if small:
                return self._smalltalk(small)
        return self.answer(result, msg)

    def command(self, name: str, msg: Incoming, args: str = "") -> Reply:
        """A menu command (/jam, /lokasi, /antrian A030...), the same in every channel."""
        if name in ("antrian", "batal", "posisi"):
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
        return self.queue.subscribe(msg.chat, args, msg.now)

    def _smalltalk(self, kind: str) -> Reply:
        if kind == "help":
            return help_reply()
        if kind == "thanks":
            return say(
                "Sama-sama! Semoga urusannya lancar. 🙏",
                "Ada lagi yang ingin ditanyakan? Ketik saja.",
            )
        return greeting_reply(self.catalogue.mpp.name)

    def open_ref(self, ref: str, msg: Incoming, lead: str | None = None) -> Reply:
        """The answer for one entry, by ref: what a pressed button or a clear match opens."""
        cat, now = self.catalogue, msg.now
        kind, _, ident = ref.partition(":")
        if kind == "service" and ident in cat.services:
            return service_card(cat.services[ident], cat, self.hours, now, lead)
        if kind == "agency" and ident in cat.agencies:
            return agency_card(cat.agencies[ident], cat, self.hours, now)
        if kind == "facility" and ident in cat.facilities:
            return facility_card(cat.facilities[ident])
        if kind == "info" and ident in cat.info:
            return info_reply(ref, cat, self.hours, now)
        # A stale button from an older catalogue: say so instead of failing.
        return say("Maaf, pilihan itu sudah tidak tersedia. Silakan ketik pertanyaan Anda lagi.")

    def answer(self, result: MatchResult, msg: Incoming) -> Reply:
        lead = next(iter(sorted(result.intents)), None)
        if result.status == "answer" and result.best:
            return self.open_ref(result.best, msg, lead)
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

    def _choice(self, ref: str) -> Choice:
        entry = self.catalogue.get(ref)
        return Choice(entry.name if entry else ref, ref)

    def _desk(self) -> str:
        desk = self.catalogue.facilities.get("loket-informasi")
        return (desk and desk.location) or self.catalogue.mpp.address

    def fallback(self, result: MatchResult) -> Reply:
        """Out of scope: say so kindly and point to the info desk. No menu of guesses: a list
        of unrelated services ("wisata" -> TDUP) reads as not having listened."""
        return say(
            "Maaf, saya belum menemukan layanan MPP yang cocok dengan pertanyaan itu. 🙏",
            f"Untuk hal lain, silakan tanya langsung di loket informasi MPP ({self._desk()}).",
            choices=[Choice("Daftar instansi", "info:instansi")],
        )
