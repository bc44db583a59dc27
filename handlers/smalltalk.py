"""Greetings, help and thanks: the messages that are not questions about a service."""

from __future__ import annotations

import re

from handlers.followup import words
from handlers.types import Choice, Reply, say
from knowledge.normalize import fold

_GREETINGS = (
    "halo",
    "hallo",
    "hai",
    "hi",
    "hello",
    "hey",
    "p",
    "pagi",
    "siang",
    "sore",
    "malam",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "permisi",
    "assalamualaikum",
    "assalamu'alaikum",
    "asalamualaikum",
    "salam",
    "min",
    "admin",
    "halo min",
    "hai min",
    "pagi min",
    "siang min",
    "punten",
    "start",
    "mulai",
    "/start",
)
_HELP = ("help", "bantuan", "tolong", "/help", "bisa apa", "bisa apa saja", "?", "info")
_THANKS = (
    "terima kasih",
    "terimakasih",
    "makasih",
    "makasi",
    "thanks",
    "thank you",
    "trims",
    "suwun",
    "matur nuwun",
    "tengkyu",
    "ok makasih",
    "oke makasih",
    "siap terima kasih",
)

SMALLTALK = {
    **{g: "greeting" for g in _GREETINGS},
    **{h: "help" for h in _HELP},
    **{t: "thanks" for t in _THANKS},
}

_THANKS_WORDS = {
    "mksh",
    "mks",
    "maksih",
    "makasii",
    "trimakasih",
    "trmksh",
    "maturnuwun",
    "matursuwun",
    "thanx",
    "tks",
    "makasih",
    "makasi",
    "terimakasih",
    "kasih",
    "thanks",
    "thank",
    "trims",
    "suwun",
    "nuwun",
    "tengkyu",
    "thx",
    "tq",
}
_GREETING_WORDS = {
    "sugeng",
    "enjing",
    "morning",
    "evening",
    "afternoon",
    "lur",
    "halo",
    "hallo",
    "hai",
    "hi",
    "hello",
    "pagi",
    "siang",
    "sore",
    "malam",
    "assalamualaikum",
    "permisi",
    "punten",
    "salam",
}


# Words of an opening that asks nothing yet: "assalamualaikum min, numpang tanya ya",
# "nyuwun sewu, badhe nyuwun pirsa". Read before the matcher, which would find "numpang nikah".
_OPENING_WORDS = _GREETING_WORDS | words(
    "min admin kak mas mbak pak bu bapak ibu dik gan sis om bang selamat wr wb warahmatullahi "
    "wabarakatuh assalamu alaikum salamualaikum numpang mau ingin boleh bisa izin ijin tanya "
    "nanya bertanya pertanyaan ya yaa nggih njih ngih dong nih sebentar bentar sekalian "
    "nyuwun sewu pirsa badhe ajeng kulo kula takon tak saya aku sy mo mw"
)

# An opening must greet or say it is about to ask: "ya" or "izin" (a permit) alone is none.
_ASKING = _GREETING_WORDS | words("tanya nanya bertanya numpang pirsa takon")


# "oke", "siap min", "ok sip": the citizen has read the answer.
_ACK_WORDS = words("ok oke okey okay okee sip siap noted baik mantap")
# "nuwun sewu" is "excuse me" (an opening), not "nuwun" (thanks).
_EXCUSE_ME = words("sewu pirsa")


def smalltalk_kind(text: str) -> str | None:
    """'thanks' or 'greeting' for a message made only of politeness, else None."""
    words = {w for w in re.split(r"[^a-z]+", fold(text)) if w}
    if words & _THANKS_WORDS and not words & _EXCUSE_ME:
        return "thanks"
    if words & _GREETING_WORDS or words & _EXCUSE_ME:
        return "greeting"
    return "thanks" if only_acknowledgement(text) else None


def only_acknowledgement(text: str) -> bool:
    """True for "ok sip", "siap min", "ok sip makasih": read before the matcher, which would
    find the SIP permit."""
    words = {w for w in re.split(r"[^a-z]+", fold(text)) if w}
    polite = _ACK_WORDS | _THANKS_WORDS
    if not words & polite or words & _EXCUSE_ME:
        return False
    return words <= polite | _OPENING_WORDS


def only_opening(text: str) -> bool:
    """True for a polite opening that asks nothing yet ("permisi min, mau tanya")."""
    words = {w for w in re.split(r"[^a-z]+", fold(text)) if w}
    return bool(words & _ASKING) and words <= _OPENING_WORDS


def opens_with_salam(text: str) -> bool:
    """ "Assalamualaikum" deserves its answer, "Waalaikumsalam", before anything else."""
    return bool(re.match(r"\W*(a?s+alamu|salamu?alaikum)", fold(text)))


EXAMPLES = (
    "syarat perpanjang STNK",
    "KTP hilang gimana",
    "bikin akta kelahiran",
    "jam buka",
    "lokasi MPP",
)

QUICK = [
    Choice("Jam buka", "info:jam-buka"),
    Choice("Lokasi", "info:lokasi"),
    Choice("Daftar instansi", "info:instansi"),
    Choice("Antrian", "info:antrian"),
]
# The main topics: what "menu" (and a greeting, on WhatsApp as a list) offers.
MENU = [
    *QUICK[:3],
    Choice("Layanan per instansi", "cmd:layanan"),
    Choice("Fasilitas", "cmd:fasilitas"),
    Choice("Cara ambil antrian", "info:antrian"),
    Choice("Posisi antrian saya", "cmd:posisi"),
    Choice("Cara memakai asisten", "cmd:help"),
]


def greeting_reply(mpp_name: str, salam: bool = False) -> Reply:
    hello = "Waalaikumsalam! " if salam else "Halo! "
    return say(
        f"{hello}Saya asisten {mpp_name}. 👋",
        "Tanyakan layanan apa saja: persyaratan, biaya, lama proses, gerai, dan jam buka.",
        "Contoh: " + "; ".join(EXAMPLES[:3]) + ".",
        choices=MENU,
    )


def menu_reply() -> Reply:
    return say(
        "Pilih topik, atau ketik pertanyaan Anda langsung (misalnya: syarat perpanjang STNK).",
        "Perintah bisa diketik: menu, jam, lokasi, instansi, fasilitas, antrian A030, posisi, "
        "batal.",
        title="Menu utama",
        choices=MENU,
    )


def help_reply() -> Reply:
    return say(
        "Ketik pertanyaan Anda dengan kata-kata sendiri, misalnya:",
        *(f"• {e}" for e in EXAMPLES),
        "Jika ada beberapa kemungkinan, saya tawarkan pilihan untuk ditekan.",
        "Hal yang belum bisa saya jawab: silakan ke loket informasi MPP.",
        title="Cara memakai asisten ini",
        choices=QUICK,
    )
