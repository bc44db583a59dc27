"""The catalogue as a spreadsheet: columns derived from the models, cells in both directions.

Columns come from the pydantic models, so a field added to a model gets its column without an
edit here. A cell holds text, a yes/no, one list item per line, one `key: value` per line
(opening hours), or JSON for anything richer.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from knowledge.models import Agency, Facility, Service

TRUE_WORDS = {"ya", "yes", "true", "benar", "1", "y"}
FALSE_WORDS = {"tidak", "no", "false", "salah", "0", "n", "t"}


@dataclass(frozen=True)
class Sheet:
    """One sheet: which model its rows are, and its columns in order."""

    name: str
    model: type[BaseModel]
    columns: tuple[str, ...]


def _columns(
    model: type[BaseModel], first: tuple[str, ...] = (), skip: tuple[str, ...] = ()
) -> tuple[str, ...]:
    rest = [f for f in model.model_fields if f not in first and f not in skip]
    return (*first, *rest)


SHEETS = (
    Sheet("agencies", Agency, _columns(Agency, skip=("services",))),
    # A service row says its agency (the YAML says it by the file the service sits in).
    Sheet("services", Service, _columns(Service, first=("agency", "id"))),
    Sheet("facilities", Facility, _columns(Facility)),
)


class CellError(ValueError):
    """A cell that cannot become a value; the message says what the cell should hold."""


def _plain(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] down to the type that matters."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_text(annotation: Any) -> bool:
    plain = _plain(annotation)
    if get_origin(plain) is Literal:
        return all(isinstance(a, str) for a in get_args(plain))
    return plain in (str, date)


def kind(model: type[BaseModel], column: str) -> str:
    """How the column's cells are written: text, bool, number, lines, mapping or json."""
    annotation = typing.get_type_hints(model, include_extras=True)[column]
    plain = _plain(annotation)
    origin = get_origin(plain)
    if origin is list and _is_text(get_args(plain)[0]):
        return "lines"
    if origin is dict and _is_text(get_args(plain)[1]):
        return "mapping"
    if plain is bool:
        return "bool"
    if plain in (int, float):
        return "number"
    return "text" if _is_text(plain) else "json"


def to_cell(kind_: str, value: Any) -> Any:
    """A JSON-mode value (from model_dump) as a cell value; None for an empty cell."""
    if value is None or value == [] or value == {}:
        return None
    if kind_ == "lines":
        return "\n".join(str(v) for v in value)
    if kind_ == "mapping":
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    if kind_ in ("bool", "number", "text"):
        return value
    return json.dumps(value, ensure_ascii=False)


def from_cell(kind_: str, cell: Any) -> Any:
    """A cell as the value the model takes; None for an empty cell (the field's default)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if kind_ == "bool":
        return _bool(cell)
    if kind_ == "number":
        return cell
    if kind_ == "json":
        try:
            return json.loads(str(cell))
        except json.JSONDecodeError as exc:
            raise CellError(f"not valid JSON: {exc.msg}") from None
    text = _text(cell)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if kind_ == "lines":
        return lines
    if kind_ == "mapping":
        return dict(_pair(line) for line in lines)
    return text.strip()


def _text(cell: Any) -> str:
    """Excel turns typed numbers and dates into numbers and dates: read them back as text."""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    word = _text(cell).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"'{cell}' is not yes or no: write ya or tidak")


def _pair(line: str) -> tuple[str, str]:
    key, sep, value = line.partition(":")
    if not sep or not key.strip():
        raise CellError(f"'{line}': write one 'key: value' per line, e.g. 'mon: 08:00-15:00'")
    return key.strip(), value.strip()


def rows(cat_export: dict[str, Any], sheet: Sheet) -> list[list[Any]]:
    """The sheet's rows (without the header) from `Catalogue.export()`."""
    kinds = [kind(sheet.model, c) for c in sheet.columns]
    return [
        [to_cell(k, entry.get(c)) for k, c in zip(kinds, sheet.columns, strict=True)]
        for entry in cat_export[sheet.name]
    ]
