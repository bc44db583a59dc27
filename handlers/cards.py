"""Answer cards for one catalogue entry: a service, an agency or a facility.

A service answer is phone-first: the first message (requirements, fee, where and when) fits one
phone screen; procedure, notes and online channels wait behind the "Detail" button.
"""

from __future__ import annotations

import re
from datetime import datetime

from handlers.format import explain_jargon, provenance, unverified
from handlers.types import Block, Choice, Reply
from handlers.where import place, place_lines, short_name, unconfirmed, when_line
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.models import Agency, Facility, Service

MAX_SERVICE_CHOICES = 12
# One phone screen: what the first message of a service answer must fit in.
PHONE_CHARS = 600
PHONE_LINES = 12
# Of a service's unsure facts, the ones worth a word on the first screen; the rest in Detail.
FIRST_SCREEN_FLAGS = ("fee", "processing_time", "requirements", "location")
SERVICE_FIELD_NAMES = {"location": "tempat layanan"}
ASK_DESK = "Tanyakan di loket informasi MPP."


def fits_phone(reply: Reply) -> bool:
    text = reply.plain_text()
    return len(text) <= PHONE_CHARS and len(text.splitlines()) <= PHONE_LINES


def referral_text(agency: Agency) -> str:
    """Where to go instead; an unsure address is flagged right after the place it belongs to."""
    text = agency.referral or "tanyakan di loket informasi MPP"
    if "referral" not in agency.needs_verification:
        return text
    # The place is the first clause: up to the first "; " or sentence end ("Jl. " is no end).
    end = re.search(r"(?<!Jl)(?<!No)\. (?=[A-Z])|; ", text)
    cut = end.start() if end else len(text)
    return f"{text[:cut].rstrip('.')} (alamat belum dipastikan){text[cut:]}"


def doubt_lines(agency: Agency, own_place: bool = False) -> list[str]:
    """For an agency not (surely) in the building: the doubt first, then where to go instead.

    A service with its own place says where it happens in its "Tempat" line instead.
    """
    if not agency.present:
        if own_place:
            return ["Belum ada di MPP Among Warga."]
        return [f"Belum ada di MPP Among Warga. Silakan ke: {referral_text(agency)}"]
    if unconfirmed(agency):
        doubt = f"⚠️ Belum pasti ada gerai {short_name(agency)} di MPP Among Warga."
        return [doubt] if own_place else [doubt, f"Pasti dilayani di: {referral_text(agency)}"]
    return []


def service_card(
    service: Service, cat: Catalogue, hours: OpeningHours, now: datetime, lead: str | None = None
) -> Reply:
    """The first message: as many requirements as fit one phone screen, the rest in Detail.

    When even one requirement does not fit, the processing time moves to Detail first, then
    the requirements are only counted.
    """
    agency = cat.agency_of(service)
    for with_time in (True, False):
        for shown in range(len(service.requirements), -1, -1):
            reply = _first_message(service, agency, (cat, hours, now), lead, shown, with_time)
            if fits_phone(reply):
                return reply
    return reply


def _first_message(
    service: Service,
    agency: Agency,
    context: tuple[Catalogue, OpeningHours, datetime],
    lead: str | None,
    shown: int,
    with_time: bool,
) -> Reply:
    doubt = doubt_lines(agency, own_place=service.place is not None)
    where = [] if doubt and service.place is None else place_lines(service, *context)
    bullets = [f"• {r}" for r in service.requirements[:shown]]
    rest = len(service.requirements) - shown
    if rest and shown:
        bullets.append(f"• dan {rest} syarat lain (tekan Detail)")
    elif rest:
        bullets.append(f"• {rest} syarat: tekan Detail")
    facts = [f"Biaya: {service.fee or 'belum diketahui'}"]
    if service.key_fact:
        facts.insert(0, f"Penting: {service.key_fact}")
    if service.processing_time and with_time:
        facts.append(f"Lama proses: {service.processing_time}")
    elif lead == "duration" and not service.processing_time:
        # "pirt berapa lama jadinya?": asked, so said, even when no source gives it.
        facts.append("Lama proses: belum diketahui")
    if lead == "procedure" and service.procedure:
        facts.append("Alur: " + " → ".join(service.procedure))
    asked_facts = lead in ("fee", "duration", "procedure")
    body = [*facts, "Syarat:", *bullets] if asked_facts else ["Syarat:", *bullets, *facts]
    body.append(_footer(service, agency, FIRST_SCREEN_FLAGS))
    blocks = [Block(doubt)] if doubt else []
    blocks += [Block(where, title=service.name), Block(body)]
    detail = [Choice("Detail", f"detail:service:{service.id}")]
    return Reply(_explained(_merge_title(blocks)), detail)


def _explained(blocks: list[Block]) -> list[Block]:
    """Jargon explained at its first use in the message; titles stay the entry's own name."""
    seen: set[str] = set()
    return [Block(explain_jargon(b.lines, seen), b.title) for b in blocks]


def _merge_title(blocks: list[Block]) -> list[Block]:
    # With no where-lines, the title would stand alone: let it head the requirements instead.
    out: list[Block] = []
    for block in blocks:
        if out and not out[-1].lines and out[-1].title:
            out[-1] = Block(block.lines, out[-1].title)
        else:
            out.append(block)
    return out


def _footer(service: Service, agency: Agency, only: tuple[str, ...] | None = None) -> str:
    """Where the data comes from, and which of the facts shown are still unsure."""
    flags = list(service.needs_verification)
    if only is not None:
        # A missing fee or time already says "belum diketahui": name only what is shown.
        flags = [f for f in flags if f in only and getattr(service, f, True) is not None]
    names = [SERVICE_FIELD_NAMES.get(f, f) for f in flags]
    warning = unverified(names)
    elsewhere = service.place and not service.place.at_mpp
    if warning and (elsewhere or not agency.present):
        # The citizen goes elsewhere, so the MPP desk is not where to ask.
        warning = warning.replace(ASK_DESK, "Pastikan ke petugas di sana.")
    origin = provenance(service.compiled, service.confirmed)
    return f"ℹ️ {origin} {warning}" if warning else f"ℹ️ {origin}"


def service_detail(service: Service, cat: Catalogue) -> Reply:
    """Everything behind the Detail button: full requirements, steps, notes, online channels."""
    agency = cat.agency_of(service)
    bullets = [f"• {r}" for r in service.requirements]
    blocks = [Block(["Syarat lengkap:", *bullets], title=f"{service.name}: detail")]
    if service.procedure:
        steps = [f"{i}. {step}" for i, step in enumerate(service.procedure, 1)]
        blocks.append(Block(steps, title="Alur:"))
    extra = []
    if service.processing_time:
        extra.append(f"Lama proses: {service.processing_time}")
    for note in (agency.hours_note, service.place and service.place.hours_note):
        if note:
            extra.append(note)
    if service.notes:
        extra.append(f"Catatan: {service.notes}")
    if service.online or agency.online:
        extra.append(f"Online: {service.online or agency.online}")
    if agency.contact:
        extra.append(f"Kontak {short_name(agency)}: {agency.contact}")
    extra.append(_footer(service, agency))
    blocks.append(Block(extra))
    return Reply(_explained(blocks))


def agency_card(agency: Agency, cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    """The agency, where and when, and its services once: as buttons, never also as text."""
    doubt = doubt_lines(agency)
    lines = []
    if agency.present:
        when = when_line(cat, hours, now, (agency.hours,), agency.needs_verification)
        label = "Tempat di MPP (bila ada)" if doubt else "Tempat"
        lines += [f"{label}: {place(agency)}", when]
    if agency.hours_note:
        lines.append(agency.hours_note)
    if agency.online:
        lines.append(f"Online: {agency.online}")
    if agency.contact:
        lines.append(f"Kontak: {agency.contact}")
    services = cat.services_of(agency.id)
    listing = f"Layanan: {len(services)}. Pilih di bawah"
    if len(services) > MAX_SERVICE_CHOICES:
        listing += ", atau ketik nama layanan lain yang Anda cari"
    footer = unverified([f for f in agency.needs_verification if f in ("contact", "online")])
    tail = [listing + "." if services else "Belum ada layanan tercatat."]
    tail.append(f"ℹ️ {provenance(agency.compiled, agency.confirmed)} {footer or ''}".strip())
    blocks = [Block(doubt)] if doubt else []
    blocks += [Block(lines, title=agency.name), Block(tail)]
    choices = [Choice(s.name, f"service:{s.id}") for s in services[:MAX_SERVICE_CHOICES]]
    return Reply(_explained(_merge_title(blocks)), choices)


def agency_when(agency: Agency, cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    """ "buka ga hari ini?" after an agency: where and when only, not its whole card again."""
    if not agency.present or doubt_lines(agency):
        return agency_card(agency, cat, hours, now)  # the referral is the answer there
    when = when_line(cat, hours, now, (agency.hours,), agency.needs_verification)
    lines = [f"Tempat: {place(agency)}", when, *([agency.hours_note] if agency.hours_note else [])]
    more = Choice(f"Layanan {short_name(agency)}", f"agency:{agency.id}")
    return Reply([Block(lines, title=agency.name)], [more])


def facility_card(facility: Facility) -> Reply:
    lines = [f"Letak: {facility.location or 'belum dipastikan'}"]
    if facility.notes:
        lines.append(facility.notes)
    warning = unverified(list(facility.needs_verification))
    if warning and facility.id == "loket-informasi":
        warning = warning.replace(ASK_DESK, "Tanyakan ke petugas MPP yang Anda temui.")
    if warning:
        lines.append(f"⚠️ {warning}")
    return Reply([Block(lines, title=facility.name)])
