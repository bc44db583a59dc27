"""Answers a citizen can act on (issue 10): honest hours and places, one phone screen, Detail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from handlers.cards import PHONE_CHARS, PHONE_LINES
from handlers.conversation import Assistant
from handlers.format import explain_jargon
from handlers.types import Incoming, Reply
from knowledge.catalogue import Catalogue, load_catalogue
from tests.conftest import FRIDAY_MORNING, JAKARTA

WEDNESDAY_10 = datetime(2026, 12, 2, 10, tzinfo=JAKARTA)
CHRISTMAS_EVENING = datetime(2026, 12, 25, 20, tzinfo=JAKARTA)


def press(assistant: Assistant, payload: str, now: datetime = WEDNESDAY_10) -> Reply:
    return assistant.handle(Incoming("t", now, payload=payload, kind="button"))


@pytest.mark.parametrize("now", [WEDNESDAY_10, CHRISTMAS_EVENING])
def test_every_service_answer_fits_one_phone_screen(
    assistant: Assistant, catalogue: Catalogue, now: datetime
) -> None:
    too_long = []
    for ident in catalogue.services:
        text = press(assistant, f"service:{ident}", now).plain_text()
        if len(text) > PHONE_CHARS or len(text.splitlines()) > PHONE_LINES:
            too_long.append((ident, len(text), len(text.splitlines())))
    assert too_long == []


def test_every_service_answer_offers_detail_with_the_rest(
    assistant: Assistant, catalogue: Catalogue
) -> None:
    for ident, service in catalogue.services.items():
        first = press(assistant, f"service:{ident}")
        assert [c.payload for c in first.choices] == [f"detail:service:{ident}"]
        rest = press(assistant, f"detail:service:{ident}").plain_text().splitlines()
        assert sum(line.startswith("• ") for line in rest) == len(service.requirements), ident
        steps = [line for line in rest if line[:1].isdigit() and ". " in line]
        assert len(steps) == len(service.procedure), ident


def test_no_open_now_without_estimate_while_mpp_hours_are_unverified(
    assistant: Assistant, catalogue: Catalogue
) -> None:
    assert "hours" in catalogue.mpp.needs_verification
    for ref in [f"service:{i}" for i in catalogue.services] + ["info:jam-buka"]:
        text = press(assistant, ref).plain_text()
        assert "sedang BUKA" not in text, ref


def test_confirmed_hours_say_open_now(data_copy: Path) -> None:
    mpp = data_copy / "mpp.yaml"
    text = mpp.read_text(encoding="utf-8")
    mpp.write_text(text.replace("needs_verification: [hours, ", "needs_verification: ["))
    samsat = data_copy / "agencies" / "samsat.yaml"
    text = samsat.read_text(encoding="utf-8")
    samsat.write_text(text.replace("needs_verification: [gerai, hours, ", "needs_verification: ["))
    reply = press(Assistant(load_catalogue(data_copy)), "service:stnk-tahunan")
    assert "Hari ini 08.00-16.00: sedang BUKA." in reply.plain_text()


def test_stnk_answer_says_hours_are_an_estimate(ask) -> None:
    text = ask("syarat perpanjang STNK", now=WEDNESDAY_10).plain_text()
    assert "Jam: perkiraan, biasanya buka Senin-Jumat 08.00-16.00" in text
    assert "menurut perkiraan ini sekarang buka, sampai 16.00." in text  # "buka ga?" answered
    assert text.count("loket informasi") <= 1 and "nomor gerai" not in text


def test_closed_day_says_when_it_opens_again(ask) -> None:
    text = ask("syarat perpanjang STNK", now=CHRISTMAS_EVENING).plain_text()
    assert "Jam: hari ini libur (Hari Raya Natal); perkiraan buka lagi Senin 28 Des 08.00." in text


def test_arrears_penalty_is_five_percent(ask) -> None:
    text = ask("denda bpjs kesehatan telat bayar").plain_text()
    assert "5%" in text and "2,5%" not in text and "Rp30 juta" in text


def test_jht_claim_through_jmo_up_to_15_million(ask) -> None:
    text = ask("klaim jht lewat jmo").plain_text()
    assert "Rp15 juta" in text and "Rp10 juta" not in text


def test_lost_item_letter_is_made_at_the_police_not_the_mpp(ask) -> None:
    text = ask("bikin surat kehilangan").plain_text()
    assert "Tempat: SPKT Polsek" in text
    assert "di MPP" not in text.split("Tempat:")[1].splitlines()[0]
    assert "Pastikan ke petugas di sana" in text  # not "go to the MPP desk to ask"


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("bikin sim c baru", "Satpas SIM Polres Batu"),
        ("bikin skck", "Loket SKCK Polres Batu"),
        ("bpkb hilang", "Loket BPKB"),
    ],
)
def test_services_done_elsewhere_name_their_own_place(ask, question: str, place: str) -> None:
    assert f"Tempat: {place}" in ask(question, now=WEDNESDAY_10).plain_text()


def test_unconfirmed_agency_opens_with_the_doubt_and_where_to_go(ask) -> None:
    text = ask("daftar haji", now=WEDNESDAY_10).plain_text()
    assert text.startswith("⚠️ Belum pasti ada gerai Kemenag di MPP")
    assert "Tempat: Kantor Kemenag Kota Batu" in text


def test_unconfirmed_agency_without_own_place_shows_its_referral(ask) -> None:
    text = ask("cek sertifikat tanah").plain_text()
    first, second = text.splitlines()[:2]
    assert first.startswith("⚠️ Belum pasti ada gerai BPN")
    assert second.startswith("Pasti dilayani di: Kantor Pertanahan (BPN) Kota Batu")
    assert "(alamat belum dipastikan)" in second


def test_referral_starts_with_where_to_go_then_what_to_bring(ask) -> None:
    text = ask("bikin paspor baru").plain_text()
    assert text.startswith("Belum ada di MPP Among Warga. Silakan ke: Kantor Imigrasi Malang")
    assert text.index("Silakan ke") < text.index("Syarat:")


def test_answers_say_the_data_is_compiled_not_checked(ask) -> None:
    text = ask("syarat perpanjang STNK").plain_text()
    assert "Disusun dari sumber publik, 27 Nov 2026." in text
    assert "Data diperiksa" not in text


def test_staff_confirmation_is_said_when_given(data_copy: Path) -> None:
    path = data_copy / "agencies" / "samsat.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("  - id: stnk-tahunan")
    end = next(i for i in range(at, len(lines)) if lines[i].startswith("    last_verified:"))
    lines.insert(end + 1, "    confirmed: 2026-12-01")
    path.write_text("\n".join(lines), encoding="utf-8")
    reply = press(Assistant(load_catalogue(data_copy)), "service:stnk-tahunan")
    assert "Dikonfirmasi petugas MPP, 1 Des 2026." in reply.plain_text()


def test_jargon_is_explained_once(ask) -> None:
    text = ask("syarat perpanjang STNK").plain_text()
    assert "PNBP, biaya resmi negara" in text
    assert "SWDKLLJ (iuran wajib Jasa Raharja)" in text
    assert text.count("Jasa Raharja") == 1


def test_agency_services_are_listed_once(ask) -> None:
    reply = ask("nomor wa dukcapil")
    text = reply.plain_text()
    assert "0341-512178" in text
    assert not any(c.label in text for c in reply.choices)  # buttons only, never twice
    assert len(text.splitlines()) <= 12


def test_detail_of_an_unknown_service_is_kind(assistant: Assistant) -> None:
    reply = press(assistant, "detail:service:gone")
    assert "sudah tidak tersedia" in reply.plain_text()


def test_fee_question_still_leads_with_the_fee(ask) -> None:
    reply = ask("biaya bikin skck", now=FRIDAY_MORNING)
    assert reply.blocks[-1].lines[0].startswith("Biaya: Rp30.000")


def test_titles_stay_the_entry_name(ask, catalogue: Catalogue) -> None:
    first_line = ask("daftar bpjs kesehatan mandiri").plain_text().splitlines()[0]
    assert first_line == catalogue.services["bpjs-kes-daftar"].name
    assert "pekerja bukan penerima upah" in first_line  # the name itself explains PBPU


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Bayar PKB", "Bayar PKB (pajak kendaraan)"),
        ("dan SWDKLLJ", "dan SWDKLLJ (iuran wajib Jasa Raharja)"),
        ("Pengesahan (PNBP): roda 2", "Pengesahan (PNBP, biaya resmi negara): roda 2"),
        ("Uji di UPT PKB Tlekung", "Uji di UPT PKB Tlekung"),  # a unit's name, not the tax
        ("BPKB asli", "BPKB asli"),
    ],
)
def test_jargon_explanations(line: str, expected: str) -> None:
    assert explain_jargon([line]) == [expected]


def test_typed_detail_with_a_service_name_opens_its_detail(ask) -> None:
    assert "Syarat lengkap:" in ask("detail perpanjang stnk").plain_text()
    assert "tombol Detail" in ask("detail").plain_text()


def test_a_new_question_about_the_time_says_when_it_is_not_known(ask) -> None:
    # Asked how long, told so even when no source gives the processing time.
    text = ask("pirt berapa lama jadinya").plain_text()
    assert "Lama proses: belum diketahui" in text
