"""Export the catalogue to an .xlsx workbook staff edit in Excel or LibreOffice, and read it back.

Reading validates every row with the same models as `catalogue check` and names the sheet, row
and column of each problem; nothing is written until the whole workbook is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from knowledge.catalogue import Catalogue
from knowledge.models import VerifiableField
from knowledge.sheets import SHEETS, CellError, Sheet, from_cell, kind, rows

GUIDE = "Petunjuk"
MAX_WIDTH, MIN_WIDTH = 60, 8
KIND_WORDS = {
    "text": "teks",
    "bool": "ya / tidak",
    "number": "angka",
    "lines": "satu isi per baris (Alt+Enter di Excel untuk baris baru)",
    "mapping": "satu 'hari: jam' per baris, mis. mon: 08:00-15:00",
    "json": "JSON",
}


@dataclass(frozen=True)
class SheetProblem:
    sheet: str
    row: int
    column: str  # the header name; "" for the whole row
    message: str
    letter: str = "?"  # where the column is in the file read (staff may move columns)

    def __str__(self) -> str:
        where = f"column {self.letter} ({self.column})" if self.column else "row"
        return f"sheet '{self.sheet}', row {self.row}, {where}: {self.message}"


@dataclass(frozen=True)
class Table:
    """One sheet as read: its header and its non-empty rows (row number, field values)."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]

    def problem(self, row: int, column: str, message: str) -> SheetProblem:
        letter = get_column_letter(self.header.index(column) + 1) if column in self.header else "?"
        return SheetProblem(self.name, row, column, message, letter)


class WorkbookError(Exception):
    def __init__(self, problems: list[SheetProblem | str]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- export -------------------------------------------------------------------------------
def export_workbook(cat: Catalogue, path: Path) -> None:
    book = Workbook()
    _guide(book.active)  # type: ignore[arg-type]
    data = cat.export()
    for sheet in SHEETS:
        _fill(book.create_sheet(sheet.name), sheet, rows(data, sheet))
    book.save(path)


def _fill(ws: Worksheet, sheet: Sheet, body: list[list[Any]]) -> None:
    ws.append(list(sheet.columns))
    for row in body:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"  # the header row and the first columns (id) stay in view
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        longest = max(
            (
                len(line)
                for r in body
                if r[index - 1] is not None
                for line in str(r[index - 1]).splitlines()
            ),
            default=0,
        )
        ws.column_dimensions[letter].width = max(
            MIN_WIDTH, len(column) + 2, min(longest, MAX_WIDTH)
        )
        for cell in ws[letter][1:]:
            cell.alignment = wrap


def _guide(ws: Worksheet) -> None:
    ws.title = GUIDE
    lines = [
        "Katalog MPP Among Warga: ubah isi sel, simpan, lalu impor.",
        "1. Ubah sel di sheet agencies (instansi), services (layanan) atau facilities.",
        "2. Simpan sebagai .xlsx (jangan ubah judul kolom di baris 1).",
        "3. Jalankan: mpp-bot catalogue import FILE.xlsx  (tanpa error = katalog diperbarui).",
        "Satu baris = satu entri. Baris layanan menyebut id instansinya di kolom 'agency'.",
        "Sel kosong = tidak ada data. Yang belum pasti: tulis nama kolomnya di "
        "needs_verification (satu per baris), jangan menebak.",
        "Nilai needs_verification yang boleh: " + ", ".join(VerifiableField.__args__),
        "Jam buka, alamat, libur MPP: tetap di mpp.yaml (tidak ada di sini).",
        "",
        "Kolom dan cara mengisinya:",
    ]
    for sheet in SHEETS:
        lines.append(f"[{sheet.name}]")
        lines += [f"  {c}: {KIND_WORDS[kind(sheet.model, c)]}" for c in sheet.columns]
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 100
    ws["A1"].font = Font(bold=True)


# --- import -------------------------------------------------------------------------------
def read_workbook(path: Path) -> dict[str, Table]:
    """Each sheet's rows, checked row by row; WorkbookError lists every problem found."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise WorkbookError(
            [f"{path}: cannot be read as an Excel workbook (.xlsx): {exc}"]
        ) from None
    problems: list[SheetProblem | str] = []
    found = {}
    for sheet in SHEETS:
        if sheet.name not in book.sheetnames:
            problems.append(f"sheet '{sheet.name}' is missing")
            continue
        found[sheet.name] = _read_sheet(book[sheet.name], sheet, problems)
    book.close()
    if problems:
        raise WorkbookError(problems)
    return found


def _read_sheet(ws: Any, sheet: Sheet, problems: list[SheetProblem | str]) -> Table:
    lines = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(lines, ())]
    table = Table(sheet.name, header, [])
    for h in header:
        if h and h not in sheet.columns:
            problems.append(table.problem(1, h, "unknown column (check the spelling)"))
    for number, values in enumerate(lines, 2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # an empty row, e.g. left after deleting one
        raw = {}
        for column, cell in zip(header, values, strict=False):
            if column not in sheet.columns:
                continue
            try:
                value = from_cell(kind(sheet.model, column), cell)
            except CellError as exc:
                problems.append(table.problem(number, column, str(exc)))
                continue
            if value is not None:
                raw[column] = value
        table.rows.append((number, raw))
        problems += _check_row(table, sheet, number, raw)
    return table


def _check_row(table: Table, sheet: Sheet, number: int, raw: dict[str, Any]) -> list[SheetProblem]:
    try:
        sheet.model.model_validate(raw)
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else ""
            message = err["msg"].removeprefix("Value error, ")
            named, sep, rest = message.partition(": ")
            if not column and sep and named in sheet.columns:
                column, message = named, rest
            found.append(table.problem(number, column, message))
        return found
    return []
