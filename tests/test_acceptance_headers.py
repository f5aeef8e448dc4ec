"""Response headers a hostile or broken server sends: read or ignored, never a wrong reason."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route


def test_a_retry_after_of_non_ascii_digits_is_ignored_not_a_crash(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    # Headers are read as Latin-1: "\xb2" is "²", a digit to str.isdigit but not to float().
    site.routes["/busy.rss"] = Route(503, b"busy", {"Content-Type": "text/plain",
                                                     "Retry-After": "\xb2"})
    site.routes["/slow.html"] = Route(429, b"slow", {"Content-Type": "text/plain",
                                                      "Retry-After": "\xb9\xb2"})
    site.routes["/feed.rss"] = Route(200, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f'<item><title>Talks resume</title><link>{site.url("/slow.html")}</link></item>'
        "</channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "busy"\nurl = "{site.url("/busy.rss")}"\n\n'
        f'[[sources]]\nname = "feed"\nurl = "{site.url("/feed.rss")}"\n', encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 1, run.stderr
    [reject] = rejects_under(tmp_path / "output")
    # Before: download_error "ValueError: could not convert string to float: '²'".
    assert (reject["source"], reject["reason"]) == ("busy", "http_error"), reject
    assert reject["detail"].startswith("http_503"), reject
    [record] = records_under(tmp_path / "output")
    assert (record["title"], record["page_error"]) == ("Talks resume", "http_429")


def test_a_meta_refresh_to_javascript_leaves_the_page_as_it_is(fresh_site: FixtureSite,
                                                               tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/refresh.html"] = Route(200, (
        b'<html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
        b"<title>Talks resume in Muscat</title></head><body><h1>Talks resume in Muscat</h1>"
        b"<p>Negotiators from Iran and three European states meet again next week in Muscat,"
        b" officials said on Tuesday.</p></body></html>"), {"Content-Type": "text/html"})
    run = run_cli("scrape", site.url("/refresh.html"), "-o", "out.jsonl", cwd=tmp_path)
    assert run.code == 0, run.stderr
    [record] = read_jsonl(tmp_path / "out.jsonl")
    # Before: page_error "ValueError: Missing scheme in request url: javascript:alert(1)".
    assert record["page_error"] is None, record["page_error"]
    assert record["text"] is not None and "Negotiators from Iran" in record["text"]
