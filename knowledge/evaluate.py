"""Score a matcher on a question set (dev-queries.tsv format): the figures the README reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.matcher import MatchResult


def dev_set(start: Path) -> Path:
    """The shared dev set: `shared/catalogue/dev-queries.tsv` beside the checkout or above it
    (a git worktree sits one folder deeper than the main checkout)."""
    for folder in start.resolve().parents:
        path = folder / "shared" / "catalogue" / "dev-queries.tsv"
        if path.exists():
            return path
    return start.resolve().parent / "shared" / "catalogue" / "dev-queries.tsv"


@dataclass(frozen=True)
class Question:
    text: str
    expected: frozenset[str]  # empty: out of scope ("none")


def read_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, _, refs = line.partition("\t")
        expected = frozenset(r for r in refs.split() if r != "none")
        questions.append(Question(text.strip(), expected))
    return questions


@dataclass(frozen=True)
class Scores:
    n: int
    success_at_1: float
    success_at_3: float
    answered_directly: float
    none_detected: float
    confident_wrong: float
    misses: tuple[str, ...]  # in-scope questions whose first result is wrong, for reading

    def as_row(self) -> dict[str, float]:
        return {
            "success@1": self.success_at_1,
            "success@3": self.success_at_3,
            "answered directly": self.answered_directly,
            "none detected": self.none_detected,
            "confident wrong": self.confident_wrong,
        }


def score(questions: Iterable[Question], search: Callable[[str], MatchResult]) -> Scores:
    """The contract's definitions (shared/catalogue/README.md), over in-scope or all questions."""
    questions = list(questions)
    s1 = s3 = direct = none_ok = wrong = 0
    in_scope = [q for q in questions if q.expected]
    out_scope = len(questions) - len(in_scope)
    misses = []
    for q in questions:
        r = search(q.text)
        refs = [m.ref for m in r.results]
        if not q.expected:
            none_ok += r.status == "none" or not refs
            wrong += r.status == "answer"
            continue
        first_ok = bool(refs) and refs[0] in q.expected and r.status != "none"
        s1 += first_ok
        s3 += r.status != "none" and any(ref in q.expected for ref in refs[:3])
        direct += first_ok and r.status == "answer"
        wrong += r.status == "answer" and not first_ok
        if not first_ok:
            misses.append(f"{q.text!r} -> {r.status} {refs[:3]} (want {sorted(q.expected)})")
    total = max(len(questions), 1)
    return Scores(
        len(questions),
        s1 / max(len(in_scope), 1),
        s3 / max(len(in_scope), 1),
        direct / max(len(in_scope), 1),
        none_ok / max(out_scope, 1),
        wrong / total,
        tuple(misses),
    )
