"""Page extraction off the reactor thread.

trafilatura takes 3-17 ms a page, the largest cost of a crawl, and it blocks the reactor: no
download moves meanwhile. A small process pool (spawned, so no reactor state is copied into
it) extracts while the reactor thread downloads, parses feeds and builds records: the second
core does the heavy part. ``POLICYWIRE_EXTRACT_WORKERS``: 0 extracts inline (one core), the
default is one worker per core but one, at most 4.

A worker exits as soon as the crawl process is gone, however it went: a crawl killed with
SIGKILL (a cron timeout, the OOM killer) runs no shutdown, and its workers, blocked reading a
queue whose pipe they hold both ends of, would otherwise live on under PID 1 (~90 MB each).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import wait

from crawler.cpus import usable_cpus
from crawler.models import Page
from crawler.spiders.deadline import extract_within


def default_workers() -> int:
    return max(0, min(4, usable_cpus() - 1))


def exit_with_parent() -> None:
    """In a pool worker: end this process as soon as its parent has gone.

    The parent's sentinel is a pipe whose other end only the parent holds, so it becomes
    readable when the parent dies by any means; one thread blocked on it costs nothing per
    page. Chosen over ``prctl(PR_SET_PDEATHSIG)``, which is Linux-only, fires when the *thread*
    that started the worker ends (the pool starts them from whichever thread submits first, or
    from its manager thread), and misses a parent that died before the worker asked; and over
    polling ``os.getppid()``, which wakes up forever and notices late.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_ready, args=(parent.sentinel,), daemon=True,
                         name="exit-with-parent").start()


def _exit_when_ready(sentinel: int) -> None:
    wait([sentinel])
    # os._exit: sys.exit here would end only this thread, and no one is left to take a result.
    os._exit(1)


class PageExtractor:
    """``await extract(markup, url, feed_title)``: in the pool when there is one, else
    inline; each page within ``timeout`` seconds of CPU time (crawler.spiders.deadline)."""

    def __init__(self, workers: int, timeout: float = 0.0) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None

    async def extract(self, markup: str, url: str, feed_title: str | None = None) -> Page:
        if self.workers <= 0:
            return extract_within(markup, url, feed_title, self.timeout)
        if self._pool is None:  # started on the first page: a crawl of feeds alone needs none
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=exit_with_parent)
        return await asyncio.wrap_future(self._pool.submit(extract_within, markup, url,
                                                           feed_title, self.timeout))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
