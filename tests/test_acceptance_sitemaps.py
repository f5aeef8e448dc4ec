"""Sitemap indexes nested past the depth the crawler follows: said, never dropped in silence."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route

_XML = {"Content-Type": "application/xml"}
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _index(site: FixtureSite, *children: str) -> Route:
    listed = "".join(f"<sitemap><loc>{site.url(child)}</loc></sitemap>" for child in children)
    return Route(200, f'<?xml version="1.0"?><sitemapindex {_NS}>{listed}</sitemapindex>'.encode(),
                 _XML)


def _urlset(site: FixtureSite, *pages: str) -> Route:
    listed = "".join(f"<url><loc>{site.url(page)}</loc></url>" for page in pages)
    return Route(200, f'<?xml version="1.0"?><urlset {_NS}>{listed}</urlset>'.encode(), _XML)


def test_a_sitemap_below_the_depth_limit_is_a_reject_and_the_run_says_so(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    # /deep0 -> /deep1 -> /deep2 -> /deep3 -> /deep4 (a urlset): the crawler follows three
    # levels of indexes below the first; /deep3's child is one too many. /deep1 also lists a
    # urlset within reach, whose page is read.
    site.routes["/deep0.xml"] = _index(site, "/deep1.xml")
    site.routes["/deep1.xml"] = _index(site, "/deep2.xml", "/near.xml")
    site.routes["/deep2.xml"] = _index(site, "/deep3.xml")
    site.routes["/deep3.xml"] = _index(site, "/deep4.xml")
    site.routes["/deep4.xml"] = _urlset(site, "/articles/en-sanctions.html")
    site.routes["/near.xml"] = _urlset(site, "/articles/en-nato-summit.html")
    run = run_cli("scrape", site.url("/deep0.xml"), "-o", "out.jsonl", "-q", cwd=tmp_path)
    assert run.code == 1, run.stderr  # before: exit 0, the far page dropped without a word
    assert "sitemap_too_deep 1" in run.stderr
    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert record["url"].endswith("/articles/en-nato-summit.html")
    [reject] = rejects_under(tmp_path / "output")
    assert (reject["reason"], reject["url"]) == ("sitemap_too_deep", site.url("/deep4.xml"))
    assert reject["detail"] == "a sitemap 4 levels below the first, over the limit of 3"
    assert "/deep4.xml" not in site.hits and records_under(tmp_path / "output") == []
