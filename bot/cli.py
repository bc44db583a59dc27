"""`mpp-bot`: console chat, one-shot answers, the matcher contract, and catalogue tools."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.admin import Dashboard, Sources
from bot.console import chat, render
from bot.metrics import Metrics, Recorder
from bot.pages import report_html
from bot.report import build_report, report_text
from bot.settings import Settings, SettingsError
from handlers.conversation import Assistant
from handlers.queue import QueueFlow
from handlers.survey import OFFER as SURVEY_OFFER
from handlers.survey import SurveyFlow, agency_finder
from handlers.types import Incoming
from knowledge.audit import audit
from knowledge.catalogue import Catalogue, CatalogueError, load_catalogue
from knowledge.database import DatabaseError, build_database
from knowledge.live import Knowledge
from knowledge.matcher import Matcher
from state.announcements import AnnouncementStore
from state.context import ContextStore
from state.db import Database, Unavailable, open_database
from state.reminders import ReminderStore
from state.survey import SurveyStore
from state.usage import UsageStore, open_state

JAKARTA = ZoneInfo("Asia/Jakarta")


def _moment(text: str) -> datetime:
    """--now: an ISO time in a year the calendar can still look a week ahead of."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an ISO time, e.g. 2026-11-27T09:30"
        ) from None
    if not 1900 <= when.year <= 9000:
        raise argparse.ArgumentTypeError(f"'{text}': use a year between 1900 and 9000")
    return when


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mpp-bot", description="Asisten MPP Among Warga")
    parser.add_argument(
        "--data",
        type=Path,
        help="catalogue folder (default: the built-in one, or MPP_CATALOGUE_DIR)",
    )
    parser.add_argument(
        "--now",
        type=_moment,
        help="pretend it is this time (ISO, e.g. 2026-11-27T09:30), for testing",
    )
    parser.add_argument(
        "--clock-runs",
        action="store_true",
        help="with --now: the pretended clock keeps running from that time (tests of expiry)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("chat", help="chat with the assistant in this terminal (no token needed)")
    ask = sub.add_parser("ask", help="print one answer")
    ask.add_argument("question", nargs="+")
    ask.add_argument(
        "--detail", action="store_true", help="print what the Detail button shows (the rest)"
    )
    match = sub.add_parser("match", help="match questions from stdin, one JSON object per line")
    match.add_argument("--json", action="store_true", required=True)
    match.add_argument("--top", type=int, default=5)
    sub.add_parser("run", help="serve Telegram and/or WhatsApp, reminders and the queue API")
    cat = sub.add_parser("catalogue", help="check, export or build the catalogue")
    cat_sub = cat.add_subparsers(dest="action", required=True)
    cat_sub.add_parser("check", help="validate the data files; non-zero exit on problems")
    export = cat_sub.add_parser("export", help="print the catalogue as JSON, or write .xlsx")
    form = export.add_mutually_exclusive_group(required=True)
    form.add_argument("--json", action="store_true", help="print every field as JSON")
    form.add_argument("--xlsx", type=Path, metavar="FILE", help="write a workbook for staff")
    imp = cat_sub.add_parser("import", help="write an edited workbook back as the YAML files")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--data",
        dest="into",
        type=Path,
        help="catalogue folder to write (default: the one in use)",
    )
    build = cat_sub.add_parser("build", help="write the SQLite knowledge database")
    build.add_argument("--db", type=Path, help="output file (default MPP_KNOWLEDGE_DB)")
    report = sub.add_parser("report", help="what citizens asked: counts, unanswered, SKM")
    report.add_argument("--days", type=int, default=7, help="days up to today (default 7)")
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--html", type=Path, metavar="FILE", help="write a printable HTML file")
    return parser


STARTED = time.monotonic()


def _now(args: argparse.Namespace) -> datetime:
    if args.now is None:
        return datetime.now(JAKARTA)
    now = args.now if args.now.tzinfo else args.now.replace(tzinfo=JAKARTA)
    if args.clock_runs:
        now += timedelta(seconds=time.monotonic() - STARTED)
    return now


def _console_assistant(
    cat: Catalogue, settings: Settings, context: ContextStore | None = None
) -> Assistant:
    """The console shows the announcements of a bot running on this machine, if there is one
    (an absent state file is not created: chat and ask need no state)."""
    notices = None
    if settings.database_url or settings.state_db.exists():
        try:
            notices = AnnouncementStore(settings.database_url or settings.state_db)
        except (sqlite3.Error, OSError, Unavailable):  # unreadable: answer without them
            notices = None
    return Assistant(cat, context=context, announcements=notices)


def cmd_chat(args: argparse.Namespace, cat: Catalogue, settings: Settings) -> int:
    # The console's context lives in memory: one person, gone when the chat ends.
    minutes = settings.context_minutes
    context = ContextStore(":memory:", minutes) if minutes else None
    assistant = _console_assistant(cat, settings, context)
    assistant.warm_up(_now(args))
    try:
        return chat(assistant, clock=lambda: _now(args))
    finally:
        if context:
            context.close()


def cmd_ask(args: argparse.Namespace, cat: Catalogue, settings: Settings) -> int:
    """The first message as a chat would send it; with --detail, what the Detail button shows."""
    assistant, now = _console_assistant(cat, settings), _now(args)
    reply = assistant.handle(Incoming("console", now, " ".join(args.question)))
    detail = next((c.payload for c in reply.choices if c.payload.startswith("detail:")), None)
    if args.detail and detail:
        reply = assistant.handle(Incoming("console", now, payload=detail, kind="button"))
    elif args.detail:
        print("(Jawaban ini tidak punya bagian Detail.)", file=sys.stderr)
    print(render(reply))
    return 0


def cmd_match(args: argparse.Namespace, cat: Catalogue, settings: Settings) -> int:
    matcher = Matcher(cat)
    for line in sys.stdin:
        query = line.rstrip("\n")
        result = matcher.search(query, top=max(args.top, 1))
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
    return 0


def cmd_catalogue(args: argparse.Namespace, cat: Catalogue, settings: Settings) -> int:
    if args.action == "export" and args.xlsx:
        from knowledge.workbook import export_workbook  # openpyxl only where it is needed

        try:
            export_workbook(cat, args.xlsx)
        except OSError as exc:
            print(f"Cannot write {args.xlsx}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"Wrote {args.xlsx}: {len(cat.agencies)} agencies, {len(cat.services)} services")
    elif args.action == "export":
        print(json.dumps(cat.export(), ensure_ascii=False, indent=2))
    elif args.action == "import":
        return cmd_import(args, cat)
    elif args.action == "build":
        path = args.db or settings.knowledge_db
        try:
            db = build_database(cat, path)
        except (DatabaseError, OSError) as exc:
            print(f"Cannot write the knowledge database: {exc}", file=sys.stderr)
            return 1
        print(f"Wrote {path}: " + ", ".join(f"{t} {db[t].count}" for t in db.table_names()))
    else:
        problems = audit(cat)
        if problems:
            print(f"The catalogue has {len(problems)} problem(s):", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(
            f"OK: {len(cat.agencies)} agencies, {len(cat.services)} services, "
            f"{len(cat.facilities)} facilities, {len(cat.info)} info topics, "
            f"{len(cat.examples)} example questions in {cat.data_dir}"
        )
        for example in cat.stray_examples[:STRAY_SHOWN]:
            print(
                f"Note: examples/{example.source} line {example.line} names no entry "
                f"({' '.join(example.refs)}): left out"
            )
        if len(cat.stray_examples) > STRAY_SHOWN:
            print(f"Note: {len(cat.stray_examples) - STRAY_SHOWN} more such example questions")
    return 0


STRAY_SHOWN = 10  # example questions naming no entry listed by `catalogue check`


def cmd_import(args: argparse.Namespace, cat: Catalogue) -> int:
    from knowledge.sheet_import import import_workbook
    from knowledge.workbook import WorkbookError

    target = args.into or cat.data_dir
    try:
        changed = import_workbook(args.file, target)
    except WorkbookError as exc:
        print(f"Not imported: {len(exc.problems)} problem(s) in {args.file}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\n".join(changed) if changed else f"No changes: {target} already matches the file.")
    return 0


def cmd_report(args: argparse.Namespace, cat: Catalogue, settings: Settings) -> int:
    if args.days < 1:
        print("--days must be 1 or more", file=sys.stderr)
        return 2
    try:
        db = open_state(settings.database_url or settings.state_db)
    except Unavailable as exc:
        print(f"Cannot reach the database at MPP_DATABASE_URL: {exc}", file=sys.stderr)
        return 3
    try:
        usage = UsageStore(db, settings.unanswered_days)
        now = _now(args)
        report = build_report(usage, SurveyStore(db), cat, now, args.days)
    finally:
        db.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif args.html:
        stamp = now.strftime("%Y-%m-%d %H:%M WIB")
        args.html.write_text(report_html(report, cat.mpp.name, stamp), encoding="utf-8")
        print(f"Wrote {args.html}")
    else:
        print(report_text(report))
    return 0


def cmd_run(args: argparse.Namespace, cat: Catalogue, settings: Settings) -> int:
    from bot.reload import CatalogueReloader
    from bot.run import Extras, run  # imported here: chat/ask need no channel libraries

    try:
        # One pool shared by every store on PostgreSQL; SQLite stores each keep their file open.
        shared = open_database(settings.database_url) if settings.database_url else None
        target = shared or settings.state_db
        store = ReminderStore(target, thresholds=settings.remind_at)
        minutes = settings.context_minutes
        context = ContextStore(target, minutes) if minutes else None
        db = shared or open_state(settings.state_db)
        notices = AnnouncementStore(target)
    except Unavailable as exc:
        print(f"Cannot reach the database at MPP_DATABASE_URL: {exc}", file=sys.stderr)
        return 3
    except (sqlite3.Error, OSError) as exc:
        print(f"Cannot open MPP_STATE_DB={settings.state_db}: {exc}", file=sys.stderr)
        return 2

    def clock() -> datetime:
        return _now(args)

    assistant, dashboard = _assemble(settings, cat, store, db, clock, context, notices)
    assistant.warm_up(_now(args))
    if args.data:  # the folder answered from is the one watched for edits
        settings = replace(settings, catalogue_dir=args.data)
    try:
        reloader = CatalogueReloader(
            assistant, settings.catalogue_dir, clock, settings.catalogue_poll
        )
        extras = Extras(routes=dashboard.routes(), jobs=[reloader.watch], reloader=reloader)
        return run(settings, assistant, clock, extras)
    finally:
        if db is not shared:
            db.close()
        store.close()
        notices.close()
        if context:
            context.close()
        if shared:
            shared.close()


def _assemble(
    settings: Settings,
    cat: Catalogue,
    store: ReminderStore,
    db: Database,
    clock: Callable[[], datetime],
    context: ContextStore | None,
    notices: AnnouncementStore,
) -> tuple[Assistant, Dashboard]:
    """The assistant with its recorder and survey, and the dashboard reading the same state."""
    usage, surveys, metrics = UsageStore(db, settings.unanswered_days), SurveyStore(db), Metrics()
    usage.purge(clock())
    surveys.purge(clock())
    metrics.watch_reminders(usage, clock)
    metrics.catalogue_reloads.inc()
    knowledge = Knowledge.build(cat, loaded_at=clock())
    matcher = knowledge.matcher
    assistant = Assistant(
        knowledge,
        queue=QueueFlow(store, cat, survey_offer=SURVEY_OFFER),
        context=context,
        recorder=Recorder(usage, metrics, purge=[surveys.purge]),
        survey=SurveyFlow(surveys, cat, agency_finder(matcher, cat)),
        announcements=notices,
    )
    # The pages read the assistant's catalogue, so a live edit shows there too.
    sources = Sources(lambda: assistant.knowledge.catalogue, usage, surveys, store, metrics, clock)
    return assistant, Dashboard(settings.admin_token, sources)


COMMANDS: dict[str, Callable[[argparse.Namespace, Catalogue, Settings], int]] = {
    "chat": cmd_chat,
    "ask": cmd_ask,
    "run": cmd_run,
    "match": cmd_match,
    "catalogue": cmd_catalogue,
    "report": cmd_report,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"Setting error: {exc}", file=sys.stderr)
        return 2
    try:
        cat = load_catalogue(args.data or settings.catalogue_dir)
    except CatalogueError as exc:
        print(f"The catalogue has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    try:
        return COMMANDS[args.command](args, cat, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
