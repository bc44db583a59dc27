"""The console chat: the same conversation core as Telegram, in a terminal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from handlers.conversation import Assistant
from handlers.types import Choice, Incoming, Reply

EXIT_WORDS = {"keluar", "exit", "quit", "selesai", "q"}


def render(reply: Reply) -> str:
    text = reply.plain_text()
    if reply.choices:
        text += "\n" + "\n".join(f"  [{i}] {c.label}" for i, c in enumerate(reply.choices, 1))
    if reply.location:
        loc = reply.location
        text += f"\n  (titik peta: {loc.latitude}, {loc.longitude})"
    return text


def chat(assistant: Assistant, clock: Callable[[], datetime], user: str = "console") -> int:
    """Read questions until EOF or 'keluar'; a number presses the matching choice."""
    print(f"Asisten {assistant.catalogue.mpp.name}. Ketik pertanyaan; 'keluar' untuk berhenti.")
    choices: list[Choice] = []
    while True:
        try:
            line = input("\nAnda: ")
        except EOFError:
            print()
            return 0
        if line.strip().lower() in EXIT_WORDS:
            return 0
        msg = _incoming(line, choices, user, clock())
        reply = assistant.handle(msg)
        choices = reply.choices
        print("\n" + render(reply))


def _incoming(line: str, choices: list[Choice], user: str, now: datetime) -> Incoming:
    pick = line.strip()
    if pick.isdigit() and 1 <= int(pick) <= len(choices):
        return Incoming(user, now, payload=choices[int(pick) - 1].payload, kind="button")
    # A typed "detail" presses the Detail button of the answer just shown.
    detail = next((c.payload for c in choices if c.payload.startswith("detail:")), None)
    if detail and pick.lower() in ("detail", "detil", "details"):
        return Incoming(user, now, payload=detail, kind="button")
    return Incoming(user, now, text=line)
