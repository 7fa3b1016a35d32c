"""Moments: dates and times of day in the site's time zone, as ISO 8601.

A front-matter date may be a day, a day and a time of day, or either with
an offset. The site's ``timezone`` (an IANA name, through ``zoneinfo``)
says where a naive time is, so every moment an output shows carries its
offset: 2016-12-06T14:30:00+02:00.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem, WarraqError


@lru_cache(maxsize=64)
def zone(name: str) -> dt.tzinfo | None:
    """The time zone of that IANA name, or None if there is none such."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def aware(value: dt.date | dt.datetime, tz_name: str) -> dt.datetime:
    """``value`` as a moment in the site's zone: a day begins at midnight there."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    tz = zone(tz_name) or dt.timezone.utc
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def local_day(value: dt.date | dt.datetime, tz_name: str) -> dt.date:
    """The day of ``value`` where the site is."""
    return aware(value, tz_name).date() if isinstance(value, dt.datetime) else value


def clock_of(value: dt.date | dt.datetime, tz_name: str) -> str | None:
    """"14:30" where the site is, when ``value`` has a time of day."""
    return aware(value, tz_name).strftime("%H:%M") if isinstance(value, dt.datetime) else None


def build_clock() -> dt.datetime:
    """Now, for what a build selects by time (the news sitemap): the moment
    ``SOURCE_DATE_EPOCH`` names when it is set, so builds stay reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(dt.timezone.utc)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        shown = epoch if len(epoch) <= 40 else epoch[:39] + "…"
        raise WarraqError([Problem("SOURCE_DATE_EPOCH", 0, "expected seconds since "
                                   f"1970-01-01, got {shown!r}")], exit_code=2) from None
