"""Find the catalogue entries a citizen's question is about, and decide how sure we are.

Scoring, per entry: the best of its phrasings (name, citizen words, agency names), each scored by
how much of the question it explains and how much of the phrasing the question contains, both
weighted by word rarity (idf: "stnk" tells more than "syarat"). Words unknown to the catalogue
weigh fully against every entry, so "perpanjang langganan netflix" explains too little to answer.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.catalogue import Catalogue
from knowledge.normalize import Lexicon, affix_variants, tokens


@dataclass(frozen=True)
class Policy:
    """Decision thresholds, calibrated on the dev set (benchmarks/matcher.py prints the curve)."""

    none_below: float = 0.45  # best score under this: nothing fits
    answer_from: float = 0.55  # best score at least this, and clearly ahead: answer
    margin: float = 0.1  # "clearly ahead": the runner-up is this much lower
    anchor: float = 1.0  # a whole phrasing this heavy (x the rarest word) is never "none"
    max_options: int = 5


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
class _Phrase:
    words: frozenset[str]
    weight: float  # how much this phrasing counts (agency names count less for a service)


@dataclass
class _Entry:
    ref: str
    phrases: list[_Phrase] = field(default_factory=list)
    vocab: dict[str, float] = field(default_factory=dict)  # word -> its best phrase weight
    own_phrases: int = 1  # phrasings of its own (weight 1.0), counted once at build time


@dataclass(frozen=True)
class _Scored:
    score: float
    anchor: float  # weight of a whole own phrasing found in the question
    ref: str


# Weights of the phrasings, relative to an entry's own name and citizen words: an agency's
# names say less about one of its services, and an agency's topic words say less about the
# agency than about the service that owns the topic ("jht" is a claim, not the whole BPJS TK).
AGENCY_NAME_IN_SERVICE = 0.75
AGENCY_TOPIC = 0.7
CONTAINED = 0.5  # how much a phrasing's words missing from the question count against it
BAG_WEIGHT = 0.8  # words spread over several phrasings of one entry count a little less
COMMON_WEIGHT = 0.15  # an everyday word, relative to the rarest catalogue word
UNKNOWN_WEIGHT = 0.7  # a word the catalogue does not know, likewise
CORRECTED = 0.9  # a typo-corrected word is slightly less sure evidence
TIE_BREAK = 0.02  # at most this much for being about the question throughout
CANDIDATES = 40  # entries rescored in full per question; bounds latency on large catalogues


class Matcher:
    """Built once at start-up from the catalogue; `search` only fills memo caches as it goes."""

    def __init__(
        self, catalogue: Catalogue, lexicon: Lexicon | None = None, policy: Policy | None = None
    ) -> None:
        self.lexicon = lexicon or catalogue.lexicon
        self.policy = policy or Policy()
        self._phrase_cache: dict[str, frozenset[str]] = {}
        self.entries = [self._entry(ref, catalogue) for ref in catalogue.refs()]
        # word -> (entry index, the weight of the entry's best phrasing with that word)
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, entry in enumerate(self.entries):
            for word, weight in entry.vocab.items():
                self.postings[word].append((i, weight))
        n = len(self.entries)
        self.idf = {w: math.log(1 + n / len(ids)) for w, ids in self.postings.items()}
        self.max_idf = math.log(1 + n)
        # Typos are fixed towards catalogue words and the slang the lexicon knows
        # ("kelahran" -> "kelahiran" -> "lahir").
        slang = (key[0] for key in self.lexicon.replace if len(key) == 1)
        self.vocab = sorted({*self.postings, *slang, *self.lexicon.intents})
        self._corrections: dict[str, str | None] = {}
        self._known: dict[str, tuple[tuple[str, ...], float]] = {}

    def _phrases_of(self, ref: str, catalogue: Catalogue) -> list[tuple[str, float]]:
        entry = catalogue.get(ref)
        assert entry is not None
        if ref.startswith("service:"):
            agency = catalogue.agencies[entry.agency]  # type: ignore[union-attr]
            names = [agency.name, *agency.short_names]
            return [(p, 1.0) for p in (entry.name, *entry.words)] + [
                (p, AGENCY_NAME_IN_SERVICE) for p in names
            ]
        if ref.startswith("agency:"):
            names = [entry.name, *entry.short_names]  # type: ignore[union-attr]
            return [(p, 1.0) for p in names] + [(p, AGENCY_TOPIC) for p in entry.words]
        return [(p, 1.0) for p in (entry.name, *entry.words)]

    def _entry(self, ref: str, catalogue: Catalogue) -> _Entry:
        entry = _Entry(ref)
        for text, weight in self._phrases_of(ref, catalogue):
            words = self._phrase_words(text)
            if words:
                entry.phrases.append(_Phrase(words, weight))
                for word in words:
                    entry.vocab[word] = max(weight, entry.vocab.get(word, 0.0))
        entry.own_phrases = sum(1 for p in entry.phrases if p.weight == 1.0) or 1
        return entry

    def _phrase_words(self, text: str) -> frozenset[str]:
        # Cached: every service repeats its agency's names.
        words = self._phrase_cache.get(text)
        if words is None:
            words = frozenset(tokens(text, self.lexicon)) - self.lexicon.intents.keys()
            self._phrase_cache[text] = words
        return words

    def _correct(self, word: str) -> str | None:
        """A catalogue word within typing distance of an unknown word, or None."""
        if word in self._corrections:
            return self._corrections[word]
        fixed = None
        if len(word) >= 4 and not word.isdigit():
            limit = 1 if len(word) < 8 else 2
            # OSA: a swapped pair of letters ("sckc") is one slip, as on a phone keyboard.
            hits = process.extract(
                word, self.vocab, scorer=OSA.distance, score_cutoff=limit, limit=8
            )
            fixed = next((hit for hit, _, _ in hits if self._plausible_fix(word, hit)), None)
        self._corrections[word] = fixed
        return fixed

    @staticmethod
    def _plausible_fix(word: str, hit: str) -> bool:
        """Same first letter; a short word only for a swap ("sckc" is skck, "ban" not bank)."""
        if len(hit) < 4 or hit[0] != word[0]:
            return False
        return len(word) >= 5 or sorted(hit) == sorted(word)

    def _known_form(self, word: str) -> tuple[tuple[str, ...], float]:
        """An unknown word as the catalogue knows it: without affixes, or with a typo fixed.

        'alamatnya' -> 'alamat' -> (slang) 'lokasi'; 'tutupnya' -> 'tutup'; 'perpanjanag' ->
        'perpanjang'. The float says how sure the reading is.
        """
        known = self._known.get(word)
        if known is None:
            readings = (self._as_known(form) for form in affix_variants(word))
            known = next(((forms, 1.0) for forms in readings if forms), None)
            if known is None:
                fixed = self._correct(word)
                known = (self._as_known(fixed), CORRECTED) if fixed else ((word,), 1.0)
            self._known[word] = known
        return known

    def _as_known(self, form: str) -> tuple[str, ...]:
        lex = self.lexicon
        if form in self.idf or form in lex.common or form in lex.intents:
            return (form,)
        if form in lex.stopwords:
            return ("",)  # a filler word in disguise ("bagaimananya"): dropped
        return lex.replace.get((form,), ())

    def _query_words(self, query: str) -> tuple[dict[str, float], dict[str, float], set[str]]:
        """Question words -> (weight in the question, weight as evidence), and its intents."""
        weights: dict[str, float] = {}
        evidence: dict[str, float] = {}
        intents = set()
        for token in tokens(query, self.lexicon):
            forms, sure = (token,), 1.0
            if token not in self.idf and token not in self.lexicon.common:
                forms, sure = self._known_form(token)
            for word in forms:
                if word in self.lexicon.intents:
                    intents.add(self.lexicon.intents[word])
                elif word and word not in self.lexicon.stopwords:
                    weights[word], ev = self._weigh(word)
                    if ev:
                        evidence[word] = ev * sure
        return weights, evidence, intents

    def _weigh(self, word: str) -> tuple[float, float]:
        """(weight in the question, weight as evidence for entries that have the word)."""
        if word in self.lexicon.common or word.isdigit():
            # "tahun", "rumah", "3": weak evidence either way, even where a phrasing has them.
            weight = min(self.idf.get(word, self.max_idf), COMMON_WEIGHT * self.max_idf)
            return weight, weight if word in self.idf else 0.0
        if word in self.idf:
            return self.idf[word], self.idf[word]
        return UNKNOWN_WEIGHT * self.max_idf, 0.0  # an unknown topical word: asked elsewhere

    def _score(
        self, entry: _Entry, q: dict[str, float], ev: dict[str, float], q_mass: float
    ) -> tuple[float, float]:
        """(score, anchor): the best phrasing's score, or all of the entry's words together a
        little less; and the weight of the heaviest own phrasing the question holds whole."""
        best = anchor = 0.0
        for phrase in entry.phrases:
            shared = phrase.words & ev.keys()
            if not shared:
                continue
            explained = phrase.weight * sum(ev[w] for w in shared) / q_mass
            contained = sum(self.idf[w] for w in shared) / sum(self.idf[w] for w in phrase.words)
            best = max(best, explained * (1 - CONTAINED + CONTAINED * contained))
            if shared == phrase.words and phrase.weight == 1.0:
                anchor = max(anchor, sum(ev[w] for w in shared))
        bag = sum(ev[w] * entry.vocab[w] for w in ev if w in entry.vocab) / q_mass
        # Tie-break: an entry most of whose phrasings are about the question's words is more
        # about them ("syarat ktp": the KTP-el services before IKD or the ADM machine).
        about = sum(1 for p in entry.phrases if p.weight == 1.0 and p.words & ev.keys())
        return max(best, BAG_WEIGHT * bag) + TIE_BREAK * about / entry.own_phrases, anchor

    def search(self, query: str, top: int = 5) -> MatchResult:
        q, ev, intents = self._query_words(query)
        scored = self._rank(q, ev)
        if (not scored or scored[0].score < self.policy.none_below) and intents:
            alone = [
                self.lexicon.intent_refs[i]
                for i in sorted(intents)
                if i in self.lexicon.intent_refs
            ]
            if alone and not any(w not in self.lexicon.common for w in q if w not in self.idf):
                return MatchResult(query, "answer", [Match(alone[0], 100.0)], frozenset(intents))
        results = [Match(s.ref, round(100 * min(s.score, 1.0), 1)) for s in scored[:top]]
        return MatchResult(query, self._decide(scored), results, frozenset(intents))

    def _rank(self, q: dict[str, float], ev: dict[str, float]) -> list[_Scored]:
        """Score in full only the entries whose words could explain most of the question.

        An entry's score never exceeds its bag of shared words (+ the tie-break), so ranking
        by that bound first keeps large catalogues fast without changing the top results.
        """
        if not ev:
            return []
        q_mass = sum(q.values())
        bound: dict[int, float] = defaultdict(float)
        for word, weight in ev.items():
            for i, phrase_weight in self.postings.get(word, ()):
                bound[i] += weight * phrase_weight
        likely = heapq.nlargest(CANDIDATES, bound, key=bound.__getitem__)
        found = [
            _Scored(*self._score(self.entries[i], q, ev, q_mass), ref=self.entries[i].ref)
            for i in likely
        ]
        found.sort(key=lambda s: (-s.score, s.ref))
        return found

    def _decide(self, scored: list[_Scored]) -> str:
        p = self.policy
        if not scored:
            return "none"
        if scored[0].score < p.none_below:
            # A long story around a whole known phrasing ("dompet saya hilang isinya ktp..."):
            # too little of it is explained to answer, too much to say we know nothing.
            anchored = any(s.anchor >= p.anchor * self.max_idf for s in scored[:3])
            return "ambiguous" if anchored else "none"
        # A close runner-up means the question does not say which one ("syarat ktp", "bpjs").
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        if scored[0].score >= p.answer_from and scored[0].score - runner_up >= p.margin:
            return "answer"
        return "ambiguous"
