"""Opening hours: MPP weekly schedule, agency and service overrides, holidays, local closures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from knowledge.models import WEEKDAYS, Mpp, Schedule, parse_span

# Both categories: cuti bersama days sit in GOVERNMENT, libur nasional in PUBLIC.
HOLIDAY_CATEGORIES = ("government", "public")
LOOKAHEAD_DAYS = 21  # long enough to cross the Lebaran closure


@dataclass(frozen=True)
class DayHours:
    """The hours of one calendar day for one schedule; `span` None means closed."""

    day: date
    span: tuple[time, time] | None
    reason: str | None = None  # why it is closed or special (holiday name, closure reason)

    @property
    def is_open(self) -> bool:
        return self.span is not None


@dataclass(frozen=True)
class OpenStatus:
    open_now: bool
    today: DayHours
    next_open: datetime | None  # the next opening moment when closed now


@lru_cache(maxsize=8)
def _holidays_for(year: int) -> dict[date, str]:
    table = holidays.country_holidays(
        "ID", years=year, categories=HOLIDAY_CATEGORIES, language="id"
    )
    return dict(table.items())


def holiday_name(day: date) -> str | None:
    return _holidays_for(day.year).get(day)


class OpeningHours:
    """Answers 'open now?', 'today's hours', 'when does it open next' for any schedule layer."""

    def __init__(self, mpp: Mpp) -> None:
        self.mpp = mpp
        self.tz = ZoneInfo(mpp.timezone)

    def local(self, now: datetime) -> datetime:
        """Convert an aware time to the MPP's zone; naive times are taken as already local."""
        return now.astimezone(self.tz) if now.tzinfo else now.replace(tzinfo=self.tz)

    def day(self, day: date, *layers: Schedule | None) -> DayHours:
        """Hours on `day` for the MPP, narrowed by each override layer (agency, then service)."""
        name = holiday_name(day)
        if name:
            return DayHours(day, None, name)
        closure = next((c for c in self.mpp.closures if c.covers(day)), None)
        if closure and closure.hours in (None, "closed"):
            return DayHours(day, None, closure.reason)
        span = self._weekly(self.mpp.hours, day, None)
        for layer in layers:
            if layer is not None:
                span = self._weekly(layer, day, span)
        if closure and span and closure.hours != "mpp":
            span = _intersect(span, parse_span(closure.hours))
        return DayHours(day, span, closure.reason if closure else None)

    @staticmethod
    def _weekly(
        schedule: Schedule,
        day: date,
        mpp_span: tuple[time, time] | None,
    ) -> tuple[time, time] | None:
        spec = schedule.get(WEEKDAYS[day.weekday()], "closed")  # type: ignore[call-overload]
        if spec == "closed":
            return None
        if spec == "mpp":
            return mpp_span
        return parse_span(spec)

    def status(self, now: datetime, *layers: Schedule | None) -> OpenStatus:
        now = self.local(now)
        today = self.day(now.date(), *layers)
        open_now = bool(today.span and today.span[0] <= now.time() < today.span[1])
        return OpenStatus(open_now, today, None if open_now else self.next_open(now, *layers))

    def next_open(self, now: datetime, *layers: Schedule | None) -> datetime | None:
        now = self.local(now)
        for offset in range(LOOKAHEAD_DAYS):
            day = now.date() + timedelta(days=offset)
            hours = self.day(day, *layers)
            if hours.span is None:
                continue
            start = datetime.combine(day, hours.span[0], tzinfo=self.tz)
            if start > now:
                return start
        return None


def _intersect(a: tuple[time, time], b: tuple[time, time]) -> tuple[time, time] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start < end else None
