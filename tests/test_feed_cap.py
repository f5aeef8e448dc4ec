"""A feed far larger than any real one: its newest ``max_entries`` are taken, the rest counted.

End to end against the loopback site: the real ``policywire crawl`` twice over a generated feed.
"""

from __future__ import annotations

from pathlib import Path

from crawler.feeds import newest
from crawler.models import Entry
from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route, big_feed

ENTRIES = 1000
CAP = 3


def _article(number: int) -> Route:
    body = (f"<html><head><title>Sanctions update number {number}</title></head><body>"
            f"<h1>Sanctions update number {number}</h1><p>{'The council met. ' * 20}</p>"
            "</body></html>").encode()
    return Route(200, body, {"Content-Type": "text/html; charset=utf-8"})


def test_a_feed_over_its_entry_cap_takes_the_newest_and_counts_the_rest_once(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: every entry was requested within the request budget (5,000), here 3,000 pages
    # of which 2,997 answer 404; a feed of 100,000 wrote 95,000 request_budget rejects and,
    # keeping no validators, did it all again on every run.
    fresh_site.routes["/big.rss"] = big_feed(fresh_site.base, ENTRIES)
    fresh_site.etags["/big.rss"] = '"v1"'
    for number in range(ENTRIES - CAP, ENTRIES):
        fresh_site.routes[f"/big/{number}.html"] = _article(number)
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "big"\nurl = "{fresh_site.url("/big.rss")}"\n'
                       f"max_entries = {CAP}\n", encoding="utf-8")
    args = ("crawl", "-q", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
            "--state-dir", str(tmp_path / "st"))
    first = run_cli(*args, cwd=tmp_path)
    assert (first.code, first.stderr) == (0, "")  # a cap applied is no problem: cron is silent
    newest_urls = {fresh_site.url(f"/big/{n}.html") for n in range(ENTRIES - CAP, ENTRIES)}
    assert {r["url"] for r in records_under(tmp_path / "out")} == newest_urls
    assert rejects_under(tmp_path / "out") == []
    pages = sum(n for path, n in fresh_site.hits.items() if path.startswith("/big/"))
    assert pages == CAP
    counts = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["sources"]["big"]
    # Every entry of the fetched feed: a record line or the capped count.
    assert (counts["records"], counts["capped"]) == (CAP, ENTRIES - CAP)
    # The feed kept its validators: the next run gets 304 and counts nothing again.
    second = run_cli(*args, cwd=tmp_path)
    assert (second.code, second.stderr) == (0, "")
    counts = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["sources"]["big"]
    assert (counts["not_modified"], counts["capped"], counts["records"]) == (1, 0, 0)
    assert fresh_site.requests["/big.rss"][-1].get("If-None-Match") == '"v1"'
    assert rejects_under(tmp_path / "out") == []


def _entry(number: int, published: str | None) -> Entry:
    return Entry(link=f"https://a.eu/{number}", title=str(number), published=published)


def test_the_cap_keeps_the_newest_entries_in_feed_order_and_undated_ones_last() -> None:
    entries = (_entry(0, "2026-01-01T00:00:00Z"), _entry(1, None),
               _entry(2, "2026-03-01T00:00:00Z"), _entry(3, "2026-02-01T00:00:00Z"),
               _entry(4, None))
    taken, left = newest(entries, 2)
    assert ([e.title for e in taken], left) == (["2", "3"], 3)
    taken, left = newest(entries, 4)
    assert ([e.title for e in taken], left) == (["0", "1", "2", "3"], 1)
    assert newest(entries, 5) == (entries, 0)
