"""`catalogue check` keeps the data honest: full sources; every figure sourced or flagged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.audit import audit, source_problem
from knowledge.catalogue import Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parents[1]


def check(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data", str(data), "catalogue", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize(
    "source",
    [
        "https://tirto.id/syarat-buat-skck-2023-masa-berlaku-cara-perpanjangan-online-gFjv",
        "https://malangvoice.com/?p=166373",
        "Pemerintah RI, 2020, PP Nomor 76 Tahun 2020 tentang Jenis dan Tarif PNBP pada Polri",
        "Kompas TV, 2024-02-01, Cara mengurus surat kehilangan di kantor polisi",
    ],
)
def test_full_urls_and_citations_are_accepted(source: str) -> None:
    assert source_problem(source) is None


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("m.tribunnews.com/amp/nasional/2020/10/16/…", "cut short"),
        ("https://visioneernews.id/wajib-uji-kesehatan-psikotes-...", "cut short"),
        ("malangvoice.com/?p=166373", "neither a full URL"),
        ("Tribunnews tentang SKCK", "neither a full URL"),
        ("https://jatimtimes.com/baca/329795/20250119/114400/privacy", "privacy"),
        ("https://twitter.com/polresbatu/status/1", "social-media"),
        ("https://www.instagram.com/p/abc/", "social-media"),
    ],
)
def test_bad_sources_are_named(source: str, why: str) -> None:
    assert why in (source_problem(source) or "")


def test_shipped_catalogue_breaks_no_honesty_rule(catalogue: Catalogue) -> None:
    assert [str(p) for p in audit(catalogue)] == []


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_fails_on_a_source_that_is_not_a_full_url(data_copy: Path) -> None:
    replace_in(
        data_copy / "agencies" / "bnn.yaml",
        "      - https://malangkota.bnn.go.id/",
        "      - malangkota.bnn.go.id/…\n      - https://malangkota.bnn.go.id/",
    )
    out = check(data_copy)
    assert out.returncode == 1
    assert "bnn.yaml: service 'skhpn': field 'source'" in out.stderr and "cut short" in out.stderr


def test_check_fails_on_a_fee_without_source_or_flag(data_copy: Path) -> None:
    replace_in(data_copy / "agencies" / "kejari.yaml", "fee: Gratis", "fee: Rp50.000")
    path = data_copy / "agencies" / "kejari.yaml"
    # The shipped entry flags its fee; a new figure with neither flag nor source must fail.
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "fee: Rp50.000" in line)
    flags = next(i for i in range(at, len(lines)) if "needs_verification:" in lines[i])
    lines[flags] = "    needs_verification: [processing_time]"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = check(data_copy)
    assert out.returncode == 1
    assert "field 'fee': no source states it" in out.stderr


def test_a_flagged_or_evidenced_fee_passes(data_copy: Path) -> None:
    cat = load_catalogue(data_copy)
    skhpn = cat.services["skhpn"]
    assert "fee" in skhpn.evidence and "fee" not in skhpn.needs_verification
    assert audit(cat) == []


def test_compiled_and_the_old_name_last_verified_both_load(data_copy: Path) -> None:
    replace_in(data_copy / "agencies" / "bnn.yaml", "last_verified:", "compiled:")
    cat = load_catalogue(data_copy)
    assert str(cat.agencies["bnn"].compiled) == "2026-11-27"
    assert cat.agencies["bnn"].confirmed is None


def test_an_unconfirmed_agency_needs_a_referral(data_copy: Path) -> None:
    path = data_copy / "agencies" / "pos.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = ["referral: null" if line.startswith("referral:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = [str(p) for p in audit(load_catalogue(data_copy))]
    assert any("agency 'pos': field 'referral': the gerai is unconfirmed" in p for p in problems)
