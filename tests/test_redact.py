"""Redaction of what is kept: numbers, phones, e-mails and plates never reach the disk."""

from __future__ import annotations

import pytest

from state.redact import redact


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("nik saya 3579012345670001 kok gak bisa", "nik saya [NIK] kok gak bisa"),
        ("KK 3579 0123 4567 0001 hilang", "KK [NIK] hilang"),
        ("no kk 3579-0123-4567-0001", "no kk [NIK]"),
        ("hubungi +62 812-3456-7890 ya", "hubungi [TELEPON] ya"),
        ("wa saya 0812 3456 7890", "wa saya [TELEPON]"),
        ("hp 081234567890", "hp [TELEPON]"),
        ("nomor 6281234567890 aktif", "nomor [TELEPON] aktif"),
        ("+6281234567890", "[TELEPON]"),
        ("telp 0812.3456.789", "telp [TELEPON]"),
        ("kantor (0341) 512345", "kantor [TELEPON]"),
        ("no rekening 12345678901234", "no rekening [NOMOR]"),
        ("resi 99887766554433221100", "resi [NOMOR]"),
        ("email budi.santoso@gmail.com tolong", "email [EMAIL] tolong"),
        ("kirim ke warga_batu+mpp@mail.co.id", "kirim ke [EMAIL]"),
        ("pajak mobil N 1234 AB telat", "pajak mobil [PLAT] telat"),
        ("motor n 1234 ab mati pajak", "motor [PLAT] mati pajak"),
        ("plat L1234XY", "plat [PLAT]"),
        ("AG 5678 KL balik nama", "[PLAT] balik nama"),
    ],
)
def test_personal_data_is_replaced(text: str, kept: str) -> None:
    assert redact(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "syarat perpanjang STNK",
        "min ktp sy ilang gmn",
        "syarat kk 2 lbr fotokopi",
        "antrian A030",
        "buka jam 8 sampai 15",
        "biaya paspor 350000",
        "tahun 2024 bisa?",
        "umur 17 tahun",
    ],
)
def test_ordinary_questions_are_left_alone(text: str) -> None:
    assert redact(text) == text
