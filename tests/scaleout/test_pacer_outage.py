"""The shared pacer's middleware while its Redis restarts (a real redis-server, stopped and
started again on its port): a request waits for a booked turn, it never goes out unbooked,
and a Redis that stays down fails it with an error naming the server; a robots.txt whose
turn could not be booked fails the requests waiting for it instead of letting them through."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from crawler.errors import StateError
from crawler.politeness import RobotsTxtRFC9309Middleware, SharedPacerMiddleware
from crawler.state import HostPacer
from tests.conftest import read_jsonl, records_under, rejects_under
from tests.redisrv import RedisServer, start
from tests.sitesrv import FixtureSite, Route
from tests.state.silent import frozen, within
from tests.test_crawl_e2e import scrapy_crawl, sources_toml

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
        "ROBOTSTXT_OBEY": True, "DOWNLOAD_HANDLERS": {"http": None, "https": None},  # no I/O
    })
    robots = RobotsTxtRFC9309Middleware(crawler, HostPacer(server.url, "t"))
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


def _robots_through_pacer(redis_url: str, site: FixtureSite
                          ) -> tuple[RobotsTxtRFC9309Middleware, SharedPacerMiddleware]:
    """The robots.txt middleware whose robots.txt downloads take a turn from the real shared
    pacer, then go to the loopback site: Scrapy's engine cut down to that one middleware
    (a download needs an open spider)."""
    crawler = get_crawler(settings_dict={
        "ROBOTSTXT_OBEY": True, "DOWNLOAD_HANDLERS": {"http": None, "https": None},
    })
    pacer = SharedPacerMiddleware(HostPacer(redis_url, "t"), 0.0)
    robots = RobotsTxtRFC9309Middleware(crawler, pacer.pacer)  # one client, as in a crawl

    async def download(request: Request) -> Response:
        await pacer.process_request(request)
        with await asyncio.to_thread(urllib.request.urlopen, request.url) as answer:
            return TextResponse(request.url, status=answer.status, body=answer.read())

    async def open_engine() -> None:  # the engine's download handlers want a running loop
        crawler.engine = crawler._create_engine()
        crawler.engine.download_async = download  # type: ignore[method-assign]

    asyncio.run(open_engine())
    return robots, pacer


def _three(robots: RobotsTxtRFC9309Middleware, site: FixtureSite) -> list[object]:
    """Three requests to the site's host at once: one asks for robots.txt, two wait."""
    async def three() -> list[object]:
        return await asyncio.gather(*(robots.process_request(Request(site.url(f"/p/{n}")))
                                      for n in range(3)), return_exceptions=True)

    return asyncio.run(three())


def test_requests_waiting_for_robots_txt_all_obey_it(redis_url: str,
                                                    fresh_site: FixtureSite) -> None:
    fresh_site.routes["/robots.txt"] = Route(200, b"User-agent: *\nDisallow: /p/\n")
    robots, _ = _robots_through_pacer(redis_url, fresh_site)
    # Before: the first request was refused, the two that waited for robots.txt got no
    # rules (the first waiter's await consumed the parser) and went out.
    assert all(isinstance(r, IgnoreRequest) for r in _three(robots, fresh_site))


def test_a_robots_txt_the_pacer_could_not_book_fails_its_requests(
        server: RedisServer, fresh_site: FixtureSite, tmp_path: Path) -> None:
    fresh_site.routes["/robots.txt"] = Route(200, b"User-agent: *\nDisallow: /p/\n")
    robots, pacer = _robots_through_pacer(server.url, fresh_site)
    pacer.OUTAGE_PAUSES_S = (0.05, 0.05)
    server.stop()
    failed = _three(robots, fresh_site)
    # Before: robots.txt counted as a download error, and the host was crawled without its
    # rules (three requests let through).
    assert all(isinstance(f, StateError) and "robots.txt of 127.0.0.1" in str(f)
               for f in failed), failed
    assert fresh_site.hits.get("/robots.txt", 0) == 0  # never asked for unbooked
    again = start(tmp_path, port=_port(server))
    time.sleep(max(pacer.OUTAGE_PAUSES_S))  # past an outage, a try at most once a pause
    try:  # Redis back: the host's next request asks for robots.txt again, and obeys it
        with pytest.raises(IgnoreRequest):
            asyncio.run(robots.process_request(Request(fresh_site.url("/p/3"))))
    finally:
        again.stop()


def test_pages_the_pacer_could_not_book_are_rejected_and_fetched_next_run(
        server: RedisServer, fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Our Redis goes once the feed is asked for: robots.txt and the feed were booked, no
    # article can be. The state is the crawl's SQLite one, which stays up.
    fresh_site.on_hit["/feeds/rss20.rss"] = server.stop
    sources = sources_toml(fresh_site, ["/feeds/rss20.rss"], tmp_path)
    crawl = ("policywire", "-a", f"sources={sources}", "-s", f"POLICYWIRE_PACER_URL={server.url}",
             "-s", "POLICYWIRE_STATE_NAMESPACE=t", "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
    first = scrapy_crawl(tmp_path, *crawl)
    assert first.code == 0, first.stderr[-3000:]
    # Before: four records of the feed's words only (page_error "StateError: ..."), marked
    # seen; the next run wrote each again as revision 2 once its page was read.
    assert records_under(tmp_path / "out") == []
    rejects = rejects_under(tmp_path / "out")
    assert [r["reason"] for r in rejects] == ["state_unavailable"] * 4, rejects
    assert all(f"127.0.0.1:{_port(server)}" in r["detail"] for r in rejects)
    [manifest] = read_jsonl(tmp_path / "out" / "runs.jsonl")
    assert manifest["reject_reasons"] == {"state_unavailable": 4}
    # Counted per source, so that the source's failing streak leaves this run out.
    assert manifest["sources"]["fx0"]["state_unavailable"] == 4
    assert manifest["exit_code"] == 1  # partial: the pages wait for the next run

    del fresh_site.on_hit["/feeds/rss20.rss"]
    again = start(tmp_path, port=_port(server))
    try:
        second = scrapy_crawl(tmp_path, *crawl)
    finally:
        again.stop()
    assert second.code == 0, second.stderr[-3000:]
    records = records_under(tmp_path / "out")
    assert len(records) == 4 and {r["revision"] for r in records} == {1}
    read = [r for r in records if r["page_error"] is None]
    assert len(read) == 3 and all(r["text"] for r in read)


def test_a_feed_the_pacer_could_not_book_is_a_state_unavailable_reject(
        server: RedisServer, fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Our Redis goes once robots.txt is asked for: the feed's turn cannot be booked.
    fresh_site.on_hit["/robots.txt"] = server.stop
    sources = sources_toml(fresh_site, ["/feeds/rss20.rss"], tmp_path)
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"sources={sources}",
                       "-s", f"POLICYWIRE_PACER_URL={server.url}",
                       "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
    assert run.code == 0, run.stderr[-3000:]
    assert fresh_site.hits.get("/feeds/rss20.rss", 0) == 0  # never asked for unbooked
    # Before: download_error, as if the site had failed.
    [reject] = rejects_under(tmp_path / "out")
    assert reject["reason"] == "state_unavailable", reject
    assert reject["url"] == fresh_site.url("/feeds/rss20.rss")


def test_a_feed_the_pacer_could_not_book_keeps_its_error_streak(
        server: RedisServer, fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A run that read the feed, then one whose Redis goes once robots.txt is asked for (a
    # feed without a <ttl>, which would rest it in between).
    sources = sources_toml(fresh_site, ["/feeds/atom.atom"], tmp_path)
    crawl = ("policywire", "-a", f"sources={sources}", "-s", f"POLICYWIRE_PACER_URL={server.url}",
             "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
    assert scrapy_crawl(tmp_path, *crawl).code == 0
    before = _feed_rows(tmp_path / "st")
    fresh_site.on_hit["/robots.txt"] = server.stop
    run = scrapy_crawl(tmp_path, *crawl)
    assert [r["reason"] for r in rejects_under(tmp_path / "out")] == ["state_unavailable"], \
        run.stderr[-3000:]
    # Before: error streak 1 and the poll counted, as if the feed had failed (our Redis did).
    assert _feed_rows(tmp_path / "st") == before
    assert [row[2] for row in before] == [0]


def _feed_rows(state_dir: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(state_dir / "state.sqlite3")) as db:
        return db.execute("SELECT url, etag, error_streak, polls FROM feeds").fetchall()
