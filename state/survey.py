"""The SKM survey's state: surveys being filled in (keyed by a salted hash, deleted when they
end), tickets already surveyed, and the anonymous responses (agency and scores, no chat id)."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge.skm import UNSUR
from state.redact import redact
from state.usage import transaction


@dataclass(frozen=True)
class Survey:
    key: str  # stands for the chat
    ticket: str  # stands for the chat's ticket: surveyed once
    agency: str
    answers: list[int]


class SurveyStore:
    def __init__(self, db: sqlite3.Connection, tz: str = "Asia/Jakarta") -> None:
        self.db = db
        self.tz = ZoneInfo(tz)
        self.db.execute(
            "insert or ignore into report_secret (id, salt) values (1, ?)",
            (secrets.token_hex(16),),
        )
        self._salt = self.db.execute("select salt from report_secret").fetchone()[0]

    def day(self, now: datetime) -> str:
        return now.astimezone(self.tz).date().isoformat()

    def key(self, now: datetime, *parts: str) -> str:
        """Stands for a chat (and ticket) today; the chat id cannot be read back from it."""
        text = "|".join((self._salt, self.day(now), *parts))
        return hashlib.sha256(text.encode()).hexdigest()

    def called_tickets(self, chat: str, now: datetime) -> list[tuple[str, int]]:
        """Today's tickets (prefix, number) of this chat that were called, newest first."""
        rows = self.db.execute(
            "select s.prefix, s.number from outbox o join subscriptions s "
            "on s.id = o.subscription where s.chat = ? and s.day = ? and o.kind = 'called' "
            "order by o.id desc",
            (chat, self.day(now)),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def taken(self, ticket_key: str) -> bool:
        found = self.db.execute("select 1 from skm_taken where key = ?", (ticket_key,))
        return found.fetchone() is not None

    def start(self, key: str, ticket_key: str, agency: str, now: datetime) -> Survey:
        self.db.execute(
            "insert or replace into skm_sessions (key, ticket, day, agency, answers) "
            "values (?, ?, ?, ?, '[]')",
            (key, ticket_key, self.day(now), agency),
        )
        return Survey(key, ticket_key, agency, [])

    def current(self, key: str) -> Survey | None:
        row = self.db.execute(
            "select ticket, agency, answers from skm_sessions where key = ?", (key,)
        ).fetchone()
        return Survey(key, row[0], row[1], json.loads(row[2])) if row else None

    def set_agency(self, survey: Survey, agency: str) -> Survey:
        self.db.execute("update skm_sessions set agency = ? where key = ?", (agency, survey.key))
        return Survey(survey.key, survey.ticket, agency, survey.answers)

    def answer(self, survey: Survey, score: int) -> Survey:
        answers = [*survey.answers, score][: len(UNSUR)]
        self.db.execute(
            "update skm_sessions set answers = ? where key = ?", (json.dumps(answers), survey.key)
        )
        return Survey(survey.key, survey.ticket, survey.agency, answers)

    def finish(self, survey: Survey, comment: str | None, now: datetime) -> None:
        """Store the scores without any key, mark the ticket surveyed, drop the session."""
        text = redact(comment.strip())[:500] if comment and comment.strip() else None
        with transaction(self.db) as db:
            db.execute(
                "insert into skm_responses (day, agency, u1, u2, u3, u4, u5, u6, u7, u8, u9, "
                "comment) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.day(now), survey.agency, *survey.answers, text),
            )
            self._close(db, survey, now)

    def cancel(self, survey: Survey, now: datetime) -> None:
        """Stopped half-way: nothing is kept but the mark that the ticket was asked."""
        with transaction(self.db) as db:
            self._close(db, survey, now)

    def _close(self, db: sqlite3.Connection, survey: Survey, now: datetime) -> None:
        db.execute("insert or ignore into skm_taken values (?, ?)", (survey.ticket, self.day(now)))
        db.execute("delete from skm_sessions where key = ?", (survey.key,))

    def purge(self, now: datetime) -> None:
        """Earlier days' unfinished surveys and surveyed-ticket marks are forgotten."""
        today = self.day(now)
        self.db.execute("delete from skm_sessions where day < ?", (today,))
        self.db.execute("delete from skm_taken where day < ?", (today,))

    def responses(self, first: str, last: str) -> dict[str, list[tuple[int, ...]]]:
        """Scores per agency in a period."""
        rows = self.db.execute(
            "select agency, u1, u2, u3, u4, u5, u6, u7, u8, u9 from skm_responses "
            "where day between ? and ? order by id",
            (first, last),
        ).fetchall()
        found: dict[str, list[tuple[int, ...]]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(tuple(row[1:]))
        return found

    def comments(self, first: str, last: str, limit: int = 50) -> list[str]:
        rows = self.db.execute(
            "select comment from skm_responses where day between ? and ? and comment is not null "
            "order by id desc limit ?",
            (first, last, limit),
        ).fetchall()
        return [r[0] for r in rows]
