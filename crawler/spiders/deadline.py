"""A limit on the CPU time one page's extraction may take (``POLICYWIRE_EXTRACT_TIMEOUT``).

Extraction is Python over markup anyone can write. Pages built to meet a superlinear step
(ours, trafilatura's, htmldate's: a 2 MB page of ``a<br>`` takes 16 s of CPU, a 16 MB one
minutes) held their worker until done, and the crawl with it: a crawl that does not end
holds its state's lock, and every cron run after it exits 75. Each page therefore gets a
budget of CPU time; past it the page is an ``extraction_failed`` reject (its record's
``page_error`` where the feed gave a title) and the worker takes the next page.

The budget is a profiling timer (``ITIMER_PROF``: the process's CPU time, which a loaded
machine does not stretch as it does the wall clock). Its signal raises a ``BaseException``
so that third-party ``except Exception`` blocks do not swallow it, and it repeats each
second until disarmed, should one catch it anyway. A signal handler can only be installed
on the main thread (a pool worker's tasks run there, and so does Scrapy's reactor); on any
other thread the page is extracted without a limit. A long single C call (lxml parsing 16
MB) finishes before the signal is handled.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from crawler.errors import ExtractionTimeout
from crawler.extract import extract_page
from crawler.models import Page


class _OutOfTime(BaseException):
    """Raised by the timer's signal inside the extraction; never leaves this module."""


class _Alarm:
    """The timer's signal handler: raises while armed, so a signal that arrives after the
    extraction returned does nothing."""

    def __init__(self) -> None:
        self.armed = True

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.armed:
            raise _OutOfTime


def extract_within(markup: str, url: str, feed_title: str | None, seconds: float) -> Page:
    """:func:`crawler.extract.extract_page`, raising :class:`ExtractionTimeout` once it has
    taken ``seconds`` of CPU time (none: ``seconds`` <= 0, or off the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return extract_page(markup, url, feed_title)
    try:
        return _timed(markup, url, feed_title, seconds)
    except _OutOfTime:  # also one that struck while _timed was disarming
        raise ExtractionTimeout(f"extracting the page took over {seconds:g} s of CPU time"
                                " (POLICYWIRE_EXTRACT_TIMEOUT)") from None


def _timed(markup: str, url: str, feed_title: str | None, seconds: float) -> Page:
    alarm = _Alarm()
    previous = signal.signal(signal.SIGPROF, alarm)
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds, 1.0)
        return extract_page(markup, url, feed_title)
    finally:
        alarm.armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)  # before the old handler: SIGPROF kills
        signal.signal(signal.SIGPROF, signal.SIG_DFL if previous is None else previous)


__all__ = ["extract_within"]
