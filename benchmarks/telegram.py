"""Telegram pipeline benchmark: fake Bot API on loopback -> `mpp-bot run` process -> core -> reply.

Run:  .venv/bin/python benchmarks/telegram.py
Each simulated chat asks one question; latency is from the moment the update is queued at the
fake API to the moment the bot's sendMessage for that chat arrives. Loads are offered at a fixed
rate; the bot runs as its own process, exactly as an operator starts it.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import QUESTIONS, summarize  # noqa: E402

from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_telegram import FakeTelegramServer  # noqa: E402


def run_load(rate: float, seconds: float, limit: float) -> dict[str, float]:
    """Offer `rate` questions/s for `seconds` to a fresh bot process with the given limiter."""
    with (
        FakeTelegramServer() as server,
        tempfile.TemporaryDirectory() as tmp,
        BotProcess(server.base_url, Path(tmp), TELEGRAM_RATE_LIMIT=str(limit)),
    ):
        return _offer(server.fake, rate, seconds)


def _offer(fake, rate: float, seconds: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    total = int(rate * seconds)
    queued: dict[int, float] = {}
    start = time.monotonic()
    for i in range(total):
        due = start + i / rate
        time.sleep(max(0.0, due - time.monotonic()))
        chat = 10_000 + i
        queued[chat] = time.monotonic()
        fake.send_text(chat, QUESTIONS[i % len(QUESTIONS)])
    deadline = time.monotonic() + 60
    while len(fake.sent) < total and time.monotonic() < deadline:
        time.sleep(0.05)
    sent = [(m["chat_id"], m["at"]) for m in fake.sent]
    return {
        **summarize(queued, sent, start),
        "offered/s": rate,
        "rejected": len(fake.rejected),
    }


def main() -> None:
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; fake Bot API and bot process on the same machine.\n"
    )
    print("| limiter (msg/s) | offered q/s | answered | replies/s | p50 ms | p99 ms | rejected |")
    print("|---|---|---|---|---|---|---|")
    runs = [(20, 10, 30), (100, 5, 0), (200, 5, 0), (300, 5, 0), (400, 5, 0)]
    for rate, seconds, limit in runs:
        r = run_load(rate, seconds, limit)
        print(
            f"| {limit or 'off'} | {rate} | {r['answered']}/{r['asked']} | "
            f"{r['replies/s']:.0f} | {r['p50 ms']:.1f} | {r['p99 ms']:.1f} | "
            f"{r['rejected']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
