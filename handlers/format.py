"""Indonesian wording for dates, times and opening hours."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from knowledge.hours import DayHours, OpenStatus

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
FIELD_NAMES = {
    "present": "keberadaan gerai di MPP",
    "gerai": "nomor gerai",
    "floor": "lantai",
    "hours": "jam layanan",
    "queue_prefix": "kode antrian",
    "contact": "kontak",
    "fee": "biaya",
    "processing_time": "lama proses",
    "requirements": "persyaratan",
    "procedure": "alur",
    "online": "layanan online",
    "referral": "alamat rujukan",
    "coordinates": "titik peta",
    "address": "alamat",
    "location": "letak",
    "notes": "catatan",
    "key_fact": "keterangan penting",
}


def hhmm(t: time) -> str:
    return t.strftime("%H.%M")


def long_date(d: date) -> str:
    return f"{DAY_NAMES[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"


def day_hours(hours: DayHours) -> str:
    """'08.00-16.00' or 'tutup (Hari Raya Natal)'."""
    if hours.span:
        text = f"{hhmm(hours.span[0])}-{hhmm(hours.span[1])}"
        return f"{text} ({hours.reason})" if hours.reason else text
    return f"tutup ({hours.reason})" if hours.reason else "tutup"


def when(moment: datetime, now: datetime) -> str:
    """'besok pukul 08.00', 'hari ini pukul 08.00', 'Senin, 30 November 2026 pukul 08.00'."""
    gap = (moment.date() - now.date()).days
    day = {0: "hari ini", 1: "besok"}.get(gap) or long_date(moment.date())
    return f"{day} pukul {hhmm(moment.time())}"


def open_line(status: OpenStatus, now: datetime) -> str:
    """One line for a card: today's hours and whether it is open right now."""
    if status.open_now:
        return f"Hari ini {day_hours(status.today)}: sedang BUKA."
    later = f" Buka lagi {when(status.next_open, now)}." if status.next_open else ""
    if not status.today.is_open:
        return f"Hari ini {day_hours(status.today)}.{later}"
    assert status.today.span is not None
    if now.time() < status.today.span[0]:
        return f"Hari ini {day_hours(status.today)}: belum buka.{later}"
    return f"Hari ini {day_hours(status.today)}: sudah TUTUP.{later}"


def unverified(fields: list[str]) -> str | None:
    """The warning that some facts still need checking, or None when all are verified."""
    names = list(dict.fromkeys(FIELD_NAMES.get(f, f) for f in fields))
    if not names:
        return None
    return f"Belum pasti: {', '.join(names)}. Tanyakan di loket informasi MPP."


def provenance(compiled: date, confirmed: date | None) -> str:
    """Say honestly where the entry comes from: public sources, or a check by MPP staff."""
    if confirmed:
        return f"Dikonfirmasi petugas MPP, {short_date(confirmed)}."
    return f"Disusun dari sumber publik, {short_date(compiled)}."


# Words citizens meet on a card but may not know; explained the first time in each message.
GLOSSARY = {
    "PNBP": "biaya resmi negara",
    "SWDKLLJ": "iuran wajib Jasa Raharja",
    "PKB": "pajak kendaraan",
    "PBPU": "pekerja bukan penerima upah",
    "BPHTB": "pajak beli tanah/bangunan",
    "SPTJM": "surat pernyataan tanggung jawab mutlak",
    "SKPWNI": "surat pindah",
    "KBLI": "kode jenis usaha",
    "TNKB": "pelat nomor",
    "Bipih": "biaya haji",
    "KPJ": "kartu peserta BPJS Ketenagakerjaan",
    "FKTP": "puskesmas/klinik/dokter tempat terdaftar",
    "F-1.02": "formulir Dukcapil",
    "F-1.03": "formulir pindah Dukcapil",
    "F-2.01": "formulir Dukcapil",
    "BBNKB": "pajak balik nama kendaraan",
    "SKTM": "surat keterangan tidak mampu",
    "KKPR": "izin kesesuaian tata ruang",
    "PBG": "izin mendirikan bangunan, dulu IMB",
    "BPU": "pekerja mandiri, bukan penerima upah",
    "PBI": "iuran dibayar pemerintah",
}


def explain_jargon(lines: list[str], seen: set[str] | None = None) -> list[str]:
    """Add '(what it means)' after the first use of each term, unless already explained.

    Pass one `seen` set for all blocks of a message, so a term is explained once per message.
    """
    seen = set() if seen is None else seen
    out = []
    for line in lines:
        for term, meaning in GLOSSARY.items():
            if term in seen:
                continue
            # "UPT PKB" is a testing unit, not the vehicle tax: a unit's name is left alone.
            m = re.search(rf"(?<![\w-])(?<!UPT ){re.escape(term)}(?:/\w+)?(?![\w-])", line)
            if not m:
                continue
            seen.add(term)
            before, after = line[: m.end()], line[m.end() :]
            if line[: m.start()].endswith("(") and after.startswith(")"):
                line = f"{before}, {meaning}{after}"  # "(PNBP)" -> "(PNBP, biaya resmi negara)"
            elif not re.match(r"\s*(?:/\s*[\w-]+\s*)?\(", after):  # "KKPR / KRK (...)"
                line = f"{before} ({meaning}){after}"
        out.append(line)
    return out
