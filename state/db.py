"""The state database: SQLite (one file, the default) or PostgreSQL (shared by several workers).

Stores write one SQL text for both: `?` placeholders, `insert ... on conflict do nothing / do
update`, `returning`, and plain types. `open_database` gives a `Database` whose `execute` runs a
statement (in the current transaction when there is one) and whose `transaction()` groups
statements: SQLite takes the write lock at once (BEGIN IMMEDIATE); PostgreSQL takes a pooled
connection for the transaction, so row locks (`db.skip_locked`) hold until it ends.

Schema: each file `migrations/NNN_name.sql` is plain SQL, applied once, in number order, with its
row in `schema_version`; a migration already recorded is never run again, and one with a lower
number merged later is still applied. A new table is a new file with its own number, never an edit
of an applied one. The only dialect rewrite (`_for_postgres`) turns SQLite's auto-numbered
`id integer primary key` into an identity column, and `real` into `double precision`.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

_NAME = re.compile(r"(\d{3})_[a-z0-9_]+\.sql")
Params = Sequence[Any]


class Unavailable(RuntimeError):
    """The database cannot be reached now (PostgreSQL down or restarting): try again later."""


class Row(tuple):
    """A result row read by position or by column name, on both back ends (a tuple)."""

    names: tuple[str, ...]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return super().__getitem__(self.names.index(key))
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self.names)


def _sqlite_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    row = Row(values)
    row.names = tuple(c[0] for c in cursor.description)
    return row


class Result(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database(Protocol):
    """What stores use; rows read by name (`row["id"]`) or position (`Row`)."""

    dialect: str  # "sqlite" or "postgres"
    skip_locked: str  # appended to a select that claims rows: other workers skip them

    def execute(self, sql: str, params: Params = ()) -> Result: ...

    def transaction(self) -> AbstractContextManager[Database]: ...

    def apart(self) -> AbstractContextManager[None]:
        """Statements inside run on their own, outside any transaction open in this task (for
        shared counters that must not wait for a long claim to commit)."""
        ...

    def scrub(self) -> None:
        """After deleting personal data: leave no copy of it in the database's own logs."""
        ...

    def close(self) -> None: ...


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def open_database(target: str | Path, *, synchronous: str = "full") -> Database:
    """A migrated database: a PostgreSQL URL, a SQLite file path, or ':memory:'.

    `synchronous` is SQLite's fsync policy for this connection ("normal" where losing the last
    write in a power cut costs little); PostgreSQL always commits durably.
    """
    if is_postgres(target):
        from state.postgres import PostgresDatabase  # psycopg is only loaded when used

        db: Database = PostgresDatabase(str(target))
    else:
        db = SqliteDatabase(str(target), synchronous)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


class SqliteDatabase:
    """One connection in autocommit mode; transactions are explicit and may nest (joined)."""

    dialect = "sqlite"
    skip_locked = ""  # one process: nothing to skip

    def __init__(self, path: str, synchronous: str = "full") -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self.conn.row_factory = _sqlite_row
        self.conn.execute("pragma journal_mode = wal")
        self.conn.execute(f"pragma synchronous = {synchronous}")
        self.conn.execute("pragma secure_delete = on")  # deleted chat ids are overwritten
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.conn.execute(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self.conn.execute("begin immediate")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self.conn.execute("rollback")
                raise
            finally:
                self._depth = 0
            self.conn.execute("commit")

    @contextmanager
    def apart(self) -> Iterator[None]:
        yield  # one process: a claim holds no transaction on SQLite

    def scrub(self) -> None:
        # Copy deletions out of the write-ahead log so no old chat id stays there either.
        if self.path != ":memory:":
            self.execute("pragma wal_checkpoint(truncate)")

    def close(self) -> None:
        self.conn.close()


# --- migrations -------------------------------------------------------------------------------
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


def applied_versions(db: Database) -> set[int]:
    db.execute(
        "create table if not exists schema_version (version integer primary key, "
        "name text not null, applied_at text not null default current_timestamp)"
    )
    return {int(row[0]) for row in db.execute("select version from schema_version")}


def current_version(db: Database) -> int:
    return max(applied_versions(db), default=0)


def migrate(db: Database) -> int:
    """Apply what is missing, all in one transaction; returns the version the database is at.

    Missing means not recorded, not merely above the highest: numbers are handed out to work
    done in parallel, so 002 may arrive after a database already has 003. Workers starting
    together wait for each other (SQLite's write lock; an advisory lock on PostgreSQL).
    """
    with db.transaction():
        if db.dialect == "postgres":
            db.execute("select pg_advisory_xact_lock(150015)")  # any fixed number of ours
        done = applied_versions(db)
        for migration in migrations():
            if migration.version in done:
                continue
            for statement in _statements(migration.sql):
                db.execute(_for_postgres(statement) if db.dialect == "postgres" else statement)
            db.execute(
                "insert into schema_version (version, name) values (?, ?)",
                (migration.version, migration.name),
            )
    return current_version(db)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (comments dropped)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _for_postgres(statement: str) -> str:
    statement = re.sub(
        r"\bid integer primary key\b",
        "id bigint generated by default as identity primary key",
        statement,
        flags=re.IGNORECASE,
    )
    return re.sub(r"\breal\b", "double precision", statement, flags=re.IGNORECASE)


def attach(target: Database | str | Path, *, synchronous: str = "full") -> tuple[Database, bool]:
    """A store's database: one given (shared, the caller closes it), or opened here (owned)."""
    if isinstance(target, str | Path):
        return open_database(target, synchronous=synchronous), True
    return target, False
