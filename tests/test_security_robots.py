"""A site's robots.txt is read to RFC 9309's limit, not to the download's.

Scrapy hands Protego the whole body (up to DOWNLOAD_MAXSIZE, 16 MiB), Protego parses every
rule and matches every URL of the host against each: with 500,000 rules (14 MB) the crawl of
61 pages here took 28 s of CPU, on the reactor thread, every other download waiting meanwhile.
"""

from __future__ import annotations

import resource
from pathlib import Path

from tests.conftest import records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route, feed_source

HTML = {"Content-Type": "text/html; charset=utf-8"}
ENTRIES = 60


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_a_robots_txt_of_500000_rules_costs_the_crawl_seconds(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    rules = "".join(f"Disallow: /private/{n}*x$\n" for n in range(500_000))
    # Past RFC 9309's limit (500 KiB): a rule there is not read, as the RFC allows.
    site.routes["/robots.txt"] = Route(
        200, f"User-agent: *\n{rules}Disallow: /news/late\n".encode(),
        {"Content-Type": "text/plain"})
    for n in range(ENTRIES):
        site.routes[f"/news/{n}"] = Route(200, (
            f"<html><head><title>Talks {n} resume</title></head><body><article><h1>Talks {n}"
            f" resume</h1><p>Talks resumed in Geneva today, round {n}.</p></article></body>"
            "</html>").encode(), HTML)
    site.routes["/news/late"] = site.routes["/news/0"]
    links = [*(f"/news/{n}" for n in range(ENTRIES)), "/news/late"]
    items = "".join(f"<item><title>Talks {path}</title><link>{site.url(path)}</link></item>"
                    for path in links)
    feed_source(site, tmp_path, "/news/feed.rss", items)
    before = _children_cpu()
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path, timeout=600)
    spent = _children_cpu() - before
    assert run.code == 0, run.stderr[-3000:]
    # The crawl's CPU (its extraction workers' too), which a loaded machine does not stretch:
    # about 5 s here; before, 28 s.
    assert spent < 15, f"{spent:.1f} s of CPU"
    assert rejects_under(tmp_path / "output") == []
    records = records_under(tmp_path / "output")
    assert len(records) == ENTRIES + 1 and all(r["text"] for r in records)
