"""`mpp-bot run` as an operator starts it, for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.fake_telegram import TOKEN

QUEUE_TOKEN = "queue-secret"


class BotProcess:
    """A bot process pointed at a fake Bot API, with its own state file, port and log."""

    def __init__(self, api_base_url: str | None, workdir: Path, **env: str) -> None:
        """`api_base_url` None: no Telegram (give the WhatsApp settings in `env` instead)."""
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / "bot.log"
        telegram = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api_base_url or ""}
        self.env = {
            **os.environ,
            **(telegram if api_base_url else {}),
            "MPP_STATE_DB": str(workdir / "state.db"),
            "MPP_HTTP_PORT": str(self.port),
            "MPP_QUEUE_TOKEN": QUEUE_TOKEN,
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> BotProcess:
        """Start and wait until the HTTP API answers (the bot is polling by then)."""
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"mpp-bot run did not come up:\n{self.log()}")

    def kill(self) -> None:
        """A hard kill -9: no shutdown code runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int | None:
        """SIGTERM, as systemd or docker stop sends it; returns the exit code."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        return self.proc.returncode if self.proc else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def call(self, ticket: str, counter: str = "3", token: str = QUEUE_TOKEN) -> httpx.Response:
        return httpx.post(
            f"{self.url}/api/queue/call",
            json={"ticket": ticket, "counter": counter},
            headers={"Authorization": f"Bearer {token}"},
        )

    def __enter__(self) -> BotProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
