"""Shared by the benchmarks: the questions asked, and percentiles the way the tables report
them."""

from __future__ import annotations

import statistics
from typing import Any


def summarize(
    asked_at: dict[Any, float], sent: list[tuple[Any, float]], start: float
) -> dict[str, float]:
    """From when each chat asked and (chat, time) of every message sent: answered, replies/s,
    p50 and p99 latency of each chat's first answer."""
    first: dict[Any, float] = {}
    for chat, at in sent:
        first.setdefault(chat, at)
    latencies = [(first[c] - t) * 1000 for c, t in asked_at.items() if c in first]
    span = max(first.values()) - start if first else float("nan")
    return {
        "answered": len(first),
        "asked": len(asked_at),
        "replies/s": len(first) / span,
        "p50 ms": statistics.median(latencies),
        "p99 ms": percentile(latencies, 99),
    }


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
