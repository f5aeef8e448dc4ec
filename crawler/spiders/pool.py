"""Page extraction off the reactor thread.

trafilatura takes 3-17 ms a page, the largest cost of a crawl, and it blocks the reactor: no
download moves meanwhile. A small process pool (spawned, so no reactor state is copied into
it) extracts while the reactor thread downloads, parses feeds and builds records: the second
core does the heavy part. ``POLICYWIRE_EXTRACT_WORKERS``: 0 extracts inline (one core), the
default is one worker per core but one, at most 4.

Feeds and sitemaps are parsed there too (feedparser takes ~0.3 ms of CPU an entry: a
100,000-entry feed held the reactor, and every other source's downloads, for half a minute
and more), and each piece of work, there or inline, has a limit of CPU time
(``POLICYWIRE_EXTRACT_TIMEOUT``, :mod:`crawler.spiders.deadline`): past it the response ends
as an ``extract_timeout`` reject or ``page_error`` and the worker takes the next piece.

A worker exits as soon as the crawl process is gone, however it went: a crawl killed with
SIGKILL (a cron timeout, the OOM killer) runs no shutdown, and its workers, blocked reading a
queue whose pipe they hold both ends of, would otherwise live on under PID 1 (~90 MB each).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait
from typing import Any, TypeVar

from crawler.cpus import usable_cpus
from crawler.errors import ExtractionCrashed
from crawler.extract import extract_page
from crawler.models import Page
from crawler.spiders.deadline import within

T = TypeVar("T")
#: The warning filter (``-W``) for multiprocessing's resource tracker: see
#: :func:`quiet_resource_tracker`.
_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def quiet_resource_tracker() -> None:
    """Keep the resource tracker that the pool's queues start from warning of "leaked
    semaphore objects" when the crawl is killed (SIGKILL: a cron timeout, the OOM killer).

    The tracker is a process of its own that outlives a killed crawl to unlink the
    semaphores the crawl could not: a leak it repairs, so its warning, on the killed run's
    stderr (cron mails it; the journal shows it as the next run starts), reports nothing to
    act on. It is started with the interpreter's ``-W`` options, which ``sys.warnoptions``
    holds: set before the pool's first queue starts it. No other warning is filtered.
    """
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)


def default_workers() -> int:
    return max(0, min(4, usable_cpus() - 1))


def start_worker() -> None:
    """In a pool worker, first: leave stop signals to the crawl, and end with it.

    systemd's stop signals every process of the unit and a terminal's Ctrl-C the whole
    foreground group, so a worker gets the crawl's SIGTERM or SIGINT too: it died of it (or
    of its KeyboardInterrupt) mid-page, and every page after was written as a record with
    page_error ``BrokenProcessPool``. The crawl stops gracefully and shuts the pool down
    itself; a worker whose crawl is gone ends by :func:`exit_with_parent`.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    exit_with_parent()


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


def timed(limit: float, work: Callable[..., T], *args: Any) -> tuple[T, list[logging.LogRecord]]:
    """In a pool worker: ``work(*args)`` within ``limit`` s of CPU time
    (:func:`crawler.spiders.deadline.within`), and what it logged. The log records go back
    to the crawl, which logs them as its own (its format, its level): a worker has no logging
    set up, and Python's last-resort handler printed a parser's warning raw on stderr, into
    ``--log-format json``."""
    kept = _Kept()
    logging.getLogger().addHandler(kept)
    try:
        return within(limit, work, *args), kept.records
    finally:
        logging.getLogger().removeHandler(kept)


class _Kept(logging.Handler):
    """Log records kept to be sent back: the message made text (its arguments may not
    pickle), the traceback left behind."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


class PageExtractor:
    """``await extract(markup, url, feed_title)`` and ``await run(parse, *args)``: in the
    pool when there is one, else inline; each within ``timeout`` seconds of CPU time
    (0: no limit)."""

    def __init__(self, workers: int, timeout: float = 0.0) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        #: the pieces a broken pool held, taken again one at a time (:meth:`_alone`)
        self._alone_pool: ProcessPoolExecutor | None = None
        self._alone_turn: asyncio.Lock | None = None  # made in the running event loop

    async def extract(self, markup: str, url: str, feed_title: str | None = None) -> Page:
        return await self.run(extract_page, markup, url, feed_title)

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        if self.workers <= 0:
            return within(self.timeout, work, *args)
        pool = self._started()
        try:
            result, logged = await asyncio.wrap_future(
                pool.submit(timed, self.timeout, work, *args))
        except BrokenProcessPool:
            # A worker died (the OOM killer's pick, a crash): every piece the pool held fails
            # with it, and which one killed it is unknown. The pool is replaced, and each of
            # them is taken again alone: a piece that kills its worker every time then fails
            # on its own, and the others in the pool with it are extracted.
            if self._pool is pool:
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            result, logged = await self._alone(work, *args)
        for record in logged:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
        return result

    async def _alone(self, work: Callable[..., T], *args: Any) -> tuple[T, list[logging.LogRecord]]:
        """``work(*args)`` in a one-worker pool of its own, one piece at a time (retried all at
        once in a new shared pool, the killer broke it again, and the others with it)."""
        if self._alone_turn is None:
            self._alone_turn = asyncio.Lock()
        async with self._alone_turn:
            if self._alone_pool is None:
                self._alone_pool = _new_pool(1)
            pool = self._alone_pool
            try:
                return await asyncio.wrap_future(pool.submit(timed, self.timeout, work, *args))
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                self._alone_pool = None
                raise ExtractionCrashed(
                    "its worker process died twice, in the pool and alone (killed by the OOM "
                    "killer or a signal, or a crash)") from None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:  # started on first use: a crawl of nothing needs none
            self._pool = _new_pool(self.workers)
        return self._pool

    def close(self) -> None:
        for pool in (self._pool, self._alone_pool):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._alone_pool = None


def _new_pool(workers: int) -> ProcessPoolExecutor:
    quiet_resource_tracker()
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker)
