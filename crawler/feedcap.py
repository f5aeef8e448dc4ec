"""A feed far over its entry cap, cut down to its newest entries before feedparser reads it.

feedparser spends about 0.1-0.2 ms of Python on each element (a SAX callback, its context
stack, URL resolution): linear, but 14 MiB of 150,000 small entries took 33 s of CPU (on a
loaded machine; smaller entries, more of them: up to the parse's 60 s limit) to yield the
1,000 entries the crawl then kept. lxml reads the same bytes in C in about a second; the
entries' dates and guids are read from it, the newest ``cap`` chosen as
:func:`crawler.feeds.newest` chooses them (by the date :func:`crawler.normalize.parse_date`
reads from ``published``, else ``created``, else ``updated``, as ``crawler.feeds`` does;
undated ones last, in feed order), the others removed, and feedparser reads what is left.

Entities are not resolved and nothing is fetched (``resolve_entities``, ``no_network``); a
feed that is not well-formed XML (an undefined ``&nbsp;``), or one at most ``cap`` entries
long, is left to feedparser whole, as before (its loose parser salvages what it can).
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from crawler.normalize import parse_date

# The elements feedparser reads an entry's dates and guid from, as (namespace, local name)
# -> the key it saves them under: RSS pubDate, Atom 1.0 and 0.3, Dublin Core (dc:date is its
# "updated"). An element of another namespace is none of them ("<foo:date>" is feedparser's
# "foo_date"), and of two saved under one key the later wins, as feedparser's pop overwrites.
_FEED = ("", "http://backend.userland.com/rss", "http://blogs.law.harvard.edu/tech/rss",
         "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/",
         "http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom",
         "http://purl.org/rss/1.0/modules/rss091#")
_DC, _DCTERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
_KEYS = {**{(ns, name): key for ns in _FEED for name, key in (
    ("pubDate", "published"), ("published", "published"), ("issued", "published"),
    ("created", "created"), ("updated", "updated"), ("modified", "updated"),
    ("guid", "id"), ("id", "id"))},
    (_DC, "date"): "updated", (_DCTERMS, "issued"): "published",
    (_DCTERMS, "created"): "created", (_DCTERMS, "modified"): "updated"}
_PUBLISHED, _CREATED, _UPDATED, _GUID = ("published",), ("created",), ("updated",), ("id",)


@dataclass(frozen=True)
class Trimmed:
    """The feed with its newest ``cap`` entries only, re-encoded as UTF-8."""

    body: bytes
    capped: int  # entries removed
    # Per entry kept, in the feed's order: whether the whole feed lists its guid more than
    # once (counted before the cut, as crawler.feeds counts it for a feed read whole).
    repeated: tuple[bool, ...]


def trim(body: bytes, cap: int, charset: str | None = None) -> Trimmed | None:
    """``body`` cut down to its newest ``cap`` entries, or ``None`` when it has no more
    than that (or lxml cannot read it): then feedparser reads the body whole. ``charset``
    is the one the response's Content-Type names: it wins over the document's declaration,
    as feedparser has it."""
    # Each entry opens with one of these: fewer of them, no cut (and no lxml parse). Text may
    # hold more: then lxml counts. A prefixed entry ("<atom:entry>...</atom:entry>") shows its
    # ":entry" twice, opening and closing: counted as one.
    unprefixed = body.count(b"<item") + body.count(b"<entry")
    if unprefixed + (body.count(b":item") + body.count(b":entry")) // 2 <= cap:
        return None
    try:
        # No recovery: after one undefined entity (an RSS "&nbsp;") libxml2's recovery
        # drops every "&amp;" that follows; an ill-formed feed is feedparser's, whole.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, encoding=charset)
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, LookupError):  # LookupError: a charset no codec knows
        return None
    dtd = None if root is None else root.getroottree().docinfo.internalDTD
    if root is None or (dtd is not None and dtd.entities()):
        return None  # entities of its own: unresolved here (a date's "&y;"), feedparser's
    items = list(root.iter("{*}item", "{*}entry"))
    if len(items) <= cap:
        return None
    fields = [_fields(item) for item in items]
    dates = [parse_date(_first(f, _PUBLISHED) or _first(f, _CREATED) or _first(f, _UPDATED))
             for f in fields]
    kept = set(heapq.nlargest(cap, range(len(items)), key=lambda i: (
        dates[i] is not None, dates[i] or "", -i)))
    guids = [_first(f, _GUID) or "" for f in fields]
    counts = Counter(g for g in guids if g)
    for index, item in enumerate(items):
        if index not in kept:
            parent = item.getparent()
            if parent is not None:
                parent.remove(item)
    return Trimmed(
        body=etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True),
        capped=len(items) - len(kept),
        repeated=tuple(bool(guids[i]) and counts[guids[i]] > 1 for i in sorted(kept)))


def _fields(item: etree._Element) -> dict[str, str]:
    """An entry's dates and guid by feedparser's key (the last child of each key wins), each
    element's whole text (a comment inside it is no end)."""
    found: dict[str, str] = {}
    for child in item:
        if isinstance(child.tag, str):
            name = etree.QName(child)
            key = _KEYS.get((name.namespace or "", name.localname))
            if key is not None:
                found[key] = "".join(child.itertext()).strip()
    return found


def _first(fields: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((fields[name] for name in names if fields.get(name)), None)


__all__ = ["Trimmed", "trim"]
