"""Answer cards for one catalogue entry: a service, an agency or a facility."""

from __future__ import annotations

from datetime import datetime

from handlers.format import open_line, short_date, unverified
from handlers.types import Block, Choice, Reply
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours
from knowledge.models import Agency, Facility, Service

MAX_SERVICE_CHOICES = 12
NOT_KNOWN = "belum ada data, tanyakan di loket informasi"
# Of an agency's unsure facts, the ones a service card shows (its contact is not on the card).
AGENCY_FIELDS_ON_SERVICE_CARD = ("present", "gerai", "floor", "hours", "referral")


def place(agency: Agency) -> str:
    """'Gerai 5, Gedung B lantai 2' or the honest 'nomor gerai belum dipastikan'."""
    gerai = f"Gerai {agency.gerai}" if agency.gerai else "nomor gerai belum dipastikan"
    return f"{gerai}, {agency.floor}" if agency.floor else gerai


def _where(agency: Agency, status_line: str) -> list[str]:
    if not agency.present:
        return [
            f"Instansi: {agency.name}",
            "Layanan ini BELUM ADA di MPP Among Warga.",
            f"Silakan ke: {agency.referral}",
        ]
    lines = [f"Instansi: {agency.name}", f"Tempat: {place(agency)}", status_line]
    if agency.hours_note:
        lines.append(agency.hours_note)
    return lines


def service_card(
    service: Service, cat: Catalogue, hours: OpeningHours, now: datetime, lead: str | None = None
) -> Reply:
    agency = cat.agency_of(service)
    status = hours.status(now, agency.hours, service.hours)
    blocks = [Block(_where(agency, open_line(status, now)), title=service.name)]
    blocks.append(Block([f"• {r}" for r in service.requirements], title="Persyaratan:"))
    facts = [
        f"Biaya: {service.fee or NOT_KNOWN}",
        f"Lama proses: {service.processing_time or NOT_KNOWN}",
    ]
    if service.online:
        facts.append(f"Online: {service.online}")
    if service.procedure:
        facts.append("Alur: " + " → ".join(service.procedure))
    if service.notes:
        facts.append(f"Catatan: {service.notes}")
    blocks.append(Block(_lead_first(facts, lead)))
    shown = [f for f in agency.needs_verification if f in AGENCY_FIELDS_ON_SERVICE_CARD]
    blocks.append(Block(_footer(service.needs_verification + shown, service.last_verified)))
    return Reply(blocks)


def _lead_first(facts: list[str], lead: str | None) -> list[str]:
    """Put the line the citizen asked about (fee, duration) first."""
    prefix = {"fee": "Biaya", "duration": "Lama proses", "procedure": "Alur"}.get(lead or "")
    if not prefix:
        return facts
    return sorted(facts, key=lambda line: not line.startswith(prefix))


def _footer(fields: list[str], last_verified: object) -> list[str]:
    lines = []
    warning = unverified(list(dict.fromkeys(fields)))
    if warning:
        lines.append(f"⚠️ {warning}")
    lines.append(
        f"Data diperiksa: {short_date(last_verified)}"  # type: ignore[arg-type]
        if last_verified
        else "Data belum diperiksa."
    )
    return lines


def agency_card(agency: Agency, cat: Catalogue, hours: OpeningHours, now: datetime) -> Reply:
    status = hours.status(now, agency.hours)
    blocks = [Block(_where(agency, open_line(status, now)), title=agency.name)]
    services = cat.services_of(agency.id)
    if agency.online:
        blocks.append(Block([f"Online: {agency.online}"]))
    if agency.contact:
        blocks.append(Block([f"Kontak: {agency.contact}"]))
    listing = [f"• {s.name}" for s in services]
    blocks.append(
        Block(listing or ["(belum ada layanan tercatat)"], title=f"Layanan ({len(services)}):")
    )
    blocks.append(Block(_footer(agency.needs_verification, agency.last_verified)))
    choices = [Choice(s.name, f"service:{s.id}") for s in services[:MAX_SERVICE_CHOICES]]
    return Reply(blocks, choices)


def facility_card(facility: Facility) -> Reply:
    lines = [f"Letak: {facility.location or 'belum dipastikan'}"]
    if facility.notes:
        lines.append(facility.notes)
    warning = unverified(list(facility.needs_verification))
    if warning:
        lines.append(f"⚠️ {warning}")
    return Reply([Block(lines, title=facility.name)])
