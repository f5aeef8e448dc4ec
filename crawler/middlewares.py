"""Downloader-side guards: the SSRF guard (a resolver and a middleware), Retry-After, a page's
declared charset and meta refresh (a source's delay, robots.txt and the scale-out pacer:
:mod:`crawler.politeness`).

* :class:`GuardedResolver` filters every DNS answer (of every request, redirects included), so
  a public name that resolves to a private address is refused at connect time.
* :class:`PrivateAddressMiddleware` refuses a request before it leaves, with a reason a reject
  record can carry: an IP literal in any spelling (``2130706433``, ``127.1``), and a name that
  resolves to a non-public address (``internal.example`` -> 10.0.0.7: the name and the address
  are in the reject). It runs before Scrapy's proxy middleware, so a request that a proxy would
  carry is judged too (the proxy resolves names itself: a name that does not resolve here is
  refused when a proxy would carry it).

Both are off when ``POLICYWIRE_ALLOW_PRIVATE_ADDRESSES`` is true (tests on loopback, intranets).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Sequence
from typing import Any, Self
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.resolver import CachingHostnameResolver
from twisted.internet.interfaces import IResolutionReceiver
from zope.interface import implementer, provider  # type: ignore[import-untyped]

from crawler.charsets import overruled
from crawler.netguard import WRITTEN_URL, ip_literal, name_refusal, refusal, spelled_host
from crawler.polling import retry_after_seconds

logger = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """A request to a private, loopback, link-local or otherwise non-public address."""


class PrivateAddressMiddleware:
    """Refuses requests whose host is, or resolves to, a non-public address.

    The connect-time check (:class:`GuardedResolver`) alone cannot say why a name failed (its
    caller sees "no results"), and never sees a request a proxy carries: the proxy resolves
    the name, so ``http_proxy`` would switch the guard off for every name.
    """

    # Verdicts are kept per host for the crawl (as Scrapy's DNS cache keeps answers); a name
    # rebound to a private address later is still caught at connect time when no proxy is used.
    CACHE_SIZE = 10_000

    def __init__(self, proxies: dict[str, str]) -> None:
        self._proxies = proxies  # scheme -> proxy URL, from the environment, as Scrapy reads it
        self._answers: dict[str, tuple[str, ...] | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if crawler.settings.getbool("POLICYWIRE_ALLOW_PRIVATE_ADDRESSES"):
            raise NotConfigured  # no message: Scrapy would log it as a warning
        return cls(getproxies() if crawler.settings.getbool("HTTPPROXY_ENABLED") else {})

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        # After a redirect the URL is the server's, not the one the feed or sources file wrote.
        written = None if request.meta.get("redirect_urls") else request.meta.get(WRITTEN_URL)
        reason = refusal(spelled_host(host, written))
        if reason is None and ip_literal(host) is None:
            reason = await self._name_refusal(host, self._proxied(request, parts.scheme, host))
        if reason is not None:
            raise PrivateAddressRefused(f"refused: {reason} (see --allow-private-addresses)")

    async def _name_refusal(self, host: str, proxied: bool) -> str | None:
        addresses = await self._resolve(host)
        if addresses is None:
            # Unresolvable here: a direct request fails at DNS anyway; a proxy would resolve
            # it unchecked (metadata.google.internal resolves inside a cloud, not here).
            return f"{host} does not resolve here, and a proxy would carry it" if proxied else None
        return name_refusal(host, addresses)

    async def _resolve(self, host: str) -> tuple[str, ...] | None:
        if host not in self._answers:
            if len(self._answers) >= self.CACHE_SIZE:
                self._answers.clear()
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None,
                                                                     type=socket.SOCK_STREAM)
            except (OSError, UnicodeError):  # gaierror; a label too long for IDNA
                self._answers[host] = None
            else:
                self._answers[host] = tuple(str(info[4][0]) for info in infos)
        return self._answers[host]

    def _proxied(self, request: Request, scheme: str, host: str) -> bool:
        """Whether Scrapy's HttpProxyMiddleware would send ``request`` through a proxy."""
        if "proxy" in request.meta:
            return request.meta["proxy"] is not None
        return scheme in self._proxies and not proxy_bypass(host)


class RetryAfterMiddleware:
    """Honours ``Retry-After`` on 429 and 503, which Scrapy's retry middleware ignores.

    A short wait (up to ``POLICYWIRE_RETRY_AFTER_MAX_WAIT`` seconds) is waited out without
    blocking other downloads, then the request is retried; a longer one is not hammered with
    immediate retries: the response goes to the errback, which schedules the feed for later.
    """

    def __init__(self, max_wait: float, max_times: int) -> None:
        self.max_wait = max_wait
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(settings.getfloat("POLICYWIRE_RETRY_AFTER_MAX_WAIT"),
                   settings.getint("RETRY_TIMES"))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in (429, 503) or not header:
            return response
        wait = retry_after_seconds(header.decode("latin-1"), time.time())
        tries = int(request.meta.get("retry_after_times", 0))
        if wait is None or wait > self.max_wait or tries >= self.max_times:
            request.meta["dont_retry"] = True  # no immediate retries against the server's wish
            return response
        await asyncio.sleep(wait)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries + 1
        return retry


class GuardedResolver(CachingHostnameResolver):
    """Scrapy's caching resolver, dropping answers that point at non-public addresses.

    The proxies the operator configured (``http_proxy``, ``https_proxy``) are exempt: a
    proxy commonly sits on a private address, and what goes through it is judged by
    :class:`PrivateAddressMiddleware` before it leaves.
    """

    allow_private = False
    proxy_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("POLICYWIRE_ALLOW_PRIVATE_ADDRESSES")
        if crawler.settings.getbool("HTTPPROXY_ENABLED"):
            resolver.proxy_hosts = frozenset(_host_of(url) for url in getproxies().values())
        return resolver

    def resolveHostName(
        self, resolutionReceiver: Any, hostName: str, portNumber: int = 0,
        addressTypes: Sequence[type[Any]] | None = None, transportSemantics: str = "TCP",
    ) -> Any:
        trusted = self.allow_private or hostName.lower() in self.proxy_hosts
        receiver = resolutionReceiver if trusted else _Filter(resolutionReceiver, hostName)
        return super().resolveHostName(receiver, hostName, portNumber,  # type: ignore[arg-type]
                                       addressTypes, transportSemantics)


@implementer(IResolutionReceiver)
@provider(IResolutionReceiver)
class _Filter:
    """Passes on public addresses only; logs what it refused."""

    def __init__(self, receiver: Any, host: str) -> None:
        self._receiver = receiver
        self._host = host

    def resolutionBegan(self, resolution: Any) -> None:
        self._receiver.resolutionBegan(resolution)

    def addressResolved(self, address: Any) -> None:
        reason = refusal(getattr(address, "host", ""))
        if reason is None:
            self._receiver.addressResolved(address)
        else:
            logger.warning("SSRF guard: %s answers %s; refused", self._host, reason)

    def resolutionComplete(self) -> None:
        self._receiver.resolutionComplete()


def _host_of(proxy: str) -> str:
    """The host of a proxy setting, which may leave out its scheme (``proxy.corp:3128``)."""
    return (urlsplit(proxy if "://" in proxy else f"http://{proxy}").hostname or "").lower()


class DeclaredCharsetMiddleware:
    """A page read in the charset it declares only where a browser would believe it
    (:mod:`crawler.charsets`), before anything reads its text: the meta refresh below decodes
    the whole page, on the reactor thread, and a ``charset=punycode`` took minutes there."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if not isinstance(response, TextResponse):
            return response
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        encoding = overruled(ctype, response.body)
        return response if encoding is None else response.replace(encoding=encoding)


class HttpMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta refresh, where a refresh to no http(s) URL leaves the page as it is.

    Scrapy means to (it checks the target's scheme), but builds the request first, and a
    ``javascript:`` target raises ValueError there ("Missing scheme"): the page that carried it
    became a ``page_error`` without its text.
    """

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        # ``spider``: the parent's signature (deprecated there; Scrapy passes none)
        try:
            return super().process_response(request, response)
        except ValueError:  # raised by Request() for the target alone
            return response
