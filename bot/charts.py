"""Charts as inline SVG, drawn on the server: no script, no CDN, sharp when printed."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

COLOURS = {"answer": "#2e7d32", "ambiguous": "#f9a825", "none": "#c62828"}
BAR = "#1565c0"


def hbars(items: list[tuple[str, float]], scale: float | None = None, fmt: str = "{:g}") -> Markup:
    """Horizontal bars, one labelled row each (top services, SKM unsur means)."""
    if not items:
        return Markup('<p class="empty">Belum ada data.</p>')
    top = scale or max(v for _, v in items) or 1
    row, label_w, width = 26, 260, 620
    parts = []
    for i, (label, value) in enumerate(items):
        y = i * row
        w = max(value / top * (width - label_w - 60), 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(_cut(label))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 17}">{escape(fmt.format(value))}</text>'
        )
    return _svg(width, len(items) * row, parts, "Diagram batang")


def columns(values: dict[str, int], title: str) -> Markup:
    """Vertical columns over labelled slots (questions by hour)."""
    if not values:
        return Markup('<p class="empty">Belum ada data.</p>')
    top = max(values.values()) or 1
    slot, height = 32, 160
    parts = []
    for i, (label, value) in enumerate(values.items()):
        h = value / top * (height - 40)
        x = i * slot + 4
        parts.append(
            f'<rect x="{x}" y="{height - 20 - h:.1f}" width="{slot - 8}" height="{h:.1f}" '
            f'fill="{BAR}"/><text x="{x + (slot - 8) / 2}" y="{height - 5}" '
            f'text-anchor="middle">{escape(label)}</text><text x="{x + (slot - 8) / 2}" '
            f'y="{height - 24 - h:.1f}" text-anchor="middle">{value}</text>'
        )
    return _svg(len(values) * slot + 8, height, parts, title)


def stacked_days(days: list[dict[str, object]]) -> Markup:
    """One column per day, split by status: answered, ambiguous, not found."""
    if not days:
        return Markup('<p class="empty">Belum ada data.</p>')
    totals = [sum(int(d[s]) for s in COLOURS) for d in days]  # type: ignore[call-overload]
    top = max(totals) or 1
    slot, height = max(min(600 // len(days), 60), 14), 180
    parts = []
    for i, day in enumerate(days):
        x, base = i * slot + 4, height - 20
        for status, colour in COLOURS.items():
            h = int(day[status]) / top * (height - 40)  # type: ignore[call-overload]
            base -= h
            parts.append(
                f'<rect x="{x}" y="{base:.1f}" width="{slot - 6}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(str(day["day"]))} {status}: '
                f"{day[status]}</title></rect>"
            )
        parts.append(
            f'<text x="{x + (slot - 6) / 2}" y="{height - 5}" text-anchor="middle">'
            f"{escape(str(day['day'])[8:])}</text>"
        )
    return _svg(len(days) * slot + 8, height, parts, "Pertanyaan per hari menurut status")


def _svg(width: float, height: float, parts: list[str], title: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="12"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _cut(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
