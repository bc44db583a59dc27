"""Announcements (pengumuman) in the conversation: checked, shown on top, listed for staff.

The same rules serve every way staff create one (Telegram /umumkan, the HTTP admin API), and
every channel shows them, because the conversation core puts them on its replies.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from handlers.format import hhmm, short_date
from handlers.queue import QueueFlow
from handlers.types import Block, Reply, say
from knowledge.catalogue import Catalogue
from state.announcements import Announcement, AnnouncementStore

MAX_TEXT = 500
TITLE = "📢 Pengumuman"
# "... sampai 12.00", "... s/d 2/12 14:00", "10.00-12.00", "... sampai besok"
_UNTIL = re.compile(
    r"(?:\bsampai|\bs/d|\bs\.d\.?|\bhingga|\buntil|-|–)\s*"
    r"(?P<spec>besok|\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}[:.]\d{2})?"
    r"|\d{1,2}/\d{1,2}(?:/\d{4})?(?:\s+\d{1,2}[:.]\d{2})?|\d{1,2}[:.]\d{2})"
    r"\s*(?:wib)?\s*[.!]?\s*$",
    re.IGNORECASE,
)


class AnnouncementError(ValueError):
    """Staff gave something unusable; the message says what, in words staff understand."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def end_of_day(now: datetime) -> datetime:
    """Midnight at the end of `now`'s local day: the default end of an announcement."""
    return datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=now.tzinfo)


def until_text(until: datetime, now: datetime) -> str:
    until = until.astimezone(now.tzinfo)
    if until == end_of_day(now):
        return "hari ini"
    day = "" if until.date() == now.date() else f"{short_date(until.date())} "
    if until.time() == time(0):
        return f"s.d. akhir {short_date(until.date() - timedelta(days=1))}"
    return f"s.d. {day}{hhmm(until.time())}"


def check(
    cat: Catalogue, text: str, agency: str | None, until: datetime | None, now: datetime
) -> tuple[str, str | None, datetime]:
    """The cleaned (text, agency, until); AnnouncementError names the field that is wrong."""
    text = " ".join(str(text or "").split())
    if not text:
        raise AnnouncementError("text", "text: the announcement has no text")
    if len(text) > MAX_TEXT:
        raise AnnouncementError("text", f"text: {len(text)} characters, at most {MAX_TEXT}")
    if agency is not None and agency not in cat.agencies:
        raise AnnouncementError("agency", f"agency: unknown agency '{agency}'")
    until = until or end_of_day(now)
    if until.tzinfo is None:
        until = until.replace(tzinfo=now.tzinfo)
    if until <= now:
        raise AnnouncementError("until", "until: the end time is already past")
    return text, agency, until


def parse_staff_text(cat: Catalogue, args: str, now: datetime) -> tuple[str, str | None, datetime]:
    """`[instansi] teks [sampai 12.00 | 2/12 | besok]` as typed after /umumkan."""
    words = args.split()
    agency = _agency_word(cat, words[0]) if words else None
    if agency:  # the first word chose the agency; anything else is text for everyone
        words = words[1:]
    text = " ".join(words)
    found = _UNTIL.search(text)
    until = _until(found.group("spec"), now) if found else None
    return check(cat, text, agency, until, now)


def _agency_word(cat: Catalogue, word: str) -> str | None:
    word = word.lower().strip(":,")
    for agency in cat.agencies.values():
        if word == agency.id or word in (n.lower() for n in agency.short_names):
            return agency.id
    return None


def _until(spec: str, now: datetime) -> datetime:
    spec = spec.lower().replace(".", ":").replace("t", " ")
    if spec == "besok":
        return end_of_day(now + timedelta(days=1))
    day, _, clock = spec.rpartition(" ") if " " in spec else ("", "", spec)
    if ":" not in clock:
        day, clock = spec, ""
    when = _day(day, now) if day else now.date()
    if not clock:
        return datetime.combine(when + timedelta(days=1), time(0), tzinfo=now.tzinfo)
    hour, minute = (int(p) for p in clock.split(":"))
    if hour > 23 or minute > 59:
        raise AnnouncementError("until", f"until: '{clock}' is not a time of day")
    return datetime.combine(when, time(hour, minute), tzinfo=now.tzinfo)


def _day(spec: str, now: datetime) -> date:
    try:
        if "-" in spec:
            return date.fromisoformat(spec)
        parts = [int(p) for p in spec.split("/")]
        year = parts[2] if len(parts) > 2 else now.year
        return date(year, parts[1], parts[0])
    except ValueError:
        raise AnnouncementError("until", f"until: '{spec}' is not a date") from None


def with_notices(reply: Reply, active: list[Announcement]) -> Reply:
    """Put what is in force for the whole MPP, and for the reply's agency, on top."""
    shown = [a for a in active if a.agency is None or a.agency == reply.about]
    if not shown:
        return reply
    block = Block([f"• {a.text}" if len(shown) > 1 else a.text for a in shown], title=TITLE)
    return replace(reply, blocks=[block, *reply.blocks])


def staff_list(cat: Catalogue, active: list[Announcement], now: datetime) -> Reply:
    """/pengumuman: what is in force, numbered as /hapus wants it."""
    if not active:
        return say("Tidak ada pengumuman aktif.", "Buat: /umumkan [instansi] teks [sampai 12.00]")
    lines = []
    for a in active:
        who = cat.agencies[a.agency].short_names[:1] if a.agency in cat.agencies else []
        where = (who[0] if who else a.agency) if a.agency else "semua"
        lines.append(f"{a.id}. [{where}, {until_text(a.until, now)}] {a.text}")
    lines.append("Akhiri dengan /hapus NOMOR.")
    return say(*lines, title="Pengumuman aktif:")


def created_reply(cat: Catalogue, made: Announcement, now: datetime) -> Reply:
    where = cat.agencies[made.agency].name if made.agency else "semua jawaban"
    return say(
        f"Pengumuman {made.id} dipasang untuk {where}, berlaku {until_text(made.until, now)}.",
        "Ubah masa berlaku: tambahkan di akhir teks 'sampai 12.00', 'sampai 2/12' "
        "atau 'sampai besok'. Akhiri: /hapus " + str(made.id),
    )


def notify_holders(queue: QueueFlow, cat: Catalogue, made: Announcement, now: datetime) -> int:
    """Send the announcement once to each chat waiting with a ticket today, through the
    reminder outbox; an agency's notice only to its own queue when it has a queue prefix."""
    agency = cat.agencies.get(made.agency or "")
    prefixes = frozenset({agency.queue_prefix}) if agency and agency.queue_prefix else None
    text = f"{TITLE}: {made.text}"
    return queue.store.broadcast(f"announcement:{made.id}", text, now, prefixes)


class StaffAnnouncements:
    """What staff do with announcements, whatever the channel: create, list, end."""

    def __init__(self, store: AnnouncementStore, queue: QueueFlow | None = None) -> None:
        self.store = store
        self.queue = queue

    def create(
        self, cat: Catalogue, args: str, now: datetime, by: str, notify: bool = False
    ) -> Reply:
        """/umumkan; with `notify`, also sent to today's ticket holders (/umumkan_kirim)."""
        if not args.strip():
            return say(
                "Format: /umumkan [instansi] teks [sampai 12.00]",
                "Contoh: /umumkan samsat Sistem Samsat offline sampai 12.00",
            )
        try:
            text, agency, until = parse_staff_text(cat, args, now)
        except AnnouncementError as exc:
            return say(f"Pengumuman belum dipasang: {_staff_words(exc)}")
        made = self.store.add(text, agency, until, now, by)
        reply = created_reply(cat, made, now)
        if notify and self.queue is not None:
            sent = notify_holders(self.queue, cat, made, now)
            reply = say(*reply.blocks[0].lines, f"Dikirim ke {sent} pemegang antrian hari ini.")
        return reply

    def end(self, args: str, now: datetime) -> Reply:
        ident = args.strip().lstrip("#")
        if not ident.isdigit():
            return say("Format: /hapus NOMOR (lihat nomornya di /pengumuman)")
        if self.store.end(int(ident), now):
            return say(f"Pengumuman {ident} diakhiri.")
        return say(f"Tidak ada pengumuman aktif bernomor {ident}. Lihat /pengumuman.")


def _staff_words(exc: AnnouncementError) -> str:
    return {
        "text": f"teksnya kosong atau lebih dari {MAX_TEXT} huruf.",
        "agency": "instansi tidak dikenal.",
        "until": "waktu berakhirnya sudah lewat atau tidak terbaca.",
    }[exc.field]
