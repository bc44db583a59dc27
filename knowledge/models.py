"""Validated catalogue models: what the YAML files under knowledge/data must look like."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

VerifiableField = Literal[
    "present",
    "gerai",
    "floor",
    "hours",
    "queue_prefix",
    "contact",
    "fee",
    "processing_time",
    "requirements",
    "procedure",
    "online",
    "referral",
    "coordinates",
    "address",
    "location",
    "notes",
    "key_fact",
]

# The figures a citizen acts on; each needs a source that states it, or a flag.
FigureField = Literal[
    "fee",
    "processing_time",
    "notes",
    "key_fact",
    "requirements",
    "procedure",
    "address",
    "contact",
    "referral",
]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPAN = re.compile(r"^(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})$")


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not a time zone: use e.g. Asia/Jakarta") from None
    return value


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"'{value}' is not an id: use lowercase words joined by '-'")
    return value


def _check_day_spec(value: str) -> str:
    """A day is 'mpp' (the MPP's own hours), 'closed', or 'HH:MM-HH:MM'."""
    if value in ("mpp", "closed"):
        return value
    parse_span(value)
    return value


def parse_span(value: str) -> tuple[time, time]:
    """Parse '08:00-16:00' (or '08.00-16.00') into two times, opening before closing."""
    m = _SPAN.match(str(value).strip())
    if not m:
        raise ValueError(f"'{value}' is not a time span like 08:00-16:00")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
        raise ValueError(f"'{value}' has an hour or minute out of range")
    opens, closes = time(h1, m1), time(min(h2, 23), m2 if h2 < 24 else 59)
    if closes <= opens:
        raise ValueError(f"'{value}' closes before it opens")
    return opens, closes


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, AfterValidator(_nonblank)]
DaySpec = Annotated[str, AfterValidator(_check_day_spec)]
Schedule = dict[Weekday, DaySpec]
# Evidence: which source states which figure ("fee: https://..." or a citation).
Evidence = dict[FigureField, Text]


def _compiled() -> date:
    # `last_verified` is the old name: it was always the date the entry was compiled from public
    # sources, never a check by MPP staff. Both names load, so older entries stay valid.
    return Field(validation_alias=AliasChoices("compiled", "last_verified"))


# Checks that span several fields phrase their message "<field>: <problem>", so the loader can
# name the field (pydantic reports such errors against the whole entry).
class _Model(BaseModel):
    # Unknown keys are errors: a typo like `requirement:` must not silently drop data.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Place(_Model):
    """A place outside the MPP gerai where a service (or one step of it) happens."""

    name: Text  # "Satpas SIM Polres Batu", "SPKT Polsek terdekat"
    address: Text | None = None
    hours: Schedule | None = None  # None: not known (never assumed to be the MPP's hours)
    hours_note: Text | None = None
    at_mpp: bool = False  # True when the step named here can also be done at the MPP gerai
    needs_verification: list[VerifiableField] = []


class Service(_Model):
    id: Id
    name: Text
    words: list[Text] = []
    requirements: list[Text] = Field(min_length=1)
    fee: Text | None = None
    processing_time: Text | None = None
    procedure: list[Text] = []
    online: Text | None = None
    notes: Text | None = None
    key_fact: Text | None = None  # the one thing most askers need, shown on the first screen
    hours: Schedule | None = None
    place: Place | None = None  # where the service really happens, when not at the agency gerai
    source: list[Text] = []
    evidence: Evidence = {}
    compiled: date = _compiled()
    confirmed: date | None = None  # the day MPP staff confirmed the entry; None until they do
    needs_verification: list[VerifiableField] = []
    # Filled in by the loader from the file the service sits in.
    agency: str = ""

    @model_validator(mode="after")
    def _unknown_is_flagged(self) -> Service:
        # An empty fee or time must be an admitted gap, never a silent omission.
        for name in ("fee", "processing_time"):
            if getattr(self, name) is None and name not in self.needs_verification:
                raise ValueError(f"{name}: empty: give it, or add '{name}' to needs_verification")
        return self


class Agency(_Model):
    id: Id
    name: Text
    short_names: list[Text] = []
    words: list[Text] = []
    present: bool = True
    gerai: Text | None = None
    floor: Text | None = None
    hours: Schedule | None = None
    hours_note: Text | None = None
    queue_prefix: Annotated[str, Field(pattern=r"^[A-Z]{1,2}$")] | None = None
    contact: Text | None = None
    referral: Text | None = None
    online: Text | None = None
    source: list[Text] = []
    evidence: Evidence = {}
    compiled: date = _compiled()
    confirmed: date | None = None
    needs_verification: list[VerifiableField] = []
    services: list[Service] = []

    @model_validator(mode="after")
    def _absent_needs_referral(self) -> Agency:
        if not self.present and not self.referral:
            raise ValueError("referral: present is false, so say where to go instead")
        return self


class Facility(_Model):
    id: Id
    name: Text
    words: list[Text] = []
    location: Text | None = None
    notes: Text | None = None
    agency: Id | None = None
    needs_verification: list[VerifiableField] = []


class InfoTopic(_Model):
    id: Id
    name: Text
    words: list[Text] = []
    text: Text | None = None


class Coordinates(_Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Closure(_Model):
    """A local exception to the weekly hours: a closed day, or special hours (e.g. Ramadan)."""

    start: date
    end: date | None = None
    reason: Text
    # None: closed all day. A span: open these hours on days the MPP would be open.
    hours: DaySpec | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Closure:
        if self.end and self.end < self.start:
            raise ValueError("end: is before start")
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day <= (self.end or self.start)


class Mpp(_Model):
    name: Text
    short_names: list[Text] = []
    address: Text
    building: Text | None = None
    coordinates: Coordinates | None = None
    maps_url: Text | None = None
    timezone: Annotated[Text, AfterValidator(_check_timezone)] = "Asia/Jakarta"
    hours: Schedule
    hours_source: Text | None = None
    closures: list[Closure] = []
    contact: Text | None = None
    source: list[Text] = []
    compiled: date = _compiled()
    confirmed: date | None = None
    needs_verification: list[VerifiableField] = []
    info: list[InfoTopic] = []
