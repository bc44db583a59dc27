"""First answers after start-up, with and without `Assistant.warm_up` (issue 9, item 10).

Run:  .venv/bin/python benchmarks/first_answer.py
Each round is a fresh Python process (nothing cached): load the catalogue, build the
assistant, optionally warm it up, then time the first three answers one by one.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 7
PROBE = """
import json, sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
from handlers.conversation import Assistant
from handlers.types import Incoming
from knowledge.catalogue import load_catalogue
now = datetime(2026, 11, 27, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
assistant = Assistant(load_catalogue())
if sys.argv[1] == "warm":
    assistant.warm_up(now)
times = []
for text in ("bikin kk baru", "apa syarat sktm", "jam buka hari sabtu"):
    start = time.perf_counter()
    assistant.handle(Incoming("bench", now, text=text))
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps(times))
"""


def first_answers(mode: str) -> list[list[float]]:
    runs = []
    for _ in range(ROUNDS):
        out = subprocess.run(
            [sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True
        )
        runs.append(json.loads(out.stdout))
    return runs


def main() -> None:
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for mode in ("cold", "warm"):
        runs = first_answers(mode)
        cells = [statistics.median(run[i] for run in runs) for i in range(3)]
        print(
            f"{mode}: median ms of answers 1/2/3 over {ROUNDS} fresh processes: "
            + " / ".join(f"{c:.1f}" for c in cells)
        )


if __name__ == "__main__":
    main()
