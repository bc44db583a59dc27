"""The catalogue in use, with everything derived from it, swapped in whole when the files change.

A reload reads and validates the folder first; only a catalogue that passes `catalogue check`
replaces the one serving. Change is noticed by polling file sizes and modification times (no
watcher dependency; a few stat calls every few seconds cost nothing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.hours import OpeningHours
from knowledge.matcher import Matcher
from knowledge.models import Agency

WATCHED = ("*.yaml", "*.yml", "*.tsv")


@dataclass(frozen=True)
class Knowledge:
    """One consistent generation: the catalogue and all that is built from it."""

    catalogue: Catalogue
    matcher: Matcher
    hours: OpeningHours
    queue_prefixes: dict[str, Agency]
    version: str
    loaded_at: datetime | None

    @classmethod
    def build(
        cls,
        catalogue: Catalogue,
        matcher: Matcher | None = None,
        version: str = "",
        loaded_at: datetime | None = None,
    ) -> Knowledge:
        prefixes = {a.queue_prefix: a for a in catalogue.agencies.values() if a.queue_prefix}
        return cls(
            catalogue=catalogue,
            matcher=matcher or Matcher(catalogue),
            hours=OpeningHours(catalogue.mpp),
            queue_prefixes=prefixes,
            version=version or catalogue_version(catalogue.data_dir),
            loaded_at=loaded_at,
        )

    def health(self) -> dict[str, object]:
        """What /healthz reports about the catalogue in use."""
        return {
            "services": len(self.catalogue.services),
            "loaded_at": self.loaded_at.isoformat() if self.loaded_at else None,
            "version": self.version,
        }


def data_files(data_dir: Path) -> list[Path]:
    return sorted({p for pattern in WATCHED for p in Path(data_dir).rglob(pattern)})


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Cheap: names, sizes and modification times; a changed file changes it."""
    found = []
    for path in data_files(data_dir):
        try:
            stat = path.stat()
        except OSError:  # deleted between listing and stat: the next poll sees it
            continue
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def catalogue_version(data_dir: Path) -> str:
    """A short hash of every data file's name and content: equal content, equal version."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def load_knowledge(data_dir: Path, now: datetime) -> Knowledge:
    """Read and validate the folder and build what derives from it (CatalogueError if broken)."""
    version = catalogue_version(data_dir)
    return Knowledge.build(load_catalogue(data_dir), version=version, loaded_at=now)
