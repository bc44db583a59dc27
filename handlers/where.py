"""Where and when a service happens, said only as surely as the data allows."""

from __future__ import annotations

import re
from datetime import datetime

from handlers.format import DAY_NAMES, hhmm, open_line, short_date, when
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.models import WEEKDAYS, Agency, Schedule, Service, parse_span

ACRONYMS = {"bpjs", "bpn", "bnn", "kpp", "pln", "dp3ap2kb", "mpp", "pn", "pa", "pdam", "ptsp"}


def short_name(agency: Agency) -> str:
    """'Samsat' rather than the long official name: the citizen looks for the sign."""
    if not agency.short_names:
        return agency.name
    words = agency.short_names[0].split()
    # An acronym the official name spells in capitals stays so: "DPMPTSP", never "Dpmptsp".
    spelled = set(re.findall(r"\b[A-Z0-9]{2,}\b", agency.name))
    upper = {w for w in words if w in ACRONYMS or w.upper() in spelled}
    return " ".join(w.upper() if w in upper else w.capitalize() for w in words)


def place(agency: Agency) -> str:
    """'Gerai 5, Gedung B lantai 2'; an unknown gerai number is left out (the floor is enough)."""
    parts = [f"Gerai {agency.gerai}" if agency.gerai else "", agency.floor or ""]
    return ", ".join(p for p in parts if p) or "letak belum dipastikan"


def unconfirmed(agency: Agency) -> bool:
    """Listed at the MPP, but no source confirms the gerai is really in the building."""
    return agency.present and "present" in agency.needs_verification


def hours_unverified(cat: Catalogue, *flag_lists: list[str]) -> bool:
    """True while the MPP's hours (or an override's) are a marked default, not a checked fact."""
    return "hours" in cat.mpp.needs_verification or any("hours" in f for f in flag_lists)


def week_summary(mpp_hours: Schedule, *layers: Schedule | None) -> str:
    """'Senin-Jumat 08.00-16.00' or 'Selasa 08.00-16.00' from the weekly schedules."""
    runs: list[tuple[int, int, str]] = []
    for i, day in enumerate(WEEKDAYS):
        spec = mpp_hours.get(day, "closed")  # type: ignore[call-overload]
        for layer in layers:
            if layer is not None:
                own = layer.get(day, "closed")  # type: ignore[call-overload]
                spec = spec if own == "mpp" else own
        if spec == "closed":
            continue
        opens, closes = parse_span(spec)
        span = f"{hhmm(opens)}-{hhmm(closes)}"
        if runs and runs[-1][1] == i - 1 and runs[-1][2] == span:
            runs[-1] = (runs[-1][0], i, span)
        else:
            runs.append((i, i, span))
    parts = [f"{DAY_NAMES[a]}{'-' + DAY_NAMES[b] if b > a else ''} {span}" for a, b, span in runs]
    return ", ".join(parts) or "tidak ada jadwal tetap"


def when_line(
    cat: Catalogue,
    hours: OpeningHours,
    now: datetime,
    layers: tuple[Schedule | None, ...],
    flags: list[str],
    long: bool = False,
) -> str:
    """'Jam: ...' for the MPP gerai: a plain 'open now' only when the hours are confirmed.

    `long` names the next opening in full ('Senin, 30 November 2026 pukul 08.00').
    """
    status = hours.status(now, *layers)
    if not hours_unverified(cat, flags):
        return open_line(status, now)
    usual = f"Jam: perkiraan, biasanya buka {week_summary(cat.mpp.hours, *layers)}"
    # "Buka ga sekarang?" gets a plain answer, by the estimate and saying so.
    if status.open_now and status.today.span:
        closes = hhmm(status.today.span[1])
        return f"{usual}; menurut perkiraan ini sekarang buka, sampai {closes}."
    if status.next_open is None:
        return usual + "."
    later = when(status.next_open, now) if long else _soon(status.next_open, now)
    reason = status.today.reason
    if reason and not status.today.is_open:
        # A holiday is a fact; only the hours after it are estimated.
        return f"Jam: hari ini libur ({reason}); perkiraan buka lagi {later}."
    return f"{usual}; sekarang tutup, buka lagi {later}."


def _soon(moment: datetime, now: datetime) -> str:
    """'besok 08.00' or 'Senin 28 Des 08.00': short enough for the first screen."""
    gap = (moment.date() - now.date()).days
    day = {0: "hari ini", 1: "besok"}.get(gap)
    if day is None:
        day = f"{DAY_NAMES[moment.weekday()]} {short_date(moment.date()).rsplit(' ', 1)[0]}"
    return f"{day} {hhmm(moment.time())}"


def place_lines(service: Service, cat: Catalogue, hours: OpeningHours, now: datetime) -> list[str]:
    """'Tempat: ...' and 'Jam: ...': the service's own place, else the agency's MPP gerai."""
    agency = cat.agency_of(service)
    own = service.place
    if own is None:
        where = f"Tempat: {short_name(agency)} di MPP, {place(agency)}"
        layers = (agency.hours, service.hours)
        flags = agency.needs_verification + service.needs_verification
        return [where, when_line(cat, hours, now, layers, flags)]
    address = own.address or "alamat belum dipastikan"
    if own.address and "address" in own.needs_verification:
        address += " (belum dipastikan)"
    where = f"Tempat: {own.name}, {address}"
    if own.at_mpp:
        where += f"; atau {short_name(agency)} di MPP"
    if own.hours is None:
        return [where, "Jam: belum diketahui, tanyakan dulu sebelum datang."]
    borrowed = "mpp" in own.hours.values() and hours_unverified(cat)
    if "hours" in own.needs_verification or borrowed:
        usual = week_summary(cat.mpp.hours, own.hours)
        return [where, f"Jam: perkiraan, biasanya buka {usual}."]
    return [where, open_line(hours.status(now, own.hours), now)]
