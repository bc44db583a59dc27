"""The usage record and the report built from it: what is kept, for how long, and the counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.metrics import Metrics, Recorder
from bot.pages import report_html
from bot.report import build_report, group_unanswered, report_text
from handlers.conversation import Assistant
from handlers.queue import QueueFlow
from handlers.types import Incoming
from knowledge.catalogue import Catalogue
from knowledge.tickets import Ticket
from state.context import ContextStore
from state.reminders import ReminderStore
from state.survey import SurveyStore
from state.usage import Period, UsageStore, open_state
from tests.conftest import FRIDAY_MORNING


@pytest.fixture
def usage(tmp_path: Path) -> Iterator[UsageStore]:
    db = open_state(tmp_path / "state.db")
    yield UsageStore(db)
    db.close()


def test_only_unanswered_questions_keep_their_text_redacted(usage: UsageStore) -> None:
    usage.record("telegram", "answer", "service:stnk-tahunan", "syarat stnk", FRIDAY_MORNING)
    usage.record("whatsapp", "none", None, "hp saya 081234567890 hilang", FRIDAY_MORNING)
    rows = [
        tuple(r) for r in usage.db.execute("select day, hour, channel, status, ref from questions")
    ]
    assert rows == [
        ("2026-11-27", 9, "telegram", "answer", "service:stnk-tahunan"),
        ("2026-11-27", 9, "whatsapp", "none", None),
    ]
    texts = [r[0] for r in usage.db.execute("select text from unanswered")]
    assert texts == ["hp saya [TELEPON] hilang"]


def test_texts_go_after_the_kept_days_and_counts_after_a_year(usage: UsageStore) -> None:
    usage.record("telegram", "none", None, "resep rendang", FRIDAY_MORNING)
    usage.purge(FRIDAY_MORNING + timedelta(days=29))
    assert usage.db.execute("select count(*) from unanswered").fetchone()[0] == 1
    usage.purge(FRIDAY_MORNING + timedelta(days=30))
    assert usage.db.execute("select count(*) from unanswered").fetchone()[0] == 0
    assert usage.db.execute("select count(*) from questions").fetchone()[0] == 1
    usage.purge(FRIDAY_MORNING + timedelta(days=367))
    assert usage.db.execute("select count(*) from questions").fetchone()[0] == 0


def test_zero_unanswered_days_keeps_no_text(tmp_path: Path) -> None:
    usage = UsageStore(open_state(tmp_path / "s.db"), unanswered_days=0)
    usage.record("telegram", "none", None, "resep rendang", FRIDAY_MORNING)
    assert usage.db.execute("select count(*) from unanswered").fetchone()[0] == 0
    assert usage.db.execute("select count(*) from questions").fetchone()[0] == 1


def test_reminder_counts_outlive_the_nightly_purge(tmp_path: Path, catalogue: Catalogue) -> None:
    store = ReminderStore(tmp_path / "state.db")
    flow = QueueFlow(store, catalogue)
    flow.subscribe("telegram:1", "A030", FRIDAY_MORNING)
    flow.call(Ticket("A", 25), "3", FRIDAY_MORNING)  # near:5
    flow.call(Ticket("A", 30), "3", FRIDAY_MORNING)  # called (near:2 closed silently)
    store.mark_sent(store.pending()[0], FRIDAY_MORNING)
    usage = UsageStore(store.db)
    report_day = build_report(usage, SurveyStore(store.db), catalogue, FRIDAY_MORNING, 1)
    assert report_day["reminders"] == {"made": 2, "sent": 1, "failed": 0}
    tomorrow = FRIDAY_MORNING + timedelta(days=1)
    store.purge(tomorrow)
    assert store.db.execute("select count(*) from outbox").fetchone()[0] == 0
    assert usage.reminders(usage_period(usage, tomorrow)) == {"made": 2, "sent": 1, "failed": 0}
    store.purge(tomorrow)  # a second purge counts nothing twice
    assert usage.reminders(usage_period(usage, tomorrow))["made"] == 2


def usage_period(usage: UsageStore, now: datetime) -> Period:
    return Period.ending(now, 7, usage.tz)


def test_similar_unanswered_phrasings_are_counted_together() -> None:
    texts = ["harga cabe di pasar", "resep rendang", "Harga cabe di pasar?", "harga cabe pasar"]
    texts += ["surat", "surat kehilangan", "resep rendang enak"]
    rows = list(enumerate(texts, 1))
    groups = group_unanswered(rows)
    assert [(g.text, g.count, g.ids) for g in groups] == [
        ("harga cabe di pasar", 3, [1, 3, 4]),
        ("resep rendang", 2, [2, 7]),
        ("surat", 1, [5]),
        ("surat kehilangan", 1, [6]),
    ]


def test_html_report_is_one_printable_file(usage: UsageStore, catalogue: Catalogue) -> None:
    for _ in range(3):
        usage.record("telegram", "answer", "service:stnk-tahunan", None, FRIDAY_MORNING)
    usage.record("telegram", "none", None, "<script>alert(1)</script>", FRIDAY_MORNING)
    report = build_report(usage, SurveyStore(usage.db), catalogue, FRIDAY_MORNING, 7)
    page = report_html(report, catalogue.mpp.name, "27-11-2026 09:30")
    assert page.count("<svg") >= 3 and "@media print" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Pajak kendaraan tahunan" in page
    text = report_text(report)
    assert "Pertanyaan: 4" in text and "terjawab langsung 75%" in text


def test_every_channel_is_counted_and_follow_ups_count_as_answered(
    usage: UsageStore, catalogue: Catalogue
) -> None:
    context = ContextStore(":memory:")
    assistant = Assistant(catalogue, context=context, recorder=Recorder(usage, Metrics()))
    for chat, text in [
        ("whatsapp:6281234567890", "syarat perpanjang stnk"),
        ("whatsapp:6281234567890", "biayanya berapa?"),  # about the STNK: answered
        (None, "resep rendang"),
        ("telegram:42", "makasih min"),  # politeness, no question
    ]:
        assistant.handle(Incoming("u", FRIDAY_MORNING, text=text, chat=chat))
    rows = [tuple(r) for r in usage.db.execute("select channel, status, ref from questions")]
    assert rows == [
        ("whatsapp", "answer", "service:stnk-tahunan"),
        ("whatsapp", "answer", "service:stnk-tahunan"),
        ("console", "none", None),
    ]
    stored = [r[0] for r in usage.db.execute("select text from unanswered")]
    assert stored == ["resep rendang"]
    context.close()


def test_warm_up_questions_are_not_counted(usage: UsageStore, catalogue: Catalogue) -> None:
    assistant = Assistant(catalogue, recorder=Recorder(usage, Metrics()))
    assistant.warm_up(FRIDAY_MORNING)
    assert usage.db.execute("select count(*) from questions").fetchone()[0] == 0
    assert assistant.recorder is not None
