"""Commands as plain words, for channels without slash commands (WhatsApp) and for everyone:
"menu", "jam", "lokasi", "instansi", "fasilitas", "antrian A030", "posisi", "batal"."""

from __future__ import annotations

import re

from knowledge.normalize import fold
from knowledge.tickets import find_ticket

# A word alone (a leading "/" from Telegram habit is fine) -> the command it stands for.
WORDS = {
    "menu": "menu",
    "jam": "jam",
    "lokasi": "lokasi",
    "alamat": "lokasi",
    "instansi": "instansi",
    "fasilitas": "fasilitas",
    "layanan": "layanan",
    "antrian": "antrian",
    "antrean": "antrian",
    "posisi": "posisi",
    "batal": "batal",
    "berhenti": "batal",
    "stop": "batal",
}
# Words that may follow "batal"/"berhenti" and still mean "stop my reminders".
_CANCEL_OBJECTS = {"pengingat", "antrian", "antrean", "semua", "reminder", "ingatkan"}


def word_command(text: str) -> tuple[str, str] | None:
    """(command, its argument) when the message is a command word, else None.
    "antrian A030" and "batal A030" carry a ticket; "batal nikah" is a question, not a command."""
    words = re.sub(r"[!?.,]+", " ", fold(text)).split()
    if not words:
        return None
    name = WORDS.get(words[0].lstrip("/"))
    rest = " ".join(words[1:])
    if name is None:
        return None
    if not rest:
        # "antrian" alone asks how the queue works: the matcher's topic answers that.
        return (name, "") if name != "antrian" else None
    if name in ("antrian", "batal") and find_ticket(rest):
        return name, rest
    if name == "batal" and set(words[1:]) <= _CANCEL_OBJECTS:
        return name, ""
    return None
