"""Answers that must not depend on the caller's clock zone, first use, or screen size."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.telegram.render import keyboard
from handlers.conversation import Assistant
from handlers.types import Incoming
from knowledge.catalogue import Catalogue
from knowledge.hours import _holidays_for
from tests.conftest import FRIDAY_MORNING


def test_a_card_at_half_past_six_jakarta_given_in_utc_is_not_closed_for_the_day(
    assistant: Assistant,
) -> None:
    early_utc = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # Fri 06:30 WIB
    text = assistant.handle(Incoming("u", early_utc, text="syarat perpanjang stnk")).plain_text()
    # The MPP's hours are an estimate, but the day is Jakarta's: it opens later today.
    assert "buka lagi hari ini 08.00" in text
    assert "sudah TUTUP" not in text and "besok" not in text


def test_the_agency_list_fits_a_phone_screen_or_two(assistant: Assistant) -> None:
    reply = assistant.handle(Incoming("u", FRIDAY_MORNING, text="daftar instansi"))
    text = reply.plain_text()
    assert len(text) < 2000 and len(reply.choices) <= 3
    assert "Samsat Kota Batu" in text
    browse = assistant.handle(
        Incoming("u", FRIDAY_MORNING, payload=reply.choices[0].payload, kind="button")
    )
    assert any(c.payload == "agency:samsat" for c in browse.choices)
    rows = keyboard(browse).inline_keyboard  # type: ignore[union-attr]
    assert len(rows) < len(browse.choices) * 3 / 4  # short names sit two to a row


def test_start_up_builds_what_the_first_answer_would_wait_for(catalogue: Catalogue) -> None:
    fresh = Assistant(catalogue)
    _holidays_for.cache_clear()
    fresh.warm_up(FRIDAY_MORNING)
    built = _holidays_for.cache_info().misses
    fresh.handle(Incoming("u", FRIDAY_MORNING, text="jam buka"))
    fresh.handle(Incoming("u", FRIDAY_MORNING, text="syarat perpanjang stnk"))
    assert _holidays_for.cache_info().misses == built


def test_a_button_without_data_says_the_choice_is_gone(assistant: Assistant) -> None:
    reply = assistant.handle(Incoming("u", FRIDAY_MORNING, payload="", kind="button"))
    assert "tidak tersedia" in reply.plain_text()


def test_typed_commands_work_and_unknown_ones_list_the_real_ones(assistant: Assistant) -> None:
    def text_of(typed: str) -> str:
        return assistant.handle(Incoming("u", FRIDAY_MORNING, text=typed)).plain_text()

    assert "Jam layanan" in text_of("/jam")
    unknown = text_of("/daftar")
    assert "tidak saya kenal" in unknown and "/antrian" in unknown
