"""Questions about something outside this MPP that shares words with what it serves.

"pinjam uang di bri" shares "pinjam" with Bank Jatim's credit; "jam buka dukcapil kota malang"
names Dukcapil, but Malang's. Such a question is not about those entries, and the honest answer
is the fallback, not their card. The words are data (slang.yaml: `elsewhere`, `places`).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from knowledge.catalogue import Catalogue
from knowledge.normalize import Lexicon, replaced, tokens

# A town named this many words after an agency's name is where that office is ("dukcapil kota
# malang", "immigration office in bali"); further away it is the citizen's story ("samsat, plat
# motor saya malang").
NEAR = 3
# "polres batu atau harus ke jakarta?": a town after "or" is the other choice, not where the
# agency named before it is.
OR = frozenset({"atau", "ato", "or", "utawa", "utawi"})
SELF = "mpp"  # the word every name of the MPP itself reads as (slang.yaml)
BUILDING = ("info:", "facility:")


class Elsewhere:
    """Built once with the matcher: which entries (by index) a question rules out."""

    def __init__(self, catalogue: Catalogue, lexicon: Lexicon, refs: list[str]) -> None:
        self.lexicon = lexicon
        self.kept = lexicon.places | OR  # stopwords that still count: towns, "atau"
        # Phrases read as questions are ("jatim park" -> its replaced words), so they meet.
        self.by_phrase: dict[tuple[str, ...], frozenset[int]] = {}
        for group in lexicon.elsewhere:
            hit = frozenset(i for i, ref in enumerate(refs) if _matches(ref, group.not_about))
            for text in group.words:
                phrase = tuple(replaced(text, lexicon))
                self.by_phrase[phrase] = self.by_phrase.get(phrase, frozenset()) | hit
        self.names: list[tuple[tuple[str, ...], frozenset[str], frozenset[int]]] = []
        for agency in catalogue.agencies.values():
            own = frozenset(
                i for i, ref in enumerate(refs) if _family(ref, catalogue) == agency.id
            )
            texts = [agency.name, *agency.short_names, agency.referral or ""]
            home = frozenset(w for t in texts for w in replaced(t, lexicon)) & lexicon.places
            for name in (agency.name, *agency.short_names):
                words = tuple(w for w in tokens(name, lexicon) if w not in lexicon.places)
                if words:
                    self.names.append((words, home, own))
        # "mpp kota malang dimana": another town's MPP, not this building's hours or rooms.
        self.building = frozenset(i for i, ref in enumerate(refs) if ref.startswith(BUILDING))
        self.names.append(((SELF,), frozenset(), self.building))

    def ruled_out(self, query: str) -> frozenset[int]:
        every = replaced(query, self.lexicon)
        out: frozenset[int] = frozenset()
        for phrase, hit in self.by_phrase.items():
            if _ends(every, phrase):
                out |= hit
        if SELF in every:
            # "mpp deket alun-alun?": a landmark beside the MPP named is where the MPP is, not
            # the attraction's own hours or parking.
            out -= self.building
        words = [w for w in every if w not in self.lexicon.stopwords or w in self.kept]
        if set(words) & self.lexicon.places:
            for name, home, own in self.names:
                for end in _ends(words, name):
                    near = set(_until_or(words[end : end + NEAR])) & self.lexicon.places
                    if near - home:
                        out |= own
        return out


def _until_or(words: list[str]) -> list[str]:
    return words[: next((i for i, w in enumerate(words) if w in OR), len(words))]


def _matches(ref: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(ref, p) for p in patterns)


def _family(ref: str, catalogue: Catalogue) -> str:
    kind, _, ident = ref.partition(":")
    if kind == "agency":
        return ident
    found = catalogue.get(ref) if kind == "service" else None
    return str(getattr(found, "agency", ""))


def _ends(words: list[str], name: tuple[str, ...]) -> list[int]:
    """Where each occurrence of `name` in `words` ends."""
    n = len(name)
    return [i + n for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == name]
