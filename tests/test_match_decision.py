"""When the matcher answers, offers a menu or says "not here" (issue 12, issue 9 item 7)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

from handlers.conversation import Assistant
from knowledge.decide import Rule, fit
from knowledge.evaluate import dev_set, read_questions, score
from knowledge.matcher import Matcher

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
EXAMPLES = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "examples"
DEV_SET = dev_set(Path(__file__).parents[1])


@pytest.fixture(scope="module")
def matcher(assistant: Assistant) -> Matcher:
    return assistant.matcher  # the very matcher the conversation uses


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        # Polite openings, fillers and stray common words do not hide a clear question.
        ("kartu kuning buat cari kerja", "service:kartu-kuning"),
        ("buka warung makan, perlu npwpd?", "service:npwpd"),
        ("bikin nib untuk usaha keripik", "service:nib"),
        ("resign dari pabrik, mau cairkan jht", "service:jht-klaim"),
        (
            "assalamualaikum min, mau tanya kalau bayar pajak motor yg tahunan itu cukup bawa "
            "ktp sama stnk aja kah?",
            "service:stnk-tahunan",
        ),
        ("numpang tanya kak, biayanya berapa bikin paspor baru", "service:paspor-baru"),
        ("where can i pay my vehicle tax", "service:stnk-tahunan"),
        # The MPP itself, in English and in chat.
        ("how do I get to the MPP", "info:lokasi"),
        ("where is the public service mall", "info:lokasi"),
        ("is it open on Saturday", "info:jam-buka"),
        ("apa itu mpp", "info:instansi"),
        ("what agencies are there", "info:instansi"),
        ("tanggal 25 desember buka?", "info:jam-buka"),
        # A dropped vowel in a three-letter word, English endings.
        ("paspor bru", "service:paspor-baru"),
        ("lebaran buka ga", "info:jam-buka"),
        # The owner asking for a permit still gets it ("terdekat", "yang bagus" rule permits
        # out only for customers), and a child's age decides between the KIA and the KTP-el.
        ("syarat izin apotek", "service:izin-apotek"),
        ("izin praktek dokter gigi", "service:sip-nakes"),
        ("ktp untuk anak saya usia 11 tahun", "service:kia"),
        ("my daughter is 8 years old, does she need an id card?", "service:kia"),
        ("anak umur 17 bikin ktp", "service:ktp-el-baru"),
        # One attribute of a service: the many examples asking "bisa diwakilkan?" of other
        # services must not outvote the service's own name.
        ("nib boleh diwakilkan ga?", "service:nib"),
        ("pirt bisa diwakilkan?", "service:izin-pirt"),
        ("uji kir pick up berapa biayanya", "service:uji-kir"),
        ("I lost my ID card at the market", "service:ktp-el-hilang-rusak"),
        # The building: a landmark, the hours beside a trip, the queue's hours, its Instagram.
        ("mpp itu deket alun-alun kan?", "info:lokasi"),
        ("jam berapa mpp tutup? aku numpak bis teko pujon", "info:jam-buka"),
        ("antrian dukcapil jam piro entek?", "info:antrian"),
        ("ig resmi mpp batu apa ya", "info:kontak"),
        # A room named beside a time ("tiap 2 jam", "close to noon") is the room, not the
        # building's hours.
        ("ada ruang menyusui? bayi saya minum asi tiap 2 jam", "facility:ruang-laktasi"),
        ("is there a prayer room? the friday prayer is close to noon", "facility:mushola"),
    ],
)
def test_clear_questions_are_answered_directly(matcher: Matcher, question: str, ref: str) -> None:
    result = matcher.search(question)
    assert (result.status, result.best) == ("answer", ref)


@pytest.mark.parametrize(
    "question",
    [
        "rekomendasi tempat wisata di batu",
        "nomor hp bupati malang",
        "bisa bahasa jawa?",
        "legalisir ijazah",  # diplomas are legalised by the school, not Dukcapil
        "jadwal kereta malang surabaya",
    ],
)
def test_out_of_scope_gets_none_without_guesses(matcher: Matcher, question: str) -> None:
    assert matcher.search(question).status == "none"


@pytest.mark.parametrize(
    "question",
    [
        # Another bank's loan, a phone company's SIM card, another town's office: they share
        # words with Bank Jatim, a lost KTP, Dukcapil, but are none of them.
        "mau pinjam uang di bank bri buat modal, syaratnya apa",
        "kartu sim telkomsel saya hilang, bawa ktp cukup?",
        "jam buka dukcapil kota malang",
        "where is the immigration office in bali",
        # An attraction's hours and parking are its own, a train is no "sepuh".
        "jam brp jatim park buka",
        "parkir di jatim park 3 bayar berapa?",
        "nyuwun pirsa, sepur saking malang dhateng jakarta jam pinten",
        # Chit-chat, a leave note, a gym, a company's vacancy, a restaurant bill's tax.
        "kamu sudah nikah belum min",
        "halo min, kamu lagi apa? udah makan belum",
        "anak saya izin nggak masuk sekolah 3 hari, surat izinnya dari kelurahan?",
        "perpanjang membership gym",
        "ada lowongan di PT Indomarco Malang?",
        "pajak 10% di struk restoran itu wajib dibayar ga sih?",
        # A customer after a good or near pharmacy or a doctor's hours is no permit applicant.
        "apotek 24 jam terdekat dari alun-alun",
        "jadwal praktek dokter gigi di batu",
        "beli paket data telkomsel dimana",
        "biaya kamar rs swasta kelas vip per malam",
        "kirim paket lewat jne di batu dimana",
        "ada info lowongan indomaret?",
        # A street lamp is the city's public works, not a household's PLN fault; a campus's
        # or an employer's card is theirs to replace, not a KTP; traffic is no service.
        "lampu pju depan rumah mati",
        "kartu mahasiswa saya hilang",
        "kartu karyawan hilang ngurus dimana",
        "macet ga jalan ke selecta sekarang",
        "jam buka pasar besar",  # the market's hours, not the building's
        "sim card indosat saya keblokir, bisa dibuka di mpp ga",  # not the MPP's hours either
        # A car's upkeep is a workshop's, a child's vaccine the posyandu's.
        "ganti ban mobil",
        "imunisasi bayi di mpp bisa?",
    ],
)
def test_something_elsewhere_is_not_ours(matcher: Matcher, question: str) -> None:
    assert matcher.search(question).status == "none"


@pytest.mark.parametrize("question", ["mpp kota malang dimana", "jam buka mpp kabupaten malang"])
def test_another_towns_mpp_is_not_this_building(ask, question: str) -> None:
    text = ask(question).plain_text()
    assert "di luar layanan Mal Pelayanan Publik (MPP) Among Warga" in text
    assert "Balai Kota Among Tani, Jl." not in text  # not this building's address


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("kantor imigrasi malang dimana", "agency:imigrasi"),  # where Batu's passports are made
        ("bayar pajak motor lewat bri bisa", "service:stnk-tahunan"),
        ("buka rekening bank jatim", "service:bank-jatim-rekening"),
        ("info lowongan kerja disnaker", "service:info-lowongan"),
        ("syarat nikah di kua", "service:nikah-info"),
    ],
)
def test_naming_elsewhere_keeps_what_is_ours(matcher: Matcher, question: str, ref: str) -> None:
    assert matcher.search(question).best == ref


def test_a_phone_number_is_not_a_tax_account(matcher: Matcher) -> None:
    result = matcher.search("no hp sy 081234567890 tolong hubungi sy ya")
    assert "service:kpp-coretax" not in [m.ref for m in result.results]


@pytest.mark.parametrize(
    ("question", "options"),
    [
        (
            "dompet ilang isinya sim sama ktp",
            {"service:sim-hilang-rusak", "service:ktp-el-hilang-rusak"},
        ),
        ("piye carane ngurus kk", {"service:kk-baru", "service:kk-perubahan"}),
        ("skck bisa diwakilkan?", {"service:skck-baru", "service:skck-perpanjang"}),
    ],
)
def test_real_competitors_are_both_offered(
    matcher: Matcher, question: str, options: set[str]
) -> None:
    # A short menu, or the likelier one answered with the other one tap away.
    result = matcher.search(question)
    refs = [m.ref for m in result.results]
    if result.status == "answer":
        assert options <= {refs[0], *result.alternatives}
    else:
        assert result.status == "ambiguous"
        assert options <= set(refs) and len(refs) <= 3


def test_menu_options_share_more_than_an_everyday_word(matcher: Matcher) -> None:
    # "tempat" and "kantor" are everyday words: no option may rest on them alone.
    result = matcher.search("syarat ktp")
    assert all(m.ref.startswith("service:ktp-el") for m in result.results)


def test_the_fit_is_deterministic_and_separates() -> None:
    rows = [((x / 10, 1 - x / 10), int(x >= 5)) for x in range(11)]
    weights, bias = fit(rows)
    assert fit(rows) == (weights, bias)
    rule = Rule(weights, bias, 0.5)
    assert rule.holds((0.9, 0.1)) and not rule.holds((0.1, 0.9))


# The figures docs/matcher-benchmark.md reports, with a little room: a change to the slang, the
# features or the catalogue that loses accuracy fails here, not in front of a citizen.
@pytest.mark.parametrize(
    ("path", "direct", "none", "wrong"),
    [
        # Measured 2026-11-28 (fifth and sixth passes: example questions vote), each tuning
        # set as if unseen (its own file out of the neighbours), minus a little room
        # (docs/matcher-benchmark.md). The held-out sets and G are deliberately not here.
        (EXAMPLES / "tuning.tsv", 0.96, 0.97, 0.01),
        (EXAMPLES / "tuning-2.tsv", 0.92, 0.96, 0.025),
        (EXAMPLES / "tuning-b.tsv", 0.95, 0.95, 0.01),
        (EXAMPLES / "tuning-c.tsv", 0.91, 0.96, 0.015),
        (EXAMPLES / "tuning-d.tsv", 0.93, 0.97, 0.01),
        (EXAMPLES / "tuning-e.tsv", 0.94, 0.97, 0.01),
        (EXAMPLES / "tuning-f.tsv", 0.93, 0.97, 0.01),
        (EXAMPLES / "tuning-h.tsv", 0.89, 0.95, 0.015),
        (EXAMPLES / "tuning-i.tsv", 0.90, 0.92, 0.025),
        (EXAMPLES / "tuning-j.tsv", 0.93, 0.97, 0.015),
        (EXAMPLES / "tuning-k.tsv", 0.93, 0.97, 0.01),
        (EXAMPLES / "tuning-l.tsv", 0.93, 0.96, 0.01),
        (EXAMPLES / "tuning-m.tsv", 0.94, 0.96, 0.01),
        (EXAMPLES / "tuning-n.tsv", 0.83, 0.96, 0.02),
        (EXAMPLES / "tuning-o.tsv", 0.90, 0.95, 0.02),
        (EXAMPLES / "tuning-p.tsv", 0.83, 0.95, 0.03),
        (EXAMPLES / "tuning-q.tsv", 0.89, 0.96, 0.015),
        # Sixth pass: R out of scope near the boundary, S elderly writers, T business owners,
        # U one-attribute questions, V siblings told apart by situations, X young people,
        # Y families, Z visitors, migrants and English; hard by design.
        (EXAMPLES / "tuning-r.tsv", 0.89, 0.93, 0.025),
        (EXAMPLES / "tuning-s.tsv", 0.77, 0.92, 0.035),
        (EXAMPLES / "tuning-t.tsv", 0.80, 0.94, 0.02),
        (EXAMPLES / "tuning-u.tsv", 0.90, 0.86, 0.03),
        (EXAMPLES / "tuning-v.tsv", 0.67, 0.96, 0.04),
        (EXAMPLES / "tuning-x.tsv", 0.89, 0.96, 0.01),
        (EXAMPLES / "tuning-y.tsv", 0.86, 0.93, 0.02),
        (EXAMPLES / "tuning-z.tsv", 0.77, 0.92, 0.035),
        # Seventh pass: AA long stories, AB out of scope near the boundary, AC Javanese, AD
        # English, AE siblings told apart by a situation, AF and AG general mixes.
        (EXAMPLES / "tuning-aa.tsv", 0.83, 0.87, 0.025),
        (EXAMPLES / "tuning-ab.tsv", 0.95, 0.93, 0.03),
        (EXAMPLES / "tuning-ac.tsv", 0.83, 0.98, 0.015),
        (EXAMPLES / "tuning-ad.tsv", 0.78, 0.95, 0.02),
        (EXAMPLES / "tuning-ae.tsv", 0.88, 0.70, 0.045),
        (EXAMPLES / "tuning-af.tsv", 0.92, 0.97, 0.015),
        (EXAMPLES / "tuning-ag.tsv", 0.90, 0.95, 0.015),
        (DATA / "chat-questions.tsv", 0.95, 0.95, 0.01),
        (DATA / "citizen-questions.tsv", 0.94, 0.95, 0.01),
        (DATA / "short-questions.tsv", 0.95, 0.94, 0.015),
        (DEV_SET, 0.95, 0.95, 0.01),
    ],
    ids=[
        *("tuning", "tuning-2", "tuning-b", "tuning-c", "tuning-d", "tuning-e", "tuning-f"),
        *("tuning-h", "tuning-i", "tuning-j", "tuning-k", "tuning-l", "tuning-m"),
        *("tuning-n", "tuning-o", "tuning-p", "tuning-q"),
        *("tuning-r", "tuning-s", "tuning-t", "tuning-u", "tuning-v"),
        *("tuning-x", "tuning-y", "tuning-z"),
        *("tuning-aa", "tuning-ab", "tuning-ac", "tuning-ad", "tuning-ae", "tuning-af"),
        "tuning-ag",
        *("chat", "citizen", "short", "dev"),
    ],
)
def test_decision_accuracy_holds(
    matcher: Matcher, path: Path, direct: float, none: float, wrong: float
) -> None:
    if not path.exists():
        pytest.skip(f"{path.name} not beside the checkout")
    # A tuning set is also the matcher's examples: scored as if unseen, it cannot find itself.
    with matcher.neighbours.unseen() if path.parent == EXAMPLES else nullcontext():
        s = score(read_questions(path), matcher.search)
    assert s.answered_directly >= direct, s.misses
    assert s.none_detected >= none
    assert s.confident_wrong <= wrong
