"""A sitemap far larger than a news sitemap should be: its newest ``max_entries`` urls (an
index's newest child sitemaps) are taken, the rest counted once as ``capped``.

End to end against the loopback site: the real ``policywire crawl`` over generated sitemaps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.sitemaps import parse_sitemap
from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route

URLS = 20_000
CAP = 3
_XML = {"Content-Type": "application/xml"}
_START = datetime(2026, 1, 1, tzinfo=UTC)


def _article(number: int) -> Route:
    body = (f"<html><head><title>Export controls notice {number}</title></head><body>"
            f"<h1>Export controls notice {number}</h1><p>{'The ministry ruled. ' * 20}</p>"
            "</body></html>").encode()
    return Route(200, body, {"Content-Type": "text/html; charset=utf-8"})


def _lastmod(minutes: int) -> str:
    return (_START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _urlset(base: str, numbers: range) -> bytes:
    """Urls oldest first, a minute apart (archive sitemaps list them so), to /sm/<n>.html."""
    urls = "".join(f"<url><loc>{base}/sm/{n}.html</loc><lastmod>{_lastmod(n)}</lastmod></url>"
                   for n in numbers)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/'
            f'0.9">{urls}</urlset>').encode()


def _crawl(site: FixtureSite, tmp_path: Path, path: str, budget: int = 20) -> dict[str, int]:
    """One crawl of the sitemap at ``path`` (a budget of 20 requests: before the cap, the
    rest of a sitemap's urls were request_budget rejects); the source's counts."""
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "sm"\nurl = "{site.url(path)}"\nkind = "sitemap"\n'
                       f"max_entries = {CAP}\nmax_requests = {budget}\n", encoding="utf-8")
    run = run_cli("crawl", "-q", "--sources", str(sources), "--output-dir",
                  str(tmp_path / "out"), "--state-dir", str(tmp_path / "st"), cwd=tmp_path)
    assert (run.code, run.stderr) == (0, ""), run.stderr  # a cap is no problem: cron is silent
    counts: dict[str, int] = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["sources"]["sm"]
    return counts


def test_a_sitemap_over_its_entry_cap_takes_the_newest_urls_and_counts_the_rest_once(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: every url over the request budget was its own request_budget reject (here
    # 19,980 of them; a 100,000-url sitemap: 99,981 lines, 25 MB a run, on every cron run).
    fresh_site.routes["/big-sitemap.xml"] = Route(200, _urlset(fresh_site.base, range(URLS)),
                                                  _XML)
    for number in range(URLS - CAP, URLS):
        fresh_site.routes[f"/sm/{number}.html"] = _article(number)
    counts = _crawl(fresh_site, tmp_path, "/big-sitemap.xml")
    assert rejects_under(tmp_path / "out") == []
    assert sorted(r["url"] for r in records_under(tmp_path / "out")) == sorted(
        fresh_site.url(f"/sm/{n}.html") for n in range(URLS - CAP, URLS))
    # Every url of the fetched sitemap: a record line or the capped count.
    assert (counts["records"], counts["capped"]) == (CAP, URLS - CAP)
    assert sum(n for path, n in fresh_site.hits.items() if path.startswith("/sm/")) == CAP


def _index(site: FixtureSite, order: list[int], urls: int) -> None:
    """``/index-sitemap.xml`` listing child sitemaps ``order`` (child c's lastmod: c * 100
    minutes), each of ``urls`` urls, oldest first, to ``/sm/<c * 100 + i>.html``."""
    listed = "".join(f"<sitemap><loc>{site.base}/child-{c}-sitemap.xml</loc>"
                     f"<lastmod>{_lastmod(c * 100)}</lastmod></sitemap>" for c in order)
    site.routes["/index-sitemap.xml"] = Route(200, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/'
        f'0.9">{listed}</sitemapindex>').encode(), _XML)
    for child in order:
        site.routes[f"/child-{child}-sitemap.xml"] = Route(
            200, _urlset(site.base, range(child * 100, child * 100 + urls)), _XML)


def test_a_sitemap_index_takes_its_newest_child_sitemaps_and_counts_the_rest(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # An index of 8 child sitemaps, newest listed in the middle, each of 4 urls: the 3 newest
    # children by <lastmod> are fetched (the rest one capped count), and of all their urls
    # the 3 newest (the children share the source's cap).
    order = [3, 0, 7, 5, 6, 1, 2, 4]  # the document order of the children's numbers
    _index(fresh_site, order, 4)
    newest = [701, 702, 703]
    for number in newest:
        fresh_site.routes[f"/sm/{number}.html"] = _article(number)
    counts = _crawl(fresh_site, tmp_path, "/index-sitemap.xml")
    fetched = sorted(p for p, n in fresh_site.hits.items() if p.startswith("/child-") and n)
    assert fetched == [f"/child-{c}-sitemap.xml" for c in (5, 6, 7)]
    assert rejects_under(tmp_path / "out") == []
    assert sorted(r["url"] for r in records_under(tmp_path / "out")) == sorted(
        fresh_site.url(f"/sm/{n}.html") for n in newest)
    # 5 child sitemaps over the cap, and the 12 urls of the 3 fetched but 3.
    assert (counts["records"], counts["capped"]) == (len(newest), len(order) - CAP + 9)


def test_an_index_s_children_share_the_cap_within_the_request_budget(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # CAP children of CAP urls each, a budget of 10 requests: the index, its 3 children and
    # 3 pages fit. Before: each child took its own 3 urls, 9 page requests, and the 3 over
    # the budget ended as request_budget rejects (max_entries squared: 1,000,000 requests
    # at the default cap), on every run.
    _index(fresh_site, [0, 1, 2], CAP)
    for number in (200, 201, 202):
        fresh_site.routes[f"/sm/{number}.html"] = _article(number)
    counts = _crawl(fresh_site, tmp_path, "/index-sitemap.xml", budget=10)
    assert rejects_under(tmp_path / "out") == []
    assert sorted(r["url"] for r in records_under(tmp_path / "out")) == sorted(
        fresh_site.url(f"/sm/{n}.html") for n in (200, 201, 202))
    assert (counts["records"], counts["capped"]) == (CAP, CAP * CAP - CAP)
    assert sum(n for path, n in fresh_site.hits.items() if path.startswith("/sm/")) == CAP


def test_the_cut_prefers_the_news_publication_date_and_puts_undated_urls_last() -> None:
    news = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'

    def url(n: int, lastmod: str | None, published: str | None) -> str:
        extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        if published:
            extra += (f"<news:news><news:publication_date>{published}"
                      "</news:publication_date></news:news>")
        return f"<url><loc>https://a.eu/{n}</loc>{extra}</url>"

    body = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" {news}>'
            + url(0, "2026-12-05", "2026-01-01")  # an old article edited yesterday
            + url(1, None, None) + url(2, "2026-03-01", None)
            + url(3, "2020-01-01", "2026-02-01") + url(4, None, None)
            + "</urlset>").encode()
    cut = parse_sitemap(body, "https://a.eu/sitemap.xml", 2)
    assert cut is not None
    assert ([e.link for e in cut.entries], cut.capped) == (
        ["https://a.eu/2", "https://a.eu/3"], 3)
    cut = parse_sitemap(body, "https://a.eu/sitemap.xml", 4)
    assert cut is not None
    assert ([e.link for e in cut.entries], cut.capped) == (
        [f"https://a.eu/{n}" for n in range(4)], 1)
    whole = parse_sitemap(body, "https://a.eu/sitemap.xml")
    assert whole is not None and (len(whole.entries), whole.capped) == (5, 0)
