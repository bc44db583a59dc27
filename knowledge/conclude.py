"""The decision half of a search: answer, menu or "not here", and what a menu offers.

A mixin of knowledge.matcher.Matcher (which supplies the entries, the lexicon, the idf and the
policy): `rank` scores the entries, `conclude` decides, and benchmarks/calibrate.py re-runs only
this half when it fits the decision.
"""

from __future__ import annotations

from knowledge.decide import FEATURES
from knowledge.examples import NONE, Votes
from knowledge.normalize import Lexicon
from knowledge.reading import WordReader
from knowledge.results import SELF_INTENT, Entry, Match, MatchResult, Policy, Ranked, Scored

SEPARATED = 0.15  # a lead this large over the runner-up counts as fully separated
REAL_RIVAL = 0.05  # a runner-up explaining this share of the question alone competes
LONE_UNKNOWN = 0.4  # one word explained, this share unknown: "legalisir ijazah"
TIE = 0.02  # options this close are equal for the question: catalogue order decides
# A score on the words this high: one of the entry's phrasings is in the question whole; CLOSE
# ahead of the next entry, the words have chosen.
WHOLE = 1.0
CLOSE = 0.07  # a lead smaller than this is close to a tie: the question does not choose
SHORT_UNKNOWN = 2  # unknown words this short weigh as everyday words
ONE_WORD_TIE = 2  # fewer telling words than this, and a tie on them is a menu
CLOSE_AT = FEATURES.index("close")
CLOSE_LOOK = 4  # the leader and the next three: how far down a close competitor is looked for

# Which building topic a question of several answers ("jam brp, loketnya tutup?": the hours).
BUILDING_TOPICS = ("hours", "where", "contact")


def _building_first(intent: str) -> tuple[int, str]:
    order = BUILDING_TOPICS.index(intent) if intent in BUILDING_TOPICS else len(BUILDING_TOPICS)
    return (order + (intent == SELF_INTENT), intent)


class Concluding:
    """Decides on a ranked question; the matcher provides the attributes below."""

    entries: list[Entry]
    lexicon: Lexicon
    policy: Policy
    idf: dict[str, float]
    max_idf: float
    reader: WordReader

    def conclude(self, ranked: Ranked, top: int = 5) -> MatchResult:
        """The cheap half: answer, menu or nothing (benchmarks/calibrate.py re-runs only this)."""
        query, q, ev, intents, scored, ruled_out, votes = ranked
        asked = frozenset(intents - {SELF_INTENT})
        about_mpp = SELF_INTENT in intents and not ev
        # Asked before and out of scope ("fotokopi di dekat mpp brp selembar?"): no building
        # card, whatever its words; _as_before below says not here.
        building = intents and votes.same != ()
        if building and SELF_INTENT not in intents and len(q) > 1 and votes.mostly_none():
            # "jam buka pasar besar": the hours of a place the examples say is not here (the
            # MPP named, "mpp deket alun alun?", is the building whatever else is named; one
            # word beside the intent, "besok buka?", names no other place).
            building = False
        if building and (about_mpp or all(self._everyday(w) for w in q)):
            # Only an intent and everyday words ("dimana?", "sabtu buka ga", "apa itu mpp"), or
            # the MPP named beside nothing the catalogue knows ("mpp buka sampe jam brp"): a
            # question about the building itself.
            named = self._building_named(scored, intents, ev, votes)
            if named is not None:
                return MatchResult(query, "answer", [Match(named.ref, 100.0)], asked)
            refs = self.lexicon.intent_refs
            alone = [
                refs[i]
                for i in sorted(intents, key=_building_first)
                if i in refs and refs[i] not in ruled_out
            ]
            if alone:
                return MatchResult(query, "answer", [Match(alone[0], 100.0)], asked)
        x = self.features(scored, q, ev, votes) if scored else ()
        status = self._decide(x) if scored else "none"
        hours = self.lexicon.intent_refs.get("hours", "")
        # The MPP named makes the hours sure, unless the examples say it is asked elsewhere
        # ("kartu telkomsel keblokir, bisa dibukain di mpp?").
        sure = status != "none" or (SELF_INTENT in intents and not votes.mostly_none())
        if sure and hours not in ruled_out and self._hours_asked(scored, intents, votes):
            # "jam berapa mpp tutup? saya naik angkot dari bumiaji": the building is asked its
            # hours; the trip is the reason why.
            return MatchResult(query, "answer", [Match(hours, 100.0)], asked)
        if votes.same is not None and scored:
            # Asked before: an example is this very question, and says what answers it.
            status, scored = self._as_before(votes.same, scored, status)
        # ... or several things ("bpjs": health or employment): those are the menu.
        listed = [s for s in scored if s.ref in (votes.same or ())][: self.policy.max_options]
        if status == "answer" and x[CLOSE_AT] and len(ev) < ONE_WORD_TIE and not votes.same:
            # "stnk", "syarat skck": one telling word that two entries share is the choice the
            # citizen has not made yet.
            status = "ambiguous"
        if status == "answer" and x[CLOSE_AT]:
            # All but tied: answer what the menu would list first (catalogue order: the
            # everyday service before the rarer one), the others beside it.
            scored = self._everyday_first(scored)
        shown = self._menu(scored, ev) if status == "ambiguous" else scored[:top]
        if status == "ambiguous" and len(listed) > 1:
            shown = listed
        if status == "ambiguous" and not self._choice(shown) and self._telling(shown[0].index, ev):
            # A menu of the leader alone (or beside its own agency, whose card lists it) asks
            # nothing when the leader has telling words: on the tuning sets it was right 9
            # times in 10. On everyday words alone ("anak") the one-option menu stays.
            status, shown = "answer", scored[:top]
        # Shown and compared (follow-ups) as how well the words fit, 0-100: the votes order
        # the entries, they do not make a word fit better.
        results = [Match(s.ref, round(100 * min(s.on_words, 1.0), 1)) for s in shown]
        others = self._alternatives(scored, ev) if status == "answer" and x[CLOSE_AT] else ()
        return MatchResult(query, status, results, asked, ruled_out, others)

    def _hours_asked(self, scored: list[Scored], intents: frozenset[str], votes: Votes) -> bool:
        """The hours asked, and the leader the way there, the hours card or a room of the
        building, which the question does not name whole ("ruang laktasi buka jam berapa" is
        the room's card) or names beside the MPP. The queue and the contact cards answer
        their own questions ("antrian jam brp habis?", "antri 3 jam, ngadu kemana")."""
        refs = self.lexicon.intent_refs
        lead = scored[0] if scored else None
        if lead is None or "hours" not in intents or "hours" not in refs:
            return False
        rooms = (refs.get("where"), refs.get("hours"))
        if lead.ref not in rooms and not lead.ref.startswith("facility:"):
            return False
        if lead.ref.startswith("facility:") and votes.of(lead.ref) > votes.of(refs["hours"]):
            # "is there a nursing room? she feeds every two hours": the examples say the room.
            return False
        return lead.on_words < WHOLE or SELF_INTENT in intents

    def _building_named(
        self, scored: list[Scored], intents: frozenset[str], ev: dict[str, float], votes: Votes
    ) -> Scored | None:
        """A building entry the question names by one of its own phrasings ("mpp di dalam
        balai kota ya?", "bingung ke loket mana, tanya di mana?"), or the one the words beside
        "mpp" all point to ("mpp deket alun alun ya?"): it answers better than the topic the
        intent alone would pick (the agency list, the location)."""
        lead = scored[0] if scored else None
        if lead is None or self.entries[lead.index].family != SELF_INTENT:
            return None
        if lead.on_words >= WHOLE or votes.same == (lead.ref,):
            return lead
        vocab = self.entries[lead.index].vocab
        return lead if intents == {SELF_INTENT} and ev and ev.keys() <= vocab.keys() else None

    def features(
        self, scored: list[Scored], q: dict[str, float], ev: dict[str, float], votes: Votes
    ) -> tuple[float, ...]:
        """The leader against the runner-up, as knowledge/decide.py's FEATURES lists them."""
        lead = scored[0]
        # A service's own agency is no rival: its card lists that very service.
        own = f"agency:{self.entries[lead.index].family}"
        rival = next((s for s in scored[1:] if s.ref != own), Scored(0.0, 0.0, "", lead.index))
        q_mass = sum(q.values()) or 1.0
        mine = ev.keys() & self.entries[lead.index].vocab.keys()
        theirs = ev.keys() & self.entries[rival.index].vocab.keys() if rival.ref else set()
        # Not capped at 1: a whole phrasing found (1.0) and the examples' votes on top of it
        # is surer than the phrasing alone.
        top, second = lead.score, rival.score
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
            float(self._close(scored, ev, q_mass)),
            float(mine == theirs),
            float(bool(rival.ref) and "agency:" in lead.ref + rival.ref),
            float(len(mine) == 1 and unknown / q_mass >= LONE_UNKNOWN),
            votes.of(lead.ref),
            votes.of(NONE),
            votes.closest(lead.ref),
        )

    def _close(self, scored: list[Scored], ev: dict[str, float], q_mass: float) -> bool:
        """A real competitor among the next few is within CLOSE of the leader on the words:
        the question does not choose. Not only the runner-up: the examples' votes can put a
        third entry second ("dompet ilang isinya sim sama ktp": the police letter), while
        the lost KTP, close on the words, is the real choice."""
        lead = scored[0]
        own = f"agency:{self.entries[lead.index].family}"
        mine = ev.keys() & self.entries[lead.index].vocab.keys()
        for other in scored[1:CLOSE_LOOK]:
            if other.ref == own or lead.on_words - other.on_words >= CLOSE:
                continue
            theirs = ev.keys() & self.entries[other.index].vocab.keys()
            related = self._related(lead.index, other.index)
            if related or sum(ev[w] for w in theirs - mine) / q_mass >= REAL_RIVAL:
                return True
        return False

    @staticmethod
    def _as_before(
        same: tuple[str, ...], scored: list[Scored], status: str
    ) -> tuple[str, list[Scored]]:
        """The example's answer: not here when it was out of scope, its one entry when it
        names one (a ruled-out entry stays out), a choice when it names several."""
        if not same:
            return "none", scored
        if len(same) > 1:
            return "ambiguous", scored
        known = [s for s in scored if s.ref == same[0]]
        if not known:
            return status, scored
        return "answer", [*known, *(s for s in scored if s.ref != same[0])]

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
        # Two entries this close are a real choice ("syarat skck": new or renewal?): a menu,
        # or, when the leader is surer than close_right, the leader with the other beside it.
        right = self.policy.leader_right
        if x[CLOSE_AT]:
            sure = right.probability(x) >= self.policy.close_right
            return "answer" if sure else "ambiguous"
        return "answer" if right.holds(x) else "ambiguous"

    def _alternatives(self, scored: list[Scored], ev: dict[str, float]) -> tuple[str, ...]:
        """What the menu would have offered beside the leader, within CLOSE of it on the words
        (whatever the examples' votes added): the leader
        is answered, and these one tap away ("syarat skck": SKCK baru, and "perpanjang?")."""
        lead = scored[0]
        own = f"agency:{self.entries[lead.index].family}"
        menu = self._menu(scored, ev)
        return tuple(
            s.ref
            for s in menu
            if s.ref not in (lead.ref, own) and s.on_words >= lead.on_words - CLOSE
        )[: self.policy.max_options - 1]

    def _menu(self, scored: list[Scored], ev: dict[str, float]) -> list[Scored]:
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
            key=lambda s: (
                s.on_words < lead.on_words - CLOSE,
                not self._related(lead.index, s.index),
            )
        )
        return [lead, *others][: p.max_options]

    def _everyday_first(self, scored: list[Scored]) -> list[Scored]:
        """Options the question scores all but equally ("stnk": yearly tax, lost card, change
        of address...) in catalogue order, where each agency lists what people need most.
        Across agencies the file order means nothing: the better-scoring agency goes first."""
        lead = scored[0]
        tied = [s for s in scored[:5] if s.score >= lead.score - TIE]
        best: dict[str, float] = {}
        for s in tied:
            family = self.entries[s.index].family
            best[family] = max(best.get(family, 0.0), s.score)

        def order(s: Scored) -> tuple[float, str, int]:
            family = self.entries[s.index].family
            return (-best[family], family, s.index)

        return sorted(tied, key=order) + scored[len(tied) :]

    def _choice(self, menu: list[Scored]) -> bool:
        """Whether a menu offers a real choice: an option besides the leader and its agency."""
        own = f"agency:{self.entries[menu[0].index].family}"
        return any(s.ref != own for s in menu[1:])

    def _telling(self, index: int, ev: dict[str, float]) -> bool:
        vocab = self.entries[index].vocab
        shared = sum(v for w, v in ev.items() if w in vocab and w not in self.lexicon.common)
        return shared >= self.policy.menu_evidence * self.max_idf
