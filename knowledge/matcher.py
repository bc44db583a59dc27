"""Find the catalogue entries a citizen's question is about, and decide how sure we are.

Scoring, per entry: the best of its phrasings (name, citizen words, agency names), each scored by
how much of the question it explains and how much of the phrasing the question contains, both
weighted by word rarity (idf: "stnk" tells more than "syarat"). Words unknown to the catalogue
weigh fully against every entry, so "perpanjang langganan netflix" explains too little to answer.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict

from knowledge.catalogue import Catalogue
from knowledge.conclude import CLOSE, SHORT_UNKNOWN, WHOLE, Concluding
from knowledge.elsewhere import Elsewhere
from knowledge.examples import Neighbours, Votes, neighbours, phrasings
from knowledge.normalize import Lexicon, tokens
from knowledge.reading import WordReader
from knowledge.results import (
    Entry,
    Match,
    MatchResult,
    Phrase,
    Policy,
    Ranked,
    Scored,
)

__all__ = ["Match", "MatchResult", "Matcher", "Policy", "Ranked"]

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
LONG_NUMBER = 4  # digits from this many on weigh nothing
CANDIDATES = 40  # entries rescored in full per question; bounds latency on large catalogues
# How much the nearest example questions' votes add to an entry's score (a full vote of all
# neighbours: this much). Chosen on blind sets the examples did not contain
# (docs/matcher-benchmark.md, fifth pass).
VOTE_WEIGHT = 0.5
NEEDED_WEIGHT = 0.5  # a word naming what the service asked about needs, after "harus", "syarat"
VOTING_WORDS = 2  # telling words a question needs before the examples' votes count
OWN_NUMBER = re.compile(
    r"\b(?:no|nmr|nomor|nomer)?\.?\s*(?:hp|wa|telp|telepon|handphone|whatsapp)\s*"
    r"(?:saya|sy|aku|ku|q)?\s*[:=]?\s*\+?\d[\d\s.\-]{7,}\d",
    re.IGNORECASE,
)


class Matcher(Concluding):
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
        self.index_of = {e.ref: i for i, e in enumerate(self.entries)}
        own = [(e.ref, self._own_names(e.ref, catalogue)) for e in self.entries]
        self.neighbours: Neighbours = neighbours(
            (*catalogue.examples, *phrasings(own)), self.lexicon
        )

    def _own_names(self, ref: str, catalogue: Catalogue) -> list[str]:
        """An entry's own names and words, as examples of it."""
        return [text for text, _, weight in self._kept_phrases(ref, catalogue) if weight == 1.0]

    def _kept_phrases(
        self, ref: str, catalogue: Catalogue
    ) -> list[tuple[str, frozenset[str], float]]:
        """(text, words, weight) of an entry's phrasings, less a service's own phrasing that
        is just its agency's name ("pdam", "bpjs kesehatan"): it would claim every question
        that names the agency, and the agency's card answers those."""
        found = catalogue.get(ref)
        names = self._agency_names(found, catalogue) if ref.startswith("service:") else set()
        kept = []
        for text, weight in self._phrases_of(ref, catalogue):
            words = self._phrase_words(text)
            if not (weight == 1.0 and words and words in names):
                kept.append((text, words, weight))
        return kept

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

    def _entry(self, ref: str, catalogue: Catalogue) -> Entry:
        kind, _, ident = ref.partition(":")
        found = catalogue.get(ref)
        family = {"service": getattr(found, "agency", ""), "agency": ident}.get(kind, "mpp")
        entry = Entry(ref, family=family)
        for _, words, weight in self._kept_phrases(ref, catalogue):
            if not words:
                continue  # "jam buka", "alamat": intents only, an example but no phrasing
            entry.phrases.append(Phrase(words, weight))
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

    def _query_words(
        self, words: list[str]
    ) -> tuple[dict[str, float], dict[str, float], set[str]]:
        """Question words -> (weight in the question, weight as evidence), and its intents."""
        weights: dict[str, float] = {}
        evidence: dict[str, float] = {}
        intents = set()
        for token in words:
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
        self._needed_lighter(words, weights, evidence)
        return weights, evidence, intents

    def _needed_lighter(
        self, words: list[str], weights: dict[str, float], evidence: dict[str, float]
    ) -> None:
        """ "ktp hilang harus bawa surat kehilangan?", "kia syaratnya akte lahir?": after the
        service asked about, a word such as "harus" or "syarat" introduces what it needs. That
        clause names a document, often another service's, not the topic: it weighs less."""
        cut = next((i for i, w in enumerate(words) if w in self.lexicon.needs), None)
        if cut is None or not any(w in self.idf and not self._everyday(w) for w in words[:cut]):
            return
        for word in set(words[cut + 1 :]) - set(words[:cut]):
            if word in weights:
                weights[word] *= NEEDED_WEIGHT
            if word in evidence:
                evidence[word] *= NEEDED_WEIGHT

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
        self, entry: Entry, q: dict[str, float], ev: dict[str, float], q_mass: float
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

    def search_words(self, query: str, top: int = 5) -> MatchResult:
        """Ranked on the words alone: for text the conversation puts together ("pasang
        listrik" + "balik nama"), which no citizen wrote and no example resembles."""
        return self.conclude(self.rank(query, reorder=False), top)

    def rank(self, query: str, reorder: bool = True) -> Ranked:
        """The costly half of a search: the question's words and the entries ranked by them."""
        # "nomor hp sy 0812 3456 7890, mau tanya bpjs": the citizen's own number is no part
        # of the question: not its words ("nomor hp" reads as a phone's SIM card) and not what
        # the examples compare (those asking for a phone number are out of scope).
        asked = OWN_NUMBER.sub(" ", query)
        words = tokens(asked, self.lexicon)
        q, ev, intents = self._query_words(words)
        ruled_out = self.elsewhere.ruled_out(query)
        votes = self.neighbours.votes(asked, self._topic(words)) if ev else Votes({})
        # "stnk", "syarat ktp": on one telling word the nearest examples are the longer
        # questions that contain it ("stnk hilang"); they would choose what the citizen did
        # not, so they do not reorder (the decision still hears them).
        reorder = reorder and len(ev) >= VOTING_WORDS
        weight = VOTE_WEIGHT if reorder else 0.0
        scored = self._voted(self._rank(q, ev, ruled_out), votes, weight, q, ev, ruled_out)
        refs = frozenset(self.entries[i].ref for i in ruled_out)
        return Ranked(query, q, ev, frozenset(intents), scored, refs, votes)

    def _topic(self, words: list[str]) -> str:
        """The question without its asking words ("nib bisa diwakilkan?" -> "nib"), or ""
        when it has none or nothing else."""
        topic = [w for w in words if w not in self.lexicon.asking]
        return " ".join(topic) if 0 < len(topic) < len(words) else ""

    def _voted(
        self,
        scored: list[Scored],
        votes: Votes,
        weight: float,
        q: dict[str, float],
        ev: dict[str, float],
        ruled_out: frozenset[int],
    ) -> list[Scored]:
        """The entries scored on words, each raised by its share of the nearest examples'
        votes; an entry the examples name that the words missed is scored and joins."""
        have = {s.ref for s in scored}
        q_mass = sum(q.values()) or 1.0
        for ref in votes.shares:
            i = self.index_of.get(ref, -1)
            if i >= 0 and ref not in have and i not in ruled_out:
                scored.append(Scored(*self._score(self.entries[i], q, ev, q_mass), ref, i))
        raised = [
            Scored(s.score + weight * votes.of(s.ref), s.anchor, s.ref, s.index, s.score)
            for s in scored
        ]
        raised.sort(key=lambda s: (-s.score, s.index))
        named = self._named_outright(scored)
        if named is not None:
            # "bpjs kesehatan", "taspen": the question is one entry's own name, clear of the
            # rest; examples that name it while asking more ("daftar bpjs kesehatan") do not
            # move it from first place.
            raised = [
                *(s for s in raised if s.ref == named),
                *(s for s in raised if s.ref != named),
            ]
        return raised

    @staticmethod
    def _named_outright(scored: list[Scored]) -> str | None:
        """The entry a phrasing of which is the whole question, well ahead on the words."""
        if not scored:
            return None
        first, *rest = sorted(scored, key=lambda s: (-s.score, s.index))
        second = rest[0].score if rest else 0.0
        return first.ref if first.score >= WHOLE and first.score - second >= CLOSE else None

    def _rank(
        self, q: dict[str, float], ev: dict[str, float], ruled_out: frozenset[int] = frozenset()
    ) -> list[Scored]:
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
            Scored(*self._score(self.entries[i], q, ev, q_mass), self.entries[i].ref, i)
            for i in likely
        ]
        # Equal scores keep the catalogue's order: each agency lists its everyday services
        # first and later additions after them ("syarat ktp": new, lost, changed before the
        # out-of-town printing added later).
        found.sort(key=lambda s: (-s.score, s.index))
        return found
