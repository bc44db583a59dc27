"""Staff announcements, durable in the state database: add, list the active ones, end one.

An announcement is active from its creation until `until` or until staff end it; nothing needs
to run for it to disappear (every read filters by the clock it is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from state.db import open_db


@dataclass(frozen=True)
class Announcement:
    id: int
    text: str
    agency: str | None  # None: for the whole MPP
    until: datetime  # aware

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text, "agency": self.agency, "until": _iso(self.until)}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


class AnnouncementStore:
    """Its own connection to the state file (WAL: the reminder store may share the file)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.db = open_db(self.path)

    def close(self) -> None:
        self.db.close()

    def add(
        self, text: str, agency: str | None, until: datetime, now: datetime, by: str = ""
    ) -> Announcement:
        cur = self.db.execute(
            "insert into announcements (text, agency, created_at, until, created_by) "
            "values (?, ?, ?, ?, ?)",
            (text, agency, _utc(now), _utc(until), by or None),
        )
        return Announcement(int(cur.lastrowid or 0), text, agency, until)

    def active(self, now: datetime) -> list[Announcement]:
        """In force at `now`, oldest first; times come back in `now`'s time zone."""
        rows = self.db.execute(
            "select id, text, agency, until from announcements where ended_at is null "
            "and until > ? and created_at <= ? order by id",
            (_utc(now), _utc(now)),
        ).fetchall()
        tz = now.tzinfo
        return [
            Announcement(r["id"], r["text"], r["agency"], _parse(r["until"]).astimezone(tz))
            for r in rows
        ]

    def end(self, ident: int, now: datetime) -> bool:
        """End an active announcement now; False when there is no such active one."""
        cur = self.db.execute(
            "update announcements set ended_at = ? where id = ? and ended_at is null "
            "and until > ?",
            (_utc(now), ident, _utc(now)),
        )
        return cur.rowcount > 0


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)
