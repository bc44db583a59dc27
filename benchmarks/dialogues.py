"""Follow-up benchmark: two- and three-turn dialogues, scored turn by turn (right card each time).

Run:  .venv/bin/python benchmarks/dialogues.py [--show-misses]
Prints markdown tables (paste them into docs/dialogue-benchmark.md with the machine noted).
Each dialogue runs in a chat of its own; "[+31m]" moves the injected clock on.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import percentile  # noqa: E402

from handlers.context import NO_MENU  # noqa: E402
from handlers.conversation import Assistant  # noqa: E402
from handlers.types import Incoming, Reply  # noqa: E402
from knowledge.catalogue import DEFAULT_DATA_DIR, Catalogue, load_catalogue  # noqa: E402
from state.context import ContextStore  # noqa: E402

DIALOGUES = ROOT / "benchmarks" / "data" / "dialogues.txt"
LATER = ROOT / "benchmarks" / "data" / "dialogues-later.txt"  # written after tuning, not tuned on
START = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # a Friday morning
_GAP = re.compile(r"^\[\+(\d+)m\]\s*")
# What the short answer on each part of a card starts with.
PART_LABELS = {
    "fee": "Biaya",
    "duration": "Lama proses",
    "requirements": "Syarat",
    "procedure": "Alur",
    "online": "Online",
    "where": "Tempat",
    "hours": ("Jam", "Hari ini"),
    "represent": ("Bisa diwakilkan", "Yang disebut"),
}
PLACE = ("where", "hours")


@dataclass(frozen=True)
class Turn:
    text: str
    expected: str
    gap_minutes: int = 0


def read_dialogues(path: Path = DIALOGUES) -> list[list[Turn]]:
    dialogues, current = [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("# ") or line == "#":  # a comment ("#service:x" is a turn)
            continue
        if not line.strip():
            if current:
                dialogues.append(current)
            current = []
            continue
        text, expected = line.split("\t")
        gap = _GAP.match(text)
        current.append(Turn(_GAP.sub("", text), expected, int(gap.group(1)) if gap else 0))
    return dialogues


def card_ref(reply: Reply, cat: Catalogue) -> str | None:
    """The entry a reply is the card (or a short answer) of, from its title."""
    # The first titled block: an unsure agency's answer opens with an untitled doubt line.
    title = next((b.title for b in reply.blocks if b.title), None)
    names = {e.name: ref for ref in cat.refs() if (e := cat.get(ref))}
    return names.get((title or "").removesuffix(": detail"))  # a Detail belongs to its entry


def is_right(reply: Reply, expected: str, cat: Catalogue) -> bool:
    text = reply.plain_text()
    if "belum menemukan" in text or "tidak tersedia" in text:
        return expected == "none"
    if expected == "any":  # small talk or a pick whose card does not matter
        return True
    if expected in ("hint", "range", "menu", "none"):
        return {
            "hint": NO_MENU[0] in text,
            "range": "Silakan pilih nomor" in text,
            "menu": bool(reply.choices) and card_ref(reply, cat) is None,
            "none": False,
        }[expected]
    ref, _, part = expected.partition(" ")
    if card_ref(reply, cat) != ref:
        return False
    short = len(reply.blocks) == 1
    if not part:
        return not short or len(reply.blocks[0].lines) > 3
    # A service elsewhere answers "where" and "hours" by saying where to go instead.
    elsewhere = ("Belum ada di MPP", "⚠️ Belum pasti ada gerai")
    labels = (*_tuple(PART_LABELS[part]), *(elsewhere if part in PLACE else ()))
    return short and reply.blocks[0].lines[0].startswith(labels)


def _tuple(label: str | tuple[str, ...]) -> tuple[str, ...]:
    return (label,) if isinstance(label, str) else label


def typed(text: str, shown: list[str]) -> str:
    """'#service:x' is the number service:x has in the menu last shown."""
    if not text.startswith("#"):
        return text
    return str(shown.index(text[1:]) + 1) if text[1:] in shown else "99"


def expected_of(turn: Turn, shown: list[str]) -> str:
    """'choice 2 fee' -> 'service:x fee' for the second choice last shown."""
    words = turn.expected.split()
    if words[0] != "choice":
        return turn.expected
    index = int(words[1]) - 1
    ref = shown[index] if index < len(shown) else "(no such choice)"
    return " ".join([ref, *words[2:]])


def run(assistant: Assistant, dialogues: list[list[Turn]], show: bool) -> dict[str, float]:
    turns = right = followups = followups_right = whole = 0
    times: list[float] = []
    for n, dialogue in enumerate(dialogues):
        now, all_right, shown = START + timedelta(hours=n), True, []
        for i, turn in enumerate(dialogue):
            now += timedelta(minutes=turn.gap_minutes, seconds=20)
            text, expected = typed(turn.text, shown), expected_of(turn, shown)
            msg = Incoming("u1", now, text=text, chat=f"bench:{n}")
            start = time.perf_counter_ns()
            reply = assistant.handle(msg)
            times.append((time.perf_counter_ns() - start) / 1e6)
            ok = is_right(reply, expected, assistant.catalogue)
            if reply.choices and card_ref(reply, assistant.catalogue) is None:
                shown = [c.payload for c in reply.choices]  # a menu, not a card's buttons
            turns, right = turns + 1, right + ok
            if i:
                followups, followups_right = followups + 1, followups_right + ok
            all_right &= ok
            if show and not ok:
                got = card_ref(reply, assistant.catalogue) or reply.plain_text()[:70]
                print(f"  MISS d{n + 1} {text!r}: want {expected}, got {got!r}")
        whole += all_right
    return {
        "turns": right / turns,
        "follow-up turns": followups_right / followups,
        "whole dialogues": whole / len(dialogues),
        "p50": percentile(times, 50),
        "p99": percentile(times, 99),
    }


def table(cat: Catalogue, dialogues: list[list[Turn]], show: bool) -> None:
    count = sum(len(d) for d in dialogues)
    print(f"{len(dialogues)} dialogues, {count} turns ({count - len(dialogues)} follow-ups).\n")
    print("| assistant | turns right | follow-up turns right | whole dialogues right |", end="")
    print(" p50 ms/turn | p99 ms/turn |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        contexts = {
            "each message alone (no context)": None,
            "context in memory (console)": ContextStore(":memory:"),
            "context in the state database (file)": ContextStore(Path(tmp) / "state.db"),
        }
        for label, store in contexts.items():
            scores = run(Assistant(cat, context=store), dialogues, show)
            print(
                f"| {label} | {scores['turns']:.3f} | {scores['follow-up turns']:.3f} | "
                f"{scores['whole dialogues']:.3f} | {scores['p50']:.2f} | {scores['p99']:.2f} |"
            )
            if store:
                store.close()
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    cat = load_catalogue(DEFAULT_DATA_DIR)
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, one process.\n")
    for label, path in (("Dialogues", DIALOGUES), ("Written after tuning", LATER)):
        print(f"### {label} ({path.name})\n")
        table(cat, read_dialogues(path), args.show_misses)


if __name__ == "__main__":
    main()
