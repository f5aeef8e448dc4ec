"""Scrapy extensions: a progress line on a terminal, and AutoThrottle with per-slot floors.

:class:`Progress` is enabled with ``POLICYWIRE_PROGRESS`` (the CLI turns it on when stderr
is a terminal and ``--quiet`` is not given), so cron runs stay silent. Its rejects are the
pipeline's count of the reject lines it hands the merge stage (the stat
``policywire/rejects``): what the manifest counts, not a guess from the items.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import IO, Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Request, Response
from twisted.internet import task

from crawler.logs import Redacting
from crawler.models import FeedPoll, Fetched, Skipped


class Progress:
    """``sources 3/7 · articles 41 · unchanged 3 · rejects 1 · errors 0`` on one line."""

    def __init__(self, total_sources: int, stream: IO[str], interval: float,
                 rejects: Callable[[], int]) -> None:
        self.total_sources = total_sources
        self.stream = stream
        self.interval = interval
        self.rejects = rejects
        self.counts = dict.fromkeys(("sources", "articles", "unchanged", "errors"), 0)
        self._loop: task.LoopingCall | None = None
        self._clearing = _ClearLine(stream)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("POLICYWIRE_PROGRESS"):
            raise NotConfigured  # no message: Scrapy would log it as a warning
        stats = crawler.stats
        assert stats is not None  # a crawler's extensions are built after its stats
        ext = cls(0, sys.stderr, crawler.settings.getfloat("POLICYWIRE_PROGRESS_INTERVAL"),
                  lambda: int(stats.get_value("policywire/rejects", 0)))
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
        for handler in logging.getLogger().handlers:
            handler.addFilter(self._clearing)

    def scraped(self, item: Any) -> None:
        if isinstance(item, FeedPoll):
            self.counts["sources"] += 1
        elif isinstance(item, Fetched):
            self.counts["articles"] += 1
        elif isinstance(item, Skipped):
            self.counts["unchanged"] += 1

    def errored(self, failure: Any) -> None:
        self.counts["errors"] += 1

    def show(self) -> None:
        c = self.counts
        self.stream.write(
            f"\rsources {min(c['sources'], self.total_sources)}/{self.total_sources} · "
            f"articles {c['articles']} · unchanged {c['unchanged']} · rejects {self.rejects()} "
            f"· errors {c['errors']}   "
        )
        self.stream.flush()

    def closed(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self._clearing)
        self.show()
        self.stream.write("\n")


class _ClearLine(logging.Filter):
    """Clears the progress line before a log line is written: the line has no newline of its
    own (it is redrawn in place), so a log line was printed onto its end. Added last to the
    handlers, it runs only for records their other filters let through."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        self.stream.write("\r\x1b[K")  # to the line's start, then erase it
        return True


class RedactedLogs:
    """Every log handler of the process leaves credentials out of what it writes: Scrapy's
    own lines name requests by their URL ("Crawled (200) <GET http://user:pass@host/feed
    ?token=...>", "Redirecting", "Retrying", a download error's traceback), and under
    ``scrapy crawl`` its handler, not the CLI's redacting formatter, writes them. A filter
    on the handlers sees every record they write, from any logger (Scrapy's LogFormatter
    makes only some of them). The one filter the CLI's handler already carries
    (:func:`crawler.logs.configure`) is not added twice: each line is redacted once."""

    def __init__(self) -> None:
        self.filter = Redacting()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls()
        # Not now: the crawler replaces Scrapy's root handler after building its extensions.
        crawler.signals.connect(ext.install, signal=signals.spider_opened)
        crawler.signals.connect(ext.uninstall, signal=signals.engine_stopped)
        return ext

    def install(self) -> None:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, Redacting) for f in handler.filters):
                handler.addFilter(self.filter)

    def uninstall(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self.filter)


class FlooredAutoThrottle(AutoThrottle):
    """Scrapy's AutoThrottle, which never shrinks a slot's delay below the one configured for
    it in ``DOWNLOAD_SLOTS`` (a source's ``download_delay``: see
    :class:`crawler.politeness.HostDelayMiddleware`).

    Scrapy's floors every slot at the global ``DOWNLOAD_DELAY`` only: a source's 3.0 s became
    its server's latency (3-4 requests a second) after the first page. It may still lengthen
    the delay for a slow server.
    """

    # Overrides a private hook of Scrapy 2.19's AutoThrottle (the Scrapy pin is 2.19.x). It
    # runs before the slot sends its next request, so that request already keeps the floor.
    def _response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        settings = self.crawler.engine.downloader.per_slot_settings.get(key or "", {})
        if slot is not None and "delay" in settings:
            slot.delay = max(slot.delay, float(settings["delay"]))
