"""Scrapy extensions: a progress line on a terminal.

Enabled with ``POLICYWIRE_PROGRESS`` (the CLI turns it on when stderr is a terminal and
``--quiet`` is not given), so cron runs stay silent.
"""

from __future__ import annotations

import sys
from typing import IO, Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.models import FeedPoll, Fetched, Problem, Skipped


class Progress:
    """``sources 3/7 · articles 41 · unchanged 3 · rejects 1 · errors 0`` on one line."""

    def __init__(self, total_sources: int, stream: IO[str], interval: float) -> None:
        self.total_sources = total_sources
        self.stream = stream
        self.interval = interval
        self.counts = dict.fromkeys(("sources", "articles", "unchanged", "rejects", "errors"), 0)
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("POLICYWIRE_PROGRESS"):
            raise NotConfigured  # no message: Scrapy would log it as a warning
        ext = cls(0, sys.stderr, crawler.settings.getfloat("POLICYWIRE_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.scraped, signal=signals.item_scraped)
        # The pipeline drops the spider's items once counted (feed exports get records only).
        crawler.signals.connect(ext.scraped, signal=signals.item_dropped)
        crawler.signals.connect(ext.errored, signal=signals.spider_error)
        return ext

    def opened(self, spider: Any) -> None:
        self.total_sources = sum(1 for s in getattr(spider, "sources", []) if s.enabled)
        self._loop = task.LoopingCall(self.show)
        self._loop.start(self.interval, now=True)

    def scraped(self, item: Any) -> None:
        if isinstance(item, FeedPoll):
            self.counts["sources"] += 1
        elif isinstance(item, Fetched):
            self.counts["articles"] += 1
            self.counts["rejects"] += item.page_error is not None
        elif isinstance(item, Skipped):
            self.counts["unchanged"] += 1
        elif isinstance(item, Problem):
            self.counts["rejects"] += 1

    def errored(self, failure: Any) -> None:
        self.counts["errors"] += 1

    def show(self) -> None:
        c = self.counts
        self.stream.write(
            f"\rsources {min(c['sources'], self.total_sources)}/{self.total_sources} · "
            f"articles {c['articles']} · unchanged {c['unchanged']} · rejects {c['rejects']} "
            f"· errors {c['errors']}   "
        )
        self.stream.flush()

    def closed(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.show()
        self.stream.write("\n")
