"""Settings from the environment (and an optional .env file): one frozen object, checked early."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from knowledge.catalogue import DEFAULT_DATA_DIR


def load_dotenv(path: Path = Path(".env")) -> None:
    """Read KEY=VALUE lines into the environment; real environment variables win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


@dataclass(frozen=True)
class Settings:
    catalogue_dir: Path
    knowledge_db: Path

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv()
        env = os.environ
        return cls(
            catalogue_dir=Path(env.get("MPP_CATALOGUE_DIR") or DEFAULT_DATA_DIR),
            knowledge_db=Path(env.get("MPP_KNOWLEDGE_DB") or "mpp-knowledge.db"),
        )
