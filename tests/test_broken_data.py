"""Broken data files and output paths: one line per problem naming the file, never a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.catalogue import load_catalogue
from knowledge.database import build_database
from tests.test_cli import mpp_bot


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


BROKEN: dict[str, tuple[str, Callable[[Path], None]]] = {
    "slang not utf-8": ("slang.yaml", lambda p: _write(p, b"intents:\n  x: [\xff\xfe]\n")),
    "slang a folder": ("slang.yaml", _folder),
    "intent not a list": ("slang.yaml", lambda p: _write(p, b"intents: {foo: 5}\n")),
    "bad timezone": (
        "mpp.yaml",
        lambda p: _write(p, p.read_bytes().replace(b"Asia/Jakarta", b"Mars/Olympus")),
    ),
    "empty mpp": ("mpp.yaml", lambda p: _write(p, b"")),
    "empty agency": ("agencies/samsat.yaml", lambda p: _write(p, b"")),
    "empty facilities": ("facilities.yaml", lambda p: _write(p, b"")),
    "no facilities": ("facilities.yaml", lambda p: _write(p, b"facilities: []\n")),
    "mpp a folder": ("mpp.yaml", _folder),
    "example not utf-8": ("examples/tuning.tsv", lambda p: _write(p, b"syarat ktp\t\xff\n")),
    "example without refs": ("examples/tuning.tsv", lambda p: _write(p, b"syarat ktp\n")),
    "example a folder": ("examples/tuning.tsv", _folder),
}


@pytest.mark.parametrize("case", BROKEN)
def test_check_names_the_broken_file_in_one_line_without_traceback(
    data_copy: Path, case: str
) -> None:
    name, breaks = BROKEN[case]
    breaks(data_copy / name)
    out = mpp_bot("--data", str(data_copy), "catalogue", "check")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and "OK:" not in out.stdout
    problems = out.stderr.splitlines()[1:]
    assert problems and all(name in line for line in problems), out.stderr
    assert "timezone" in out.stderr or case != "bad timezone"


def test_a_rebuilt_database_has_no_rows_of_a_deleted_agency(data_copy: Path, tmp_path: Path):
    path = tmp_path / "k.db"
    build_database(load_catalogue(data_copy), path)
    (data_copy / "agencies" / "taspen.yaml").unlink()
    build_database(load_catalogue(data_copy), path)
    con = sqlite3.connect(path)
    assert con.execute("select count(*) from agencies where id = 'taspen'").fetchone() == (0,)
    assert con.execute("select count(*) from services where agency = 'taspen'").fetchone() == (0,)


@pytest.mark.parametrize("target", ["missing/k.db", "notes.txt"])
def test_build_refuses_a_missing_folder_or_a_file_that_is_not_sqlite(
    tmp_path: Path, target: str
) -> None:
    (tmp_path / "notes.txt").write_text("my notes, not a database\n")
    out = mpp_bot("catalogue", "build", "--db", str(tmp_path / target))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert target.split("/")[0] in out.stderr
    assert (tmp_path / "notes.txt").read_text() == "my notes, not a database\n"
