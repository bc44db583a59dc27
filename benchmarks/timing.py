"""Shared by the benchmarks: the questions asked, and percentiles the way the tables report
them."""

from __future__ import annotations


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (pct 50 = median, 99 = p99) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# One question per simulated citizen, in turn: services, hours, an out-of-scope one.
QUESTIONS = [
    "syarat perpanjang stnk",
    "ktp hilang",
    "jam buka",
    "bikin akta kelahiran",
    "syarat ktp",
    "daftar bpjs",
    "resep rendang",
    "lokasi mpp",
    "skck baru",
    "pajak motor telat",
]
