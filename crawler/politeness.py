"""Per-host politeness in the downloader: a source's ``download_delay`` and robots.txt (read
the RFC 9309 way, its ``Crawl-delay`` kept), both as floors of the host's download slot.

Scrapy keys a download slot by host name: every request to a host waits its slot's delay
after the one before. :func:`pace_host` raises that delay (never lowers it) and keeps it
against AutoThrottle (:class:`crawler.extensions.FlooredAutoThrottle` reads the floor back).
"""

from __future__ import annotations

import logging
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

#: The longest robots.txt ``Crawl-delay`` kept (seconds): a site's 3600 would hold a crawl
#: for hours at its second page; past this the host is paced at this delay (and a warning
#: says so).
MAX_CRAWL_DELAY = 30.0


def pace_host(crawler: Crawler, host: str, delay: float) -> None:
    """Make ``host``'s slot (and any Scrapy makes for it later) wait at least ``delay``
    between requests, without jitter; a longer floor already set stays."""
    downloader = crawler.engine.downloader
    # A slot idle for a while is dropped and made anew from these settings.
    known = downloader.per_slot_settings.get(host, {})
    delay = max(delay, float(known.get("delay", 0.0)))
    downloader.per_slot_settings[host] = {**known, "delay": delay, "jitter": 0.0}
    slot = downloader.slots.get(host)
    if slot is not None:
        slot.delay, slot.jitter = max(slot.delay, delay), 0.0


class HostDelayMiddleware:
    """A source's ``download_delay`` is a floor for every host its requests go to.

    The spider puts a source that has a delay in a download slot of its own (``DOWNLOAD_SLOTS``
    ``{"source:<name>": {"delay": d}}``). Scrapy alone broke that promise twice: AutoThrottle
    shrinks a slot's delay toward the server's latency, floored only by the global
    ``DOWNLOAD_DELAY`` (3.0 s became 3-4 requests a second after the first page), and the
    delay is randomised to 0.5-1.5 times its value. And a per-source slot paces that source
    alone: another source on the same host added its own requests. So each such request goes
    to its host's slot instead (where every source's requests to that host meet), configured
    with the largest delay of the sources that reached it and no jitter; AutoThrottle may
    lengthen that delay, never shorten it (:class:`crawler.extensions.FlooredAutoThrottle`).
    Off in scale-out workers, whose per-host pace is the shared pacer's (no ``DOWNLOAD_SLOTS``
    there).
    """

    def __init__(self, crawler: Crawler, delays: dict[str, float]) -> None:
        self._crawler = crawler
        self._delays = delays  # the spider's slot key of a source -> its delay
        self._floors: dict[str, float] = {}  # host -> the largest delay of a source there

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        slots = crawler.settings.getdict("DOWNLOAD_SLOTS")
        delays = {key: float(conf["delay"]) for key, conf in slots.items() if conf.get("delay")}
        if not delays:
            raise NotConfigured
        return cls(crawler, delays)

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        delay = self._delays.get(request.meta.get("download_slot", ""))
        if delay is None:
            return
        del request.meta["download_slot"]  # Scrapy's default slot: the host's
        if delay > self._floors.get(host, 0.0):
            self._floors[host] = delay
            pace_host(self._crawler, host, delay)



class RobotsTxtRFC9309Middleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's reading of error statuses, asking for
    robots.txt as the source that needs it, and keeping its ``Crawl-delay``.

    Scrapy parses whatever body comes back. RFC 9309 (2.3.1.3, 2.3.1.4) says: a 4xx robots.txt
    ("unavailable") allows everything; a 5xx ("unreachable") disallows everything, since the
    site may be overloaded or its rules may exist but not be served.

    Scrapy asks for robots.txt with the crawl's ``USER_AGENT`` whatever the request that needs
    it carries: a source with its own ``user_agent`` announced one agent for robots.txt and
    another for its pages, and a site that answers agents differently gave it rules not meant
    for it. So robots.txt is asked for with the requesting User-Agent, and read once per host
    and agent (two sources of one host with two agents each ask as themselves).
    """

    # Overrides Scrapy 2.19's robot_parser (the Scrapy pin is 2.19.x) for its request alone:
    # the parent builds it inside, with no headers.
    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        agent = request.headers.get(b"User-Agent")
        key = url.netloc if agent is None else f"{url.netloc} {agent.decode('latin-1')}"
        if key not in self._parsers:
            self._parsers[key] = Deferred()
            robots = Request(f"{url.scheme}://{url.netloc}/robots.txt",
                             headers={b"User-Agent": agent} if agent is not None else None,
                             priority=self.DOWNLOAD_PRIORITY,
                             meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                response = await self.crawler.engine.download_async(robots)
                await self._parse_robots(response, key, request)
            except Exception as exc:  # as Scrapy's: the host is then crawled without rules
                if not isinstance(exc, IgnoreRequest):
                    _robots_logger.error("Error downloading %s: %s", robots, exc)
                self._robots_error(exc, key)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[key]
        return await maybe_deferred_to_future(parser) if isinstance(parser, Deferred) else parser

    # Overrides a private hook of Scrapy 2.19's middleware; ``key``: robot_parser's.
    async def _parse_robots(self, response: Response, key: str, request: Request) -> None:
        if 500 <= response.status < 600:
            logger.warning("robots.txt of %s answered %d: crawling nothing there (RFC 9309)",
                           urlparse_cached(response).netloc, response.status)
            response = response.replace(body=_DISALLOW_ALL)
        elif 400 <= response.status < 500:
            response = response.replace(body=b"")
        elif len(response.body) > ROBOTS_MAX_BYTES:  # its rules past the limit are not read
            response = response.replace(body=response.body[:ROBOTS_MAX_BYTES].rpartition(b"\n")[0])
        await super()._parse_robots(response, key, request)
        self._crawl_delay(key, request)

    def _crawl_delay(self, key: str, request: Request) -> None:
        """The host's ``Crawl-delay`` for the requesting agent, as a floor of its slot's
        delay (at most :data:`MAX_CRAWL_DELAY`). Scrapy 2.19 parses it and never applies it:
        a site asking for 5 s between requests got four at once, 0.25 s apart."""
        parser = self._parsers.get(key)
        if parser is None or isinstance(parser, Deferred):
            return
        agent = request.headers.get(b"User-Agent") or self._default_useragent
        delay = parser.crawl_delay(self._robotstxt_useragent or agent)
        if delay is None or not delay > 0:  # also NaN
            return
        host = urlparse_cached(request).hostname or ""
        if delay > MAX_CRAWL_DELAY:
            logger.warning("robots.txt of %s asks for %g s between requests: keeping %g s",
                           host, delay, MAX_CRAWL_DELAY)
        pace_host(self.crawler, host, min(delay, MAX_CRAWL_DELAY))


#: RFC 9309 2.5: a crawler SHOULD limit the robots.txt it parses, to at least 500 KiB. Protego
#: read every rule of a 16 MB one (20 s) and then matched every URL of the host against each
#: (0.7 s a request), all on the reactor thread (tests/test_security_robots.py).
ROBOTS_MAX_BYTES = 500 * 1024


_DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
#: Scrapy's own logger for a robots.txt it could not fetch: crawler.logs demotes it (the
#: source's reject says it), as it did when Scrapy's robot_parser logged it.
_robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
