"""Charts as inline SVG, drawn on the server: no script, no CDN, sharp when printed.

Every chart is drawn on a canvas WIDTH units wide; the page scales it to the screen (at most
460 px wide), so text stays readable on a phone and bars keep their size whatever the count.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

COLOURS = {"answer": "#2e7d32", "ambiguous": "#f9a825", "none": "#c62828"}
BAR = "#1565c0"
WIDTH = 400
FONT = 15
EMPTY = Markup('<p class="empty">Belum ada data.</p>')


def hbars(items: list[tuple[str, float]], scale: float | None = None, fmt: str = "{:g}") -> Markup:
    """Horizontal bars, each under its label (top services, SKM unsur means)."""
    if not items:
        return EMPTY
    top = scale or max(v for _, v in items) or 1
    row = 46
    parts = []
    for i, (label, value) in enumerate(items):
        y = i * row
        w = max(value / top * (WIDTH - 60), 1)
        parts.append(
            f'<text x="0" y="{y + 15}">{escape(_cut(label))}</text>'
            f'<rect x="0" y="{y + 21}" width="{w:.1f}" height="16" fill="{BAR}"/>'
            f'<text x="{w + 6:.1f}" y="{y + 35}">{escape(fmt.format(value))}</text>'
        )
    return _svg(len(items) * row, parts, "Diagram batang")


def columns(values: dict[str, int], title: str) -> Markup:
    """Vertical columns over labelled slots (questions by hour)."""
    if not values:
        return EMPTY
    top = max(values.values()) or 1
    slot, height = min(WIDTH / len(values), 60), 170
    parts = []
    for i, (label, value) in enumerate(values.items()):
        h, x, w = value / top * (height - 50), i * slot + 2, slot - 4
        parts.append(
            f'<rect x="{x:.1f}" y="{height - 22 - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{BAR}"/>'
            + _centred(x + w / 2, height - 5, label)
            + (_centred(x + w / 2, height - 27 - h, str(value)) if value else "")
        )
    return _svg(height, parts, title)


def stacked_days(days: list[dict[str, object]]) -> Markup:
    """One column per day, split by status: answered, ambiguous, not found."""
    if not days:
        return EMPTY
    totals = [sum(int(d[s]) for s in COLOURS) for d in days]  # type: ignore[call-overload]
    top = max(totals) or 1
    slot, height = min(WIDTH / len(days), 60), 190
    label_every = max(1, round(len(days) / 10))  # a label per column up to 10 days
    parts = []
    for i, day in enumerate(days):
        x, w, base = i * slot + 2, slot - 4, height - 22
        for status, colour in COLOURS.items():
            h = int(day[status]) / top * (height - 50)  # type: ignore[call-overload]
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(str(day["day"]))} {status}: '
                f"{day[status]}</title></rect>"
            )
        if totals[i]:
            parts.append(_centred(x + w / 2, base - 5, str(totals[i])))
        if i % label_every == 0:
            parts.append(_centred(x + w / 2, height - 5, str(day["day"])[8:]))
    return _svg(height, parts, "Pertanyaan per hari menurut status")


def _centred(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(text)}</text>'


def _svg(height: float, parts: list[str], title: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="{FONT}"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _cut(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
