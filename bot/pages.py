"""Server-rendered HTML (Jinja2): the stand-alone report file and the staff dashboard pages."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.charts import columns, hbars, stacked_days
from knowledge.skm import UNSUR

ENV = Environment(
    loader=PackageLoader("bot", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value is a bug to see, not a blank to print
)
ENV.globals.update(hbars=hbars, columns=columns, stacked_days=stacked_days)


def render(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    """What report_body.html needs beside the report itself: the bars of its charts."""
    overall = report["skm"]["overall"]
    skm_bars = [(u.name, overall["unsur"][u.name]) for u in UNSUR] if overall else []
    return {
        "r": report,
        "top_bars": [(t["title"], t["count"]) for t in report["top"]],
        "skm_bars": skm_bars,
    }


def report_html(report: dict[str, Any], mpp_name: str, generated: str) -> str:
    """The report as one self-contained HTML file (styles and charts inline)."""
    title = f"Laporan Asisten {mpp_name}"
    return render("report.html", title=title, generated=generated, **report_context(report))
