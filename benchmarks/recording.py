"""What recording each question costs: Assistant.handle with and without the usage recorder.

Run:  .venv/bin/python benchmarks/recording.py
The chat-style questions of benchmarks/data/chat-questions.tsv go through the conversation core
(no transport), first without a recorder, then recording into a state database file on disk
(WAL, one insert per question, two for unanswered ones). Prints median and p99 per question.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import percentile  # noqa: E402

from bot.metrics import Metrics, Recorder  # noqa: E402
from handlers.conversation import Assistant  # noqa: E402
from handlers.types import Incoming  # noqa: E402
from knowledge.catalogue import load_catalogue  # noqa: E402
from state.usage import UsageStore, open_state  # noqa: E402

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
ROUNDS = 5


def questions() -> list[str]:
    lines = (ROOT / "benchmarks" / "data" / "chat-questions.tsv").read_text().splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


def timings(assistant: Assistant, texts: list[str]) -> list[float]:
    spent = []
    for i in range(ROUNDS):
        for text in texts:
            msg = Incoming("bench", NOW, text=text, chat=f"telegram:{i}")
            started = time.perf_counter()
            assistant.handle(msg)
            spent.append((time.perf_counter() - started) * 1000)
    return spent


def main() -> None:
    catalogue = load_catalogue(ROOT / "knowledge" / "data")
    texts = questions()
    plain = Assistant(catalogue)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_state(Path(tmp) / "state.db")
        recording = Assistant(catalogue, recorder=Recorder(UsageStore(db), Metrics()))
        timings(plain, texts[:20])  # warm up
        rows = [("without recorder", timings(plain, texts))]
        rows.append(("with recorder (SQLite file)", timings(recording, texts)))
        kept = db.execute("select count(*) from questions").fetchone()[0]
        db.close()
    print(
        f"{len(texts)} questions x {ROUNDS}; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; {kept} rows recorded"
    )
    print("| | median ms | p99 ms |\n|---|---|---|")
    for name, spent in rows:
        print(f"| {name} | {percentile(spent, 50):.2f} | {percentile(spent, 99):.2f} |")


if __name__ == "__main__":
    main()
