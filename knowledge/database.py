"""Write the validated catalogue to a SQLite knowledge database staff can open in any tool."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from knowledge.catalogue import Catalogue


def build_database(catalogue: Catalogue, path: Path | str) -> sqlite_utils.Database:
    """Replace every table with the catalogue's current content (the YAML stays the source)."""
    db = sqlite_utils.Database(path)
    data = catalogue.export()
    with db.conn:
        db["mpp"].insert({"id": 1, **data["mpp"]}, pk="id", replace=True, alter=True)
        db["agencies"].insert_all(data["agencies"], pk="id", replace=True, alter=True)
        services = [{k: v for k, v in s.items() if k != "requirements"} for s in data["services"]]
        db["services"].insert_all(
            services,
            pk="id",
            replace=True,
            alter=True,
            foreign_keys=[("agency", "agencies", "id")],
        )
        # Requirements are rebuilt whole: a shorter list must not leave stale rows behind.
        db["requirements"].drop(ignore=True)
        db["requirements"].insert_all(
            (
                {"service": s["id"], "position": i + 1, "text": text}
                for s in data["services"]
                for i, text in enumerate(s["requirements"])
            ),
            pk=("service", "position"),
            replace=True,
            foreign_keys=[("service", "services", "id")],
        )
        db["facilities"].insert_all(data["facilities"], pk="id", replace=True, alter=True)
        db["info"].insert_all(data["info"], pk="id", replace=True, alter=True)
    return db
