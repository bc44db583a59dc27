"""Message ids claimed once (the WhatsApp dedupe), and a version-1 state file upgraded in place."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from state.db import migrations
from state.reminders import ReminderStore
from state.seen import KEEP, SeenMessages
from tests.conftest import FRIDAY_MORNING


def test_the_first_claim_wins_and_old_ids_are_pruned(tmp_path: Path) -> None:
    store = ReminderStore(tmp_path / "state.db")
    seen = SeenMessages(store.db)
    assert seen.claim("whatsapp", "wamid.1", FRIDAY_MORNING)
    assert not seen.claim("whatsapp", "wamid.1", FRIDAY_MORNING)
    assert seen.claim("other", "wamid.1", FRIDAY_MORNING)  # ids are per channel
    other_process = SeenMessages(ReminderStore(tmp_path / "state.db").db)
    assert not other_process.claim("whatsapp", "wamid.1", FRIDAY_MORNING)
    assert seen.prune(FRIDAY_MORNING + KEEP - timedelta(minutes=1)) == 0
    assert seen.prune(FRIDAY_MORNING + KEEP + timedelta(minutes=1)) == 2
    assert seen.claim("whatsapp", "wamid.1", FRIDAY_MORNING + KEEP)


def test_a_version_1_state_file_keeps_its_reminders(tmp_path: Path) -> None:
    """An installed bot upgraded in place: migration 002 adds to the outbox, loses nothing."""
    path = tmp_path / "state.db"
    old = sqlite3.connect(path, isolation_level=None)
    first = migrations()[0]
    for statement in first.sql.split(";"):
        if statement.strip():
            old.execute(statement)
    old.execute("create table schema_version (version integer primary key, name text not null, "
                "applied_at text not null default current_timestamp)")  # fmt: skip
    old.execute("insert into schema_version (version, name) values (1, ?)", (first.name,))
    old.execute(
        "insert into subscriptions (id, day, chat, prefix, number, created_at) values "
        "(1, '2026-11-27', 'telegram:1', 'A', 30, 'x')"
    )
    old.execute(
        "insert into outbox (subscription, kind, chat, text, created_at) values "
        "(1, 'called', 'telegram:1', 'DIPANGGIL', 'x')"
    )
    old.close()
    store = ReminderStore(path)
    [item] = store.pending("telegram:")
    assert (item.text, item.attempts, item.first_failed_at) == ("DIPANGGIL", 0, None)
