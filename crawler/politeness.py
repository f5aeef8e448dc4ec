"""Per-host politeness in the downloader: a source's ``download_delay`` and robots.txt (read
the RFC 9309 way, its ``Crawl-delay`` kept), both as floors of the host's download slot, or,
in scale-out workers, of the host's pace shared by all workers.

Scrapy keys a download slot by host name: every request to a host waits its slot's delay
after the one before. :func:`pace_host` raises that delay (never lowers it) and keeps it
against AutoThrottle (:class:`crawler.extensions.FlooredAutoThrottle` reads the floor back).
A worker has no delay of its own: :class:`SharedPacerMiddleware` books each request's turn
in Redis, where the Crawl-delay a worker reads is kept for all of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Self, cast
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.errors import StateError

if TYPE_CHECKING:
    from crawler.state import HostPacer

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


def shared_pacer(settings: BaseSettings) -> HostPacer | None:
    """The pacer of scale-out workers (``POLICYWIRE_PACER_URL``, which ``policywire worker``
    sets); None for a crawl on one machine."""
    url = settings.get("POLICYWIRE_PACER_URL")
    if not url:
        return None
    from crawler.state import HostPacer  # noqa: PLC0415 - a Redis client only when on

    return HostPacer(url, settings.get("POLICYWIRE_STATE_NAMESPACE") or "policywire")


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

    The ``Crawl-delay`` read paces the host's slot; in a scale-out worker it goes to the pace
    all workers share instead (:class:`SharedPacerMiddleware`), before the request that asked
    for robots.txt or any other waiting for it goes on (to the slot too if Redis fails then).
    A robots.txt whose turn Redis could not book fails the requests waiting for it: the site
    did not fail, our state did, and Scrapy's way (no rules) crawled the host unrestricted.
    """

    def __init__(self, crawler: Crawler, pacer: HostPacer | None = None) -> None:
        super().__init__(crawler)
        self._pacer = pacer

    @property
    def _shared(self) -> HostPacer | None:
        """The pacer of :class:`SharedPacerMiddleware`, so that a worker's crawl holds one
        Redis client (with its 2 s timeout) for both, not one each; None on one machine.
        Looked up when first needed: Scrapy builds this middleware before that one."""
        if self._pacer is None:
            self._pacer = next((m.pacer for m in self.crawler.engine.downloader.middleware
                                .middlewares if isinstance(m, SharedPacerMiddleware)), None)
        return self._pacer

    # Overrides Scrapy 2.19's robot_parser (the Scrapy pin is 2.19.x) for its request alone:
    # the parent builds it inside, with no headers.
    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        # The agent the request goes out with: a first try has no header yet (Scrapy's
        # UserAgentMiddleware runs after this one and sets USER_AGENT), its retry has it;
        # keyed by the header alone, the retry asked for robots.txt again, retries and all.
        header = request.headers.get(b"User-Agent")
        agent = header.decode("latin-1") if header is not None else self._default_useragent
        key = f"{url.netloc} {agent}"
        if key not in self._parsers:
            self._parsers[key] = Deferred()
            robots = Request(f"{url.scheme}://{url.netloc}/robots.txt",
                             headers={b"User-Agent": header or self._default_useragent},
                             priority=self.DOWNLOAD_PRIORITY,
                             meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                response = await self.crawler.engine.download_async(robots)
                await self._parse_robots(response, key, request)
            except StateError as exc:
                raise self._state_failed(key, url.netloc, exc) from None
            except Exception as exc:  # as Scrapy's: the host is then crawled without rules
                if not isinstance(exc, IgnoreRequest):
                    _robots_logger.error("Error downloading %s: %s", robots, exc)
                self._robots_error(exc, key)
            finally:
                self._stats.inc_value("robotstxt/request_count")
        parser: object = self._parsers[key]
        if isinstance(parser, Deferred):
            # A Deferred of its own per waiter: awaited as it is, the first waiter's await
            # consumed the result and every other request waiting for robots.txt got None,
            # no rules (Scrapy 2.19's form, which this override copied).
            parser = await maybe_deferred_to_future(_passed_on(parser))
        if isinstance(parser, StateError):
            raise StateError(str(parser))
        return cast("RobotParser | None", parser)

    def _state_failed(self, key: str, netloc: str, exc: StateError) -> StateError:
        """robots.txt could not be asked for because our state (the shared pacer) failed,
        not the site: crawling the host without its rules, as after a download error, is
        no answer. The request and those waiting fail; the host's next request asks for
        robots.txt again."""
        failed = StateError(f"robots.txt of {netloc} not fetched, its requests fail: {exc}")
        logger.error("%s", failed)
        waiting: Deferred[Any] = cast("Deferred[Any]", self._parsers.pop(key))
        waiting.callback(failed)  # a value, not a Failure: each waiter raises it
        return failed

    # Overrides a private hook of Scrapy 2.19's middleware; ``key``: robot_parser's.
    async def _parse_robots(self, response: Response, key: str, request: Request) -> None:
        unreachable = 500 <= response.status < 600
        if unreachable:
            logger.warning("robots.txt of %s answered %d: crawling nothing there (RFC 9309)",
                           urlparse_cached(response).netloc, response.status)
            response = response.replace(body=_DISALLOW_ALL)
        elif 400 <= response.status < 500:
            response = response.replace(body=b"")
        elif len(response.body) > ROBOTS_MAX_BYTES:  # its rules past the limit are not read
            response = response.replace(body=response.body[:ROBOTS_MAX_BYTES].rpartition(b"\n")[0])
        await super()._parse_robots(response, key, request)
        # Synchronously after the parser's Deferred fired: those waiting on it resume later.
        if not unreachable:  # RFC 9309 2.4: then the rules read before stay, its delay too
            self._crawl_delay(key, request)

    def _crawl_delay(self, key: str, request: Request) -> None:
        """The host's ``Crawl-delay`` for the requesting agent, as a floor of its slot's
        delay or of the shared pace (at most :data:`MAX_CRAWL_DELAY`). Scrapy 2.19 parses it
        and never applies it: a site asking for 5 s between requests got four at once, 0.25 s
        apart."""
        parser = self._parsers.get(key)
        if parser is None or isinstance(parser, Deferred):
            return
        agent = (self._robotstxt_useragent or request.headers.get(b"User-Agent")
                 or self._default_useragent)
        host = urlparse_cached(request).hostname or ""
        delay = _kept_delay(parser.crawl_delay(agent), host)
        if self._shared is not None:  # also no delay: one the agent's last reading had lapses
            name = agent.decode("latin-1") if isinstance(agent, bytes) else agent
            try:
                self._shared.keep_crawl_delay(host, name, delay)
                return
            except StateError as exc:
                # Redis restarting: the bookings after it may succeed, spaced by the source's
                # delay alone. This worker's own requests keep the Crawl-delay at least.
                logger.error("robots.txt Crawl-delay of %s not shared, kept for this worker's "
                             "requests only: %s", host, exc)
        if delay is not None:
            pace_host(self.crawler, host, delay)


def _passed_on(shared: Deferred[Any]) -> Deferred[Any]:
    """A Deferred that fires with ``shared``'s result, which ``shared`` keeps for the next."""
    mine: Deferred[Any] = Deferred()

    def pass_on(result: object) -> object:
        mine.callback(result)
        return result

    shared.addCallback(pass_on)
    return mine


def _kept_delay(delay: float | None, host: str) -> float | None:
    """A ``Crawl-delay`` as kept: none for a missing or non-positive one (NaN too), at most
    :data:`MAX_CRAWL_DELAY`."""
    if delay is None or not delay > 0:
        return None
    if delay > MAX_CRAWL_DELAY:
        logger.warning("robots.txt of %s asks for %g s between requests: keeping %g s",
                       host, delay, MAX_CRAWL_DELAY)
    return min(delay, MAX_CRAWL_DELAY)


class SharedPacerMiddleware:
    """Politeness across scale-out workers: requests to one host, from every worker, at least
    ``POLICYWIRE_PACER_INTERVAL`` seconds apart, or the host's robots.txt ``Crawl-delay`` apart
    once any worker has read it (:class:`RobotsTxtRFC9309Middleware` keeps it in Redis).

    Scrapy's own delay is per process; N workers on one site would hit it N times as often,
    and each kept the Crawl-delay it read for its own requests only. The pace lives in Redis
    (the reservation uses the server's clock, not the workers'), and each request's turn
    comes the longest delay known at its booking after the host's turn before, of any worker:
    a worker's first request after its robots.txt too, though the robots.txt requests before
    it were booked before anyone knew the delay. It replaces Scrapy's delay rather than adding
    to it: the caller sets ``DOWNLOAD_DELAY`` to 0, since a request waiting in Scrapy's slot
    after its turn would arrive off its turn (so the Crawl-delay does not go to the slot
    either). Only on when ``POLICYWIRE_PACER_URL`` is set (``policywire worker`` sets it).
    """

    def __init__(self, pacer: HostPacer, interval: float) -> None:
        self.pacer = pacer  # the robots.txt middleware keeps Crawl-delays through it too
        self._interval = interval
        self._down_since: float | None = None  # the first failed booking of this outage
        self._failed: tuple[float, StateError] | None = None  # the latest failed booking

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pacer = shared_pacer(crawler.settings)
        if pacer is None:
            raise NotConfigured
        return cls(pacer, crawler.settings.getfloat("POLICYWIRE_PACER_INTERVAL"))

    # A turn missed by more than this (the reactor thread was busy, e.g. extracting a page)
    # is given up for a new one: otherwise late sleepers would all go out at once.
    LATE_S = 0.05
    TRIES = 5
    # A Redis restart or failover takes seconds: a booking that failed is tried again after
    # each of these pauses (a booking whose reply was lost only leaves a turn unused), then
    # the request fails with the StateError naming the server; it never goes out unbooked.
    # The pauses are one outage's, shared by all requests: a silent Redis holds the reactor
    # thread HostPacer.READ_TIMEOUT_S per try, and eight requests each trying six times held
    # it ~100 s. Past them a request fails untried unless the latest try is the longest
    # pause old: then it tries once (Redis may be back).
    OUTAGE_PAUSES_S = (0.25, 0.5, 1.0, 2.0, 4.0)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        for _ in range(self.TRIES):
            wait = await self._reserve(host)
            if wait <= 0:
                return
            due = time.monotonic() + wait
            await asyncio.sleep(wait)
            if time.monotonic() - due <= self.LATE_S:
                return

    async def _reserve(self, host: str) -> float:
        for pause in (*self.OUTAGE_PAUSES_S, None):
            self._fail_untried()
            try:
                # A blocking round trip on the reactor thread: ~0.1 ms on a LAN, fine per request.
                wait = self.pacer.reserve(host, self._interval)
            except StateError as exc:
                now = time.monotonic()
                self._down_since = self._down_since or now
                self._failed = (now, exc)
                if pause is None or self._spent(now):
                    raise  # the outage's pauses are spent (by this request or others)
                logger.warning("no turn booked for %s, trying again in %g s: %s", host, pause, exc)
                await asyncio.sleep(pause)
            else:
                self._down_since = None
                return wait
        raise AssertionError("unreachable: the last try returns or raises")

    def _spent(self, now: float) -> bool:
        """This outage has lasted all the pauses."""
        return self._down_since is not None and \
            now - self._down_since >= sum(self.OUTAGE_PAUSES_S)

    def _fail_untried(self) -> None:
        """Raise the latest failure again when the outage is spent and it is recent."""
        now = time.monotonic()
        if self._failed is not None and self._spent(now) and \
                now - self._failed[0] < max(self.OUTAGE_PAUSES_S):
            raise StateError(f"{self._failed[1]} (Redis failing for "
                             f"{now - (self._down_since or now):.0f} s: not tried again yet)")


#: RFC 9309 2.5: a crawler SHOULD limit the robots.txt it parses, to at least 500 KiB. Protego
#: read every rule of a 16 MB one (20 s) and then matched every URL of the host against each
#: (0.7 s a request), all on the reactor thread (tests/test_security_robots.py).
ROBOTS_MAX_BYTES = 500 * 1024


_DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
#: Scrapy's own logger for a robots.txt it could not fetch: crawler.logs demotes it (the
#: source's reject says it), as it did when Scrapy's robot_parser logged it.
_robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
