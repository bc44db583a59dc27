"""Live catalogue: notice edits (polling, SIGHUP, a staff command), validate, swap in whole.

Loading runs in a worker thread so answers keep flowing; the swap itself is one assignment made
on the event loop, so no message is ever answered half from the old and half from the new data.
A broken edit leaves the current catalogue serving; staff chats are told once per broken version.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from handlers.conversation import Assistant
from knowledge.catalogue import CatalogueError
from knowledge.live import catalogue_version, fingerprint, load_knowledge

log = logging.getLogger(__name__)
Notify = Callable[[str], Awaitable[None]]
SETTLE_S = 0.3  # an editor may write a file in several steps: wait until it holds still
MAX_PROBLEMS_TOLD = 10


class CatalogueReloader:
    def __init__(
        self,
        assistant: Assistant,
        data_dir: Path,
        clock: Callable[[], datetime],
        poll_s: float = 3.0,
    ) -> None:
        self.assistant = assistant
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.poll_s = poll_s
        self.notifiers: list[Notify] = []  # each channel adds how it tells its staff chats
        # Nothing seen yet: the first look compares versions, so an edit made while the bot
        # was starting is not missed.
        self._seen: tuple[tuple[str, int, int], ...] = ()
        self._failed: str | None = None  # the version of the last broken edit, told once
        self._asked = asyncio.Event()
        self._lock = asyncio.Lock()

    def request(self) -> None:
        """Reload at the next chance (SIGHUP)."""
        self._asked.set()

    async def watch(self) -> None:
        """Reload on SIGHUP and on edits (every `poll_s` seconds; 0: on SIGHUP only), forever."""
        with contextlib.suppress(NotImplementedError):  # no SIGHUP on Windows
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.request)
        await self.run()

    async def run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._asked.wait(), timeout=self.poll_s or None)
            asked, changed = self._asked.is_set(), await self._changed()
            self._asked.clear()
            if asked or changed:
                await self.reload()

    async def _changed(self) -> bool:
        seen = await asyncio.to_thread(fingerprint, self.data_dir)
        if seen == self._seen:
            return False
        while True:  # wait for the edit to finish before reading it
            await asyncio.sleep(SETTLE_S)
            again = await asyncio.to_thread(fingerprint, self.data_dir)
            if again == seen:
                break
            seen = again
        self._seen = seen
        return True

    async def reload(self) -> str:
        """Load if the files differ from what is serving; returns a line for staff."""
        async with self._lock:
            current = self.assistant.knowledge
            version = await asyncio.to_thread(catalogue_version, self.data_dir)
            if version == current.version:
                return f"Katalog sudah yang terbaru (versi {version})."
            try:
                fresh = await asyncio.to_thread(load_knowledge, self.data_dir, self.clock())
            except CatalogueError as exc:
                return await self._broken(version, exc)
            self.assistant.swap(fresh)
            self._failed = None
            log.info(
                "catalogue reloaded: version %s, %d services",
                fresh.version,
                len(fresh.catalogue.services),
            )
            return (
                f"Katalog baru dipakai: versi {fresh.version}, "
                f"{len(fresh.catalogue.services)} layanan."
            )

    async def _broken(self, version: str, exc: CatalogueError) -> str:
        for problem in exc.problems:
            log.error("catalogue edit rejected: %s", problem)
        serving = self.assistant.knowledge.version
        lines = [str(p) for p in exc.problems[:MAX_PROBLEMS_TOLD]]
        if len(exc.problems) > MAX_PROBLEMS_TOLD:
            lines.append(f"... dan {len(exc.problems) - MAX_PROBLEMS_TOLD} masalah lain")
        text = (
            f"⚠️ Perubahan katalog TIDAK dipakai: ada {len(exc.problems)} masalah. "
            f"Bot tetap menjawab dengan katalog sebelumnya (versi {serving}).\n"
            + "\n".join(lines)
            + "\nPerbaiki filenya; bot memuat ulang sendiri setelah disimpan."
        )
        if version != self._failed:
            self._failed = version
            await self._tell_staff(text)
        return text

    async def _tell_staff(self, text: str) -> None:
        for notify in self.notifiers:
            try:
                await notify(text)
            except Exception:  # one channel failing must not stop the reloader
                log.warning("could not tell staff about a broken catalogue edit", exc_info=True)
