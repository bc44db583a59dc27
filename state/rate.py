"""An outgoing rate shared by all workers: a row per service holding its next free moment.

Each message reserves the next slot, one interval after the last one reserved by any worker
(or now, if that is later), in a single atomic upsert; the caller waits until its slot. This is
the "virtual scheduling" form of a token bucket without burst: sends are evenly spaced. Workers'
clocks must agree (NTP), as they must for everything else.
"""

from __future__ import annotations

from state.db import Database

_RESERVE = (
    "insert into rate_limits (key, next_at) values (?, ?) on conflict (key) do update set "
    "next_at = (case when rate_limits.next_at > ? then rate_limits.next_at else ? end) + ? "
    "returning next_at"
)


class SharedRate:
    def __init__(self, db: Database, key: str, per_second: float) -> None:
        self.db = db
        self.key = key
        self.interval = 1.0 / per_second

    def reserve(self, now: float) -> float:
        """Take the next slot; returns how many seconds to wait before sending (0 or more)."""
        step = self.interval
        with self.db.apart():  # never inside a reminder claim: the row would stay locked
            row = self.db.execute(_RESERVE, (self.key, now + step, now, now, step)).fetchone()
        return max(0.0, row[0] - step - now)
