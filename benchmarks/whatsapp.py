"""WhatsApp pipeline benchmark: signed webhook in -> `mpp-bot run` process -> core -> Graph send.

Run:  .venv/bin/python benchmarks/whatsapp.py
After 10 untimed warm-up questions, each simulated citizen (its own wa_id) asks one question;
latency is from the moment the signed webhook is posted to the moment the fake Graph API
receives the bot's first message to that citizen. Loads are offered at a fixed rate; the bot
runs as its own process, as an operator starts it. The bot paces its sends to 70 messages/s
(in any one second; Meta allows a number 80/s).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import QUESTIONS, summarize  # noqa: E402

from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_graph import FakeGraph, FakeGraphServer, Meta, sign, whatsapp_env  # noqa: E402


def run_load(rate: float, seconds: float) -> dict[str, float]:
    with (
        FakeGraphServer() as server,
        tempfile.TemporaryDirectory() as tmp,
        BotProcess(None, Path(tmp), **whatsapp_env(server)) as bot,
    ):
        meta = Meta(f"{bot.url}/webhooks/whatsapp", server.fake)
        _warm_up(meta, server.fake)
        return _offer(meta, server.fake, rate, seconds)


def _warm_up(meta: Meta, fake: FakeGraph, count: int = 10) -> None:
    """Untimed questions first: connections opened, first-use work done (as in production,
    where the first citizen of the day is not a benchmark sample)."""
    for i in range(count):
        meta.post(meta.text(f"62799{i:07d}", QUESTIONS[i % len(QUESTIONS)]))
    deadline = time.monotonic() + 30
    while len({m["to"] for m in fake.sent}) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    fake.sent.clear()


def _offer(meta: Meta, fake: FakeGraph, rate: float, seconds: float) -> dict[str, float]:
    total = int(rate * seconds)
    bodies = [
        json.dumps(meta.text(f"62800{i:07d}", QUESTIONS[i % len(QUESTIONS)])).encode()
        for i in range(total)
    ]
    posted: dict[str, float] = {}
    client = httpx.Client(timeout=30)

    def post(i: int) -> int:
        posted[f"62800{i:07d}"] = time.monotonic()
        headers = {"X-Hub-Signature-256": sign(bodies[i]), "Content-Type": "application/json"}
        return client.post(meta.url, content=bodies[i], headers=headers).status_code

    start = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        futures = []
        for i in range(total):
            time.sleep(max(0.0, start + i / rate - time.monotonic()))
            futures.append(pool.submit(post, i))
        statuses = [f.result() for f in futures]
    deadline = time.monotonic() + 60
    while len({m["to"] for m in fake.sent}) < total and time.monotonic() < deadline:
        time.sleep(0.05)
    client.close()
    sent = [(m["to"], m["at"]) for m in fake.sent]
    return {
        **summarize(posted, sent, start),
        "acked": statuses.count(200),
        "rejected": len(fake.rejected),
    }


def main() -> None:
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; fake Graph API, webhook poster and bot on one machine.\n"
    )
    print("| offered q/s | answered | acked 200 | replies/s | p50 ms | p99 ms | rejected |")
    print("|---|---|---|---|---|---|---|")
    for rate, seconds in [(20, 10), (50, 5), (100, 5)]:
        r = run_load(rate, seconds)
        print(
            f"| {rate} | {r['answered']}/{r['asked']} | {r['acked']} | {r['replies/s']:.0f} | "
            f"{r['p50 ms']:.1f} | {r['p99 ms']:.1f} | {r['rejected']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
