"""Which records an export keeps: a time window, sources, languages and topics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec

from crawler.errors import ConfigError
from crawler.foreign import read_date

#: One record (or story) as a plain JSON-like dict, the unit every export stage passes on.
Row = dict[str, Any]


@dataclass(frozen=True)
class ExportFilter:
    """What an export keeps. An empty set means "any"; kinds combine with AND, values with OR.

    ``since`` (inclusive) and ``until`` (exclusive) are ISO 8601 dates or datetimes, compared
    with a record's ``published`` time, or its ``fetched_at`` when the publisher gave no date.
    A bare date means midnight UTC and a datetime without an offset is taken as UTC, as in
    :func:`crawler.normalize.parse_date`. ``topics`` matches ``record["topics"][*]["topic"]``.
    """

    since: str | None = None
    until: str | None = None
    sources: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    _since: datetime | None = field(init=False, repr=False, compare=False, default=None)
    _until: datetime | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        # Validate and parse once, before any file is read: a typo must fail loudly rather
        # than produce an empty export.
        object.__setattr__(self, "_since", _bound(self.since, "since"))
        object.__setattr__(self, "_until", _bound(self.until, "until"))
        if self._since is not None and self._until is not None and self._since >= self._until:
            raise ConfigError(f"since {self.since} is not before until {self.until}")
        for name in ("sources", "languages", "topics"):
            value = getattr(self, name)
            if isinstance(value, str):  # frozenset("de") would silently mean {"d", "e"}
                raise ConfigError(f"{name} takes a set of strings, not the string {value!r}")
            object.__setattr__(self, name, frozenset(value))

    def accepts(self, record: Row) -> bool:
        """Whether ``record`` (its latest revision) belongs in the export."""
        return (
            (not self.sources or label(record.get("source")) in self.sources)
            and (not self.languages or label(record.get("language")) in self.languages)
            and (not self.topics or not self.topics.isdisjoint(topic_ids(record)))
            and self._in_window(record)
        )

    def _in_window(self, record: Row) -> bool:
        if self._since is None and self._until is None:
            return True
        moment = record_time(record)
        if moment is None:
            return False  # a record from elsewhere without a readable date: in no window
        return (self._since is None or moment >= self._since) and (
            self._until is None or moment < self._until
        )


def label(value: object) -> str | None:
    """A row's ``source`` or ``language`` as text: a crawled record's is a string or null;
    a row from elsewhere (``dedup`` keeps other tools' fields as they came) may hold a
    number or a list, which is its JSON text here, never a crash."""
    if value is None or isinstance(value, str):
        return value
    return as_text(value)


def as_text(value: object) -> str:
    """Any JSON value as text: a string as it is, anything else as its JSON."""
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


def topic_ids(record: Row) -> list[str]:
    """The topic ids a row names: a crawled record's ``{"topic", "terms"}`` objects; a row
    from elsewhere may give plain strings, one string, or other values (as JSON text)."""
    topics = record.get("topics")
    listed = topics if isinstance(topics, list) else [] if topics is None else [topics]
    return [as_text(t["topic"] if isinstance(t, dict) and "topic" in t else t) for t in listed]


def record_time(record: Row) -> datetime | None:
    """When a record happened: ``published``, else ``fetched_at`` (always set by the crawl).
    None for a record without a readable date: a row from elsewhere that ``policywire
    dedup`` took as undated too."""
    return moment_of(record.get("published") or record.get("fetched_at"))


def moment_of(raw: object) -> datetime | None:
    """A date as ``policywire dedup`` reads it (:func:`crawler.foreign.read_date`: ISO 8601,
    RFC 2822, epoch seconds, ...) as an aware UTC datetime; None when it cannot be read."""
    if isinstance(raw, str):
        try:
            return parse_time(raw)  # ISO 8601, as every crawled record's: parsed once
        except ValueError:
            pass
    readable = read_date(raw)
    if readable is None:
        return None
    try:
        return parse_time(readable)
    except ValueError:
        return None


def utc_text(raw: object) -> str | None:
    """A date :func:`moment_of` reads, written as a crawled record writes one: ISO 8601 in
    UTC with a ``Z`` (sub-second digits kept where given); None when it cannot be read."""
    moment = moment_of(raw)
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def parse_time(raw: str) -> datetime:
    """An ISO 8601 date or datetime as an aware UTC datetime; ``ValueError`` if unreadable."""
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # "9999-12-31T23:30:00-05:00" is in year 10000 in UTC
        raise ValueError(f"{raw!r} lies outside the years 1-9999 in UTC") from exc


def _bound(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        why = (str(exc) if isinstance(exc.__cause__, OverflowError)
               else f"not an ISO 8601 date or datetime: {value!r}")
        raise ConfigError(f"{name}: {why}") from exc
