"""The dashboard's guards in-process (the browser test covers the pages): a closed dashboard,
login lock-out, CSRF, and /metrics for loopback only when no admin token is set."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.admin import Dashboard, Sources
from bot.metrics import Metrics
from knowledge.catalogue import Catalogue
from state.reminders import ReminderStore
from state.survey import SurveyStore
from state.usage import UsageStore
from tests.conftest import FRIDAY_MORNING


@pytest.fixture
def sources(tmp_path: Path, catalogue: Catalogue) -> Iterator[Sources]:
    store = ReminderStore(tmp_path / "state.db")
    usage, metrics = UsageStore(store.db), Metrics()
    metrics.watch_reminders(usage, lambda: FRIDAY_MORNING)
    yield Sources(
        lambda: catalogue, usage, SurveyStore(store.db), store, metrics, lambda: FRIDAY_MORNING
    )
    store.close()


def client(token: str | None, sources: Sources) -> httpx.AsyncClient:
    """The dashboard in-process, reached from an address that is not loopback."""
    app = Starlette(routes=Dashboard(token, sources).routes())
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://mpp.test")


async def test_without_a_token_the_dashboard_is_closed(sources: Sources) -> None:
    web = client(None, sources)
    page = await web.get("/admin")
    assert page.status_code == 401 and "tertutup" in page.text
    assert (await web.post("/admin/login", data={"token": ""})).status_code == 401


async def test_metrics_without_a_token_answer_loopback_only(sources: Sources) -> None:
    assert (await client(None, sources).get("/metrics")).status_code == 403


async def test_metrics_with_a_token_need_it(sources: Sources) -> None:
    web = client("s3cret", sources)
    assert (await web.get("/metrics")).status_code == 401
    ok = await web.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and "mpp_reminders_sent_total 0.0" in ok.text


async def test_five_wrong_tokens_lock_the_login(sources: Sources) -> None:
    web = client("s3cret", sources)
    for _ in range(5):
        assert (await web.post("/admin/login", data={"token": "guess"})).status_code == 401
    locked = await web.post("/admin/login", data={"token": "s3cret"})
    assert locked.status_code == 429


async def test_state_changing_forms_need_the_session_and_its_csrf_token(sources: Sources) -> None:
    sources.usage.record("telegram", "none", None, "resep rendang", FRIDAY_MORNING)
    web = client("s3cret", sources)
    assert (await web.post("/admin/unanswered/forget", data={"ids": "1"})).status_code == 401
    assert (await web.post("/admin/login", data={"token": "s3cret"})).status_code == 303
    forged = await web.post("/admin/unanswered/forget", data={"ids": "1", "csrf": "made-up"})
    assert forged.status_code == 403
    page = await web.get("/admin/unanswered")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    done = await web.post("/admin/unanswered/forget", data={"ids": "1", "csrf": csrf})
    assert done.status_code == 200 and "1 pertanyaan ditandai ditangani" in done.text
    assert sources.usage.db.execute("select count(*) from unanswered").fetchone()[0] == 0
    assert "Content-Security-Policy" in done.headers


async def test_the_pages_follow_a_live_catalogue_edit(
    catalogue: Catalogue, sources: Sources
) -> None:
    """A reload swaps the assistant's catalogue; the dashboard reads the one in use now."""
    service = catalogue.services["stnk-tahunan"]
    renamed = service.model_copy(update={"name": "Pajak STNK tahunan (nama baru)"})
    edited = replace(catalogue, services={**catalogue.services, service.id: renamed})
    in_use = [catalogue]
    live = replace(sources, current=lambda: in_use[0])
    web = client("s3cret", live)
    assert (await web.post("/admin/login", data={"token": "s3cret"})).status_code == 303
    assert "nama baru" not in (await web.get("/admin/verify")).text
    in_use[0] = edited
    assert "Pajak STNK tahunan (nama baru)" in (await web.get("/admin/verify")).text
