"""Feed parsing: feedparser wrapped once into frozen, typed entries.

feedparser is imported here and nowhere else. It is always handed ``io.BytesIO(body)``:
given a ``str`` or ``bytes`` it may treat the value as a URL or a file path and open it.
"""

from __future__ import annotations

import dataclasses
import heapq
import io
import logging
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from crawler.charsets import feed_believed
from crawler.feedcap import Trimmed, trim
from crawler.jsonfeed import JsonFeedError, is_json_feed, read_json_feed
from crawler.models import Entry
from crawler.normalize import (
    canonical_url,
    clean_names,
    clean_text,
    html_to_text,
    language_code,
    parse_date,
    to_iso,
)

logger = logging.getLogger(__name__)
# The first <skipHours> (<skipDays>) only, its block read within 2,000 bytes: a search for one
# that closes scanned 2,000 bytes from every opening tag (16 MB of "<skipHours>" in a comment:
# 65 s on the reactor thread).
_SKIP_HOURS = re.compile(rb"<skipHours>", re.IGNORECASE)
_SKIP_HOURS_END = re.compile(rb"</skipHours>", re.IGNORECASE)
_HOUR = re.compile(rb"<hour>\s*(\d{1,2})\s*</hour>", re.IGNORECASE)
_SKIP_DAYS = re.compile(rb"<skipDays>", re.IGNORECASE)
_SKIP_DAYS_END = re.compile(rb"</skipDays>", re.IGNORECASE)
_DAY = re.compile(rb"<day>\s*([A-Za-z]{6,9})\s*</day>", re.IGNORECASE)
#: RSS 2.0 names the days in English; their numbers are Python's ``weekday()`` (Monday 0).
_WEEKDAYS = {name: number for number, name in enumerate(
    (b"monday", b"tuesday", b"wednesday", b"thursday", b"friday", b"saturday", b"sunday"))}
# Character references to UTF-16 surrogates (&#xD800; .. &#xDFFF;) make feedparser raise
# (feedparser issues #591, #599); they encode no character, so U+FFFD stands in.
_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")
# feedparser's HTML sanitiser and relative-URI resolution each re-parse every HTML field
# (about half of feedparser's time on summary-only feeds). Records keep only text, never
# markup: summaries and content become text in ``build_record`` (``html_to_text`` drops
# scripts, styles, frames and other invisible elements), and every other field a record
# takes from an entry is reduced to text here. The sanitiser never touched authors and
# categories, and let ``<script>`` titles through; it was no defence for those anyway.
_FEEDPARSER_OPTIONS = {"sanitize_html": False, "resolve_relative_uris": False}
# The start of a tag, a comment or a declaration: "1 < 2" is text, "<b>" and "<!--" are not.
_MARKUP = re.compile(r"<[A-Za-z/!?]")

@dataclass(frozen=True)
class ParsedFeed:
    """What a feed response yielded."""

    entries: tuple[Entry, ...]
    format: str
    title: str | None = None
    language: str | None = None
    ttl_minutes: int | None = None
    bozo_reason: str | None = None
    skip_hours: frozenset[int] = frozenset()
    skip_days: frozenset[int] = frozenset()
    capped: int = 0  # entries older than the newest ``max_entries``, left out of ``entries``
    # Of ``entries``' guids, those the whole feed lists more than once: no guid to name an
    # entry by (counted before the cap, so an entry's id does not depend on what it took).
    repeated_guids: frozenset[str] = frozenset()

    def problem(self) -> tuple[str, str] | None:
        """``(reason code, detail)`` when the feed yielded no entry at all, else ``None``."""
        if self.entries:
            return None
        if self.bozo_reason:
            return "feed_unparseable", self.bozo_reason
        return "feed_empty", f"a {self.format or 'feed'} with no entries"


def parse_feed(body: bytes, url: str, content_type: str | None = None,
               max_entries: int | None = None) -> ParsedFeed:
    """Parse feed bytes; relative links resolve against ``url`` (or the feed's xml:base).

    With ``max_entries``, only the newest that many entries (:func:`newest`) are kept, the
    rest counted in ``capped``: the crawl parses in a worker process, and what it returns is
    pickled to the crawl's process, so a feed of 100,000 entries costs the transfer and the
    memory of 1,000 (before: all of them, held while the cap was applied). A feed far over
    the cap is cut to its newest entries before feedparser reads it (:mod:`crawler.feedcap`).
    """
    trimmed = None
    if not is_json_feed(body):
        # Only a charset a browser would believe (crawler.charsets), for feedparser and for
        # the cut before it alike.
        body, content_type = feed_believed(body, content_type)
        if max_entries:
            trimmed = trim(body, max_entries, _charset(content_type))
    if trimmed is not None:
        return _parse_trimmed(trimmed, url)
    parsed = _parse_feed(body, url, content_type)
    counts = Counter(e.guid for e in parsed.entries if e.guid)
    taken, capped = newest(parsed.entries, max_entries) if max_entries else (parsed.entries, 0)
    repeated = frozenset(e.guid for e in taken if e.guid and counts[e.guid] > 1)
    return dataclasses.replace(parsed, entries=taken, capped=capped, repeated_guids=repeated)


def _charset(content_type: str | None) -> str | None:
    found = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return found.group(1) if found else None


def _parse_trimmed(trimmed: Trimmed, url: str) -> ParsedFeed:
    # lxml wrote it as UTF-8 (its declaration says so; a charset the server named is moot).
    parsed = _parse_feed(trimmed.body, url, "application/xml; charset=utf-8")
    if len(parsed.entries) == len(trimmed.repeated):
        repeated = frozenset(e.guid for e, twice in zip(parsed.entries, trimmed.repeated,
                                                          strict=True) if twice and e.guid)
    else:  # feedparser saw the entries otherwise: count among those it saw
        counts = Counter(e.guid for e in parsed.entries if e.guid)
        repeated = frozenset(g for g, n in counts.items() if n > 1)
    return dataclasses.replace(parsed, capped=trimmed.capped, repeated_guids=repeated)


def _parse_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    if not body.strip():
        return ParsedFeed(entries=(), format="", bozo_reason="empty body (0 bytes of content)")
    if is_json_feed(body):
        return _json_feed(body, url)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(_CHAR_REF.sub(_no_surrogate, body)),
                                  response_headers=headers, **_FEEDPARSER_OPTIONS)
    except (UnicodeError, ValueError, RecursionError) as exc:
        # feedparser's own bugs on hostile input must cost this feed, not the whole crawl.
        return ParsedFeed(entries=(), format="", bozo_reason=f"{type(exc).__name__}: {exc}")
    feed = parsed.get("feed", {})
    language = language_code(feed.get("language"))
    # Atom's <updated> is the entry's last change; RSS's (feedparser's name for dc:date,
    # RSS 1.0's only date) is its publication.
    atom = str(parsed.get("version") or "").startswith("atom")
    entries = tuple(_entry(e, url, language, atom) for e in parsed.get("entries", []))
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if bozo is not None and entries:
        # Salvage: feedparser's lenient parser often still yields every entry.
        logger.warning("feed %s is ill-formed (%s); salvaged %d entries", url, bozo, len(entries))
    return ParsedFeed(
        entries=entries,
        format=parsed.get("version") or "",
        title=clean_text(_markup_free(feed.get("title"))) or None,
        language=language,
        ttl_minutes=_int(feed.get("ttl")),
        skip_hours=_skip_hours(body),
        skip_days=_skip_days(body),
        bozo_reason=f"{type(bozo).__name__}: {bozo}" if bozo is not None else None,
    )


def newest(entries: tuple[Entry, ...], cap: int) -> tuple[tuple[Entry, ...], int]:
    """The ``cap`` newest of ``entries``, in the feed's order, and how many were left out.

    Newest by date, as feed readers show them: a feed that lists its oldest entry first (some
    podcast and archive feeds do) still gives its new ones. Undated entries rank after dated
    ones, among themselves by their place in the feed (a feed of no dates: its first ``cap``).
    ``heapq.nlargest``: O(n log cap), whatever the feed's size.
    """
    if len(entries) <= cap:
        return entries, 0
    ranked = heapq.nlargest(cap, range(len(entries)), key=lambda i: (
        entries[i].published is not None, entries[i].published or "", -i))
    return tuple(entries[i] for i in sorted(ranked)), len(entries) - cap


def _json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        feed = read_json_feed(body, url)
    except JsonFeedError as exc:
        return ParsedFeed(entries=(), format="json", bozo_reason=str(exc))
    return ParsedFeed(entries=feed.entries, format=feed.version,
                      title=clean_text(_markup_free(feed.title)) or None, language=feed.language)


def _first_block(body: bytes, opening: re.Pattern[bytes],
                 closing: re.Pattern[bytes]) -> tuple[int, int] | None:
    """The span inside the first ``opening`` tag when ``closing`` follows within 2,000 bytes."""
    start = opening.search(body)
    end = start and closing.search(body, start.end(), start.end() + 2000 + 12)
    if start is None or end is None:
        return None
    return start.end(), end.start()


def _skip_hours(body: bytes) -> frozenset[int]:
    """RSS ``<skipHours><hour>N</hour>...``: feedparser does not report it."""
    span = _first_block(body, _SKIP_HOURS, _SKIP_HOURS_END)
    if span is None:
        return frozenset()
    # 0-23 by the RSS 2.0 spec; some feeds count 1-24, and 24 is midnight. Any other number
    # is no hour: read modulo 24 it would forbid an hour the feed never named.
    hours = frozenset(
        int(h) % 24 for h in _HOUR.findall(body, *span) if int(h) <= 24
    )
    # Every hour skipped would stop the feed's polls for good, silently: the feed could never
    # be read again to learn that it changed its mind. Such a list is no list.
    return hours if len(hours) < 24 else frozenset()


def _skip_days(body: bytes) -> frozenset[int]:
    """RSS ``<skipDays><day>Saturday</day>...`` (days in GMT); a name we do not know is
    left out. Every day skipped is no list, as every hour is (see :func:`_skip_hours`)."""
    span = _first_block(body, _SKIP_DAYS, _SKIP_DAYS_END)
    if span is None:
        return frozenset()
    days = frozenset(_WEEKDAYS[d.lower()] for d in _DAY.findall(body, *span)
                     if d.lower() in _WEEKDAYS)
    return days if len(days) < 7 else frozenset()


def _no_surrogate(match: re.Match[bytes]) -> bytes:
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)
    return b"&#xFFFD;" if 0xD800 <= code <= 0xDFFF else match.group(0)


def _entry(raw: dict[str, Any], feed_url: str, feed_language: str | None,
           atom: bool = False) -> Entry:
    published_raw = _get(raw, "published") or _get(raw, "created") or _get(raw, "updated")
    parsed = _get(raw, "published_parsed") or _get(raw, "updated_parsed")
    tags = _get(raw, "tags") or []
    return Entry(
        link=_link(raw, feed_url),
        guid=(_get(raw, "id") or "").strip() or None,
        title=_markup_free(_get(raw, "title")),
        summary=_get(raw, "summary"),
        content=_content(raw),
        authors=_authors(raw),
        categories=_categories(tags),
        published=_date(published_raw, parsed),
        published_raw=published_raw,
        updated=_date(_get(raw, "updated"), _get(raw, "updated_parsed")),
        language=language_code(_get(raw, "language")) or feed_language,
        published_is_update=atom and bool(published_raw) and not (
            _get(raw, "published") or _get(raw, "created")),
    )


def _get(raw: dict[str, Any], key: str) -> Any:
    """What the feed said under ``key``: FeedParserDict's own lookup maps some missing keys
    to others (updated -> published) and warns; plain ``dict.get`` does not."""
    return dict.get(raw, key)


def _link(raw: Mapping[str, Any], feed_url: str) -> str | None:
    candidates = [raw.get("link")]
    candidates += [lk.get("href") for lk in raw.get("links", []) if lk.get("rel") == "alternate"]
    guid = raw.get("id") or ""
    if raw.get("guidislink") or guid.startswith(("http://", "https://")):
        candidates.append(guid)
    for candidate in candidates:
        if candidate and candidate.strip():
            url = canonical_url(candidate, feed_url)
            if url.startswith(("http://", "https://")):
                return url
    return None


def _content(raw: Mapping[str, Any]) -> str | None:
    parts = [c.get("value", "") for c in raw.get("content", []) if c.get("value")]
    return "\n".join(parts) or None


def _authors(raw: Mapping[str, Any]) -> tuple[str, ...]:
    names = clean_names(_markup_free(a.get("name")) for a in raw.get("authors", []))
    return names or clean_names([_markup_free(raw.get("author"))])


def _categories(tags: list[Mapping[str, Any]]) -> tuple[str, ...]:
    return clean_names(_markup_free(t.get("term")) for t in tags)


def _markup_free(value: str | None) -> str | None:
    """A text field as the feed gave it, with markup (``<b>``, a hostile ``<script>`` or
    ``<img onerror=...>``) reduced to its text. A value without markup is left exactly as it
    is: a title is also part of the fingerprint that decides whether an entry is fetched
    again."""
    return html_to_text(value) if value and _MARKUP.search(value) else value


def _date(raw: str | None, parsed: time.struct_time | None) -> str | None:
    """Our own parse of the raw string (keeps the zone right, refuses 31 February).

    feedparser's struct is used only when there is no raw string at all: for a raw string we
    cannot read it may hold an invented date (it rolls 31 February over into March).
    """
    if raw is not None:
        return parse_date(raw)
    if parsed is None:
        return None
    try:
        return to_iso(datetime(*parsed[:6], tzinfo=UTC))
    except (ValueError, OverflowError):
        return None


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None
