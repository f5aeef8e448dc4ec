"""The publisher's day of a timestamp: a stamp written in UTC read in the publisher's zone.

Pages state local days, and so do the labels of ``benchmarks/eval_extract.py``: a stamp with
an offset ("2022-05-07T20:06:23-05:00", elcomercio.pe) is labelled with the day it writes, not
the UTC day it falls on. A stamp written in UTC ("2022-11-06T23:00:00.000Z") names a UTC day
that may not be the publisher's: beige.de's is midnight in Berlin, labelled the 7th, and a
German CMS that stamps in UTC dates its articles of 00:00-02:00 the day before. So a
UTC-written stamp is read in the publisher's zone where the page reveals it: Central European
time, summer time included, for a page in German (Germany, Austria and Switzerland keep one
clock), else an offset one of its other stamps writes (roughdraftatlanta.com's "-05:00").
Otherwise UTC stands: nothing is guessed for a page in English, whose publishers span the
world's zones.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# An ISO stamp with a time and an explicit zone: Z, +00:00, +0200.
_STAMP = re.compile(r"^\s*(\d{4}-\d\d-\d\d)[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*"
                    r"(Z|[+-]\d\d:?\d\d)\s*$", re.IGNORECASE)
_UTC_MARKS = frozenset({"Z", "+00:00", "+0000", "-00:00", "-0000"})
# The zone of languages whose publishers keep one clock.
_LANGUAGE_ZONES = {"de": "Europe/Berlin"}


def page_zone(stamps: list[str | None], language: str | None) -> tzinfo | None:
    """The publisher's zone: its ``language``'s, with its summer time (a page's stamps may
    be of another season), else the first non-UTC offset among the page's ``stamps``, else
    ``None`` (UTC stamps stay UTC)."""
    name = _LANGUAGE_ZONES.get(language or "")
    if name:
        return ZoneInfo(name)
    for stamp in stamps:
        offset = _offset(stamp)
        if offset is not None and offset != timedelta(0):
            return timezone(offset)
    return None


def zoned_day(raw: str, zone: tzinfo | None) -> str | None:
    """The day a UTC-written ``raw`` stamp falls on in ``zone`` where that is another day
    than the one it writes; ``None`` for any other string (its written day stands)."""
    found = _STAMP.match(raw)
    if found is None or zone is None or found[2].upper() not in _UTC_MARKS:
        return None
    local = _local(_moment(raw), zone)
    if local is None:
        return None
    day = local.date().isoformat()
    return day if day != found[1] else None


def in_zone(raw: str, zone: tzinfo | None) -> str:
    """``raw`` restated in ``zone`` (ISO 8601) where it is a UTC stamp of another day there:
    the form a reader of the publisher's page would see; else ``raw`` unchanged."""
    if zoned_day(raw, zone) is None:
        return raw
    local = _local(_moment(raw), zone)
    return local.isoformat() if local is not None else raw


def _local(moment: datetime | None, zone: tzinfo | None) -> datetime | None:
    """``moment`` in ``zone``; ``None`` where that falls outside datetime's years 1-9999
    ("9999-12-31T23:30:00Z" in Berlin): such a stamp keeps the day it writes rather than
    crashing the page."""
    if moment is None:
        return None
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError):
        return None


def _offset(stamp: str | None) -> timedelta | None:
    found = _STAMP.match(stamp or "")
    moment = _moment(stamp or "") if found else None
    return moment.utcoffset() if moment is not None else None


def _moment(raw: str) -> datetime | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00")
                                            .replace("z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo is not None else None
