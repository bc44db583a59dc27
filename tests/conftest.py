"""Shared fixtures: the shipped catalogue (loaded once), a pinned clock, broken copies."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.conversation import Assistant
from handlers.types import Incoming, Reply
from knowledge.catalogue import DEFAULT_DATA_DIR, Catalogue, load_catalogue

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Friday morning, inside the default MPP hours: the clock every test starts from.
FRIDAY_MORNING = datetime(2026, 11, 27, 9, 30, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's own settings."""
    for key in ("MPP_CATALOGUE_DIR", "MPP_KNOWLEDGE_DB"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_DATA_DIR)


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
