"""A source's allowed_domains hold for the page a link ends at, not only the link itself.

An open redirect on the allowed site (or a link shortener it uses) would otherwise have a
page of any other site written as the source's record, its text and title included.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, Route, redirect

PAGE = (b"<html><head><title>Forged statement</title></head><body><article><h1>Forged"
        b" statement</h1><p>Words the allowed site never published.</p></article></body></html>")


def test_a_link_redirected_off_the_allowed_domains_is_an_offsite_page_error(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    port = site.base.rsplit(":", 1)[1]
    elsewhere = f"http://localhost:{port}/offsite/page.html"  # another host name, same server
    site.routes["/offsite/page.html"] = Route(200, PAGE, {"Content-Type": "text/html"})
    site.routes["/offsite/go"] = redirect(elsewhere)
    site.routes["/offsite/stay"] = redirect(site.url("/offsite/page.html"))
    items = "".join(f"<item><title>Statement {n}</title><link>{site.url(path)}</link></item>"
                    for n, path in ((1, "/offsite/go"), (2, "/offsite/stay")))
    site.routes["/offsite/feed.rss"] = Route(
        200, f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
        {"Content-Type": "application/rss+xml"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "ministry"\nurl = "{site.url("/offsite/feed.rss")}"\n'
        'allowed_domains = ["127.0.0.1"]\n', encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code in (0, 1), run.stderr
    by_title = {r["title"]: r for r in records_under(tmp_path / "output")}
    moved = by_title["Statement 1"]
    assert moved["page_error"] == f"offsite: {elsewhere}" and moved["text"] is None, moved
    stayed = by_title["Statement 2"]  # redirected within the allowed domain: read
    assert stayed["page_error"] is None and "never published" in stayed["text"]
