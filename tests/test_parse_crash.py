"""A feed, sitemap or page whose parse kills its extraction worker, in the pool and again
alone, ends as one ``extraction_failed`` reject (an article: its record's ``page_error``), the
source failing in the run, while the other sources finish; never a traceback, never lost.

End to end: the real ``policywire`` command against the loopback site. The workers really die:
``tests/workerkill/sitecustomize.py``, on the crawl's ``PYTHONPATH``, has a pool worker
SIGKILL itself (as the OOM killer does) whenever what it is given to parse holds a mark.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.spiders.pool import default_workers
from tests.conftest import REPO, read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import SITE, FixtureSite, Route
from tests.workerkill.sitecustomize import MARK, RAISES

pytestmark = pytest.mark.skipif(
    default_workers() == 0, reason="one usable CPU: the crawl extracts inline, in no worker")

EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
FINE = "/feeds/rss20.rss"
#: The crawl's PYTHONPATH: the killing hook first, then this checkout.
KILLING = {"PYTHONPATH": f"{REPO / 'tests' / 'workerkill'}:{REPO}"}
DIED = ("its worker process died twice, in the pool and alone (killed by the OOM killer or a"
        " signal, or a crash)")


def _killer_feed(site: FixtureSite, path: str) -> None:
    site.routes[path] = Route(200, (
        f'<?xml version="1.0"?><!-- {MARK} --><rss version="2.0"><channel><title>K</title>'
        f"<item><title>Sanctions</title><link>{site.url('/articles/en-sanctions.html')}"
        "</link></item></channel></rss>").encode(), {"Content-Type": "application/rss+xml"})


def _killer_sitemap(site: FixtureSite, path: str) -> None:
    site.routes[path] = Route(200, (
        f'<?xml version="1.0"?><!-- {MARK} -->'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url('/articles/en-deterrence.html')}</loc></url></urlset>").encode(),
        {"Content-Type": "application/xml"})


def _sources(folder: Path, site: FixtureSite, *rows: tuple[str, str, str]) -> Path:
    path = folder / "sources.toml"
    path.write_text("\n".join(
        f'[[sources]]\nname = "{name}"\nurl = "{site.url(url)}"\nkind = "{kind}"\n'
        for name, url, kind in rows), encoding="utf-8")
    return path


def _crawl(folder: Path, sources: Path) -> str:
    """A crawl in which a source fails: exit 1, no traceback; what it said."""
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
                  "--state-dir", str(folder / "st"), cwd=folder, env=KILLING)
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    return run.stderr


def _only_fine_records(folder: Path) -> None:
    records = records_under(folder / "out")
    assert {r["source"] for r in records} == {"fine"}
    assert len(records) == EXPECTED["feeds"][FINE]["entries"]


def test_a_feed_and_a_sitemap_that_kill_their_workers_are_rejected_and_the_others_finish(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: ExtractionCrashed escaped the callback, a traceback in Scrapy's log; the
    # sources had no reject, no failed poll, no line in runs.jsonl, and the run exited 0.
    _killer_feed(fresh_site, "/kill.rss")
    _killer_sitemap(fresh_site, "/kill-sitemap.xml")
    sources = _sources(tmp_path, fresh_site, ("killfeed", "/kill.rss", "auto"),
                       ("fine", FINE, "feed"), ("killmap", "/kill-sitemap.xml", "sitemap"))
    said = _crawl(tmp_path, sources)
    assert said.splitlines()[-1] == (
        "policywire: run ended with problems: nothing but rejects from killfeed"
        " (extraction_failed), killmap (extraction_failed); rejects extraction_failed 2;"
        f" totals records 4, rejects 2, page_errors 1; see {tmp_path / 'out' / 'runs.jsonl'}")
    rejects = sorted((r["source"], r["reason"], r["url"], r["detail"])
                     for r in rejects_under(tmp_path / "out"))
    assert rejects == [
        ("killfeed", "extraction_failed", fresh_site.url("/kill.rss"),
         f"ExtractionCrashed: parsing the feed {fresh_site.url('/kill.rss')}, {DIED}"),
        ("killmap", "extraction_failed", fresh_site.url("/kill-sitemap.xml"),
         f"ExtractionCrashed: parsing the sitemap {fresh_site.url('/kill-sitemap.xml')}, {DIED}"),
    ]
    _only_fine_records(tmp_path)
    [run] = read_jsonl(tmp_path / "out" / "runs.jsonl")
    assert run["exit_code"] == 1 and run["reject_reasons"] == {"extraction_failed": 2}
    assert {name: counts["rejects"] for name, counts in run["sources"].items()} == {
        "killfeed": 1, "killmap": 1, "fine": 0}
    stats = run_cli("stats", "--output-dir", str(tmp_path / "out"), "--state-dir",
                    str(tmp_path / "st"), "--json", cwd=tmp_path)
    rows = {r["source"]: r for r in map(json.loads, stats.stdout.splitlines())}
    for name in ("killfeed", "killmap"):
        assert rows[name]["error_streak"] == 1, rows[name]
        assert "extraction_failed: ExtractionCrashed: parsing the" in rows[name]["latest_error"]
    assert rows["fine"]["error_streak"] == 0


def test_a_child_sitemap_that_kills_its_worker_leaves_its_siblings_urls_taken(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # An index's children share the source's cap, drained once the last child has answered
    # or failed: the killed child must count as done, or its siblings' urls wait for ever.
    _killer_sitemap(fresh_site, "/kill-child.xml")
    fresh_site.routes["/index.xml"] = Route(200, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{fresh_site.url('/kill-child.xml')}</loc></sitemap>"
        f"<sitemap><loc>{fresh_site.url('/sitemaps/news.xml')}</loc></sitemap>"
        "</sitemapindex>").encode(), {"Content-Type": "application/xml"})
    _crawl(tmp_path, _sources(tmp_path, fresh_site, ("map", "/index.xml", "auto")))
    [reject] = rejects_under(tmp_path / "out")
    assert (reject["reason"], reject["url"]) == ("extraction_failed",
                                                 fresh_site.url("/kill-child.xml"))
    assert reject["detail"].startswith(
        f"ExtractionCrashed: parsing the sitemap {fresh_site.url('/kill-child.xml')}, ")
    news = (SITE / "sitemaps" / "news.xml").read_text(encoding="utf-8")
    assert len(records_under(tmp_path / "out")) == news.count("<url>")


def test_a_source_whose_feed_and_page_both_kill_workers_loses_neither_its_other_entries(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A home page announcing two feeds: one kills its worker, the other lists a page that
    # does and a page that does not. In the pool at once, each killer is taken alone.
    _killer_feed(fresh_site, "/kill.rss")
    killer_page, fine_page = fresh_site.url("/kill.html"), fresh_site.url(
        "/articles/en-deterrence.html")
    fresh_site.routes["/kill.html"] = Route(200, (
        f"<html><head><title>Killer</title></head><body><!-- {MARK} --><h1>Killer</h1>"
        "<p>The council's sanctions policy.</p></body></html>").encode(),
        {"Content-Type": "text/html; charset=utf-8"})
    fresh_site.routes["/pages.rss"] = Route(200, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>'
        f"<item><title>Killer page</title><link>{killer_page}</link></item>"
        f"<item><title>Deterrence</title><link>{fine_page}</link></item>"
        "</channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
    fresh_site.routes["/home.html"] = Route(200, (
        b'<html><head><title>Home</title>'
        b'<link rel="alternate" type="application/rss+xml" href="/kill.rss">'
        b'<link rel="alternate" type="application/rss+xml" href="/pages.rss">'
        b"</head><body><p>Home</p></body></html>"), {"Content-Type": "text/html"})
    sources = _sources(tmp_path, fresh_site, ("home", "/home.html", "auto"),
                       ("fine", FINE, "feed"))
    _crawl(tmp_path, sources)
    [reject] = rejects_under(tmp_path / "out")
    assert (reject["source"], reject["reason"], reject["url"]) == (
        "home", "extraction_failed", fresh_site.url("/kill.rss"))
    home = {r["url"]: r for r in records_under(tmp_path / "out") if r["source"] == "home"}
    assert set(home) == {killer_page, fine_page}
    assert home[killer_page]["page_error"] == f"extraction_failed: ExtractionCrashed: {DIED}"
    assert home[fine_page]["page_error"] is None and home[fine_page]["text"]
    [run] = read_jsonl(tmp_path / "out" / "runs.jsonl")
    assert run["sources"]["home"]["rejects"] == 1 and run["sources"]["home"]["page_errors"] == 1
    assert run["sources"]["fine"]["records"] == EXPECTED["feeds"][FINE]["entries"]


def test_a_one_off_scrape_of_a_feed_that_kills_its_worker_says_so_in_one_line(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    _killer_feed(fresh_site, "/kill.rss")
    out = tmp_path / "r.jsonl"
    run = run_cli("scrape", fresh_site.url("/kill.rss"), "-o", str(out), "--output-dir",
                  str(tmp_path / "out"), "-q", cwd=tmp_path, env=KILLING)
    assert run.code == 1
    assert run.stderr.splitlines() == [
        "policywire: run ended with problems: every source failed: extraction_failed for its"
        " one source; rejects extraction_failed 1; totals records 0, rejects 1;"
        f" see {tmp_path / 'out' / 'runs.jsonl'}"]
    assert out.read_bytes() == b""
    [reject] = rejects_under(tmp_path / "out")
    assert reject["detail"] == (
        f"ExtractionCrashed: parsing the feed {fresh_site.url('/kill.rss')}, {DIED}")


def test_a_feed_whose_parser_raises_is_rejected_and_the_others_finish(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Any exception of a parser, not only a worker's death: the page's rule (a reject and a
    # failed run, never a traceback) holds for feeds and sitemaps too.
    fresh_site.routes["/raises.rss"] = Route(200, (
        f'<?xml version="1.0"?><!-- {RAISES} --><rss version="2.0"><channel><title>R</title>'
        "</channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
    sources = _sources(tmp_path, fresh_site, ("raises", "/raises.rss", "feed"),
                       ("fine", FINE, "feed"))
    _crawl(tmp_path, sources)
    [reject] = rejects_under(tmp_path / "out")
    assert (reject["source"], reject["reason"], reject["detail"]) == (
        "raises", "extraction_failed", f"RuntimeError: parsing the feed"
        f" {fresh_site.url('/raises.rss')}, a parser's bug, as the test asked")
    _only_fine_records(tmp_path)
