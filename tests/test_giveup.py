"""A host that cannot be reached is given up within the run (crawler.giveup): its pages end as
records or rejects with the reason at once, not each after its own retries."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from scrapy.http import HtmlResponse

from crawler import settings as crawler_settings
from crawler.failures import given_up, given_up_host
from crawler.giveup import HostGivenUp, HostGiveUpMiddleware
from tests.conftest import Run, read_jsonl, run_cli
from tests.sitesrv import FixtureSite, Route, serve

HTML = "text/html; charset=utf-8"
TEXT = ("The alliance's defence ministers met to weigh the arms control proposal, which would "
        "limit deployments near the border and set up a verification regime. ") * 3
ATTEMPTS = 1 + crawler_settings.RETRY_TIMES  # a request and its retries


@dataclass
class Closer:
    """A listening socket that accepts each connection and closes it at once, unanswered
    (as a host whose TLS handshake fails): counts the connections made to it."""

    sock: socket.socket
    accepted: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed by the fixture
                return
            self.accepted += 1
            conn.close()


@pytest.fixture
def closer() -> Iterator[Closer]:
    sock = socket.create_server(("127.0.0.1", 0))
    served = Closer(sock)
    threading.Thread(target=served.serve, daemon=True).start()
    yield served
    sock.close()


@pytest.fixture
def closed_port() -> str:
    """The base URL of a port nothing listens on (connections to it are refused)."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    served, server = serve()
    yield served
    server.shutdown()
    server.server_close()


def page(title: str) -> Route:
    body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><article><h1>{title}</h1><p>{TEXT}</p></article></body></html>")
    return Route(200, body.encode(), {"Content-Type": HTML})


def feed(site: FixtureSite, links: list[str], path: str = "/feed.rss") -> None:
    items = "".join(f"<item><title>Arms control briefing {n}</title><link>{link}</link>"
                    f"<guid isPermaLink=\"false\">briefing-{n}</guid>"
                    f"<pubDate>Tue, 03 Nov 2026 10:{n:02d}:00 GMT</pubDate></item>\n"
                    for n, link in enumerate(links))
    site.routes[path] = Route(200, (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title>'
        f"<link>{site.base}/</link>\n{items}</channel></rss>\n").encode(),
        {"Content-Type": "application/rss+xml"})


def sitemap(site: FixtureSite, links: list[str]) -> None:
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in links)
    site.routes["/sitemap.xml"] = Route(200, (
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode(),
        {"Content-Type": "application/xml"})


def scrape(folder: Path, url: str) -> Run:
    return run_cli("scrape", url, "-o", str(folder / "out.jsonl"), cwd=folder, timeout=240)


def live_pages(site: FixtureSite, count: int) -> list[str]:
    for n in range(count):
        site.routes[f"/live/a{n}.html"] = page(f"Live briefing {n}")
    return [site.url(f"/live/a{n}.html") for n in range(count)]


def test_unreachable_hosts_pages_end_as_records_after_one_requests_retries(
        tmp_path: Path, site: FixtureSite, closer: Closer, closed_port: str) -> None:
    dead = [f"{closer.base}/a{n}.html" for n in range(6)]
    refused = [f"{closed_port}/a{n}.html" for n in range(4)]
    live = live_pages(site, 3)
    feed(site, [*dead, *refused, *live])
    run = scrape(tmp_path, site.url("/feed.rss"))
    records = read_jsonl(tmp_path / "out.jsonl")
    by_url = {r["url"]: r for r in records}
    assert len(records) == len(dead) + len(refused) + len(live), run.stderr
    # robots.txt is the host's first request: its own retries, then nothing more.
    assert closer.accepted == ATTEMPTS
    for url in dead + refused:
        assert given_up_host(by_url[url]["page_error"]) == url.split("/")[2], by_url[url]
    assert all("ConnectionRefused" in by_url[url]["page_error"] for url in refused)
    assert all(by_url[url]["page_error"] is None for url in live)
    assert all(site.hits[f"/live/a{n}.html"] == 1 for n in range(len(live)))
    summary = read_jsonl(tmp_path / "output" / "runs.jsonl")[-1]
    # robots.txt's own failure gave the host up: every page of both hosts failed fast.
    assert summary["totals"]["given_up"] == len(dead) + len(refused)
    assert summary["given_up_hosts"] == {closer.base[7:]: len(dead),
                                         closed_port[7:]: len(refused)}
    # The run is a good one (its live pages came): its last line, the totals, names the hosts.
    said = json.loads(run.stderr.splitlines()[-1])
    assert said["given_up"] == len(dead) + len(refused)
    assert said["given_up_hosts"] == summary["given_up_hosts"]


def test_sitemap_pages_of_an_unreachable_host_end_as_rejects_with_the_reason(
        tmp_path: Path, site: FixtureSite, closer: Closer) -> None:
    dead = [f"{closer.base}/p{n}.html" for n in range(5)]
    sitemap(site, dead)
    run = scrape(tmp_path, site.url("/sitemap.xml"))
    rejects = [r for p in (tmp_path / "output").rglob("rejects-*.jsonl") for r in read_jsonl(p)]
    assert sorted(r["url"] for r in rejects) == sorted(dead), run.stderr
    assert {r["reason"] for r in rejects} == {"download_error"}
    assert all(given_up_host(r["detail"]) == closer.base[7:] for r in rejects)
    assert closer.accepted == ATTEMPTS
    # A run of nothing but rejects: its last line says which host was given up.
    assert run.code == 1
    assert f"gave up on host {closer.base[7:]} after it failed to connect ({len(dead)} not" \
        " fetched)" in run.stderr.splitlines()[-1]


def test_a_host_answering_http_errors_is_not_given_up(tmp_path: Path, site: FixtureSite) -> None:
    site.routes["/down/a0.html"] = Route(503, b"busy", {"Content-Type": HTML})
    live = live_pages(site, 2)
    feed(site, [site.url("/down/a0.html"), *live])
    scrape(tmp_path, site.url("/feed.rss"))
    records = read_jsonl(tmp_path / "out.jsonl")
    assert sorted(r["page_error"] or "" for r in records) == ["", "", "http_503"]
    assert site.hits["/down/a0.html"] == ATTEMPTS
    assert "given_up_hosts" not in read_jsonl(tmp_path / "output" / "runs.jsonl")[-1]


def test_a_response_from_a_given_up_host_takes_it_back() -> None:
    middleware = HostGiveUpMiddleware()
    first, later = Request("https://news.example/a"), Request("https://news.example/b")
    middleware.process_exception(first, CannotResolveHostError("DNS lookup failed"))
    with pytest.raises(HostGivenUp, match=r"CannotResolveHostError: DNS lookup failed; host "
                                          r"news\.example given up"):
        middleware.process_request(later)
    middleware.process_response(first, HtmlResponse(first.url, body=b"<html></html>"))
    assert middleware.process_request(later) is None


def test_given_up_names_the_host_after_the_reason() -> None:
    detail = given_up("CannotResolveHostError: DNS lookup failed", "news.example:8080")
    assert detail.startswith("CannotResolveHostError: DNS lookup failed; ")
    assert given_up_host(detail) == "news.example:8080"
    assert given_up_host("CannotResolveHostError: DNS lookup failed") is None


def test_a_timeout_on_a_host_that_answered_this_run_gives_only_that_page_up() -> None:
    # One page hanging past DOWNLOAD_TIMEOUT on a host serving every other page gave the
    # host up: the requests handed over next failed at once (45 of a sitemap's 80 pages on
    # loopback, while the host answered the rest). A host that never answered still goes.
    middleware = HostGiveUpMiddleware()
    served, hung, later = (Request(f"https://news.example/{p}") for p in ("a", "b", "c"))
    middleware.process_response(served, HtmlResponse(served.url, body=b"<html></html>"))
    middleware.process_exception(hung, DownloadTimeoutError("took longer than 30.0 seconds"))
    assert middleware.process_request(later) is None
    silent = Request("https://blackholed.example/a")
    middleware.process_exception(silent, DownloadTimeoutError("took longer than 30.0 seconds"))
    with pytest.raises(HostGivenUp, match=r"host blackholed\.example given up"):
        middleware.process_request(Request("https://blackholed.example/b"))
