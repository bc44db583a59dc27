"""Shared fixtures: the shipped catalogue (loaded once), a pinned clock, broken copies."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.conversation import Assistant
from handlers.types import Incoming, Reply
from knowledge.catalogue import DEFAULT_DATA_DIR, Catalogue, load_catalogue
from knowledge.matcher import Matcher
from tests.fake_telegram import FakeTelegram, FakeTelegramServer

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Friday morning, inside the default MPP hours: the clock every test starts from.
FRIDAY_MORNING = datetime(2026, 11, 27, 9, 30, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read the developer's own settings, nor write into their home folder
    (the default state database lives under XDG_DATA_HOME or ~/.local/share)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for key in (
        "MPP_CATALOGUE_DIR",
        "MPP_KNOWLEDGE_DB",
        "MPP_STATE_DB",
        "MPP_DATABASE_URL",
        "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_WEBHOOK_SECRET",
        "TELEGRAM_SET_WEBHOOK",
        "MPP_REMIND_AT",
        "MPP_STAFF_IDS",
        "MPP_QUEUE_TOKEN",
        "MPP_HTTP_HOST",
        "MPP_HTTP_PORT",
        "MPP_ADMIN_TOKEN",
        "MPP_CATALOGUE_POLL",
        "MPP_UNANSWERED_DAYS",
        "MPP_CONTEXT_MINUTES",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "TELEGRAM_RATE_LIMIT",
        "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_PHONE_NUMBER_ID",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_VERIFY_TOKEN",
        "WHATSAPP_API_BASE_URL",
        "MPP_RETRY_BASE_S",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
    ):
        monkeypatch.delenv(key, raising=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def matcher(catalogue: Catalogue) -> Matcher:
    """One matcher for the matching tests (it only fills memo caches as it is used)."""
    return Matcher(catalogue)


@pytest.fixture(scope="session")
def assistant(catalogue: Catalogue) -> Assistant:
    return Assistant(catalogue)


@pytest.fixture
def ask(assistant: Assistant):
    """Ask the assistant as a citizen would; returns the reply."""

    def _ask(text: str, now: datetime = FRIDAY_MORNING) -> Reply:
        return assistant.handle(Incoming("tester", now, text=text))

    return _ask


@pytest.fixture
def data_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped catalogue, to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    yield target


@pytest.fixture
def server() -> Iterator[FakeTelegramServer]:
    """A fake Telegram Bot API on a free loopback port."""
    with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def fake(server: FakeTelegramServer) -> FakeTelegram:
    return server.fake


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL for the session, from the machine's binaries (see postgres_server)."""
    from tests.postgres_server import PostgresServer, find_binaries

    bin_dir = find_binaries()
    if bin_dir is None:
        if os.environ.get("REQUIRE_POSTGRES_TESTS") == "1":
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) missing: apt-get install postgresql")
        pytest.skip("PostgreSQL binaries not found (apt-get install postgresql to run these)")
    server = PostgresServer(bin_dir).start()
    yield server
    server.destroy()


@pytest.fixture(params=["sqlite", "postgres"])
def state_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's state lives: a SQLite file, or an empty schema on the test PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "state.db")
    return request.getfixturevalue("postgres").fresh_url()
