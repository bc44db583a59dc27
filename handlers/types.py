"""Channel-neutral messages in and replies out: what every transport (console, Telegram) shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Incoming:
    """One thing a citizen sent: text, or the payload of a button they pressed."""

    user_id: str
    now: datetime
    text: str | None = None
    payload: str | None = None  # set when a choice button was pressed
    kind: str = "text"  # "text", "button", or what else arrived: "sticker", "photo", "voice"...
    chat: str | None = None  # where reminders go, channel-qualified ("telegram:12345")
    anonymous: bool = False  # sent on behalf of a group or channel: nobody to remind


@dataclass(frozen=True)
class Block:
    """A paragraph: an optional title line and plain-text lines (transports add formatting)."""

    lines: list[str]
    title: str | None = None


@dataclass(frozen=True)
class Choice:
    label: str
    payload: str  # short and ASCII: Telegram allows 64 bytes of callback data


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Reply:
    blocks: list[Block]
    choices: list[Choice] = field(default_factory=list)
    location: Location | None = None
    about: str | None = None  # the agency id the reply is about: its announcements go on top

    def rendered_lines(
        self, title: Callable[[str], str], line: Callable[[str], Iterable[str]]
    ) -> list[str]:
        """The blocks as one list of lines in a channel's markup: each title through `title`,
        each line through `line` (which may split it), a blank line between blocks."""
        lines: list[str] = []
        for block in self.blocks:
            if lines:
                lines.append("")
            if block.title:
                lines.append(title(block.title))
            for text in block.lines:
                lines.extend(line(text))
        return lines

    def plain_text(self) -> str:
        """The reply as plain text (console, logs in tests); titles on their own line."""
        parts = []
        for block in self.blocks:
            lines = ([block.title] if block.title else []) + block.lines
            parts.append("\n".join(lines))
        return "\n\n".join(parts)


def say(*lines: str, title: str | None = None, choices: list[Choice] | None = None) -> Reply:
    """A one-block reply: the common case."""
    return Reply([Block(list(lines), title)], choices or [])
