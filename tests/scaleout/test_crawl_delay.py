"""What a worker's robots.txt reading keeps in Redis as the host's Crawl-delay: the group of
our agent before ``*``, a hostile value capped or dropped, a 4xx robots.txt dropping it and a
5xx keeping it (the real middleware from ``get_crawler``, a real redis-server)."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler.politeness import MAX_CRAWL_DELAY, RobotsTxtRFC9309Middleware
from crawler.state import HostPacer
from tests.conftest import records_under
from tests.redisrv import start
from tests.sitesrv import FixtureSite, Route
from tests.test_crawl_e2e import scrapy_crawl, sources_toml

ROBOTS_URL = "http://news.example/robots.txt"
AGENT = "policywire/0.1"


def _robots(redis_url: str, namespace: str) -> RobotsTxtRFC9309Middleware:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "USER_AGENT": AGENT})
    return RobotsTxtRFC9309Middleware(crawler, HostPacer(redis_url, namespace))


def _read(robots: RobotsTxtRFC9309Middleware, status: int, body: bytes) -> None:
    """robots.txt answered ``status`` with ``body``, as robot_parser hands it over."""
    request = Request("http://news.example/feed.xml", headers={"User-Agent": AGENT})
    response = TextResponse(ROBOTS_URL, status=status, body=body, encoding="utf-8")

    async def parse() -> None:
        robots._parsers["news.example"] = Deferred()
        await robots._parse_robots(response, "news.example", request)

    asyncio.run(parse())


def _kept(redis_url: str, namespace: str) -> dict[bytes, float]:
    key = HostPacer(redis_url, namespace).crawl_delay_key("news.example")
    fields = redis.Redis.from_url(redis_url).hgetall(key)
    return {agent: int(value.split()[0]) / 1_000_000 for agent, value in fields.items()}


@pytest.fixture
def namespace() -> str:
    return f"t{secrets.token_hex(4)}"


@pytest.mark.parametrize(("body", "kept"), [
    (b"User-agent: policywire\nCrawl-delay: 2\n\nUser-agent: *\nCrawl-delay: 10\n", 2.0),
    (b"User-agent: other\nCrawl-delay: 2\n\nUser-agent: *\nCrawl-delay: 10\n", 10.0),
    (b"User-agent: *\nCrawl-delay: 3600\n", MAX_CRAWL_DELAY),  # a worker is not held an hour
    (b"User-agent: *\nCrawl-delay: abc\n", None),
    (b"User-agent: *\nCrawl-delay: -5\n", None),
    (b"User-agent: *\nCrawl-delay: 0\n", None),
], ids=["our-agent", "star", "capped", "not-a-number", "negative", "zero"])
def test_a_robots_txt_crawl_delay_is_kept_as_read_for_our_agent(
        redis_url: str, namespace: str, body: bytes, kept: float | None) -> None:
    _read(_robots(redis_url, namespace), 200, body)
    assert _kept(redis_url, namespace) == ({} if kept is None else {AGENT.encode(): kept})


def test_a_4xx_robots_txt_drops_the_kept_delay_and_a_5xx_keeps_it(redis_url: str,
                                                                  namespace: str) -> None:
    _read(_robots(redis_url, namespace), 200, b"User-agent: *\nCrawl-delay: 4\n")
    _read(_robots(redis_url, namespace), 503, b"")  # unreachable: the rules read before stay
    assert _kept(redis_url, namespace) == {AGENT.encode(): 4.0}
    _read(_robots(redis_url, namespace), 404, b"")  # unavailable: no rules, no delay
    assert _kept(redis_url, namespace) == {}


def test_a_crawl_s_robots_txt_and_pacer_share_one_redis_connection(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A server of its own: its connection count is this crawl's (the state is SQLite).
    server = start(tmp_path)
    try:
        fresh_site.routes["/robots.txt"] = Route(200, b"User-agent: *\nCrawl-delay: 0.3\n",
                                                 {"Content-Type": "text/plain"})
        sources = sources_toml(fresh_site, ["/feeds/atom.atom"], tmp_path)
        client = redis.Redis.from_url(server.url)
        before = client.info("stats")["total_connections_received"]
        run = scrapy_crawl(tmp_path, "policywire", "-a", f"sources={sources}",
                           "-s", f"POLICYWIRE_PACER_URL={server.url}",
                           "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
        opened = client.info("stats")["total_connections_received"] - before
        kept = client.hgetall(HostPacer(server.url, "policywire").crawl_delay_key("127.0.0.1"))
    finally:
        server.stop()
    assert len(records_under(tmp_path / "out")) >= 3, run.stderr[-3000:]
    assert kept  # the robots.txt middleware did keep its Crawl-delay through Redis
    # Before: 2, the robots.txt middleware's client and the pacer's.
    assert opened == 1
