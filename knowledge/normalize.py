"""Normalise Indonesian chat text: case, emoji, stretched letters, slang and Javanese, filler."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_LEXICON = Path(__file__).parent / "data" / "slang.yaml"
MAX_QUERY_CHARS = 500  # a question longer than this is cut: nobody asks for a service in 2 pages

_NON_WORD = re.compile(r"[^0-9a-z]+")
_STRETCH = re.compile(r"([a-z])\1{2,}")  # "tolonggg" -> "tolong"
_GLUED = re.compile(r"^([a-z]+)(\d+)$|^(\d+)([a-z]+)$")


@dataclass(frozen=True)
class Elsewhere:
    """Words that name something outside this MPP, and the entries such a question is not about:
    "pinjam di bri" is not Bank Jatim's credit, a lost Telkomsel SIM card is no lost KTP."""

    words: frozenset[str]  # words or phrases ("jatim park")
    not_about: tuple[str, ...]  # refs, "*" patterns allowed ("service:bank-jatim-*", "*")


@dataclass(frozen=True)
class Lexicon:
    """How citizens write, as data (slang.yaml): replacements, filler, everyday words, intents."""

    replace: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    common: frozenset[str] = frozenset()
    keep_glued: frozenset[str] = frozenset()
    intents: dict[str, str] = field(default_factory=dict)  # canonical word -> intent name
    intent_refs: dict[str, str] = field(default_factory=dict)  # intent -> ref when alone
    elsewhere: tuple[Elsewhere, ...] = ()  # words naming what this MPP does not serve
    places: frozenset[str] = frozenset()  # other towns: "dukcapil kota malang" is theirs
    asking: frozenset[str] = frozenset()  # words asking about a service: fee, time, proxy
    needs: frozenset[str] = frozenset()  # words before what a service needs: "harus", "syarat"
    longest: int = 1
    phrase_words: frozenset[str] = frozenset()  # words of the replaced phrases ("kartu", ...)

    @classmethod
    def load(cls, path: Path = DEFAULT_LEXICON) -> Lexicon:
        """Read slang.yaml; LexiconError names the section and the item that is wrong."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise LexiconError("-", "the file must be a mapping of sections")
        replace = _replacements(raw.get("replace") or {})
        return cls(
            replace=replace,
            stopwords=_single_words(raw.get("stopwords"), "stopwords"),
            common=_single_words(raw.get("common"), "common"),
            keep_glued=_single_words(raw.get("keep_glued"), "keep_glued"),
            intents=_intents(raw.get("intents") or {}),
            intent_refs=_mapping(raw.get("intent_refs") or {}, "intent_refs"),
            elsewhere=_elsewhere(raw.get("elsewhere") or []),
            places=_single_words(raw.get("places"), "places"),
            asking=_single_words(raw.get("asking"), "asking"),
            needs=_single_words(raw.get("needs"), "needs"),
            longest=max((len(k) for k in replace), default=1),
            phrase_words=frozenset(w for k in replace if len(k) > 1 for w in k),
        )


class LexiconError(ValueError):
    """slang.yaml is malformed: `section` says where."""

    def __init__(self, section: str, message: str) -> None:
        self.section = section
        super().__init__(message)


def _mapping(raw: object, section: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise LexiconError(section, "must be a mapping of name: value")
    return {str(k): _text(v, section) for k, v in raw.items()}


def _replacements(raw: object) -> dict[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise LexiconError("replace", "must be a mapping of canonical: [ways people write it]")
    replace: dict[tuple[str, ...], tuple[str, ...]] = {}
    for target, sources in raw.items():
        if not isinstance(sources, list):
            raise LexiconError(f"replace.{target}", "must be a list, e.g. [akte, akteu]")
        for source in sources:
            words = tuple(_basic_tokens(_text(source, f"replace.{target}")))
            replace[words] = tuple(_basic_tokens(_text(target, "replace")))
    return replace


def _elsewhere(raw: object) -> tuple[Elsewhere, ...]:
    if not isinstance(raw, list):
        raise LexiconError("elsewhere", "must be a list of {words: [...], not_about: [...]}")
    groups = []
    for n, item in enumerate(raw):
        section = f"elsewhere[{n}]"
        if not isinstance(item, dict) or set(item) != {"words", "not_about"}:
            raise LexiconError(section, "must have exactly `words` and `not_about`")
        refs = item["not_about"]
        if not isinstance(refs, list) or not refs:
            raise LexiconError(f"{section}.not_about", "must be a list of refs, e.g. [agency:pos]")
        words = item["words"]
        if not isinstance(words, list) or not words:
            raise LexiconError(f"{section}.words", "must be a list of words or phrases")
        phrases = frozenset(_text(w, f"{section}.words") for w in words)
        groups.append(Elsewhere(phrases, tuple(_text(r, f"{section}.not_about") for r in refs)))
    return tuple(groups)


def _intents(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise LexiconError("intents", "must be a mapping of intent: [words]")
    found: dict[str, str] = {}
    for name, words in raw.items():
        if not isinstance(words, list | None):
            raise LexiconError(f"intents.{name}", "must be a list of words, e.g. [syarat, apa]")
        found.update({_text(word, f"intents.{name}"): str(name) for word in words or []})
    return found


def _single_words(items: list[str] | None, section: str) -> frozenset[str]:
    """One word per item: 'baru saja' would silently make 'baru' a stopword too."""
    if not isinstance(items, list | None):
        raise LexiconError(section, "must be a list of words")
    words = set()
    for item in items or []:
        parts = _basic_tokens(_text(item, section))
        if len(parts) != 1:
            raise LexiconError(section, f"{item!r} must be one word")
        words.add(parts[0])
    return frozenset(words)


def _text(item: object, section: str) -> str:
    # YAML reads a bare no/yes/on/off as true/false: insist on quotes rather than guess.
    if not isinstance(item, str | int) or isinstance(item, bool):
        raise LexiconError(section, f"{item!r} is not text: put it in quotes")
    return str(item)


def fold(text: str) -> str:
    """Lowercase ASCII-ish text: odd Unicode (fullwidth, accents, emoji) folded or dropped."""
    text = unicodedata.normalize("NFKD", text[:MAX_QUERY_CHARS])
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower()


def _basic_tokens(text: str) -> list[str]:
    return [t for t in _NON_WORD.split(fold(text)) if t]


def _split_glued(token: str, keep: frozenset[str]) -> list[str]:
    """'ktp2' -> 'ktp' (reduplication), 'r2' kept when listed, 'lantai2' -> 'lantai', '2'."""
    m = _GLUED.match(token)
    if not m or token in keep:
        return [token]
    if m.group(1):
        word, digits = m.group(1), m.group(2)
        return [word] if digits == "2" and len(word) > 2 else [word, digits]
    return [m.group(3), m.group(4)]


def replaced(text: str, lexicon: Lexicon) -> list[str]:
    """All words of `text`, in order, slang replaced: filler and place names still in."""
    raw = []
    for tok in _basic_tokens(text):
        raw.extend(_split_glued(_STRETCH.sub(r"\1", tok), lexicon.keep_glued))
    return _apply_replacements(_with_age(raw), lexicon)


# An age said outright ("anak umur 10", "usia 12 th", "aged 9") below 17 is the "under 17" of
# the catalogue (slang.yaml's bawah17): the KIA, not the KTP-el, whatever the word for the card.
_AGE_WORDS = frozenset(
    ("umur", "usia", "berumur", "berusia", "umure", "umurnya", "usianya", "yuswa", "age", "aged")
)
# ... not the age of a car or a house ("mobil umur 4 tahun" is due a KIR test, not a KIA).
_AGED_THINGS = frozenset(
    ("mobil", "motor", "kendaraan", "truk", "pickup", "car", "rumah", "bangunan", "gedung")
)
ADULT_AGE = 17
UNDER_ADULT = "bawah17"


def _with_age(raw: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(raw):
        out.append(word)
        said = i > 0 and raw[i - 1] in _AGE_WORDS and (i < 2 or raw[i - 2] not in _AGED_THINGS)
        said = said or raw[i + 1 : i + 3] in (["years", "old"], ["year", "old"])
        if said and word.isdigit() and int(word) < ADULT_AGE:
            out.append(UNDER_ADULT)
    return out


def tokens(text: str, lexicon: Lexicon) -> list[str]:
    """Canonical content words of `text`, in order, slang replaced and filler removed."""
    words = [t for t in replaced(text, lexicon) if t not in lexicon.stopwords]
    # Again without the filler in between: "anak saya baru lahir" is "anak baru lahir" (bayi).
    return [t for t in _apply_replacements(words, lexicon) if t not in lexicon.stopwords]


# "kartu keluargaku", "dokumennya apa saja": a phrase with a word owned is still the phrase.
_OWNED = ("nya", "ku", "mu", "ne")


def _unowned(word: str, lexicon: Lexicon) -> str:
    if word in lexicon.phrase_words:
        return word
    for suffix in _OWNED:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) > 2 and stem in lexicon.phrase_words:
            return stem
    return word


def _apply_replacements(raw: list[str], lexicon: Lexicon) -> list[str]:
    out: list[str] = []
    owned = [_unowned(w, lexicon) for w in raw]
    i = 0
    while i < len(raw):
        for n in range(min(lexicon.longest, len(raw) - i), 0, -1):
            target = lexicon.replace.get(tuple(raw[i : i + n]))
            if target is None and n > 1:
                target = lexicon.replace.get(tuple(owned[i : i + n]))
            if target is not None:
                out.extend(target)
                i += n
                break
        else:
            out.append(raw[i])
            i += 1
    return out


# Indonesian and Javanese suffixes: -nya/-ne/-e (its), -kan/-ake/-aken/-no/-ke (do for),
# krama -ipun (its); longest first so that "-ipun" is not read as "-i".
_SUFFIXES = (
    "nya",
    "nipun",  # after a vowel: "griyanipun", "ktpnipun"
    "ipun",
    "aken",
    "ake",
    "ne",
    "no",
    "ke",
    "e",
    "in",
    "kan",
    "an",
    "i",
    "ku",
    "mu",
    # English, last: "printed", "registering", "certificates" read as the catalogue's words.
    "ing",
    "ed",
    "es",
    "s",
)
_PREFIXES = (
    "di",
    "ke",
    "nge",
    "ng",
    "meng",
    "mem",
    "men",
    "me",
    "peng",
    "pem",
    "pen",
    "pe",
    "per",
    "ber",
    "ter",
    "dipun",  # krama passive: "dipunurus"
    "se",
    "kok",  # Javanese passive: "koktulis"
    "tak",  # Javanese "I (do)": "takbayar"
)
# A nasal prefix replaces the root's first consonant: "nyambung" is sambung, "mbayar" bayar,
# "nulis" tulis, "ngirim" kirim, "mecah" pecah, "menyetor" setor.
_NASAL = (
    ("meny", "s"),
    ("peny", "s"),
    ("ny", "s"),
    ("mem", "p"),
    ("pem", "p"),
    ("me", "p"),
    ("men", "t"),
    ("pen", "t"),
    ("n", "t"),
    ("meng", "k"),
    ("peng", "k"),
    ("ng", "k"),
    ("mb", "b"),
    ("m", "p"),
)
_VOWELS = "aeiou"


def _unprefixed(stem: str) -> list[str]:
    forms = [stem[len(p) :] for p in _PREFIXES if stem.startswith(p) and len(stem) - len(p) >= 3]
    for prefix, first in _NASAL:
        rest = stem[len(prefix) :]
        if stem.startswith(prefix) and len(rest) >= 3 and (first == "b" or rest[0] in _VOWELS):
            forms.append(first + rest)
    return forms


def affix_variants(word: str) -> list[str]:
    """Shorter forms of an unknown word, most likely first: 'airnya' -> 'air', 'diurus' -> 'urus',
    'ngusulinnya' -> 'usul', 'nyambung' -> 'sambung'.

    Only tried for words the catalogue does not know, and only kept when the shorter form is
    a word it knows, so 'ngurusin' may become 'urus' but no real word is ever mangled.
    """
    stems = [word]
    for suffix in _SUFFIXES:  # "-nya" first, so "-in" + "-nya" both come off
        stems += [
            b[: -len(suffix)] for b in stems if b.endswith(suffix) and len(b) > len(suffix) + 2
        ]
    forms = []
    for stem in stems:
        forms.append(stem)
        forms.extend(_unprefixed(stem))
    return [f for f in dict.fromkeys(forms) if f != word]


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()
