"""What citizens ask, kept privacy-safe for the management report.

Every question leaves one row: day and hour (Asia/Jakarta), channel, status and matched ref. The
text is kept only for questions answered "none" or "ambiguous", redacted first, and only for
`unanswered_days` days; the counts are kept a year. Nothing here holds a chat id or a name.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from state.db import Database, Row, open_database
from state.redact import redact

COUNTS_KEPT_DAYS = 366
KEEP_TEXT = ("none", "ambiguous")


def open_state(path: Path | str) -> Database:
    """The state database (a SQLite file or a PostgreSQL URL), migrated to the newest schema.

    On SQLite, no fsync per question (8 ms each on the bot's event loop): in WAL mode a crash of
    the process loses nothing; a power cut may lose the last moments of counts, which is fine.
    """
    return open_database(path, synchronous="normal")


def transaction(db: Database) -> AbstractContextManager[Database]:
    """One transaction (BEGIN IMMEDIATE on SQLite); rolled back on any error."""
    return db.transaction()


@dataclass(frozen=True)
class Period:
    """Days `first`..`last` inclusive, as ISO dates (Asia/Jakarta)."""

    first: str
    last: str

    @classmethod
    def ending(cls, now: datetime, days: int, tz: ZoneInfo) -> Period:
        today = now.astimezone(tz).date()
        return cls((today - timedelta(days=max(days, 1) - 1)).isoformat(), today.isoformat())

    def days(self) -> list[str]:
        first, last = date.fromisoformat(self.first), date.fromisoformat(self.last)
        return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


class UsageStore:
    """Records questions and answers the report's questions about them."""

    def __init__(self, db: Database, unanswered_days: int = 30, tz: str = "Asia/Jakarta") -> None:
        self.db = db
        self.unanswered_days = unanswered_days
        self.tz = ZoneInfo(tz)

    def record(
        self, channel: str, status: str, ref: str | None, text: str | None, now: datetime
    ) -> None:
        """One question. `text` is dropped unless the question went unanswered."""
        local = now.astimezone(self.tz)
        day = local.date().isoformat()
        self.db.execute(
            "insert into questions (day, hour, channel, status, ref) values (?, ?, ?, ?, ?)",
            (day, local.hour, channel, status, ref if status == "answer" else None),
        )
        if text and status in KEEP_TEXT and self.unanswered_days > 0:
            self.db.execute(
                "insert into unanswered (day, channel, status, text) values (?, ?, ?, ?)",
                (day, channel, status, redact(text.strip())[:300]),
            )

    def purge(self, now: datetime) -> None:
        """Forget unanswered texts after `unanswered_days` days, counts after a year."""
        today = now.astimezone(self.tz).date()
        text_until = (today - timedelta(days=self.unanswered_days - 1)).isoformat()
        counts_until = (today - timedelta(days=COUNTS_KEPT_DAYS)).isoformat()
        self.db.execute("delete from unanswered where day < ?", (text_until,))
        for table in ("questions", "reminder_days", "skm_responses"):
            self.db.execute(f"delete from {table} where day < ?", (counts_until,))

    # --- what the report reads ----------------------------------------------------------------
    def per_day(self, period: Period) -> list[Row]:
        return self.db.execute(
            "select day, channel, status, count(*) as n from questions "
            "where day between ? and ? group by day, channel, status order by day",
            (period.first, period.last),
        ).fetchall()

    def top_refs(self, period: Period, limit: int = 10) -> list[tuple[str, int]]:
        rows = self.db.execute(
            "select ref, count(*) from questions where day between ? and ? and ref is not null "
            "group by ref order by count(*) desc, ref limit ?",
            (period.first, period.last, limit),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def by_hour(self, period: Period) -> dict[int, int]:
        rows = self.db.execute(
            "select hour, count(*) from questions where day between ? and ? group by hour",
            (period.first, period.last),
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def unanswered_texts(self, period: Period) -> list[tuple[int, str]]:
        rows = self.db.execute(
            "select id, text from unanswered where day between ? and ? order by id",
            (period.first, period.last),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def forget_unanswered(self, ids: list[int]) -> int:
        """Staff dealt with these (added the service or phrasing): drop them."""
        marks = ",".join("?" * len(ids))
        cur = self.db.execute(f"delete from unanswered where id in ({marks})", ids)
        return cur.rowcount

    def reminders(self, period: Period) -> dict[str, int]:
        """Reminders made, sent and failed: archived days plus what the outbox still holds."""
        archived = self.db.execute(
            "select coalesce(sum(made), 0), coalesce(sum(sent), 0), coalesce(sum(failed), 0) "
            "from reminder_days where day between ? and ?",
            (period.first, period.last),
        ).fetchone()
        live = self.db.execute(_LIVE_REMINDERS, (period.first, period.last)).fetchone()
        return {k: archived[i] + live[i] for i, k in enumerate(("made", "sent", "failed"))}


# Only rows with text are reminders; a row without text is a threshold closed silently.
_REMINDER_COUNTS = (
    "count(*), count(o.sent_at), count(o.failed) from outbox o "
    "join subscriptions s on s.id = o.subscription where o.text is not null"
)
_LIVE_REMINDERS = f"select {_REMINDER_COUNTS} and s.day between ? and ?"


def archive_reminders(db: Database, before: str) -> None:
    """Count the reminders of days before `before` into reminder_days; the caller then deletes
    them (inside the caller's transaction, so a day is never counted twice or lost)."""
    db.execute(
        f"insert into reminder_days (day, made, sent, failed) select s.day, {_REMINDER_COUNTS} "
        "and s.day < ? group by s.day on conflict (day) do update set "
        "made = reminder_days.made + excluded.made, sent = reminder_days.sent + excluded.sent, "
        "failed = reminder_days.failed + excluded.failed",
        (before,),
    )
