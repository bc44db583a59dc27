"""Spreadsheet round trip, as staff do it: export, edit a cell in "Excel", import, ask."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from knowledge.catalogue import DEFAULT_DATA_DIR
from knowledge.models import Agency, Service
from knowledge.sheets import SHEETS, from_cell, kind, to_cell
from tests.test_cli import mpp_bot


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "katalog.xlsx"
    out = mpp_bot("catalogue", "export", "--xlsx", str(path))
    assert out.returncode == 0, out.stderr
    return path


def edit(source: Path, target: Path, sheet: str, ident: str, column: str, value: object) -> None:
    """Change one cell, found by the row's id and the column's header, like a person would."""
    book = load_workbook(source)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("id")].value == ident:
            row[header.index(column)].value = value
    book.save(target)


def test_the_workbook_is_laid_out_for_people(exported: Path) -> None:
    book = load_workbook(exported)
    assert book.sheetnames == ["Petunjuk", "agencies", "services", "facilities"]
    services = book["services"]
    assert services.freeze_panes == "C2"
    header = [c.value for c in services[1]]
    assert header[:2] == ["agency", "id"] and "needs_verification" in header
    stnk = next(
        r for r in services.iter_rows(min_row=2, values_only=True) if r[1] == "stnk-tahunan"
    )
    requirements = stnk[header.index("requirements")]
    assert requirements.splitlines()[0].startswith("KTP")  # one requirement per line
    assert 8 <= services.column_dimensions["B"].width <= 60
    guide = "\n".join(str(r[0]) for r in book["Petunjuk"].iter_rows(values_only=True) if r[0])
    assert "mpp-bot catalogue import" in guide and "needs_verification" in guide


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """mpp-bot in this process (faster than a subprocess); returns (exit code, stdout)."""
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_an_unedited_round_trip_changes_nothing(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = run_cli(capsys, "catalogue", "export", "--json")[1]
    copy = tmp_path / "copy"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    code, out = run_cli(capsys, "catalogue", "import", str(exported), "--data", str(copy))
    assert code == 0 and "No changes" in out
    # Written from nothing (no YAML to keep), the files still load to the same JSON, byte for byte.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name in ("mpp.yaml", "slang.yaml"):
        shutil.copy(copy / name, fresh / name)
    assert run_cli(capsys, "catalogue", "import", str(exported), "--data", str(fresh))[0] == 0
    assert run_cli(capsys, "--data", str(fresh), "catalogue", "export", "--json")[1] == before
    assert run_cli(capsys, "--data", str(copy), "catalogue", "export", "--json")[1] == before


def test_a_fee_edited_in_the_sheet_is_the_answer(
    exported: Path, data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = data_copy.parent / "edited.xlsx"
    edit(exported, edited, "services", "stnk-tahunan", "fee", "Pengesahan roda 2 Rp31.000")
    code, out = run_cli(capsys, "catalogue", "import", str(edited), "--data", str(data_copy))
    assert code == 0
    assert out.strip().endswith("samsat.yaml")  # only the agency that changed
    answer = mpp_bot("--data", str(data_copy), "ask", "syarat perpanjang stnk").stdout
    assert "Biaya: Pengesahan roda 2 Rp31.000" in answer
    assert run_cli(capsys, "--data", str(data_copy), "catalogue", "check")[0] == 0


@pytest.mark.parametrize(
    ("sheet", "ident", "column", "value", "expected"),
    [
        ("services", "stnk-tahunan", "requirements", None, "column E (requirements)"),
        ("services", "stnk-tahunan", "compiled", "kemarin", "(compiled): Input should"),
        ("services", "stnk-tahunan", "agency", "samsak", "unknown agency 'samsak'"),
        ("services", "stnk-tahunan", "fee", None, "column F (fee): empty"),
        ("agencies", "samsat", "present", "mungkin", "(present): 'mungkin' is not yes or no"),
        ("agencies", "samsat", "queue_prefix", "A1", "(queue_prefix): String should match"),
        ("services", "stnk-5-tahunan", "id", "stnk-tahunan", "(id): duplicate id"),
        ("facilities", "loket-informasi", "agency", "nope", "(agency): unknown agency 'nope'"),
        ("agencies", "samsat", "hours", "senin jam 8", "(hours): 'senin jam 8'"),
    ],
)
def test_mistakes_name_sheet_row_and_column_and_write_nothing(
    exported: Path,
    data_copy: Path,
    capsys: pytest.CaptureFixture[str],
    sheet: str,
    ident: str,
    column: str,
    value: object,
    expected: str,
) -> None:
    before = {p: p.read_bytes() for p in data_copy.rglob("*.yaml")}
    broken = data_copy.parent / "broken.xlsx"
    edit(exported, broken, sheet, ident, column, value)
    assert main(["catalogue", "import", str(broken), "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert f"sheet '{sheet}', row " in err and expected in err, err
    assert {p: p.read_bytes() for p in data_copy.rglob("*.yaml")} == before


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_model_field_has_a_column(sheet) -> None:
    skip = {"services"} if sheet.model is Agency else set()
    assert set(sheet.columns) == set(sheet.model.model_fields) - skip


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("requirements", ["KTP", "KK"]),
        ("hours", {"mon": "08:00-12:00", "fri": "closed"}),
        ("fee", "Rp10.000"),
        ("needs_verification", ["fee"]),
    ],
)
def test_cells_read_back_what_was_written(column: str, value: object) -> None:
    k = kind(Service, column)
    assert from_cell(k, to_cell(k, value)) == value


def test_numbers_and_yes_no_typed_in_excel_are_read_as_meant() -> None:
    assert from_cell(kind(Agency, "gerai"), 5) == "5"
    assert from_cell(kind(Agency, "present"), "Tidak") is False
    assert from_cell(kind(Agency, "present"), True) is True


def test_a_file_that_is_not_a_workbook_gets_a_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "katalog.csv"
    csv.write_text("id,name\n", encoding="utf-8")
    assert main(["catalogue", "import", str(csv), "--data", str(tmp_path)]) == 1
    assert "cannot be read as an Excel workbook" in capsys.readouterr().err


def test_a_moved_column_is_still_named_by_its_own_letter(
    exported: Path, data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = load_workbook(exported)
    book["services"].insert_cols(1)  # staff added a column of their own notes in front
    book["services"]["A1"].value = None
    moved = data_copy.parent / "moved.xlsx"
    book.save(moved)
    edit(moved, moved, "services", "stnk-tahunan", "fee", None)
    assert main(["catalogue", "import", str(moved), "--data", str(data_copy)]) == 1
    assert "column G (fee): empty" in capsys.readouterr().err
