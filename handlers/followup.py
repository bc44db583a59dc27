"""Reading a message as a follow-up: a pick from the choices, 'detail', an attribute, a modifier.

Pure functions of the text (and the lexicon): the context itself is applied in
handlers/context.py. Words are compared after the lexicon's slang replacement, so "piro",
"suwe ora" and "nang endi" read as "berapa", "lama" and "lokasi".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from knowledge.normalize import Lexicon, affix_variants, fold, tokens


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, as people read a word list."""
    return frozenset(text.split())


# "2", "pilih 2", "nomor 2", "no. 2", "yang ke-2", "yang kedua", "pilihan pertama"...
_PICK = re.compile(
    r"(?:(?:saya|aku|sy)\s+)?(?:(?:pilih|pilihan|milih|nomor|nomer|no|nmr|opsi|angka|yang|yg|"
    r"itu|the)\s*)*(?:ke\s*-?\s*)?([a-z0-9]+)(?:\s+(?:aja|saja|ya|yaa|deh|dong|min|kak|one))*"
)
_ONLY_NUMBER = re.compile(r"[\d\s.,\-#()]*\d[\d\s.,\-#()]*")
ORDINALS = {
    **dict.fromkeys(("satu", "pertama", "kesatu", "first", "siji"), 1),
    **dict.fromkeys(("dua", "kedua", "second", "loro"), 2),
    **dict.fromkeys(("tiga", "ketiga", "third", "telu"), 3),
    **dict.fromkeys(("empat", "keempat", "fourth", "papat"), 4),
    **dict.fromkeys(("lima", "kelima", "fifth", "limo"), 5),
    **dict.fromkeys(("enam", "keenam"), 6),
    **dict.fromkeys(("tujuh", "ketujuh"), 7),
    **dict.fromkeys(("delapan", "kedelapan"), 8),
    **dict.fromkeys(("sembilan", "kesembilan"), 9),
    **dict.fromkeys(("sepuluh", "kesepuluh"), 10),
    **dict.fromkeys(("terakhir", "last"), -1),
}
MAX_PICK_DIGITS = 2  # "17" may pick from a long list; "0812..." never does

DETAIL_WORDS = words(
    "detail detailnya details detil detilnya selengkapnya lengkapnya lengkap rincian "
    "rinciannya lengkape jelasnya more"
)
DETAIL_FILLER = words(
    "lihat liat info informasi minta mau lebih yang ya dong min kak please tolong kasih buka "
    "ok oke"
)

# Canonical word -> the part of a card it asks about. "berapa" alone means the fee.
ATTRIBUTE_WORDS = {
    # "bayar" is not here: "bayarnya dimana" asks where, "bayar berapa" is already "biaya".
    **dict.fromkeys(("biaya", "gratis", "mahal", "murah", "tarif", "rp"), "fee"),
    **dict.fromkeys(
        ("lama", "selesai", "jadi", "kilat", "cepat", "sehari", "cair", "dino", "suwi", "suwe"),
        "duration",
    ),
    **dict.fromkeys(("syarat", "fotokopi", "dokumen", "bawa", "berkas"), "requirements"),
    **dict.fromkeys(("lokasi", "loket", "lantai", "letak", "tempat", "ruang", "endi"), "where"),
    **dict.fromkeys(("jam", "buka", "tutup", "libur", "operasional", "sabtu"), "hours"),
    **dict.fromkeys(("online", "daring", "website", "web", "aplikasi", "internet"), "online"),
    **dict.fromkeys(("wakil", "kuasa", "titip", "nitip", "diwakili", "perwakilan"), "represent"),
    **dict.fromkeys(("cara", "alur", "prosedur", "langkah", "tahapan"), "procedure"),
    "kontak": "contact",
    # English, as tourists and students write: "what documents do I need", "the cost?"
    **dict.fromkeys(("cost", "price", "fee", "fees"), "fee"),
    **dict.fromkeys(("documents", "document", "requirements", "requirement"), "requirements"),
    **dict.fromkeys(("hours", "schedule"), "hours"),
}
# Words of a follow-up that carry no topic ("terus kalau ... gimana?").
FILLER = words(
    "terus trus lalu kalau kalo klo lek nek misal ok oke jadi berapa bagaimana apa saja bisa "
    "isa iso ora orang lain sendiri hari waktu juga mas buat dong tidak sudah perlu harus kira "
    "sih nya berarti brarti bayar"
)


@dataclass(frozen=True)
class Reading:
    """What a message says beyond its topic: parts of a card asked for, and topic words left."""

    attributes: tuple[str, ...]
    content: tuple[str, ...]  # canonical words that could name or modify a service
    names_mpp: bool = False  # "jam buka mpp": about the building, whatever came before
    unknown: tuple[str, ...] = ()  # topic words the catalogue does not know ("ijazah")


class FollowUpReader:
    """Built once per lexicon: the lexicon without stopwords, so "berapa" is still seen."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.plain = replace(lexicon, stopwords=frozenset())

    def read(self, text: str) -> Reading:
        attributes: list[str] = []
        content: list[str] = []
        for word in tokens(text, self.plain):
            attribute = attribute_of(word)
            if attribute:
                attributes.append(attribute)
            elif word not in self.lexicon.stopwords and word not in FILLER:
                content.append(word)
        words = set(tokens(text, self.plain))
        if not attributes and words & {"berapa", "pirang"}:
            attributes.append("fee")
        if not attributes and not content and words & {"bayar", "paid", "pay"}:
            attributes.append("fee")  # "bayar gak?", "mbayar ta?": is there a fee at all
        if not attributes and words & {"kapan", "when"}:
            attributes.append("hours")  # "kapan?" after Kejari's tilang: which days it opens
        return Reading(tuple(dict.fromkeys(attributes)), tuple(content), "mpp" in words)


def attribute_of(word: str) -> str | None:
    """'biayanya' -> 'fee', 'diwakilkan' -> 'represent'; None for other words."""
    for form in (word, *affix_variants(word)):
        if form in ATTRIBUTE_WORDS:
            return ATTRIBUTE_WORDS[form]
    return None


def pick_of(text: str) -> int | None:
    """The choice a message picks by number: 1-based, -1 for 'the last one', 0 for a number
    that picks nothing ("17", "0812..."); None when it is no pick at all."""
    folded = re.sub(r"[^a-z0-9\- ]+", " ", fold(text)).strip()
    if not folded:
        return None
    if _ONLY_NUMBER.fullmatch(folded):
        digits = re.sub(r"\D", "", folded)
        return int(digits) if len(digits) <= MAX_PICK_DIGITS else 0
    m = _PICK.fullmatch(folded)
    if not m:
        return None
    word = m.group(1)
    if word.isdigit() and len(word) <= MAX_PICK_DIGITS and word != folded:
        return int(word)
    return ORDINALS.get(word) if (word in ORDINALS and word != folded) or word in _BARE else None


# Ordinals that pick even alone ("kedua"); "dua" alone might be anything.
_BARE = {w for w, n in ORDINALS.items() if w.startswith("ke") or w in ("pertama", "terakhir")}


def wants_detail(text: str) -> bool:
    """'detail', 'selengkapnya', 'lihat detailnya dong': open the full entry."""
    words = re.sub(r"[^a-z ]+", " ", fold(text)).split()
    asked = [w for w in words if w not in DETAIL_FILLER]
    return bool(asked) and all(w in DETAIL_WORDS for w in asked)
