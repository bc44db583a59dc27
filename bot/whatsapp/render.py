"""A channel-neutral Reply as WhatsApp Cloud API messages: one message per answer where it fits.

WhatsApp formatting is `*bold*`, `_italic_`, `~strike~`, backticks for monospace; it has no
escape character, so those marks in catalogue text are swapped for look-alikes (URLs are left
alone). Limits (Meta refuses more): text 4096 characters; interactive body 1024; 1-3 reply
buttons with unique titles of at most 20; a list of at most 10 rows, row titles 24, row
descriptions 72, ids 200 (buttons 256), the list's button label 20.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.types import Choice, Reply

MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTON_TITLE = 20
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ID = 200
MAX_ROWS = 10
MORE = "more:"  # a "lainnya" row: the next page of a long list of choices
CUT_POINTER = (
    "… (jawaban dipersingkat: tanyakan bagian yang Anda perlukan, misalnya syarat, biaya, "
    "atau lokasi, atau tanyakan di loket informasi MPP)"
)
_LOOKALIKE = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})
_URL = re.compile(r"(https?://\S+|www\.\S+)")
_DANGLING = {"dan", "atau", "di", "ke", "dari", "untuk", "yang", "&", "-", "/", "("}

Message = dict[str, Any]


def plain(text: str) -> str:
    """Text that WhatsApp shows as written: formatting marks outside URLs become look-alikes."""
    parts = _URL.split(text)
    return "".join(p if i % 2 else p.translate(_LOOKALIKE) for i, p in enumerate(parts))


def body_text(reply: Reply, limit: int = MAX_TEXT) -> str:
    """The reply's blocks as one text: titles bold, blank lines between blocks, cut to fit."""
    lines = reply.rendered_lines(lambda title: f"*{plain(title)}*", lambda line: [plain(line)])
    return cut(lines, limit)


def cut(lines: list[str], limit: int) -> str:
    """All lines if they fit; else as many whole lines as fit, then a pointer to the rest."""
    text = "\n".join(lines).strip()
    if len(text) <= limit:
        return text
    room = limit - len(CUT_POINTER) - 1
    kept: list[str] = []
    for line in lines:
        if len("\n".join([*kept, line])) > room:
            break
        kept.append(line)
    head = "\n".join(kept).strip() or shorten(text, room)
    return f"{head}\n{CUT_POINTER}"


def shorten(text: str, limit: int) -> str:
    """A readable title of at most `limit` characters: drop a bracketed aside, then whole
    words (never a connector at the end), with "…" where something was left out."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    bare = re.sub(r"\s*\([^)]*\)", "", text).strip()
    if bare and len(bare) <= limit:
        return bare
    words = (bare or text).split()
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > limit - 1:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].lower() in _DANGLING:
        kept.pop()
    if not kept:  # one very long word: cut it, it is all there is
        return words[0][: limit - 1] + "…"
    return " ".join(kept).rstrip(",.;:-/") + "…"


def messages(reply: Reply) -> list[Message]:
    """The Graph API message objects (without `to`) for one reply, in sending order."""
    choices = [c for c in reply.choices if 0 < len(c.payload) <= MAX_ID]
    out: list[Message] = []
    if choices:
        text = body_text(reply, MAX_BODY)
        if len(body_text(reply)) > MAX_BODY:  # too long for a choice message: send it apart
            out.append(text_message(body_text(reply)))
            text = "Silakan pilih:"
        out.append(choice_message(text or "Silakan pilih:", choices))
    else:
        out.append(text_message(body_text(reply)))
    if reply.location:
        loc = reply.location
        out.append(
            {
                "type": "location",
                "location": {
                    "latitude": loc.latitude,
                    "longitude": loc.longitude,
                    "name": loc.title,
                    "address": loc.address,
                },
            }
        )
    return out


def text_message(text: str) -> Message:
    return {"type": "text", "text": {"body": text or "…", "preview_url": False}}


def choice_message(body: str, choices: list[Choice], offset: int = 0) -> Message:
    """Reply buttons for up to 3 choices with distinct short titles; else a list of up to 10
    rows, the 10th being "Lainnya…" (id `more:<offset>`) when there are more."""
    titles = [_title(c, MAX_BUTTON_TITLE, i) for i, c in enumerate(choices, offset + 1)]
    if len(choices) <= 3 and len(set(titles)) == len(titles):
        buttons = [
            {"type": "reply", "reply": {"id": c.payload, "title": t}}
            for c, t in zip(choices, titles, strict=True)
        ]
        return _interactive("button", body, {"buttons": buttons})
    unique = list({c.payload: c for c in choices}.values())  # Meta refuses repeated row ids
    rows = [_row(c, i) for i, c in enumerate(unique[:MAX_ROWS], offset + 1)]
    if len(unique) > MAX_ROWS:
        more = {"id": f"{MORE}{offset + MAX_ROWS - 1}", "title": "Lainnya…"}
        rows = [*rows[: MAX_ROWS - 1], more]
    section = {"title": "Pilihan", "rows": rows}
    return _interactive("list", body, {"button": "Lihat pilihan", "sections": [section]})


def _row(choice: Choice, number: int) -> dict[str, str]:
    row = {"id": choice.payload, "title": _title(choice, MAX_ROW_TITLE, number)}
    description = shorten(choice.label, MAX_ROW_DESCRIPTION)
    if row["title"] != choice.label and description:
        row["description"] = description
    return row


def _title(choice: Choice, limit: int, number: int) -> str:
    """The shortened label, or "Pilihan 3" for a label with nothing to show."""
    return shorten(choice.label, limit) or f"Pilihan {number}"


def _interactive(kind: str, body: str, action: dict[str, Any]) -> Message:
    inner = {"type": kind, "body": {"text": body}, "action": action}
    return {"type": "interactive", "interactive": inner}
