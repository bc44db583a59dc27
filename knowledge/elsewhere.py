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


class Elsewhere:
    """Built once with the matcher: which entries (by index) a question rules out."""

    def __init__(self, catalogue: Catalogue, lexicon: Lexicon, refs: list[str]) -> None:
        self.lexicon = lexicon
        self.by_word: dict[str, frozenset[int]] = {}
        for group in lexicon.elsewhere:
            hit = frozenset(
                i
                for i, ref in enumerate(refs)
                if any(fnmatchcase(ref, p) for p in group.not_about)
            )
            for word in group.words:
                self.by_word[word] = self.by_word.get(word, frozenset()) | hit
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

    def ruled_out(self, query: str) -> frozenset[int]:
        words = [
            w
            for w in replaced(query, self.lexicon)
            if w not in self.lexicon.stopwords or w in self.lexicon.places
        ]
        out: frozenset[int] = frozenset()
        for word in set(words) & self.by_word.keys():
            out |= self.by_word[word]
        if set(words) & self.lexicon.places:
            for name, home, own in self.names:
                for end in _ends(words, name):
                    near = set(words[end : end + NEAR]) & self.lexicon.places
                    if near - home:
                        out |= own
        return out


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
