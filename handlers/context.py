"""Follow-ups in context: "biayanya berapa?", "kalau hilang?", "2" after the last answer.

The matcher stays a pure function of the text; this layer reads the message as a follow-up and
applies it to the chat's context (the last topic and the choices offered). A question that the
matcher answers clearly by its own words is a new topic: context never overrides it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from handlers.followup import FollowUpReader, Reading, words
from handlers.info import BROWSE_LABEL, BROWSE_REF
from handlers.types import Choice, Reply, say
from knowledge.catalogue import Catalogue
from knowledge.matcher import Match, Matcher, MatchResult
from knowledge.normalize import affix_variants, tokens
from state.context import Context

KEEP = "<keep>"  # a turn that leaves the context as it was (small talk, a hint)
# Words that say which variant of a service, not which service: dropped from a topic's subject
# so that "ktp baru" + "kalau hilang?" asks about "ktp hilang".
VARIANT_WORDS = words(
    "baru hilang rusak perpanjang ganti ubah buat urus daftar cetak ulang tahunan 5 tahun 5thn "
    "anak "
    "bayi mobil motor pemula rekam perekaman penerbitan pembuatan pengesahan habis mati berlaku "
    "cek info informasi syarat biaya balik nama"
)
TOPIC_HOLDS = 5.0  # the topic this close (0-100) behind a sibling still answers a follow-up
NAMING_IDF = 2.4  # a word this rare names an object ("pajak" 2.5); "lapor", "bayar" do not
LONG_STORY = 5  # known words from this many on: a question of its own, not a follow-up
# A sibling found with the context's words is answered when it scores at least this (0-100) and
# this much ahead of the next; our own figures, not the matcher's policy, which may change.
SIBLING_SCORE = 55.0
# Buttons that open a page, not a catalogue entry: shown again with their own label.
PAGE_LABELS = {BROWSE_REF: BROWSE_LABEL}
SIBLING_MARGIN = 10.0
NO_MENU = (
    "Angka saja belum bisa saya jawab: saat ini tidak ada pilihan bernomor yang ditampilkan.",
    "Silakan ketik pertanyaan Anda, misalnya: syarat perpanjang STNK, atau jam buka.",
)


@dataclass(frozen=True)
class Turn:
    """A reply and what the chat is about after it: a ref, None (no topic), or KEEP."""

    reply: Reply
    topic: str | None = None


class FollowUps:
    """Applies a message to a context; built once with the matcher it asks."""

    def __init__(self, catalogue: Catalogue, matcher: Matcher) -> None:
        self.catalogue = catalogue
        self.matcher = matcher
        self.reader = FollowUpReader(matcher.lexicon)
        # Words that name an agency ("bpjs", "samsat", "pdam") -> the agencies they name.
        self.agency_words: dict[str, set[str]] = {}
        for agency in catalogue.agencies.values():
            for name in agency.short_names:
                for word in tokens(name, matcher.lexicon):
                    self.agency_words.setdefault(word, set()).add(agency.id)

    def menu_again(self, context: Context, *lines: str) -> Reply:
        return say(*lines, choices=[self.choice(p) for p in context.choices])

    def choice(self, payload: str) -> Choice:
        """A button for a stored payload, labelled from the catalogue as it is now."""
        ref = payload.removeprefix("detail:")
        entry = self.catalogue.get(ref)
        label = entry.name if entry else PAGE_LABELS.get(ref, ref)
        return Choice(f"Detail: {label}" if payload != ref else label, payload)

    def pick(self, number: int, context: Context) -> str | Reply:
        """The payload a typed number picks, or the reply saying why it picks nothing."""
        count = len(context.choices)
        if not count:
            return say(*NO_MENU)
        if number == -1:
            number = count
        if 1 <= number <= count:
            return context.choices[number - 1]
        numbers = "nomor 1" if count == 1 else f"nomor 1-{count}"
        return self.menu_again(
            context, f"Silakan pilih {numbers} dari pilihan ini, atau ketik pertanyaan Anda."
        )

    def read(self, text: str) -> Reading:
        """The message's parts asked for, and its words the catalogue knows ("cairnya" and
        "prosesnya" name nothing, so "berapa hari cairnya" only asks for a duration)."""
        reading = self.reader.read(text)
        lexicon = self.matcher.lexicon
        forms = {w: self._known(w) for w in reading.content}
        # As the catalogue spells them: "pensiunnya" is "pensiun", which a topic's subject and
        # another entry's name are compared with.
        known = tuple(dict.fromkeys(f for f in forms.values() if f))
        unknown = tuple(
            w
            for w, form in forms.items()
            if not form and w not in lexicon.common and len(w) > 2 and not w.isdigit()
        )
        return Reading(reading.attributes, known, reading.names_mpp, unknown)

    def _known(self, word: str) -> str:
        """The word's form the catalogue knows ("pensiunnya" -> "pensiun"), or ""."""
        return next((f for f in (word, *affix_variants(word)) if f in self.matcher.idf), "")

    def modified(
        self, context: Context, reading: Reading, plain: MatchResult | None = None
    ) -> MatchResult | None:
        """'kalau hilang?' after KTP baru: the sibling the context and the new words point to.

        With `plain` (the question read alone), only when the context makes it surer: "syarat
        skck" after SIM baru is a question of its own."""
        if not context.topic:
            return self._among_choices(context, reading)
        if reading.unknown and not reading.attributes:
            # "ganti nama di ijazah" after PLN: the diploma is what it is about, and the
            # catalogue does not know it; its known words must not bend it to the topic.
            return None
        subject = self.subject(context.topic)
        if not subject:
            return None
        combined = self.matcher.search_words(" ".join((*subject, *reading.content)))
        if combined.status == "none":
            return None
        kept = self._kept_topic(combined, context.topic, reading)
        if kept is not None:
            same = self._same_topic(kept, subject, reading)
            # "bpjs" or a whole new story after SKCK: read alone it finds entries at least as
            # well as with the topic, and not the topic: a question of its own.
            if same and self._surer_alone(plain, same, context.topic, reading):
                return None
            return same
        sibling = self._sibling(combined, context.topic, reading)
        others = [m.score for m in sibling.results if m.ref != context.topic]
        # Read alone it finds something at least as well: a question of its own. Not when
        # alone it finds nothing sure ("untuk anak?" after KTP baru: the KIA, not "not found").
        alone = plain is not None and plain.status != "none" and plain.results
        if alone and others and others[0] <= plain.results[0].score:
            return None
        return sibling

    def _surer_alone(
        self, plain: MatchResult | None, combined: MatchResult, topic: str, reading: Reading
    ) -> bool:
        """Read alone, the message finds something at least as well as with the topic, and
        names another agency ("bpjs" after SKCK) or tells a story of its own (LONG_STORY
        words: "dompet ilang isinya ktp sim atm"); "kalau telat dendanya?" stays a follow-up."""
        if not plain or not plain.results or topic in {m.ref for m in plain.results}:
            return False
        lead = plain.results[0]
        other_agency = (
            lead.ref.startswith("agency:") and lead.ref != f"agency:{self.agency_of(topic)}"
        )
        own_story = len(reading.content) >= LONG_STORY
        return (other_agency or own_story) and lead.score >= combined.results[0].score

    def _kept_topic(
        self, combined: MatchResult, topic: str, reading: Reading
    ) -> MatchResult | None:
        """The search with the topic first when the topic still answers the follow-up."""
        if combined.best == topic:
            return combined
        if combined.status != "answer" and topic not in {m.ref for m in combined.results}:
            # "kalau mobil?" after a vehicle's change of owner: the subject left after its
            # variant words ("kendaraan") is too thin; the topic's whole name decides.
            named = self.matcher.search_words(
                " ".join((*self._name_words(topic), *reading.content))
            )
            return named if named.best == topic else None
        if self._topic_holds(combined, topic, reading):
            # "kalau mobil?" after STNK tahunan: the lost-STNK card is barely ahead and is
            # no more about cars than the topic; the topic answers for the car too.
            ahead = [m for m in combined.results if m.ref == topic]
            rest = [m for m in combined.results if m.ref != topic]
            return MatchResult(combined.query, combined.status, ahead + rest, combined.intents)
        return None

    def _same_topic(
        self, combined: MatchResult, subject: tuple[str, ...], reading: Reading
    ) -> MatchResult | None:
        """ "kalau mobil?" after STNK tahunan: the topic covers it, so it answers again. Not
        when the words add nothing ("ok sip") or only repeat the subject ("syarat sim" after
        SIM baru asks about SIMs in general)."""
        # Words the catalogue knows at all; alone they may be too vague to answer ("mobil").
        alone = self.matcher.search_words(" ".join(reading.content))
        if not alone.results:
            return None
        if self._names_something(reading.content):
            # "skck" after the lactation room: the new words clearly name another entry, and
            # the topic is not even among their matches: a new question.
            if alone.status == "answer" and combined.best not in {m.ref for m in alone.results}:
                return None
            # "skck" after the lactation room, "kalau kk?" after a new KTP: the new words name
            # entries of their own (even if several, of one agency), none of them the topic: a
            # new question too. Not "bisa dicicil?" after BPJS arrears: its matches (THR,
            # BPHTB) share a word, not an object, so it asks about the topic.
            topic_among = any(m.ref == combined.best for m in alone.results)
            agencies = {self.agency_of(m.ref) for m in alone.results}
            if not topic_among and (alone.status == "answer" or len(agencies) == 1):
                return None
            if not topic_among and self._foreign(reading.content, combined.best or ""):
                # "hotel murah di batu" after NPWP: the hotel is nothing the topic knows of;
                # "murah" asks the hotels' price, not the NPWP's fee.
                return None
        if combined.status == "answer" or set(reading.content) - set(subject):
            return MatchResult(combined.query, "answer", combined.results, combined.intents)
        return None

    def _foreign(self, content: tuple[str, ...], ref: str) -> bool:
        """A naming word of the message that the entry's own words never use."""
        index = self.matcher.index_of.get(ref)
        vocab = self.matcher.entries[index].vocab if index is not None else {}
        return any(self.matcher.idf.get(w, 0.0) >= NAMING_IDF and w not in vocab for w in content)

    def _names_something(self, content: tuple[str, ...]) -> bool:
        """Whether the words name an object of their own: "skck" does, "lapor", "ganti" or
        "daftar" (in dozens of entries) only say what to do with the topic."""
        return any(self.matcher.idf.get(w, 0.0) >= NAMING_IDF for w in content)

    def _sibling(self, combined: MatchResult, topic: str, reading: Reading) -> MatchResult:
        """The best entry other than the topic, answered when `_decided`, else the menu.

        A sibling of the topic's agency named for the new words comes first: "kalau cerai?"
        after a marriage certificate is the divorce certificate, not the second copy of any
        certificate that merely lists divorce among its words."""
        others = [m for m in combined.results if m.ref != topic]
        home = self.agency_of(topic)
        named = [
            m
            for m in others
            if self.agency_of(m.ref) == home and set(reading.content) <= self._name_words(m.ref)
        ]
        if named and reading.content:
            others = [named[0], *(m for m in others if m is not named[0])]
            return MatchResult(combined.query, "answer", others, combined.intents)
        if self._decided(others, topic):
            return MatchResult(combined.query, "answer", others, combined.intents)
        return MatchResult(combined.query, "ambiguous", combined.results, combined.intents)

    def _topic_holds(self, combined: MatchResult, topic: str, reading: Reading) -> bool:
        """The topic all but ties the leader, and the leader is not named for the new words."""
        scores = {m.ref: m.score for m in combined.results}
        lead = combined.results[0]
        return (
            topic in scores
            and scores[topic] >= lead.score - TOPIC_HOLDS
            and not set(reading.content) <= self._name_words(lead.ref)
        )

    def _name_words(self, ref: str) -> set[str]:
        entry = self.catalogue.get(ref)
        return set(tokens(getattr(entry, "name", ""), self.matcher.lexicon))

    def _decided(self, others: list[Match], topic: str) -> bool:
        """Clearly ahead, or the topic's agency's own service just ahead of another agency's
        ("kalau cerai?" after an akta is Dukcapil's, not the religious court's)."""
        best = others[0]
        if best.score < SIBLING_SCORE:
            return False
        if len(others) == 1 or best.score - others[1].score >= SIBLING_MARGIN:
            return True
        home = self.agency_of(topic)
        return self.agency_of(best.ref) == home != self.agency_of(others[1].ref)

    def overrides(
        self, context: Context, reading: Reading, clear: MatchResult
    ) -> MatchResult | None:
        """A clear match in another agency gives way to the topic's own sibling: 'kalau balik
        nama?' after PLN pasang baru is PLN's balik nama, not the vehicle one."""
        home = self.agency_of(context.topic) if context.topic else None
        if home is None or self.agency_of(clear.best or "") == home:
            return None
        sibling = self.modified(context, reading)
        if sibling is None or sibling.status != "answer":
            return None
        if sibling.best == context.topic:
            # "kalau telat bayar dendanya gimana" after the vehicle tax: a clear PDAM match on
            # generic words (late, fine) names nothing of PDAM's: the topic, asked again.
            named = set(self.subject(clear.best or "")) & set(reading.content)
            return None if named else sibling
        if self._names_another_object(reading, clear.best or "", sibling.best or ""):
            return None
        return sibling if self.agency_of(sibling.best or "") == home else None

    def _names_another_object(self, reading: Reading, clear: str, sibling: str) -> bool:
        """'ktp hilang' after STNK: "ktp" is what the clear match is about and the topic's
        sibling (STNK hilang) knows nothing of it, so the citizen changed the subject."""
        named = set(self.subject(clear)) & set(reading.content)
        entry = self.catalogue.get(sibling)
        known = set(self.subject(sibling))
        # Its name says what it is about; its citizen words also name things it merely touches
        # ("update kk bpjs": "kk" is not what BPJS data change is about).
        known.update(tokens(getattr(entry, "name", ""), self.matcher.lexicon))
        return bool(named - known)

    def agency_of(self, ref: str) -> str | None:
        """The agency an entry belongs to (an agency is its own); None for the rest."""
        if ref.startswith("agency:"):
            return ref.removeprefix("agency:")
        return getattr(self.catalogue.get(ref), "agency", None) or None

    def _among_choices(self, context: Context, reading: Reading) -> MatchResult | None:
        """'yang hilang' while KTP choices are shown: the choice the menu's shared subject and
        the new words point to ("ktp hilang"), else the one most choices' subjects agree on."""
        if self._names_other_agency(context.choices, reading):
            return None  # "bpjs nunggak" over a SIM menu: a question of its own
        subjects = [self.subject(ref) for ref in context.choices]
        shared = Counter(w for s in subjects for w in set(s)).most_common(1)
        if shared and shared[0][1] >= 2:
            result = self.matcher.search_words(" ".join((shared[0][0], *reading.content)))
            # A short menu may not list it: "yang hilang" over KTP choices is still "ktp hilang".
            services = all(c.startswith("service:") for c in context.choices)
            if result.status == "answer" and (result.best in context.choices or services):
                return result
        votes: Counter[str] = Counter()
        for subject in filter(None, subjects):
            result = self.matcher.search_words(" ".join((*subject, *reading.content)))
            if result.status == "answer" and result.best in context.choices:
                votes[result.best] += 1
        ranked = votes.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return MatchResult(" ".join(reading.content), "answer", [Match(ranked[0][0], 100.0)])
        return None

    def _names_other_agency(self, choices: tuple[str, ...], reading: Reading) -> bool:
        homes = {self.agency_of(ref) for ref in choices}
        named = [self.agency_words.get(w, set()) for w in reading.content]
        return any(agencies and not agencies & homes for agencies in named)

    def subject(self, ref: str) -> tuple[str, ...]:
        """What an entry is about without its variant: 'ktp' for KTP baru, 'sim' for SIM baru."""
        entry = self.catalogue.get(ref)
        if entry is None or ref.startswith(("info:", "detail:")):
            return ()
        if ref.startswith("agency:"):
            names = [*entry.short_names, entry.name]  # type: ignore[union-attr]
            return tuple(tokens(names[0], self.matcher.lexicon))
        for phrase in (*entry.words[:1], entry.name):
            words = [w for w in tokens(phrase, self.matcher.lexicon) if w not in VARIANT_WORDS]
            if words:
                return tuple(words)
        return ()


def topic_of(payload: str, catalogue: Catalogue) -> str | None:
    """The entry a pressed button or picked number opens, as the new topic."""
    ref = payload.removeprefix("detail:")
    if ref.startswith(("service:", "agency:", "facility:")) and catalogue.get(ref):
        return ref
    return None
