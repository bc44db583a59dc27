"""The staff dashboard at /admin and /metrics: login with MPP_ADMIN_TOKEN, a session cookie
(HttpOnly, SameSite=Strict), a CSRF token in every state-changing form. The token travels only
in the login form's body or an Authorization header, never in a URL, and nothing here logs it."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.dashboard import queues_today, unverified
from bot.metrics import CONTENT_TYPE, Metrics
from bot.pages import render, report_context
from bot.report import build_report, group_unanswered
from knowledge.catalogue import Catalogue
from state.reminders import ReminderStore
from state.survey import SurveyStore
from state.usage import Period, UsageStore

COOKIE = "mpp_admin"
SESSION_S = 8 * 3600  # one working day
MAX_FAILURES = 5  # wrong tokens per client per FAILURE_WINDOW_S before logins are refused
FAILURE_WINDOW_S = 15 * 60


@dataclass
class Session:
    csrf: str
    expires: float


@dataclass(frozen=True)
class Sources:
    """What the pages read. `current` gives the catalogue in use now (a live reload swaps it)."""

    current: Callable[[], Catalogue]
    usage: UsageStore
    surveys: SurveyStore
    reminders: ReminderStore
    metrics: Metrics
    clock: Callable[[], datetime]

    @property
    def catalogue(self) -> Catalogue:
        return self.current()


class Dashboard:
    def __init__(self, token: str | None, sources: Sources) -> None:
        self.token = token
        self.src = sources
        self.sessions: dict[str, Session] = {}  # in memory: a restart asks staff to log in again
        self.failures: dict[str, list[float]] = {}

    def routes(self) -> list[Route]:
        return [
            Route("/admin", self.today, methods=["GET"]),
            Route("/admin/login", self.login_page, methods=["GET"]),
            Route("/admin/login", self.login, methods=["POST"]),
            Route("/admin/logout", self.logout, methods=["POST"]),
            Route("/admin/report", self.report, methods=["GET"]),
            Route("/admin/unanswered", self.unanswered, methods=["GET"]),
            Route("/admin/unanswered/forget", self.forget, methods=["POST"]),
            Route("/admin/verify", self.verify, methods=["GET"]),
            Route("/metrics", self.metrics, methods=["GET"]),
        ]

    # --- authentication ---------------------------------------------------------------------
    def session(self, request: Request) -> Session | None:
        sid = request.cookies.get(COOKIE, "")
        found = self.sessions.get(sid)
        if found and found.expires < time.monotonic():
            del self.sessions[sid]
            return None
        return found

    def _login_form(self, status: int = 401, error: str | None = None) -> HTMLResponse:
        page = render(
            "admin/login.html",
            title="Masuk",
            mpp_name=self.src.catalogue.mpp.name,
            closed=self.token is None,
            error=error,
        )
        return HTMLResponse(page, status_code=status, headers=_NO_STORE)

    async def login_page(self, request: Request) -> Response:
        if self.session(request):
            return RedirectResponse("/admin", status_code=303)
        return self._login_form()

    async def login(self, request: Request) -> Response:
        client = request.client.host if request.client else "?"
        now = time.monotonic()
        recent = [t for t in self.failures.get(client, []) if now - t < FAILURE_WINDOW_S]
        if len(self.failures) > 10_000:  # many addresses guessing: keep only recent ones
            self.failures = {k: v for k, v in self.failures.items() if now - v[-1] < 60}
        if len(recent) >= MAX_FAILURES:
            return self._login_form(429, "Terlalu banyak percobaan. Coba lagi 15 menit lagi.")
        given = (await _form(request)).get("token", "")
        if self.token is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            self.failures[client] = [*recent, now]
            return self._login_form(401, "Token salah.")
        self.failures.pop(client, None)
        self.sessions = {k: v for k, v in self.sessions.items() if v.expires > now}
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = Session(secrets.token_urlsafe(32), now + SESSION_S)
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(
            COOKIE,
            sid,
            max_age=SESSION_S,
            path="/admin",  # the queue API and /metrics never see it
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    async def logout(self, request: Request) -> Response:
        _, refused = await self._checked_post(request)
        if refused:
            return refused
        self.sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = RedirectResponse("/admin/login", status_code=303)
        response.delete_cookie(COOKIE, path="/admin")
        return response

    async def _checked_post(self, request: Request) -> tuple[dict[str, str], Response | None]:
        """The form of a state-changing POST, or the refusal: no session, or a bad CSRF token."""
        session = self.session(request)
        if session is None:
            return {}, self._login_form()
        form = await _form(request)
        if not hmac.compare_digest(form.get("csrf", "").encode(), session.csrf.encode()):
            return form, HTMLResponse("CSRF token salah atau hilang.", status_code=403)
        return form, None

    # --- pages ------------------------------------------------------------------------------
    def _page(self, request: Request, template: str, **context: object) -> Response:
        session = self.session(request)
        if session is None:
            return self._login_form()
        page = render(template, csrf=session.csrf, here=request.url.path, **context)
        return HTMLResponse(page, headers=_NO_STORE)

    def _report(self, days: int) -> dict[str, object]:
        src = self.src
        src.usage.purge(src.clock())
        return build_report(src.usage, src.surveys, src.catalogue, src.clock(), days)

    async def today(self, request: Request) -> Response:
        if self.session(request) is None:
            return self._login_form()
        now, src = self.src.clock(), self.src
        week = self._report(7)
        today = build_report(src.usage, src.surveys, src.catalogue, now, 1)
        queues = queues_today(src.reminders, src.catalogue, now)
        return self._page(
            request,
            "admin/today.html",
            title="Hari ini",
            day=now.strftime("%d-%m-%Y"),
            r=today,
            top=week["top"][:5],  # type: ignore[index]
            queues=queues,
            subscribers=sum(q["subscribers"] for q in queues),
        )

    async def report(self, request: Request) -> Response:
        days = _days(request)
        if self.session(request) is None:
            return self._login_form()
        context = report_context(self._report(days))
        return self._page(request, "admin/report.html", title="Laporan", **context)

    async def unanswered(self, request: Request, message: str | None = None) -> Response:
        if self.session(request) is None:
            return self._login_form()
        days = _days(request, default=30)
        src = self.src
        src.usage.purge(src.clock())
        period = Period.ending(src.clock(), days, src.usage.tz)
        groups = group_unanswered(src.usage.unanswered_texts(period))
        return self._page(
            request,
            "admin/unanswered.html",
            title="Belum terjawab",
            days=days,
            groups=groups,
            message=message,
        )

    async def forget(self, request: Request) -> Response:
        form, refused = await self._checked_post(request)
        if refused:
            return refused
        ids = [int(i) for i in form.get("ids", "").split(",") if i.strip().isdigit()]
        gone = self.src.usage.forget_unanswered(ids) if ids else 0
        return await self.unanswered(request, message=f"{gone} pertanyaan ditandai ditangani.")

    async def verify(self, request: Request) -> Response:
        groups = unverified(self.src.catalogue)
        total = sum(g.count for g in groups)
        return self._page(
            request, "admin/verify.html", title="Perlu diverifikasi", groups=groups, total=total
        )

    async def metrics(self, request: Request) -> Response:
        """With MPP_ADMIN_TOKEN set: only with it as bearer token. Without: loopback only."""
        if self.token is not None:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
                return Response("missing or wrong bearer token\n", status_code=401)
        elif not _loopback(request):
            return Response("metrics are served to loopback only\n", status_code=403)
        return Response(self.src.metrics.exposition(), media_type=CONTENT_TYPE)


_NO_STORE = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    # Nothing to load from elsewhere, no script at all: an injected tag could do nothing.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}


async def _form(request: Request) -> dict[str, str]:
    """A urlencoded form body (small: the dashboard's forms have two fields)."""
    body = (await request.body())[:8192].decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body).items()}


def _days(request: Request, default: int = 7) -> int:
    raw = request.query_params.get("days", "")
    return min(max(int(raw), 1), 366) if raw.isdigit() else default


def _loopback(request: Request) -> bool:
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False
