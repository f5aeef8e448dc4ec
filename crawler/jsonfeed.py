"""JSON Feed 1.0 and 1.1 (``application/feed+json``), read into the same entries as RSS and Atom.

Feed readers such as Miniflux read it; feedparser does not. Decoded with msgspec, whose
decoder stops at its recursion limit: a hostile ``[[[[...]]]]`` is refused with a reason,
never a crash, and the size was bounded before (``DOWNLOAD_MAXSIZE``, gzip included). A field
of the wrong type reads as absent and costs its field alone, not the feed: generators are
sloppy (JSON Feed 1.0 feeds often give numeric ids).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from crawler.jsonescapes import lone_surrogates_replaced_bytes
from crawler.models import Entry
from crawler.normalize import canonical_url, clean_names, language_code, parse_date

# The spec asks for "version" at the very beginning; 64 KiB leaves room for sloppy writers.
_HEAD = 64 * 1024
# "https://jsonfeed.org/version/1.1", with JSON's optional escaping of "/" as "\/".
_VERSION = re.compile(rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org(?:\\?/)version(?:\\?/)'
                      rb'([0-9.]+)"')


class JsonFeedError(ValueError):
    """The body claims to be a JSON Feed but cannot be read as one."""


@dataclass(frozen=True)
class JsonFeed:
    entries: tuple[Entry, ...]
    version: str
    title: str | None = None
    language: str | None = None


def is_json_feed(body: bytes) -> bool:
    """A JSON object that names a jsonfeed.org version near its start."""
    head = body[:_HEAD].lstrip()
    return head.startswith(b"{") and _VERSION.search(head) is not None


def read_json_feed(body: bytes, url: str) -> JsonFeed:
    """The feed's entries; relative item URLs resolve against ``url``."""
    try:
        feed = msgspec.json.decode(lone_surrogates_replaced_bytes(body))
    except msgspec.DecodeError as exc:
        raise JsonFeedError(f"not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise JsonFeedError("JSON nested too deeply") from exc
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise JsonFeedError("a JSON Feed without an items list")
    language = language_code(feed.get("language"))
    items = [i for i in feed["items"] if isinstance(i, dict)]
    version = _VERSION.search(body[:_HEAD])
    return JsonFeed(
        entries=tuple(_entry(item, url, language) for item in items),
        version=f"json{version.group(1).decode().replace('.', '')}" if version else "json",
        title=_text(feed, "title"), language=language,
    )


def _entry(item: Mapping[str, Any], feed_url: str, feed_language: str | None) -> Entry:
    published_raw = _text(item, "date_published") or _text(item, "date_modified")
    return Entry(
        link=_link(item, feed_url),
        guid=_guid(item.get("id")),
        title=_text(item, "title"),
        summary=_text(item, "summary"),
        content=_text(item, "content_html") or _text(item, "content_text"),
        authors=_authors(item),
        categories=clean_names(_list(item, "tags")),
        published=parse_date(published_raw),
        published_raw=published_raw,
        updated=parse_date(_text(item, "date_modified")),
        language=language_code(item.get("language")) or feed_language,
        published_is_update=bool(published_raw) and not _text(item, "date_published"),
    )


def _link(item: Mapping[str, Any], feed_url: str) -> str | None:
    """``url`` (the item's own page), else ``external_url`` (what a link post points at)."""
    for key in ("url", "external_url"):
        candidate = _text(item, key)
        if candidate:
            link = canonical_url(candidate, feed_url)
            if link.startswith(("http://", "https://")):
                return link
    return None


def _guid(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)  # JSON Feed 1.0 generators wrote numeric ids
    if isinstance(value, str):
        return value.strip() or None
    return None


def _authors(item: Mapping[str, Any]) -> tuple[str, ...]:
    """1.1's ``authors`` list, else 1.0's single ``author`` object."""
    people = _list(item, "authors") or [item.get("author")]
    return clean_names(p.get("name") for p in people if isinstance(p, dict))


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []
