"""Load the YAML catalogue into validated models; every problem names file, entry and field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.examples import Example, read_examples
from knowledge.models import Agency, Facility, InfoTopic, Mpp, Service
from knowledge.normalize import Lexicon, LexiconError, default_lexicon

DEFAULT_DATA_DIR = Path(__file__).parent / "data"

Entry = Agency | Service | Facility | InfoTopic
KINDS = ("service", "agency", "facility", "info")


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.entry == "-" and not self.field:  # the whole file: "file is empty"
            return f"{self.file}: {self.message}"
        where = f"field '{self.field}'" if self.field else "entry"
        return f"{self.file}: {self.entry}: {where}: {self.message}"


class CatalogueError(Exception):
    """The data files are broken; `problems` lists every mistake found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Catalogue:
    mpp: Mpp
    agencies: dict[str, Agency]
    services: dict[str, Service]
    facilities: dict[str, Facility]
    info: dict[str, InfoTopic]
    data_dir: Path = field(default=DEFAULT_DATA_DIR)
    lexicon: Lexicon = field(default_factory=default_lexicon)  # how citizens write (slang.yaml)
    examples: tuple[Example, ...] = ()  # questions as citizens ask them (examples/*.tsv)
    # Examples naming an entry the catalogue no longer has (a service removed, a typo): they
    # are left out, and `catalogue check` lists them, rather than refusing the catalogue.
    stray_examples: tuple[Example, ...] = ()

    def get(self, ref: str) -> Entry | None:
        """Look up a ref such as 'service:stnk-tahunan'; None when it does not exist."""
        kind, _, ident = ref.partition(":")
        tables: dict[str, dict[str, Any]] = {
            "service": self.services,
            "agency": self.agencies,
            "facility": self.facilities,
            "info": self.info,
        }
        return tables.get(kind, {}).get(ident)

    def refs(self) -> list[str]:
        tables = (self.services, self.agencies, self.facilities, self.info)
        return [
            f"{kind}:{ident}" for kind, table in zip(KINDS, tables, strict=True) for ident in table
        ]

    def services_of(self, agency_id: str) -> list[Service]:
        return [s for s in self.services.values() if s.agency == agency_id]

    def agency_of(self, service: Service) -> Agency:
        return self.agencies[service.agency]

    def export(self) -> dict[str, Any]:
        """Every field of every entry, JSON-ready (dates as ISO strings)."""

        def dump(model: BaseModel, **kw: Any) -> dict[str, Any]:
            return model.model_dump(mode="json", **kw)

        return {
            "mpp": dump(self.mpp, exclude={"info"}),
            "agencies": [dump(a, exclude={"services"}) for a in self.agencies.values()],
            "services": [dump(s) for s in self.services.values()],
            "facilities": [dump(f) for f in self.facilities.values()],
            "info": [dump(i) for i in self.info.values()],
        }


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Read, validate and cross-check every data file; CatalogueError lists all problems."""
    data_dir = Path(data_dir or DEFAULT_DATA_DIR)
    problems: list[Problem] = []
    mpp = _load_mpp(data_dir / "mpp.yaml", problems)
    facilities = _load_facilities(data_dir / "facilities.yaml", problems)
    agencies = _load_agencies(data_dir / "agencies", problems)
    lexicon = _load_lexicon(data_dir / "slang.yaml", problems)
    examples = _load_examples(data_dir / "examples", problems)
    if mpp is None:
        raise CatalogueError(problems)
    # Cross-checks run on whatever loaded, so one run reports every kind of problem.
    catalogue = Catalogue(
        mpp=mpp,
        agencies={a.id: a for a in agencies},
        services={s.id: s for a in agencies for s in a.services},
        facilities={f.id: f for f in facilities},
        info={i.id: i for i in mpp.info},
        data_dir=data_dir,
        lexicon=lexicon,
    )
    known = set(catalogue.refs())
    catalogue.examples = tuple(e for e in examples if known.issuperset(e.refs))
    catalogue.stray_examples = tuple(e for e in examples if not known.issuperset(e.refs))
    problems.extend(_cross_check(catalogue, facilities, data_dir, complete=not problems))
    if problems:
        raise CatalogueError(problems)
    return catalogue


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    name = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, "-", "", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "-", "", f"cannot be read: {_reason(exc)}"))
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "-", "", _yaml_error(exc)))
        return None
    if data is None:
        problems.append(Problem(name, "-", "", "file is empty"))
    return data


def _yaml_error(exc: yaml.YAMLError) -> str:
    """One line: where, and what (PyYAML's own text spans several lines)."""
    mark = getattr(exc, "problem_mark", None)
    line = f"line {mark.line + 1}: " if mark else ""
    what = getattr(exc, "problem", None) or str(exc)
    return f"YAML syntax error: {line}{' '.join(str(what).split())}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    return exc.strerror or type(exc).__name__ if isinstance(exc, OSError) else str(exc)


def _entry_name(raw: Any, loc: tuple[Any, ...], top_kind: str) -> tuple[str, tuple[Any, ...]]:
    """Turn a pydantic error location into ("service 'x'", remaining field path)."""
    top_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
    if len(loc) >= 2 and loc[0] == "services" and isinstance(loc[1], int):
        items = raw.get("services") or []
        item = items[loc[1]] if loc[1] < len(items) else {}
        ident = item.get("id") if isinstance(item, dict) else None
        return f"service '{ident or f'#{loc[1] + 1}'}'", loc[2:]
    return (f"{top_kind} '{top_id}'" if top_id != "?" else top_kind), loc


def _validate(
    model: type[BaseModel], raw: Any, file: str, kind: str, problems: list[Problem], **extra: Any
) -> Any:
    if not isinstance(raw, dict):
        problems.append(Problem(file, f"{kind}", "", "must be a mapping of field: value"))
        return None
    try:
        return model.model_validate({**raw, **extra})
    except ValidationError as exc:
        for err in exc.errors():
            entry, rest = _entry_name(raw, tuple(err["loc"]), kind)
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "string_type" and isinstance(err.get("input"), dict):
                message += " (a ': ' inside the text made YAML read a key: put the text in quotes)"
            where = ".".join(str(p) for p in rest)
            named = re.match(r"^(\w+): (.*)$", message, re.S)
            if named and err["type"] == "value_error":
                where = ".".join(filter(None, (where, named.group(1))))
                message = named.group(2)
            problems.append(Problem(file, entry, where, message))
        return None


def _load_mpp(path: Path, problems: list[Problem]) -> Mpp | None:
    raw = _read_yaml(path, problems)
    if raw is None:
        return None
    mpp = _validate(Mpp, raw, _display(path), "mpp", problems)
    if mpp and "mpp" in mpp.hours.values():
        problems.append(
            Problem(_display(path), "mpp", "hours", "the MPP's own hours cannot say 'mpp'")
        )
    return mpp


def _load_facilities(path: Path, problems: list[Problem]) -> list[Facility]:
    raw = _read_yaml(path, problems)
    if raw is None:
        return []
    items = raw.get("facilities") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(_display(path), "-", "facilities", "must be a list"))
        return []
    if not items:
        problems.append(Problem(_display(path), "-", "facilities", "the list is empty"))
    found = [
        _validate(Facility, item, _display(path), _kind_id("facility", item), problems)
        for item in items
    ]
    return [f for f in found if f]


def _kind_id(kind: str, raw: Any) -> str:
    return f"{kind} '{raw.get('id', '?')}'" if isinstance(raw, dict) else kind


def _load_agencies(folder: Path, problems: list[Problem]) -> list[Agency]:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        problems.append(Problem(_display(folder), "-", "", "no agency files (*.yaml) found"))
    agencies = []
    for path in files:
        raw = _read_yaml(path, problems)
        if raw is None:
            continue
        agency = _validate(Agency, raw, _display(path), "agency", problems)
        if agency is None:
            continue
        if agency.id != path.stem:
            problems.append(
                Problem(
                    _display(path),
                    f"agency '{agency.id}'",
                    "id",
                    f"must match the file name '{path.stem}'",
                )
            )
        services = [s.model_copy(update={"agency": agency.id}) for s in agency.services]
        agencies.append(agency.model_copy(update={"services": services}))
    return agencies


def _load_lexicon(path: Path, problems: list[Problem]) -> Lexicon:
    """The catalogue's own slang.yaml; the built-in one where a copy has none."""
    if not path.exists():
        return default_lexicon()
    try:
        return Lexicon.load(path)
    except yaml.YAMLError as exc:
        problems.append(Problem(_display(path), "-", "", _yaml_error(exc)))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(_display(path), "-", "", f"cannot be read: {_reason(exc)}"))
    except LexiconError as exc:
        problems.append(Problem(_display(path), "slang", exc.section, str(exc)))
    return default_lexicon()


def _load_examples(folder: Path, problems: list[Problem]) -> list[Example]:
    """Example questions (optional: a catalogue without them matches on its phrasings)."""
    found = []
    for path in sorted(folder.glob("*.tsv")):
        try:
            examples, bad = read_examples(path)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(_display(path), "-", "", f"cannot be read: {_reason(exc)}"))
            continue
        problems.extend(Problem(_display(path), f"line {n}", "", why) for n, why in bad)
        found.extend(examples)
    return found


def _cross_check(
    cat: Catalogue, facility_list: list[Facility], data_dir: Path, complete: bool = True
) -> Iterator[Problem]:
    """Checks that need the whole catalogue: unique ids, known agencies, unique queue prefixes."""
    agencies_dir = data_dir / "agencies"
    # Agency ids need no check here: each must equal its file name, and names are unique.
    yield from _duplicates(
        (_display(agencies_dir / f"{a.id}.yaml"), "service", s.id)
        for a in cat.agencies.values()
        for s in a.services
    )
    facilities = _display(data_dir / "facilities.yaml")
    yield from _duplicates((facilities, "facility", f.id) for f in facility_list)
    yield from _duplicates((_display(data_dir / "mpp.yaml"), "info", i.id) for i in cat.mpp.info)
    for fac in cat.facilities.values():
        if fac.agency and fac.agency not in cat.agencies:
            yield Problem(
                _display(data_dir / "facilities.yaml"),
                f"facility '{fac.id}'",
                "agency",
                f"unknown agency '{fac.agency}'",
            )
    for intent, ref in cat.lexicon.intent_refs.items():
        if cat.get(ref) is None:
            yield Problem(
                _display(data_dir / "slang.yaml"),
                "slang",
                f"intent_refs.{intent}",
                f"unknown ref '{ref}'",
            )
    # With a file that did not load, its entries are unknown: an "elsewhere" group naming them
    # is no second problem (the broken file is the one to fix).
    refs = list(cat.refs())
    for n, group in enumerate(cat.lexicon.elsewhere if complete else ()):
        for pattern in group.not_about:
            # "facility:*" with no facilities is no typo: the facility file is empty.
            kind = pattern.partition(":")[0] + ":"
            if "*" in pattern and not any(ref.startswith(kind) for ref in refs):
                continue
            if not any(fnmatchcase(ref, pattern) for ref in refs):
                yield Problem(
                    _display(data_dir / "slang.yaml"),
                    "slang",
                    f"elsewhere[{n}].not_about",
                    f"'{pattern}' names no entry",
                )
    seen: dict[str, str] = {}
    for agency in cat.agencies.values():
        prefix = agency.queue_prefix
        if prefix and prefix in seen:
            yield Problem(
                _display(agencies_dir / f"{agency.id}.yaml"),
                f"agency '{agency.id}'",
                "queue_prefix",
                f"'{prefix}' is already used by '{seen[prefix]}'",
            )
        elif prefix:
            seen[prefix] = agency.id


def _duplicates(rows: Iterable[tuple[str, str, str]]) -> Iterator[Problem]:
    rows = list(rows)
    first: dict[str, str] = {}
    for file, kind, ident in rows:
        if ident in first:
            yield Problem(
                file, f"{kind} '{ident}'", "id", f"duplicate id: also used in {first[ident]}"
            )
        else:
            first[ident] = file
