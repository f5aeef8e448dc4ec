"""A feed far larger than any real one: its newest ``max_entries`` are taken, the rest counted.

End to end against the loopback site: the real ``policywire crawl`` twice over a generated feed.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from crawler.feedcap import trim
from crawler.feeds import newest, parse_feed
from crawler.models import Entry
from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route, big_feed
from tests.test_crawl_e2e import scrapy_crawl

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


def test_the_cap_is_applied_where_the_feed_is_parsed_so_little_crosses_processes() -> None:
    # The extraction worker parses the feed and pickles what it returns to the crawl's
    # process: before, every parsed entry (a 100,000-entry feed: all of them) went across and
    # was held there, and the crawl applied max_entries only then.
    count = 5_000
    body = big_feed("http://127.0.0.1:9", count).body.replace(  # the oldest and the newest
        b"<guid>big-0</guid>", b"<guid>same</guid>").replace(      # share a guid
        f"<guid>big-{count - 1}</guid>".encode(), b"<guid>same</guid>")
    parsed = parse_feed(body, "http://127.0.0.1:9/big.rss", max_entries=CAP)
    assert (len(parsed.entries), parsed.capped) == (CAP, count - CAP)
    assert [e.link for e in parsed.entries] == [
        f"http://127.0.0.1:9/big/{n}.html" for n in range(count - CAP, count)]
    # Counted over the whole feed, as before: the newest entry's guid names two entries.
    same = parsed.entries[-1].guid
    assert same is not None and same.endswith("same") and parsed.repeated_guids == {same}
    assert len(pickle.dumps(parsed)) < 4_000  # all 5,000 entries: ~1 MB
    whole = parse_feed(body, "http://127.0.0.1:9/big.rss")
    assert (len(whole.entries), whole.capped, whole.repeated_guids) == (count, 0, {same})


# Entries dated as feeds date them (RSS pubDate, dc:date, Atom published/updated/issued/
# modified, dcterms), some undated, some sharing a guid, out of order.
_DATES = ["<pubDate>Mon, 0{d} Dec 2026 10:{m:02d}:00 GMT</pubDate>",
          "<dc:date>2026-12-0{d}T11:{m:02d}:00Z</dc:date>", "",
          "<pubDate>  </pubDate><dcterms:created>2026-12-0{d}T09:{m:02d}:00Z</dcterms:created>",
          "<dcterms:modified>2026-12-0{d}T08:{m:02d}:00+02:00</dcterms:modified>"]
_ATOM_DATES = ["<published>2026-12-0{d}T10:{m:02d}:00Z</published>",
               "<updated>2026-12-0{d}T11:{m:02d}:00Z</updated>", "",
               "<issued>2026-12-0{d}T09:{m:02d}:00Z</issued>",
               "<modified>2026-12-0{d}T08:{m:02d}:00Z</modified>"]


def _mixed_feed(atom: bool, count: int) -> bytes:
    """A feed of ``count`` entries dated as :data:`_DATES` (:data:`_ATOM_DATES`) date them."""
    def date(n: int) -> str:
        return (_ATOM_DATES if atom else _DATES)[n % 5].format(d=1 + n * 7 % 9, m=n * 13 % 60)
    if atom:
        entries = "".join(
            f"<entry><title>Talks {n}</title><link href='/a/{n}'/><id>tag:x,{n % 97}</id>"
            f"{date(n)}</entry>" for n in range(count))
        return (f'<?xml version="1.0" encoding="iso-8859-1"?><feed xmlns="http://www.w3.org/'
                f'2005/Atom"><title>Caf\xe9</title>{entries}</feed>').encode("latin-1")
    items = "".join(f"<item><title>Talks {n} &amp; more</title><link>/a/{n}</link>"
                    f"<guid isPermaLink='false'>g{n % 97}</guid>{date(n)}</item>"
                    for n in range(count))
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/'
            '1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>t</title>'
            f"<ttl>60</ttl>{items}</channel></rss>").encode()


def test_a_feed_cut_before_parsing_gives_what_the_whole_feed_gave() -> None:
    # crawler.feedcap reads dates and guids with lxml and leaves feedparser the newest
    # entries only: the same entries, the same guids counted twice, the same feed fields.
    # The charset a server names wins over the document's own, for lxml as for feedparser.
    cp1252 = _mixed_feed(False, 600).replace(b'<?xml version="1.0"?>', b"").replace(
        b"<title>t</title>", "<title>Sécurité – €</title>".encode("cp1252"))
    # An entity XML does not define: ill-formed, so read whole (lxml's recovery lost text).
    nbsp = _mixed_feed(False, 600).replace(b"&amp; more", b"&nbsp;&amp; more")
    for body, ctype in ((_mixed_feed(False, 600), "application/rss+xml"),
                        (nbsp, "application/rss+xml"),
                        (_mixed_feed(True, 600), "application/atom+xml; charset=iso-8859-1"),
                        (cp1252, "application/rss+xml; charset=windows-1252")):
        whole = parse_feed(body, "http://127.0.0.1:9/f.xml", ctype)
        cut = parse_feed(body, "http://127.0.0.1:9/f.xml", ctype, max_entries=50)
        taken, capped = newest(whole.entries, 50)
        assert (cut.entries, cut.capped) == (taken, capped) and capped == 550
        assert cut.repeated_guids == {e.guid for e in taken if e.guid in whole.repeated_guids}
        assert len(cut.repeated_guids) > 10
        assert (cut.title, cut.ttl_minutes, cut.format) == (
            whole.title, whole.ttl_minutes, whole.format)
    assert whole.title == "Sécurité – €"
    first = parse_feed(nbsp, "http://127.0.0.1:9/f.xml", max_entries=50).entries[0]
    assert first.title is not None and first.title.endswith("\xa0& more")


def test_a_16_mib_feed_of_small_entries_is_read_within_seconds(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # 150,000 entries in 14 MiB, under the 16 MiB a response may carry: feedparser alone
    # took 30-60 s of CPU (~0.2 ms an entry), up to the parse time limit's whole 60 s, for
    # the 1,000 entries kept. Here the limit is 10 s: before, an extract_timeout reject.
    count = 150_000
    items = "".join(f"<item><title>t{n}</title><link>/s/{n}</link><pubDate>"
                    f"{1 + n // 86400:02d} Dec 2026 {n // 3600 % 24:02d}:{n // 60 % 60:02d}:"
                    f"{n % 60:02d} GMT</pubDate></item>" for n in range(count))
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    assert 14 * 2**20 < len(body) < 16 * 2**20
    fresh_site.routes["/small.rss"] = Route(200, body, {"Content-Type": "application/rss+xml"})
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "small"\nurl = "{fresh_site.url("/small.rss")}"\n'
                       f'kind = "feed"\nmax_entries = {CAP}\n', encoding="utf-8")
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"sources={sources}",
                       "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1",
                       "-s", "POLICYWIRE_EXTRACT_WORKERS=1", "-s", "POLICYWIRE_EXTRACT_TIMEOUT=10")
    assert "Traceback" not in run.stderr, run.stderr
    assert [r["reason"] for r in rejects_under(tmp_path / "out")] == []
    records = records_under(tmp_path / "out")
    assert sorted(r["url"] for r in records) == sorted(
        f"{fresh_site.base}/s/{n}" for n in range(count - CAP, count))
    assert read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["sources"]["small"]["capped"] == (
        count - CAP)


def _dated_items(dates: str, extra: str = "") -> str:
    return "".join(f"<item><link>http://x.example/{n}</link><guid>g{n}</guid>"
                   + dates.format(n=n, m=9 - n) + extra + "</item>" for n in (5, 1, 7, 3))


def test_the_cut_reads_each_entry_s_date_as_feedparser_does() -> None:
    # The cut chose by dates feedparser does not read (before: the two newest entries lost,
    # two older kept): an element of another namespace by its local name ("<foo:date>"),
    # the first of two elements feedparser saves under one key where it keeps the last, the
    # text before a comment, a date holding an entity the feed's DTD declares.
    rss = ('<?xml version="1.0"?>{dtd}<rss version="2.0" xmlns:foo="http://foo.example/">'
           "<channel><title>t</title>{items}</channel></rss>")
    bodies = [
        rss.format(dtd="", items=_dated_items("<foo:date>2026-12-0{n}</foo:date>")),
        rss.format(dtd="", items=_dated_items(
            "<foo:pubDate>2026-12-0{m}</foo:pubDate><pubDate>2026-12-0{n}</pubDate>")),
        rss.format(dtd="", items=_dated_items(
            "<pubDate>2026-12-0{m}</pubDate><published>2026-12-0{n}</published>")),
        rss.format(dtd="", items=_dated_items("<pubDate><!-- c -->2026-12-0{n}</pubDate>")),
        rss.format(dtd='<!DOCTYPE rss [<!ENTITY y "2026">]>',
                   items=_dated_items("<pubDate>&y;-12-0{n}</pubDate>")),
    ]
    for body in bodies:
        whole = parse_feed(body.encode(), "http://x.example/f.xml", "application/rss+xml")
        cut = parse_feed(body.encode(), "http://x.example/f.xml", "application/rss+xml",
                         max_entries=2)
        assert cut.entries == newest(whole.entries, 2)[0], body


def test_a_prefixed_atom_feed_over_its_cap_is_cut_before_feedparser_reads_it() -> None:
    # "<a:entry>" opens no "<entry" nor ":item": the pre-count saw no entry and left the
    # whole feed to feedparser (right entries, the slow way the cut exists to avoid).
    entries = "".join(f"<a:entry><a:id>urn:e{n}</a:id><a:title>t{n}</a:title>"
                      f"<a:updated>2026-12-{1 + n % 28:02d}T00:00:{n % 60:02d}Z</a:updated>"
                      "</a:entry>" for n in range(200))
    body = ('<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom">'
            f"<a:title>t</a:title>{entries}</a:feed>").encode()
    trimmed = trim(body, 20)
    assert trimmed is not None and trimmed.capped == 180
    whole = parse_feed(body, "http://x.example/f.xml", "application/atom+xml")
    cut = parse_feed(body, "http://x.example/f.xml", "application/atom+xml", max_entries=20)
    assert len(whole.entries) == 200 and cut.entries == newest(whole.entries, 20)[0]
