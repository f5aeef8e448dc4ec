"""Page extraction off the reactor thread.

trafilatura takes 3-17 ms a page, the largest cost of a crawl, and it blocks the reactor: no
download moves meanwhile. A small process pool (spawned, so no reactor state is copied into
it) extracts while the reactor thread downloads, parses feeds and builds records: the second
core does the heavy part. ``POLICYWIRE_EXTRACT_WORKERS``: 0 extracts inline (one core), the
default is one worker per core but one, at most 4.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from crawler.cpus import usable_cpus
from crawler.extract import extract_page
from crawler.models import Page


def default_workers() -> int:
    return max(0, min(4, usable_cpus() - 1))


class PageExtractor:
    """``await extract(markup, url)``: in the pool when there is one, else inline."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def extract(self, markup: str, url: str) -> Page:
        if self.workers <= 0:
            return extract_page(markup, url)
        if self._pool is None:  # started on the first page: a crawl of feeds alone needs none
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"))
        return await asyncio.wrap_future(self._pool.submit(extract_page, markup, url))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
