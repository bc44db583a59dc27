"""Every bad setting is refused in one line that names it; nothing turns itself off silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, default_state_db
from tests.test_cli import mpp_bot


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("MPP_HTTP_PORT", "nan"),
        ("MPP_HTTP_PORT", "inf"),
        ("MPP_HTTP_PORT", "99999"),
        ("MPP_HTTP_PORT", "0"),
        ("MPP_HTTP_PORT", "80.5"),
        ("TELEGRAM_RATE_LIMIT", "nan"),
        ("TELEGRAM_RATE_LIMIT", "inf"),
        ("TELEGRAM_RATE_LIMIT", "-1"),
        ("MPP_REMIND_AT", "5,x"),
        ("MPP_REMIND_AT", "0,-5"),
        ("MPP_CONTEXT_MINUTES", "nan"),
        ("MPP_UNANSWERED_DAYS", "-1"),
        ("MPP_UNANSWERED_DAYS", "2.5"),
        ("MPP_UNANSWERED_DAYS", "1e300"),
        ("MPP_UNANSWERED_DAYS", "400"),
    ],
)
def test_a_bad_number_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match=key):
        Settings.from_env()


def test_the_state_database_cannot_be_a_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MPP_STATE_DB", str(tmp_path))
    with pytest.raises(SettingsError, match="MPP_STATE_DB"):
        Settings.from_env()


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"=novalue\n", "line 1"), (b"# ok\nTELEGRAM_BOT_TOKEN=\xff\xfe\n", "UTF-8")],
)
def test_a_broken_env_file_is_named_with_its_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / ".env").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match=expected):
        Settings.from_env()


def test_a_good_env_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# comment\nexport MPP_HTTP_PORT=8181\nMPP_REMIND_AT='4'\n")
    monkeypatch.chdir(tmp_path)
    for key in ("MPP_HTTP_PORT", "MPP_REMIND_AT"):  # so teardown removes what .env sets
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    settings = Settings.from_env()
    assert (settings.http_port, settings.remind_at) == (8181, (4,))


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["--now", "9999-12-31T23:00", "ask", "jam buka"], {}, "--now"),
        (["ask", "jam"], {"MPP_HTTP_PORT": "nan"}, "MPP_HTTP_PORT"),
        (["run"], {"TELEGRAM_BOT_TOKEN": "1:x", "MPP_STATE_DB": "/"}, "MPP_STATE_DB"),
    ],
)
def test_the_command_line_says_what_is_wrong_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str], named: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = mpp_bot(*args)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert named in out.stderr


def test_tests_never_touch_the_real_home_folder() -> None:
    assert str(default_state_db()).startswith(os.environ["XDG_DATA_HOME"])
    assert "pytest" in os.environ["HOME"] or "tmp" in os.environ["HOME"]


def test_admin_token_and_unanswered_days_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPP_ADMIN_TOKEN", " s3cret ")
    monkeypatch.setenv("MPP_UNANSWERED_DAYS", "0")
    settings = Settings.from_env()
    assert (settings.admin_token, settings.unanswered_days) == ("s3cret", 0)
