"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mpp_bot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_ask_prints_requirements_place_and_hours() -> None:
    out = mpp_bot("--now", "2026-11-27T09:30", "ask", "syarat perpanjang STNK")
    assert out.returncode == 0
    for expected in ("KTP", "STNK", "Gedung B lantai 2", "perkiraan, biasanya buka", "[1] Detail"):
        assert expected in out.stdout


def test_match_json_contract() -> None:
    out = mpp_bot("match", "--json", "--top", "3", stdin="syarat perpanjang stnk\nresep rendang\n")
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    assert first["query"] == "syarat perpanjang stnk"
    assert first["results"][0]["ref"] == "service:stnk-tahunan"
    assert first["status"] in ("answer", "ambiguous", "none")
    assert len(first["results"]) <= 3
    assert second["status"] == "none"


def test_catalogue_check_passes_on_shipped_data() -> None:
    out = mpp_bot("catalogue", "check")
    assert out.returncode == 0 and "OK" in out.stdout


def test_catalogue_check_fails_on_a_broken_copy(data_copy: Path) -> None:
    path = data_copy / "agencies" / "bnn.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: skhpn", "id: Bad Id!"))
    out = mpp_bot("--data", str(data_copy), "catalogue", "check")
    assert out.returncode == 1
    assert "bnn.yaml" in out.stderr and "field 'id'" in out.stderr
    assert "Traceback" not in out.stderr


def test_export_json_holds_the_contract() -> None:
    data = json.loads(mpp_bot("catalogue", "export", "--json").stdout)
    services = {s["id"] for s in data["services"]}
    assert "stnk-tahunan" in services and len(data["agencies"]) >= 26


def test_chat_numbers_press_choices() -> None:
    out = mpp_bot("--now", "2026-11-27T09:30", "chat", stdin="syarat ktp\n1\nkeluar\n")
    assert out.returncode == 0
    assert "[1]" in out.stdout and "Syarat" in out.stdout


def test_catalogue_build_writes_sqlite(tmp_path: Path) -> None:
    out = mpp_bot("catalogue", "build", "--db", str(tmp_path / "k.db"))
    assert out.returncode == 0 and (tmp_path / "k.db").exists()


def test_ask_detail_prints_the_rest_of_the_answer() -> None:
    first = mpp_bot("--now", "2026-12-02T10:00", "ask", "syarat perpanjang STNK").stdout
    rest = mpp_bot("--now", "2026-12-02T10:00", "ask", "--detail", "syarat perpanjang STNK")
    assert rest.returncode == 0
    assert "Alur:" in rest.stdout and "Alur:" not in first
    assert len(first.split("  [1] Detail")[0].strip()) <= 600


def test_chat_typed_detail_opens_the_detail() -> None:
    out = mpp_bot("--now", "2026-12-02T10:00", "chat", stdin="perpanjang stnk\ndetail\nkeluar\n")
    assert out.returncode == 0 and "Syarat lengkap:" in out.stdout
