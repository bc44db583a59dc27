"""Short answers to one part of a service's card: "biayanya berapa?" after a service answer."""

from __future__ import annotations

from datetime import datetime

from handlers.cards import doubt_lines
from handlers.format import FIELD_NAMES, explain_jargon, unverified
from handlers.types import Block, Choice, Reply
from handlers.where import place_lines
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.models import Service
from knowledge.normalize import Lexicon, tokens

# The data field behind each part (for the "not verified yet" warning).
FIELDS = {
    "fee": "fee",
    "duration": "processing_time",
    "requirements": "requirements",
    "procedure": "procedure",
    "online": "online",
    "where": "location",
    "hours": "hours",
    "contact": "contact",
}
REPRESENT_WORDS = ("kuasa", "wakil", "datang sendiri")
NOT_KNOWN = "belum ada data, tanyakan di loket informasi"


def service_parts(
    service: Service, parts: tuple[str, ...], cat: Catalogue, hours: OpeningHours, now: datetime
) -> Reply:
    """One short block per part asked for, the unsure ones flagged, and a way to the full card."""
    lines: list[str] = []
    for part in parts:
        lines += _part(service, part, cat, hours, now)
    agency = cat.agency_of(service)
    unsure = [
        FIELD_NAMES.get(FIELDS[p], p)
        for p in parts
        if p in FIELDS and FIELDS[p] in (*service.needs_verification, *agency.needs_verification)
    ]
    warning = unverified(unsure)
    if warning:
        lines.append(f"⚠️ {warning}")
    full = Choice("Lihat info lengkap", f"service:{service.id}")
    return Reply([Block(explain_jargon(lines), title=service.name)], [full])


def _part(
    service: Service, part: str, cat: Catalogue, hours: OpeningHours, now: datetime
) -> list[str]:
    agency = cat.agency_of(service)
    if part == "fee":
        return [f"Biaya: {service.fee or NOT_KNOWN}"]
    if part == "duration":
        return [f"Lama proses: {service.processing_time or NOT_KNOWN}"]
    if part == "requirements":
        return ["Syarat:", *(f"• {r}" for r in service.requirements)]
    if part == "procedure":
        steps = " → ".join(service.procedure)
        return [f"Alur: {steps}" if steps else f"Alur: {NOT_KNOWN}"]
    if part == "online":
        if service.online:
            return [f"Online: {service.online}"]
        if agency.online:  # the agency's, which may or may not cover this service
            return [f"Online ({agency.name}): {agency.online}"]
        return ["Online: belum ada data layanan online."]
    if part == "contact":
        return [f"Kontak {agency.name}: {agency.contact or NOT_KNOWN}"]
    if part == "represent":
        return _represent(service, cat)
    return _place_and_hours(service, part, cat, hours, now)


def _place_and_hours(
    service: Service, part: str, cat: Catalogue, hours: OpeningHours, now: datetime
) -> list[str]:
    """Where and when, as surely as the card says it: the service's own place, estimated hours."""
    agency = cat.agency_of(service)
    own = service.place is not None
    doubt = doubt_lines(agency, own_place=own)
    if not agency.present and not own:
        return doubt
    lines = place_lines(service, cat, hours, now)
    if part != "where":
        lines = [line for line in lines if not line.startswith("Tempat:")]
    if agency.hours_note and part == "hours":
        lines.append(agency.hours_note)
    return doubt + lines


def _represent(service: Service, cat: Catalogue) -> list[str]:
    """Whether someone else may come: the data has no such field, so say what it does say."""
    said = [r for r in service.requirements if _about_representing(r)]
    notes = [n for n in _note_sentences(service) if _about_representing(n)]
    if said or notes:
        lines = ["Yang disebut di data layanan ini:", *(f"• {r}" for r in said)]
        return lines + [f"• {n}." for n in notes]
    desk = cat.facilities.get("loket-informasi")
    where = f" ({desk.location})" if desk and desk.location else ""
    return [
        "Bisa diwakilkan atau tidak: belum ada datanya di sini.",
        f"Silakan tanyakan di loket informasi MPP{where} sebelum mengutus orang lain.",
    ]


def mentions(service: Service, words: tuple[str, ...], lexicon: Lexicon) -> Reply | None:
    """'kalau buat anak?' after the passport: the requirements and notes of the topic that
    name those words ("Anak: KTP-el dan paspor orang tua ..."), not the whole card again.
    None when the data says nothing of them."""
    wanted = set(words)
    notes = [f"{n}." for n in _note_sentences(service)]
    said = [
        line
        for line in (*service.requirements, *notes, service.key_fact)
        if line and wanted & set(tokens(line, lexicon))
    ]
    if not said:
        return None
    lines = ["Yang disebut di data layanan ini:", *(f"• {line}" for line in said)]
    full = Choice("Lihat info lengkap", f"service:{service.id}")
    return Reply([Block(explain_jargon(lines), title=service.name)], [full])


def _note_sentences(service: Service) -> list[str]:
    """The service's notes one sentence at a time, without the closing full stop."""
    return [n.strip().rstrip(".") for n in (service.notes or "").split(". ") if n.strip()]


def _about_representing(text: str) -> bool:
    return any(word in text.lower() for word in REPRESENT_WORDS)
