"""The fixed words of the conversation core: commands, kind notes and the patterns they need."""

from __future__ import annotations

import re

from handlers.types import Reply, say

NON_TEXT = (
    "Maaf, saya hanya bisa membaca pesan teks. 🙏\n"
    "Silakan ketik pertanyaan Anda, misalnya: syarat perpanjang STNK."
)
TYPED_DETAIL = {"detail", "detil", "rincian"}  # "detail <layanan>": no button needed

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
QUEUE_COMMANDS = ("antrian", "batal", "posisi")
EMPTY = "Silakan ketik pertanyaan Anda tentang layanan di MPP. 🙂"
EXAMPLES = "Contoh: syarat perpanjang STNK, jam buka, lokasi MPP."
WHICH_ONE = "Untuk yang mana? Silakan pilih dulu:"
# Population forms are numbered F-1.01, F-1.02...: a code, never a queue ticket.
FORM_CODE = re.compile(r"(?<![A-Za-z0-9])F\s?-?\s?1\s?[.,]\s?[0-9]{2}(?![0-9])", re.I)
FORM_AGENCY = "dispendukcapil"
FORM_REFS = ("service:kk-baru", "service:kk-perubahan", f"agency:{FORM_AGENCY}")
ANONYMOUS = (
    "Maaf, pengingat antrian tidak bisa dipasang dari akun anonim atas nama grup: "
    "pengingatnya akan dikirim ke seluruh grup. 🙏 Kirim /antrian A030 lewat chat pribadi "
    "dengan saya."
)
# A NIK is 16 digits; people paste it in by habit. Never needed here, so say so kindly.
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
NIK_NOTE = (
    "🔒 Demi keamanan, jangan kirim NIK atau data pribadi di chat ini; "
    "saya tidak memerlukannya. Sebaiknya hapus pesan itu."
)


def has_nik(text: str) -> bool:
    """A NIK anywhere, also typed in groups ("3573 0123 4567 8901")."""
    return bool(NIK.search(re.sub(r"(?<=\d)[\s.\-](?=\d)", "", text)))


SLASH_COMMAND = re.compile(r"/([A-Za-z_]+)(?:@\w+)?(?=\s|$)")
WARM_UP = ("syarat perpanjang stnk", "jam buka", "daftar instansi", "min ktp sy ilang gmn")
NO_REMINDERS = (
    "Pengingat antrian tersedia lewat Telegram dan WhatsApp. "
    "Di sini saya bisa menjelaskan cara mengambil antrian."
)


def unknown_command() -> Reply:
    """A command this assistant does not have (/menu, /daftar...): say which ones it has."""
    return say(
        "Maaf, perintah itu tidak saya kenal. 🙏",
        "Perintah yang ada: " + " ".join(f"/{name}" for name in COMMANDS),
        "Atau ketik saja pertanyaan Anda, misalnya: syarat perpanjang STNK.",
    )
