"""The state database migrates itself, once, in order, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import itertools
import threading

import pytest

from state.db import Unavailable, migrate, migrations, open_database
from state.postgres import PostgresDatabase
from state.reminders import ReminderStore


def test_migrations_are_numbered_once_each_in_order() -> None:
    # Numbers are handed out per piece of work, so one may be missing until it is merged.
    versions = [m.version for m in migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_a_lower_migration_merged_later_is_still_applied(state_target: str) -> None:
    db = open_database(state_target)
    first = migrations()[0]
    db.execute("delete from schema_version where version = ?", (first.version,))
    assert migrate(db) == migrations()[-1].version
    versions = [r[0] for r in db.execute("select version from schema_version order by 1")]
    db.close()
    assert versions == [m.version for m in migrations()]


def test_a_new_database_is_migrated_to_the_latest_version(state_target: str) -> None:
    store = ReminderStore(state_target)
    rows = store.db.execute("select version, name from schema_version order by 1").fetchall()
    store.close()
    assert rows == [(m.version, m.name) for m in migrations()]


def test_migrating_twice_changes_nothing(state_target: str) -> None:
    db = open_database(state_target)
    first = migrate(db)
    assert migrate(db) == first
    assert db.execute("select count(*) from schema_version").fetchone()[0] == len(migrations())
    db.close()


def test_workers_starting_together_migrate_once(state_target: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            open_database(state_target).close()
        except BaseException as exc:  # a race shows up here as a duplicate table or key
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_rows_read_by_name_or_position_the_same_on_both(state_target: str) -> None:
    db = open_database(state_target)
    db.execute("create table t (id integer, name text, score double precision)")
    db.execute("insert into t values (?, ?, ?)", (1, "100% ok", 1764300000.25))
    row = db.execute("select id, name, score from t where name like ?", ("100%",)).fetchone()
    db.close()
    assert row == (1, "100% ok", 1764300000.25) and row["name"] == "100% ok"
    assert dict(row) == {"id": 1, "name": "100% ok", "score": 1764300000.25}


def test_a_failed_transaction_leaves_nothing(state_target: str) -> None:
    db = open_database(state_target)
    db.execute("create table t (n integer)")
    with pytest.raises(ZeroDivisionError), db.transaction():
        db.execute("insert into t values (1)")
        with db.transaction():  # nested: joins the outer one
            db.execute("insert into t values (2)")
        raise ZeroDivisionError
    assert db.execute("select count(*) from t").fetchone()[0] == 0
    db.close()


def test_an_unreachable_postgresql_is_reported_as_unavailable() -> None:
    with pytest.raises(Unavailable):
        PostgresDatabase("postgresql://nobody@127.0.0.1:9/none", start_timeout=0.5)


def test_migrated_ids_number_themselves_and_times_keep_their_precision(state_target: str) -> None:
    store = ReminderStore(state_target)
    ids = [
        store.db.execute(
            "insert into subscriptions (day, chat, prefix, number, created_at) "
            "values ('d', ?, 'A', 1, 'now') returning id",
            (chat,),
        ).fetchone()[0]
        for chat in ("telegram:1", "telegram:2")
    ]
    store.db.execute(
        "insert into conversation_context (chat_key, day, updated_at) values ('k', 'd', ?)",
        (1764300000.25,),
    )
    stamp = store.db.execute("select updated_at from conversation_context").fetchone()[0]
    store.close()
    assert ids[1] == ids[0] + 1 and stamp == 1764300000.25


def test_a_shared_rate_spaces_every_workers_sends(state_target: str) -> None:
    from state.rate import SharedRate

    db = open_database(state_target)
    workers = [SharedRate(db, "telegram", per_second=30) for _ in range(3)]
    waits = [workers[i % 3].reserve(now=1000.0) for i in range(90)]  # 90 at the same moment
    later = workers[0].reserve(now=1010.0)  # after a quiet spell: no wait
    db.close()
    assert waits[0] == 0 and waits[-1] == pytest.approx(89 / 30)
    assert all(b - a == pytest.approx(1 / 30) for a, b in itertools.pairwise(waits))
    assert later == 0


def test_a_shared_rate_inside_a_claim_is_not_held_by_it(postgres) -> None:  # type: ignore[no-untyped-def]
    """Only PostgreSQL holds a claim in a transaction (and shares a rate between processes)."""
    from state.rate import SharedRate

    url = postgres.fresh_url()
    db, other = open_database(url), open_database(url)
    with db.transaction():  # as the reminder sender's claim
        SharedRate(db, "telegram", 30).reserve(now=1000.0)
        # another worker reserves while the claim is still open: not blocked, sees the slot
        assert SharedRate(other, "telegram", 30).reserve(now=1000.0) == pytest.approx(1 / 30)
    db.close()
    other.close()
