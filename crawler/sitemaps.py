"""Sitemaps: index and urlset, with Google News ``news:`` fields as entry metadata.

Parsed with lxml's XML parser with entity resolution and network access off, so an
entity bomb or an external entity cannot expand or fetch anything.

A sitemap is capped as a feed is (``max_entries``): its newest urls are taken, the rest only
counted. Newest by ``<news:publication_date>``, else ``<lastmod>`` (the date a record gets as
``published``): a news crawler wants the articles that came out last, and an edit that moves
an old article's ``lastmod`` does not make it news; undated urls rank after dated ones, in
document order (a sitemap of no dates: its first urls). An index's child sitemaps are capped
the same way, by their ``<lastmod>``. The cut is made here, before any url is resolved or an
entry built, so the worker that parses spends little on the rest and sends little back.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from lxml import etree

from crawler.models import Entry
from crawler.normalize import canonical_url, clean_text, parse_date

_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# How far into a body the root element is looked for: a prolog longer than this is hostile.
_PROLOG_LIMIT = 1024 * 1024
_SITEMAP_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]")
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_LENIENT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           recover=True)


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: either child sitemaps (an index) or page entries (a urlset)."""

    children: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    problem: str | None = None  # why part or all of the sitemap could not be read
    capped: int = 0  # urls and child sitemaps over ``max_entries``, left out of the others


def parse_sitemap(body: bytes, url: str, max_entries: int | None = None) -> Sitemap | None:
    """Parse sitemap bytes; ``None`` when the body is not a sitemap at all.

    A sitemap declaring XML entities is refused whole (no sitemap needs them; they are how
    entity bombs work). An ill-formed one is salvaged as far as it parses, with a ``problem``.
    With ``max_entries``, only the newest that many urls and that many child sitemaps are
    kept (in document order), the rest counted in ``capped``.
    """
    if _declares_entities(body):
        return Sitemap(problem="refused: the sitemap declares XML entities")
    root, problem = _root(body)
    if root is None:
        return None
    tag = etree.QName(root).localname
    nodes = [node for node in root if _is(node, ("url", "sitemap"))]
    if tag == "sitemapindex":
        kept, capped = _newest(nodes, max_entries)
        children = (_loc(node, url) for node in kept)
        return Sitemap(children=tuple(loc for loc in children if loc), problem=problem,
                       capped=capped)
    if tag != "urlset":
        return None
    # Some publishers list child sitemaps inside a <urlset>; follow those, don't fetch as pages.
    listed = [n for n in nodes if _lists_sitemap(n, url)]
    pages = [n for n in nodes if not _lists_sitemap(n, url)]
    kept_children, capped_children = _newest(listed, max_entries)
    kept_pages, capped_pages = _newest(pages, max_entries)
    children = (_loc(node, url) for node in kept_children)
    # A <url> without a usable <loc> stays an entry without a link: it ends as a reject.
    return Sitemap(children=tuple(loc for loc in children if loc),
                   entries=tuple(_entry(n, _loc(n, url)) for n in kept_pages),
                   problem=problem, capped=capped_children + capped_pages)


def is_sitemap(body: bytes) -> bool:
    """The root element is a urlset or sitemapindex (after any prolog: comments, a DTD)."""
    return bool(_SITEMAP_ROOT.search(body, 0, _PROLOG_LIMIT))


def _declares_entities(body: bytes) -> bool:
    """Entity declarations sit in the prolog, before the root element, however long it is."""
    root = _SITEMAP_ROOT.search(body, 0, _PROLOG_LIMIT)
    return bool(_ENTITY_DECLARATION.search(body, 0, root.start() if root else len(body)))


def _root(body: bytes) -> tuple[etree._Element | None, str | None]:
    try:
        return etree.fromstring(body.lstrip(), parser=_STRICT), None
    except etree.XMLSyntaxError as exc:
        problem = f"ill-formed XML ({exc}); read as far as it parses"
    except ValueError:
        return None, None
    try:
        return etree.fromstring(body.lstrip(), parser=_LENIENT), problem
    except (etree.XMLSyntaxError, ValueError):
        return None, None


def _newest(nodes: list[etree._Element],
            cap: int | None) -> tuple[list[etree._Element], int]:
    """The ``cap`` newest of ``nodes`` in document order, and how many were left out: by the
    date :func:`_entry` gives an entry as ``published``; undated ones last, in document order.
    ``heapq.nlargest``: O(n log cap), and only the dates are read, no url resolved."""
    if not cap or len(nodes) <= cap:
        return nodes, 0
    dates = [_published(node) for node in nodes]
    ranked = heapq.nlargest(cap, range(len(nodes)), key=lambda i: (
        dates[i] is not None, dates[i] or "", -i))
    return [nodes[i] for i in sorted(ranked)], len(nodes) - cap


def _published(node: etree._Element) -> str | None:
    news = node.find(f"{_NEWS}news")
    return parse_date(_text(news, "publication_date", _NEWS)) or parse_date(
        _text(node, "lastmod"))


def _lists_sitemap(node: etree._Element, base: str) -> bool:
    """A <url> whose <loc> is a sitemap. The raw text is looked at first: resolving every
    url of a huge sitemap is the cost the cap saves."""
    if not _looks_like_sitemap(_text(node, "loc") or ""):
        return False
    loc = _loc(node, base)
    return bool(loc and _looks_like_sitemap(loc))


def _is(node: etree._Element, names: tuple[str, ...]) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).localname in names


def _loc(node: etree._Element, base: str) -> str | None:
    for child in node:
        if _is(child, ("loc",)) and child.text and child.text.strip():
            url = canonical_url(child.text.strip(), base)
            return url if url.startswith(("http://", "https://")) else None
    return None


def _entry(node: etree._Element, loc: str | None) -> Entry:
    news = node.find(f"{_NEWS}news")
    lastmod = _text(node, "lastmod")
    if news is None:
        # ``published`` only ranks and windows the listing: a last change is never the
        # record's publication (:func:`crawler.records.build_record`).
        return Entry(link=loc, published=parse_date(lastmod), published_raw=lastmod,
                     origin="sitemap", published_is_update=bool(lastmod))
    date_raw = _text(news, "publication_date", _NEWS)
    language = _text(news.find(f"{_NEWS}publication"), "language", _NEWS)
    keywords = (_text(news, "keywords", _NEWS) or "").split(",")
    return Entry(
        link=loc,
        title=_text(news, "title", _NEWS),
        published=parse_date(date_raw) or parse_date(lastmod),
        published_raw=date_raw or lastmod,
        published_is_update=not date_raw and bool(lastmod),
        # The page's last change: it changes the entry's fingerprint, so an updated article
        # is fetched again (without it, a news sitemap's lastmod was dropped).
        updated=parse_date(lastmod) if date_raw else None,
        language=language.lower().split("-")[0] if language else None,
        categories=tuple(k.strip() for k in keywords if k.strip()),
        origin="sitemap",
    )


def _text(node: etree._Element | None, name: str, ns: str = "") -> str | None:
    if node is None:
        return None
    for child in node:
        if isinstance(child.tag, str) and (
            child.tag == f"{ns}{name}" or etree.QName(child).localname == name
        ):
            return clean_text(child.text) or None
    return None


def _looks_like_sitemap(url: str) -> bool:
    path = url.split("?", 1)[0].lower()
    return path.endswith((".xml", ".xml.gz")) and "sitemap" in path
