"""The matcher as a citizen meets it: right service first, choices when unsure, none when lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.evaluate import dev_set, read_questions, score
from knowledge.matcher import Matcher

DEV_SET = dev_set(Path(__file__).parents[1])
DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("syarat perpanjang stnk", "service:stnk-tahunan"),
        ("perpanjang stnk 5 tahun ganti plat", "service:stnk-5-tahunan"),
        ("ktp hilang", "service:ktp-el-hilang-rusak"),
        ("bikin ktp baru umur 17", "service:ktp-el-baru"),
        ("perpanjanag stnk", "service:stnk-tahunan"),  # typo
        ("akte kelahran", "service:akta-kelahiran"),  # typo
        ("bikin skck", "service:skck-baru"),
        ("perpanjangan skck lama", "service:skck-perpanjang"),
    ],
)
def test_clear_questions_are_answered(matcher: Matcher, question: str, ref: str) -> None:
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("pindah alamat masih di batu", "service:pindah-dalam-kota"),
        ("sim internasional", "service:sim-internasional"),
        ("izin keramaian", "service:izin-keramaian"),
        ("cairkan bpjs ketenagakerjaan", "service:jht-klaim"),
        ("plat habis", "service:stnk-5-tahunan"),
        ("plat mati", "service:stnk-5-tahunan"),
        ("hapus nama di KK karena meninggal", "service:kk-perubahan"),
    ],
)
def test_issue10_words_reach_a_fitting_service(matcher: Matcher, question: str, ref: str) -> None:
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)


def test_moving_within_batu_is_told_apart_from_moving_out(matcher: Matcher) -> None:
    assert matcher.search("pindah rumah masih satu kota").best == "service:pindah-dalam-kota"
    assert matcher.search("pindah keluar batu ke surabaya").best == "service:pindah-keluar"


def test_splitting_a_land_title_is_not_a_broken_one(matcher: Matcher) -> None:
    refs = {m.ref for m in matcher.search("pecah sertifikat tanah").results[:2]}
    assert "service:bpn-pecah-sertifikat" in refs
    assert matcher.search("sertifikat tanah rusak").best == "service:bpn-sertifikat-hilang"


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("perpanjang stnk tiap tahun", "service:stnk-tahunan"),
        ("stnk lima tahunan ganti plat", "service:stnk-5-tahunan"),
        ("kk hilang", "service:kk-perubahan"),
        ("pecah kk setelah menikah", "service:kk-baru"),
        ("paspor hilang", "service:paspor-ganti"),
        ("bikin paspor pertama kali", "service:paspor-baru"),
        ("balik nama sertifikat tanah", "service:peralihan-hak"),
        ("balik nama motor", "service:balik-nama-kendaraan"),
        ("balik nama pelanggan pdam", "service:pdam-balik-nama"),
    ],
)
def test_qualifiers_decide_between_siblings(matcher: Matcher, question: str, ref: str) -> None:
    assert matcher.search(question).best == ref


@pytest.mark.parametrize(
    ("question", "options"),
    [
        (
            "syarat ktp",
            {"service:ktp-el-baru", "service:ktp-el-hilang-rusak", "service:ktp-el-perubahan"},
        ),
        ("bpjs", {"agency:bpjs-kesehatan", "agency:bpjs-ketenagakerjaan"}),
        ("syarat skck", {"service:skck-baru", "service:skck-perpanjang"}),
        ("syarat stnk", {"service:stnk-tahunan", "service:stnk-5-tahunan"}),
        ("stnk", {"service:stnk-tahunan", "service:stnk-5-tahunan"}),
    ],
)
def test_generic_questions_offer_the_variants(
    matcher: Matcher, question: str, options: set[str]
) -> None:
    result = matcher.search(question)
    assert result.status == "ambiguous"
    assert options <= {m.ref for m in result.results[:5]}


@pytest.mark.parametrize(
    "question",
    [
        "resep nasi goreng",
        "daftar sekolah sd",
        "jadwal bioskop",
        "perpanjang langganan netflix",
        "qwerty",
        "ganti ban mobil",
        "harga cabai hari ini",
    ],
)
def test_out_of_scope_gets_none(matcher: Matcher, question: str) -> None:
    assert matcher.search(question).status == "none"


def test_odd_input_never_fails(matcher: Matcher) -> None:
    for text in ["", " ", "😀", "\x00\x01", "a" * 5000, "١٢٣", "ktp" * 300, "????"]:
        assert matcher.search(text).status in ("answer", "ambiguous", "none")


def test_intent_alone_points_to_the_building(matcher: Matcher) -> None:
    assert matcher.search("dimana?").best == "info:lokasi"
    assert matcher.search("buka jam berapa").best == "info:jam-buka"


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("mpp batu buka jam brp sampe jam brp?", "info:jam-buka"),
        ("jam istirahat mpp jam brp, loketnya tutup gk?", "info:jam-buka"),  # hours first
        ("mpp among warga iku panggonane nang endi to?", "info:lokasi"),
        # A landmark beside the MPP is where the MPP is, not the attraction's own hours.
        ("mpp deket alun-alun ya? lokasinya dimana", "info:lokasi"),
    ],
)
def test_the_mpp_named_beside_unknown_words_is_still_about_the_building(
    matcher: Matcher, question: str, ref: str
) -> None:
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)


@pytest.mark.parametrize(
    "name",
    ["chat-questions.tsv", "citizen-questions.tsv", "short-questions.tsv", "new-services.tsv"],
)
def test_our_question_sets_stay_accurate(matcher: Matcher, name: str) -> None:
    scores = score(read_questions(DATA / name), matcher.search)
    assert scores.success_at_1 >= 0.9, scores.misses
    assert scores.confident_wrong <= 0.02


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared/ dev set not beside the checkout")
def test_dev_set_accuracy_holds(matcher: Matcher) -> None:
    scores = score(read_questions(DEV_SET), matcher.search)
    assert scores.success_at_1 >= 0.9, scores.misses
    assert scores.confident_wrong <= 0.02


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("how do i renew my driving licence", "service:sim-perpanjang"),
        ("I lost my driver's licence", "service:sim-hilang-rusak"),
    ],
)
def test_british_spelling_of_licence_is_a_sim(matcher: Matcher, question: str, ref: str) -> None:
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("sertifikat tnh ilang", "service:bpn-sertifikat-hilang"),  # tanah
        ("akte lhr anak sy", "service:akta-kelahiran"),  # lahir
        ("pajak mtr", "service:stnk-tahunan"),  # motor, beside pajak
        ("pindah mtr pdam", "service:pdam-pindah-meter"),  # meter, beside pdam
    ],
)
def test_words_written_without_vowels_are_read_by_the_rest_of_the_question(
    matcher: Matcher, question: str, ref: str
) -> None:
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)


def test_a_near_tie_across_agencies_puts_the_better_agency_first(matcher: Matcher) -> None:
    """Catalogue order says what an agency needs most, not which agency: BPJS arrears lead."""
    result = matcher.search("bpjs sy nunggak 5 bulan dendanya brp")
    assert result.best == "service:bpjs-kes-tunggakan"


def test_a_short_word_missing_a_vowel_is_corrected(matcher: Matcher) -> None:
    assert matcher.search("blik nama motor").best == "service:balik-nama-kendaraan"


@pytest.mark.parametrize(("question", "ref"), [("pdam", "agency:perumdam"), ("pln", "agency:pln")])
def test_an_agency_named_alone_gets_its_card(matcher: Matcher, question: str, ref: str) -> None:
    """A service's phrasing that is only its agency's name must not outrank the agency."""
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)
