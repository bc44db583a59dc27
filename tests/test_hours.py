"""Opening hours: weekdays, after closing, holidays, cuti bersama, local closures, overrides."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.models import Closure
from tests.conftest import JAKARTA


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=JAKARTA)


@pytest.fixture
def hours(catalogue: Catalogue) -> OpeningHours:
    return OpeningHours(catalogue.mpp)


def test_friday_morning_is_open(hours: OpeningHours) -> None:
    status = hours.status(at(2026, 11, 27, 9, 30))
    assert status.open_now
    assert status.today.span == (time(8), time(16))


def test_after_closing_on_friday_opens_monday(hours: OpeningHours) -> None:
    status = hours.status(at(2026, 11, 27, 16, 0))
    assert not status.open_now
    assert status.next_open == at(2026, 11, 30, 8, 0)


def test_utc_time_is_read_in_jakarta(hours: OpeningHours) -> None:
    from zoneinfo import ZoneInfo

    # 02:00 UTC is 09:00 WIB on the same Friday.
    assert hours.status(datetime(2026, 11, 27, 2, 0, tzinfo=ZoneInfo("UTC"))).open_now


def test_national_holiday_is_closed(hours: OpeningHours) -> None:
    christmas = hours.day(date(2026, 12, 25))
    assert not christmas.is_open and christmas.reason


def test_cuti_bersama_is_closed(hours: OpeningHours) -> None:
    day = hours.day(date(2026, 12, 24))  # Thursday, cuti bersama Natal
    assert not day.is_open
    assert "Cuti Bersama" in (day.reason or "")


def test_closed_from_christmas_eve_opens_on_the_28th(hours: OpeningHours) -> None:
    assert hours.status(at(2026, 12, 23, 17)).next_open == at(2026, 12, 28, 8)


def test_local_closure_and_ramadan_hours(catalogue: Catalogue) -> None:
    closures = [
        Closure(start=date(2026, 12, 1), reason="Pemeliharaan gedung"),
        Closure(
            start=date(2026, 12, 7),
            end=date(2026, 12, 9),
            reason="Jam khusus",
            hours="08:30-14:00",
        ),
    ]
    mpp = catalogue.mpp.model_copy(update={"closures": closures})
    hours = OpeningHours(mpp)
    assert not hours.day(date(2026, 12, 1)).is_open
    assert hours.day(date(2026, 12, 8)).span == (time(8, 30), time(14))
    assert not hours.status(at(2026, 12, 8, 14, 30)).open_now


def test_kejari_tilang_only_on_tuesday(catalogue: Catalogue, hours: OpeningHours) -> None:
    tilang = catalogue.services["tilang"]
    layers = (catalogue.agencies["kejari"].hours, tilang.hours)
    assert not hours.status(at(2026, 11, 30, 10), *layers).open_now  # Monday
    assert hours.status(at(2026, 12, 1, 10), *layers).open_now  # Tuesday
    assert hours.status(at(2026, 11, 30, 10), *layers).next_open == at(2026, 12, 1, 8)
