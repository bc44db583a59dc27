"""The building: opening hours, location, the list of agencies, and the other info topics."""

from __future__ import annotations

import re
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
    week = _week_lines(cat)
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


def _week_lines(cat: Catalogue) -> list[str]:
    """Days with the same hours on one line ("Senin-Jumat: 08.00-16.00"): short on a phone."""
    runs: list[tuple[int, int, str]] = []
    for i, day in enumerate(WEEKDAYS):
        spec = cat.mpp.hours.get(day)  # type: ignore[call-overload]
        text = spec.replace(":", ".") if spec else "tutup"
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], i, text)
        else:
            runs.append((i, i, text))
    return [f"{DAY_NAMES[a]}{'-' + DAY_NAMES[b] if b > a else ''}: {text}" for a, b, text in runs]


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


BROWSE_REF = "info:layanan"  # the agency -> service buttons (/layanan)
BROWSE_LABEL = "Telusuri layanan per instansi"


def short_name(name: str) -> str:
    """'Samsat Kota Batu (UPT PPD Bapenda ...)' -> 'Samsat Kota Batu': enough to recognise."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip() or name


def button_name(name: str) -> str:
    """Shorter still for a button: 'Dinas Sosial', 'DP3AP2KB' (every agency is in Kota Batu)."""
    acronym = re.search(r"\(([A-Z0-9]{3,})\)", name)
    short = short_name(name)
    if acronym and len(short) > 30:
        return acronym.group(1)
    return short.removesuffix(" Kota Batu")


def agencies_reply(cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    """Agencies grouped by where they are and whether they are open now: a phone screen or
    two, not one long line and one button per agency."""
    groups: dict[str, list[str]] = {}
    elsewhere = []
    estimate = hours_unverified(cat)  # then one estimate for all, not "buka" per group
    for agency in cat.agencies.values():
        if not agency.present:
            elsewhere.append(f"• {short_name(agency.name)}")
            continue
        state = "buka" if hours.status(now, agency.hours).open_now else "tutup"
        unsure = " (?)" if "present" in agency.needs_verification else ""
        where = place(agency) if estimate else f"{place(agency)}: sekarang {state}"
        groups.setdefault(where, []).append(f"• {short_name(agency.name)}{unsure}")
    here = sum(len(lines) for lines in groups.values())
    head = [when_line(cat, hours, now, (), [])] if estimate else []
    blocks = [Block(head, title=f"Instansi di {cat.mpp.name} ({here}):")]
    blocks += [Block(lines, title=f"{where} ({len(lines)})") for where, lines in groups.items()]
    if elsewhere:
        blocks.append(Block(elsewhere, title="Belum ada di MPP (ketik namanya untuk rujukan):"))
    notes = ["Ketik nama instansi (misalnya: samsat) untuk melihat layanannya."]
    if any("(?)" in line for lines in groups.values() for line in lines):
        notes.insert(0, "(?) keberadaan gerainya belum dipastikan.")
    blocks.append(Block(notes))
    return Reply(blocks, [Choice(BROWSE_LABEL, BROWSE_REF)])


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
    choices = [Choice(button_name(a.name), f"agency:{a.id}") for a in cat.agencies.values()]
    return say("Pilih instansi untuk melihat layanannya:", choices=choices)
