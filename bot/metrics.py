"""Prometheus metrics (`/metrics`) and the recorder every channel's questions pass through."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from state.db import Unavailable
from state.usage import Period, UsageStore

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """One registry per process (not the global one, so tests can build several)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.questions = Counter(
            "mpp_questions",
            "Questions answered, by channel and status (answer, ambiguous, none)",
            ["channel", "status"],
            registry=self.registry,
        )
        self.reply_seconds = Histogram(
            "mpp_reply_seconds",
            "Time to build a reply to one message",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=self.registry,
        )
        self.webhook_signature_failures = Counter(
            "mpp_webhook_signature_failures",
            "Webhook requests refused because their signature was wrong",
            ["channel"],
            registry=self.registry,
        )
        self.catalogue_reloads = Counter(
            "mpp_catalogue_reloads", "Times the catalogue was (re)loaded", registry=self.registry
        )

    def watch_reminders(self, usage: UsageStore, clock: Callable[[], datetime]) -> None:
        """Reminders made/sent/failed come from the database: right across restarts."""
        self.registry.register(_ReminderCollector(usage, clock))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _ReminderCollector(Collector):
    def __init__(self, usage: UsageStore, clock: Callable[[], datetime]) -> None:
        self.usage = usage
        self.clock = clock

    def collect(self) -> Iterator[CounterMetricFamily]:
        period = Period.ending(self.clock(), 366, self.usage.tz)
        counts = self.usage.reminders(period)
        for state in ("made", "sent", "failed"):
            family = CounterMetricFamily(
                f"mpp_reminders_{state}", f"Queue reminders {state} (kept a year)"
            )
            family.add_metric([], counts[state])
            yield family


class Recorder:
    """The Assistant's recorder: counts in /metrics, rows in the state database."""

    def __init__(
        self,
        usage: UsageStore | None,
        metrics: Metrics,
        purge: list[Callable[[datetime], None]] | None = None,
    ) -> None:
        self.usage = usage
        self.metrics = metrics
        # Run with the first question of each day, beside the usage purge: old texts go even
        # when the bot runs for weeks without a restart.
        self.purge = [usage.purge] if usage else []
        self.purge += purge or []
        self._purged_day: object = None

    def question(
        self, channel: str, status: str, ref: str | None, text: str | None, now: datetime
    ) -> None:
        self.metrics.questions.labels(channel, status).inc()
        if self.usage is None:
            return
        try:
            if now.date() != self._purged_day:
                for purge in self.purge:
                    purge(now)
                self._purged_day = now.date()
            self.usage.record(channel, status, ref, text, now)
        except (sqlite3.Error, Unavailable) as exc:  # never cost the citizen the answer
            log.warning("question not recorded: %s", type(exc).__name__)

    def replied(self, seconds: float) -> None:
        self.metrics.reply_seconds.observe(seconds)

    def refused(self, channel: str) -> None:
        """A webhook request without the right signature or secret: a probe, or a bad setting."""
        self.metrics.webhook_signature_failures.labels(channel).inc()
