"""Questions like this one: what the nearest example questions were about.

The catalogue's phrasings say what a service is called; example questions say how people ask
("ayas kate gawe skck gae ngelamar nang pabrik", "my passport expired, how do I get a new
one"). Each example is a question written the way citizens write, labelled with the refs that
answer it, or `none` when this MPP does not serve it (data/examples/*.tsv, one file per source;
staff can add the questions the dashboard lists as unanswered). The question's nearest examples,
by words and by letter sequences (so "ngurusipun", "perpanjangan" and typos still meet), vote
for their refs. No training step: an example added to a file counts at the next reload, and a
service without examples still has its phrasings, which are examples of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge.normalize import Lexicon, tokens

NONE = "none"  # the label of an out-of-scope example, and the vote it casts
NEIGHBOURS = 10  # examples that vote (5 and 20 did no better on the blind sets N-Q)
# A vote counts its similarity squared: one example all but equal to the question outweighs
# several that share a word or two with it ("bpjs kesehatan" is the agency, though many
# questions that name it ask to register).
SHARPNESS = 2
SAME = 0.95  # an example this similar is the question itself, asked again
MOSTLY = 0.5  # a share of the votes above this is most of them
LETTERS = (3, 5)  # letter sequences compared inside each word ("ngurusipun" ~ "ngurus")


@dataclass(frozen=True)
class Example:
    text: str
    refs: tuple[str, ...]  # empty: out of scope
    source: str = ""  # the file it came from ("" for a catalogue phrasing)
    line: int = 0


def read_examples(path: Path) -> tuple[list[Example], list[tuple[int, str]]]:
    """The examples of one TSV file (`question<TAB>refs`, `#` comments), and (line, message)
    for each line that is not one."""
    examples, bad = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, tab, labels = line.partition("\t")
        refs = tuple(r for r in labels.split() if r != NONE)
        if not tab or not text.strip() or not labels.split():
            bad.append((number, "must be: question, a tab, then refs or 'none'"))
            continue
        examples.append(Example(text.strip(), refs, path.name, number))
    return examples, bad


@dataclass(frozen=True)
class Votes:
    shares: dict[str, float]  # ref (or NONE) -> its share of the neighbours' similarity
    nearest: dict[str, float] = field(default_factory=dict)  # ref -> its closest example's
    # The refs of an example that is this very question (similarity SAME or more); () when it
    # was out of scope, None when no example is that close.
    same: tuple[str, ...] | None = None

    def of(self, ref: str) -> float:
        return self.shares.get(ref, 0.0)

    def mostly_none(self) -> bool:
        """Most of the nearest examples were out of scope: what is asked is elsewhere."""
        return self.of(NONE) > MOSTLY

    def closest(self, ref: str) -> float:
        """How like the question the most similar example about `ref` is (1: the same)."""
        return self.nearest.get(ref, 0.0)

    def blend(self, other: Votes) -> Votes:
        """Half these votes, half the other's; the closer example of the two; our `same`."""
        refs = self.shares.keys() | other.shares.keys()
        shares = {r: (self.of(r) + other.of(r)) / 2 for r in refs}
        nearest = {r: max(self.closest(r), other.closest(r)) for r in refs}
        return Votes(shares, nearest, self.same)


class Neighbours:
    """Every example as a tf-idf vector of its words and letter sequences; a question's votes
    come from its NEIGHBOURS most similar examples (cosine), weighted by that similarity."""

    def __init__(self, examples: list[Example], words: Callable[[str], list[str]]) -> None:
        # Imported here: scikit-learn takes over a second to import, and the commands that only
        # read or check the catalogue (`catalogue check`, `import`, `report`) never match.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion
        from sklearn.preprocessing import normalize

        self._normalize = normalize
        self.labels = [e.refs or (NONE,) for e in examples]
        self.sources = np.array([e.source for e in examples])
        self.texts = np.array([e.text.lower() for e in examples])
        self.vectorizer = FeatureUnion(
            [
                ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True)),
                ("letters", TfidfVectorizer(
                    analyzer="char_wb", ngram_range=LETTERS, sublinear_tf=True, min_df=2
                )),
            ]
        )  # fmt: skip
        self.matrix = normalize(self.vectorizer.fit_transform(self.texts)).T.tocsr()
        self.holdout = False

    def _same(self, sims: np.ndarray) -> tuple[str, ...] | None:
        """What the examples that are this very question say: () out of scope, one ref or
        several; None when none is that close, or they disagree on whether it is in scope."""
        said = {ref for j in np.flatnonzero(sims >= SAME) for ref in self.labels[j]}
        if not said or (NONE in said and len(said) > 1):
            return None
        return tuple(sorted(said - {NONE}))

    @contextmanager
    def unseen(self) -> Iterator[None]:
        """Calibration and benchmarks ask the examples' own questions: meanwhile a question
        found among the examples compares only with other files' examples, as if unseen."""
        self.holdout = True
        try:
            yield
        finally:
            self.holdout = False

    def votes(self, question: str, topic: str = "") -> Votes:
        """The NEIGHBOURS nearest examples' votes. With a `topic` (the question without the
        words that ask about a service: "nib bisa diwakilkan?" -> "nib"), half the vote is
        the topic's: many examples ask "bisa diwakilkan?" of other services, and alone they
        would outvote the one word that names the service."""
        text = question.lower()
        sims = self._similarities(text)
        votes = self._tally(sims, self._same(sims))
        if not topic:
            return votes
        return votes.blend(self._tally(self._similarities(topic.lower(), held=text), None))

    def _similarities(self, text: str, held: str = "") -> np.ndarray:
        sims = (self._normalize(self.vectorizer.transform([text])) @ self.matrix).toarray()[0]
        held = held or text
        if self.holdout:
            own = self.sources[self.texts == held]
            if own.size:
                sims[np.isin(self.sources, own[own != ""]) | (self.texts == held)] = 0.0
        return sims

    def _tally(self, sims: np.ndarray, same: tuple[str, ...] | None) -> Votes:
        k = min(NEIGHBOURS, sims.size)
        if not k:
            return Votes({})
        shares: dict[str, float] = {}
        nearest: dict[str, float] = {}
        for j in np.argpartition(-sims, k - 1)[:k]:
            sim = float(sims[j])
            for ref in self.labels[j]:
                shares[ref] = shares.get(ref, 0.0) + sim**SHARPNESS / len(self.labels[j])
                nearest[ref] = max(nearest.get(ref, 0.0), sim)
        total = sum(shares.values())
        if not total:
            return Votes({})
        return Votes({r: v / total for r, v in shares.items() if v}, nearest, same)


_built: dict[tuple[object, ...], Neighbours] = {}
KEEP = 4  # sets of examples kept built (a test run builds several small catalogues)


def neighbours(examples: tuple[Example, ...], lexicon: Lexicon) -> Neighbours:
    """Built once per set of examples and way of reading words: matchers rebuilt on the same
    data (a copy of the catalogue, a reload that changed only opening hours) share it."""
    reading = (frozenset(lexicon.replace.items()), lexicon.stopwords, lexicon.keep_glued)
    key = (examples, reading)
    if key not in _built:
        if len(_built) >= KEEP:
            del _built[next(iter(_built))]
        _built[key] = Neighbours(list(examples), lambda t: tokens(t, lexicon))
    return _built[key]


def phrasings(entries: Iterable[tuple[str, Iterable[str]]]) -> list[Example]:
    """Each entry's names and citizen words as examples of that entry."""
    return [Example(text, (ref,)) for ref, texts in entries for text in texts if text.strip()]
