"""What the matcher works with and hands out: entries, scored candidates, results, the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from knowledge.decide import IN_SCOPE, LEADER_RIGHT, Rule
from knowledge.examples import Votes

# The intent of a question about the MPP itself ("apa itu mpp", "where is the public service
# mall"): it answers only when nothing else in the question does, and never leads a card.
SELF_INTENT = "mpp"


NEVER = 1.01  # a probability threshold no probability reaches


@dataclass(frozen=True)
class Policy:
    """The decision: two rules fitted by benchmarks/calibrate.py (see knowledge/decide.py)."""

    in_scope: Rule = IN_SCOPE  # below: nothing in the catalogue fits
    leader_right: Rule = LEADER_RIGHT  # at least: answer the leader directly
    max_options: int = 3  # a menu longer than this is a list, not a question
    menu_share: float = 0.5  # an option scores at least this share of the leader's score
    menu_evidence: float = 0.4  # ... and shares this much telling evidence (x the rarest word)
    # Two entries all but tied ("syarat skck": new or renewal): the leader is answered, the
    # other offered beside it, when the leader-right probability is at least this; above 1,
    # always a menu. benchmarks/calibrate.py chooses it on the validation set.
    close_right: float = 0.98


@dataclass(frozen=True)
class Match:
    ref: str
    score: float  # 0-100


@dataclass(frozen=True)
class MatchResult:
    query: str
    status: str  # "answer" | "ambiguous" | "none"
    results: list[Match]
    intents: frozenset[str] = frozenset()
    outside: frozenset[str] = frozenset()  # refs it rules out by naming somewhere else
    # An answer's close runners-up ("syarat skck": renewal beside new), offered as buttons.
    alternatives: tuple[str, ...] = ()

    @property
    def elsewhere(self) -> bool:
        """Not here because it names somewhere else ("dukcapil kota malang")."""
        return self.status == "none" and bool(self.outside)

    @property
    def best(self) -> str | None:
        return self.results[0].ref if self.results else None

    def to_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "status": self.status,
            "results": [{"ref": m.ref, "score": round(m.score, 1)} for m in self.results],
        }


@dataclass
class Phrase:
    words: frozenset[str]
    weight: float  # how much this phrasing counts (agency names count less for a service)


@dataclass
class Entry:
    ref: str
    phrases: list[Phrase] = field(default_factory=list)
    vocab: dict[str, float] = field(default_factory=dict)  # word -> its best phrase weight
    own_phrases: int = 1  # phrasings of its own (weight 1.0), counted once at build time
    family: str = ""  # its agency (a service's or the agency itself); "mpp" for the building


@dataclass(frozen=True)
class Scored:
    score: float
    anchor: float  # weight of a whole own phrasing found in the question
    ref: str
    index: int = 0  # into Matcher.entries
    # The score on the question's words alone, before the examples' votes: two entries the
    # words cannot tell apart ("syarat skck": new or renewal) stay a choice to offer, whichever
    # the votes put first.
    words: float = -1.0

    @property
    def on_words(self) -> float:
        return self.score if self.words < 0 else self.words


class Ranked(NamedTuple):
    """A question read and ranked, before the decision."""

    query: str
    weights: dict[str, float]
    evidence: dict[str, float]
    intents: frozenset[str]
    scored: list[Scored]
    ruled_out: frozenset[str] = frozenset()  # refs the question names as elsewhere
    votes: Votes = Votes({})  # what the nearest example questions were about
