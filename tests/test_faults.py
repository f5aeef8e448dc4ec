"""Hostile input, end to end: the real crawler against a loopback server that misbehaves.

The contract every case checks: the run never crashes (exit 0, or 1 for partial, and no
traceback), and every entry of every fetched feed ends as exactly one record line, one reject
line with a stable reason code, or an ``unchanged`` count: per source in ``runs.jsonl``,
records + rejects + unchanged == the entries the server's feed lists. A feed that cannot be
read at all ends as one reject naming why.

Most cases share one crawl (a Scrapy start costs ~1.5 s): each fault is its own source, and the
tests read that source's lines and counts. Cases that need their own process run their own:
memory measured, a setting overridden, the SSRF guard on, a full disk.

A case that reveals a bug asserts the correct behaviour and is marked ``xfail(strict=True)``
with the bug in its reason, so the fix turns it into a failure to remove the mark.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import msgspec
import pytest

from crawler import settings as crawler_settings
from crawler.dedup import DedupParams
from crawler.errors import REJECT_REASONS
from crawler.feeds import parse_feed
from crawler.models import Record
from crawler.records import identity_key, record_id
from crawler.state import SeenRow, StateStore
from tests.conftest import REPO, Run, read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import SITE, FixtureSite, Route, gzip_bomb, gzip_route, redirect, serve

FAULTS = Path(__file__).parent / "fixtures" / "faults"
RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"
TEXT = ("Negotiators from both delegations met in Geneva to discuss verification measures, "
        "data exchanges and the future of strategic arms control in Europe. ") * 5
#: A request that keeps failing is tried once and retried RETRY_TIMES times.
ATTEMPTS = crawler_settings.RETRY_TIMES + 1
#: Where a log record starts in the crawler's stderr ("2026-11-29 03:41:27,827 WARNING ...").
_LOG_RECORD = re.compile(r"^(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ )", re.MULTILINE)


# -- hostile content ---------------------------------------------------------------------------
def page(title: str | None) -> Route:
    """A small English article page; without ``title`` it has no title anywhere."""
    head = f"<title>{title}</title>" if title else ""
    h1 = f"<h1>{title}</h1>" if title else ""
    body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
            f"<article>{h1}<p>{TEXT}</p><p>{TEXT}</p></article></body></html>")
    return Route(200, body.encode(), {"Content-Type": HTML})


def rss(site: FixtureSite, case: str, titles: list[str], first_description: str = "") -> bytes:
    """An RSS 2.0 feed whose entry ``n`` links to ``/<case>/a<n>.html``."""
    items = "".join(
        f"<item><title>{t}</title><link>{site.url(f'/{case}/a{n}.html')}</link>"
        f"<guid isPermaLink=\"false\">{case}-{n}</guid>"
        f"<pubDate>Tue, 03 Nov 2026 1{n % 10}:00:00 GMT</pubDate>"
        f"<description>{(n == 0 and first_description) or 'Summary: ' + t}</description>"
        "</item>\n"
        for n, t in enumerate(titles)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{case}</title><link>{site.base}/</link>\n{items}</channel></rss>\n").encode()


def titles(count: int, case: str) -> list[str]:
    return [f"Arms control briefing {n} on {case}" for n in range(count)]


def fixture_route(site: FixtureSite, name: str, content_type: str) -> Route:
    body = (FAULTS / name).read_bytes().replace(b"{{BASE}}", site.base.encode())
    return Route(200, body, {"Content-Type": content_type})


def entries_in(body: bytes) -> int:
    """How many entries the crawler's own parser finds in what actually arrives."""
    return len(parse_feed(body, "http://fixture.invalid/feed").entries)


def gunzip_prefix(packed: bytes) -> bytes:
    """What a tolerant reader recovers from a truncated gzip stream."""
    return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(packed)


# -- the cases of the shared crawl -------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    kind: str  # the source's kind in sources.toml
    path: str  # what the source points at
    entries: int | None  # entries that reach the crawler; None: the feed must end as one reject


Builder = Callable[[FixtureSite, str], Case]


def _feed(site: FixtureSite, name: str, route: Route) -> str:
    site.routes[f"/{name}/feed"] = route
    return f"/{name}/feed"


def gzip_truncated(site: FixtureSite, name: str) -> Case:
    route = gzip_route(rss(site, name, titles(6, name)), keep=0.6)
    return Case("feed", _feed(site, name, route), entries_in(gunzip_prefix(route.body)))


def gzip_torn_header(site: FixtureSite, name: str) -> Case:
    route = gzip_route(rss(site, name, titles(2, name)))
    return Case("feed", _feed(site, name, replace(route, body=route.body[:12])), None)


def gzip_not_gzip(site: FixtureSite, name: str) -> Case:
    body = rss(site, name, titles(2, name))
    route = Route(200, body, {"Content-Type": RSS, "Content-Encoding": "gzip"})
    return Case("feed", _feed(site, name, route), None)


def from_file(file: str, kind: str, entries: int | None, ctype: str = RSS) -> Builder:
    def build(site: FixtureSite, name: str) -> Case:
        return Case(kind, _feed(site, name, fixture_route(site, file, ctype)), entries)
    return build


def padded_sitemap_bomb(site: FixtureSite, name: str) -> Case:
    """The sitemap bomb with 80 KB of comment before its DTD (a prolog may be any length)."""
    route = fixture_route(site, "entity-bomb-sitemap.xml", "application/xml")
    declaration, rest = route.body.split(b"\n", 1)
    body = declaration + b"\n<!--" + b" padding " * 9000 + b"-->\n" + rest
    return Case("sitemap", _feed(site, name, replace(route, body=body)), None)


def empty_body(kind: str) -> Builder:
    def build(site: FixtureSite, name: str) -> Case:
        return Case(kind, _feed(site, name, Route(200, b"", {"Content-Type": RSS})), None)
    return build


def feed_as_html(site: FixtureSite, name: str) -> Case:
    route = Route(200, rss(site, name, titles(2, name)), {"Content-Type": HTML})
    return Case("auto", _feed(site, name, route), 2)


def giant_entry(site: FixtureSite, name: str) -> Case:
    body = rss(site, name, titles(2, name), first_description="arms control " * 400_000)
    return Case("feed", _feed(site, name, Route(200, body, {"Content-Type": RSS})), 2)


def giant_title(site: FixtureSite, name: str) -> Case:
    # 1 MB of distinct words in one title: story merging signs token pairs, and read whole
    # such a title made ~10^10 of them (the crawl never finished).
    giant = "Giant title " + " ".join(f"w{n}x" for n in range(150_000))
    body = rss(site, name, [giant, *titles(2, name)[1:]])
    return Case("feed", _feed(site, name, Route(200, body, {"Content-Type": RSS})), 2)


def reset_mid_body(site: FixtureSite, name: str) -> Case:
    body = rss(site, name, titles(4, name))
    route = Route(200, body, {"Content-Type": RSS}, reset_after=len(body) // 2)
    return Case("feed", _feed(site, name, route), None)


def content_length_too_long(site: FixtureSite, name: str) -> Case:
    body = rss(site, name, titles(4, name))
    route = Route(200, body, {"Content-Type": RSS}, content_length=len(body) + 1000)
    return Case("feed", _feed(site, name, route), None)


def content_length_too_short(site: FixtureSite, name: str) -> Case:
    body = rss(site, name, titles(6, name))
    cut = len(body) * 2 // 3
    route = Route(200, body, {"Content-Type": RSS}, content_length=cut)
    return Case("feed", _feed(site, name, route), entries_in(body[:cut]))


def storm(failures: int) -> Builder:
    def build(site: FixtureSite, name: str) -> Case:
        path = f"/{name}/feed"
        ok = Route(200, rss(site, name, titles(2, name)), {"Content-Type": RSS})
        site.scripts[path] = [Route(503, b"busy", {"Content-Type": "text/plain"})] * failures
        site.scripts[path].append(ok)
        return Case("feed", path, 2)
    return build


def article_500(site: FixtureSite, name: str) -> Case:
    site.routes[f"/{name}/a0.html"] = Route(500, b"<html><body>oops</body></html>",
                                            {"Content-Type": HTML})
    return Case("feed", _feed(site, name, Route(200, rss(site, name, titles(2, name)),
                                                {"Content-Type": RSS})), 2)


def redirect_loop(site: FixtureSite, name: str) -> Case:
    site.routes[f"/{name}/there"] = redirect(site.url(f"/{name}/feed"))
    return Case("feed", _feed(site, name, redirect(site.url(f"/{name}/there"))), None)


def missing_titles(site: FixtureSite, name: str) -> Case:
    site.routes[f"/{name}/a1.html"] = page(None)  # neither the entry nor its page: a reject
    return from_file("missing-titles.rss", "feed", 3)(site, name)


def rss_links(site: FixtureSite, case: str, links: list[str]) -> Route:
    """An RSS feed whose entry ``n`` links to ``links[n]`` (a path is on the site)."""
    body = rss(site, case, titles(len(links), case))
    for n, link in enumerate(links):
        body = body.replace(site.url(f"/{case}/a{n}.html").encode(),
                            (site.url(link) if link.startswith("/") else link).encode())
    return Route(200, body, {"Content-Type": RSS})


def bad_link(link: str) -> Builder:
    """A feed of three entries whose middle one links to ``link``: the other two become
    records whatever that link does, and it ends as one record or reject."""
    def build(site: FixtureSite, name: str) -> Case:
        route = rss_links(site, name, [f"/{name}/a0.html", link, f"/{name}/a2.html"])
        return Case("feed", _feed(site, name, route), 3)
    return build


#: Longer than Scrapy's URLLENGTH_LIMIT (2,083), which drops such a request without a word.
LONG_PATH = "/long/" + "x" * 2100


def javascript_alternate(site: FixtureSite, name: str) -> Case:
    """A home page whose first feed link is ``javascript:``: its real feed is still read."""
    site.routes[f"/{name}/real-feed"] = Route(200, rss(site, name, titles(2, name)),
                                              {"Content-Type": RSS})
    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="{href}">'
                    for href in ("javascript:void(0)", site.url(f"/{name}/real-feed")))
    home = f"<!DOCTYPE html><html><head>{links}</head><body>Home</body></html>"
    return Case("auto", _feed(site, name, Route(200, home.encode(), {"Content-Type": HTML})), 3)


XML = "application/xml"


def xml_route(body: bytes) -> Route:
    return Route(200, body, {"Content-Type": XML})


def urlset(site: FixtureSite, name: str, count: int, *extra: str) -> bytes:
    """A urlset of ``count`` articles of the case, then the ``extra`` locs."""
    locs = [site.url(f"/{name}/a{n}.html") for n in range(count)] + list(extra)
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>2026-11-02</lastmod></url>" for loc in locs)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode()


def sitemap_index(locs: list[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{body}</sitemapindex>').encode()


def long_sitemap_child(site: FixtureSite, name: str) -> Case:
    site.routes[f"/{name}/news-sitemap.xml"] = xml_route(urlset(site, name, 2))
    index = sitemap_index([site.url(LONG_PATH + "/sitemap.xml"),
                           site.url(f"/{name}/news-sitemap.xml")])
    return Case("sitemap", _feed(site, name, xml_route(index)), 3)


def self_listing_index(site: FixtureSite, name: str) -> Case:
    """An index listing itself five times beside its one urlset (fetched 156 times before)."""
    site.routes[f"/{name}/news-sitemap.xml"] = xml_route(urlset(site, name, 2))
    index = sitemap_index([site.url(f"/{name}/feed")] * 5
                          + [site.url(f"/{name}/news-sitemap.xml")])
    return Case("sitemap", _feed(site, name, xml_route(index)), 2)


def self_listing_urlset(site: FixtureSite, name: str) -> Case:
    """A urlset listing itself as a child sitemap (each article was fetched 15 times)."""
    site.routes[f"/{name}/sitemap.xml"] = xml_route(
        urlset(site, name, 2, site.url(f"/{name}/sitemap.xml")))
    return Case("sitemap", f"/{name}/sitemap.xml", 2)


def gzip_file(body: bytes) -> Route:
    """A ``.gz`` file as static servers send it: ``application/gzip``, no Content-Encoding."""
    return Route(200, gzip.compress(body, mtime=0), {"Content-Type": "application/gzip"})


def gzipped_sitemap(kind: str) -> Builder:
    def build(site: FixtureSite, name: str) -> Case:
        site.routes[f"/{name}/sitemap.xml.gz"] = gzip_file(urlset(site, name, 2))
        return Case(kind, f"/{name}/sitemap.xml.gz", 2)
    return build


def gzipped_sitemap_child(site: FixtureSite, name: str) -> Case:
    site.routes[f"/{name}/news.xml.gz"] = gzip_file(urlset(site, name, 2))
    index = sitemap_index([site.url(f"/{name}/news.xml.gz")])
    return Case("sitemap", _feed(site, name, xml_route(index)), 2)


def gzip_file_bomb(site: FixtureSite, name: str) -> Case:
    """64 MiB of zeros as ``sitemap.xml.gz``: unpacked no further than DOWNLOAD_MAXSIZE."""
    bomb = gzip_bomb(64 * 1024 * 1024)
    site.routes[f"/{name}/sitemap.xml.gz"] = Route(200, bomb.body,
                                                   {"Content-Type": "application/gzip"})
    return Case("sitemap", f"/{name}/sitemap.xml.gz", None)


def json_feed(site: FixtureSite, name: str) -> Case:
    """A JSON Feed 1.1 of two items, found by sniffing (kind auto)."""
    items = ",".join(
        f'{{"id": "{name}-{n}", "url": "{site.url(f"/{name}/a{n}.html")}", "title": "{t}",'
        f' "date_published": "2026-11-03T10:0{n}:00Z"}}' for n, t in enumerate(titles(2, name)))
    body = f'{{"version": "https://jsonfeed.org/version/1.1", "items": [{items}]}}'.encode()
    route = Route(200, body, {"Content-Type": "application/feed+json"})
    return Case("auto", _feed(site, name, route), 2)


def json_feed_nested(site: FixtureSite, name: str) -> Case:
    """A JSON Feed whose items nest 200,000 deep: refused, never a crash."""
    body = (b'{"version": "https://jsonfeed.org/version/1", "items": ' + b"[" * 200_000
            + b"]" * 200_000 + b"}")
    route = Route(200, body, {"Content-Type": "application/feed+json"})
    return Case("feed", _feed(site, name, route), None)


CASES: dict[str, Builder] = {
    "gzip-truncated": gzip_truncated,
    "gzip-torn-header": gzip_torn_header,
    "gzip-not-gzip": gzip_not_gzip,
    "entity-bomb": from_file("entity-bomb.rss", "auto", 2),
    "entity-bomb-sitemap": from_file("entity-bomb-sitemap.xml", "auto", None,
                                     "application/xml"),
    "entity-bomb-sitemap-padded": padded_sitemap_bomb,
    "latin1-declared-utf8": from_file("latin1-declared-utf8.rss", "feed", 2,
                                      f"{RSS}; charset=utf-8"),
    "utf8-declared-latin1": from_file("utf8-declared-latin1.rss", "feed", 2,
                                      f"{RSS}; charset=iso-8859-1"),
    "invalid-utf8": from_file("invalid-utf8.rss", "feed", 3, f"{RSS}; charset=utf-8"),
    "surrogates": from_file("surrogates.rss", "feed", 4),
    "empty-body-auto": empty_body("auto"),
    "empty-body-feed": empty_body("feed"),
    "html-as-feed": from_file("html-as-feed.html", "feed", None, HTML),
    "feed-as-html": feed_as_html,
    "giant-entry": giant_entry,
    "giant-title": giant_title,
    "missing-titles": missing_titles,
    "duplicate-guids": from_file("duplicate-guids.rss", "feed", 3),
    "dates": from_file("dates.rss", "feed", 6),
    "sitemap-bad-loc": from_file("sitemap-bad-loc.xml", "sitemap", 4, "application/xml"),
    "reset-mid-body": reset_mid_body,
    "content-length-too-long": content_length_too_long,
    "content-length-too-short": content_length_too_short,
    "storm-503x2": storm(2),
    "storm-503x3": storm(3),
    "article-500": article_500,
    "redirect-loop": redirect_loop,
    "ipv6-link": bad_link("http://[::1]:9/ipv6-link/a1.html"),
    "port-out-of-range": bad_link("http://127.0.0.1:99999/port-out-of-range/a1.html"),
    "long-link": bad_link(LONG_PATH + ".html"),
    # A host w3lib refuses ("forbidden domain code point"): before, scrapy.Request raised in
    # the feed's callback, a traceback, and the whole feed was lost with exit 0.
    "space-in-host": bad_link("http://exa mple.com/space-in-host/a1.html"),
    "javascript-alternate": javascript_alternate,
    "long-sitemap-child": long_sitemap_child,
    "self-listing-index": self_listing_index,
    "self-listing-urlset": self_listing_urlset,
    "gzipped-sitemap": gzipped_sitemap("sitemap"),
    "gzipped-sitemap-auto": gzipped_sitemap("auto"),
    "gzipped-sitemap-child": gzipped_sitemap_child,
    "gzipped-sitemap-bomb": gzip_file_bomb,
    "json-feed": json_feed,
    "json-feed-nested": json_feed_nested,
}

#: Cases whose contract check fails today, and why.
KNOWN_BUGS: dict[str, str] = {}


def _contract_params() -> list[Any]:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name]))
            if name in KNOWN_BUGS else name for name in CASES]


# -- the shared crawl --------------------------------------------------------------------------
@dataclass
class Outcome:
    run: Run
    site: FixtureSite
    cases: dict[str, Case]
    records: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    summary: dict[str, Any]
    seconds: float

    def records_of(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r["source"] == name]

    def rejects_of(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.rejects if r["source"] == name]

    def counts(self, name: str) -> dict[str, int]:
        return dict(self.summary["sources"].get(name, {}))

    def by_title(self, name: str) -> dict[str, dict[str, Any]]:
        return {r["title"]: r for r in self.records_of(name)}

    def hits(self, name: str, leaf: str) -> int:
        return self.site.hits.get(f"/{name}/{leaf}", 0)


def write_sources(folder: Path, sources: dict[str, tuple[str, str]]) -> Path:
    path = folder / "sources.toml"
    path.write_text("\n".join(
        f'[[sources]]\nname = "{name}"\nurl = "{url}"\nkind = "{kind}"\nlanguage = "en"\n'
        for name, (kind, url) in sources.items()), encoding="utf-8")
    return path


def serve_articles(site: FixtureSite, names: list[str], count: int = 8) -> None:
    """Every case's entries link to ``/<case>/a<n>.html``; routes a case set stay."""
    for name in names:
        for n in range(count):
            site.routes.setdefault(f"/{name}/a{n}.html", page(f"Page title {n} of {name}"))


def crawl(folder: Path, sources: Path, env: dict[str, str] | None = None) -> Run:
    return run_cli("crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
                   "--state-dir", str(folder / "state"), cwd=folder, env=env, timeout=240)


def tracebacks(stderr: str, marker: str = "") -> list[str]:
    """Log records (or bare output) carrying a traceback and mentioning ``marker``."""
    chunks = _LOG_RECORD.split(stderr)
    return [c for c in chunks if "Traceback" in c and marker in c]


def last_run(folder: Path) -> dict[str, Any]:
    return read_jsonl(folder / "out" / "runs.jsonl")[-1]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    site, server = serve(SITE)
    try:
        cases = {name: build(site, name) for name, build in CASES.items()}
        serve_articles(site, list(cases))
        folder = tmp_path_factory.mktemp("hostile")
        sources = write_sources(folder, {n: (c.kind, site.url(c.path)) for n, c in cases.items()})
        started = time.monotonic()
        run = crawl(folder, sources)
        seconds = time.monotonic() - started
        yield Outcome(run, site, cases, records_under(folder / "out"),
                      rejects_under(folder / "out"), last_run(folder), seconds)
    finally:
        server.shutdown()
        server.server_close()


def test_the_hostile_crawl_ends_as_a_partial_run(hostile: Outcome) -> None:
    assert hostile.run.code == 1, hostile.run.stderr[-3000:]
    assert hostile.summary["exit_code"] == 1
    unexplained = [t for t in tracebacks(hostile.run.stderr)
                   if not any(f"/{name}/" in t for name in KNOWN_BUGS)]
    assert unexplained == []
    ids = [r["id"] for r in hostile.records]
    assert len(ids) == len(set(ids))
    for line in hostile.records:
        msgspec.convert(line, Record)  # every line is a valid record, hostile input or not


@pytest.mark.parametrize("name", _contract_params())
def test_every_entry_ends_as_one_record_or_reject(hostile: Outcome, name: str) -> None:
    case, counts = hostile.cases[name], hostile.counts(name)
    assert tracebacks(hostile.run.stderr, f"/{name}/") == []
    records, rejects = hostile.records_of(name), hostile.rejects_of(name)
    assert counts.get("records") == len(records) and counts.get("rejects") == len(rejects)
    for reject in rejects:
        assert reject["reason"] in REJECT_REASONS and reject["detail"], reject
    if case.entries is None:
        assert (len(records), len(rejects)) == (0, 1)
        assert rejects[0]["url"].startswith(hostile.site.url(f"/{name}/"))
    else:
        assert counts["records"] + counts["rejects"] + counts["unchanged"] == case.entries


# -- what each case must look like -------------------------------------------------------------
def test_truncated_gzip_keeps_the_entries_that_arrived(hostile: Outcome) -> None:
    arrived = hostile.cases["gzip-truncated"].entries
    assert arrived is not None and 0 < arrived < 6
    assert len(hostile.records_of("gzip-truncated")) == arrived


@pytest.mark.parametrize("name", ["gzip-torn-header", "gzip-not-gzip"])
def test_undecodable_gzip_is_a_download_error_naming_gzip(hostile: Outcome, name: str) -> None:
    [reject] = hostile.rejects_of(name)
    assert reject["reason"] == "download_error"
    assert any(w in reject["detail"].lower() for w in ("gzip", "compressed")), reject["detail"]


def test_an_entity_bomb_in_a_feed_is_not_expanded(hostile: Outcome) -> None:
    records = hostile.records_of("entity-bomb")
    assert len(records) == 2
    for record in records:
        assert "lollol" not in record["title"] and len(record["title"]) < 200
        assert "lollol" not in (record["summary"] or "") + (record["text"] or "")


@pytest.mark.parametrize("name", [
    "entity-bomb-sitemap",
    "entity-bomb-sitemap-padded",
])
def test_a_sitemap_declaring_entities_is_refused_whole(hostile: Outcome, name: str) -> None:
    assert hostile.records_of(name) == []
    [reject] = hostile.rejects_of(name)
    assert reject["reason"] == "sitemap_unparseable" and "entities" in reject["detail"]


@pytest.mark.parametrize("name", ["latin1-declared-utf8", "utf8-declared-latin1"])
def test_wrong_declared_charset_still_gives_the_right_titles(hostile: Outcome,
                                                             name: str) -> None:
    assert set(hostile.by_title(name)) == {"Gespräche über Rüstungskontrolle in Genf",
                                           "Außenminister beraten über Sanktionen"}


def test_invalid_utf8_bytes_do_not_spoil_the_valid_titles(hostile: Outcome) -> None:
    by_title = hostile.by_title("invalid-utf8")
    assert "Gespräche über Rüstungskontrolle in Genf" in by_title
    assert len(by_title) == 3
    for title in by_title:
        title.encode("utf-8")  # strict: no lone surrogates smuggled through


def test_surrogate_references_become_records_with_clean_titles(hostile: Outcome) -> None:
    by_title = hostile.by_title("surrogates")
    assert "An ordinary title next to them" in by_title
    assert len(by_title) == 4
    for title in by_title:
        title.encode("utf-8")


@pytest.mark.parametrize(("name", "reasons"), [
    ("empty-body-auto", {"feed_empty", "feed_unparseable"}),
    ("empty-body-feed", {"feed_empty", "feed_unparseable"}),
    ("html-as-feed", {"feed_unparseable"}),
])
def test_a_body_that_is_no_feed_is_one_reject(hostile: Outcome, name: str,
                                              reasons: set[str]) -> None:
    [reject] = hostile.rejects_of(name)
    assert reject["reason"] in reasons


@pytest.mark.parametrize("name", ["empty-body-auto", "empty-body-feed"])
def test_an_empty_body_is_reported_as_empty(hostile: Outcome, name: str) -> None:
    [reject] = hostile.rejects_of(name)
    assert "empty" in reject["detail"] or "0 bytes" in reject["detail"]


def test_a_feed_served_as_html_is_still_detected(hostile: Outcome) -> None:
    assert set(hostile.by_title("feed-as-html")) == set(titles(2, "feed-as-html"))
    assert {r["origin"] for r in hostile.records_of("feed-as-html")} == {"feed"}


def test_a_5_mb_entry_is_one_record(hostile: Outcome) -> None:
    records = hostile.by_title("giant-entry")
    assert len(records) == 2
    assert records["Arms control briefing 0 on giant-entry"]["summary"].startswith(
        "arms control arms control")


def test_a_1_mb_title_is_one_record_in_a_story(hostile: Outcome) -> None:
    records = hostile.records_of("giant-title")
    assert len(records) == 2
    giant, other = sorted(records, key=lambda r: not r["title"].startswith("Giant title"))
    assert len(giant["title"]) > 1_000_000  # kept whole; matching reads its beginning
    # (The fixture's article pages share one body: the body rule may join other cases.)
    assert giant["story_id"] and giant["duplicate_of"] != other["id"]


def test_missing_titles_are_filled_from_the_page_or_rejected(hostile: Outcome) -> None:
    assert set(hostile.by_title("missing-titles")) == {"Page title 0 of missing-titles",
                                                       "Page title 2 of missing-titles"}
    [reject] = hostile.rejects_of("missing-titles")
    assert reject["reason"] == "missing_title"
    assert reject["url"] == hostile.site.url("/missing-titles/a1.html")


def test_duplicate_guids_give_records_identified_by_url(hostile: Outcome) -> None:
    records = {r["url"]: r for r in hostile.records_of("duplicate-guids")}
    assert len(records) == 3
    for n in (0, 1):
        url = hostile.site.url(f"/duplicate-guids/a{n}.html")
        assert records[url]["id"] == record_id(identity_key("duplicate-guids", "shared-guid-1",
                                                            url, guid_unique=False))
    own = records[hostile.site.url("/duplicate-guids/a2.html")]
    assert own["id"] == record_id(identity_key("duplicate-guids", "own-guid-2", own["url"], True))


DATES = [
    ("Dated in the year 2099", "Tue, 03 Nov 2099 10:15:00 +0200"),
    ("Dated the 31st of February (RFC 822)", "Tue, 31 Feb 2026 10:00:00 GMT"),
    ("Dated the 31st of February (plain)", "31 Feb 2026"),
    # feedparser's own parse rolls these over (31 Feb -> 3 Mar): it must not be the fallback.
    ("Dated the 31st of February (ISO 8601)", "2026-02-31T10:00:00Z"),
    ("Dated the 30th of February (ISO 8601)", "2026-02-30"),
    ("Dated at hour 25", "Wed, 04 Nov 2026 25:61:00 GMT"),
]


@pytest.mark.parametrize(("title", "raw"), DATES)
def test_unreadable_dates_stay_raw_and_are_never_invented(hostile: Outcome, title: str,
                                                          raw: str) -> None:
    record = hostile.by_title("dates")[title]
    assert (record["published"], record["published_raw"]) == (None, raw)


def test_sitemap_urls_without_a_usable_loc_are_missing_link_rejects(hostile: Outcome) -> None:
    assert len(hostile.records_of("sitemap-bad-loc")) == 1
    reasons = [r["reason"] for r in hostile.rejects_of("sitemap-bad-loc")]
    assert reasons == ["missing_link"] * 3


@pytest.mark.parametrize("name", ["reset-mid-body", "content-length-too-long"])
def test_a_broken_connection_is_retried_then_rejected(hostile: Outcome, name: str) -> None:
    [reject] = hostile.rejects_of(name)
    assert reject["reason"] == "download_error"
    detail = reject["detail"].lower().replace(" ", "")
    assert "dataloss" in detail or "connection" in detail, reject["detail"]
    assert hostile.hits(name, "feed") == ATTEMPTS


def test_a_body_longer_than_its_content_length_is_cut_there(hostile: Outcome) -> None:
    arrived = hostile.cases["content-length-too-short"].entries
    assert arrived is not None and 0 < arrived < 6
    assert len(hostile.records_of("content-length-too-short")) == arrived


@pytest.mark.parametrize("failures", [2, 3])
def test_a_503_storm_is_outlasted_by_the_retries(hostile: Outcome, failures: int) -> None:
    name = f"storm-503x{failures}"
    assert set(hostile.by_title(name)) == set(titles(2, name))
    assert hostile.hits(name, "feed") == failures + 1


def test_an_article_that_always_fails_keeps_its_feed_metadata(hostile: Outcome) -> None:
    by_title = hostile.by_title("article-500")
    failed = by_title["Arms control briefing 0 on article-500"]
    assert (failed["page_error"], failed["text"]) == ("http_500", None)
    assert failed["summary"] == "Summary: Arms control briefing 0 on article-500"
    assert by_title["Arms control briefing 1 on article-500"]["page_error"] is None
    assert hostile.hits("article-500", "a0.html") == ATTEMPTS


def test_a_redirect_loop_is_a_reject_saying_so(hostile: Outcome) -> None:
    [reject] = hostile.rejects_of("redirect-loop")
    assert reject["reason"] == "download_error"
    assert "redirect" in reject["detail"].lower()
    hops = hostile.hits("redirect-loop", "feed") + hostile.hits("redirect-loop", "there")
    assert hops == crawler_settings.REDIRECT_MAX_TIMES + 1  # then it stops


@pytest.mark.parametrize(("name", "records"), [
    ("port-out-of-range", 2), ("long-link", 2), ("javascript-alternate", 2),
    ("long-sitemap-child", 2), ("space-in-host", 2),
])
def test_a_link_that_cannot_be_requested_is_one_reject(hostile: Outcome, name: str,
                                                       records: int) -> None:
    assert len(hostile.records_of(name)) == records  # the rest of its listing is read
    [reject] = hostile.rejects_of(name)
    assert reject["reason"] == "invalid_link", reject


def test_an_ipv6_literal_link_keeps_its_brackets(hostile: Outcome) -> None:
    urls = {r["url"] for r in hostile.records_of("ipv6-link")}
    assert "http://[::1]:9/ipv6-link/a1.html" in urls and len(urls) == 3


@pytest.mark.parametrize(("name", "listings"), [
    ("self-listing-index", ["feed", "news-sitemap.xml"]),
    ("self-listing-urlset", ["sitemap.xml"]),
])
def test_each_sitemap_is_fetched_once_a_run(hostile: Outcome, name: str,
                                            listings: list[str]) -> None:
    for leaf in [*listings, "a0.html", "a1.html"]:
        assert hostile.hits(name, leaf) == 1, leaf
    assert len(hostile.records_of(name)) == 2


@pytest.mark.parametrize("name", ["gzipped-sitemap", "gzipped-sitemap-auto",
                                  "gzipped-sitemap-child"])
def test_a_gzipped_sitemap_file_is_read(hostile: Outcome, name: str) -> None:
    assert set(hostile.by_title(name)) == {f"Page title {n} of {name}" for n in range(2)}
    assert {r["origin"] for r in hostile.records_of(name)} == {"sitemap"}


def test_a_gzipped_sitemap_bomb_is_unpacked_no_further_than_the_size_cap(
        hostile: Outcome) -> None:
    [reject] = hostile.rejects_of("gzipped-sitemap-bomb")
    assert reject["reason"] == "download_error" and "gzip" in reject["detail"], reject


def test_a_json_feed_is_read_like_rss(hostile: Outcome) -> None:
    assert set(hostile.by_title("json-feed")) == set(titles(2, "json-feed"))
    assert {r["origin"] for r in hostile.records_of("json-feed")} == {"feed"}


def test_a_json_feed_nested_too_deeply_is_one_reject(hostile: Outcome) -> None:
    [reject] = hostile.rejects_of("json-feed-nested")
    assert (reject["reason"], reject["detail"]) == ("feed_unparseable", "JSON nested too deeply")


def test_the_hostile_crawl_stays_quick(hostile: Outcome) -> None:
    assert hostile.seconds < 90


# -- faults that need a process of their own ---------------------------------------------------
#: Runs the real CLI after ``{prelude}``, writing the process's peak RSS (KiB) to $FAULTS_MAXRSS.
_WRAPPER = """\
import atexit, os, resource, sys
atexit.register(lambda: open(os.environ["FAULTS_MAXRSS"], "w").write(
    str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
{prelude}
from crawler.cli import main
sys.exit(main(sys.argv[1:]))
"""
#: Measured: a plain one-feed crawl peaks at ~230 MiB, this bomb run at ~240-315 MiB on a quiet
#: machine and once 556 MiB in a CI run at load ~8 (more of the bodies buffered while the
#: reactor waits), and the same run with DOWNLOAD_MAXSIZE = 0 (no cap) at ~2.2 GiB. One bomb
#: inflated once is 200 MiB. The bound sits between the loaded figure and the uncapped one.
MAX_RSS_KIB = 1024 * 1024


def run_wrapped(folder: Path, args: list[str], prelude: str = "",
                env: dict[str, str] | None = None) -> tuple[Run, int]:
    """The CLI in a subprocess like :func:`run_cli`, plus its peak memory in KiB."""
    rss_file = folder / "maxrss"
    full_env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1",
                "FAULTS_MAXRSS": str(rss_file), **(env or {})}
    proc = subprocess.run([sys.executable, "-c", _WRAPPER.format(prelude=prelude), *args],
                          cwd=folder, env=full_env, capture_output=True, text=True,
                          timeout=240, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr), int(rss_file.read_text())


def crawl_args(folder: Path, sources: Path) -> list[str]:
    return ["crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
            "--state-dir", str(folder / "state")]


def one_source_each(site: FixtureSite, folder: Path, paths: dict[str, str]) -> Path:
    serve_articles(site, list(paths))
    return write_sources(folder, {name: ("feed", site.url(p)) for name, p in paths.items()})


def plain_feed(site: FixtureSite, name: str, count: int = 2) -> str:
    return _feed(site, name, Route(200, rss(site, name, titles(count, name)),
                                   {"Content-Type": RSS}))


def test_a_decompression_bomb_is_refused_by_the_size_cap(fresh_site: FixtureSite,
                                                         tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/bomb-feed/feed"] = gzip_bomb(200 * 1024 * 1024)
    site.routes["/bomb-article/a0.html"] = gzip_bomb(200 * 1024 * 1024, content_type=HTML)
    site.routes["/oversize/feed"] = Route(200, b" " * (17 * 1024 * 1024), {"Content-Type": RSS})
    sources = one_source_each(site, tmp_path, {"bomb-feed": "/bomb-feed/feed",
                                               "bomb-article": plain_feed(site, "bomb-article"),
                                               "oversize": "/oversize/feed"})
    run, max_rss = run_wrapped(tmp_path, crawl_args(tmp_path, sources))
    assert run.code == 1 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    assert max_rss < MAX_RSS_KIB, f"peak RSS {max_rss // 1024} MiB"
    by_source = {r["source"]: r for r in rejects_under(tmp_path / "out")}
    assert by_source["bomb-feed"]["reason"] == "download_error"
    assert "DOWNLOAD_MAXSIZE" in by_source["bomb-feed"]["detail"]
    assert by_source["oversize"]["reason"] == "download_error"
    assert "max size" in by_source["oversize"]["detail"]
    pages = {r["url"].rsplit("/", 1)[-1]: r for r in records_under(tmp_path / "out")
             if r["source"] == "bomb-article"}
    assert "DOWNLOAD_MAXSIZE" in pages["a0.html"]["page_error"]
    assert pages["a1.html"]["page_error"] is None


def test_a_slow_drip_times_out_and_is_retried(fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    body = rss(site, "drip-feed", titles(2, "drip-feed"))
    site.routes["/drip-feed/feed"] = Route(200, body, {"Content-Type": RSS}, drip=1.0)
    site.routes["/drip-article/a0.html"] = replace(page("Dripping page"), drip=1.0)
    sources = one_source_each(site, tmp_path, {"drip-feed": "/drip-feed/feed",
                                               "drip-article": plain_feed(site, "drip-article")})
    # The CLI has no -s; `scrapy crawl` does. 2 s instead of the 30 s DOWNLOAD_TIMEOUT.
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    settings = {"DOWNLOAD_TIMEOUT": "2", "POLICYWIRE_OUTPUT_DIR": str(tmp_path / "out"),
                "POLICYWIRE_STATE_DIR": str(tmp_path / "state"),
                "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1", "LOG_LEVEL": "WARNING"}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "policywire", "-a", f"sources={sources}",
         *[arg for k, v in settings.items() for arg in ("-s", f"{k}={v}")]],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and tracebacks(proc.stderr) == [], proc.stderr[-3000:]
    assert time.monotonic() - started < 60
    [reject] = rejects_under(tmp_path / "out")
    assert (reject["source"], reject["reason"]) == ("drip-feed", "download_error")
    assert "took longer than 2.0 seconds" in reject["detail"]
    assert site.hits["/drip-feed/feed"] == ATTEMPTS
    pages = {r["url"].rsplit("/", 1)[-1]: r for r in records_under(tmp_path / "out")}
    assert "took longer than 2.0 seconds" in pages["a0.html"]["page_error"]
    assert site.hits["/drip-article/a0.html"] == ATTEMPTS
    assert pages["a1.html"]["page_error"] is None


@dataclass
class Throttled:
    site: FixtureSite
    folder: Path
    first: Run
    hits_after_first: dict[str, int]
    second: Run
    checked_at: tuple[float, float]

    def next_check(self, source: str, path: str) -> float | None:
        store = StateStore(self.folder / "state")
        try:
            state = store.feed_state(source, self.site.url(path))
        finally:
            store.close()
        return state.next_check if state else None


@pytest.fixture(scope="module")
def throttled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Throttled]:
    """A feed answering 429 with Retry-After: 3600, directly and behind a 301; crawled twice."""
    site, server = serve(SITE)
    try:
        too_many = Route(429, b"slow down", {"Content-Type": "text/plain", "Retry-After": "3600"})
        site.routes["/throttled/feed"] = too_many
        site.routes["/throttled-moved/feed"] = redirect(site.url("/throttled-moved/cdn"), 301)
        site.routes["/throttled-moved/cdn"] = too_many
        folder = tmp_path_factory.mktemp("throttled")
        sources = one_source_each(site, folder, {"throttled": "/throttled/feed",
                                                 "throttled-moved": "/throttled-moved/feed"})
        before = time.time()
        first = crawl(folder, sources)
        after = time.time()
        hits = dict(site.hits)
        second = crawl(folder, sources)
        yield Throttled(site, folder, first, hits, second, (before, after))
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("name", "last_hop"), [
    ("throttled", "/throttled/feed"),
    ("throttled-moved", "/throttled-moved/cdn"),
])
def test_a_429_defers_the_feed_until_retry_after_without_a_reject(
    throttled: Throttled, name: str, last_hop: str
) -> None:
    # Before: an http_error reject each, and a failed run (exit 1).
    assert throttled.first.code == 0 and tracebacks(throttled.first.stderr) == []
    assert [r for r in rejects_under(throttled.folder / "out") if r["source"] == name] == []
    assert f"{name}: deferred until" in throttled.first.stderr
    before, after = throttled.checked_at
    next_check = throttled.next_check(name, f"/{name}/feed")  # the source's own URL
    assert next_check is not None and before + 3600 <= next_check <= after + 3600
    assert throttled.hits_after_first[last_hop] == 1  # no immediate retries against the wish
    assert tracebacks(throttled.second.stderr) == []
    assert throttled.site.hits[last_hop] == 1  # the second crawl left the feed alone
    second = last_run(throttled.folder)
    assert name not in second["sources"]
    assert second["deferred"][name]["why"] == "retry-after"


def test_with_the_guard_on_a_loopback_feed_is_refused_before_any_request(
    fresh_site: FixtureSite, tmp_path: Path
) -> None:
    fresh_site.routes["/guarded/feed"] = redirect("http://10.1.2.3/feed.rss")
    sources = write_sources(tmp_path, {"guarded": ("feed", fresh_site.url("/guarded/feed"))})
    run = crawl(tmp_path, sources, env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "0"})
    assert run.code == 1 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    [reject] = rejects_under(tmp_path / "out")
    assert reject["reason"] == "private_address" and "loopback" in reject["detail"]
    assert fresh_site.hits == {}


#: Lets the SSRF guard pass the fixture server (127.0.0.1) and judge every other address.
_TRUST_THE_FIXTURE = """\
import crawler.middlewares as guard
_refusal = guard.refusal
guard.refusal = lambda host: None if host == "127.0.0.1" else _refusal(host)
"""


def test_a_redirect_to_a_private_address_is_refused(fresh_site: FixtureSite,
                                                    tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/to-private/feed"] = redirect("http://10.255.255.1/feed.rss")
    site.routes["/to-metadata/a0.html"] = redirect("http://169.254.169.254/latest/meta-data/")
    sources = one_source_each(site, tmp_path, {"to-private": "/to-private/feed",
                                               "to-metadata": plain_feed(site, "to-metadata")})
    run, _ = run_wrapped(tmp_path, crawl_args(tmp_path, sources), prelude=_TRUST_THE_FIXTURE,
                         env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "0"})
    assert run.code == 1 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    [reject] = rejects_under(tmp_path / "out")
    assert (reject["source"], reject["reason"]) == ("to-private", "private_address")
    assert "10.255.255.1 is a private address" in reject["detail"]
    pages = {r["url"].rsplit("/", 1)[-1]: r for r in records_under(tmp_path / "out")}
    assert pages["a0.html"]["page_error"].startswith("private_address")
    assert "169.254.169.254" in pages["a0.html"]["page_error"]
    assert pages["a1.html"]["page_error"] is None


# -- a full disk -------------------------------------------------------------------------------
@dataclass
class FullDisk:
    first: Run
    seen_after_first: int
    pending_after_first: int
    second: Run
    good: Path


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullDisk]:
    """``scrape -o /dev/full``, then the same scrape (same state) to a good file. A device is
    refused up front since scrape writes only files it can cut back (tests/cli/test_outputs.py);
    before, this run met ENOSPC at its delivery (exit 74), and ``-o /dev/null`` EINVAL at its
    fsync. A disk filling up mid-run: ``test_a_crawl_onto_a_full_filesystem_fails_cleanly``."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    site, server = serve(SITE)
    try:
        url = site.url(plain_feed(site, "disk", count=3))
        serve_articles(site, ["disk"])
        folder = tmp_path_factory.mktemp("full-disk")
        common = ["--state-dir", str(folder / "state"), "--output-dir", str(folder / "out")]
        first = run_cli("scrape", url, "-o", "/dev/full", *common, cwd=folder)
        store = StateStore(folder / "state")
        seen, pending = store.count_entries(), len(store.pending_deliveries())
        store.close()
        good = folder / "good.jsonl"
        second = run_cli("scrape", url, "-o", str(good), *common, cwd=folder)
        yield FullDisk(first, seen, pending, second, good)
    finally:
        server.shutdown()
        server.server_close()


def test_a_full_device_is_one_clear_error_line(full_disk: FullDisk) -> None:
    assert full_disk.first.code == 2  # EX_USAGE-like: refused before any request
    assert tracebacks(full_disk.first.stderr) == []
    [line] = full_disk.first.stderr.strip().splitlines()
    assert "a device or pipe" in line and "/dev/full" in line


def test_a_full_disk_does_not_advance_the_state(full_disk: FullDisk) -> None:
    assert (full_disk.seen_after_first, full_disk.pending_after_first) == (0, 0)
    assert full_disk.second.code == 0, full_disk.second.stderr[-3000:]
    assert len(read_jsonl(full_disk.good)) == 3


def _can_mount_tmpfs(folder: Path) -> str | None:
    """Why a private tmpfs cannot be mounted here (``None`` when it can)."""
    if shutil.which("unshare") is None:
        return "no unshare(1)"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=64k none "$0"',
                            str(folder)], capture_output=True, text=True, check=False)
    return None if probe.returncode == 0 else f"cannot mount a tmpfs: {probe.stderr.strip()}"


def test_a_crawl_onto_a_full_filesystem_fails_cleanly(fresh_site: FixtureSite,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    why_not = _can_mount_tmpfs(out)
    if why_not:
        pytest.skip(why_not)
    sources = one_source_each(fresh_site, tmp_path, {"disk": plain_feed(fresh_site, "disk")})
    # A private mount namespace: the 64 KiB tmpfs is filled, then the crawl writes into it.
    script = ('mount -t tmpfs -o size=64k none "$0" && '
              '{ cat /dev/zero > "$0/filler" 2>/dev/null; true; } && exec "$@"')
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, str(out), sys.executable, "-m", "crawler.cli",
         *crawl_args(tmp_path, sources)],
        cwd=tmp_path, env={**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"},
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 74 and tracebacks(proc.stderr) == [], proc.stderr[-3000:]
    [line] = proc.stderr.strip().splitlines()
    assert "No space left on device" in line and str(out) in line
    store = StateStore(tmp_path / "state")
    try:
        assert (store.count_entries(), store.pending_deliveries()) == (0, [])
    finally:
        store.close()


# -- the SSRF guard on names and behind a proxy -------------------------------------------------
def _guarded_rejects(folder: Path, sources: Path, env: dict[str, str]) -> dict[str, str]:
    """Crawl with the SSRF guard on; each source's one reject's detail (it starts with the
    reason)."""
    run = crawl(folder, sources, env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "0", **env})
    assert run.code == 1 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    rejects = rejects_under(folder / "out")
    assert len(rejects) == len({r["source"] for r in rejects}), rejects
    assert {r["reason"] for r in rejects} == {"private_address"}, rejects
    return {r["source"]: r["detail"] for r in rejects}


def test_a_name_resolving_to_a_private_address_is_refused_naming_both(
    fresh_site: FixtureSite, tmp_path: Path
) -> None:
    port = fresh_site.base.rsplit(":", 1)[1]
    sources = write_sources(tmp_path, {
        "named": ("feed", f"http://localhost:{port}/feed"),
        "decimal": ("feed", f"http://2130706433:{port}/feed"),
        "short": ("feed", f"http://127.1:{port}/feed"),
    })
    rejects = _guarded_rejects(tmp_path, sources, {})
    # Before: download_error "DNS lookup failed: no results" (the resolver dropped the answer).
    assert rejects == {
        "named": "private_address: refused: localhost resolves to 127.0.0.1, a loopback "
                 "address (see --allow-private-addresses)",
        "decimal": "private_address: refused: 2130706433 is 127.0.0.1, a loopback address "
                   "(see --allow-private-addresses)",
        "short": "private_address: refused: 127.1 is 127.0.0.1, a loopback address "
                 "(see --allow-private-addresses)",
    }
    assert fresh_site.hits == {}


def test_a_proxy_receives_nothing_the_guard_refuses(fresh_site: FixtureSite,
                                                    tmp_path: Path) -> None:
    # The fixture server is the "proxy": it records every request line it receives.
    proxy = fresh_site.base
    sources = write_sources(tmp_path, {
        "metadata": ("feed", "http://metadata.google.internal/computeMetadata/v1/"),
        "decimal": ("feed", "http://2130706433/feed"),
        "redis": ("feed", "http://127.1:6379/feed"),
        "named": ("feed", "http://localhost:6379/feed"),
    })
    no_bypass = {"no_proxy": "", "NO_PROXY": ""}
    rejects = _guarded_rejects(tmp_path, sources,
                               {"http_proxy": proxy, "HTTP_PROXY": proxy, **no_bypass})
    assert fresh_site.hits == {}, "the proxy was sent a refused target"
    assert set(rejects) == {"metadata", "decimal", "redis", "named"}
    assert "metadata.google.internal does not resolve here" in rejects["metadata"]
    assert "127.1 is 127.0.0.1, a loopback address" in rejects["redis"]


def test_a_proxy_on_a_private_address_still_carries_public_targets(fresh_site: FixtureSite,
                                                                   tmp_path: Path) -> None:
    # A public address, through the "proxy" (which answers for it: nothing leaves the host).
    public = "http://93.184.215.14"
    fresh_site.routes[f"{public}/feed.rss"] = Route(200, rss(fresh_site, "px", ["Talks resume"]),
                                                    {"Content-Type": RSS})
    sources = write_sources(tmp_path, {"proxied": ("feed", f"{public}/feed.rss")})
    proxy = fresh_site.base
    run = crawl(tmp_path, sources, env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "0",
                                        "http_proxy": proxy, "HTTP_PROXY": proxy,
                                        "no_proxy": "", "NO_PROXY": ""})
    assert run.code == 0 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    # Before: the guard refused the proxy's own loopback address ("DNS lookup failed").
    assert fresh_site.hits.get(f"{public}/feed.rss") == 1
    # Its entry links to the loopback fixture: that target is still refused.
    [record] = records_under(tmp_path / "out")
    assert record["title"] == "Talks resume" and record["page_error"].startswith("private_addr")


# -- a damaged or read-only state --------------------------------------------------------------
def _used_state(state_dir: Path) -> Path:
    """A state database as a crawl leaves it: schema, parameters, a seen entry."""
    store = StateStore(state_dir)
    store.set_params_fingerprint(DedupParams().fingerprint())
    store.mark_seen([SeenRow("x", "h", 1, "https://x.invalid/a", "x")], "2026-12-01T00:00:00Z")
    store.close()
    return state_dir / "state.sqlite3"


def _damaged_meta_page(db: Path) -> None:
    """Overwrite the b-tree header of the page holding the ``meta`` table."""
    connection = sqlite3.connect(db)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'meta'")
    connection.close()
    with db.open("r+b") as handle:
        handle.seek((root[0] - 1) * page_size)
        handle.write(b"\xff" * 100)


STATE_DAMAGE: dict[str, Callable[[Path], Any]] = {
    "empty": lambda db: db.write_bytes(b""),  # before: taken as new, every entry written again
    "garbage header": lambda db: db.write_bytes(b"garbage garbage!" + db.read_bytes()[16:]),
    "truncated": lambda db: db.write_bytes(db.read_bytes()[:1000]),
    "damaged meta page": _damaged_meta_page,  # before: a raw traceback
}


@pytest.mark.parametrize("damage", STATE_DAMAGE)
def test_a_damaged_state_stops_the_crawl_before_any_fetch(fresh_site: FixtureSite,
                                                          tmp_path: Path, damage: str) -> None:
    db = _used_state(tmp_path / "state")
    STATE_DAMAGE[damage](db)
    sources = one_source_each(fresh_site, tmp_path, {"state": plain_feed(fresh_site, "state")})
    run = crawl(tmp_path, sources)
    assert (run.code, fresh_site.hits) == (65, {}), run.stderr[-3000:]
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"policywire: {db}: the state database is") and "move it away" in line


def test_a_read_only_state_stops_the_crawl_before_any_fetch(fresh_site: FixtureSite) -> None:
    # Before: found only at the merge stage, after every page was downloaded (a traceback).
    as_another_user: list[str] = []
    if os.geteuid() == 0:  # root writes a read-only file: the crawl runs as nobody
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv(1)")
        as_another_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    with tempfile.TemporaryDirectory() as name:  # pytest's tmp_path is closed to others
        folder = Path(name)
        db = _used_state(folder / "state")
        db.chmod(0o444)
        (folder / "out").mkdir()
        for writable in (folder, folder / "state", folder / "out"):
            writable.chmod(0o777)
        sources = one_source_each(fresh_site, folder,
                                  {"state": plain_feed(fresh_site, "state", count=30)})
        proc = subprocess.run(
            [*as_another_user, sys.executable, "-m", "crawler.cli", *crawl_args(folder, sources)],
            cwd=folder, env={**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"},
            capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, fresh_site.hits) == (74, {}), proc.stderr[-3000:]
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith(f"policywire: {db}: cannot write the state database"), line


# -- deeply nested JSON ------------------------------------------------------------------------
def _nested_line(row: dict[str, Any], depth: int) -> bytes:
    """``row`` as a JSON line with one more key holding ``depth`` nested arrays."""
    return msgspec.json.encode(row)[:-1] + b',"extra":' + b"[" * depth + b"]" * depth + b"}\n"


def _record(n: int) -> dict[str, Any]:
    return msgspec.to_builtins(Record(
        id=f"r{n}", url=f"https://a.example/{n}", source="a", title=f"Headline number {n}",
        title_raw=f"Headline number {n}", fetched_at="2026-12-01T00:00:00Z",
        published="2026-12-01T00:00:00Z", content_hash=f"h{n}", story_id=f"s{n}"))


def test_a_deeply_nested_line_is_one_dedup_reject(tmp_path: Path) -> None:
    # Before: 500 levels failed the hand-off to dedup's worker (pickling) with a traceback.
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [_record(1), _record(2), _record(3)]
    source.write_bytes(msgspec.json.encode(rows[0]) + b"\n" + _nested_line(rows[1], 500)
                       + msgspec.json.encode(rows[2]) + b"\n")
    run = run_cli("dedup", str(source), "-o", str(out), cwd=tmp_path)
    assert run.code == 0 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    assert [row["id"] for row in read_jsonl(out)] == ["r1", "r3"]
    assert read_jsonl(tmp_path / "out.rejects.jsonl") == [
        {"line": 2, "reason": "invalid_line", "detail": "JSON nested deeper than 100 levels"}]


@pytest.mark.parametrize(("read", "command"), [
    ("directory", ("export", "--format", "csv")), ("directory", ("stories",)),
    ("directory", ("report", "-o", "report.html")),
    ("file", ("export", "--format", "csv")), ("file", ("stories",))])  # report: directories
def test_a_deeply_nested_line_stops_a_reader_naming_file_and_line(
        tmp_path: Path, read: str, command: tuple[str, ...]) -> None:
    # Before: 5,000 levels ended every reader in a RecursionError traceback.
    path = tmp_path / "out" / "2026/12/01/records-run1.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(msgspec.json.encode(_record(1)) + b"\n" + _nested_line(_record(2), 5000)
                     + msgspec.json.encode(_record(3)) + b"\n")
    where = tmp_path / "out" if read == "directory" else path
    run = run_cli(command[0], str(where), *command[1:], cwd=tmp_path)
    assert run.code == 65 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    assert run.stderr == f"policywire: {path}:2: JSON nested deeper than 100 levels\n"


# -- a huge line for dedup ---------------------------------------------------------------------
#: Runs the CLI and prints the peak RSS (KiB) of its process tree: dedup prepares in a worker.
_TREE_PEAK = """\
import resource, subprocess, sys
code = subprocess.call([sys.executable, "-m", "crawler.cli", *sys.argv[1:]])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""
_SHORT_ROWS = [{"url": "https://b.example/2", "title": "Defence ministers meet in Brussels",
                "text": "A short body."}]


def _dedup_peak(folder: Path, rows: bytes, *options: str) -> tuple[Run, int]:
    """``policywire dedup`` of ``rows`` (and the short rows after them): its run, and its
    peak memory in bytes."""
    source = folder / "in.jsonl"
    source.write_bytes(rows + b"".join(msgspec.json.encode(r) + b"\n" for r in _SHORT_ROWS))
    proc = subprocess.run([sys.executable, "-c", _TREE_PEAK, "dedup", str(source), "-o",
                           str(folder / "out.jsonl"), *options], cwd=folder, capture_output=True,
                          text=True, timeout=120, check=False)
    *_, peak = proc.stdout.split()
    return Run(proc.returncode, proc.stdout, proc.stderr), int(peak) * 1024


def _huge_line(size: int) -> bytes:
    words = "Verhandlungen über Abrüstung in Genf "
    body = words * (size // len(words.encode()))
    return msgspec.json.encode({"url": "https://a.example/1", "text": body,
                                "title": "Arms control talks resume in Geneva"}) + b"\n"


def test_a_12_mb_body_is_matched_by_its_prefix_in_bounded_memory(tmp_path: Path) -> None:
    # Before: the whole body was split into words; 20 MB peaked at 1.4 GB, 200 MB at 14 GB.
    _, baseline = _dedup_peak(tmp_path, b"")
    line = _huge_line(12 * 1024 * 1024)
    run, peak = _dedup_peak(tmp_path, line)
    assert run.code == 0 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    assert [r["url"] for r in read_jsonl(tmp_path / "out.jsonl")] == [
        "https://a.example/1", "https://b.example/2"]
    # Measured: ~46 MB over the baseline (the line's bytes, its row, its way to the worker
    # and back out); before, ~750 MB.
    assert peak - baseline < 8 * len(line), (peak, baseline)


def test_a_line_over_the_limit_is_a_reject_and_never_read_whole(tmp_path: Path) -> None:
    _, baseline = _dedup_peak(tmp_path, b"")
    line = _huge_line(20 * 1024 * 1024)
    run, peak = _dedup_peak(tmp_path, line, "--max-line-bytes", str(1024 * 1024))
    assert run.code == 0 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    assert [r["url"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["https://b.example/2"]
    assert read_jsonl(tmp_path / "out.rejects.jsonl") == [{
        "line": 1, "reason": "invalid_line",
        "detail": f"line of {len(line) - 1:,} bytes, over the limit of 1,048,576"}]
    assert peak - baseline < 8 * 1024 * 1024, (peak, baseline)  # the line held: 20 MB or more


def test_a_4_mb_date_is_unreadable_unparsed_and_logged_short(tmp_path: Path) -> None:
    # Before: dateutil parsed it (6 s, 120 MB; a 16 MB one 23 s, 450 MB) and the warning
    # quoted all 4 MB of it.
    row = {"url": "https://a.example/1", "title": "Arms control talks resume in Geneva",
           "published": "Sat 07 Nov 2026 " * 250_000}
    run, _ = _dedup_peak(tmp_path, msgspec.json.encode(row) + b"\n")
    assert run.code == 0 and tracebacks(run.stderr) == [], run.stderr[-3000:]
    assert '"unreadable_dates": 1' in run.stderr and len(run.stderr) < 2000
    assert "line 1: 'Sat 07 Nov 2026 Sat 07 Nov" in run.stderr
