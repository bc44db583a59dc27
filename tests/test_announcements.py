"""Announcements in the conversation core: who sees them, when they end, how staff write them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from handlers.announcements import (
    AnnouncementError,
    StaffAnnouncements,
    end_of_day,
    parse_staff_text,
    staff_list,
)
from handlers.conversation import Assistant
from handlers.types import Incoming
from knowledge.catalogue import Catalogue
from state.announcements import AnnouncementStore
from state.context import ContextStore
from tests.conftest import FRIDAY_MORNING, JAKARTA
from tests.test_cli import mpp_bot


@pytest.fixture
def store() -> Iterator[AnnouncementStore]:
    store = AnnouncementStore(":memory:")
    yield store
    store.close()


@pytest.fixture
def bot(catalogue: Catalogue, store: AnnouncementStore) -> Assistant:
    return Assistant(catalogue, announcements=store)


def text_of(bot: Assistant, question: str, now: datetime = FRIDAY_MORNING) -> str:
    return bot.handle(Incoming("u", now, text=question)).plain_text()


def test_an_agency_notice_tops_its_answers_only(bot: Assistant, store: AnnouncementStore) -> None:
    store.add("Samsat offline 10.00-12.00", "samsat", end_of_day(FRIDAY_MORNING), FRIDAY_MORNING)
    stnk = text_of(bot, "syarat perpanjang stnk")
    assert stnk.startswith("📢 Pengumuman\nSamsat offline 10.00-12.00")
    assert "Samsat offline" not in text_of(bot, "ktp hilang")
    assert "Samsat offline" not in bot.command("jam", Incoming("u", FRIDAY_MORNING)).plain_text()


@pytest.mark.parametrize("command", ["start", "jam", "lokasi", "instansi", "help"])
def test_a_notice_for_the_whole_mpp_is_on_every_answer(
    bot: Assistant, store: AnnouncementStore, command: str
) -> None:
    store.add("MPP tutup 1 Desember", None, end_of_day(FRIDAY_MORNING), FRIDAY_MORNING)
    reply = bot.command(command, Incoming("u", FRIDAY_MORNING)).plain_text()
    assert reply.startswith("📢 Pengumuman\nMPP tutup 1 Desember")
    assert "MPP tutup" in text_of(bot, "ktp hilang")
    assert text_of(bot, "ktp hilang").count("MPP tutup") == 1


def test_a_notice_disappears_by_itself_when_it_ends(
    bot: Assistant, store: AnnouncementStore
) -> None:
    until = FRIDAY_MORNING.replace(hour=12, minute=0)
    store.add("Samsat offline", "samsat", until, FRIDAY_MORNING)
    assert "Samsat offline" in text_of(bot, "syarat perpanjang stnk", until - timedelta(minutes=1))
    assert "Samsat offline" not in text_of(bot, "syarat perpanjang stnk", until)


def test_ending_a_notice_removes_it(bot: Assistant, store: AnnouncementStore) -> None:
    made = store.add(
        "Blanko KTP habis", "dispendukcapil", end_of_day(FRIDAY_MORNING), FRIDAY_MORNING
    )
    assert store.end(made.id, FRIDAY_MORNING)
    assert not store.end(made.id, FRIDAY_MORNING)  # already ended
    assert "Blanko" not in text_of(bot, "ktp hilang")


def test_the_default_end_is_midnight_in_jakarta(catalogue: Catalogue) -> None:
    text, agency, until = parse_staff_text(catalogue, "samsat Sistem offline", FRIDAY_MORNING)
    assert (text, agency) == ("Sistem offline", "samsat")
    assert until == datetime(2026, 11, 28, 0, 0, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("typed", "agency", "until"),
    [
        ("samsat offline 10.00-12.00", "samsat", datetime(2026, 11, 27, 12, 0)),
        ("Server down sampai 14:30", None, datetime(2026, 11, 27, 14, 30)),
        ("MPP tutup sampai 2/12", None, datetime(2026, 12, 3, 0, 0)),
        ("Tutup s/d 2026-12-01 13:00", None, datetime(2026, 12, 1, 13, 0)),
        ("dukcapil Blanko habis sampai besok", "dispendukcapil", datetime(2026, 11, 29, 0, 0)),
    ],
)
def test_staff_write_the_end_in_their_own_words(
    catalogue: Catalogue, typed: str, agency: str | None, until: datetime
) -> None:
    _, got_agency, got_until = parse_staff_text(catalogue, typed, FRIDAY_MORNING)
    assert (got_agency, got_until) == (agency, until.replace(tzinfo=JAKARTA))


@pytest.mark.parametrize(
    ("typed", "field"),
    [("", "text"), ("samsat", "text"), ("x" * 501, "text"), ("Tutup sampai 08.00", "until")],
)
def test_unusable_notices_are_refused(catalogue: Catalogue, typed: str, field: str) -> None:
    with pytest.raises(AnnouncementError) as caught:
        parse_staff_text(catalogue, typed, FRIDAY_MORNING)
    assert caught.value.field == field


def test_staff_see_numbers_and_end_by_number(
    catalogue: Catalogue, store: AnnouncementStore
) -> None:
    staff = StaffAnnouncements(store)
    made = staff.create(catalogue, "samsat Offline sampai 12.00", FRIDAY_MORNING, "t:1")
    assert "Pengumuman 1 dipasang" in made.plain_text() and "12.00" in made.plain_text()
    listing = staff_list(catalogue, store.active(FRIDAY_MORNING), FRIDAY_MORNING).plain_text()
    assert "1. [samsat, s.d. 12.00] Offline sampai 12.00" in listing
    assert "diakhiri" in staff.end("1", FRIDAY_MORNING).plain_text()
    assert "Tidak ada pengumuman aktif" in staff.end("1", FRIDAY_MORNING).plain_text()
    refused = staff.create(catalogue, "Tutup sampai 08.00", FRIDAY_MORNING, "t:1").plain_text()
    assert "belum dipasang" in refused and store.active(FRIDAY_MORNING) == []


def test_the_console_shows_the_announcements_of_this_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state.db"
    store = AnnouncementStore(state)
    store.add("Samsat offline hari ini", "samsat", end_of_day(FRIDAY_MORNING), FRIDAY_MORNING)
    store.close()
    monkeypatch.setenv("MPP_STATE_DB", str(state))
    out = mpp_bot("--now", "2026-11-27T09:30", "ask", "syarat perpanjang stnk").stdout
    assert out.startswith("📢 Pengumuman\nSamsat offline hari ini")


def test_a_follow_up_about_a_service_keeps_its_agency_notice(
    catalogue: Catalogue, store: AnnouncementStore
) -> None:
    context = ContextStore(":memory:", 30)
    bot = Assistant(catalogue, context=context, announcements=store)
    store.add("Samsat offline", "samsat", end_of_day(FRIDAY_MORNING), FRIDAY_MORNING)
    first = bot.handle(Incoming("u", FRIDAY_MORNING, text="syarat perpanjang stnk", chat="t:1"))
    later = FRIDAY_MORNING + timedelta(minutes=1)
    fee = bot.handle(Incoming("u", later, text="biayanya berapa?", chat="t:1")).plain_text()
    context.close()
    assert "Samsat offline" in first.plain_text()
    assert "Rp" in fee and fee.startswith("📢 Pengumuman\nSamsat offline")
