"""`mpp-bot catalogue import FILE`: a staff-edited workbook becomes the catalogue's YAML files.

The workbook is checked row by row, then the whole new catalogue is loaded from a scratch folder
with the same rules as `catalogue check`; only then are files in the data folder replaced, and
only those whose content changed (an unedited workbook touches nothing).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from knowledge.catalogue import Catalogue, CatalogueError, Problem, load_catalogue
from knowledge.models import Agency, Facility, Service
from knowledge.workbook import SheetProblem, Table, WorkbookError, read_workbook


def import_workbook(path: Path, data_dir: Path) -> list[str]:
    """Write the workbook into `data_dir`; returns what changed. WorkbookError lists problems."""
    sheets = read_workbook(path)
    agencies = _agencies(sheets["agencies"], sheets["services"])
    facilities = [Facility.model_validate(raw) for _, raw in sheets["facilities"].rows]
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch)
        for name in ("mpp.yaml", "slang.yaml"):
            if (data_dir / name).exists():
                shutil.copy(data_dir / name, trial / name)
        _write_all(trial, agencies, facilities)
        try:
            fresh = load_catalogue(trial)
        except CatalogueError as exc:
            raise WorkbookError([_locate(p, sheets) for p in exc.problems]) from None
    return _write_changed(data_dir, fresh, agencies, facilities)


def _agencies(agency_table: Table, service_table: Table) -> list[Agency]:
    known = {raw["id"] for _, raw in agency_table.rows}
    problems: list[SheetProblem | str] = [
        service_table.problem(n, "agency", f"unknown agency '{raw.get('agency')}'")
        for n, raw in service_table.rows
        if raw.get("agency") not in known
    ]
    if problems:
        raise WorkbookError(problems)
    services = service_table.rows
    return [
        Agency.model_validate(
            {
                **raw,
                "services": [
                    Service.model_validate(s) for _, s in services if s["agency"] == raw["id"]
                ],
            }
        )
        for _, raw in agency_table.rows
    ]


SHEET_OF = {"service": "services", "agency": "agencies", "facility": "facilities"}


def _locate(problem: Problem, sheets: dict[str, Table]) -> SheetProblem | str:
    """A catalogue problem ("service 'x'", field) as the sheet row and column to fix."""
    kind, _, ident = problem.entry.partition(" ")
    table = sheets.get(SHEET_OF.get(kind, ""))
    if table is None:
        return str(problem)
    for number, raw in table.rows:
        if raw.get("id") == ident.strip("'"):
            return table.problem(number, problem.field.split(".")[0], problem.message)
    return str(problem)


def agency_yaml(agency: Agency) -> dict[str, Any]:
    data = _fields(agency, exclude={"services"})
    data["services"] = [_fields(s, exclude={"agency"}) for s in agency.services]
    return data


def _fields(model: BaseModel, exclude: set[str]) -> dict[str, Any]:
    """Like the hand-written files: unknowns stay visible as null, empty lists are left out."""
    return {k: v for k, v in model.model_dump(exclude=exclude).items() if v != []}


class _Dumper(yaml.SafeDumper):
    """The house YAML style: indented lists, short words as [a, b], long text one per line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    texts = [i for i in items if isinstance(i, str)]
    short = (
        len(texts) == len(items)
        and max(map(len, texts), default=0) <= 40
        and sum(map(len, texts)) <= 20 * len(texts)  # words, not sentences
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=short)


_Dumper.add_representer(list, _list)


def _dump(data: dict[str, Any], keep_header_of: Path | None = None) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    text = text.replace("\n  - id: ", "\n\n  - id: ").replace(":\n\n  - id: ", ":\n  - id: ")
    header = []
    if keep_header_of and keep_header_of.exists():  # the file's opening comment stays
        for line in keep_header_of.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            header.append(line)
    return "\n".join([*header, text]) if header else text


def _write_all(folder: Path, agencies: list[Agency], facilities: list[Facility]) -> None:
    (folder / "agencies").mkdir(parents=True, exist_ok=True)
    for agency in agencies:
        target = folder / "agencies" / f"{agency.id}.yaml"
        target.write_text(_dump(agency_yaml(agency)), encoding="utf-8")
    (folder / "facilities.yaml").write_text(_dump(_facilities(facilities)), encoding="utf-8")


def _facilities(facilities: list[Facility]) -> dict[str, Any]:
    return {"facilities": [_fields(f, exclude=set()) for f in facilities]}


def _write_changed(
    data_dir: Path, fresh: Catalogue, agencies: list[Agency], facilities: list[Facility]
) -> list[str]:
    try:
        old: Catalogue | None = load_catalogue(data_dir)
    except CatalogueError:
        old = None  # a broken folder is rewritten whole
    changed = []
    folder = data_dir / "agencies"
    folder.mkdir(parents=True, exist_ok=True)
    for agency in agencies:
        if old is None or old.agencies.get(agency.id) != fresh.agencies[agency.id]:
            target = folder / f"{agency.id}.yaml"
            target.write_text(_dump(agency_yaml(agency), target), encoding="utf-8")
            changed.append(f"wrote {target}")
    for stale in sorted(folder.glob("*.yaml")):
        if stale.stem not in fresh.agencies:
            stale.unlink()
            changed.append(f"removed {stale} (its agency is no longer in the workbook)")
    if old is None or old.facilities != fresh.facilities:
        target = data_dir / "facilities.yaml"
        target.write_text(_dump(_facilities(facilities), target), encoding="utf-8")
        changed.append(f"wrote {target}")
    return changed
