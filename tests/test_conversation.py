"""The conversation core, as a citizen meets it: what the reply says and offers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from handlers.conversation import Assistant
from handlers.types import Incoming
from knowledge.matcher import Matcher, Policy
from knowledge.results import NEVER
from state.context import ContextStore
from tests.conftest import FRIDAY_MORNING, JAKARTA


def test_service_answer_has_what_a_citizen_needs(ask) -> None:
    text = ask("syarat perpanjang STNK").plain_text()
    for expected in (
        "STNK",
        "KTP",
        "Samsat",
        "Gedung B lantai 2",
        "perkiraan",
        "Syarat",
        "Biaya",
        "Disusun dari sumber publik",
    ):
        assert expected in text
    assert "sedang BUKA" not in text  # the MPP's hours are a marked default, never a fact


def test_unknown_facts_send_the_citizen_to_the_info_desk(ask) -> None:
    text = ask("daftar bpjs ketenagakerjaan").plain_text()
    assert "Belum pasti: lama proses" in text and text.count("loket informasi") == 1


@pytest.mark.parametrize(
    "question",
    ["halo", "Assalamualaikum", "pagi min", "sugeng enjing", "good morning", "nuwun sewu"],
)
def test_greeting_offers_quick_buttons(ask, question: str) -> None:
    reply = ask(question)
    assert "asisten" in reply.plain_text()
    assert [c.payload for c in reply.choices][:2] == ["info:jam-buka", "info:lokasi"]


@pytest.mark.parametrize(
    "text",
    [
        "makasih",
        "makasih min",
        "ok siap terima kasih banyak ya",
        "terima kasih banyak ya nak",
        "mksh kak",
        "maturnuwun",
        "ok sip",
        "ok sip makasih",
        "siap min",
    ],
)
def test_thanks_is_answered_kindly(ask, text: str) -> None:
    assert "Sama-sama" in ask(text).plain_text()


def test_help(ask) -> None:
    assert "Cara memakai" in ask("help").plain_text()


def test_agency_question_gives_floor_and_services(ask) -> None:
    reply = ask("bpjs kesehatan lantai berapa")
    text = reply.plain_text()
    assert "BPJS Kesehatan" in text and "lantai 2" in text
    assert any(c.payload.startswith("service:bpjs-kes") for c in reply.choices)


def test_facility_question(ask) -> None:
    assert "laktasi" in ask("ruang menyusui dimana").plain_text().lower()


def test_hours_question_when_closed_says_when_it_opens(ask) -> None:
    saturday = datetime(2026, 11, 28, 10, tzinfo=JAKARTA)
    text = ask("besok buka?", now=saturday).plain_text()
    assert "Senin, 30 November 2026 pukul 08.00" in text
    assert "perkiraan" in text  # the default hours are marked as unverified


def test_location_gives_the_address(ask) -> None:
    text = ask("alamat mpp dimana").plain_text()
    assert "Jl. Panglima Sudirman No. 507" in text and "maps" in text


def test_list_of_agencies_names_each_one(ask, assistant: Assistant) -> None:
    reply = ask("daftar instansi")
    text = reply.plain_text()
    assert all(a.name.split(" (")[0] in text for a in assistant.catalogue.agencies.values())
    assert "Imigrasi" in text and "Belum ada di MPP" in text


def test_ambiguous_question_offers_choices_and_a_press_answers(ask, assistant) -> None:
    reply = ask("syarat ktp")
    payloads = [c.payload for c in reply.choices]
    assert 2 <= len(payloads) <= 5
    assert "service:ktp-el-hilang-rusak" in payloads
    pressed = assistant.handle(Incoming("t", FRIDAY_MORNING, payload=payloads[0], kind="button"))
    assert "Syarat" in pressed.plain_text()


def test_out_of_scope_is_kind_and_points_to_the_info_desk(ask) -> None:
    reply = ask("resep nasi goreng")
    assert "loket informasi" in reply.plain_text()
    assert "Syarat" not in reply.plain_text()


def test_passport_is_an_honest_referral(ask) -> None:
    text = ask("bikin paspor baru").plain_text()
    assert text.startswith("Belum ada di MPP Among Warga. Silakan ke: Kantor Imigrasi Malang")


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\u200b\u200b", "?!"])
def test_empty_or_symbol_only_messages_get_a_prompt(ask, text: str) -> None:
    assert "ketik pertanyaan" in ask(text).plain_text().lower()


def test_huge_message_is_answered_not_crashed(ask) -> None:
    reply = ask("syarat perpanjang stnk " + "tolong " * 2000)
    assert reply.blocks


def test_non_text_gets_a_kind_prompt(assistant: Assistant) -> None:
    reply = assistant.handle(Incoming("t", FRIDAY_MORNING, kind="sticker"))
    assert "pesan teks" in reply.plain_text()


def test_stale_button_is_explained(assistant: Assistant) -> None:
    reply = assistant.handle(Incoming("t", FRIDAY_MORNING, payload="service:gone", kind="button"))
    assert "sudah tidak tersedia" in reply.plain_text()


def test_fee_question_leads_with_the_fee(ask) -> None:
    reply = ask("biaya skhpn berapa")
    facts = reply.blocks[-1].lines
    assert facts[0].startswith("Biaya: ") and "290.000" in facts[0]


def test_out_of_scope_gets_no_menu_of_unrelated_services(ask) -> None:
    reply = ask("rekomendasi tempat wisata di batu")
    assert "loket informasi" in reply.plain_text()
    assert [c.payload for c in reply.choices] == ["info:instansi"]


def test_a_menu_has_at_most_three_options(ask) -> None:
    reply = ask("dompet ilang isinya sim sama ktp")
    payloads = [c.payload for c in reply.choices]
    assert 2 <= len(payloads) <= 3
    assert {"service:sim-hilang-rusak", "service:ktp-el-hilang-rusak"} <= set(payloads)


def test_english_about_the_building_is_answered(ask) -> None:
    assert "Jl. Panglima Sudirman" in ask("how do I get to the MPP").plain_text()
    assert "Weekly hours" in ask("is it open on Saturday").plain_text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("menu", "Menu utama"),
        ("jam", "Jam layanan"),
        ("Lokasi", "Jl."),
        ("instansi", "Instansi di"),
        ("fasilitas", "Fasilitas di MPP"),
        ("posisi", "Pengingat antrian tersedia"),  # no reminders in the console
        ("batal", "Pengingat antrian tersedia"),
        ("berhenti", "Pengingat antrian tersedia"),
        ("/jam", "Jam layanan"),
    ],
)
def test_command_words_work_as_commands(ask, text: str, expected: str) -> None:
    assert expected in ask(text).plain_text()


def test_command_words_with_a_chat(tmp_path, catalogue) -> None:
    from handlers.queue import QueueFlow
    from state.reminders import ReminderStore

    assistant = Assistant(catalogue, queue=QueueFlow(ReminderStore(tmp_path / "s.db"), catalogue))

    def say_(text: str) -> str:
        msg = Incoming("u", FRIDAY_MORNING, text=text, chat="whatsapp:62811")
        return assistant.handle(msg).plain_text()

    assert "Siap" in say_("antrian A030") and "ketik: batal" in say_("antrian A031")
    assert "A030" in say_("posisi") and "A031" in say_("posisi")
    assert "dibatalkan: A030." in say_("batal A030")
    assert "dibatalkan: A031." in say_("berhenti")
    assert "haji" not in say_("batal").lower()


def test_questions_that_start_with_a_command_word_are_questions(ask) -> None:
    assert "Menu utama" not in ask("menu makanan di kantin").plain_text()
    assert "Pengingat antrian" not in ask("batal nikah").plain_text()


def _asking(catalogue, close_right: float):
    """A citizen asking an assistant whose matcher answers all-but-ties from this sureness."""
    matcher = Matcher(catalogue, policy=replace(Policy(), close_right=close_right))
    assistant = Assistant(catalogue, matcher)
    return lambda text: assistant.handle(Incoming("tester", FRIDAY_MORNING, text=text))


def test_an_all_but_tie_is_answered_with_the_other_one_tap_away(catalogue) -> None:
    # "gawe ktp anyar": a first KTP-el, or a child's KIA? The words fit both all but equally;
    # the likelier one is answered and the other offered beside it, not a menu to tap first.
    reply = _asking(catalogue, close_right=0.0)("gawe ktp anyar")
    text = reply.plain_text()
    assert "KTP" in text.split("\n")[0]
    assert "Atau maksud Anda" in text
    assert [c.payload for c in reply.choices][1:] == ["service:kia"]


def test_an_all_but_tie_can_be_a_menu_instead(catalogue) -> None:
    reply = _asking(catalogue, close_right=NEVER)("gawe ktp anyar")
    assert "Maksud Anda yang mana?" in reply.plain_text()
    assert {"service:ktp-el-baru", "service:kia"} <= {c.payload for c in reply.choices}


def test_one_word_two_services_share_is_a_menu(ask) -> None:
    # "syarat skck": new or renewal, and nothing else in the question to choose by.
    reply = ask("syarat skck")
    assert "Maksud Anda yang mana?" in reply.plain_text()
    assert {"service:skck-baru", "service:skck-perpanjang"} <= {c.payload for c in reply.choices}


def test_a_clear_answer_offers_no_alternatives(catalogue) -> None:
    reply = _asking(catalogue, close_right=0.0)("perpanjang skck yang sudah mati")
    assert "Atau maksud Anda" not in reply.plain_text()
    assert [c.payload for c in reply.choices] == ["detail:service:skck-perpanjang"]


def test_an_english_question_gets_its_answer_framed_in_english(ask) -> None:
    text = ask("how do I renew my driving license?").plain_text()
    assert "Requirements:" in text and "Fee:" in text and "Syarat:" not in text
    # The facts stay as the agencies publish them, and the reply says so.
    assert "written in Indonesian" in text and "SIM" in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is the mall open on saturday", "MPP opening hours"),
        ("hello good morning", "I am the assistant"),
        ("where can I buy a train ticket to jakarta", "Sorry"),
    ],
)
def test_english_prompts_and_building_answers(ask, question: str, expected: str) -> None:
    assert expected in ask(question).plain_text()


@pytest.mark.parametrize("question", ["syarat perpanjang sim", "mau tanya how much biaya ktp"])
def test_indonesian_and_mixed_questions_stay_in_indonesian(ask, question: str) -> None:
    text = ask(question).plain_text()
    assert "Requirements:" not in text and "written in Indonesian" not in text


def test_a_chat_in_english_stays_in_english_until_the_citizen_switches(catalogue, tmp_path):
    assistant = Assistant(catalogue, context=ContextStore(tmp_path / "state.db"))

    def say_(text: str) -> str:
        return assistant.handle(Incoming("visitor", FRIDAY_MORNING, text=text)).plain_text()

    assert "Requirements:" in say_("I lost my ID card, what should I do?")
    assert "Fee:" in say_("cost?")
    assert "Biaya:" in say_("kalau perpanjang sim berapa biayanya")


def test_english_hours_after_closing_say_tomorrow(assistant: Assistant) -> None:
    thursday_evening = datetime(2026, 11, 26, 20, 0, tzinfo=JAKARTA)
    reply = assistant.handle(Incoming("t", thursday_evening, text="is the mpp open now?"))
    text = reply.plain_text()
    assert "opens again tomorrow" in text and "besok" not in text
