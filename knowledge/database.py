"""Write the validated catalogue to a SQLite knowledge database staff can open in any tool."""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils

from knowledge.catalogue import Catalogue

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(ValueError):
    """The output path cannot take a knowledge database; the message says why, in one line."""


def build_database(catalogue: Catalogue, path: Path | str) -> sqlite_utils.Database:
    """Write the catalogue to a new file, then put it in place of the old one at once: a
    deleted agency leaves no rows behind, and a reader never sees half a database."""
    path = Path(path)
    _check_target(path)
    fresh = path.with_name(f".{path.name}.building")
    fresh.unlink(missing_ok=True)
    try:
        _fill(sqlite_utils.Database(fresh), catalogue).close()
        os.replace(fresh, path)
    finally:
        fresh.unlink(missing_ok=True)
    return sqlite_utils.Database(path)


def _check_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise DatabaseError(f"{path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder; give a file name, e.g. {path}/knowledge.db")
    if path.exists():
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
        if head and head != SQLITE_HEADER:
            raise DatabaseError(f"{path}: is not a SQLite database; refusing to overwrite it")


def _fill(db: sqlite_utils.Database, catalogue: Catalogue) -> sqlite_utils.Database:
    data = catalogue.export()
    with db.conn:
        db["mpp"].insert({"id": 1, **data["mpp"]}, pk="id", alter=True)
        db["agencies"].insert_all(data["agencies"], pk="id", alter=True)
        services = [{k: v for k, v in s.items() if k != "requirements"} for s in data["services"]]
        db["services"].insert_all(
            services, pk="id", alter=True, foreign_keys=[("agency", "agencies", "id")]
        )
        db["requirements"].insert_all(
            (
                {"service": s["id"], "position": i + 1, "text": text}
                for s in data["services"]
                for i, text in enumerate(s["requirements"])
            ),
            pk=("service", "position"),
            foreign_keys=[("service", "services", "id")],
        )
        db["facilities"].insert_all(data["facilities"], pk="id", alter=True)
        db["info"].insert_all(data["info"], pk="id", alter=True)
    return db
