"""The live catalogue in-process: versions, a validated swap, a broken edit told once."""

from __future__ import annotations

import os
from pathlib import Path

from bot.reload import CatalogueReloader
from handlers.conversation import Assistant
from handlers.types import Incoming
from knowledge.live import catalogue_version, load_knowledge
from tests.bot_process import edit_stnk_fee
from tests.conftest import FRIDAY_MORNING


def test_the_version_follows_content_not_file_times(data_copy: Path) -> None:
    before = catalogue_version(data_copy)
    path = data_copy / "mpp.yaml"
    os.utime(path, (1, 1))
    assert catalogue_version(data_copy) == before
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert catalogue_version(data_copy) != before


async def test_a_good_edit_is_swapped_in_and_a_broken_one_told_once(data_copy: Path) -> None:
    assistant = Assistant(load_knowledge(data_copy, FRIDAY_MORNING))
    told: list[str] = []

    async def tell(text: str) -> None:
        told.append(text)

    reloader = CatalogueReloader(assistant, data_copy, lambda: FRIDAY_MORNING, poll_s=0)
    reloader.notifiers.append(tell)
    assert "sudah yang terbaru" in await reloader.reload()
    edit_stnk_fee(data_copy, "Rp7")
    assert "Katalog baru dipakai" in await reloader.reload()
    answer = assistant.handle(Incoming("u", FRIDAY_MORNING, text="syarat perpanjang stnk"))
    assert "Biaya: Rp7" in answer.plain_text()
    assert assistant.followups.matcher is assistant.matcher  # rebuilt with the new matcher
    good = assistant.knowledge
    path = data_copy / "agencies" / "samsat.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("requirements:", "requirement:", 1))
    assert "TIDAK dipakai" in await reloader.reload()
    assert "TIDAK dipakai" in await reloader.reload()
    assert len(told) == 1 and "field 'requirement'" in told[0]
    assert assistant.knowledge is good  # still serving the last good catalogue
