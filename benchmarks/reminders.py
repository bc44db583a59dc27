"""Queue reminder benchmark: 2,000 subscribers over 10 prefixes, 500 calls in bursts.

Run:  .venv/bin/python benchmarks/reminders.py [--rate 30]
The subscribers are written to the state database first (as /antrian would), then a real
`mpp-bot run` process takes calls on its HTTP API and sends reminders to the fake Bot API.
Reports: reminders expected vs delivered (exactly once?), call-to-reminder p50/p99, and the
drain time against the rate limiter's floor (reminders / rate).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import percentile  # noqa: E402

from knowledge.tickets import Ticket  # noqa: E402
from state.reminders import ReminderStore  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_telegram import FakeTelegramServer  # noqa: E402

PREFIXES = "ABCDEFGHIJ"
PER_PREFIX = 200  # subscribers per prefix: tickets 1..200
CALLS_PER_PREFIX = 50
BURSTS = 10
SECRET = "bench"


def subscribe_all(db: Path) -> dict[int, Ticket]:
    store = ReminderStore(db)
    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    chats = {}
    for p, prefix in enumerate(PREFIXES):
        for number in range(1, PER_PREFIX + 1):
            chat = 100_000 + p * 1000 + number
            store.subscribe(f"telegram:{chat}", Ticket(prefix, number), now)
            chats[chat] = Ticket(prefix, number)
    store.close()
    return chats


async def fire(url: str) -> dict[Ticket, float]:
    """500 calls in 10 bursts; returns when each call was acknowledged."""
    acked: dict[Ticket, float] = {}
    per_burst = CALLS_PER_PREFIX // BURSTS
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {SECRET}"}) as client:
        for burst in range(BURSTS):
            numbers = range(burst * per_burst + 1, (burst + 1) * per_burst + 1)

            async def one_prefix(prefix: str, numbers: range = numbers) -> None:
                for n in numbers:  # in order within a queue, queues in parallel
                    r = await client.post(
                        f"{url}/api/queue/call", json={"ticket": f"{prefix}{n}", "counter": "1"}
                    )
                    r.raise_for_status()
                    acked[Ticket(prefix, n)] = time.monotonic()

            await asyncio.gather(*(one_prefix(p) for p in PREFIXES))
            await asyncio.sleep(1.0)
    return acked


def cause(ticket: Ticket, text: str) -> Ticket:
    m = re.search(r"tinggal (\d+) nomor", text)
    return Ticket(ticket.prefix, ticket.number - int(m.group(1))) if m else ticket


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=30.0, help="TELEGRAM_RATE_LIMIT")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    chats = subscribe_all(tmp / "state.db")
    with FakeTelegramServer() as server:
        fake = server.fake
        with BotProcess(
            server.base_url, tmp, TELEGRAM_RATE_LIMIT=str(args.rate), MPP_QUEUE_TOKEN=SECRET
        ) as bot:
            start = time.monotonic()
            acked = asyncio.run(fire(bot.url))
            store = ReminderStore(tmp / "state.db")
            query = "select count(*) from outbox where text is not null"
            expected = store.db.execute(query).fetchone()[0]
            deadline = time.monotonic() + 600
            while len(fake.sent) < expected and time.monotonic() < deadline:
                time.sleep(0.2)
            drained = time.monotonic() - start
            time.sleep(2)  # room for any duplicate to arrive
    per_message = Counter((m["chat_id"], m["text"]) for m in fake.sent)
    latencies = [
        (m["at"] - acked[cause(chats[m["chat_id"]], m["text"])]) * 1000 for m in fake.sent
    ]
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; rate limit {args.rate or 'off'} msg/s.\n"
    )
    print(
        "| subscribers | calls | reminders due | delivered | duplicates | p50 ms | p99 ms |"
        " drain s | floor s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    floor = expected / args.rate if args.rate else 0
    print(
        f"| {len(chats)} | {len(acked)} | {expected} | {len(fake.sent)} | "
        f"{sum(n - 1 for n in per_message.values())} | {percentile(latencies, 50):.0f} | "
        f"{percentile(latencies, 99):.0f} | {drained:.1f} | {floor:.1f} |"
    )


if __name__ == "__main__":
    main()
