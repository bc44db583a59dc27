"""Fuzzing as a test: 10,000 generated messages through the core and the Telegram renderer,
and 2,000 generated queue-machine bodies through the HTTP API. Zero exceptions, zero replies
Telegram would refuse, zero 500s. Seeded: a failure names the seed and index to replay."""

from __future__ import annotations

import traceback
from datetime import timedelta
from pathlib import Path

import pytest

from bot.server import create_api
from bot.telegram.render import MAX_CALLBACK_BYTES, html_lines, keyboard, split_message
from handlers.conversation import Assistant
from handlers.queue import QueueFlow
from handlers.types import Incoming, Reply
from handlers.wording import COMMANDS
from knowledge.catalogue import Catalogue
from state.context import ContextStore
from state.reminders import ReminderStore
from tests.conftest import FRIDAY_MORNING
from tests.fake_telegram import BadRequest, check_html
from tests.fuzz import call_bodies, messages
from tests.test_api_hardening import ApiClient

SEED = 20261128
MESSAGES = 10_000
BODIES = 2_000


def telegram_refusals(reply: Reply) -> list[str]:
    """What Telegram would refuse in this reply, checked as strictly as the fake Bot API."""
    problems = []
    parts = split_message(html_lines(reply))
    if not parts:
        problems.append("no text to send")
    for part in parts:
        try:
            check_html(part)
        except BadRequest as exc:
            problems.append(str(exc))
    markup = keyboard(reply)
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            data = (button.callback_data or "").encode()  # type: ignore[union-attr]
            if not button.text.strip() or not data or len(data) > MAX_CALLBACK_BYTES:
                problems.append(f"bad button {button.text!r}")
    return problems


def _incoming(i: int, text: str) -> tuple[str, Incoming]:
    """Every fifth message is a command with the text as its argument; some are buttons."""
    now = FRIDAY_MORNING + timedelta(minutes=i % 600)
    chat = f"telegram:{i % 50}"
    if i % 5 == 0:
        name = sorted(COMMANDS)[i // 5 % len(COMMANDS)]
        return name, Incoming(str(i), now, text=text, chat=chat)
    if i % 7 == 0:
        return "", Incoming(str(i), now, payload=text[:64], kind="button", chat=chat)
    return "", Incoming(str(i), now, text=text, chat=chat)


def test_ten_thousand_generated_messages_get_replies_telegram_accepts(
    catalogue: Catalogue,
) -> None:
    store = ReminderStore(":memory:")
    context = ContextStore(":memory:", 30)  # follow-ups too: 50 chats, each with a memory
    assistant = Assistant(catalogue, queue=QueueFlow(store, catalogue), context=context)
    failures = []
    for i, text in enumerate(messages(SEED, MESSAGES)):
        command, msg = _incoming(i, text)
        try:
            reply = assistant.command(command, msg, text) if command else assistant.handle(msg)
            problems = telegram_refusals(reply)
        except Exception:
            problems = [traceback.format_exc(limit=3)]
        failures += [f"#{i} {text[:60]!r}: {p}" for p in problems]
    store.close()
    context.close()
    assert failures == [], f"{len(failures)} failures (seed {SEED}):\n" + "\n".join(failures[:10])


def test_generated_queue_machine_bodies_never_get_a_500(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    flow = QueueFlow(ReminderStore(":memory:"), catalogue)
    client = ApiClient(create_api(flow, "secret-queue-token", lambda: FRIDAY_MORNING))
    bodies = list(call_bodies(SEED, BODIES))
    try:
        statuses = [r.status_code for r in client.post_many(bodies)]
    except Exception as exc:
        pytest.fail(f"the API raised {type(exc).__name__}: {exc}")
    assert set(statuses) <= {200, 400, 422}, sorted(set(statuses))
    assert {200, 400, 422} <= set(statuses)  # the generator reaches every branch
