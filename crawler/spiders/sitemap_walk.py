"""How a source spider walks a sitemap: its urls, an index's child sitemaps (to a depth),
and the cap their urls share (:class:`SitemapWalk`, a part of
:class:`crawler.spiders.source.SourceSpider`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import scrapy
from scrapy.http import Response

from crawler.feeds import ParsedFeed
from crawler.models import Deferred, Entry, FeedPoll, Fetched, Problem, Skipped
from crawler.sitemaps import Sitemap
from crawler.sources import Kind, Source
from crawler.spiders.gate import RequestGate
from crawler.spiders.shared_cap import SharedCap
from crawler.spiders.targets import Target

logger = logging.getLogger(__name__)
# A sitemap index may point at further indexes; publishers nest two levels at most in practice.
# A deeper chain (a loop of distinct URLs, a generator gone wrong) ends here, each child it
# lists one sitemap_too_deep reject.
MAX_SITEMAP_DEPTH = 3
#: What the spider's callbacks yield.
Item = Fetched | Problem | FeedPoll | Skipped | Deferred | scrapy.Request


class SitemapWalk:
    """The sitemap kind of the source spider; the spider gives the rest."""

    gate: RequestGate
    shared_cap: SharedCap

    if TYPE_CHECKING:  # the spider's (crawler.spiders.source.SourceSpider)
        def _poll(self, response: Response, target: Target, parsed: ParsedFeed | None,
                  error: str | None) -> FeedPoll: ...

        def _follow(self, source: Source, url: str, kind: Kind, depth: int = 0
                    ) -> Iterator[Item]: ...

        def _entries(self, source: Source, entries: tuple[Entry, ...], feed_url: str,
                     guid_unique: Callable[[Entry], bool]) -> Iterator[Item]: ...

    def _sitemap(self, response: Response, target: Target,
                 sitemap: Sitemap | None) -> Iterator[Item]:
        source, depth = target.source, target.depth
        readable = sitemap is not None and (sitemap.entries or sitemap.children)
        problem = "not a sitemap" if sitemap is None else sitemap.problem
        yield self._poll(response, target, None,
                         error=None if readable else f"sitemap_unparseable: {problem}")
        if problem is not None:
            code = "sitemap_ill_formed" if readable else "sitemap_unparseable"
            yield Problem(source.name, response.url, code, problem)
        if sitemap is None:
            return
        yield from self._sitemap_capped(source, response.url, sitemap)
        for child in sitemap.children:
            if depth < MAX_SITEMAP_DEPTH:
                for item in self._follow(source, child, "sitemap", depth + 1):
                    if isinstance(item, scrapy.Request):
                        self.shared_cap.expect(source.name)
                    yield item
            else:  # said, not dropped: a run that read nothing of a deep index exits 1
                yield Problem(source.name, child, "sitemap_too_deep",
                              f"a sitemap {depth + 1} levels below the first, over the"
                              f" limit of {MAX_SITEMAP_DEPTH}")
        if depth > 0:  # an index's child: its urls share the source's cap with its siblings'
            self.shared_cap.add(source.name, sitemap.entries, response.url,
                                self.gate.entries(source))
        else:
            yield from self._entries(source, sitemap.entries, response.url, lambda e: False)

    def _child_done(self, target: Target) -> Iterator[Item]:
        """After an index's child sitemap answered or failed: when it was the source's last
        one, the newest of all their urls (:mod:`crawler.spiders.shared_cap`)."""
        if target.kind != "sitemap" or target.depth == 0:
            return
        source = target.source
        drained = self.shared_cap.done(source.name, self.gate.entries(source))
        if drained is None:
            return
        taken, capped = drained
        if capped:
            yield Skipped(source.name, source.url, "capped", count=capped)
        for listing in sorted({url for _, url in taken}):
            entries = tuple(entry for entry, url in taken if url == listing)
            yield from self._entries(source, entries, listing, lambda e: False)

    def _sitemap_capped(self, source: Source, url: str, sitemap: Sitemap) -> Iterator[Item]:
        """A sitemap's urls (an index's child sitemaps) over ``max_entries``: cut where it was
        parsed (parse_sitemap), counted once, as a feed's are, not a reject each."""
        if sitemap.capped:
            logger.info("%s: %d urls and child sitemaps over max_entries capped", url,
                        sitemap.capped)
            yield Skipped(source.name, url, "capped", count=sitemap.capped)
