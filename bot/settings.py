"""Settings from the environment (and an optional .env file): one frozen object, checked early."""

from __future__ import annotations

import os
from collections.abc import Mapping
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


TELEGRAM_API = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    catalogue_dir: Path
    knowledge_db: Path
    telegram_token: str | None = None
    telegram_api_base_url: str = TELEGRAM_API
    telegram_rate_limit: float = 30.0  # messages/s over all chats; 0 switches the limiter off
    state_db: Path = Path("mpp-state.db")
    remind_at: tuple[int, ...] = (5, 2)
    staff_ids: frozenset[int] = frozenset()
    queue_token: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    admin_token: str | None = None
    catalogue_poll: float = 3.0  # seconds between looks at the catalogue files; 0: never
    context_minutes: float = 30.0  # follow-ups refer to the last answer for this long; 0: off

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv()
        env = os.environ
        return cls(
            catalogue_dir=Path(env.get("MPP_CATALOGUE_DIR") or DEFAULT_DATA_DIR),
            knowledge_db=Path(env.get("MPP_KNOWLEDGE_DB") or "mpp-knowledge.db"),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip() or TELEGRAM_API,
            telegram_rate_limit=_number(env, "TELEGRAM_RATE_LIMIT", 30.0),
            state_db=Path(env.get("MPP_STATE_DB", "").strip() or default_state_db()),
            remind_at=_ints(env, "MPP_REMIND_AT", (5, 2)),
            staff_ids=frozenset(_ints(env, "MPP_STAFF_IDS", ())),
            queue_token=env.get("MPP_QUEUE_TOKEN", "").strip() or None,
            http_host=env.get("MPP_HTTP_HOST", "").strip() or "127.0.0.1",
            http_port=int(_number(env, "MPP_HTTP_PORT", 8080)),
            admin_token=env.get("MPP_ADMIN_TOKEN", "").strip() or None,
            catalogue_poll=_number(env, "MPP_CATALOGUE_POLL", 3.0),
            context_minutes=_number(env, "MPP_CONTEXT_MINUTES", 30.0),
        )


def default_state_db() -> Path:
    """Beside the user's data (XDG), never inside the installed package."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mpp-bot" / "state.db"


def _ints(env: Mapping[str, str], key: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        return tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise SettingsError(f"{key}={raw!r}: use whole numbers separated by commas") from None


def _number(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{key}={raw!r} is not a number") from None
    if value < 0:
        raise SettingsError(f"{key} must be 0 or more, not {raw}")
    return value
