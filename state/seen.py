"""Message ids already taken in hand, so a channel that delivers twice is answered once."""

from __future__ import annotations

from datetime import datetime, timedelta

from state.db import Database

KEEP = timedelta(days=7)  # Meta re-sends undelivered webhooks for up to 7 days


class SeenMessages:
    """A durable set of (channel, message id); the first to claim an id answers it.

    On PostgreSQL the set is shared by every worker: of two deliveries racing on two workers,
    the primary key lets exactly one insert win."""

    def __init__(self, db: Database) -> None:
        self.db = db  # autocommit: each insert is its own transaction

    def claim(self, channel: str, message_id: str, now: datetime) -> bool:
        """True for the first claim of this id, False for every later one (any process)."""
        cur = self.db.execute(
            "insert into seen_messages (channel, message_id, seen_at) values (?, ?, ?) "
            "on conflict do nothing",
            (channel, message_id, now.isoformat()),
        )
        return cur.rowcount > 0

    def prune(self, now: datetime) -> int:
        """Forget ids older than Meta's re-delivery window."""
        cur = self.db.execute(
            "delete from seen_messages where seen_at < ?", ((now - KEEP).isoformat(),)
        )
        return cur.rowcount
