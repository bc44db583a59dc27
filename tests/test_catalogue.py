"""The shipped catalogue honours the contract; broken data files get precise messages."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from knowledge.catalogue import Catalogue, CatalogueError, load_catalogue
from knowledge.database import build_database

CONTRACT = Path(__file__).parent / "data" / "contract.csv"


def contract_refs() -> list[str]:
    with CONTRACT.open(encoding="utf-8") as f:
        return [row["ref"] for row in csv.DictReader(f)]


@pytest.mark.parametrize("ref", contract_refs())
def test_every_contract_ref_exists(catalogue: Catalogue, ref: str) -> None:
    assert catalogue.get(ref) is not None, ref


def test_catalogue_is_large_enough(catalogue: Catalogue) -> None:
    assert len(catalogue.agencies) >= 26
    assert len(catalogue.services) >= 150


def test_every_service_has_requirements_and_a_place(catalogue: Catalogue) -> None:
    for service in catalogue.services.values():
        agency = catalogue.agency_of(service)
        assert service.requirements, service.id
        assert agency.floor or agency.referral, service.id


def test_unknown_fees_are_flagged_not_invented(catalogue: Catalogue) -> None:
    for service in catalogue.services.values():
        if service.fee is None:
            assert "fee" in service.needs_verification, service.id
        if service.processing_time is None:
            assert "processing_time" in service.needs_verification, service.id


def test_absent_agencies_say_where_to_go(catalogue: Catalogue) -> None:
    absent = {a.id: a.referral for a in catalogue.agencies.values() if not a.present}
    assert "imigrasi" in absent
    assert all(absent.values())


def _problems(data: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(data)
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_duplicate_service_id_names_both_files(data_copy: Path) -> None:
    _edit(data_copy / "agencies" / "bnn.yaml", "id: rehabilitasi-narkoba", "id: skck-baru")
    [problem] = _problems(data_copy)
    assert "agencies/polres.yaml" in problem or "agencies/bnn.yaml" in problem
    assert "service 'skck-baru'" in problem and "field 'id'" in problem
    assert "duplicate id" in problem


def test_empty_requirements_names_file_entry_and_field(data_copy: Path) -> None:
    path = data_copy / "agencies" / "kejari.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("requirements:", text.index("id: tilang"))
    end = text.index("\n    fee:", start)
    path.write_text(text[:start] + "requirements: []" + text[end:], encoding="utf-8")
    [problem] = _problems(data_copy)
    assert problem.startswith(str(path)) or "agencies/kejari.yaml" in problem
    assert "service 'tilang'" in problem and "field 'requirements'" in problem


def test_bad_time_is_reported(data_copy: Path) -> None:
    _edit(data_copy / "mpp.yaml", "mon: 08:00-16:00", "mon: 16:00-08:00")
    [problem] = _problems(data_copy)
    assert "mpp.yaml" in problem and "field 'hours.mon'" in problem
    assert "closes before it opens" in problem


def test_unknown_agency_is_reported(data_copy: Path) -> None:
    _edit(data_copy / "facilities.yaml", "  - id: atm\n", "  - id: atm\n    agency: bank-xyz\n")
    [problem] = _problems(data_copy)
    assert "facilities.yaml" in problem and "facility 'atm'" in problem
    assert "unknown agency 'bank-xyz'" in problem


def test_misspelt_field_is_not_silently_dropped(data_copy: Path) -> None:
    _edit(data_copy / "agencies" / "bnn.yaml", "    requirements:", "    requirement:")
    problems = _problems(data_copy)
    assert any("field 'requirement'" in p and "Extra inputs" in p for p in problems)


def test_yaml_syntax_error_names_the_line(data_copy: Path) -> None:
    (data_copy / "agencies" / "bnn.yaml").write_text("id: bnn\nname: [unclosed\n")
    [problem] = _problems(data_copy)
    assert "bnn.yaml" in problem and "YAML syntax error" in problem and "line" in problem


def test_file_name_must_match_agency_id(data_copy: Path) -> None:
    (data_copy / "agencies" / "bnn.yaml").rename(data_copy / "agencies" / "bnn-batu.yaml")
    [problem] = _problems(data_copy)
    assert "agency 'bnn'" in problem and "must match the file name 'bnn-batu'" in problem


def test_absent_agency_without_referral(data_copy: Path) -> None:
    path = data_copy / "agencies" / "imigrasi.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith("referral:")]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert any("agency 'imigrasi'" in p and "referral" in p for p in problems)


def test_export_has_every_field(catalogue: Catalogue) -> None:
    data = catalogue.export()
    service = next(s for s in data["services"] if s["id"] == "stnk-tahunan")
    assert service["agency"] == "samsat"
    assert {
        "requirements",
        "fee",
        "processing_time",
        "needs_verification",
        "compiled",
        "confirmed",
        "evidence",
        "place",
        "source",
        "words",
    } <= service.keys()
    assert {"agencies", "services", "facilities", "info"} <= data.keys()


def test_database_holds_the_catalogue(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    build_database(catalogue, path)
    build_database(catalogue, path)  # rebuilding replaces, never duplicates
    con = sqlite3.connect(path)
    [(services,)] = con.execute("select count(*) from services").fetchall()
    rows = con.execute(
        "select text from requirements where service = 'stnk-tahunan' order by position"
    ).fetchall()
    assert services == len(catalogue.services)
    assert any("STNK" in text for (text,) in rows)


def test_one_check_reports_every_kind_of_problem(data_copy: Path) -> None:
    _edit(data_copy / "agencies" / "bnn.yaml", "    requirements:", "    requirement:")
    _edit(data_copy / "agencies" / "polres.yaml", "id: skck-baru", "id: skck-perpanjang")
    problems = _problems(data_copy)
    assert any("bnn.yaml" in p for p in problems)
    assert any("polres.yaml" in p and "duplicate id" in p for p in problems)


def test_slang_file_problems_name_the_section(data_copy: Path) -> None:
    _edit(data_copy / "slang.yaml", "  hours: info:jam-buka", "  hours: info:jam-tutup")
    _edit(data_copy / "slang.yaml", "keep_glued: [", "keep_glued: [baru saja, ")
    problems = _problems(data_copy)
    assert any("slang.yaml" in p and "keep_glued" in p and "one word" in p for p in problems)


def test_slang_intent_refs_must_exist(data_copy: Path) -> None:
    _edit(data_copy / "slang.yaml", "  hours: info:jam-buka", "  hours: info:jam-tutup")
    [problem] = _problems(data_copy)
    assert "intent_refs.hours" in problem and "unknown ref 'info:jam-tutup'" in problem


def test_slang_elsewhere_patterns_must_name_entries(data_copy: Path) -> None:
    _edit(data_copy / "slang.yaml", '"service:bank-jatim-*"', '"service:bank-jatm-*"')
    [problem] = _problems(data_copy)
    assert "elsewhere[0].not_about" in problem
    assert "'service:bank-jatm-*' names no entry" in problem


def test_bare_yes_in_slang_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "slang.yaml", '"yes"', "yes")
    [problem] = _problems(data_copy)
    assert "common" in problem and "put it in quotes" in problem
