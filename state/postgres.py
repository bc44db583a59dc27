"""The PostgreSQL back end of `state.db`: psycopg 3 with a connection pool.

Statements outside a transaction autocommit on any pooled connection; `transaction()` keeps one
connection for its length, and every `execute` made inside it (by the same task, or tasks it
starts) joins it, found through a context variable. A connection lost (database restarted) is
dropped by the pool and replaced; until the database is back, calls raise `Unavailable`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from state.db import Database, Params, Row, Unavailable

WAIT_S = 3.0  # how long a call waits for a connection before answering "unavailable"
# A worker that stops mid-transaction (hung, or its machine gone without closing the socket)
# releases its claimed rows after this long; a kill -9 releases them at once.
IDLE_IN_TRANSACTION = "60s"


def _rows(cursor: psycopg.Cursor[Any]) -> Any:
    names = tuple(c.name for c in cursor.description or ())

    def make(values: Any) -> Row:
        row = Row(values)
        row.names = names
        return row

    return make


class Fetched:
    """A statement's rows, read before its connection went back to the pool."""

    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> Row | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[Row]:
        return self.rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


_PLACEHOLDER = re.compile(r"\?")


def translate(sql: str) -> str:
    """`?` placeholders become psycopg's `%s` (a literal % is doubled first)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


def _configure(conn: psycopg.Connection[Any]) -> None:
    # Set here, not in the URL's options, which stay the operator's (e.g. a search_path).
    conn.execute(f"set idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION}'")


class PostgresDatabase:
    dialect = "postgres"
    skip_locked = " for update skip locked"

    def __init__(self, url: str, max_size: int = 10, start_timeout: float = 10.0) -> None:
        self._tx: ContextVar[psycopg.Connection[Any] | None] = ContextVar("tx", default=None)
        self._sql: dict[str, str] = {}
        try:  # one try first, so a wrong URL or a database down is one clear line
            psycopg.connect(url, connect_timeout=max(1, round(start_timeout))).close()
        except psycopg.OperationalError as exc:
            raise Unavailable(str(exc).strip().splitlines()[0]) from None
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            timeout=WAIT_S,
            kwargs={
                "autocommit": True,
                "row_factory": _rows,
                "connect_timeout": 3,
            },
            configure=_configure,
            check=ConnectionPool.check_connection,  # a connection broken by a restart is dropped
            open=False,
        )
        try:
            self.pool.open(wait=True, timeout=start_timeout)
        except PoolTimeout as exc:
            self.pool.close()
            raise Unavailable(f"cannot connect to PostgreSQL: {exc}") from None

    def _text(self, sql: str) -> str:
        text = self._sql.get(sql)
        if text is None:
            text = self._sql[sql] = translate(sql)
        return text

    def execute(self, sql: str, params: Params = ()) -> Fetched:
        conn = self._tx.get()
        try:
            if conn is not None:
                return self._run(conn, sql, params)
            with self.pool.connection() as conn:
                return self._run(conn, sql, params)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise Unavailable(str(exc)) from exc

    def _run(self, conn: psycopg.Connection[Any], sql: str, params: Params) -> Fetched:
        cur = conn.execute(self._text(sql), tuple(params))  # type: ignore[arg-type]
        rows = cur.fetchall() if cur.description else []
        return Fetched(rows, cur.rowcount)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        if self._tx.get() is not None:  # nested: part of the outer transaction
            yield self
            return
        try:
            with self.pool.connection() as conn, conn.transaction():
                token = self._tx.set(conn)
                try:
                    yield self
                finally:
                    self._tx.reset(token)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise Unavailable(str(exc)) from exc

    @contextmanager
    def apart(self) -> Iterator[None]:
        token = self._tx.set(None)
        try:
            yield
        finally:
            self._tx.reset(token)

    def scrub(self) -> None:
        pass  # deleted rows are overwritten by autovacuum; the WAL is the operator's backups

    def close(self) -> None:
        self.pool.close()
