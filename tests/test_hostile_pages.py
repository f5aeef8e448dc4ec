"""Hostile article pages, end to end: the real crawler against a loopback server serving a
page built to make extraction slow. A behaviour guard, not a benchmark: the bound is generous
(a Scrapy start and the page's own work are a few seconds), the failure it guards against took
minutes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import SITE, Route, serve
from tests.test_faults import HTML, RSS, TEXT, rss, write_sources

#: Seconds the whole crawl of the hostile page may take; before the guard it took minutes.
BOUND = 30


def heading_flood(pairs: int) -> bytes:
    """A page of ``pairs`` short h1/h2 pairs after a nav: trafilatura's main extractor finds
    it unclean, so it asks jusText, whose revision of short paragraphs is quadratic."""
    headings = "".join(f"<h1>Heading {n}</h1><h2>Sub {n}</h2>" for n in range(pairs))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Heading flood</title></head><body><nav>Home</nav><p>{TEXT}</p>"
            f"{headings}</body></html>").encode()


def test_a_page_of_20000_headings_is_one_record_within_the_bound(tmp_path: Path) -> None:
    site, server = serve(SITE)
    try:
        site.routes["/flood/feed"] = Route(200, rss(site, "flood", ["Heading flood"]),
                                           {"Content-Type": RSS})
        site.routes["/flood/a0.html"] = Route(200, heading_flood(20_000), {"Content-Type": HTML})
        sources = write_sources(tmp_path, {"flood": ("feed", site.url("/flood/feed"))})
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                      "--state-dir", str(tmp_path / "state"), cwd=tmp_path, timeout=BOUND)
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 0, run.stderr[-3000:]
    records = records_under(tmp_path / "out")
    assert [r["title"] for r in records] == ["Heading flood"]
    assert TEXT.strip()[:80] in records[0]["text"]  # the body from trafilatura's main extractor
    assert rejects_under(tmp_path / "out") == []
    assert read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["exit_code"] == 0
