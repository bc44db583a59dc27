"""Citizens name a service by their situation, in Javanese or in English (issue 12, cause 1).

The catalogue words of BPJS, Disnaker, PDAM, PLN, Dinsos, Dinkes, the courts, Kejari, Dishub
and DP3AP2KB carry these phrasings; the matcher must put the right service first. Whether it
answers at once or shows a short menu is the decision rule's business (refitted separately).
"""

from __future__ import annotations

import pytest

from knowledge.matcher import Matcher


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        # Situations instead of service names.
        ("habis resign dari pabrik, uang jamsostek bisa diambil?", "service:jht-klaim"),
        ("tagihan pdam bulan ini tiba tiba mahal banget", "service:pdam-gangguan"),
        ("thr belum dibayar perusahaan, lapor kemana", "service:pengaduan-thr"),
        ("gaji 2 bulan tidak dibayar bos", "service:pengaduan-phk"),
        ("ada kakek tidur di emperan toko tiap malam", "service:lapor-ppks"),
        ("anak saya dibully teman sekolah", "service:puspaga"),
        ("kena tilang, sim ditahan, ambil dimana", "service:tilang"),
        ("tetangga kena demam berdarah, minta fogging", "service:permohonan-fogging"),
        # Javanese, ngoko and krama.
        ("banyu pdam ora metu wis rong dino", "service:pdam-gangguan"),
        ("bayar banyu nang endi", "service:pdam-bayar-tagihan"),
        ("listrik mati sak kampung", "service:pln-gangguan"),
        ("bpjs ku ora iso dinggo, nunggak", "service:bpjs-kes-tunggakan"),
        ("badhe nyambut damel wonten luar negeri, daftar pundi", "service:calon-pekerja-migran"),
        # English as a visitor writes it.
        ("water bill too high", "service:pdam-gangguan"),
        ("power outage in my street", "service:pln-gangguan"),
        ("how do I get a health insurance card", "service:bpjs-kes-daftar"),
        ("is there an unemployment benefit after a layoff", "service:bpjs-tk-jkp"),
        ("I need a health certificate for a job", "service:cek-kesehatan-gratis"),
        ("I got a traffic fine from the police", "service:tilang"),
        # Round 2 kinds: staff injured at work, aid stopped, free BPJS, legal aid, heirs' savings.
        ("karyawan saya luka bakar saat kerja, klaim bpjs tk gimana", "service:bpjs-tk-jkk"),
        ("bansos kami dihapus, nama tidak ada di data lagi", "service:dtks"),
        ("cara dapat bpjs gratis dari pemerintah untuk bapak", "service:pbi-jk-usulan"),
        ("tidak mampu bayar pengacara, ada bantuan hukum?", "service:konsultasi-hukum"),
        (
            "bank minta penetapan ahli waris buat cairkan tabungan almarhum",
            "service:penetapan-ahli-waris",
        ),
        ("odgj ngamuk di kampung, lapor kemana", "service:lapor-ppks"),
        ("my husband beats me, who can help", "service:pengaduan-kekerasan"),
        ("no water coming from the tap since this morning", "service:pdam-gangguan"),
        ("they seized my motorbike as evidence, the case is over", "service:barang-bukti-perkara"),
        ("I have a dispute with my employer about my contract", "service:pengaduan-phk"),
    ],
)
def test_situations_reach_the_right_service_first(
    matcher: Matcher, question: str, ref: str
) -> None:
    result = matcher.search(question)
    assert result.status != "none"
    assert result.best == ref


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        # Siblings: the words say which one.
        ("mau turun kelas bpjs ke kelas 3", "service:bpjs-kes-ubah-kelas"),
        ("mau pindah faskes ke puskesmas dekat rumah", "service:bpjs-kes-ubah-data"),
        ("ganti listrik pascabayar ke prabayar", "service:pln-migrasi-prabayar"),
        ("mau tambah daya listrik", "service:pln-pasang-baru"),
        ("air pdam diputus karena nunggak", "service:pdam-sambung-kembali"),
        ("mau berhenti langganan pdam, sudah pakai sumur", "service:pdam-tutup-langganan"),
        ("jht", "service:jht-klaim"),
    ],
)
def test_sibling_services_are_told_apart(matcher: Matcher, question: str, ref: str) -> None:
    assert matcher.search(question).best == ref
