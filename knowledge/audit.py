"""Honesty rules `mpp-bot catalogue check` enforces beyond the schema.

Every source is a full URL or a citation; every figure a citizen acts on (fee, days, validity,
address, phone) has a source that states it (`evidence`) or is listed in `needs_verification`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from knowledge.catalogue import Catalogue, Problem
from knowledge.catalogue import _display as display  # one way to name a data file
from knowledge.models import Agency, Service

# A citation names publisher, date and title: "Kemenkeu, 2020-05-05, Perpres 64/2020 tentang ...".
CITATION = re.compile(r"^[^,]{2,}, \d{4}(?:-\d{2}){0,2}, .{5,}$")
SOCIAL = (
    "twitter.com",
    "x.com",
    "facebook.com",
    "fb.com",
    "instagram.com",
    "tiktok.com",
    "t.me",
    "threads.net",
    "wa.me",
)
# A fee states a figure when it has a number or says it is free ("Sesuai tagihan" states none).
FEE_FIGURE = re.compile(r"\d|gratis|tidak dipungut|tanpa biaya", re.I)
# A figure in free text: money, a percentage, or a number of days, months, years or hours.
FIGURE = re.compile(
    r"Rp\s?\d|\d+\s?%|\b\d+(?:[.,]\d+)?\s?(?:hari|minggu|bulan|tahun|jam|menit)\b", re.I
)


def source_problem(text: str) -> str | None:
    """Why a source is not acceptable, or None when it is a full URL or a citation."""
    if "…" in text or "..." in text:
        return f"'{text}' is cut short: give the full address or a citation"
    if not text.startswith(("http://", "https://")):
        if CITATION.match(text):
            return None
        return (
            f"'{text}' is neither a full URL (https://...) nor a citation (publisher, date, title)"
        )
    parts = urlsplit(text)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    if "." not in host or " " in text:
        return f"'{text}' is not a valid URL"
    if host in SOCIAL or any(host.endswith("." + s) for s in SOCIAL):
        return f"'{text}' is a social-media link: cite the official page or article instead"
    if re.search(r"/privacy|/kebijakan-privasi", parts.path, re.I):
        return f"'{text}' is a privacy-policy page, not a source for the fact"
    return None


def audit(cat: Catalogue) -> list[Problem]:
    """Every broken honesty rule in the catalogue, by file, entry and field."""
    mpp_file = display(cat.data_dir / "mpp.yaml")
    problems = [
        Problem(mpp_file, "mpp", "source", msg)
        for msg in filter(None, map(source_problem, cat.mpp.source))
    ]
    for agency in cat.agencies.values():
        file = display(cat.data_dir / "agencies" / f"{agency.id}.yaml")
        problems += [Problem(file, f"agency '{agency.id}'", f, m) for f, m in _agency(agency)]
        for service in agency.services:
            entry = f"service '{service.id}'"
            problems += [Problem(file, entry, f, m) for f, m in _service(service)]
    return problems


def _sources(entry: Agency | Service) -> Iterator[tuple[str, str]]:
    for text in entry.source:
        msg = source_problem(text)
        if msg:
            yield "source", msg
    for name, text in entry.evidence.items():
        msg = source_problem(text)
        if msg:
            yield f"evidence.{name}", msg


def _unsourced(entry: Agency | Service, name: str, value: str | None) -> Iterator[tuple[str, str]]:
    if value and name not in entry.evidence and name not in entry.needs_verification:
        yield (
            name,
            (
                f"no source states it: add 'evidence: {{{name}: <URL or citation>}}' "
                f"or put '{name}' in needs_verification"
            ),
        )


def _agency(agency: Agency) -> Iterator[tuple[str, str]]:
    yield from _sources(agency)
    if "present" in agency.needs_verification and not agency.referral:
        yield "referral", "the gerai is unconfirmed: say where the service is surely available"
    yield from _unsourced(agency, "contact", agency.contact)
    yield from _unsourced(agency, "referral", agency.referral)


def _service(service: Service) -> Iterator[tuple[str, str]]:
    yield from _sources(service)
    if service.fee and FEE_FIGURE.search(service.fee):
        yield from _unsourced(service, "fee", service.fee)
    yield from _unsourced(service, "processing_time", service.processing_time)
    for name in ("notes", "key_fact"):
        text = getattr(service, name)
        if text and FIGURE.search(text):
            yield from _unsourced(service, name, text)
    for name in ("requirements", "procedure"):
        figures = [line for line in getattr(service, name) if FIGURE.search(line)]
        if figures:
            yield from _unsourced(service, name, figures[0])
    place = service.place
    if place and place.address and "address" not in place.needs_verification:
        yield from _unsourced(service, "address", place.address)
