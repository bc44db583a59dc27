"""Follow-up questions: the chat remembers its last answer and the choices it showed."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.conversation import Assistant
from handlers.types import Incoming, Reply
from knowledge.catalogue import Catalogue
from state.context import Context, ContextStore
from tests.conftest import FRIDAY_MORNING

NOT_FOUND = "belum menemukan"
HINT = "Angka saja belum bisa saya jawab"


class Chat:
    """One citizen's chat with the core, on an injected clock that the test moves."""

    def __init__(self, assistant: Assistant, chat: str = "telegram:42", user: str = "42") -> None:
        self.assistant, self.chat, self.user = assistant, chat, user
        self.now = FRIDAY_MORNING

    def say(self, text: str, after: timedelta = timedelta(seconds=30)) -> Reply:
        self.now += after
        return self.assistant.handle(Incoming(self.user, self.now, text=text, chat=self.chat))

    def press(self, payload: str) -> Reply:
        self.now += timedelta(seconds=10)
        msg = Incoming(self.user, self.now, payload=payload, kind="button", chat=self.chat)
        return self.assistant.handle(msg)


@pytest.fixture
def store(tmp_path: Path):
    store = ContextStore(tmp_path / "state.db", minutes=30)
    yield store
    store.close()


@pytest.fixture
def chat(catalogue: Catalogue, store: ContextStore) -> Chat:
    return Chat(Assistant(catalogue, context=store))


def title(reply: Reply) -> str:
    """The entry's name: the first block title (a doubt line may come before it)."""
    return next((b.title for b in reply.blocks if b.title), "")


def test_fee_follow_up_answers_the_stnk_fee(chat: Chat) -> None:
    chat.say("syarat perpanjang stnk")
    reply = chat.say("biayanya berapa?")
    text = reply.plain_text()
    assert NOT_FOUND not in text
    assert "STNK" in title(reply) and "Biaya: Pengesahan (PNBP, biaya resmi negara)" in text
    assert "Syarat:" not in text  # short: only the part asked about


@pytest.mark.parametrize("pick", ["by button", "by number"])
def test_lost_follow_up_after_picking_ktp_baru(chat: Chat, pick: str) -> None:
    menu = chat.say("syarat ktp")
    [baru] = [c for c in menu.choices if c.payload == "service:ktp-el-baru"]
    if pick == "by button":
        chosen = chat.press(baru.payload)
    else:
        chosen = chat.say(str(menu.choices.index(baru) + 1))
    assert title(chosen).startswith("Perekaman dan penerbitan KTP-el baru")
    assert title(chat.say("kalau hilang gimana?")) == "Penggantian KTP-el hilang atau rusak"


def test_extension_follow_up_after_a_new_sim(chat: Chat) -> None:
    assert title(chat.say("bikin sim baru")).startswith("Pembuatan SIM baru")
    assert title(chat.say("kalau perpanjang?")).startswith("Perpanjangan SIM")


def test_a_follow_up_not_understood_alone_still_follows_the_topic(chat: Chat) -> None:
    # "untuk anak?" alone finds nothing sure; after "ktp baru" it is the child's ID card.
    chat.say("ktp baru")
    reply = chat.say("untuk anak?")
    assert NOT_FOUND not in reply.plain_text()
    assert "Kartu Identitas Anak" in title(reply)


def test_after_thirty_minutes_of_silence_a_follow_up_is_a_new_question(chat: Chat) -> None:
    chat.say("syarat perpanjang stnk")
    assert "Biaya" in chat.say("biayanya berapa?", after=timedelta(minutes=29)).plain_text()
    late = chat.say("biayanya berapa?", after=timedelta(minutes=31))
    assert NOT_FOUND in late.plain_text() and "STNK" not in late.plain_text()


def test_a_follow_up_naming_another_service_answers_that_service(chat: Chat) -> None:
    chat.say("ktp baru")
    assert title(chat.say("kalau akta lahir?")) == "Akta kelahiran"
    chat.say("syarat perpanjang stnk")
    assert title(chat.say("terus kalau mau bikin skck?")).startswith("SKCK baru")


@pytest.mark.parametrize("question", ["bayar gak?", "mbayar ta?", "harus bayar?"])
def test_asking_whether_it_is_paid_is_the_fee(chat: Chat, question: str) -> None:
    chat.say("ktp hilang gimana")
    reply = chat.say(question)
    assert title(reply).startswith("Penggantian KTP-el") and "Biaya: Gratis" in reply.plain_text()


def test_an_unknown_object_is_no_follow_up(chat: Chat) -> None:
    # The diploma is what the message is about: its known words ("ganti nama") must not bend
    # it to the electricity connection before.
    chat.say("listrik pln pasang baru")
    assert "Pasang baru" not in chat.say("ganti nama di ijazah").plain_text()


def test_generic_words_after_a_topic_ask_about_the_topic(chat: Chat) -> None:
    # "telat bayar denda" clearly matches PDAM alone, but names nothing of PDAM's.
    chat.say("pajak motor")
    assert title(chat.say("kalau telat bayar dendanya gimana")).startswith("Pajak kendaraan")


def test_a_year_late_is_a_duration_not_the_yearly_tax(chat: Chat) -> None:
    chat.say("mau tanya syarat bikin akta kelahiran anak")
    assert title(chat.say("kalau telat lebih dari setahun?")) == "Akta kelahiran"


def test_a_generic_verb_stays_on_the_topic(chat: Chat) -> None:
    # "lapor" is in dozens of entries: after a PDAM outage it asks where to report that.
    chat.say("min, air pdam di rumah mati dari kemarin")
    assert title(chat.say("lapornya kemana")).startswith("Pengaduan air mati")


def test_a_word_shared_by_unrelated_services_asks_about_the_topic(chat: Chat) -> None:
    # "cicil" is in the THR and BPHTB entries: no object of its own, so the arrears again.
    chat.say("bpjs kesehatan saya nunggak 2 tahun, mau aktifin lagi")
    assert title(chat.say("bisa dicicil?")).startswith("Tunggakan iuran")


def test_a_question_about_another_bank_is_no_follow_up(chat: Chat) -> None:
    # The KTP card before does not bend another bank's loan into Bank Jatim's credit.
    chat.say("ktp ku ilang pas mudik gmn")
    reply = chat.say("mau pinjam uang di bri buat usaha").plain_text()
    assert "di luar layanan" in reply and "Bank Jatim" not in reply


def test_a_new_object_after_a_card_is_a_new_question(chat: Chat) -> None:
    """BPJS lists "update kk bpjs" among its words, but "kk baru" is Dukcapil's new KK."""
    chat.say("kartu bpjs kesehatan ilang")
    assert title(chat.say("berapa lama bikin kk baru")).startswith("Kartu Keluarga baru")


def test_a_question_naming_another_agency_is_not_bent_to_the_menu_shown(chat: Chat) -> None:
    """A SIM menu, then BPJS arrears: the menu's subject ("sim") must not swallow it."""
    menu = chat.say("syarat sim")
    assert len(menu.choices) > 1 and all("SIM" in c.label for c in menu.choices)
    reply = chat.say("bpjs sy nunggak 5 bulan dendanya brp")
    shown = reply.plain_text() + " ".join(c.label for c in reply.choices)
    assert "SIM" not in shown and "BPJS" in shown
    chat.say("syarat ktp")  # a menu of KTP services: a short answer still picks among them
    assert "Penggantian KTP-el" in title(chat.say("yang hilang"))


def test_a_question_naming_another_object_is_not_bent_to_the_topic(chat: Chat) -> None:
    chat.say("syarat perpanjang stnk")
    assert "KTP" in title(chat.say("ktp hilang"))
    chat.say("syarat perpanjang stnk")
    assert "STNK" in title(chat.say("kalau hilang?"))
    chat.say("ada ruang laktasi?")
    assert "laktasi" not in chat.say("skck").plain_text().lower()
    # A hotel's price is no question about the NPWP's fee, though "murah" asks a price.
    chat.say("npwp saya hilang gimana")
    assert "NPWP" not in chat.say("hotel murah di batu").plain_text()


@pytest.mark.parametrize("text", ["1", "3", "17", "pilih 1", "nomor 2", "yang kedua", "7"])
def test_a_number_with_no_menu_gets_a_hint_not_a_service(chat: Chat, text: str) -> None:
    reply = chat.say(text)
    assert HINT in reply.plain_text() and reply.blocks[0].title is None


@pytest.mark.parametrize("text", ["2", "pilih 2", "nomor 2", "no. 2", "yang kedua", "yg ke-2"])
def test_a_typed_number_picks_from_the_last_choices(chat: Chat, text: str) -> None:
    menu = chat.say("syarat ktp")
    assert title(chat.say(text)) == menu.choices[1].label


def test_a_number_out_of_range_names_the_range_and_keeps_the_menu(chat: Chat) -> None:
    menu = chat.say("syarat ktp")
    reply = chat.say("7")
    assert f"1-{len(menu.choices)}" in reply.plain_text()
    assert reply.choices == menu.choices
    assert title(chat.say("yang terakhir")) == menu.choices[-1].label


def test_words_pick_from_the_choices_as_their_number_does(chat: Chat) -> None:
    chat.say("syarat ktp")
    assert title(chat.say("yang hilang")) == "Penggantian KTP-el hilang atau rusak"


def test_words_over_a_short_menu_keep_its_subject(catalogue: Catalogue, store) -> None:
    # A menu that does not list the lost-KTP service: the words still mean "ktp hilang".
    chat = Chat(Assistant(catalogue, context=store))
    store.save(
        "telegram:42\n42",
        Context(None, ("service:ktp-el-baru", "service:ktp-el-perubahan")),
        chat.now,
    )
    assert title(chat.say("yang hilang")) == "Penggantian KTP-el hilang atau rusak"


@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        ("bikin kk", "suwe ora?", "Lama proses:"),
        ("perpanjang sim", "nang endi?", "Tempat: Satpas SIM Polres Batu"),
        ("ktp hilang", "piro?", "Biaya: Gratis"),
        ("akta kematian", "bawa apa aja", "Syarat:"),
        ("skck baru", "jam berapa buka", "Jam:"),
        ("perpanjang sim", "bisa online?", "Online: Digital Korlantas"),
        ("ktp hilang", "caranya gimana", "Alur:"),
    ],
)
def test_attribute_follow_ups_answer_that_part_short(
    chat: Chat, first: str, follow_up: str, expected: str
) -> None:
    chat.say(first)
    reply = chat.say(follow_up)
    assert reply.blocks[0].lines[0].startswith(expected) and len(reply.blocks) == 1
    assert reply.choices[0].payload.startswith("service:")


def test_represent_follow_up_quotes_what_the_data_says(chat: Chat) -> None:
    chat.say("bikin ktp")
    text = chat.say("bisa diwakilkan?").plain_text()
    assert "tidak bisa diwakilkan" in text and "Syarat:" not in text


def test_represent_follow_up_is_honest_when_the_data_does_not_say(chat: Chat) -> None:
    chat.say("bikin npwp")
    text = chat.say("bisa diwakilkan?").plain_text()
    assert "belum ada datanya" in text and "loket informasi" in text


@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        ("stnk tahunan", "yang 5 tahunan?", "Perpanjangan STNK 5 tahunan"),
        ("ktp baru", "untuk anak?", "Kartu Identitas Anak (KIA)"),
        ("pasang listrik baru", "kalau balik nama?", "Balik nama"),
        ("akta nikah non muslim", "kalau cerai?", "Akta perceraian"),
        ("stnk tahunan", "kalau mobil?", "Pajak kendaraan tahunan"),
    ],
)
def test_modifier_follow_ups_find_the_sibling(
    chat: Chat, first: str, follow_up: str, expected: str
) -> None:
    chat.say(first)
    assert title(chat.say(follow_up)).startswith(expected)


def test_balik_nama_after_pln_stays_with_pln(chat: Chat, catalogue: Catalogue) -> None:
    chat.say("pasang listrik baru")
    assert title(chat.say("kalau balik nama?")) == catalogue.services["pln-balik-nama"].name


def test_detail_after_a_service_opens_its_detail_not_the_fallback(chat: Chat) -> None:
    # Routed to the payload detail:<ref>; what it shows is the catalogue card's business.
    chat.say("akta lahir")
    for word in ("detail", "selengkapnya", "lihat detailnya dong"):
        assert NOT_FOUND not in chat.say(word).plain_text()


def test_a_question_about_the_mpp_itself_is_not_a_follow_up(chat: Chat) -> None:
    chat.say("syarat perpanjang stnk")
    assert title(chat.say("jam buka")).startswith("Pajak kendaraan tahunan")
    assert title(chat.say("jam buka mpp")).startswith("Jam layanan MPP")


def test_small_talk_keeps_the_context(chat: Chat) -> None:
    chat.say("syarat perpanjang stnk")
    chat.say("makasih")
    assert "Biaya" in chat.say("biayanya berapa?").plain_text()


def test_group_members_each_have_their_own_context(catalogue: Catalogue, store) -> None:
    assistant = Assistant(catalogue, context=store)
    ani, budi = Chat(assistant, "telegram:-100", "1"), Chat(assistant, "telegram:-100", "2")
    menu = [c.payload for c in ani.say("syarat ktp").choices]
    budi.say("bikin sim baru")
    pick = str(menu.index("service:ktp-el-baru") + 1)
    assert title(ani.say(pick)).startswith("Perekaman")
    assert title(budi.say("kalau perpanjang?")).startswith("Perpanjangan SIM")


def test_context_survives_a_restart(catalogue: Catalogue, state_target: str) -> None:
    first = ContextStore(state_target)
    chat = Chat(Assistant(catalogue, context=first))
    chat.say("syarat perpanjang stnk")
    first.close()
    second = ContextStore(state_target)
    chat.assistant = Assistant(catalogue, context=second)
    assert "Biaya" in chat.say("biayanya berapa?").plain_text()
    second.close()


def test_only_hashed_keys_refs_and_times_are_stored(catalogue: Catalogue, tmp_path: Path) -> None:
    store = ContextStore(tmp_path / "state.db")
    chat = Chat(Assistant(catalogue, context=store), chat="whatsapp:6281234567890")
    chat.say("min ktp sy ilang gmn")
    chat.say("biayanya berapa?")
    store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "state.db").iterdump())
    assert "6281234567890" not in dump and "gmn" not in dump and "berapa" not in dump
    assert "service:ktp-el-hilang-rusak" in dump


def test_the_next_day_purges_contexts_and_their_salt(
    catalogue: Catalogue, state_target: str
) -> None:
    store = ContextStore(state_target)
    chat = Chat(Assistant(catalogue, context=store))
    chat.say("syarat perpanjang stnk")
    chat.say("halo", after=timedelta(hours=16))  # past midnight: a new day
    rows = store.db.execute("select day from conversation_context").fetchall()
    salts = store.db.execute("select day from context_salt").fetchall()
    store.close()
    assert rows == [] and salts == [(store._day(chat.now),)]


def test_without_a_store_every_message_stands_alone(catalogue: Catalogue) -> None:
    chat = Chat(Assistant(catalogue))
    chat.say("syarat perpanjang stnk")
    assert NOT_FOUND in chat.say("biayanya berapa?").plain_text()
    assert HINT in chat.say("1").plain_text()


def test_context_times_are_compared_across_zones(catalogue: Catalogue, store) -> None:
    chat = Chat(Assistant(catalogue, context=store))
    chat.say("syarat perpanjang stnk")
    chat.now = chat.now.astimezone(datetime.now().astimezone().tzinfo)
    assert "Biaya" in chat.say("biayanya berapa?").plain_text()


@pytest.mark.parametrize(
    ("first", "question", "choice"),
    [("syarat perpanjang stnk", "syarat ktp", "service:ktp-el-baru"),
     ("bikin sim baru", "syarat skck", "service:skck-baru")],
)  # fmt: skip
def test_a_new_ambiguous_question_is_not_bent_to_the_context(
    chat: Chat, first: str, question: str, choice: str
) -> None:
    chat.say(first)
    assert choice in [c.payload for c in chat.say(question).choices]


def test_a_question_not_understood_keeps_the_topic(chat: Chat) -> None:
    chat.say("syarat perpanjang stnk")
    assert NOT_FOUND in chat.say("resep rendang").plain_text()
    assert "Biaya: Pengesahan" in chat.say("biayanya?").plain_text()


def test_an_attribute_over_a_menu_asks_which_one(chat: Chat) -> None:
    menu = chat.say("syarat ktp")
    reply = chat.say("biayanya berapa?")
    assert "yang mana" in reply.plain_text() and reply.choices == menu.choices
    chat.say("resep rendang")
    assert "yang mana" not in chat.say("biayanya berapa?").plain_text()


CHATS = itertools.count()


@pytest.fixture(scope="module")
def shared(catalogue: Catalogue) -> Assistant:
    """One assistant with context for many chats (each property example has its own)."""
    return Assistant(catalogue, context=ContextStore(":memory:"))


FOLLOW_UPS = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=80),
    st.sampled_from(["2", "pilih 9", "yang kedua", "biayanya?", "kalau hilang", "detail", "0"]),
    st.from_regex(r"(pilih |nomor |yg ke-)?[0-9٠-٩]{1,20}", fullmatch=True),
)


@settings(max_examples=200, deadline=None)
@given(first=st.sampled_from(["syarat ktp", "stnk tahunan", "halo", "/", "1"]), then=FOLLOW_UPS)
def test_any_follow_up_gets_a_reply(shared: Assistant, first: str, then: str) -> None:
    chat = Chat(shared, chat=f"prop:{next(CHATS)}")
    chat.say(first)
    assert chat.say(then).plain_text().strip()


@pytest.mark.parametrize(
    ("first", "then", "said"),
    [
        ("paspor bisa di mpp?", "kalau buat anak?", "Anak: KTP-el dan paspor orang tua"),
        ("syarat ktp hilang", "kalau rusak?", "Jika rusak: KTP-el yang rusak"),
    ],
)
def test_the_topic_again_with_a_new_word_shows_what_its_data_says_of_it(
    chat: Chat, first: str, then: str, said: str
) -> None:
    chat.say(first)
    text = chat.say(then).plain_text()
    assert said in text
    assert "Syarat:" not in text  # not the whole card again


@pytest.mark.parametrize(
    "outside", ["harga tiket jatim park berapa", "pinjol ilegal lapor kemana"]
)
def test_something_outside_is_no_follow_up_of_the_topic(chat: Chat, outside: str) -> None:
    chat.say("syarat akta kelahiran")
    reply = chat.say(outside)
    assert "di luar layanan" in reply.plain_text() and title(reply) != "Akta kelahiran"
    # The topic is still there for a real follow-up.
    assert "Gratis" in chat.say("biayanya?").plain_text()


@pytest.mark.parametrize(
    ("then", "offered"),
    [
        ("bpjs", "agency:bpjs-kesehatan"),
        (
            "min, dompet saya ilang isinya ktp sim atm, harus ngurus apa dulu?",
            "service:surat-kehilangan",
        ),
    ],
)
def test_another_agency_or_a_story_of_its_own_is_a_new_question(
    chat: Chat, then: str, offered: str
) -> None:
    # After the SKCK renewal, neither is about the SKCK: not its card again.
    chat.say("perpanjang skck")
    reply = chat.say(then)
    assert title(reply) != "Perpanjangan SKCK"
    # Offered as a choice, or answered with its Detail button.
    assert {offered, f"detail:{offered}"} & {c.payload for c in reply.choices}
