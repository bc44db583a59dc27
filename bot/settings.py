"""Settings from the environment (and an optional .env file): one frozen object, checked early."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from knowledge.catalogue import DEFAULT_DATA_DIR

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def load_dotenv(path: Path = Path(".env")) -> None:
    """Read KEY=VALUE lines into the environment; real environment variables win."""
    if not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"{path}: not UTF-8 text (byte {exc.start}): save it as UTF-8"
        ) from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, equals, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        if not equals or not _NAME.fullmatch(key) or "\0" in value:
            raise SettingsError(f"{path} line {number}: write it as NAME=value")
        os.environ.setdefault(key, value.strip().strip("'\""))


TELEGRAM_API = "https://api.telegram.org/bot"
GRAPH_API = "https://graph.facebook.com/v23.0"
WHATSAPP_KEYS = (
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
)


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
    whatsapp: WhatsAppSettings | None = None
    retry_base_s: float = 1.0  # reminders: first retry wait; given up after 1800x (30 min)
    admin_token: str | None = None
    catalogue_poll: float = 3.0  # seconds between looks at the catalogue files; 0: never
    unanswered_days: int = 30
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
            state_db=_state_db(env),
            remind_at=_remind_at(env),
            staff_ids=frozenset(_ints(env, "MPP_STAFF_IDS", ())),
            queue_token=env.get("MPP_QUEUE_TOKEN", "").strip() or None,
            http_host=env.get("MPP_HTTP_HOST", "").strip() or "127.0.0.1",
            http_port=_port(env, "MPP_HTTP_PORT", 8080),
            admin_token=env.get("MPP_ADMIN_TOKEN", "").strip() or None,
            catalogue_poll=_number(env, "MPP_CATALOGUE_POLL", 3.0),
            unanswered_days=_days(env, "MPP_UNANSWERED_DAYS", 30),
            context_minutes=_number(env, "MPP_CONTEXT_MINUTES", 30.0),
            whatsapp=WhatsAppSettings.from_env(env),
            retry_base_s=_positive(env, "MPP_RETRY_BASE_S", 1.0),
        )


@dataclass(frozen=True)
class WhatsAppSettings:
    """The WhatsApp Business Cloud API: all four secrets or none (then WhatsApp is off)."""

    access_token: str
    phone_number_id: str
    app_secret: str
    verify_token: str
    api_base_url: str = GRAPH_API

    @property
    def messages_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/{self.phone_number_id}/messages"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppSettings | None:
        values = {key: env.get(key, "").strip() for key in WHATSAPP_KEYS}
        missing = [key for key, value in values.items() if not value]
        if len(missing) == len(WHATSAPP_KEYS):
            return None
        if missing:
            raise SettingsError(f"WhatsApp needs these too: {', '.join(missing)}")
        if not values["WHATSAPP_PHONE_NUMBER_ID"].isdigit():
            raise SettingsError("WHATSAPP_PHONE_NUMBER_ID is the number id Meta shows (digits)")
        return cls(
            access_token=values["WHATSAPP_ACCESS_TOKEN"],
            phone_number_id=values["WHATSAPP_PHONE_NUMBER_ID"],
            app_secret=values["WHATSAPP_APP_SECRET"],
            verify_token=values["WHATSAPP_VERIFY_TOKEN"],
            api_base_url=env.get("WHATSAPP_API_BASE_URL", "").strip() or GRAPH_API,
        )


def default_state_db() -> Path:
    """Beside the user's data (XDG), never inside the installed package."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mpp-bot" / "state.db"


def _state_db(env: Mapping[str, str]) -> Path:
    path = Path(env.get("MPP_STATE_DB", "").strip() or default_state_db())
    if path.is_dir():
        raise SettingsError(f"MPP_STATE_DB={str(path)!r} is a folder: name a file in it")
    return path


def _remind_at(env: Mapping[str, str]) -> tuple[int, ...]:
    """How many numbers before one's own to remind at: 1 or more (0 would be the call)."""
    values = _ints(env, "MPP_REMIND_AT", (5, 2))
    if not all(1 <= v <= 100 for v in values):
        raise SettingsError(f"MPP_REMIND_AT={env['MPP_REMIND_AT']!r}: use numbers from 1 to 100")
    return values


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]{1,5}", raw) or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{key}={raw!r}: use a port number from 1 to 65535")
    return int(raw)


def _days(env: Mapping[str, str], key: str, default: int) -> int:
    """Whole days, at most a year (nothing of the report is kept longer)."""
    raw = env.get(key, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]{1,3}", raw) or int(raw) > 366:
        raise SettingsError(f"{key}={raw!r}: use whole days from 0 to 366")
    return int(raw)


def _ints(env: Mapping[str, str], key: str, default: tuple[int, ...]) -> tuple[int, ...]:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        return tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise SettingsError(f"{key}={raw!r}: use whole numbers separated by commas") from None


def _positive(env: Mapping[str, str], key: str, default: float) -> float:
    value = _number(env, key, default)
    if not math.isfinite(value) or value <= 0:
        raise SettingsError(f"{key} must be a number of seconds above 0")
    return value


def _number(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{key}={raw!r} is not a number") from None
    if not math.isfinite(value):
        raise SettingsError(f"{key}={raw!r}: use a plain number, e.g. {default:g}")
    if value < 0:
        raise SettingsError(f"{key} must be 0 or more, not {raw}")
    return value
