"""The spiders: one for any source (auto-detected), and one per fixed kind.

Callbacks stay thin: they detect what a response is, call the parsers in :mod:`crawler.feeds`,
:mod:`crawler.sitemaps` and :mod:`crawler.extract`, and yield :class:`~crawler.models.Fetched`
items (or :class:`~crawler.models.Problem` for a source that yields nothing).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, Self

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.errors import ExtractionTimeout, UsageError, unsupported_content
from crawler.extract import discover_feeds
from crawler.failures import error_code
from crawler.feeds import ParsedFeed, parse_feed
from crawler.models import Deferred, Entry, FeedPoll, Fetched, Problem, Skipped
from crawler.netguard import WRITTEN_URL
from crawler.normalize import canonical_url, date_option
from crawler.polling import (
    conditional_headers,
    deferral,
    next_check,
)
from crawler.records import entry_fingerprint, identity_key, in_window, record_id
from crawler.redact import redact
from crawler.sitemaps import parse_sitemap
from crawler.sources import Kind, Source
from crawler.spiders.estimate import SAY_FROM, least_seconds, notice
from crawler.spiders.gate import (
    DEFAULT_BUDGET,
    DEFAULT_ENTRY_CAP,
    DEFAULT_URL_LIMIT,
    RequestGate,
    allowed,
    request_headers,
    slot,
)
from crawler.spiders.memory import SourceMemory
from crawler.spiders.polls import answered, throttled
from crawler.spiders.pool import PageExtractor, default_workers
from crawler.spiders.responses import (
    content_type,
    detect,
    extract_failure,
    failure_reason,
    gunzipped,
    header,
    moved_to,
    page_markup,
    unparsed,
)
from crawler.spiders.shared_cap import SharedCap
from crawler.spiders.shared_pages import SharedPages
from crawler.spiders.sitemap_walk import Item, SitemapWalk
from crawler.spiders.targets import Target, followed_feeds, spider_sources

logger = logging.getLogger(__name__)


class SourceSpider(SitemapWalk, scrapy.Spider):
    """Crawl sources: ``-a url=URL [-a kind=feed|sitemap|page|auto]`` or ``-a sources=FILE``."""

    name = "policywire"
    fixed_kind: Kind | None = None

    def __init__(
        self, url: str | None = None, kind: str | None = None, sources: str | None = None,
        *, source_list: list[Source] | None = None, since: str | None = None,
        until: str | None = None, **kwargs: Any,
    ) -> None:
        # A misspelt -a (``-a ulr=...``) would otherwise crawl every bundled source. Names
        # starting with "_" are a scheduler's own (scrapyd passes _job).
        unknown = sorted(k for k in kwargs if not k.startswith("_"))
        if unknown:
            raise UsageError(f"unknown spider argument {unknown[0]!r} (known: url, kind, "
                             "sources, since, until)")
        super().__init__(**kwargs)
        self.sources = source_list or spider_sources(url, kind or self.fixed_kind, sources)
        self.window = (date_option(since, "--since"), date_option(until, "--until"))
        self.memory = SourceMemory(None)
        self.extractor = PageExtractor(0)
        self.gate = RequestGate()
        self.shared_cap = SharedCap()
        self.shared = SharedPages()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        state_dir = crawler.settings.get("POLICYWIRE_STATE_DIR")
        spider.memory = SourceMemory(str(state_dir) if state_dir else None,
                                     crawler.settings.get("POLICYWIRE_STATE_NAMESPACE")
                                     or "policywire")
        crawler.signals.connect(spider.memory.close, signal=signals.spider_closed)
        workers = crawler.settings.get("POLICYWIRE_EXTRACT_WORKERS")
        spider.extractor = PageExtractor(
            default_workers() if workers is None else int(workers),
            crawler.settings.getfloat("POLICYWIRE_EXTRACT_TIMEOUT"))
        spider.gate = RequestGate(
            crawler.settings.getint("URLLENGTH_LIMIT", DEFAULT_URL_LIMIT),
            crawler.settings.getint("POLICYWIRE_MAX_REQUESTS_PER_SOURCE", DEFAULT_BUDGET),
            crawler.settings.getint("POLICYWIRE_MAX_ENTRIES_PER_FEED", DEFAULT_ENTRY_CAP))
        crawler.signals.connect(spider.extractor.close, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[Item]:
        now = time.time()
        for source in self.sources:
            if not source.enabled:
                continue
            wait = deferral(self.memory.feeds(source.url), now)
            if wait is not None:
                # The feed's ttl, a Retry-After or its skipHours/skipDays asked us to come
                # back later (whichever source was told: the server's wish is for the URL).
                # Said in the run's log line, so that it accounts for every source.
                self.crawler.stats.inc_value("policywire/sources_not_due")
                yield Deferred(source.name, source.url, *wait)
                continue
            for item in self._follow(source, source.url, source.kind):
                yield item  # a request, or the reject of a URL that cannot be requested

    async def parse_source(self, response: Response, target: Target) -> AsyncIterator[Item]:
        async for item in self._source_items(response, target):
            yield item
        for item in self._child_done(target):
            yield item

    async def _source_items(self, response: Response, target: Target) -> AsyncIterator[Item]:
        source = target.source
        if response.status == 304:
            yield FeedPoll(source.name, target.url, 304, polled_at=time.time(),
                           moved_to=moved_to(response))
            return
        try:
            response = gunzipped(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
        except (OSError, EOFError, ValueError) as exc:
            detail = f"gzip: {exc}"
            yield self._poll(response, target, None, error=detail)
            yield Problem(source.name, response.url, "download_error", detail)
            return
        try:
            items = await self._parsed(response, target)
        except Exception as exc:  # too slow, killed its worker, a parser's bug: a reject each
            code, detail = unparsed(exc, target.kind if target.kind != "auto"
                                    else detect(response), redact(response.url))
            yield self._poll(response, target, None, error=f"{code}: {detail}")
            yield Problem(source.name, response.url, code, detail)
            return
        for item in items:
            yield item

    async def _parsed(self, response: Response, target: Target) -> Iterable[Item]:
        """The response parsed in the extraction pool, off the reactor thread."""
        detected = target.kind if target.kind != "auto" else detect(response)
        if detected == "feed":
            return self._feed(response, target, await self.extractor.run(
                parse_feed, response.body, response.url, content_type(response) or None,
                self.gate.entries(target.source)))
        if detected == "sitemap":
            return self._sitemap(response, target, await self.extractor.run(
                parse_sitemap, response.body, response.url, self.gate.entries(target.source)))
        if detected == "page":
            return await self._page(response, target.source, target.kind, target.depth)
        return [Problem(target.source.name, response.url, "unsupported_content",
                        unsupported_content(content_type(response)))]

    async def parse_article(self, response: Response, item: Fetched) -> AsyncIterator[Fetched]:
        fetched = await self._article(response, item)
        yield fetched
        for waited in self.shared.answered(fetched):  # other entries linking the page
            yield waited

    async def _article(self, response: Response, item: Fetched) -> Fetched:
        if not isinstance(response, TextResponse):
            return _replace(item, page_error=f"not_html: {content_type(response)}")
        domains = self._sources_by_name[item.source].allowed_domains
        if domains and not allowed(response.url, domains):  # redirected off the source
            return _replace(item, page_error=f"offsite: {response.url}", page_url=response.url)
        # The entry's title votes with the page's own candidates (crawler.extract.titles).
        try:
            page = await self.extractor.extract(page_markup(response), response.url,
                                                item.entry.title)
        except ExtractionTimeout as exc:
            return _replace(item, page_error=f"extract_timeout: {exc}", page_url=response.url)
        except Exception as exc:  # any page may meet a bug: its entry is never lost
            return _replace(item, page_error=f"extraction_failed: {extract_failure(exc)}",
                            page_url=response.url)
        return _replace(item, page=page, page_url=response.url)

    def article_failed(self, failure: Failure) -> Iterator[Fetched]:
        item: Fetched = failure.request.cb_kwargs["item"]  # type: ignore[attr-defined]
        failed = _replace(item, page_error=failure_reason(failure))
        yield failed
        yield from self.shared.answered(failed)

    def source_failed(self, failure: Failure) -> Iterator[Item]:
        request = failure.request  # type: ignore[attr-defined]
        target: Target = request.cb_kwargs["target"]
        source, polled = target.source, target.url
        response = getattr(failure.value, "response", None)
        retry_after = header(response, b"Retry-After") if response is not None else None
        now = time.time()
        rest = next_check(now, None, retry_after)
        if response is not None and response.status == 429 and rest is not None:
            yield from throttled(source.name, polled, rest, now,
                                 self.memory.feed(source.name, polled))
            yield from self._child_done(target)
            return
        reason = failure_reason(failure)
        # Not `request.url != polled`: Scrapy cleans a URL as it makes the request (w3lib 2.6
        # spells http://127.1/ as http://127.0.0.1/), which is no redirect.
        if request.meta.get("redirect_urls"):
            reason = f"{reason} (after redirects, at {request.url})"
        code = error_code(reason)
        yield Problem(source.name, polled, code, reason)
        # Not asked for: our state (the scale-out pacer's Redis) failed, not the feed. No
        # poll, so its streak, rest and validators stay as they were (the reject retries it).
        if code != "state_unavailable":
            yield FeedPoll(source.name, polled, response.status if response is not None else 0,
                           error=reason, polled_at=now, next_check=rest)
        yield from self._child_done(target)

    # -- kinds ------------------------------------------------------------------------------
    def _feed(self, response: Response, target: Target, parsed: ParsedFeed) -> Iterator[Item]:
        source = target.source
        problem = parsed.problem()
        yield self._poll(response, target, parsed,
                         error=f"{problem[0]}: {problem[1]}" if problem else None)
        if problem is not None:
            yield Problem(source.name, response.url, *problem)
            return
        # The cap was applied where the feed was parsed (parse_feed's max_entries).
        taken, capped = parsed.entries, parsed.capped
        if capped:
            # A count, not a reject per entry: the cap is the source's setting, not a fault,
            # and a run that only applied it is a success (see README, max_entries).
            logger.info("%s: %d entries, the newest %d taken (max_entries); %d capped",
                        response.url, len(taken) + capped, len(taken), capped)
            yield Skipped(source.name, response.url, "capped", count=capped)
        yield from self._entries(source, taken, response.url, lambda e: (
            e.guid is not None and e.guid not in parsed.repeated_guids))

    async def _page(self, response: Response, source: Source, kind: Kind,
                    depth: int) -> list[Item]:
        if not isinstance(response, TextResponse):
            return [Problem(source.name, response.url, "not_html", content_type(response))]
        feeds = discover_feeds(response.text, response.url) if kind == "auto" else ()
        if feeds and depth == 0:
            # A home page announcing its feeds: the feeds list the articles, with dates.
            return [i for feed in followed_feeds(feeds, response.url)
                    for i in self._follow(source, feed, "feed", depth=1)]
        try:
            page = await self.extractor.extract(response.text, response.url)
        except Exception as exc:  # too slow, a bug, a dead worker: a reject, not a traceback
            return [Problem(source.name, response.url, *unparsed(exc, "page", response.url))]
        url = canonical_url(response.url)
        entry = Entry(link=url, origin="page")
        return [Fetched(
            source=source.name, entry=entry, feed_url=None,
            page=page, page_url=response.url,
            id_key=identity_key(source.name, None, url, False),
            source_language=source.language, source_tags=source.tags,
            require_topic=source.require_topic, window=self.window,
        )]

    def _poll(self, response: Response, target: Target, parsed: ParsedFeed | None,
              error: str | None) -> FeedPoll:
        known = self.memory.feed(target.source.name, target.url) if error is None else None
        return answered(response, target.source.name, target.url, parsed, error=error,
                        known=known, conditional=target.conditional)

    # -- requests ---------------------------------------------------------------------------
    def _entries(
        self, source: Source, entries: tuple[Entry, ...], feed_url: str,
        guid_unique: Callable[[Entry], bool],
    ) -> Iterator[Item]:
        items = [self._item(source, e, feed_url, guid_unique(e)) for e in entries]
        known = self.memory.fingerprints(record_id(i.id_key or "") for i in items)
        out: list[Item] = []
        for item in items:
            # Undated entries stay: their page dates them (the pipeline checks it then).
            if not in_window(item.entry.published, self.window):
                out.append(Skipped(source.name, record_id(item.id_key or ""), "out_of_window"))
            # One fingerprint stored per source's entry of the article (RunMerger).
            elif entry_fingerprint(item.entry) in known.get(record_id(item.id_key or ""),
                                                             "").split():
                out.append(Skipped(source.name, record_id(item.id_key or ""), "unchanged"))
            elif (asked := self._fetch(item)) is not None:
                out.append(asked)
        self._say_how_long(feed_url, out)
        yield from out

    def _say_how_long(self, listing: str, items: list[Item]) -> None:
        """Before a listing's pages are asked for (``POLICYWIRE_FETCH_ESTIMATE``: scrape):
        how many, from how many hosts, and the least time their hosts' delays take."""
        if not self.settings.getbool("POLICYWIRE_FETCH_ESTIMATE"):
            return
        floor = self.settings.getfloat("DOWNLOAD_DELAY")
        slots = self.crawler.engine.downloader.per_slot_settings

        def delay(host: str) -> float:
            return max(floor, float(slots.get(host, {}).get("delay", 0.0)))

        pages, hosts, seconds = least_seconds(
            (i.url for i in items if isinstance(i, scrapy.Request)), delay)
        if seconds >= SAY_FROM:
            logger.warning("%s: %s", redact(listing), notice(pages, hosts, seconds))

    def _item(self, source: Source, entry: Entry, feed_url: str, guid_unique: bool) -> Fetched:
        return Fetched(
            source=source.name, entry=entry, feed_url=redact(feed_url),
            id_key=identity_key(source.name, entry.guid, entry.link or "", guid_unique),
            source_language=source.language, source_tags=source.tags,
            require_topic=source.require_topic, window=self.window,
        )

    def _fetch(self, item: Fetched) -> Item | None:
        """The page's request; or what ends the entry at once; None: it waits for another
        entry's request of its page (:class:`SharedPages`)."""
        entry = item.entry
        if not entry.link:
            return item  # the pipeline turns it into a reject: missing_link
        source = self._sources_by_name[item.source]
        if source.allowed_domains and not allowed(entry.link, source.allowed_domains):
            return _replace(item, page_error=f"offsite: {entry.link}")
        shared = self.shared.ask(item)
        if shared is not True:
            return shared or None
        refused = self.gate.admit(source, entry.link)
        if refused is not None:
            self.shared.withdraw(item)
            return refused
        return scrapy.Request(
            entry.link, callback=self.parse_article, errback=self.article_failed,
            cb_kwargs={"item": item}, headers=request_headers(source),
            meta={WRITTEN_URL: entry.link,
                  **({"download_slot": slot(source)} if source.download_delay else {})},
            # Asked once a run (SharedPages), and not dropped unanswered by the dupefilter.
            dont_filter=True,
        )

    def _follow(self, source: Source, url: str, kind: Kind, depth: int = 0) -> Iterator[Item]:
        """A feed or sitemap request, once a run: one listing itself is not fetched again."""
        if not self.gate.first_time(source, url):
            self.crawler.stats.inc_value("policywire/listings_repeated")
            return
        refused = self.gate.admit(source, url)
        yield refused if refused is not None else self._request(source, url, kind, depth)

    def _request(self, source: Source, url: str, kind: Kind, depth: int = 0) -> scrapy.Request:
        validators = conditional_headers(self.memory.feed(source.name, url))
        meta: dict[str, Any] = {"handle_httpstatus_list": [304], WRITTEN_URL: url}
        if source.download_delay:
            meta["download_slot"] = slot(source)
        return scrapy.Request(
            url, callback=self.parse_source, errback=self.source_failed,
            headers={**request_headers(source), **validators}, meta=meta, dont_filter=True,
            cb_kwargs={"target": Target(source, kind, url, depth, bool(validators))},
        )

    @functools.cached_property
    def _sources_by_name(self) -> dict[str, Source]:
        # Cached: asked once per entry, and a feed may list 100,000.
        return {s.name: s for s in self.sources}


class FeedSpider(SourceSpider):
    name = "feed"
    fixed_kind = "feed"


class SitemapSpider(SourceSpider):
    name = "sitemap"
    fixed_kind = "sitemap"


class PageSpider(SourceSpider):
    name = "page"
    fixed_kind = "page"


def _replace(item: Fetched, **changes: Any) -> Fetched:
    return dataclasses.replace(item, **changes)
