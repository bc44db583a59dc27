"""Seeded generators of hostile input: what citizens, typos and attackers send (for test_fuzz).

A plain seeded `random.Random` rather than hypothesis: 10,000 cases run in seconds, and a
failure names its seed and index, so it replays exactly.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

from knowledge.evaluate import read_questions

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    q.text for q in read_questions(ROOT / "benchmarks" / "data" / "citizen-questions.tsv")
]
NUMBERS = [
    "1",
    " 17 ",
    "007",
    "1.000",
    "1,5",
    "-3",
    "+62 812-3456-7890",
    "3175091234567890",
    "٣",
    "１２",
    "Ⅻ",
    "½",
    "1e400",
    "NaN",
    "inf",
    "0x1F",
    "9" * 40,
    "1/2",
    "²",
    "𝟕",
    "٠٢٥",
]
TICKETS = [
    "A030",
    "a-30",
    "A 030",
    "A0",
    "A-5",
    "A030B",
    "ZZ9999",
    "C٠٢٥",
    "Ａ０３０",
    "AB12345",
    "antrian A030 B040",
    "/antrian A030 B040 C050 D060 E070 F080",
    "N 1234 AB",
    "sim b1",
    "F-1.02",
    "nomor a٣٠",
    "antri 5",
    "no 30",
    "tiket 🎫 A001",
]
ODD = [
    "",
    " ",
    "\n\n",
    "\u200b",
    "🙏🙏🙏",
    "<b>syarat</b>",
    "&amp; &lt; <script>",
    "<a href='x'>",
    "\x00",
    "\ufeff",
    "‮syarat ktp",
    "ﷺ",
    "ـــــ",
    "@mpp_batu_bot",
    "/start",
    "/batal zzz",
]
EMOJI = "🙏😀🎫🚗📄🇮🇩👍🏽"


def _random_unicode(rng: random.Random, size: int) -> str:
    """Any code point but surrogates (Telegram's text is valid UTF-8)."""
    chars = []
    for _ in range(size):
        point = rng.choice(
            [
                rng.randrange(32, 127),
                rng.randrange(0x80, 0x3000),
                rng.randrange(0x3000, 0xD800),
                rng.randrange(0xE000, 0x110000),
            ]
        )
        chars.append(chr(point))
    return "".join(chars)


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randrange(1, 6)):
        i = rng.randrange(len(chars) + 1)
        op = rng.randrange(6)
        if op == 0 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op == 1:
            chars.insert(i, rng.choice(EMOJI + "<>&\"'/\\%_*`~|0123456789"))
        elif op == 2 and chars:
            j = min(i, len(chars) - 1)
            chars[j] = chars[j].upper() if rng.random() < 0.5 else chars[j] * rng.randrange(2, 6)
        elif op == 3:
            chars.insert(i, " " + rng.choice(NUMBERS + TICKETS) + " ")
        elif op == 4:
            chars.insert(i, rng.choice(QUESTIONS))
        else:
            chars.insert(i, _random_unicode(rng, rng.randrange(1, 4)))
    return "".join(chars)


def _long(rng: random.Random) -> str:
    piece = rng.choice(QUESTIONS + TICKETS + ["<&>", "a"])
    return (piece + rng.choice([" ", "\n", ""])) * rng.randrange(200, 2000)


KINDS: list[Callable[[random.Random], str]] = [
    lambda rng: _random_unicode(rng, rng.randrange(0, 60)),
    lambda rng: _mutate(rng, rng.choice(QUESTIONS)),
    lambda rng: rng.choice(NUMBERS) + rng.choice(["", " ", "?", " dong"]),
    lambda rng: rng.choice(["", "nomor ", "antrian ", "plat ", "/batal "]) + rng.choice(TICKETS),
    lambda rng: rng.choice(ODD),
    _long,
    lambda rng: rng.choice(QUESTIONS),
]


def messages(seed: int, count: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield rng.choice(KINDS)(rng)


def call_bodies(seed: int, count: int) -> Iterator[bytes]:
    """POST /api/queue/call bodies: valid, nearly valid, wrong types, broken JSON, deep nests."""
    rng = random.Random(seed)
    values: list[object] = [
        None,
        True,
        False,
        0,
        -1,
        3,
        10**30,
        1.5,
        "",
        "3",
        "3\nX",
        "12A",
        "loket 3",
        [],
        {},
        "A030",
        "a7",
        "A-5",
        "C٠٢٥",
        "Ａ０３０",
        "ZZ9999",
        "A0",
        "<b>",
        "x" * 5000,
    ]
    for _ in range(count):
        shape = rng.randrange(6)
        if shape == 0:
            body = {"ticket": rng.choice(values), "counter": rng.choice(values)}
            yield json.dumps(body).encode()
        elif shape == 1:
            yield (
                rng.choice(["NaN", "Infinity", "-Infinity", "1e400"])
                .join(['{"ticket": "A001", "counter": ', "}"])
                .encode()
            )
        elif shape == 2:
            depth = rng.choice([10, 1000, 100_000])
            yield (rng.choice("[{") * depth).encode()
        elif shape == 3:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
        elif shape == 4:
            text = json.dumps({"ticket": "A030", "counter": "3", "extra": [1, {"a": None}]})
            cut = rng.randrange(len(text) + 1)
            yield (text[:cut] + _random_unicode(rng, 2) + text[cut:]).encode("utf-8", "replace")
        else:
            yield json.dumps(rng.choice(values)).encode()
