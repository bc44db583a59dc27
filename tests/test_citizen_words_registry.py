"""Citizens describe their situation, not the service name: Dukcapil, Samsat, Polres, Taspen.

The catalogue words carry these kinds (a SIM about to expire, splitting the KK from the in-laws,
a name fix after a court ruling, a deceased pensioner, plates from another region...); the
matcher must put the right service first. Answer or menu is the decision rule's business.
"""

from __future__ import annotations

import pytest

from knowledge.matcher import Matcher


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("sim a saya mati bulan depan, mau perpanjang", "service:sim-perpanjang"),
        ("sim saya hampir mati, gimana", "service:sim-perpanjang"),
        ("mau pisah kk dari mertua", "service:kk-baru"),
        ("kk saya salah ketik namanya", "service:kk-perubahan"),
        ("akta lahir anak tidak sesuai ijazah, mau disamakan", "service:pembetulan-akta"),
        (
            "ganti nama sudah disetujui hakim, catat ganti nama di dukcapil",
            "service:pencatatan-perubahan-nama",
        ),
        ("oknum polisi minta duit waktu razia, mau lapor", "service:pengaduan-propam"),
        ("mobil saya plat ag, mau jadi plat n", "service:mutasi-kendaraan"),
        ("stnk sudah 5 tahun, harus cek fisik?", "service:stnk-5-tahunan"),
        ("pensiunan guru sudah meninggal, uang pensiunnya gimana", "service:taspen-kematian"),
        ("warga luar kota bisa cetak ktp di sini?", "service:ktp-el-luar-domisili"),
        ("anak saya tidak punya nik sama sekali", "service:biodata-penduduk"),
        ("dompet ilang di angkot", "service:surat-kehilangan"),
        ("is there a sim for deaf people", "service:sim-d"),
    ],
)
def test_situation_finds_the_service(matcher: Matcher, question: str, ref: str) -> None:
    assert matcher.search(question).results[0].ref == ref
