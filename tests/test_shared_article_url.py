"""Two sources linking one article URL in one run: the article is one record (its id is the
URL's), and the other source's entry is counted ``also_in_run``, never ``unchanged``, which
says "seen in an earlier run". Through ``policywire crawl``, ``scrapy crawl`` and two
scale-out workers sharing one Redis."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import read_jsonl, records_under, run_cli
from tests.scaleout.test_workers import _enqueue, _finish, _worker
from tests.sitesrv import FixtureSite, Route, feed_source
from tests.test_crawl_e2e import scrapy_crawl

ARTICLE = "/articles/en-deterrence.html"
OTHER = "/articles/en-subsea-cables.html"


def _sources(site: FixtureSite, folder: Path) -> Path:
    """Sources "desk" and "wire", each an RSS feed of its own whose one entry (no guid: its
    identity is its URL) links ARTICLE."""
    tables = []
    for name in ("desk", "wire"):
        item = (f"<item><title>Deterrence ({name})</title><link>{site.url(ARTICLE)}</link>"
                "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>")
        site.routes[f"/{name}.rss"] = Route(
            200, f'<rss version="2.0"><channel><title>{name}</title>{item}</channel></rss>'
            .encode(), {"Content-Type": "application/rss+xml"})
        tables.append(f'[[sources]]\nname = "{name}"\nurl = "{site.url(f"/{name}.rss")}"\n')
    path = folder / "sources.toml"
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def _counts(manifest: dict[str, Any], key: str) -> dict[str, int]:
    return {name: counts[key] for name, counts in sorted(manifest["sources"].items())}


def _one_record_one_also(out: Path) -> dict[str, Any]:
    """The run's manifest, after checking: one record, the other entry ``also_in_run``."""
    manifest = read_jsonl(out / "runs.jsonl")[-1]
    assert len(records_under(out)) == 1
    assert sorted(_counts(manifest, "records").values()) == [0, 1]
    assert sorted(_counts(manifest, "also_in_run").values()) == [0, 1]
    assert _counts(manifest, "unchanged") == {"desk": 0, "wire": 0}
    assert manifest["totals"]["also_in_run"] == 1
    return manifest


def test_crawl_counts_the_second_source_also_in_run_then_both_unchanged(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    sources = _sources(fresh_site, tmp_path)

    def crawl() -> None:
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                      "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
        assert run.code == 0, run.stderr

    crawl()
    _one_record_one_also(tmp_path / "out")
    crawl()  # now both entries were seen in an earlier run
    again = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]
    assert _counts(again, "unchanged") == {"desk": 1, "wire": 1}
    assert again["totals"]["also_in_run"] == 0 and again["totals"]["records"] == 0


def test_later_runs_fetch_an_article_two_sources_link_for_neither(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    sources = _sources(fresh_site, tmp_path)
    fetched = []
    for _ in range(3):
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                      "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
        assert run.code == 0, run.stderr
        fetched.append(fresh_site.hits.get(ARTICLE, 0))
    # Fetched once in the first run (before: once for each source's entry, [2, 2, 2]). Before
    # that: one fingerprint stored for the article's id, the last source's, and the other
    # source's entry fetched the page again every run ([2, 3, 4]).
    assert fetched == [1, 1, 1]
    again = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]
    assert _counts(again, "unchanged") == {"desk": 1, "wire": 1}


def _serve_desk_and_map(site: FixtureSite, items: str, lastmod: str) -> None:
    """Serve ``/desk.rss``, an RSS feed of ``items``, and ``/map.xml``, a sitemap listing
    ARTICLE (with ``lastmod``, a ``<lastmod>`` element or nothing)."""
    site.routes["/desk.rss"] = Route(
        200, f'<rss version="2.0"><channel><title>desk</title>{items}</channel></rss>'.encode(),
        {"Content-Type": "application/rss+xml"})
    site.routes["/map.xml"] = Route(
        200, ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              f"<url><loc>{site.url(ARTICLE)}</loc>{lastmod}</url></urlset>").encode(),
        {"Content-Type": "application/xml"})


def _desk_and_map_sources(site: FixtureSite, folder: Path, between: str) -> Path:
    """A sources file: "desk" reading ``/desk.rss``, the tables ``between``, "map" reading
    ``/map.xml``."""
    path = folder / "sources.toml"
    path.write_text(f'[[sources]]\nname = "desk"\nurl = "{site.url("/desk.rss")}"\n{between}'
                    f'[[sources]]\nname = "map"\nurl = "{site.url("/map.xml")}"\n'
                    'kind = "sitemap"\n', encoding="utf-8")
    return path


def _feed_and_sitemap(site: FixtureSite, folder: Path) -> Path:
    """Source "desk", an RSS feed whose one entry has a guid of its own (its identity is the
    guid, in its source) and links ARTICLE with a tracking query; source "map", the same
    site's sitemap, listing ARTICLE."""
    item = (f"<item><title>Deterrence</title><link>{site.url(ARTICLE)}?utm_source=rss</link>"
            '<guid isPermaLink="false">desk-118841</guid>'
            "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>")
    _serve_desk_and_map(site, item, "<lastmod>2026-12-07T11:00:00Z</lastmod>")
    return _desk_and_map_sources(site, folder, "")


def test_an_article_a_guid_entry_and_a_sitemap_link_is_fetched_once_and_one_record(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: fetched twice and two records (the guid's entry is known by its guid, the
    # sitemap's by the URL: two ids), the second a duplicate_of the first.
    sources = _feed_and_sitemap(fresh_site, tmp_path)
    for _ in range(2):
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                      "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert fresh_site.hits.get(ARTICLE) == 1
    first, second = read_jsonl(tmp_path / "out" / "runs.jsonl")
    # The record whose date is earliest: the sitemap's, dated by the page (10 November),
    # before the feed's 7 December.
    assert [r["source"] for r in records_under(tmp_path / "out")] == ["map"]
    assert (_counts(first, "records"), _counts(first, "also_in_run")) == (
        {"desk": 0, "map": 1}, {"desk": 1, "map": 0})
    # The next run knows both entries: neither fetches the page, nor is written again.
    assert _counts(second, "unchanged") == {"desk": 1, "map": 1}
    assert second["totals"]["records"] == 0


def test_entries_one_feed_tells_apart_by_guid_stay_apart_on_one_page(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A feed whose items all link one landing page, each with a guid of its own: the page is
    # fetched once, and each item stays a record of its own (its title, its guid).
    items = "".join(f"<item><title>Notice {n}</title><link>{fresh_site.url(ARTICLE)}</link>"
                    f'<guid isPermaLink="false">notice-{n}</guid></item>' for n in (1, 2))
    sources = feed_source(fresh_site, tmp_path, "/notices.rss", items)
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                  "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert sorted(r["guid"] for r in records_under(tmp_path / "out")) == ["notice-1", "notice-2"]
    assert fresh_site.hits.get(ARTICLE) == 1


def test_scrapy_crawl_counts_it_too(fresh_site: FixtureSite, tmp_path: Path) -> None:
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"sources={_sources(fresh_site, tmp_path)}",
                       "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
    assert run.code == 0, run.stderr
    _one_record_one_also(tmp_path / "out")


@pytest.mark.slow
def test_two_workers_count_it_in_their_one_merge(
        fresh_site: FixtureSite, redis_url: str, tmp_path: Path) -> None:
    namespace = f"t{secrets.token_hex(4)}"
    _enqueue(redis_url, namespace, _sources(fresh_site, tmp_path), tmp_path)
    workers = [_worker(redis_url, namespace, tmp_path, name) for name in ("a", "b")]
    for proc in workers:
        _finish(proc)
    merged = [out for out in tmp_path.glob("out-*") if (out / "runs.jsonl").exists()]
    assert len(merged) == 1, "one round, one merge"
    _one_record_one_also(merged[0])


def _feed_read_twice(site: FixtureSite, folder: Path) -> Path:
    """Source "desk", an RSS feed of two entries with guids of their own (ARTICLE and
    OTHER); source "site", a home page announcing that same feed (a page is crawled through
    the feeds it announces); source "map", the site's sitemap listing ARTICLE."""
    items = "".join(f"<item><title>{title}</title><link>{site.url(path)}</link>"
                    f'<guid isPermaLink="false">desk-{n}</guid>'
                    "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>"
                    for n, (title, path) in enumerate((("Deterrence", ARTICLE),
                                                       ("Subsea cables", OTHER))))
    _serve_desk_and_map(site, items, "")
    site.routes["/front.html"] = Route(
        200, ('<html><head><title>Desk</title><link rel="alternate" '
              f'type="application/rss+xml" href="{site.url("/desk.rss")}"></head>'
              "<body><p>Front page</p></body></html>").encode(), {"Content-Type": "text/html"})
    return _desk_and_map_sources(
        site, folder, f'[[sources]]\nname = "site"\nurl = "{site.url("/front.html")}"\n')



def _crawl_feed_read_twice(site: FixtureSite, folder: Path) -> None:
    sources = _feed_read_twice(site, folder)
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
                  "--state-dir", str(folder / "state"), cwd=folder)
    assert run.code == 0, run.stderr


def test_one_feed_two_sources_read_is_one_record_an_article(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: the feed's entries, one guid each, came twice (the "desk" source's and the
    # home page's) and both were written: their listing had linked the URL already, which
    # was taken for one feed telling two entries apart. ARTICLE, also in the sitemap, got
    # two records of three entries.
    _crawl_feed_read_twice(fresh_site, tmp_path)
    urls = sorted(r["url"] for r in records_under(tmp_path / "out"))
    assert urls == sorted(fresh_site.url(p) for p in (ARTICLE, OTHER))
    manifest = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]
    assert manifest["totals"]["records"] == 2
    assert manifest["totals"]["also_in_run"] == 3


def test_of_two_sources_reading_one_feed_the_one_whose_name_sorts_first_has_the_record(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # OTHER's two entries, one published time, are known by a guid in each source: two ids.
    # Before, the ids' order decided, and sha1("guid:site:desk-1") (1439...) sorts before
    # sha1("guid:desk:desk-1") (1f6c...): "site" had the record.
    _crawl_feed_read_twice(fresh_site, tmp_path)
    by_url = {r["url"]: r["source"] for r in records_under(tmp_path / "out")}
    assert by_url[fresh_site.url(OTHER)] == "desk"
