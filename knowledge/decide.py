"""When is the matcher sure? Features of the leader against the runner-up, and a fitted rule.

A score floor and a margin alone cannot tell a real tie ("syarat skck": new or renewal) from a
weak runner-up that only shares an everyday word ("kartu kuning buat cari kerja": the job
vacancies share "kerja"). The features below say what a reader would check: how much of the
question the leader explains, what only the runner-up explains, whether the runner-up is a
sibling (same agency), how much of the question the catalogue does not know at all. Two small
logistic rules over them, fitted on the tuning sets by `benchmarks/calibrate.py`, decide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FEATURES = (
    "top",  # the leader's score (0-1)
    "separation",  # leader minus runner-up, saturating at SEPARATED (0-1)
    "rival_ratio",  # runner-up / leader, when the runner-up is a real competitor
    "stray_ratio",  # runner-up / leader, when it only repeats part of the leader's words
    "rival_only",  # share of the question only the runner-up explains
    "lead_only",  # share of the question only the leader explains
    "related",  # 1 when the runner-up is the leader's sibling or its agency
    "unknown",  # share of the question the catalogue does not know at all
    "strength",  # the leader's evidence, in units of the rarest word (capped at 2, halved)
    "anchored",  # 1 when one of the leader's own phrasings is in the question whole
    "close",  # 1 when the runner-up is within CLOSE: the question hardly says which
    "same_words",  # 1 when the runner-up explains exactly the leader's words
    "agency_pair",  # 1 when the leader or the runner-up is an agency (agency vs its service)
    "lone",  # 1 when the leader explains one word and much of the question is unknown
    "vote",  # the leader's share of the nearest example questions' votes
    "vote_none",  # the share of those examples that were out of scope
    "nearest",  # how like the question the closest example about the leader is (1: the same)
)


@dataclass(frozen=True)
class Rule:
    """A logistic rule: sure when sigmoid(bias + weights . features) >= threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, x: tuple[float, ...]) -> float:
        return _sigmoid(self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True)))

    def holds(self, x: tuple[float, ...]) -> bool:
        return self.probability(x) >= self.threshold


# Fitted by benchmarks/calibrate.py on dev and the tuning sets, thresholds chosen on the
# validation set G (never the held-out sets); paste its output here when the catalogue or the
# slang changes much.
IN_SCOPE = Rule(
    weights=(
        5.44,
        -0.07,
        2.71,
        2.0,
        -2.35,
        0.51,
        0.63,
        -3.77,
        0.37,
        2.09,
        -0.15,
        -1.31,
        0.96,
        -1.07,
        2.44,
        -10.41,
        1.19,
    ),
    bias=-5.36,
    threshold=0.6,
)
LEADER_RIGHT = Rule(
    weights=(
        3.79,
        0.41,
        1.41,
        0.59,
        -2.33,
        0.64,
        0.54,
        -3.16,
        -0.1,
        1.9,
        -0.53,
        -0.67,
        -0.17,
        -3.87,
        3.15,
        -8.33,
        1.73,
    ),
    bias=-4.54,
    threshold=0.6,
)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def fit(
    rows: list[tuple[tuple[float, ...], int]], l2: float = 0.1, rounds: int = 25
) -> tuple[tuple[float, ...], float]:
    """Logistic regression by Newton's method (ridge-penalised): deterministic, no dependency.

    Returns (weights, bias), rounded so that they read well pasted into the code.
    """
    dim = len(rows[0][0]) + 1  # the bias is the last coefficient
    beta = [0.0] * dim
    for _ in range(rounds):
        grad = [l2 * b for b in beta[:-1]] + [0.0]
        hess = [[(l2 if i == j and i < dim - 1 else 0.0) for j in range(dim)] for i in range(dim)]
        for x, y in rows:
            v = (*x, 1.0)
            p = _sigmoid(sum(b * xi for b, xi in zip(beta, v, strict=True)))
            for i in range(dim):
                grad[i] += (p - y) * v[i]
                for j in range(dim):
                    hess[i][j] += p * (1 - p) * v[i] * v[j]
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
    return tuple(round(b, 2) for b in beta[:-1]), round(beta[-1], 2)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and positive definite)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (m[r][n] - sum(m[r][c] * out[c] for c in range(r + 1, n))) / m[r][r]
    return out
