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
from tests.fake_telegram import TOKEN, FakeTelegram

QUEUE_TOKEN = "queue-secret"


class BotProcess:
    """A bot process pointed at a fake Bot API, with its own state file, port and log."""

    def __init__(
        self, api_base_url: str | None, workdir: Path, *cli_args: str, **env: str
    ) -> None:
        """`api_base_url` None: no Telegram (give the WhatsApp settings in `env` instead).
        `cli_args` go before `run`, e.g. ("--now", "2026-11-27T09:30")."""
        self.cli_args = list(cli_args)
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
                [sys.executable, "-m", "bot.cli", *self.cli_args, "run"],
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


def reply_to(fake: FakeTelegram, chat: int, text: str, timeout: float = 15) -> str:
    """Send a message as a citizen and return the bot's answer to it."""
    count = len(fake.to(chat))
    fake.send_text(chat, text)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = fake.to(chat)
        if len(sent) > count:
            return sent[count]["text"]
        time.sleep(0.02)
    raise AssertionError(f"no answer to {text!r} in chat {chat}")


def edit_stnk_fee(folder: Path, fee: str) -> None:
    """Change the STNK fee in a catalogue copy, as staff would in a text editor."""
    path = folder / "agencies" / "samsat.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    fee: ", text.index("id: stnk-tahunan"))
    end = text.index("\n", start)
    path.write_text(text[:start] + f'    fee: "{fee}"' + text[end:], encoding="utf-8")
