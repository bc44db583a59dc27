"""The staff dashboard in a real browser (the distribution's headless Chromium, driven by
Playwright), at a phone's width: login, the pages, the session cookie, CSRF, logout."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.catalogue import Catalogue
from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram, FakeTelegramServer
from tests.test_report_e2e import ADMIN_TOKEN, NIK, ask_all

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run should have installed it", pytrace=False)
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium); CI installs it",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture
def bot(server: FakeTelegramServer, tmp_path: Path) -> Iterator[BotProcess]:
    with BotProcess(server.base_url, tmp_path, MPP_ADMIN_TOKEN=ADMIN_TOKEN) as process:
        yield process


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_dashboard_login_pages_csrf_and_logout_on_a_phone(
    fake: FakeTelegram, bot: BotProcess, browser: Browser, catalogue: Catalogue, tmp_path: Path
) -> None:
    ask_all(
        fake,
        [
            "syarat perpanjang STNK",
            "perpanjangan stnk",
            f"nik saya {NIK} dipakai pinjol orang lain",
        ],
    )
    ask_all(fake, ["/antrian A030"], (555_000_111,))
    assert bot.call("A025", counter="4").status_code == 200
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()

    first = page.goto(f"{bot.url}/admin")
    assert first is not None and first.status == 401
    page.fill("input[name=token]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("Token salah")
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Hari ini")
    expect(page.locator("main")).to_contain_text(catalogue.services["stnk-tahunan"].name)
    expect(page.locator("main table")).to_contain_text("A025")  # last called, to counter 4
    assert ADMIN_TOKEN not in page.url and fits_the_phone(page)
    cookie = next(c for c in context.cookies() if c["name"] == "mpp_admin")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    screenshot(page, tmp_path, "today")

    page.get_by_role("link", name="Laporan").click()
    expect(page.locator("h1")).to_contain_text("Laporan")  # the click only starts loading
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator("svg.chart").count() >= 2 and fits_the_phone(page)
    screenshot(page, tmp_path, "report")

    page.get_by_role("link", name="Belum terjawab").click()
    expect(page.locator("h1")).to_contain_text("Belum terjawab")
    expect(page.locator("main")).to_contain_text("nik saya [NIK] dipakai pinjol orang lain")
    forged = page.request.post(f"{bot.url}/admin/unanswered/forget", form={"ids": "1,2,3"})
    assert forged.status == 403  # the session cookie alone is not enough
    page.get_by_role("button", name="Sudah ditangani").click()
    expect(page.locator("main")).to_contain_text("1 pertanyaan ditandai ditangani")
    expect(page.locator("main")).not_to_contain_text("[NIK]")

    page.get_by_role("link", name="Perlu diverifikasi").click()
    expect(page.locator("h1")).to_contain_text("Perlu diverifikasi")
    expect(page.locator("main")).to_contain_text("Samsat")
    assert fits_the_phone(page)
    screenshot(page, tmp_path, "verify")

    page.get_by_role("button", name="Keluar").click()
    expect(page.locator("input[name=token]")).to_be_visible()
    again = page.goto(f"{bot.url}/admin")
    assert again is not None and again.status == 401
    assert ADMIN_TOKEN not in bot.log()
    context.close()


def screenshot(page: Page, tmp_path: Path, name: str) -> None:
    """Saved for a person to look at; MPP_SCREENSHOT_DIR keeps them after the test."""
    path = tmp_path / f"admin-{name}.png"
    page.screenshot(path=str(path), full_page=name != "verify")  # verify is very long
    keep = os.environ.get("MPP_SCREENSHOT_DIR")
    if keep:
        shutil.copy(path, Path(keep) / path.name)
