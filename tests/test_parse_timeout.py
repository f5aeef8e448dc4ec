"""A response too slow to parse or extract ends as an ``extract_timeout`` reject, off the
reactor thread, while the other sources of the crawl finish.

End to end: ``scrapy crawl`` (whose ``-s`` sets the time limit low) against the loopback site.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import read_jsonl, records_under, rejects_under
from tests.sitesrv import SITE, FixtureSite, Route, big_feed
from tests.test_crawl_e2e import scrapy_crawl

EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
FINE = "/feeds/rss20.rss"


def _slow_page(paragraphs: int) -> Route:
    """A page trafilatura needs seconds for (~0.4 ms a paragraph): well-formed, just long."""
    body = "".join(f"<p>Paragraph {i} on the council's sanctions policy today.</p>"
                   for i in range(paragraphs))
    return Route(200, f"<html><head><title>Long</title></head><body><h1>Long</h1>{body}"
                      "</body></html>".encode(), {"Content-Type": "text/html; charset=utf-8"})


def test_a_feed_and_a_page_too_slow_to_parse_are_rejected_and_the_others_finish(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: both were parsed on the reactor thread, each for seconds (a 16 MiB feed: a
    # minute, a hostile page without end), every other download waiting; no time limit.
    fresh_site.routes["/slow.html"] = _slow_page(15_000)
    fresh_site.routes["/big.rss"] = big_feed(fresh_site.base, 12_000)
    sources = tmp_path / "sources.toml"
    sources.write_text("\n".join(
        f'[[sources]]\nname = "{name}"\nurl = "{fresh_site.url(path)}"\nkind = "{kind}"\n'
        for name, path, kind in (("slowpage", "/slow.html", "page"), ("fine", FINE, "feed"),
                                 ("slowfeed", "/big.rss", "feed")))
        # slowfeed's: at most its 12,000 entries, so feedparser reads it whole (a feed far
        # over its cap is cut down first, crawler.feedcap, and takes a fraction of a second)
        + "max_entries = 12000\n",
        encoding="utf-8")
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"sources={sources}",
                       "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1",
                       "-s", "POLICYWIRE_EXTRACT_WORKERS=1", "-s", "POLICYWIRE_EXTRACT_TIMEOUT=1")
    assert "Traceback" not in run.stderr, run.stderr
    assert read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["exit_code"] == 1
    rejects = {(r["source"], r["reason"]) for r in rejects_under(tmp_path / "out")}
    assert rejects == {("slowpage", "extract_timeout"), ("slowfeed", "extract_timeout")}
    [detail] = {r["detail"] for r in rejects_under(tmp_path / "out")}
    assert detail == "took over 1 s of CPU time (POLICYWIRE_EXTRACT_TIMEOUT)"
    records = records_under(tmp_path / "out")
    assert {r["source"] for r in records} == {"fine"}
    assert len(records) == EXPECTED["feeds"][FINE]["entries"]
    assert any(r["text"] and r["page_error"] is None for r in records)  # extracted in the pool
