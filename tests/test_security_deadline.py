"""A page built to be slow to extract costs its CPU time limit, not the crawl.

Without a limit, one such page held an extraction worker until done (minutes for a few MB)
and the crawl with it; a crawl that does not end holds its state's lock, and every cron run
after it exits 75. The page here takes ~16 s of CPU to extract (trafilatura over 400,000
``<br>``-separated lines); the crawls give each page 3 s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import records_under, rejects_under
from tests.sitesrv import FixtureSite, Route
from tests.test_crawl_e2e import scrapy_crawl

SLOW = (b"<html><head><title>Slow page</title></head><body><h1>Slow page</h1><p>"
        + b"a<br>" * 400_000 + b"</p></body></html>")
FINE = (b"<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
        b"<p>Talks resumed in Geneva today between the delegations.</p></article></body></html>")
HTML = {"Content-Type": "text/html; charset=utf-8"}
LIMIT = ("-s", "POLICYWIRE_EXTRACT_TIMEOUT=3", "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")


@pytest.mark.parametrize("workers", ["1", "0"])  # in the process pool; inline on the reactor
def test_a_page_over_the_cpu_limit_is_a_page_error_and_the_rest_is_read(
        fresh_site: FixtureSite, tmp_path: Path, workers: str) -> None:
    site = fresh_site
    site.routes["/slow/a.html"] = Route(200, SLOW, HTML)
    site.routes["/slow/b.html"] = Route(200, FINE, HTML)
    items = "".join(f"<item><title>{title}</title><link>{site.url(path)}</link></item>"
                    for title, path in (("Slow", "/slow/a.html"), ("Fine", "/slow/b.html")))
    site.routes["/slow/feed.rss"] = Route(
        200, f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
        {"Content-Type": "application/rss+xml"})
    run = scrapy_crawl(tmp_path, "feed", "-a", f"url={site.url('/slow/feed.rss')}", *LIMIT,
                       "-s", f"POLICYWIRE_EXTRACT_WORKERS={workers}")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    by_title = {r["title"]: r for r in records_under(tmp_path / "out")}
    assert by_title["Slow"]["page_error"] == (
        "extract_timeout: took over 3 s of CPU time (POLICYWIRE_EXTRACT_TIMEOUT)"), by_title["Slow"]
    assert by_title["Slow"]["text"] is None
    assert by_title["Fine"]["page_error"] is None and "Geneva" in by_title["Fine"]["text"]


def test_a_page_source_over_the_cpu_limit_is_an_extract_timeout_reject(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/slow/page.html"] = Route(200, SLOW, HTML)
    run = scrapy_crawl(tmp_path, "page", "-a", f"url={site.url('/slow/page.html')}", *LIMIT)
    assert run.code in (0, 1) and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert records_under(tmp_path / "out") == []
    [reject] = rejects_under(tmp_path / "out")
    assert (reject["reason"], reject["detail"]) == (
        "extract_timeout", "took over 3 s of CPU time (POLICYWIRE_EXTRACT_TIMEOUT)")
