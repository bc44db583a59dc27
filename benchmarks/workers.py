"""Several workers on one PostgreSQL: replies/s with 1, 2 and 3 workers, and a reminder drain.

Run:  .venv/bin/python benchmarks/workers.py [--questions 600] [--subscribers 2000]
A PostgreSQL is started from the machine's binaries (as tests do), the workers are real
`mpp-bot run` processes in Telegram webhook mode against the fake Bot API on loopback.

1. Replies: questions are POSTed as webhook updates, round-robin over the workers, by 12
   concurrent clients (a load balancer's view); a POST returns once its reply was sent, so its
   time is the reply latency. TELEGRAM_RATE_LIMIT=0 here: this measures the workers, not
   Telegram's 30 messages/s.
2. Drain: N subscribers waiting for one ticket number (written straight into the database), one
   call, three workers sending with the shared 30 messages/s limit: time until all are sent.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import QUESTIONS  # noqa: E402  (benchmarks/telegram.py)
from timing import percentile  # noqa: E402

from knowledge.tickets import Ticket  # noqa: E402
from state.reminders import ReminderStore  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_telegram import FakeTelegram, FakeTelegramServer  # noqa: E402
from tests.postgres_server import PostgresServer, find_binaries  # noqa: E402

SECRET = "benchmark-secret-0123456789"


def start_workers(n: int, api: str, url: str, root: Path, **env: str) -> list[BotProcess]:
    workers = []
    for i in range(n):
        folder = root / f"w{i}"
        folder.mkdir(parents=True)
        workers.append(
            BotProcess(
                api,
                folder,
                MPP_DATABASE_URL=url,
                TELEGRAM_WEBHOOK_SECRET=SECRET,
                TELEGRAM_WEBHOOK_URL="https://mpp.example.id/webhooks/telegram",
                TELEGRAM_SET_WEBHOOK="1" if i == 0 else "0",
                **env,
            ).start()
        )
    return workers


def replies(n: int, questions: int, pg: PostgresServer, root: Path) -> dict[str, float]:
    with FakeTelegramServer() as server:
        workers = start_workers(n, server.base_url, pg.fresh_url(), root, TELEGRAM_RATE_LIMIT="0")
        try:
            fake = server.fake
            clients = [httpx.Client(timeout=60) for _ in workers]

            def ask(i: int) -> float:
                update = fake.update(20_000 + i, QUESTIONS[i % len(QUESTIONS)])
                began = time.perf_counter()
                clients[i % n].post(
                    f"{workers[i % n].url}/webhooks/telegram",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                ).raise_for_status()
                return (time.perf_counter() - began) * 1000

            ask(0)  # each worker's first answer builds caches: not measured
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=12) as pool:
                ms = list(pool.map(ask, range(1, questions + 1)))
            wall = time.perf_counter() - start
        finally:
            for w in workers:
                w.stop()
    return {
        "replies/s": questions / wall,
        "median ms": statistics.median(ms),
        "p99 ms": percentile(ms, 99),
    }


def drain(subscribers: int, pg: PostgresServer, root: Path) -> dict[str, float]:
    url = pg.fresh_url()
    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    store = ReminderStore(url)
    for i in range(subscribers):
        store.subscribe(f"telegram:{30_000 + i}", Ticket("A", 30), now)
    store.close()
    with FakeTelegramServer() as server:
        workers = start_workers(3, server.base_url, url, root)
        try:
            fake: FakeTelegram = server.fake
            start = time.monotonic()
            assert workers[1].call("A030").status_code == 200
            while len(fake.sent) < subscribers and time.monotonic() - start < 600:
                time.sleep(0.05)
            took = time.monotonic() - start
            times = sorted(m["at"] for m in fake.sent)
            chats = {m["chat_id"] for m in fake.sent}
        finally:
            for w in workers:
                w.stop()
    busiest = max(sum(1 for t in times[i : i + 60] if t < s + 1) for i, s in enumerate(times))
    return {
        "sent": len(times),
        "distinct chats": len(chats),
        "seconds": took,
        "messages/s": len(times) / took,
        "busiest second": busiest,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=600)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 3], help="reply runs")
    args = parser.parse_args()
    bin_dir = find_binaries()
    if bin_dir is None:
        sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    pg = PostgresServer(bin_dir).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.workers:
                result = replies(n, args.questions, pg, Path(tmp) / f"replies{n}")
                print(f"{n} worker(s): " + ", ".join(f"{k} {v:.1f}" for k, v in result.items()))
            result = drain(args.subscribers, pg, Path(tmp) / "drain")
            print(f"drain {args.subscribers} reminders, 3 workers, shared 30/s: "
                  + ", ".join(f"{k} {v:.1f}" for k, v in result.items()))  # fmt: skip
    finally:
        pg.destroy()


if __name__ == "__main__":
    main()
