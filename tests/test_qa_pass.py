"""Found in a citizen's-eye pass over the console chat: what a person in Batu notices."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from handlers.conversation import Assistant
from handlers.types import Incoming
from knowledge.catalogue import Catalogue, load_catalogue
from state.context import ContextStore
from tests.conftest import FRIDAY_MORNING

NIK_WARNING = "jangan kirim NIK"


@pytest.mark.parametrize(
    "opening",
    [
        "assalamualaikum min, numpang tanya ya",
        "selamat pagi, mau tanya",
        "permisi kak, boleh tanya?",
        "nyuwun sewu, badhe nyuwun pirsa",
    ],
)
def test_a_polite_opening_is_greeted_not_matched(ask, opening: str) -> None:
    reply = ask(opening)
    text = reply.plain_text()
    assert "Saya asisten" in text and "Maksud Anda" not in text
    assert "nikah" not in text  # "numpang tanya" is not "numpang nikah"


def test_salam_is_answered_with_salam(ask) -> None:
    assert ask("Assalamualaikum min, mau tanya").plain_text().startswith("Waalaikumsalam!")
    assert ask("halo min").plain_text().startswith("Halo!")


@pytest.mark.parametrize("nik", ["3573012345678901", "3573 0123 4567 8901"])
def test_a_nik_alone_gets_a_privacy_warning_not_a_menu_hint(ask, nik: str) -> None:
    text = ask(nik).plain_text()
    assert NIK_WARNING in text
    assert "pilih nomor" not in text and "Angka saja" not in text


def test_a_question_with_a_nik_is_answered_after_the_warning(ask) -> None:
    reply = ask("ktp saya 3573012345678901 hilang gmn")
    assert NIK_WARNING in reply.blocks[0].lines[0]
    assert "KTP" in reply.plain_text() and "3573012345678901" not in reply.plain_text()


def test_a_queue_ticket_or_phone_number_is_no_nik(ask) -> None:
    assert NIK_WARNING not in ask("syarat pasang pdam 081234567890").plain_text()


def test_kapan_after_the_tilang_answer_tells_the_day(tmp_path: Path, catalogue: Catalogue):
    store = ContextStore(tmp_path / "state.db", minutes=30)
    bot, now = Assistant(catalogue, context=store), FRIDAY_MORNING
    for text in ("ambil barang bukti tilang", "kapan?"):
        now += timedelta(seconds=30)
        reply = bot.handle(Incoming("7", now, text=text, chat="telegram:7"))
    store.close()
    assert "Selasa" in reply.plain_text() and "belum menemukan" not in reply.plain_text()


def test_no_weak_document_mirrors_left_for_pbg_and_bpn() -> None:
    cat = load_catalogue()
    bpn = [s for s in cat.services.values() if s.agency == "bpn"]
    texts = [*cat.agencies["bpn"].source, *cat.services["pbg"].source]
    texts += [src for s in bpn for src in s.source]
    assert texts and not any(
        host in src for src in texts for host in ("scribd", "123dok", "kompasiana")
    )


def test_the_permit_office_is_named_as_its_sign_reads(ask) -> None:
    text = ask("syarat pbg").plain_text()
    assert "DPMPTSP di MPP" in text and "Dpmptsp" not in text


def test_a_term_explained_after_its_pair_is_not_explained_twice(ask) -> None:
    text = ask("syarat pbg").plain_text()
    assert "KKPR / KRK (kesesuaian tata ruang)" in text
    assert "(izin kesesuaian tata ruang) / KRK" not in text


def test_bpjs_sign_up_says_what_it_costs_each_month(ask) -> None:
    text = ask("daftar bpjs kesehatan mandiri").plain_text()
    assert "kelas III Rp35.000" in text and "Biaya: belum diketahui" not in text
    assert "Belum pasti: biaya" in text  # Perpres 64/2020 may have changed (KRIS)


def _chat(catalogue: Catalogue, tmp_path: Path, *texts: str):
    store = ContextStore(tmp_path / "state.db", minutes=30)
    bot, now, replies = Assistant(catalogue, context=store), FRIDAY_MORNING, []
    for text in texts:
        now += timedelta(seconds=30)
        replies.append(bot.handle(Incoming("7", now, text=text, chat="telegram:7")))
    store.close()
    return replies


def test_jam_buka_after_the_agency_list_gives_the_hours(catalogue, tmp_path) -> None:
    reply = _chat(catalogue, tmp_path, "daftar instansi", "jam buka")[-1]
    assert reply.blocks[0].title.startswith("Jam layanan MPP")


def test_a_wrong_number_shows_the_browse_button_by_its_name(catalogue, tmp_path) -> None:
    reply = _chat(catalogue, tmp_path, "daftar instansi", "3")[-1]
    assert [c.label for c in reply.choices] == ["Telusuri layanan per instansi"]


def test_javanese_suwene_piro_asks_how_long_not_how_much(catalogue, tmp_path) -> None:
    text = _chat(catalogue, tmp_path, "ktp hilang", "suwene piro?")[-1].plain_text()
    assert "Lama proses" in text and "Biaya" not in text


def test_weekly_hours_fit_on_a_phone(ask) -> None:
    text = ask("jam buka").plain_text()
    assert "Senin-Jumat: 08.00-16.00" in text and "Sabtu-Minggu: tutup" in text
    assert "Selasa: 08.00-16.00" not in text


def test_a_new_question_is_not_answered_with_the_last_topic(catalogue, tmp_path) -> None:
    replies = _chat(catalogue, tmp_path, "listrik pln pasang baru", "ganti nama di ijazah")
    reply = replies[-1]
    assert "Pasang baru" not in reply.plain_text()
    # A diploma is changed by its school, not at the MPP (like "legalisir ijazah"): the honest
    # fallback, not a guess at the civil-registry name change.
    assert "belum menemukan" in reply.plain_text()


def test_english_follow_ups_ask_for_that_part(catalogue, tmp_path) -> None:
    replies = _chat(catalogue, tmp_path, "I lost my ID card", "what documents do I need", "cost?")
    assert "Requirements:" in replies[1].plain_text()
    assert "could not find" not in replies[1].plain_text()
    # "cost?" is too short to tell a language by: the chat goes on in English.
    assert "Fee: Free" in replies[2].plain_text()


def test_weak_mirrors_remain_only_where_no_better_source_was_found() -> None:
    cat = load_catalogue()
    hosts = ("scribd", "blogspot", "123dok", "docplayer", "kompasiana")
    weak = {
        entry.id
        for entry in (*cat.agencies.values(), *cat.services.values())
        if any(host in src for src in entry.source for host in hosts)
    }
    assert weak <= {"izin-angkutan", "izin-klinik", "pos-bayar"}  # flagged, listed in the report


@pytest.mark.parametrize("question", ["izin", "ya", "bisa"])
def test_a_bare_word_that_might_be_a_question_is_no_opening(ask, question: str) -> None:
    assert "Saya asisten" not in ask(question).plain_text()


def test_asking_permission_to_ask_is_an_opening(ask) -> None:
    assert "Saya asisten" in ask("izin bertanya min").plain_text()


def test_hours_after_an_agency_are_short(catalogue, tmp_path) -> None:
    reply = _chat(catalogue, tmp_path, "samsat", "buka ga hari ini?")[-1]
    text = reply.plain_text()
    assert "Jam:" in text and "Gedung B lantai 2" in text
    assert "Layanan: " not in text and len(text.splitlines()) <= 4
    assert [c.payload for c in reply.choices] == ["agency:samsat"]


def test_lost_after_land_title_transfer_is_the_lost_certificate(catalogue, tmp_path) -> None:
    replies = _chat(catalogue, tmp_path, "sertifikat tanah balik nama", "kalau hilang?")
    assert "Sertifikat tanah hilang" in replies[-1].plain_text()
