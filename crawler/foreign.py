"""Rows from other tools: where a JSONL line written by news-please, trafilatura, newspaper4k,
Fundus or a feed dump keeps the fields story merging reads.

``policywire dedup`` takes "any JSONL with url and title"; other tools name the rest
otherwise (news-please: ``maintext``, ``date_publish``; trafilatura: ``source`` for the URL,
``date``; newspaper4k: ``publish_date``; Fundus: ``plaintext``, ``publishing_date``), and
write dates as RFC 2822, ``2019-01-01 12:00:00`` or epoch numbers. Read by our names only,
such a file merged with every record undated (its order and time window lost) and every body
unused, and said nothing. :class:`FieldMap` tries each field's known keys in order (the
first key present with a value wins), or exactly the key a user maps with ``--field``, and
:class:`Reading` says which key served and whether a date could be read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from crawler.errors import ConfigError
from crawler.normalize import parse_date, to_iso

#: Our field -> the keys it is looked for under, ours first. Only names whose meaning is
#: unambiguous in the tools named above; "content" and "description" are left out (HTML or a
#: teaser, not the article's text): map them with --field when they are what you have.
KNOWN_KEYS: Mapping[str, tuple[str, ...]] = {
    "id": ("id",),
    "url": ("url", "link", "source"),  # trafilatura's JSON calls the page URL "source"
    "title": ("title", "headline"),
    "text": ("text", "maintext", "plaintext", "articleBody", "raw_text"),
    # A feed's summary: story clustering reads it for a row without text (StoryDoc.summary).
    "summary": ("summary",),
    "language": ("language", "lang", "meta_lang", "inLanguage"),
    "published": ("published", "date_publish", "publish_date", "publishing_date",
                  "published_at", "datePublished", "pubDate", "pub_date", "date"),
    "source": ("source", "source_domain", "source-hostname", "hostname", "sitename",
               "publisher"),
}

# The fields filled() adds: what filters, stories and export columns read.
_FILLED = ("url", "title", "published", "language", "source")
# Epoch numbers above this are milliseconds (1e11 seconds is the year 5138).
_MILLISECONDS = 1e11
#: The longest date string read: RFC 2822 with a zone name runs to ~70 characters. Longer
#: is unreadable unparsed (dateutil took 23 s and 450 MB over a 16 MB "date").
DATE_CHARS = 200


class Reading(NamedTuple):  # a tuple: made for every input row, ~4x cheaper than a dataclass
    """A row's fields as merging reads them.

    ``values``: each field's value as found (a field no key holds is absent; keys with null
    or "" count as absent); ``published``: the date as ISO 8601 (:func:`read_date`), None
    when undated; ``bad_date``: a date value found but not readable (then undated);
    ``keys``: the row's key behind each field read under another name than ours
    (``("published", "date_publish")``)."""

    values: Mapping[str, Any]
    published: str | None
    keys: tuple[tuple[str, str], ...] = ()
    bad_date: Any = None


class FieldMap:
    """Which keys of a row hold which field: :data:`KNOWN_KEYS`, or a user's own mapping."""

    def __init__(self, mapped: Mapping[str, str] | None = None) -> None:
        unknown = sorted(set(mapped or ()) - set(KNOWN_KEYS))
        if unknown:
            raise ConfigError(f"--field: no field {unknown[0]!r} (fields: "
                              f"{', '.join(KNOWN_KEYS)})")
        self.mapped = dict(mapped or {})
        self._keys = {name: (self.mapped[name],) if name in self.mapped else keys
                      for name, keys in KNOWN_KEYS.items()}
        # Rows with none of these keys read every field under our name (see read()).
        self._others = frozenset(k for keys in KNOWN_KEYS.values() for k in keys) - set(
            KNOWN_KEYS)
        # The same few key tuples over and over: one object each (pickled once per batch).
        self._interned: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

    @classmethod
    def parse(cls, specs: Sequence[str] | None) -> FieldMap:
        """From ``--field`` values (``"text=maintext"``); :class:`ConfigError` on a bad one."""
        mapped: dict[str, str] = {}
        for spec in specs or ():
            name, sep, key = spec.partition("=")
            if not sep or not name.strip() or not key.strip():
                raise ConfigError(f"--field: expected FIELD=KEY (text=maintext), got {spec!r}")
            mapped[name.strip()] = key.strip()
        return cls(mapped)

    def tried(self, name: str) -> tuple[str, ...]:
        """The keys ``name`` is looked for under, in order."""
        return self._keys[name]

    def read(self, row: Mapping[str, Any]) -> Reading:
        """The fields of ``row``."""
        url = row.get("url")
        if (not self.mapped and url and self._others.isdisjoint(row)
                and row.get("source") != url):
            # Every field under our own name (our records, and most data shaped like them):
            # the lookups below cost ~3 us a row, this ~0.5 us; the outcome is the same.
            return self._dated(row, row.get("published"), ())
        values: dict[str, Any] = {}
        keys: list[tuple[str, str]] = []
        for name, tried in self._keys.items():
            for key in tried:
                value = row.get(key)
                if value is None or value == "" or self._passed_over(name, key, value, values):
                    continue
                values[name] = value
                if key != name:
                    keys.append((name, key))
                break
        found = tuple(keys)
        return self._dated(values, values.get("published"), self._interned.setdefault(found, found))

    def filled(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` with our names holding what :meth:`read` finds (dates as ISO 8601 where it
        normalises them): a field found under another key is added (or replaces our name's
        value where that served as another field: trafilatura's URL in "source"). Bodies
        stay under their own key: a second copy of every text is not worth it."""
        reading = self.read(row)
        found = {**reading.values, "published": reading.published}
        for name in _FILLED:
            if found.get(name) is not None and row.get(name) != found[name]:
                row[name] = found[name]
        return row

    @staticmethod
    def _dated(values: Mapping[str, Any], date: Any, keys: tuple[tuple[str, str], ...]
               ) -> Reading:
        if date is None or date == "":  # as no date at all
            return Reading(values, None, keys)
        published = read_date(date)
        return Reading(values, published, keys, date if published is None else None)

    def _passed_over(self, name: str, key: str, value: Any, values: Mapping[str, Any]) -> bool:
        """Whether ``key`` holds something else than the field ``name`` here."""
        if name == "url" and key != "url" and "url" not in self.mapped:
            # "link" or "source" that is not a URL: an outlet's name
            return not (isinstance(value, str) and value.startswith(("http://", "https://")))
        return name == "source" and value == values.get("url")  # trafilatura's URL


def read_date(value: Any) -> str | None:
    """A date from elsewhere as merging reads it: an ISO 8601 string as it is, any other
    date string :func:`crawler.normalize.parse_date` reads (RFC 2822, ...) and epoch seconds
    or milliseconds (numbers, or strings of more than 8 digits) as ISO 8601 UTC; None for
    anything unreadable (a string over :data:`DATE_CHARS` too)."""
    if isinstance(value, str) and len(value) > DATE_CHARS:
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) > 8:
        value = int(value)  # epoch seconds or milliseconds written as a string (8 digits or
        # fewer is an ISO 8601 basic date, "20240401")
    if isinstance(value, str):
        return _read_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        seconds = value / 1000 if abs(value) >= _MILLISECONDS else value
        try:
            return to_iso(datetime.fromtimestamp(seconds, UTC))
        except (OverflowError, OSError, ValueError):
            return None
    return None



def _read_text(value: str) -> str | None:
    """An ISO 8601 string as it is, as merging parses it (sub-second order kept); any other
    as :func:`crawler.normalize.parse_date` reads it. A stamp UTC cannot hold
    ("9999-12-31T23:30:00-05:00", year 10000 in UTC) is no date either way: whatever reads it
    in UTC later (``export``) would raise."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return parse_date(value)
    try:
        if moment.tzinfo is not None:  # a naive stamp is UTC already (parse_timestamp)
            moment.astimezone(UTC)
    except OverflowError:
        return None
    return value


__all__ = ["KNOWN_KEYS", "FieldMap", "Reading", "read_date"]
