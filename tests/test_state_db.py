"""The state database migrates itself: once, in order, and never again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from state.db import migrate, migrations
from state.reminders import ReminderStore


def test_migrations_are_numbered_once_each_in_order() -> None:
    # Numbers are handed out per piece of work, so one may be missing until it is merged.
    versions = [m.version for m in migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_a_lower_migration_merged_later_is_still_applied(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    migrate(db)
    first = migrations()[0]
    db.execute("delete from schema_version where version = ?", (first.version,))
    assert migrate(db) == migrations()[-1].version
    versions = [r[0] for r in db.execute("select version from schema_version order by 1")]
    assert versions == [m.version for m in migrations()]


def test_a_new_database_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    store = ReminderStore(tmp_path / "state.db")
    rows = store.db.execute("select version, name from schema_version").fetchall()
    store.close()
    assert [tuple(r) for r in rows] == [(m.version, m.name) for m in migrations()]


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    first = migrate(db)
    assert migrate(db) == first
    assert db.execute("select count(*) from schema_version").fetchone()[0] == len(migrations())
