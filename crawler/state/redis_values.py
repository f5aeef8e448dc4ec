"""What the Redis state keeps under its keys, and how: msgpack values (msgspec) of the seen
entries and feeds, a feed's value as the :class:`~crawler.models.FeedState` the spider reads,
and a poll as the map the ``RECORD_POLLS`` script takes (:mod:`crawler.state.redis_lua`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import msgspec

from crawler.errors import StateError
from crawler.models import FeedPoll, FeedState
from crawler.state.schema import numbers, spaced

_T = TypeVar("_T")


class EntryValue(msgspec.Struct):
    """A seen entry (the entries hash, by record id)."""

    hash: str
    rev: int
    url: str
    source: str
    first: str
    last: str
    fp: str | None = None


class FeedValue(msgspec.Struct):
    """A feed as one source polls it (the feeds hash, by source and URL)."""

    polls: int
    streak: int
    vd: int
    source: str | None = None
    etag: str | None = None
    lm: str | None = None
    body: str | None = None
    status: int | None = None
    fetch: str | None = None
    next: float | None = None
    skip: str = ""
    days: str = ""  # skipDays, as skip holds skipHours
    poll: float | None = None  # when last asked for (epoch seconds); absent: see fetch


def feed_state(url: str, raw: bytes | str, key: str) -> FeedState:
    """The stored value ``raw`` of ``url`` (read from ``key``) as the spider reads a feed."""
    f = unpack(raw, FeedValue, key)
    # A row written before "poll" was kept has its last merge's time, as SQLite's
    # migration 9 takes last_fetch: the state needs no reindex.
    last = f.poll if f.poll is not None else _epoch(f.fetch)
    return FeedState(url, f.etag, f.lm, f.body, f.polls, bool(f.vd), f.next, f.streak,
                     numbers(f.skip), numbers(f.days), last, f.status)


def poll_arg(poll: FeedPoll) -> dict[str, object]:
    failed = poll.error is not None
    return {
        "url": poll.url, "source": poll.source, "status": poll.status, "etag": poll.etag,
        "lm": poll.last_modified, "body": poll.body_hash, "lying": int(poll.lying),
        "next": poll.next_check, "skip": spaced(poll.skip_hours),
        "days": spaced(poll.skip_days), "poll": poll.polled_at,
        "failed": failed, "keep": failed or poll.status == 304, "deferred": poll.deferred,
    }


def _epoch(iso: str | None) -> float | None:
    try:
        return datetime.fromisoformat(iso).timestamp() if iso else None
    except ValueError:  # not a time this store wrote: as if none were kept
        return None


def unpack(raw: bytes | str, kind: type[_T], key: str) -> _T:
    try:
        return msgspec.msgpack.decode(as_bytes(raw), type=kind)
    except msgspec.DecodeError as exc:
        raise StateError(f"corrupt value in Redis {key}: {exc}") from None


def pack(value: object) -> bytes:
    return msgspec.msgpack.encode(value)


def as_bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


def as_text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
