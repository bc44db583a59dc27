"""Shared by the benchmarks: percentiles the way the tables report them."""

from __future__ import annotations


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (pct 50 = median, 99 = p99) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
