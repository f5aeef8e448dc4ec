"""The shared pacer's middleware while its Redis restarts (a real redis-server, stopped and
started again on its port): a request waits for a booked turn, it never goes out unbooked,
and a Redis that stays down fails it with an error naming the server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from crawler.errors import StateError
from crawler.politeness import RobotsTxtRFC9309Middleware, SharedPacerMiddleware
from crawler.state import HostPacer
from tests.redisrv import RedisServer, start
from tests.state.silent import frozen, within

HOST_URL = "http://news.example/feed.xml"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisServer]:
    server = start(tmp_path)
    yield server
    server.stop()


def _port(server: RedisServer) -> int:
    return int(server.url.rsplit(":", 1)[1].split("/")[0])


def test_a_request_waits_for_a_turn_while_redis_restarts(server: RedisServer,
                                                         tmp_path: Path) -> None:
    middleware = SharedPacerMiddleware(HostPacer(server.url, "t"), 0.25)
    asyncio.run(middleware.process_request(Request(HOST_URL)))  # connected, a turn booked
    server.stop()
    restarted: list[RedisServer] = []
    back = threading.Timer(0.6, lambda: restarted.append(start(tmp_path, port=_port(server))))
    back.start()
    try:
        # Before: StateError (connection refused) at once; the page was lost for the round.
        asyncio.run(middleware.process_request(Request(HOST_URL)))
    finally:
        back.join()
        for again in restarted:
            again.stop()
    assert restarted  # the turn was booked on the server started again


def test_a_redis_that_stays_down_fails_the_request_naming_it(server: RedisServer) -> None:
    middleware = SharedPacerMiddleware(HostPacer(server.url, "t"), 0.25)
    middleware.OUTAGE_PAUSES_S = (0.05, 0.05)
    server.stop()
    with pytest.raises(StateError, match=f"127.0.0.1:{_port(server)}"):
        asyncio.run(middleware.process_request(Request(HOST_URL)))


def test_requests_on_a_redis_gone_silent_fail_within_one_outage(server: RedisServer) -> None:
    middleware = SharedPacerMiddleware(HostPacer(server.url, "t"), 0.25)
    asyncio.run(middleware.process_request(Request(HOST_URL)))  # connected, a turn booked

    async def eight() -> list[object]:  # as many requests as Scrapy keeps going for a host
        return await asyncio.gather(*(middleware.process_request(Request(HOST_URL))
                                      for _ in range(8)), return_exceptions=True)

    failed: list[object] = []
    with frozen(server):
        # Before: each booking waited for ever (redis-py 5-7) or 5 s (redis-py 8's default),
        # and each of the eight requests tried six times: over 60 s of a held reactor.
        took, raised = within(60, lambda: failed.extend(asyncio.run(eight())))
    assert raised is None and len(failed) == 8
    assert all(isinstance(f, StateError) and f"127.0.0.1:{_port(server)}" in str(f)
               for f in failed), failed
    outage = sum(SharedPacerMiddleware.OUTAGE_PAUSES_S)
    assert took < outage + 3 * HostPacer.READ_TIMEOUT_S


def test_a_crawl_delay_redis_cannot_keep_still_paces_this_worker(server: RedisServer) -> None:
    crawler = get_crawler(settings_dict={
        "POLICYWIRE_PACER_URL": server.url, "POLICYWIRE_STATE_NAMESPACE": "t",
        "ROBOTSTXT_OBEY": True, "DOWNLOAD_HANDLERS": {"http": None, "https": None},  # no I/O
    })
    robots = RobotsTxtRFC9309Middleware(crawler)
    robots._parsers["news.example"] = ProtegoRobotParser(b"User-agent: *\nCrawl-delay: 5\n",
                                                         None)
    server.stop()

    async def read() -> None:  # the engine's download handlers want a running loop
        crawler.engine = crawler._create_engine()
        robots._crawl_delay("news.example", Request(HOST_URL))

    asyncio.run(read())
    # Before: an error logged and nothing kept: once Redis was back, the host's requests came
    # the source's 0.25 s apart for the rest of the job.
    assert crawler.engine.downloader.per_slot_settings["news.example"]["delay"] == 5.0
