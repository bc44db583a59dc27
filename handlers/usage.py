"""Counting questions for the report and /metrics: the hook the conversation core calls."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from handlers.types import Incoming
from state.redact import redact

KEEP_TEXT = ("none", "ambiguous")


class Recorder(Protocol):
    """Where every channel's questions are counted (the report, /metrics)."""

    def question(
        self, channel: str, status: str, ref: str | None, text: str | None, now: datetime
    ) -> None: ...

    def replied(self, seconds: float) -> None: ...


def record_question(
    recorder: Recorder | None, msg: Incoming, status: str, ref: str | None, text: str
) -> None:
    """Count one question: its text only when it went unanswered, redacted before it leaves."""
    if recorder is None:
        return
    channel = msg.chat.partition(":")[0] if msg.chat else "console"
    kept = redact(text) if status in KEEP_TEXT else None
    recorder.question(channel, status, ref if status == "answer" else None, kept, msg.now)
