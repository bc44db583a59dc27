"""Message ids already taken in hand, so a channel that delivers twice is answered once."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

KEEP = timedelta(days=7)  # Meta re-sends undelivered webhooks for up to 7 days


class SeenMessages:
    """A durable set of (channel, message id); the first to claim an id answers it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db  # autocommit: each insert is its own transaction

    def claim(self, channel: str, message_id: str, now: datetime) -> bool:
        """True for the first claim of this id, False for every later one (any process)."""
        cur = self.db.execute(
            "insert or ignore into seen_messages (channel, message_id, seen_at) values (?, ?, ?)",
            (channel, message_id, now.isoformat()),
        )
        return cur.rowcount > 0

    def prune(self, now: datetime) -> int:
        """Forget ids older than Meta's re-delivery window."""
        cur = self.db.execute(
            "delete from seen_messages where seen_at < ?", ((now - KEEP).isoformat(),)
        )
        return cur.rowcount
