"""`policywire scrape URL` of an article page reads the article, as the README promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import discover_feeds
from tests.conftest import read_jsonl, run_cli
from tests.sitesrv import SITE, FixtureSite, Route


def _article_announcing_feeds(site: FixtureSite) -> bytes:
    """A real fixture article that, as WordPress posts and most news pages do, announces its
    site's feed and its comments' feed in its head."""
    page = (SITE / "articles" / "en-subsea-cables.html").read_text(encoding="utf-8")
    feeds = ('<link rel="alternate" type="application/rss+xml" href="/feeds/rss20.rss">\n'
             '<link rel="alternate" type="application/rss+xml" href="/feeds/atom.atom">\n')
    return page.replace("{{BASE}}", site.base).replace("</head>", feeds + "</head>").encode()


def test_scrape_of_an_article_announcing_feeds_is_that_article(fresh_site: FixtureSite,
                                                                tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/2026/11/cables.html"] = Route(200, _article_announcing_feeds(site),
                                                {"Content-Type": "text/html; charset=utf-8"})
    run = run_cli("scrape", site.url("/2026/11/cables.html"), "-o", "out.jsonl", cwd=tmp_path)
    assert run.code == 0, run.stderr
    # Before: the site's feeds were crawled instead (7 records) and the article was not one.
    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert (record["url"], record["origin"]) == (site.url("/2026/11/cables.html"), "page")
    assert record["title"] == "Navies step up patrols to protect Baltic subsea cables & pipelines"
    assert "/feeds/rss20.rss" not in site.hits and "/feeds/atom.atom" not in site.hits


def test_scrape_of_a_home_page_still_reads_the_feeds_it_announces(site: FixtureSite,
                                                                  tmp_path: Path) -> None:
    run = run_cli("scrape", site.url("/"), "-o", "out.jsonl", cwd=tmp_path)
    assert run.code == 0, run.stderr
    records = read_jsonl(tmp_path / "out.jsonl")
    assert len(records) == 7 and {r["origin"] for r in records} == {"feed"}


_HOME = (SITE / "index.html").read_text(encoding="utf-8")
_LD = '<script type="application/ld+json">{"@context": "https://schema.org", "@type": %s}</script>'


@pytest.mark.parametrize(("head", "url", "is_article"), [
    ("", "https://example.org/", False),
    (_LD % '"WebPage"', "https://example.org/", False),  # home pages declare WebPage too
    (_LD % '["WebPage", "NewsArticle"]', "https://example.org/", True),
    ('<meta property="article:published_time" content="2026-11-02">', "https://example.org/",
     True),
    ("", "https://example.org/blog/2019/10/interning/", True),
    ("", "https://example.org/archive/2019/", False),
    ("", "https://example.org/2019/10/", False),  # a month's archive
    ("", "https://example.org/2019/10/21/", False),
    ("", "https://example.org/2019/10/21/talks-resume", True),
    # An archive's further pages, its feed and its AMP view: no slug.
    ("", "https://example.org/2019/10/page/2/", False),
    ("", "https://example.org/2019/10/21/page/3/", False),
    ("", "https://example.org/category/politik/2019/10/feed/", False),
    ("", "https://example.org/2019/10/amp", False),
    ("", "https://example.org/2019/10/21/feed/?type=rss2", False),
    ("", "https://example.org/2019/10/pagers-explode", True),
    ("", "https://example.org/2019/10/feeding-the-army/", True),
])
def test_a_page_that_declares_or_dates_itself_an_article_is_not_read_through_its_feeds(
        head: str, url: str, is_article: bool) -> None:
    markup = _HOME.replace('<meta property="og:type" content="website">', head)
    assert bool(discover_feeds(markup, url)) is not is_article


@pytest.mark.parametrize("path", ["/2019/10/page/2/", "/2019/10/21/page/3/",
                                  "/category/politik/2019/10/feed/"])
def test_scrape_of_an_archives_further_page_reads_its_feeds(fresh_site: FixtureSite,
                                                             tmp_path: Path, path: str) -> None:
    # A month's archive listing (the home page's markup: og:type website, two feeds) served
    # at a dated path whose last word is no slug. Before, auto mode took the dated path for a
    # permalink and wrote the listing as one article record.
    site = fresh_site
    listing = _HOME.replace("{{BASE}}", site.base).encode()
    site.routes[path] = Route(200, listing, {"Content-Type": "text/html; charset=utf-8"})
    run = run_cli("scrape", site.url(path), "-o", "out.jsonl", cwd=tmp_path)
    assert run.code == 0, run.stderr
    records = read_jsonl(tmp_path / "out.jsonl")
    assert len(records) == 7 and {r["origin"] for r in records} == {"feed"}


def test_a_scrape_without_o_names_the_file_its_records_went_to(site: FixtureSite,
                                                                 tmp_path: Path) -> None:
    # The acc5 trial: `policywire scrape URL` printed counts and nothing else; the record
    # sat in output/YYYY/MM/DD/records-<run>.jsonl, a path the newcomer had to find.
    run = run_cli("scrape", site.url("/articles/de-putin-a.html"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    said = run.stderr.splitlines()[-1]
    assert said.startswith("policywire: records written to output/")
    [record] = read_jsonl(tmp_path / said.removeprefix("policywire: records written to "))
    assert record["url"] == site.url("/articles/de-putin-a.html")
    quiet = run_cli("scrape", site.url("/articles/de-putin-a.html"), "-q", cwd=tmp_path)
    assert (quiet.code, quiet.stderr) == (0, "")


def test_scrape_of_plain_text_says_what_it_got(fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/notes.txt"] = Route(200, b"Minutes of the meeting, in plain text.\n",
                                      {"Content-Type": "text/plain; charset=utf-8"})
    run = run_cli("scrape", site.url("/notes.txt"), "-o", "out.jsonl", cwd=tmp_path)
    assert run.code == 1
    said = "not a feed, sitemap or HTML page: text/plain"
    # Before: feed_unparseable, "neither feed, sitemap nor HTML (content type ...)".
    assert said in run.stderr, run.stderr
    [reject] = [r for p in (tmp_path / "output").rglob("rejects-*.jsonl") for r in read_jsonl(p)]
    assert (reject["reason"], reject["detail"]) == ("unsupported_content", said)


def test_a_scrape_says_how_many_older_entries_its_feed_cap_left_out(fresh_site: FixtureSite,
                                                                     tmp_path: Path) -> None:
    # The acc6 trial: a one-off scrape of a 3,000-entry feed gave 1,000 records and only
    # '"capped": 2000' among the counts; nothing said the rest was left out, nor what takes
    # more (POLICYWIRE_MAX_ENTRIES_PER_FEED is no environment variable of policywire).
    items = "".join(
        f"<item><title>Archived report {i} on NATO air defence</title><link>/old/{i}.html"
        f"</link><pubDate>Mon, 02 Nov 2020 {i % 24:02d}:{i % 60:02d}:00 GMT</pubDate></item>"
        for i in range(1001))
    fresh_site.routes["/archive.rss"] = Route(
        body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>A</title>{items}'
             "</channel></rss>".encode(),
        headers={"Content-Type": "application/rss+xml"})
    # Dated before the window: the newest 1,000 are filtered, no page is fetched.
    args = ("scrape", fresh_site.url("/archive.rss"), "-o", "a.jsonl", "--since", "2025-01-01")
    run = run_cli(*args, cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.stderr.splitlines()[-1] == (
        "policywire: 1 older entry left out: a fetch takes a feed's or sitemap's newest 1,000;"
        " for more, crawl it from a sources file with max_entries")
    quiet = run_cli(*args, "-q", cwd=tmp_path)
    assert (quiet.code, quiet.stderr) == (0, "")


def test_a_scrape_with_a_state_appends_only_new_records_to_its_file(site: FixtureSite,
                                                                     tmp_path: Path) -> None:
    # The README's and --help's promise: without --state-dir FILE is replaced by every record;
    # with it, a second scrape appends what is new (here: nothing) and keeps what was there.
    def scrape(*state: str) -> list[tuple[object, object]]:
        run = run_cli("scrape", site.url("/feeds/rss20.rss"), "-o", "out.jsonl", *state,
                      cwd=tmp_path)
        assert run.code == 0, run.stderr
        return [(r["id"], r["run_id"]) for r in read_jsonl(tmp_path / "out.jsonl")]

    first = scrape("--state-dir", "st")
    assert first and scrape("--state-dir", "st") == first  # appended nothing, kept the rest
    alone = scrape()  # replaced: every record, of this run
    assert [i for i, _ in alone] == [i for i, _ in first] and {r for _, r in alone} != {
        r for _, r in first}
