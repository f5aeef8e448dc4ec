"""Put on ``PYTHONPATH`` by tests: in an extraction pool worker (a spawned process, started
with ``--multiprocessing-fork``), a feed, sitemap or page whose bytes hold :data:`MARK` kills
the worker with SIGKILL, as the OOM killer does to a worker on a huge input, every time it is
parsed; one holding :data:`RAISES` makes its parser raise, as a parser's bug would. The crawl
itself and every other input are untouched."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

MARK = "policywire-test-kills-its-worker"
RAISES = "policywire-test-raises-in-its-parser"


def _killing(work: Callable[..., Any]) -> Callable[..., Any]:
    def killing(markup: str | bytes, *args: Any) -> Any:
        text = markup.decode("utf-8", "replace") if isinstance(markup, bytes) else markup
        if MARK in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if RAISES in text:
            raise RuntimeError("a parser's bug, as the test asked")
        return work(markup, *args)

    return killing


if "--multiprocessing-fork" in sys.argv:
    import crawler.extract
    import crawler.feeds
    import crawler.sitemaps

    crawler.feeds.parse_feed = _killing(crawler.feeds.parse_feed)  # type: ignore[assignment]
    crawler.sitemaps.parse_sitemap = _killing(  # type: ignore[assignment]
        crawler.sitemaps.parse_sitemap)
    crawler.extract.extract_page = _killing(  # type: ignore[assignment]
        crawler.extract.extract_page)
