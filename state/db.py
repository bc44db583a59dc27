"""Opening the state database and bringing its schema up to date with numbered migrations.

Each file `migrations/NNN_name.sql` is plain SQL, applied once, in number order, inside one
transaction together with its row in `schema_version`; a migration already recorded is never run
again, and one with a lower number merged later is still applied. A new table is a new file with
its own number, never an edit of an applied one.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_NAME = re.compile(r"(\d{3})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The migrations shipped with the package, in the order they apply."""
    found = []
    for item in resources.files("state").joinpath("migrations").iterdir():
        m = _NAME.fullmatch(item.name)
        if m:
            found.append(Migration(int(m.group(1)), item.name, item.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two state migrations share a number: {versions}")
    return found


def open_db(path: Path | str) -> sqlite3.Connection:
    """The state database, migrated; autocommit (transactions are opened explicitly), WAL so
    several stores and processes can share one file, and durable once a commit returns."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    db.row_factory = sqlite3.Row
    db.execute("pragma journal_mode = wal")
    db.execute("pragma synchronous = full")
    migrate(db)
    return db


def applied_versions(db: sqlite3.Connection) -> set[int]:
    db.execute(
        "create table if not exists schema_version (version integer primary key, "
        "name text not null, applied_at text not null default current_timestamp)"
    )
    return {int(row[0]) for row in db.execute("select version from schema_version")}


def current_version(db: sqlite3.Connection) -> int:
    return max(applied_versions(db), default=0)


def migrate(db: sqlite3.Connection) -> int:
    """Apply what is missing; returns the version the database is at. `db` is in autocommit.

    Missing means not recorded, not merely above the highest: numbers are handed out to work
    done in parallel, so 002 may arrive after a database already has 003.
    """
    for migration in migrations():
        if migration.version in applied_versions(db):
            continue
        db.execute("begin immediate")
        try:
            # Another process may have migrated while this one waited for the lock.
            if migration.version in applied_versions(db):
                db.execute("rollback")
                continue
            for statement in _statements(migration.sql):
                db.execute(statement)
            db.execute(
                "insert into schema_version (version, name) values (?, ?)",
                (migration.version, migration.name),
            )
        except BaseException:
            db.execute("rollback")
            raise
        db.execute("commit")
    return current_version(db)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
