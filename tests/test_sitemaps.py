from __future__ import annotations

import pytest

from benchmarks.shared_data import SHARED_DATA
from crawler.sitemaps import is_sitemap, parse_sitemap

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://ex.de/a.html?utm_medium=x</loc>
  <news:news><news:publication><news:name>Ex</news:name><news:language>de</news:language>
  </news:publication><news:publication_date>2026-11-02T07:30:00+01:00</news:publication_date>
  <news:title>Bundeswehr bestellt Patriot-Systeme</news:title></news:news></url>
 <url><loc>https://ex.de/b.html</loc><lastmod>2026-11-01</lastmod></url>
 <url><loc>https://ex.de/sitemap-2026.xml</loc></url>
</urlset>"""


def test_news_sitemap_fields_become_entry_metadata() -> None:
    sitemap = parse_sitemap(NEWS, "https://ex.de/sitemap.xml")
    assert sitemap is not None
    first, second = sitemap.entries
    assert first.link == "https://ex.de/a.html"
    assert (first.title, first.language, first.published) == (
        "Bundeswehr bestellt Patriot-Systeme", "de", "2026-11-02T06:30:00Z")
    assert (second.title, second.published, second.origin) == (None, "2026-11-01T00:00:00Z",
                                                              "sitemap")


def test_child_sitemaps_listed_in_a_urlset_are_followed_not_fetched_as_pages() -> None:
    sitemap = parse_sitemap(NEWS, "https://ex.de/sitemap.xml")
    assert sitemap is not None and sitemap.children == ("https://ex.de/sitemap-2026.xml",)


def test_sitemap_index_lists_children() -> None:
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://ex.de/news.xml</loc></sitemap></sitemapindex>"""
    sitemap = parse_sitemap(body, "https://ex.de/")
    assert sitemap is not None and sitemap.children == ("https://ex.de/news.xml",)
    assert is_sitemap(body)


def test_entity_bomb_does_not_expand() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
    <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
    <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://ex.de/&lol3;</loc></url></urlset>"""
    sitemap = parse_sitemap(bomb, "https://ex.de/")
    assert sitemap is not None and sitemap.entries == ()
    assert sitemap.problem == "refused: the sitemap declares XML entities"


def test_not_a_sitemap() -> None:
    assert parse_sitemap(b"<html><body>hi</body></html>", "https://ex.de/") is None
    assert parse_sitemap(b"", "https://ex.de/") is None


def test_trafilatura_sitemaps_parse() -> None:
    folder = SHARED_DATA / "feeds-and-sitemaps-trafilatura"
    if not folder.is_dir():
        pytest.skip("../shared/data is not beside the repo")
    for name in ("sitemap.xml", "sitemap2.xml", "sitemap-hreflang.xml"):
        sitemap = parse_sitemap((folder / name).read_bytes(), "https://example.org/")
        assert sitemap is not None, name
        assert sitemap.entries or sitemap.children, name


def test_a_url_without_loc_stays_an_entry_without_link() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><lastmod>2026-11-01</lastmod></url><url><loc>https://ex.de/b.html</loc></url></urlset>"""
    sitemap = parse_sitemap(body, "https://ex.de/")
    assert sitemap is not None
    assert [e.link for e in sitemap.entries] == [None, "https://ex.de/b.html"]


def test_ill_formed_sitemap_is_salvaged_with_a_problem() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://ex.de/a.html</loc></url><url><loc>https://ex.de/b.html</loc>"""
    sitemap = parse_sitemap(body, "https://ex.de/")
    assert sitemap is not None and sitemap.problem and "ill-formed" in sitemap.problem
    assert [e.link for e in sitemap.entries][:1] == ["https://ex.de/a.html"]


GZIPPED = SHARED_DATA / "feeds-and-sitemaps-trafilatura" / "sitemap.xml.gz"


@pytest.mark.skipif(not GZIPPED.is_file(), reason="shared data not present")
def test_a_real_gzipped_sitemap_file_is_unpacked_within_the_size_cap() -> None:
    from scrapy.http import Request, Response

    from crawler.spiders.responses import detect, gunzipped

    # As static servers send it: application/gzip, no Content-Encoding (Scrapy leaves it packed).
    url = "https://www.sitemaps.org/sitemap.xml.gz"
    response = Response(url, body=GZIPPED.read_bytes(), request=Request(url),
                        headers={"Content-Type": "application/gzip"})
    unpacked = gunzipped(response, 16 * 1024 * 1024)
    assert detect(unpacked) == "sitemap"
    sitemap = parse_sitemap(unpacked.body, unpacked.url)
    assert sitemap is not None and sitemap.problem is None
    assert sitemap.entries[0].link == "https://www.sitemaps.org/"
    with pytest.raises(ValueError, match="max"):
        gunzipped(response, 1024)  # past the cap: refused, never inflated whole
