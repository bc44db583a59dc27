"""Unknown words of a question read as the catalogue knows them.

Chat writes words the catalogue does not have as such: with affixes ("alamatnya", "nyambung"),
without vowels ("tnh", "mtr"), with typos ("perpanjanag", "blik"). Each reading is only kept
when it lands on a word the catalogue or the lexicon knows, so no real word is mangled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.normalize import Lexicon, affix_variants

CORRECTED = 0.9  # a typo-corrected word is slightly less sure evidence
# The shape of a verb: Indonesian di-/me-/ter- ... -kan/-in, Javanese di-/N- ... -ke/-no/-ake,
# krama dipun-, English -ed. Unknown, such a word tells the story ("dipertahankan",
# "ngajukaken", "cracked"); the topic of a question is a noun ("kereta", "hotel", "dokter").
_VERB_SHAPE = re.compile(
    r"^(?:(?:diper|memper|di|me|mem|men|meng|meny|ter|ng|ny)[a-z]{3,}"
    r"(?:kan|kno|ke|no|ne|ake|aken|in)|dipun[a-z]{3,}|[a-z]{4,}ed)$"
)
Weigh = Callable[[str], tuple[float, float]]  # word -> (weight in the question, as evidence)


def skeleton(word: str) -> str:
    """A word as chat abbreviates it: its first letter, then its consonants ("tanah" -> "tnh")."""
    return word[:1] + "".join(c for c in word[1:] if c not in "aeiou")


class WordReader:
    """Built with the matcher's vocabulary; memoises every word it has read."""

    def __init__(
        self,
        lexicon: Lexicon,
        idf: dict[str, float],
        postings: dict[str, list[tuple[int, float]]],
    ) -> None:
        self.lexicon, self.idf, self.postings = lexicon, idf, postings
        # Typos are fixed towards catalogue words and the slang the lexicon knows
        # ("kelahran" -> "kelahiran" -> "lahir").
        slang = (key[0] for key in lexicon.replace if len(key) == 1)
        self.vocab = sorted({*postings, *slang, *lexicon.intents})
        self._corrections: dict[str, str | None] = {}
        self._known: dict[str, tuple[tuple[str, ...], float]] = {}
        self._abbreviations = self._skeletons()

    def _skeletons(self) -> dict[str, list[tuple[str, ...]]]:
        """Chat drops vowels ("tnh" tanah, "lhr" lahir, "brp" berapa): consonant skeleton ->
        the known readings that have it ("mtr": motor or meter, the question decides)."""
        lex = self.lexicon
        readings: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for word in {*self.vocab, *lex.stopwords, *lex.common}:
            if len(word) >= 3 and word.isalpha() and skeleton(word) != word:
                readings[skeleton(word)].add(self._as_known(word))
        return {short: sorted(r) for short, r in readings.items()}

    def expand(self, weights: dict[str, float], evidence: dict[str, float], weigh: Weigh) -> None:
        """Read each vowel-less unknown word as the reading that shares an entry with the
        question's other words ("pajak mtr": motor; "pindah mtr pdam": meter)."""
        for word in [w for w in weights if w not in self.idf and w in self._abbreviations]:
            readings = self._abbreviations[word]
            if len(readings) > 1:
                readings = self._in_context(readings, evidence)
            if readings:
                del weights[word]
                for form in readings[0]:
                    if form and form not in self.lexicon.stopwords:
                        weights[form], ev = weigh(form)
                        if ev:
                            evidence[form] = ev * CORRECTED

    def _in_context(
        self, readings: list[tuple[str, ...]], evidence: dict[str, float]
    ) -> list[tuple[str, ...]]:
        """The one reading found in an entry with the most of the question's other words."""
        shared: dict[int, int] = defaultdict(int)
        for word in evidence:
            for i, _ in self.postings.get(word, ()):
                shared[i] += 1
        fit = {r: max((shared[i] for w in r for i, _ in self.postings.get(w, ())), default=0)
               for r in readings}  # fmt: skip
        best = max(fit.values())
        winners = [r for r, n in fit.items() if n == best]
        return winners if best and len(winners) == 1 else []

    def _correct(self, word: str) -> str | None:
        """A catalogue word within typing distance of an unknown word, or None."""
        if word in self._corrections:
            return self._corrections[word]
        fixed = None
        # A three-letter skeleton ("pdm": padam or pdam?) is read in context by `expand`.
        if len(word) >= 3 and not word.isdigit() and word not in self._abbreviations:
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
        """Same first letter; a short word only for a swap ("sckc" is skck, "ban" not bank) or
        a dropped vowel ("blik" is balik, "bru" baru)."""
        if len(hit) < 4 or hit[0] != word[0]:
            return False
        if len(word) == 3:  # "bru" is baru, but three letters are too few to swap
            return skeleton(hit) == skeleton(word) and len(hit) == 4
        return len(word) >= 5 or sorted(hit) == sorted(word) or skeleton(hit) == skeleton(word)

    def known_form(self, word: str) -> tuple[tuple[str, ...], float]:
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
                forms = self._as_known(fixed) if fixed else ()
                # An everyday word only by another consonant would hide the topic: "sepur"
                # (a train) is no "sepuh"; a vowel slip is a slip ("kertu", "bikn", "bru").
                everyday = all(f in self.lexicon.common or not f for f in forms)
                slip = bool(fixed) and skeleton(fixed or "") == skeleton(word)
                known = (forms, CORRECTED) if forms and (slip or not everyday) else ((word,), 1.0)
            self._known[word] = known
        return known

    @staticmethod
    def verb_shaped(word: str) -> bool:
        """An unknown word shaped like a verb: part of the story, not what is asked about."""
        return len(word) >= 7 and _VERB_SHAPE.match(word) is not None

    def _as_known(self, form: str) -> tuple[str, ...]:
        lex = self.lexicon
        if form in self.idf or form in lex.common or form in lex.intents:
            return (form,)
        if form in lex.stopwords:
            return ("",)  # a filler word in disguise ("bagaimananya"): dropped
        return lex.replace.get((form,), ())
