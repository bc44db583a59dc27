"""Redaction of personal numbers and addresses from text that is kept (unanswered questions,
survey comments): what a citizen may type without thinking never reaches the disk."""

from __future__ import annotations

import re

# Order matters: the most specific pattern first, so a NIK is not taken for a phone number.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[EMAIL]"),
    # NIK / KK: exactly 16 digits, possibly written in groups ("3579 0112 3456 0001").
    (re.compile(r"(?<![\d+])\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?![\d])"), "[NIK]"),
    # A landline with its area code in brackets: (0341) 512345.
    (re.compile(r"\(0\d{2,3}\)[ .-]?\d{3,4}[ .-]?\d{0,5}"), "[TELEPON]"),
    # Indonesian phones: +62 / 62 / 0, then the number in groups of digits split by spaces,
    # dots or dashes: +62 812-3456-7890, 0812 3456 7890, 0341 512345.
    (
        re.compile(
            r"(?<![\w+])(?:\+?62[ .-]?|0)(?:\(?\d{2,4}\)?[ .-]?)\d{3,4}[ .-]?\d{3,5}(?![\d])"
        ),
        "[TELEPON]",
    ),
    (re.compile(r"(?<!\d)\d{10,}(?!\d)"), "[NOMOR]"),
    # Vehicle plates: 1-2 letters, 1-4 digits, 1-3 letters ("N 1234 AB", "L1234XY"). Typed in
    # lower case only with 3+ digits: "kk 2 lbr" is no plate, "n 1234 ab" is one.
    (re.compile(r"\b[A-Z]{1,2} ?\d{1,4} ?[A-Z]{1,3}\b"), "[PLAT]"),
    (re.compile(r"\b[a-z]{1,2} ?\d{3,4} ?[a-z]{1,3}\b", re.IGNORECASE), "[PLAT]"),
)


def redact(text: str) -> str:
    """The text with NIK/KK numbers, long digit runs, phones, e-mails and plates replaced."""
    for pattern, label in _RULES:
        text = pattern.sub(label, text)
    return text
