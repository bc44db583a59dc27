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
from typing import NamedTuple

from knowledge.catalogue import Catalogue
from knowledge.decide import FEATURES, IN_SCOPE, LEADER_RIGHT, Rule
from knowledge.elsewhere import Elsewhere
from knowledge.normalize import Lexicon, tokens
from knowledge.reading import WordReader

# The intent of a question about the MPP itself ("apa itu mpp", "where is the public service
# mall"): it answers only when nothing else in the question does, and never leads a card.
SELF_INTENT = "mpp"


@dataclass(frozen=True)
class Policy:
    """The decision: two rules fitted by benchmarks/calibrate.py (see knowledge/decide.py)."""

    in_scope: Rule = IN_SCOPE  # below: nothing in the catalogue fits
    leader_right: Rule = LEADER_RIGHT  # at least: answer the leader directly
    max_options: int = 3  # a menu longer than this is a list, not a question
    menu_share: float = 0.5  # an option scores at least this share of the leader's score
    menu_evidence: float = 0.4  # ... and shares this much telling evidence (x the rarest word)


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
    family: str = ""  # its agency (a service's or the agency itself); "mpp" for the building


@dataclass(frozen=True)
class _Scored:
    score: float
    anchor: float  # weight of a whole own phrasing found in the question
    ref: str
    index: int = 0  # into Matcher.entries


class Ranked(NamedTuple):
    """A question read and ranked, before the decision."""

    query: str
    weights: dict[str, float]
    evidence: dict[str, float]
    intents: frozenset[str]
    scored: list[_Scored]


# Weights of the phrasings, relative to an entry's own name and citizen words: an agency's
# names say less about one of its services, and an agency's topic words say less about the
# agency than about the service that owns the topic ("jht" is a claim, not the whole BPJS TK).
AGENCY_NAME_IN_SERVICE = 0.75
AGENCY_TOPIC = 0.7
CONTAINED = 0.5  # how much a phrasing's words missing from the question count against it
BAG_WEIGHT = 0.8  # words spread over several phrasings of one entry count a little less
COMMON_WEIGHT = 0.15  # an everyday word, relative to the rarest catalogue word
UNKNOWN_WEIGHT = 0.7  # a word the catalogue does not know, likewise
TIE_BREAK = 0.02  # at most this much for being about the question throughout
SEPARATED = 0.15  # a lead this large over the runner-up counts as fully separated
REAL_RIVAL = 0.05  # a runner-up explaining this share of the question alone competes
LONE_UNKNOWN = 0.4  # one word explained, this share unknown: "legalisir ijazah"
TIE = 0.02  # options this close are equal for the question: catalogue order decides
CLOSE = 0.07  # a lead smaller than this is close to a tie: the question does not choose
LONG_NUMBER = 4  # digits from this many on weigh nothing
SHORT_UNKNOWN = 2  # unknown words this short weigh as everyday words
CANDIDATES = 40  # entries rescored in full per question; bounds latency on large catalogues


# Which building topic a question of several answers ("jam brp, loketnya tutup?": the hours).
BUILDING_TOPICS = ("hours", "where", "contact")


def _building_first(intent: str) -> tuple[int, str]:
    order = BUILDING_TOPICS.index(intent) if intent in BUILDING_TOPICS else len(BUILDING_TOPICS)
    return (order + (intent == SELF_INTENT), intent)


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
        self.reader = WordReader(self.lexicon, self.idf, self.postings)
        self.elsewhere = Elsewhere(catalogue, self.lexicon, [e.ref for e in self.entries])

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
        kind, _, ident = ref.partition(":")
        found = catalogue.get(ref)
        family = {"service": getattr(found, "agency", ""), "agency": ident}.get(kind, "mpp")
        entry = _Entry(ref, family=family)
        names = self._agency_names(found, catalogue) if kind == "service" else set()
        for text, weight in self._phrases_of(ref, catalogue):
            words = self._phrase_words(text)
            # A service's phrasing that is just its agency's name ("pdam") would claim every
            # question that names the agency; the agency's card answers those.
            if words and not (weight == 1.0 and words in names):
                entry.phrases.append(_Phrase(words, weight))
                for word in words:
                    entry.vocab[word] = max(weight, entry.vocab.get(word, 0.0))
        entry.own_phrases = sum(1 for p in entry.phrases if p.weight == 1.0) or 1
        return entry

    def _agency_names(self, service: object, catalogue: Catalogue) -> set[frozenset[str]]:
        agency = catalogue.agencies[service.agency]  # type: ignore[attr-defined]
        return {frozenset(self._phrase_words(n)) for n in (agency.name, *agency.short_names)}

    def _phrase_words(self, text: str) -> frozenset[str]:
        # Cached: every service repeats its agency's names.
        words = self._phrase_cache.get(text)
        if words is None:
            words = frozenset(tokens(text, self.lexicon)) - self.lexicon.intents.keys()
            self._phrase_cache[text] = words
        return words

    def _query_words(self, query: str) -> tuple[dict[str, float], dict[str, float], set[str]]:
        """Question words -> (weight in the question, weight as evidence), and its intents."""
        weights: dict[str, float] = {}
        evidence: dict[str, float] = {}
        intents = set()
        for token in tokens(query, self.lexicon):
            forms, sure = (token,), 1.0
            if token not in self.idf and token not in self.lexicon.common:
                forms, sure = self.reader.known_form(token)
            for word in forms:
                if word in self.lexicon.intents:
                    intents.add(self.lexicon.intents[word])
                elif word and word not in self.lexicon.stopwords:
                    weights[word], ev = self._weigh(word)
                    if ev:
                        evidence[word] = ev * sure
        self.reader.expand(weights, evidence, self._weigh)
        return weights, evidence, intents

    def _weigh(self, word: str) -> tuple[float, float]:
        """(weight in the question, weight as evidence for entries that have the word)."""
        if word.isdigit() and len(word) >= LONG_NUMBER:
            return 0.0, 0.0  # a phone number, a NIK, a year: not what the question is about
        if self._everyday(word) or (word not in self.idf and self.reader.verb_shaped(word)):
            # "tahun", "rumah", "3": weak evidence either way, even where a phrasing has them.
            weight = min(self.idf.get(word, self.max_idf), COMMON_WEIGHT * self.max_idf)
            return weight, weight if word in self.idf else 0.0
        if word in self.idf:
            return self.idf[word], self.idf[word]
        if len(word) <= SHORT_UNKNOWN:
            # "N", "AB" of a number plate, an initial: too short to be a topic asked elsewhere.
            return COMMON_WEIGHT * self.max_idf, 0.0
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
        return self.conclude(self.rank(query), top)

    def rank(self, query: str) -> Ranked:
        """The costly half of a search: the question's words and the entries ranked by them."""
        q, ev, intents = self._query_words(query)
        ruled_out = self.elsewhere.ruled_out(query)
        return Ranked(query, q, ev, frozenset(intents), self._rank(q, ev, ruled_out))

    def conclude(self, ranked: Ranked, top: int = 5) -> MatchResult:
        """The cheap half: answer, menu or nothing (benchmarks/calibrate.py re-runs only this)."""
        query, q, ev, intents, scored = ranked
        asked = frozenset(intents - {SELF_INTENT})
        about_mpp = SELF_INTENT in intents and not ev
        if intents and (about_mpp or all(self._everyday(w) for w in q)):
            # Only an intent and everyday words ("dimana?", "sabtu buka ga", "apa itu mpp"), or
            # the MPP named beside nothing the catalogue knows ("mpp buka sampe jam brp"): a
            # question about the building itself.
            refs = self.lexicon.intent_refs
            alone = [refs[i] for i in sorted(intents, key=_building_first) if i in refs]
            if alone:
                return MatchResult(query, "answer", [Match(alone[0], 100.0)], asked)
        status = self._decide(self.features(scored, q, ev)) if scored else "none"
        shown = self._menu(scored, ev) if status == "ambiguous" else scored[:top]
        if status == "ambiguous" and not self._choice(shown) and self._telling(shown[0].index, ev):
            # A menu of the leader alone (or beside its own agency, whose card lists it) asks
            # nothing when the leader has telling words: on the tuning sets it was right 9
            # times in 10. On everyday words alone ("anak") the one-option menu stays.
            status, shown = "answer", scored[:top]
        results = [Match(s.ref, round(100 * min(s.score, 1.0), 1)) for s in shown]
        return MatchResult(query, status, results, asked)

    def _rank(
        self, q: dict[str, float], ev: dict[str, float], ruled_out: frozenset[int] = frozenset()
    ) -> list[_Scored]:
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
                if i not in ruled_out:
                    bound[i] += weight * phrase_weight
        likely = heapq.nlargest(CANDIDATES, bound, key=bound.__getitem__)
        found = [
            _Scored(*self._score(self.entries[i], q, ev, q_mass), self.entries[i].ref, i)
            for i in likely
        ]
        # Equal scores keep the catalogue's order: each agency lists its everyday services
        # first and later additions after them ("syarat ktp": new, lost, changed before the
        # out-of-town printing added later).
        found.sort(key=lambda s: (-s.score, s.index))
        return found

    def features(
        self, scored: list[_Scored], q: dict[str, float], ev: dict[str, float]
    ) -> tuple[float, ...]:
        """The leader against the runner-up, as knowledge/decide.py's FEATURES lists them."""
        lead = scored[0]
        # A service's own agency is no rival: its card lists that very service.
        own = f"agency:{self.entries[lead.index].family}"
        rival = next((s for s in scored[1:] if s.ref != own), _Scored(0.0, 0.0, "", lead.index))
        q_mass = sum(q.values()) or 1.0
        mine = ev.keys() & self.entries[lead.index].vocab.keys()
        theirs = ev.keys() & self.entries[rival.index].vocab.keys() if rival.ref else set()
        top, second = min(lead.score, 1.0), min(rival.score, 1.0)
        unknown = sum(v for w, v in q.items() if self._unknown_topic(w))
        ratio = second / top if top else 0.0
        related = bool(rival.ref) and self._related(lead.index, rival.index)
        rival_only = sum(ev[w] for w in theirs - mine) / q_mass
        # A real competitor is a sibling or explains something the leader does not.
        real = related or rival_only >= REAL_RIVAL
        return (
            top,
            min(top - second, SEPARATED) / SEPARATED,
            ratio if real else 0.0,
            0.0 if real else ratio,
            rival_only,
            sum(ev[w] for w in mine - theirs) / q_mass,
            float(related),
            unknown / q_mass,
            min(sum(ev[w] for w in mine) / self.max_idf, 2.0) / 2,
            float(lead.anchor >= self.max_idf),
            float(real and top - second < CLOSE),
            float(mine == theirs),
            float(bool(rival.ref) and "agency:" in lead.ref + rival.ref),
            float(len(mine) == 1 and unknown / q_mass >= LONE_UNKNOWN),
        )

    def _unknown_topic(self, word: str) -> bool:
        """A word the catalogue does not know and that _weigh counts as a topic (numbers and
        one- or two-letter tokens weigh as everyday words, so they are no unknown topic)."""
        known = word in self.idf or word in self.lexicon.common or self.reader.verb_shaped(word)
        return not known and not word.isdigit() and len(word) > SHORT_UNKNOWN

    def _everyday(self, word: str) -> bool:
        """Not about any service: a common word or a number ("tanggal 25 desember buka?")."""
        return word in self.lexicon.common or word.isdigit()

    def _related(self, a: int, b: int) -> bool:
        return self.entries[a].family == self.entries[b].family

    def _decide(self, x: tuple[float, ...]) -> str:
        # One word explained beside as much the catalogue does not know ("legalisir ijazah",
        # "jadwal kereta", "servis hp"): on the tuning sets such a question was out of scope
        # 77 times in 79, and the unknown word is the very thing asked about.
        if x[FEATURES.index("lone")] or not self.policy.in_scope.holds(x):
            return "none"
        # Two entries this close are a real choice ("syarat skck": new or renewal?), however
        # sure each looks: the citizen picks.
        if x[FEATURES.index("close")]:
            return "ambiguous"
        return "answer" if self.policy.leader_right.holds(x) else "ambiguous"

    def _menu(self, scored: list[_Scored], ev: dict[str, float]) -> list[_Scored]:
        """The leader, then runners-up that say something of the question, siblings first.

        An option that shares only everyday words with the question ("kerja", "baru") is
        noise: the citizen would read it as the assistant not listening.
        """
        p = self.policy
        scored = self._everyday_first(scored)
        lead = scored[0]
        others = [
            s
            for s in scored[1:5]
            if s.score >= p.menu_share * lead.score and self._telling(s.index, ev)
        ]
        # What ties with the leader first ("bpjs": health or employment), then its siblings.
        others.sort(
            key=lambda s: (s.score < lead.score - CLOSE, not self._related(lead.index, s.index))
        )
        return [lead, *others][: p.max_options]

    def _everyday_first(self, scored: list[_Scored]) -> list[_Scored]:
        """Options the question scores all but equally ("stnk": yearly tax, lost card, change
        of address...) in catalogue order, where each agency lists what people need most.
        Across agencies the file order means nothing: the better-scoring agency goes first."""
        lead = scored[0]
        tied = [s for s in scored[:5] if s.score >= lead.score - TIE]
        best: dict[str, float] = {}
        for s in tied:
            family = self.entries[s.index].family
            best[family] = max(best.get(family, 0.0), s.score)

        def order(s: _Scored) -> tuple[float, str, int]:
            family = self.entries[s.index].family
            return (-best[family], family, s.index)

        return sorted(tied, key=order) + scored[len(tied) :]

    def _choice(self, menu: list[_Scored]) -> bool:
        """Whether a menu offers a real choice: an option besides the leader and its agency."""
        own = f"agency:{self.entries[menu[0].index].family}"
        return any(s.ref != own for s in menu[1:])

    def _telling(self, index: int, ev: dict[str, float]) -> bool:
        vocab = self.entries[index].vocab
        shared = sum(v for w, v in ev.items() if w in vocab and w not in self.lexicon.common)
        return shared >= self.policy.menu_evidence * self.max_idf
