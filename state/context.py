"""Conversation context, durable in the state database: the last topic and choices of each chat.

Only catalogue refs (and button payloads, which are refs too) and times are stored, under a
salted hash of the chat and user ids; a context older than `minutes` of silence is treated as
absent and deleted, and everything of an earlier local day is purged with its salt.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from state.db import Database, attach


@dataclass(frozen=True)
class Context:
    """What a chat was last talking about: the entry answered, and the choices offered."""

    topic: str | None = None  # a catalogue ref ("service:ktp-el-baru"), None after a menu
    choices: tuple[str, ...] = ()  # payloads of the choices shown, in order
    english: bool = False  # the citizen writes English: the replies' frame is English too


class ContextStore:
    """Per-chat context; ':memory:' for the console, the state database for the channels."""

    def __init__(
        self, db: Database | Path | str, minutes: float = 30, tz: str = "Asia/Jakarta"
    ) -> None:
        self.seconds = minutes * 60
        self.tz = ZoneInfo(tz)
        # A context lost in a power cut costs one repeated question, not worth an fsync a turn.
        self.db, self._owned = attach(db, synchronous="normal")
        self._salt: tuple[str, str] | None = None  # (day, salt) cached
        self._purged = ""  # the local day of the last purge

    def close(self) -> None:
        if self._owned:
            self.db.close()

    def load(self, who: str, now: datetime) -> Context | None:
        """The context of `who` (chat and user), or None when absent or silent too long."""
        if self._day(now) != self._purged:
            self.purge(now)  # the first message of a day clears the day before
        row = self.db.execute(
            "select topic, choices, updated_at, english from conversation_context "
            "where chat_key = ?",
            (self._key(who, now),),
        ).fetchone()
        if row is None or now.timestamp() - row[2] > self.seconds:
            return None
        return Context(row[0], tuple(c for c in row[1].split("\n") if c), bool(row[3]))

    def save(self, who: str, context: Context, now: datetime) -> None:
        self.purge(now)
        self.db.execute(
            "insert into conversation_context (chat_key, day, topic, choices, updated_at, "
            "english) values (?, ?, ?, ?, ?, ?) on conflict (chat_key) do update set "
            "day = excluded.day, topic = excluded.topic, choices = excluded.choices, "
            "updated_at = excluded.updated_at, english = excluded.english",
            (
                self._key(who, now),
                self._day(now),
                context.topic,
                "\n".join(context.choices),
                now.timestamp(),
                int(context.english),
            ),
        )

    def purge(self, now: datetime) -> None:
        """Forget contexts that went silent, and every trace of earlier days (salts too)."""
        day = self._day(now)
        self.db.execute(
            "delete from conversation_context where updated_at < ? or day < ?",
            (now.timestamp() - self.seconds, day),
        )
        self.db.execute("delete from context_salt where day < ?", (day,))
        self._purged = day

    def _day(self, now: datetime) -> str:
        return (now.astimezone(self.tz) if now.tzinfo else now).date().isoformat()

    def _key(self, who: str, now: datetime) -> str:
        salt = self._salt_of(self._day(now))
        return hashlib.sha256(f"{salt}\n{who}".encode()).hexdigest()

    def _salt_of(self, day: str) -> str:
        if self._salt and self._salt[0] == day:
            return self._salt[1]
        self.db.execute(
            "insert into context_salt (day, salt) values (?, ?) on conflict do nothing",
            (day, secrets.token_hex(16)),
        )
        (salt,) = self.db.execute("select salt from context_salt where day = ?", (day,)).fetchone()
        self._salt = (day, salt)
        return salt
