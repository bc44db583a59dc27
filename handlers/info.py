"""The building: opening hours, location, the list of agencies, and the other info topics."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote_plus

from handlers.format import DAY_NAMES, day_hours, long_date
from handlers.types import Block, Choice, Location, Reply, say
from handlers.where import hours_unverified, place, when_line
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.models import WEEKDAYS

MAPS_SEARCH = "https://www.google.com/maps/search/?api=1&query="


def hours_reply(cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    """Open now? Today, tomorrow, the next opening, and the weekly schedule."""
    now = hours.local(now)
    tomorrow = hours.day(now.date() + timedelta(days=1))
    today = when_line(cat, hours, now, (), [], long=True)
    lines = [today, f"Besok: {day_hours(tomorrow)}."]
    week = []
    for i, day in enumerate(WEEKDAYS):
        spec = cat.mpp.hours.get(day)  # type: ignore[call-overload]
        week.append(f"{DAY_NAMES[i]}: {spec.replace(':', '.') if spec else 'tutup'}")
    notes = ["Libur nasional dan cuti bersama: tutup."]
    if "hours" in cat.mpp.needs_verification:
        notes.append(
            "⚠️ Jam buka MPP Among Warga belum diumumkan resmi; jadwal ini perkiraan. "
            "Mohon pastikan ke loket informasi."
        )
    blocks = [
        Block(lines, title=f"Jam layanan MPP ({long_date(now.date())})"),
        Block(week, title="Jadwal mingguan:"),
        Block(notes),
    ]
    return Reply(blocks)


def location_reply(cat: Catalogue) -> Reply:
    mpp = cat.mpp
    lines = [mpp.address]
    if mpp.building:
        lines.append(mpp.building)
    lines.append(f"Peta: {mpp.maps_url or MAPS_SEARCH + quote_plus(mpp.address)}")
    location = None
    if mpp.coordinates:
        location = Location(mpp.coordinates.lat, mpp.coordinates.lon, mpp.name, mpp.address)
    return Reply([Block(lines, title=mpp.name)], location=location)


def agencies_reply(cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    """Every agency with its place and whether it is open now; absent ones say where to go."""
    here, elsewhere = [], []
    estimate = hours_unverified(cat)  # then one estimate for all, not "buka" on every line
    for agency in cat.agencies.values():
        if not agency.present:
            elsewhere.append(f"• {agency.name}: belum ada di MPP")
            continue
        state = "buka" if hours.status(now, agency.hours).open_now else "tutup"
        unsure = " (belum dipastikan)" if "present" in agency.needs_verification else ""
        suffix = "" if estimate else f", {state}"
        here.append(f"• {agency.name}{unsure}: {place(agency)}{suffix}")
    if estimate:
        here.insert(0, when_line(cat, hours, now, (), []))
    blocks = [Block(here, title=f"Instansi di {cat.mpp.name} ({len(here) - estimate}):")]
    if elsewhere:
        blocks.append(Block(elsewhere, title="Belum tersedia:"))
    blocks.append(Block(["Pilih instansi untuk melihat layanannya."]))
    choices = [Choice(a.name, f"agency:{a.id}") for a in cat.agencies.values()]
    return Reply(blocks, choices)


def info_reply(ref: str, cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    ident = ref.removeprefix("info:")
    if ident == "jam-buka":
        return hours_reply(cat, hours, now)
    if ident == "lokasi":
        return location_reply(cat)
    if ident == "instansi":
        return agencies_reply(cat, hours, now)
    topic = cat.info[ident]
    return say(*(topic.text or topic.name).splitlines(), title=topic.name)


def facilities_reply(cat: Catalogue) -> Reply:
    lines = [
        f"• {f.name}: {f.location or 'letak belum dipastikan'}" for f in cat.facilities.values()
    ]
    choices = [Choice(f.name, f"facility:{f.id}") for f in cat.facilities.values()]
    return Reply([Block(lines, title="Fasilitas di MPP:")], choices)


def browse_reply(cat: Catalogue) -> Reply:
    """Agency -> service browsing: the first step, one button per agency."""
    choices = [Choice(a.name, f"agency:{a.id}") for a in cat.agencies.values()]
    return say("Pilih instansi untuk melihat layanannya:", choices=choices)
