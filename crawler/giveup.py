"""A host that cannot be reached is given up for the rest of the run, not tried page by page.

A sitemap of 84 pages on a host that does not resolve took 108-135 s before: each page tried
four times (RETRY_TIMES) at the host's delay. :class:`HostGiveUpMiddleware` sits below Scrapy's
RetryMiddleware (550), so its ``process_exception`` hears of a request only once the retry
policy has given up on it (or never retries it): a flaky resolver still gets its retries on
the first request. When that last failure is at the connection level, the host is given up:
every later request to it fails at once with :class:`HostGivenUp`, whose message is the same
reason and names the host (:func:`crawler.failures.given_up`), so each page still ends as one
record with a ``page_error`` or one reject. Any response from the host (a request already in
flight, a 404 or a 503 included) takes it back. HTTP errors never give a host up. Only a
request's last try is judged here (its retries' outcomes stop at RetryMiddleware): a 503 then
a refused connection on the last try gives the host up too. A timeout gives up only a host
that has not answered in this run: on one that has, it is that page's slowness.

A host is its name and the port its URL names, if any (``127.0.0.1:8080``), for one scheme.
The record of given-up hosts lives in the middleware, per crawl: in scale-out each source's
job (a process of its own) gives up a host for itself alone.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
)
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import ConnectError
from twisted.web.client import ResponseNeverReceived

from crawler.failures import exception_reason, given_up

logger = logging.getLogger(__name__)

# Failures that say the host is not there for us. A timeout is one: Scrapy's download timeout
# does not say whether the connection was ever made, and a blackholed host (a firewall that
# drops packets) shows only that. A connection closed before any byte of an answer covers a
# failed TLS handshake (Twisted words it as a lost connection or an SSL error).
_UNREACHABLE = (CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError,
                ConnectError)


class HostGivenUp(IgnoreRequest):
    """A request not sent: its host failed at the connection level earlier in this run."""


def unreachable(exception: BaseException) -> bool:
    """Whether ``exception`` is a failure to reach the host at all, not an answer."""
    if isinstance(exception, _UNREACHABLE):
        return True
    return isinstance(exception, DownloadFailedError) and isinstance(
        exception.__cause__, ResponseNeverReceived)


class HostGiveUpMiddleware:
    """Fails requests to a host fast once a request to it failed to connect after its retries.

    ``POLICYWIRE_HOST_GIVE_UP`` (on by default) turns it off.
    """

    def __init__(self) -> None:
        # (scheme, host) given up -> the failure that did it: TLS failing on a port says
        # nothing of plain HTTP there.
        self._reasons: dict[tuple[str, str], str] = {}
        # Hosts that answered in this run: a timeout there is one slow page, not the host.
        self._answered: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("POLICYWIRE_HOST_GIVE_UP"):
            raise NotConfigured
        return cls()

    def process_request(self, request: Request) -> None:
        key = _key(request)
        reason = self._reasons.get(key)
        if reason is not None:
            raise HostGivenUp(given_up(reason, key[1]))

    def process_response(self, request: Request, response: Response) -> Response:
        self._answered.add(_key(request))
        if self._reasons.pop(_key(request), None) is not None:
            logger.info("%s answered again: no longer given up", request.url)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, HostGivenUp) or not unreachable(exception):
            return
        key = _key(request)
        if isinstance(exception, DownloadTimeoutError) and key in self._answered:
            # One page that hangs on a host serving the rest: given up, each request the
            # engine then handed over failed at once and freed its place for the next, and
            # 45 of a sitemap's 80 pages failed untried in a blink while the host answered.
            return
        if key not in self._reasons:
            # INFO as Scrapy's given-up retries: the run's last line names the host.
            logger.info("%s given up for this run after %s: its other pages fail at once",
                        key[1], request.url)
        self._reasons[key] = exception_reason(exception)


def _key(request: Request) -> tuple[str, str]:
    """The scheme, and the host with the port the URL names: a closed port says nothing of
    the host's others."""
    parts = urlparse_cached(request)
    host = (parts.hostname or "").lower()
    return parts.scheme, f"{host}:{parts.port}" if parts.port else host
