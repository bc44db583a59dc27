"""Replies for citizens and visitors who write in English.

The catalogue's facts (requirements, names, places) are written in Indonesian from Indonesian
sources, and a machine translation of a requirement could change its meaning. What can be said
in English safely is the frame around them: the labels ("Syarat" -> "Requirements"), the days,
whether it is open now, the prompts of a menu and the fallback. The facts stay as written, with
one line that says so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from handlers.types import Block, Choice, Reply
from knowledge.normalize import fold

# Everyday English words: a message is English when half its words are, so a stray "ok" or
# "sim a" in an Indonesian message never makes it one.
ENGLISH_WORDS = """
    how what where when which who why whom whose do does did can could would should will is are
    was were am be been have has had i i'm im my me mine you your we our they their he she his
    her it its the an to of for from in on at with about into need needs want wants get got
    renew renewing lost lose apply applying make making please hi hello thanks thank much there
    here this that these those if and or but not no yes any some much many long cost costs fee
    fees price open opening closed close hours time days day office building counter service
    services document documents card certificate license licence tax bill pay paying payment
    register registration new old driving water birth marriage letter still just also good
    morning afternoon evening ok okay sorry excuse anyone a buy go going find near nearest best
    way know tell help what's where's how's it's we're they're don't can't i'd i've app mall
    today number next month week year permit police rent somewhere people person child
"""
ENGLISH = frozenset(ENGLISH_WORDS.split())
MIN_WORDS = 3  # "ktp hilang" is no language to tell by; "how to renew" is
MIN_SHARE = 0.5  # of the message's words: "mau tanya, how much biaya ktp?" stays Indonesian

NOTE = "(The service details below are written in Indonesian, as the agencies publish them.)"

# Whole phrases first, then labels at the start of a line, then single words (days).
PHRASES = (
    ("Saya asisten", "I am the assistant of"),
    (
        "Tanyakan layanan apa saja: persyaratan, biaya, lama proses, gerai, dan jam buka.",
        "Ask about any service: requirements, fees, processing time, counters and opening hours.",
    ),
    ("Contoh:", "For example (in Indonesian):"),
    ("Halo!", "Hello!"),
    (
        "Jam buka MPP Among Warga belum diumumkan resmi; jadwal ini perkiraan.",
        "MPP Among Warga has not announced its opening hours officially; these are estimates.",
    ),
    ("Mohon pastikan ke loket informasi.", "Please confirm at the information desk."),
    ("Jam layanan MPP", "MPP opening hours"),
    ("menurut perkiraan ini sekarang buka, sampai", "by this estimate open now, until"),
    ("perkiraan, biasanya buka", "estimated, usually open"),
    ("sekarang tutup, buka lagi besok", "closed now, opens again tomorrow"),
    ("sekarang tutup, buka lagi hari ini", "closed now, opens again today"),
    ("sekarang tutup, buka lagi", "closed now, opens again"),
    ("perkiraan buka lagi besok", "estimated to open again tomorrow"),
    ("perkiraan buka lagi hari ini", "estimated to open again today"),
    ("perkiraan buka lagi", "estimated to open again"),
    ("hari ini libur", "today is a holiday"),
    ("Belum ada di MPP Among Warga. Silakan ke:", "Not (yet) at MPP Among Warga. Please go to:"),
    ("Pasti dilayani di:", "Surely served at:"),
    ("alamat belum dipastikan", "address not confirmed yet"),
    (" pukul ", " at "),
    ("Maksud Anda yang mana? Silakan pilih:", "Which one do you mean? Please choose:"),
    ("Apakah maksud Anda layanan ini?", "Do you mean this service?"),
    (
        "Maaf, saya belum menemukan layanan MPP yang cocok dengan pertanyaan itu.",
        "Sorry, I could not find an MPP service that matches that question.",
    ),
    (
        "Untuk hal lain, silakan tanya langsung di loket informasi MPP",
        "For anything else, please ask at the MPP information desk",
    ),
    (
        "Jika bukan, silakan tanya langsung di loket informasi MPP",
        "If not, please ask at the MPP information desk",
    ),
    ("jadi saya tidak punya datanya.", "so I have no information on it."),
    ("Maaf, itu di luar layanan", "Sorry, that is outside the services of"),
    ("Pilih di bawah.", "Choose below."),
    ("Atau maksud Anda", "Or did you mean"),
    ("sedang BUKA", "OPEN now"),
    ("sudah TUTUP", "CLOSED now"),
    ("belum buka", "not open yet"),
    ("Buka lagi", "Opens again"),
    ("belum ada data, tanyakan di loket informasi", "no data yet, ask at the information desk"),
    ("belum diketahui", "not known yet"),
    ("lama proses", "processing time"),
    ("belum dipastikan", "not confirmed yet"),
    ("tanyakan dulu sebelum datang", "ask before you come"),
    ("Tanyakan di loket informasi MPP", "Ask at the MPP information desk"),
    ("Libur nasional dan cuti bersama: tutup.", "Closed on national and collective holidays."),
    ("Disusun dari sumber publik", "Compiled from public sources"),
    ("Pastikan ke petugas di sana.", "Please confirm with the staff there."),
    ("Belum pasti:", "Not yet confirmed:"),
    ("persyaratan", "requirements"),
    ("tekan Detail", "press Detail"),
    ("syarat lain", "more requirements"),
    ("• dan ", "• and "),
    ("Hari ini", "Today"),
    ("Besok", "Tomorrow"),
    ("Gratis", "Free"),
)
LABELS = (
    ("Syarat lengkap:", "All requirements:"),
    ("Syarat:", "Requirements:"),
    ("Biaya:", "Fee:"),
    ("Lama proses:", "Processing time:"),
    ("Penting:", "Important:"),
    ("Alur:", "Steps:"),
    ("Catatan:", "Note:"),
    ("Tempat:", "Place:"),
    ("Letak:", "Location:"),
    ("Jam:", "Hours:"),
    ("Kontak", "Contact"),
    ("Peta:", "Map:"),
    ("Alamat:", "Address:"),
    ("Jadwal mingguan:", "Weekly hours:"),
    ("Fasilitas di MPP:", "Facilities at the MPP:"),
)
DAYS = {
    "Senin": "Monday",
    "Selasa": "Tuesday",
    "Rabu": "Wednesday",
    "Kamis": "Thursday",
    "Jumat": "Friday",
    "Sabtu": "Saturday",
    "Minggu": "Sunday",
    "tutup": "closed",
}
DAY_WORD = re.compile(r"\b(" + "|".join(DAYS) + r")\b")
BUTTONS = {
    "Daftar instansi": "List of agencies",
    "Lihat info lengkap": "See everything",
    "Jam buka": "Opening hours",
    "Lokasi": "Location",
    "Layanan per instansi": "Services by agency",
    "Fasilitas": "Facilities",
    "Cara ambil antrian": "Queue tickets",
    "Posisi antrian saya": "My place in the queue",
    "Cara memakai asisten": "How to use this assistant",
}
FACT_LABELS = ("Syarat", "Biaya:", "Tempat:")  # a card with facts gets the NOTE


def written_in_english(text: str | None, before: bool = False) -> bool:
    """Mostly English words: the reply's frame goes in English too. A message too short to
    tell by ("cost?", a button) goes on in the language of the chat so far (`before`)."""
    words = re.findall(r"[a-z']+", fold(text or ""))
    if len(words) < MIN_WORDS:
        return before
    return sum(w in ENGLISH for w in words) / len(words) >= MIN_SHARE


def in_english(reply: Reply) -> Reply:
    """The reply's labels, prompts and days in English; the catalogue's facts as they are."""
    facts = any(line.startswith(FACT_LABELS) for b in reply.blocks for line in b.lines)
    blocks = [Block([_line(x) for x in b.lines], b.title and _line(b.title)) for b in reply.blocks]
    if facts:
        blocks = [Block([NOTE]), *blocks]
    choices = [Choice(BUTTONS.get(c.label, c.label), c.payload) for c in reply.choices]
    return replace(reply, blocks=blocks, choices=choices)


def _line(text: str) -> str:
    for indonesian, english in LABELS:
        if text.startswith(indonesian):
            text = english + text[len(indonesian) :]
            break
    for indonesian, english in PHRASES:
        text = text.replace(indonesian, english)
    return DAY_WORD.sub(lambda m: DAYS[m.group(1)], text)
