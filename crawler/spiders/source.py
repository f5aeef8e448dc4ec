"""The spiders: one for any source (auto-detected), and one per fixed kind.

Callbacks stay thin: they detect what a response is, call the parsers in :mod:`crawler.feeds`,
:mod:`crawler.sitemaps` and :mod:`crawler.extract`, and yield :class:`~crawler.models.Fetched`
items (or :class:`~crawler.models.Problem` for a source that yields nothing).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.extract import discover_feeds, extract_page
from crawler.feeds import parse_feed
from crawler.middlewares import PrivateAddressRefused
from crawler.models import Entry, Fetched, Problem
from crawler.normalize import canonical_url
from crawler.records import error_code, identity_key
from crawler.sitemaps import is_sitemap, parse_sitemap
from crawler.sources import KINDS, Kind, Source, default_sources_path, load_sources, single_source

# A sitemap index may point at further indexes; publishers nest two levels at most in practice.
MAX_SITEMAP_DEPTH = 3
Item = Fetched | Problem | scrapy.Request


class SourceSpider(scrapy.Spider):
    """Crawl sources: ``-a url=URL [-a kind=feed|sitemap|page|auto]`` or ``-a sources=FILE``."""

    name = "policywire"
    fixed_kind: Kind | None = None

    def __init__(
        self, url: str | None = None, kind: str | None = None, sources: str | None = None,
        source_list: list[Source] | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources = source_list or _sources(url, kind or self.fixed_kind, sources)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            if source.enabled:
                yield self._request(source, source.url, self.parse_source, kind=source.kind)

    def parse_source(
        self, response: Response, source: Source, kind: Kind, depth: int = 0
    ) -> Iterator[Item]:
        detected = kind if kind != "auto" else _detect(response)
        if detected == "feed":
            yield from self._feed(response, source)
        elif detected == "sitemap":
            yield from self._sitemap(response, source, depth)
        elif detected == "page":
            yield from self._page(response, source, kind, depth)
        else:
            ctype = _content_type(response)
            yield Problem(source.name, response.url, "feed_unparseable",
                          f"neither feed, sitemap nor HTML (content type {ctype!r})")

    def parse_article(self, response: Response, item: Fetched) -> Iterator[Fetched]:
        if not isinstance(response, TextResponse):
            error = f"not_html: {_content_type(response)}"
            yield _replace(item, page_error=error)
            return
        page = extract_page(response.text, response.url)
        yield _replace(item, page=page, page_url=response.url)

    def article_failed(self, failure: Failure) -> Iterator[Fetched]:
        item: Fetched = failure.request.cb_kwargs["item"]  # type: ignore[attr-defined]
        yield _replace(item, page_error=_failure_reason(failure))

    def source_failed(self, failure: Failure) -> Iterator[Problem]:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.cb_kwargs["source"]
        reason = _failure_reason(failure)
        yield Problem(source.name, request.url, error_code(reason), reason)

    # -- kinds ------------------------------------------------------------------------------
    def _feed(self, response: Response, source: Source) -> Iterator[Item]:
        parsed = parse_feed(response.body, response.url, _content_type(response) or None)
        problem = parsed.problem()
        if problem is not None:
            yield Problem(source.name, response.url, *problem)
            return
        guids = Counter(e.guid for e in parsed.entries if e.guid)
        for entry in parsed.entries:
            yield self._entry(source, entry, response.url, guid_unique=guids[entry.guid] == 1)

    def _sitemap(self, response: Response, source: Source, depth: int) -> Iterator[Item]:
        sitemap = parse_sitemap(response.body, response.url)
        if sitemap is None:
            yield Problem(source.name, response.url, "sitemap_unparseable", "not a sitemap")
            return
        if depth < MAX_SITEMAP_DEPTH:
            for child in sitemap.children:
                yield self._request(source, child, self.parse_source, kind="sitemap",
                                    depth=depth + 1)
        for entry in sitemap.entries:
            yield self._entry(source, entry, response.url, guid_unique=False)

    def _page(self, response: Response, source: Source, kind: Kind, depth: int) -> Iterator[Item]:
        if not isinstance(response, TextResponse):
            yield Problem(source.name, response.url, "not_html", _content_type(response))
            return
        feeds = discover_feeds(response.text, response.url) if kind == "auto" else ()
        if feeds and depth == 0:
            # A home page announcing its feeds: the feeds list the articles, with dates.
            for feed in feeds:
                yield self._request(source, feed, self.parse_source, kind="feed", depth=1)
            return
        url = canonical_url(response.url)
        entry = Entry(link=url, origin="page")
        yield Fetched(
            source=source.name, entry=entry, feed_url=None,
            page=extract_page(response.text, response.url), page_url=response.url,
            id_key=identity_key(source.name, None, url, False),
            source_language=source.language, source_tags=source.tags,
        )

    # -- requests ---------------------------------------------------------------------------
    def _entry(self, source: Source, entry: Entry, feed_url: str, guid_unique: bool) -> Item:
        item = Fetched(
            source=source.name, entry=entry, feed_url=feed_url,
            id_key=identity_key(source.name, entry.guid, entry.link or "", guid_unique),
            source_language=source.language, source_tags=source.tags,
        )
        if not entry.link:
            return item  # the pipeline turns it into a reject: missing_link
        return scrapy.Request(
            entry.link, callback=self.parse_article, errback=self.article_failed,
            cb_kwargs={"item": item}, headers=_headers(source),
            # Two entries may share a link; each must end as its own record or reject.
            dont_filter=True,
        )

    def _request(
        self, source: Source, url: str, callback: Any, kind: Kind, depth: int = 0
    ) -> scrapy.Request:
        return scrapy.Request(
            url, callback=callback, errback=self.source_failed, headers=_headers(source),
            cb_kwargs={"source": source, "kind": kind, "depth": depth}, dont_filter=True,
            meta={"download_slot": _slot(source)} if source.download_delay else {},
        )


class FeedSpider(SourceSpider):
    name = "feed"
    fixed_kind = "feed"


class SitemapSpider(SourceSpider):
    name = "sitemap"
    fixed_kind = "sitemap"


class PageSpider(SourceSpider):
    name = "page"
    fixed_kind = "page"


def _sources(url: str | None, kind: str | None, sources: str | None) -> list[Source]:
    if url:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        return [single_source(url, kind or "auto")]  # type: ignore[arg-type]
    return load_sources(Path(sources) if sources else default_sources_path())


def _detect(response: Response) -> Kind:
    ctype = _content_type(response)
    head = response.body[:4096].lstrip().lower()
    if is_sitemap(response.body):
        return "sitemap"
    if any(m in head for m in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")):
        return "feed"
    if "html" in ctype or head.startswith((b"<!doctype html", b"<html")):
        return "page"
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        return "feed"
    return "auto"


def _content_type(response: Response) -> str:
    raw = response.headers.get(b"Content-Type") or b""
    return raw.decode("latin-1").lower()


def _failure_reason(failure: Failure) -> str:
    """``http_<status>``, ``private_address: ...`` or ``<ExceptionName>: <message>``."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"http_{response.status}"
    if isinstance(failure.value, PrivateAddressRefused):
        return f"private_address: {failure.getErrorMessage()}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"[:300]


def _headers(source: Source) -> dict[str, str]:
    return {"User-Agent": source.user_agent} if source.user_agent else {}


def _slot(source: Source) -> str:
    return f"source:{source.name}"


def _replace(item: Fetched, **changes: Any) -> Fetched:
    return dataclasses.replace(item, **changes)
