"""Page extraction off the reactor thread.

trafilatura takes 3-17 ms a page, the largest cost of a crawl, and it blocks the reactor: no
download moves meanwhile. A small process pool (spawned, so no reactor state is copied into
it) extracts while the reactor thread downloads, parses feeds and builds records: the second
core does the heavy part. ``POLICYWIRE_EXTRACT_WORKERS``: 0 extracts inline (one core), the
default is one worker per core but one, at most 4.

Feeds and sitemaps are parsed there too (feedparser takes ~0.6 ms an entry: a 100,000-entry
feed held the reactor, and every other source's downloads, for a minute), and each piece of
work has a limit of CPU time (``POLICYWIRE_EXTRACT_TIMEOUT``, default 120 s), kept by a timer
in the worker (:func:`timed`): past it the work stops there (Python code and its regex engine
check for signals often; one long C call, lxml parsing 16 MiB, ends first), the worker takes
the next piece, and the response ends as an ``extract_timeout`` reject or ``page_error``.
Inline (0 workers) there is no limit: the timer would interrupt the reactor itself.

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
from multiprocessing.connection import wait
from types import FrameType
from typing import Any, TypeVar

from crawler.cpus import usable_cpus
from crawler.extract import extract_page
from crawler.models import Page

T = TypeVar("T")
#: The largest feed a response may carry (16 MiB, DOWNLOAD_MAXSIZE: ~100,000 entries) parses
#: in about a minute on a loaded core; a real article page in 3-17 ms. Past twice that
#: minute, the input is hostile or pathological, not big.
DEFAULT_TIMEOUT = 120.0


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


class ExtractTimeout(Exception):
    """Parsing or extracting one response took longer than the pool's time limit."""


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


def timed(limit: float, work: Callable[..., T], *args: Any) -> tuple[T, list[logging.LogRecord]]:
    """In a pool worker: ``work(*args)`` and what it logged, or :class:`ExtractTimeout` once
    it has taken ``limit`` s of CPU time (``ITIMER_PROF``: a loaded machine stretches the
    wall clock, not the work's CPU time). The timer's signal raises a ``BaseException``, which
    feedparser's and trafilatura's ``except Exception`` blocks do not swallow (feedparser's
    would fall back to its loose parser and start again), and repeats each second until
    disarmed. The log records go back to the crawl, which logs them as its own (its format,
    its level): Python's last-resort handler would print a worker's warning as plain text,
    into ``--log-format json``."""
    armed = [True]

    def expired(signum: int, frame: FrameType | None) -> None:
        if armed[0]:  # one that strikes after the work returned does nothing
            raise _OutOfTime

    kept = _Kept()
    logging.getLogger().addHandler(kept)
    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, limit, 1.0)
    try:
        return work(*args), kept.records
    except _OutOfTime:
        raise ExtractTimeout(f"took over {limit:g} s of CPU time (POLICYWIRE_EXTRACT_TIMEOUT)"
                             ) from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)  # before the old handler: SIGPROF kills
        signal.signal(signal.SIGPROF, previous)
        logging.getLogger().removeHandler(kept)


class _OutOfTime(BaseException):
    """Raised by the timer's signal inside the work; never leaves :func:`timed`."""


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
    pool when there is one, within ``timeout`` seconds each, else inline."""

    def __init__(self, workers: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None

    async def extract(self, markup: str, url: str, feed_title: str | None = None) -> Page:
        return await self.run(extract_page, markup, url, feed_title)

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        if self.workers <= 0:
            return work(*args)
        if self._pool is None:  # started on first use: a crawl of nothing needs none
            quiet_resource_tracker()
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=exit_with_parent)
        result, logged = await asyncio.wrap_future(
            self._pool.submit(timed, self.timeout, work, *args))
        for record in logged:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
