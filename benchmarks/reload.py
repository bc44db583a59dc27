"""Live catalogue benchmark: how long from saving a catalogue edit to the first answer using it.

Run:  .venv/bin/python benchmarks/reload.py [--edits 10] [--poll 3]
A real `mpp-bot run` answers from a copy of the catalogue; the STNK fee is changed in the YAML
again and again, and a citizen asks on the fake Bot API until the answer shows the new fee.
Also reported: how long answers take while a reload runs (they must not stall).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import percentile  # noqa: E402

from knowledge.catalogue import DEFAULT_DATA_DIR  # noqa: E402
from tests.bot_process import BotProcess, edit_stnk_fee, reply_to  # noqa: E402
from tests.fake_telegram import FakeTelegram, FakeTelegramServer  # noqa: E402

QUESTION = "syarat perpanjang stnk"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--poll", type=float, default=3.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    data = work / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    env = {"MPP_CATALOGUE_DIR": str(data), "MPP_CATALOGUE_POLL": str(args.poll)}
    with FakeTelegramServer() as server, BotProcess(server.base_url, work, **env):
        visible, answers, quiet = [], [], []
        stop = threading.Event()
        side = threading.Thread(target=_keep_asking, args=(server.fake, quiet, stop))
        side.start()
        time.sleep(5)  # the same asking without any reload: the baseline
        stop.set()
        side.join()
        for i in range(args.edits):
            fee = f"Rp{10_000 + i}"
            stop = threading.Event()
            side = threading.Thread(target=_keep_asking, args=(server.fake, answers, stop))
            side.start()
            saved = time.monotonic()
            edit_stnk_fee(data, fee)
            while f"Biaya: {fee}" not in reply_to(server.fake, 1, QUESTION):
                time.sleep(0.05)
            visible.append(time.monotonic() - saved)
            stop.set()
            side.join()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; MPP_CATALOGUE_POLL={args.poll:g} s, {args.edits} edits.\n"
    )
    print("| measure | p50 | p99 | max |\n|---|---|---|---|")
    for name, values in (
        ("edit saved -> answer uses it (s)", visible),
        ("answer time, no reload (ms)", [a * 1000 for a in quiet]),
        ("answer time during reloads (ms)", [a * 1000 for a in answers]),
    ):
        print(
            f"| {name} | {percentile(values, 50):.2f} | {percentile(values, 99):.2f} "
            f"| {max(values):.2f} |"
        )


def _keep_asking(fake: FakeTelegram, answers: list[float], stop: threading.Event) -> None:
    """Another citizen asking all the time, to see that answers do not stall during a reload."""
    while not stop.is_set():
        started = time.monotonic()
        reply_to(fake, 2, QUESTION)
        answers.append(time.monotonic() - started)


if __name__ == "__main__":
    main()
