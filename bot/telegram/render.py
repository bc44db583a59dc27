"""A channel-neutral Reply as Telegram messages: escaped HTML, inline buttons, 4096-char parts."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.types import Reply

MAX_MESSAGE = 4096
MAX_CALLBACK_BYTES = 64
MAX_BUTTON_LABEL = 60
SHORT_LABEL = 22  # two such labels share a row on a phone without being cut
_SAFE_PIECE = 900  # a very long line is cut into pieces this long before escaping


def html_lines(reply: Reply) -> list[str]:
    """Every line escaped once; titles bold. Blank lines separate the blocks."""
    return reply.rendered_lines(lambda title: f"<b>{escape(title)}</b>", _escaped_pieces)


def _escaped_pieces(line: str) -> list[str]:
    pieces = [line[i : i + _SAFE_PIECE] for i in range(0, len(line), _SAFE_PIECE)] or [""]
    return [escape(piece) for piece in pieces]


def split_message(lines: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack lines into messages of at most `limit` characters, breaking only between lines."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            parts.append("\n".join(current).strip("\n"))
            current, size = [], 0
            extra = len(line)
        current.append(line)
        size += extra
    if current:
        parts.append("\n".join(current).strip("\n"))
    return [p for p in parts if p.strip()]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Long labels one per row, two short ones side by side (a list of 26 agencies fits a
    screen); payloads over 64 bytes are left out, never sent."""
    rows: list[list[InlineKeyboardButton]] = []
    for c in reply.choices:
        if len(c.payload.encode()) > MAX_CALLBACK_BYTES:
            continue
        button = InlineKeyboardButton(_label(c.label), callback_data=c.payload)
        short = len(c.label) <= SHORT_LABEL
        if short and rows and len(rows[-1]) == 1 and len(rows[-1][0].text) <= SHORT_LABEL:
            rows[-1].append(button)
        else:
            rows.append([button])
    return InlineKeyboardMarkup(rows) if rows else None


def _label(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1] + "…"
