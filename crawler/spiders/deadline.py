"""A limit on the CPU time one piece of parsing may take (``POLICYWIRE_EXTRACT_TIMEOUT``): a
page's extraction, a feed's or a sitemap's parse.

Extraction is Python over markup anyone can write. Pages built to meet a superlinear step
(ours, trafilatura's, htmldate's: a 2 MB page of ``a<br>`` takes 16 s of CPU, a 16 MB one
minutes) held their worker until done, and the crawl with it: a crawl that does not end
holds its state's lock, and every cron run after it exits 75. Each page therefore gets a
budget of CPU time; past it the page is an ``extract_timeout`` reject (its record's
``page_error`` where the feed gave a title) and the worker takes the next page. So is a
feed or sitemap (feedparser: ~0.3 ms of CPU an entry, ~30 s for the largest, 16 MiB).

The budget is a profiling timer (``ITIMER_PROF``: the process's CPU time, which a loaded
machine does not stretch as it does the wall clock). Its signal raises a ``BaseException``
so that third-party ``except Exception`` blocks do not swallow it, and it repeats each
second until disarmed, should one catch it anyway. A signal handler can only be installed
on the main thread (a pool worker's tasks run there, and so does Scrapy's reactor); on any
other thread the page is extracted without a limit. A long single C call (lxml parsing 16
MB) finishes before the signal is handled: libxml2's one superlinear parse met so far, a start
tag's attributes (their square), is kept from it by :mod:`crawler.htmltags`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

from crawler.errors import ExtractionTimeout

T = TypeVar("T")


class _OutOfTime(BaseException):
    """Raised by the timer's signal inside the work; never leaves this module."""


class _Alarm:
    """The timer's signal handler: raises while armed, so a signal that arrives after the
    work returned does nothing."""

    def __init__(self) -> None:
        self.armed = True

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.armed:
            raise _OutOfTime


def within(seconds: float, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)``, raising :class:`ExtractionTimeout` once it has taken ``seconds`` of
    CPU time (none: ``seconds`` <= 0, or off the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return work(*args)
    try:
        return _timed(seconds, work, args)
    except _OutOfTime:  # also one that struck while _timed was disarming
        raise ExtractionTimeout(f"took over {seconds:g} s of CPU time"
                                " (POLICYWIRE_EXTRACT_TIMEOUT)") from None


def _timed(seconds: float, work: Callable[..., T], args: tuple[Any, ...]) -> T:
    alarm = _Alarm()
    previous = signal.signal(signal.SIGPROF, alarm)
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds, 1.0)
        return work(*args)
    finally:
        alarm.armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)  # before the old handler: SIGPROF kills
        signal.signal(signal.SIGPROF, signal.SIG_DFL if previous is None else previous)


__all__ = ["within"]
