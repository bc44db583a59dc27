"""The management report: what citizens asked, what went unanswered, reminders and the SKM."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz

from knowledge.catalogue import Catalogue
from knowledge.normalize import fold
from knowledge.skm import UNSUR, ikm
from state.survey import SurveyStore
from state.usage import Period, UsageStore

STATUSES = ("answer", "ambiguous", "none")
# rapidfuzz ratio at which two phrasings count as one question. Not token_set_ratio: it calls
# "surat" and "surat kehilangan" the same (one is a subset of the other).
SIMILAR = 80


@dataclass
class Group:
    """Unanswered questions that say the same thing; `text` is the most common phrasing."""

    text: str
    count: int = 0
    ids: list[int] = field(default_factory=list)
    phrasings: Counter[str] = field(default_factory=Counter)


def group_unanswered(rows: list[tuple[int, str]]) -> list[Group]:
    """Similar phrasings together ("cara bikin paspor" ~ "cara bikin paspor?"), biggest first."""
    groups: list[tuple[str, Group]] = []
    for ident, text in rows:
        key = fold(text).strip(" ?!.,")
        home = next((g for k, g in groups if fuzz.ratio(k, key) >= SIMILAR), None)
        if home is None:
            home = Group(text)
            groups.append((key, home))
        home.count += 1
        home.ids.append(ident)
        home.phrasings[text] += 1
    for _, group in groups:
        group.text = group.phrasings.most_common(1)[0][0]
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.text))


def build_report(
    usage: UsageStore,
    survey: SurveyStore,
    catalogue: Catalogue,
    now: datetime,
    days: int = 7,
) -> dict[str, Any]:
    period = Period.ending(now, days, usage.tz)
    per_day, by_status, by_channel = _counts(usage, period)
    total = sum(by_status.values())
    return {
        "from": period.first,
        "to": period.last,
        "questions": total,
        "by_status": by_status,
        "answered_rate": round(by_status["answer"] / total, 3) if total else None,
        "by_channel": by_channel,
        "per_day": per_day,
        "top": [_top(catalogue, ref, n) for ref, n in usage.top_refs(period)],
        "unanswered": [
            {"text": g.text, "count": g.count}
            for g in group_unanswered(usage.unanswered_texts(period))
        ],
        "by_hour": _hours(usage.by_hour(period)),
        "reminders": usage.reminders(period),
        "skm": skm_report(survey, catalogue, period),
    }


def _hours(counts: dict[int, int]) -> dict[str, int]:
    """Every hour of the service day (07-16 WIB) and any other hour with questions."""
    first, last = min([7, *counts]), max([16, *counts])
    return {f"{h:02d}": counts.get(h, 0) for h in range(first, last + 1)}


def _counts(
    usage: UsageStore, period: Period
) -> tuple[list[dict[str, Any]], dict[str, int], dict[str, int]]:
    days = {
        d: {"day": d, **dict.fromkeys(STATUSES, 0), "by_channel": Counter()} for d in period.days()
    }
    by_status = dict.fromkeys(STATUSES, 0)
    by_channel: Counter[str] = Counter()
    for row in usage.per_day(period):
        day = days[row["day"]]
        day[row["status"]] = day.get(row["status"], 0) + row["n"]
        day["by_channel"][row["channel"]] += row["n"]
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_channel[row["channel"]] += row["n"]
    for day in days.values():
        day["by_channel"] = dict(day["by_channel"])
    return list(days.values()), by_status, dict(by_channel.most_common())


def skm_report(survey: SurveyStore, catalogue: Catalogue, period: Period) -> dict[str, Any]:
    """Per agency and overall: each unsur's mean, the IKM and its grade (PermenPANRB 14/2017)."""
    per_agency = survey.responses(period.first, period.last)
    everyone = [r for rows in per_agency.values() for r in rows]
    overall = ikm(everyone)
    agencies = []
    for agency_id, rows in sorted(per_agency.items(), key=lambda kv: -len(kv[1])):
        result = ikm(rows)
        if result:
            name = _title(catalogue, f"agency:{agency_id}")
            agencies.append({"agency": agency_id, "name": name, **result.to_json()})
    return {
        "respondents": len(everyone),
        "unsur": [u.name for u in UNSUR],
        "overall": overall.to_json() if overall else None,
        "agencies": agencies,
        "comments": survey.comments(period.first, period.last),
    }


def _top(catalogue: Catalogue, ref: str, count: int) -> dict[str, Any]:
    """One of the most asked entries: its name and, for a service, its agency."""
    entry = catalogue.get(ref)
    agency = catalogue.agencies.get(getattr(entry, "agency", "") or "")
    return {
        "ref": ref,
        "title": _title(catalogue, ref),
        "agency": agency.name if agency else None,
        "count": count,
    }


def _title(catalogue: Catalogue, ref: str) -> str:
    entry = catalogue.get(ref)
    if entry is None:
        return "MPP (umum)" if ref == "agency:mpp" else ref  # an entry since removed: its ref
    return entry.name


def report_text(report: dict[str, Any]) -> str:
    """The report for a terminal."""
    s = report["by_status"]
    rate = report["answered_rate"]
    lines = [
        f"Laporan {report['from']} s.d. {report['to']}",
        f"Pertanyaan: {report['questions']} (terjawab langsung {s['answer']}, "
        f"perlu pilihan {s['ambiguous']}, tidak ditemukan {s['none']})"
        + (f"; terjawab langsung {rate:.0%}" if rate is not None else ""),
        "Per kanal: " + (", ".join(f"{c} {n}" for c, n in report["by_channel"].items()) or "-"),
        "",
        "Layanan paling banyak ditanyakan:",
        *(
            f"  {i}. {t['title']}"
            + (f" ({t['agency']})" if t["agency"] else "")
            + f": {t['count']}"
            for i, t in enumerate(report["top"], 1)
        ),
        "",
        "Pertanyaan yang belum terjawab:",
        *(f"  {u['count']}x {u['text']}" for u in report["unanswered"][:20]),
        "",
        "Pengingat antrian: dibuat {made}, terkirim {sent}, gagal {failed}".format(
            **report["reminders"]
        ),
    ]
    skm = report["skm"]
    if skm["overall"]:
        o = skm["overall"]
        lines.append(
            f"SKM: {skm['respondents']} responden, IKM {o['ikm']:.2f} ({o['grade']}, "
            f"{o['quality']})"
        )
        lines += [f"  {a['name']}: IKM {a['ikm']:.2f} ({a['grade']})" for a in skm["agencies"]]
    else:
        lines.append("SKM: belum ada responden")
    return "\n".join(lines)
