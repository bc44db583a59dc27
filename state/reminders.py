"""Queue reminders, durable in SQLite: subscriptions, the state of each queue, and an outbox.

A call and the reminders it makes due are committed in one transaction, before the call is
acknowledged; the outbox has one row per (subscription, kind), so no reminder can be made twice,
whatever the concurrency. Delivery (by a channel) marks each row sent right after sending it.
Everything belongs to one local day (Asia/Jakarta) and is purged after it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from knowledge.tickets import Ticket
from state.db import open_db
from state.usage import archive_reminders


@dataclass(frozen=True)
class QueueState:
    prefix: str
    number: int  # the last number called
    counter: str
    called_at: str
    recall: bool = False  # an earlier number called again; the queue does not move back


@dataclass(frozen=True)
class Pending:
    """A reminder made due and not yet delivered."""

    id: int
    chat: str
    kind: str
    text: str
    attempts: int
    first_failed_at: float | None = None  # real time (epoch seconds) of the first failed try

    @property
    def urgent(self) -> bool:
        """The "called" reminder is the one a citizen waits for: it goes out first."""
        return self.kind == "called"


@dataclass(frozen=True)
class Position:
    ticket: Ticket
    state: QueueState | None

    @property
    def remaining(self) -> int:
        return self.ticket.number - (self.state.number if self.state else 0)


class ReminderStore:
    """All reminder state; safe to share between the bot and the HTTP API in one process."""

    def __init__(
        self, path: Path | str, thresholds: tuple[int, ...] = (5, 2), tz: str = "Asia/Jakarta"
    ) -> None:
        self.path = str(path)
        self.thresholds = tuple(sorted(set(thresholds), reverse=True))
        self.tz = ZoneInfo(tz)
        # Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE.
        self.db = open_db(self.path)  # synchronous=full: a call acknowledged is on disk
        self.db.execute("pragma secure_delete = on")  # purged chat ids are overwritten, not left

    def close(self) -> None:
        self.db.close()

    def day(self, now: datetime) -> str:
        return (now.astimezone(self.tz) if now.tzinfo else now).date().isoformat()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("begin immediate")
        try:
            yield self.db
        except BaseException:
            self.db.execute("rollback")
            raise
        self.db.execute("commit")

    # --- the queue ------------------------------------------------------------------------
    def state(self, prefix: str, now: datetime) -> QueueState | None:
        row = self.db.execute(
            "select prefix, number, counter, called_at from queue_state "
            "where day = ? and prefix = ?",
            (self.day(now), prefix),
        ).fetchone()
        return QueueState(**row) if row else None

    def states(self, now: datetime) -> list[QueueState]:
        rows = self.db.execute(
            "select prefix, number, counter, called_at from queue_state where day = ? "
            "order by prefix",
            (self.day(now),),
        ).fetchall()
        return [QueueState(**r) for r in rows]

    def subscriber_counts(self, now: datetime) -> dict[str, int]:
        rows = self.db.execute(
            "select prefix, count(*) from subscriptions where day = ? and active = 1 "
            "group by prefix",
            (self.day(now),),
        ).fetchall()
        return {prefix: n for prefix, n in rows}

    def call(
        self, ticket: Ticket, counter: str, now: datetime, texts: ReminderTexts
    ) -> tuple[QueueState, int]:
        """Record a call and make its reminders due, atomically; returns (state, reminders).
        A number below the last one called is a recall: its holder is told, nobody else."""
        day, stamp = self.day(now), now.isoformat()
        self.purge(now)
        with self._transaction() as db:
            last = self.state(ticket.prefix, now)
            if last is not None and ticket.number < last.number:
                made = self._recall(db, day, ticket, counter, stamp, texts)
                return QueueState(ticket.prefix, ticket.number, counter, stamp, True), made
            db.execute(
                "insert into queue_state values (?, ?, ?, ?, ?) on conflict (day, prefix) do "
                "update set number = excluded.number, counter = excluded.counter, "
                "called_at = excluded.called_at",
                (day, ticket.prefix, ticket.number, counter, stamp),
            )
            subs = db.execute(
                "select id, chat, number from subscriptions where day = ? and prefix = ? "
                "and active = 1",
                (day, ticket.prefix),
            ).fetchall()
            made = sum(self._due(db, sub, ticket, counter, stamp, texts) for sub in subs)
        state = QueueState(ticket.prefix, ticket.number, counter, stamp)
        return state, made

    def _recall(
        self,
        db: sqlite3.Connection,
        day: str,
        ticket: Ticket,
        counter: str,
        stamp: str,
        texts: ReminderTexts,
    ) -> int:
        """Tell the holder of a recalled number, whether still waiting or already called once
        (a cancelled reminder stays cancelled); one recall message per ticket."""
        subs = db.execute(
            "select id, chat, number from subscriptions s where day = ? and prefix = ? and "
            "number = ? and (active = 1 or exists (select 1 from outbox o where "
            "o.subscription = s.id and o.kind = 'called'))",
            (day, ticket.prefix, ticket.number),
        ).fetchall()
        made = 0
        for sub in subs:
            db.execute("update subscriptions set active = 0 where id = ?", (sub["id"],))
            made += self._add(db, sub, "recall", texts.recalled(ticket, counter), stamp)
        return made

    def _due(
        self,
        db: sqlite3.Connection,
        sub: sqlite3.Row,
        called: Ticket,
        counter: str,
        stamp: str,
        texts: ReminderTexts,
    ) -> int:
        mine = Ticket(called.prefix, sub["number"])
        remaining = mine.number - called.number
        if remaining == 0:
            db.execute("update subscriptions set active = 0 where id = ?", (sub["id"],))
            return self._add(db, sub, "called", texts.called(mine, counter), stamp)
        if remaining < 0:
            return self._add(db, sub, "skipped", texts.skipped(mine, called), stamp)
        crossed = [t for t in self.thresholds if remaining <= t]
        if not crossed:
            return 0
        # Only the tightest threshold is worth a message; wider ones passed at once are closed.
        for wider in crossed[:-1]:
            self._add(db, sub, f"near:{wider}", None, stamp)
        return self._add(
            db, sub, f"near:{crossed[-1]}", texts.near(mine, remaining, called, counter), stamp
        )

    @staticmethod
    def _add(
        db: sqlite3.Connection, sub: sqlite3.Row, kind: str, text: str | None, stamp: str
    ) -> int:
        """One outbox row per (subscription, kind): a second attempt is silently ignored.
        A row without text is a threshold closed without a message (sent_at set at once)."""
        cur = db.execute(
            "insert or ignore into outbox (subscription, kind, chat, text, created_at, sent_at) "
            "values (?, ?, ?, ?, ?, ?)",
            (sub["id"], kind, sub["chat"], text, stamp, None if text else stamp),
        )
        return int(cur.rowcount > 0 and text is not None)

    # --- citizens -------------------------------------------------------------------------
    def subscribe(self, chat: str, ticket: Ticket, now: datetime) -> Position:
        """Start reminders for a ticket; thresholds already passed are closed, not sent."""
        day, stamp = self.day(now), now.isoformat()
        self.purge(now)
        with self._transaction() as db:
            db.execute(
                "insert into subscriptions (day, chat, prefix, number, created_at) values "
                "(?, ?, ?, ?, ?) on conflict (day, chat, prefix, number) do update set active = 1",
                (day, chat, ticket.prefix, ticket.number, stamp),
            )
            sub = db.execute(
                "select id, chat, number from subscriptions where day = ? and chat = ? and "
                "prefix = ? and number = ?",
                (day, chat, ticket.prefix, ticket.number),
            ).fetchone()
            position = Position(ticket, self.state(ticket.prefix, now))
            for threshold in self.thresholds:
                if position.remaining <= threshold:
                    self._add(db, sub, f"near:{threshold}", None, stamp)
        return position

    def cancel(self, chat: str, now: datetime, ticket: Ticket | None = None) -> list[Ticket]:
        """Stop reminders for one ticket, or all of this chat's; returns what was stopped."""
        mine = self.tickets(chat, now)
        stopped = [t for t in mine if ticket is None or t == ticket]
        with self._transaction() as db:
            for t in stopped:
                db.execute(
                    "update subscriptions set active = 0 where day = ? and chat = ? and "
                    "prefix = ? and number = ?",
                    (self.day(now), chat, t.prefix, t.number),
                )
        return stopped

    def subscribed_today(self, chat: str, now: datetime) -> list[Ticket]:
        """Every ticket this chat asked for today, cancelled ones too (the daily limit)."""
        rows = self.db.execute(
            "select prefix, number from subscriptions where day = ? and chat = ?",
            (self.day(now), chat),
        ).fetchall()
        return [Ticket(r["prefix"], r["number"]) for r in rows]

    def tickets(self, chat: str, now: datetime) -> list[Ticket]:
        rows = self.db.execute(
            "select prefix, number from subscriptions where day = ? and chat = ? and active = 1 "
            "order by prefix, number",
            (self.day(now), chat),
        ).fetchall()
        return [Ticket(r["prefix"], r["number"]) for r in rows]

    def positions(self, chat: str, now: datetime) -> list[Position]:
        return [Position(t, self.state(t.prefix, now)) for t in self.tickets(chat, now)]

    def unsubscribe_chat(self, chat: str) -> None:
        """The chat blocked the bot: forget it and drop what was waiting for it."""
        with self._transaction() as db:
            db.execute("update subscriptions set active = 0 where chat = ?", (chat,))
            db.execute(
                "update outbox set failed = 'blocked' where chat = ? and sent_at is null", (chat,)
            )

    def broadcast(
        self, kind: str, text: str, now: datetime, prefixes: frozenset[str] | None = None
    ) -> int:
        """Queue `text` once for each chat waiting today (only for `prefixes`, if given).
        One outbox row per (subscription, kind): a repeat, even after a restart, adds nothing."""
        day, stamp = self.day(now), now.isoformat()
        with self._transaction() as db:
            rows = db.execute(
                "select id, chat, prefix from subscriptions where day = ? and active = 1 "
                "order by id",
                (day,),
            ).fetchall()
            first: dict[str, sqlite3.Row] = {}
            for row in rows:  # one message per chat, however many tickets it waits for
                if prefixes is None or row["prefix"] in prefixes:
                    first.setdefault(row["chat"], row)
            return sum(self._add(db, row, kind, text, stamp) for row in first.values())

    # --- delivery ---------------------------------------------------------------------------
    def pending(self, channel: str = "", limit: int = 500) -> list[Pending]:
        """Reminders due and not yet sent for chats of one channel: "called" first, then oldest."""
        rows = self.db.execute(
            "select id, chat, kind, text, attempts, first_failed_at from outbox "
            "where sent_at is null and failed is null and chat like ? "
            "order by kind = 'called' desc, id limit ?",
            (f"{channel}%", limit),
        ).fetchall()
        return [Pending(**r) for r in rows]

    def mark_sent(self, item: Pending, now: datetime) -> None:
        self.db.execute("update outbox set sent_at = ? where id = ?", (now.isoformat(), item.id))

    def mark_failed(self, item: Pending, at: float, give_up: str | None = None) -> None:
        """Count a failed try; `give_up` (the reason) ends the tries for this reminder."""
        self.db.execute(
            "update outbox set attempts = attempts + 1, failed = ?, "
            "first_failed_at = coalesce(first_failed_at, ?) where id = ?",
            (give_up, at, item.id),
        )

    def purge(self, now: datetime) -> None:
        """A ticket lives one day: forget earlier days' chats, tickets and reminders, and copy
        the deletion out of the write-ahead log so no old chat id stays there either."""
        today = self.day(now)
        with self._transaction() as db:
            archive_reminders(db, today)  # the report counts reminders for a year
            gone = db.execute(
                "delete from outbox where subscription in "
                "(select id from subscriptions where day < ?)",
                (today,),
            ).rowcount
            gone += db.execute("delete from subscriptions where day < ?", (today,)).rowcount
            gone += db.execute("delete from queue_state where day < ?", (today,)).rowcount
        if gone and self.path != ":memory:":
            self.db.execute("pragma wal_checkpoint(truncate)")


class ReminderTexts(Protocol):
    """The words of each reminder; the conversation layer supplies them (it names the gerai)."""

    def near(self, mine: Ticket, remaining: int, called: Ticket, counter: str) -> str: ...

    def called(self, mine: Ticket, counter: str) -> str: ...

    def skipped(self, mine: Ticket, called: Ticket) -> str: ...

    def recalled(self, mine: Ticket, counter: str) -> str: ...
