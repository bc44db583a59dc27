"""The SKM survey in the chat: offered when a ticket is called, nine taps, a redacted comment,
stored without any chat id, once per ticket."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from handlers.conversation import Assistant
from handlers.queue import QueueFlow
from handlers.survey import OFFER, SurveyFlow, agency_finder
from handlers.types import Incoming, Reply
from knowledge.catalogue import Catalogue
from knowledge.matcher import Matcher
from knowledge.tickets import Ticket
from state.reminders import ReminderStore
from state.survey import SurveyStore
from state.usage import open_state
from tests.conftest import FRIDAY_MORNING

CHAT = "telegram:5550001"


@pytest.fixture
def assistant(state_target: str, catalogue: Catalogue) -> Iterator[Assistant]:
    store = ReminderStore(state_target)
    db = open_state(state_target)
    flow = QueueFlow(store, catalogue, survey_offer=OFFER)
    finder = agency_finder(Matcher(catalogue), catalogue)
    yield Assistant(catalogue, queue=flow, survey=SurveyFlow(SurveyStore(db), catalogue, finder))
    db.close()
    store.close()


def send(assistant: Assistant, text: str | None = None, payload: str | None = None) -> Reply:
    kind = "button" if payload else "text"
    msg = Incoming("u", FRIDAY_MORNING, text=text, payload=payload, kind=kind, chat=CHAT)
    return assistant.handle(msg)


def called(assistant: Assistant, number: int = 30) -> str:
    send(assistant, f"antrian A{number:03d}")
    assert assistant.queue is not None
    assistant.queue.call(Ticket("A", number), "3", FRIDAY_MORNING)
    texts = [p.text for p in assistant.queue.store.pending() if p.kind == "called"]
    return texts[-1]


def test_without_a_called_ticket_survei_is_an_ordinary_question(assistant: Assistant) -> None:
    reply = send(assistant, "SURVEI")
    assert "1/9" not in reply.plain_text()
    # An ordinary question: the research permit (its card, or a menu offering it).
    shown = reply.plain_text() + " ".join(c.label for c in reply.choices)
    assert "penelitian" in shown.lower()


def test_full_survey_is_stored_anonymously_once(assistant: Assistant, state_target: str) -> None:
    assert "Ketik SURVEI" in called(assistant)
    assert "Layanan apa yang Anda urus" in send(assistant, "survei").plain_text()
    reply = send(assistant, "bayar pajak motor tahunan")  # matched to its agency, never kept
    assert "untuk Samsat" in reply.plain_text() and "1/9 Persyaratan" in reply.plain_text()
    assert [c.label for c in reply.choices] == [
        "Tidak sesuai",
        "Kurang sesuai",
        "Sesuai",
        "Sangat sesuai",
        "Berhenti",
    ]
    for unsur in range(1, 10):
        reply = send(assistant, payload=f"skm:{unsur}:{3 if unsur % 2 else 4}")
    assert "saran" in reply.plain_text() and reply.choices[0].payload == "skm:skip"
    done = send(assistant, "antrinya lama, hubungi saya 0812 3456 7890")
    assert "Terima kasih" in done.plain_text()
    assert "sudah diisi" in send(assistant, "SURVEI").plain_text()

    db = open_state(state_target)
    rows = [tuple(r) for r in db.execute("select * from skm_responses")]
    assert rows == [
        (
            1,
            "2026-11-27",
            "samsat",
            3,
            4,
            3,
            4,
            3,
            4,
            3,
            4,
            3,
            "antrinya lama, hubungi saya [TELEPON]",
        )
    ]
    assert db.execute("select count(*) from skm_sessions").fetchone()[0] == 0
    for table in ("skm_responses", "skm_sessions", "skm_taken"):
        for row in db.execute(f"select * from {table}"):
            assert not any(CHAT in str(v) or "5550001" in str(v) for v in row)
    db.close()


def test_a_mapped_queue_prefix_needs_no_question(assistant: Assistant) -> None:
    assert assistant.survey is not None
    assistant.survey.agency_of_prefix["A"] = "dispendukcapil"
    called(assistant)
    assert "untuk Dinas Kependudukan" in send(assistant, "survei").plain_text()


def test_skipping_the_service_counts_for_the_mpp_as_a_whole(assistant: Assistant) -> None:
    called(assistant)
    send(assistant, "survei")
    assert "1/9" in send(assistant, payload="skm:skip").plain_text()
    for unsur in range(1, 10):
        send(assistant, payload=f"skm:{unsur}:2")
    send(assistant, payload="skm:skip")
    survey = assistant.survey
    assert survey is not None
    assert list(survey.store.responses("2026-11-27", "2026-11-27")) == ["mpp"]


def test_typed_scores_count_and_a_question_meanwhile_is_answered(assistant: Assistant) -> None:
    called(assistant)
    send(assistant, "survei")
    send(assistant, payload="skm:skip")
    assert "2/9" in send(assistant, "4").plain_text()
    assert "Samsat" in send(assistant, "syarat perpanjang stnk").plain_text()
    assert "2/9" in send(assistant, "survei").plain_text()  # the survey waited


def test_an_old_button_asks_the_open_question_again(assistant: Assistant) -> None:
    called(assistant)
    send(assistant, "survei")
    send(assistant, payload="skm:skip")
    send(assistant, payload="skm:1:4")
    again = send(assistant, payload="skm:1:2")  # pressed twice
    assert "2/9 Prosedur" in again.plain_text()


def test_stopping_keeps_nothing_and_ends_the_survey(assistant: Assistant) -> None:
    called(assistant)
    send(assistant, "survei")
    send(assistant, payload="skm:skip")
    send(assistant, payload="skm:1:4")
    assert "dihentikan" in send(assistant, payload="skm:stop").plain_text()
    assert "tidak aktif" in send(assistant, payload="skm:2:4").plain_text()
    survey = assistant.survey
    assert survey is not None
    assert survey.store.responses("2026-11-01", "2026-12-31") == {}


def test_a_new_day_forgets_unfinished_surveys(assistant: Assistant) -> None:
    called(assistant)
    send(assistant, "survei")
    survey = assistant.survey
    assert survey is not None
    survey.store.purge(FRIDAY_MORNING + timedelta(days=1))
    assert survey.store.db.execute("select count(*) from skm_sessions").fetchone()[0] == 0


def test_skm_payloads_fit_telegram_callback_data(assistant: Assistant) -> None:
    called(assistant)
    send(assistant, "survei")
    reply = send(assistant, "ktp")
    assert all(len(c.payload.encode()) <= 64 for c in reply.choices)
