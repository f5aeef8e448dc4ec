"""Sitemaps: index and urlset, with Google News ``news:`` fields as entry metadata.

Parsed with lxml's XML parser with entity resolution and network access off, so an
entity bomb or an external entity cannot expand or fetch anything.
"""

from __future__ import annotations

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


def parse_sitemap(body: bytes, url: str) -> Sitemap | None:
    """Parse sitemap bytes; ``None`` when the body is not a sitemap at all.

    A sitemap declaring XML entities is refused whole (no sitemap needs them; they are how
    entity bombs work). An ill-formed one is salvaged as far as it parses, with a ``problem``.
    """
    if _declares_entities(body):
        return Sitemap(problem="refused: the sitemap declares XML entities")
    root, problem = _root(body)
    if root is None:
        return None
    tag = etree.QName(root).localname
    locs = [(node, _loc(node, url)) for node in root if _is(node, ("url", "sitemap"))]
    if tag == "sitemapindex":
        return Sitemap(children=tuple(loc for _, loc in locs if loc), problem=problem)
    if tag != "urlset":
        return None
    # Some publishers list child sitemaps inside a <urlset>; follow those, don't fetch as pages.
    children = tuple(loc for _, loc in locs if loc and _looks_like_sitemap(loc))
    # A <url> without a usable <loc> stays an entry without a link: it ends as a reject.
    entries = tuple(_entry(n, loc) for n, loc in locs if not (loc and _looks_like_sitemap(loc)))
    return Sitemap(children=children, entries=entries, problem=problem)


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
        return Entry(link=loc, published=parse_date(lastmod), published_raw=lastmod,
                     origin="sitemap")
    date_raw = _text(news, "publication_date", _NEWS)
    language = _text(news.find(f"{_NEWS}publication"), "language", _NEWS)
    keywords = (_text(news, "keywords", _NEWS) or "").split(",")
    return Entry(
        link=loc,
        title=_text(news, "title", _NEWS),
        published=parse_date(date_raw) or parse_date(lastmod),
        published_raw=date_raw or lastmod,
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
