"""The console chat: the same conversation core as Telegram, in a terminal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from handlers.conversation import Assistant
from handlers.types import Incoming, Reply

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
    """Read questions until EOF or 'keluar'. A typed number picks a shown choice in the core,
    from the chat's context, exactly as on Telegram and WhatsApp."""
    print(f"Asisten {assistant.catalogue.mpp.name}. Ketik pertanyaan; 'keluar' untuk berhenti.")
    while True:
        try:
            line = input("\nAnda: ")
        except EOFError:
            print()
            return 0
        if line.strip().lower() in EXIT_WORDS:
            return 0
        reply = assistant.handle(Incoming(user, clock(), text=line))
        print("\n" + render(reply))
