"""A page's declared charset is believed only where a browser would believe it.

Scrapy decodes a page with whatever Python codec its ``Content-Type`` or ``<meta>`` names.
``punycode`` decodes in quadratic time on the reactor thread, outside the extraction's CPU
limit; ``undefined``, ``idna`` and ``hex`` raise; a ``<meta charset="utf-16">`` over ASCII
markup turns every two bytes into one CJK character. Each is read as a page that declares
no charset (crawler/charsets.py), as browsers read it.
"""

from __future__ import annotations

import time
from pathlib import Path

from scrapy.http import HtmlResponse, Request

from crawler.middlewares import DeclaredCharsetMiddleware
from tests.conftest import records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route, feed_source

SENTENCE = "The delegations met again on Tuesday to discuss the arms control treaty. "


def _page(title: str, head: str = "", body: str = "") -> bytes:
    return (f"<html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{SENTENCE * 6}</p>{body}</article></body></html>").encode()


# path -> (Content-Type, body): each declaration a browser would ignore, and one it keeps.
PAGES = {
    "/cs/puny.html": ("text/html; charset=punycode", _page("Talks resume in Geneva")),
    "/cs/undefined.html": ("text/html", _page("Envoys meet in Vienna",
                                              '<meta charset="undefined">')),
    "/cs/idna.html": ("text/html", _page("Summit ends in Oslo", '<meta charset="idna">')),
    "/cs/hex.html": ("text/html; charset=hex", _page("Ministers sign in Rome")),
    "/cs/utf16.html": ("text/html", _page("Treaty talks in Bern", '<meta charset="utf-16">')),
    "/cs/meta.html": ("text/html; charset=punycode",
                      _page("Ausschuss tagt", '<meta charset="utf-8">',
                            "<p>Der Ausschuss tagte am Dienstag in Köln.</p>")),
}


def test_a_page_declaring_a_charset_no_browser_knows_is_read_as_undeclared(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    for path, (ctype, body) in PAGES.items():
        site.routes[path] = Route(200, body, {"Content-Type": ctype})
    items = "".join(f"<item><title>Entry {n}</title><link>{site.url(path)}</link></item>"
                    for n, path in enumerate(PAGES))
    feed_source(site, tmp_path, "/cs/feed.rss", items)
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    records = records_under(tmp_path / "output")
    assert len(records) == len(PAGES) and not rejects_under(tmp_path / "output")
    by_url = {r["url"]: r for r in records}
    for path in PAGES:  # the feed's title wins; the page gives the text
        record = by_url[site.url(path)]
        assert record["page_error"] is None and SENTENCE.strip() in record["text"], record
    assert "in Köln." in by_url[site.url("/cs/meta.html")]["text"]  # the <meta>'s UTF-8


def test_a_page_source_declaring_an_undecodable_charset_is_a_record(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/cs/page.html"] = Route(
        200, _page("Envoys meet in Vienna", '<meta charset="undefined">'),
        {"Content-Type": "text/html"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "ministry"\nurl = "{site.url("/cs/page.html")}"\n'
        'kind = "auto"\n', encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    [record] = records_under(tmp_path / "output")
    assert record["title"] == "Envoys meet in Vienna" and SENTENCE.strip() in record["text"]


def test_a_punycode_page_is_not_decoded_in_quadratic_time() -> None:
    # After its last '-', each letter is a digit of punycode's insertions: 400 KB of them took
    # ~5 s of CPU (2 MB minutes, 16 MB hours), on the reactor thread every download waits on.
    body = _page("Talks resume", body=f"<p>Vote counted-{'b' * 400_000}</p>")
    response = HtmlResponse("http://127.0.0.1/a.html", body=body,
                            headers={"Content-Type": "text/html; charset=punycode"})
    started = time.process_time()
    read = DeclaredCharsetMiddleware().process_response(Request(response.url), response)
    assert isinstance(read, HtmlResponse) and read.text == body.decode()
    assert time.process_time() - started < 1.0


def test_a_feed_declaring_a_charset_no_browser_knows_is_read(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # feedparser decodes with the codec named: `undefined` and `punycode` raised, and every
    # entry of the feed was lost to one feed_unparseable reject.
    site = fresh_site
    for page in ("/cs/a.html", "/cs/b.html"):
        site.routes[page] = Route(200, _page("Talks resume"), {"Content-Type": "text/html"})
    item = "<item><title>{}</title><link>{}</link></item>"
    feeds = {
        "/cs/declared.rss": (b'<?xml version="1.0" encoding="undefined"?>',
                             "application/rss+xml", "Ausschuss tagt in Köln", "cp1252"),
        "/cs/header.rss": (b'<?xml version="1.0"?>', "application/rss+xml; charset=punycode",
                           "Envoys meet in Vienna", "utf-8"),
    }
    sources = ""
    for n, (path, (prolog, ctype, title, encoding)) in enumerate(feeds.items()):
        entry = item.format(title, site.url(f"/cs/{'ab'[n]}.html"))
        body = prolog + f'<rss version="2.0"><channel><title>t</title>{entry}' \
            "</channel></rss>".encode(encoding)
        site.routes[path] = Route(200, body, {"Content-Type": ctype})
        sources += f'[[sources]]\nname = "s{n}"\nurl = "{site.url(path)}"\n'
    (tmp_path / "s.toml").write_text(sources, encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert not rejects_under(tmp_path / "output")
    titles = sorted(r["title"] for r in records_under(tmp_path / "output"))
    assert titles == ["Ausschuss tagt in Köln", "Envoys meet in Vienna"]
