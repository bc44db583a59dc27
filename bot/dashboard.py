"""What the staff dashboard pages show: today's queues, and the catalogue fields to verify."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from knowledge.catalogue import Catalogue
from state.reminders import ReminderStore


@dataclass
class VerifyGroup:
    name: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(i["fields"]) for i in self.items)


def unverified(catalogue: Catalogue) -> list[VerifyGroup]:
    """Every field still in needs_verification, grouped by agency (MPP and facilities first)."""
    mpp = VerifyGroup(catalogue.mpp.name)
    if catalogue.mpp.needs_verification:
        mpp.items.append(_item("mpp", catalogue.mpp.name, catalogue.mpp.needs_verification))
    for fac_id, fac in catalogue.facilities.items():
        if fac.needs_verification:
            mpp.items.append(_item(f"facility:{fac_id}", fac.name, fac.needs_verification))
    groups = [mpp] if mpp.items else []
    for agency_id, agency in catalogue.agencies.items():
        group = VerifyGroup(agency.name)
        if agency.needs_verification:
            group.items.append(
                _item(f"agency:{agency_id}", agency.name, agency.needs_verification)
            )
        for service in catalogue.services_of(agency_id):
            if service.needs_verification:
                ref = f"service:{service.id}"
                group.items.append(_item(ref, service.name, service.needs_verification))
        if group.items:
            groups.append(group)
    return groups


def _item(ref: str, name: str, fields: list[str]) -> dict[str, Any]:
    return {"ref": ref, "name": name, "fields": list(fields)}


def queues_today(
    store: ReminderStore, catalogue: Catalogue, now: datetime
) -> list[dict[str, Any]]:
    agencies = {a.queue_prefix: a.name for a in catalogue.agencies.values() if a.queue_prefix}
    waiting = store.subscriber_counts(now)
    return [
        {
            "prefix": s.prefix,
            "agency": agencies.get(s.prefix, ""),
            "last_called": f"{s.prefix}{s.number:03d}",
            "counter": s.counter,
            "time": datetime.fromisoformat(s.called_at).strftime("%H:%M"),
            "subscribers": waiting.get(s.prefix, 0),
        }
        for s in store.states(now)
    ]
