"""A lone surrogate (``\\ud800``) escaped in a page's JSON-LD is no character UTF-8 can hold.

json.loads gives it back as written; a title or author holding one could not be encoded in
the records file.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route, feed_source

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _page(headline: str, author: str) -> bytes:
    ld = (f'{{"@type": "NewsArticle", "headline": "{headline}", "author": {{"name":'
          f' "{author}"}}, "datePublished": "2024-05-06T10:00:00Z"}}')
    return (f"<html><head><title>Talks resume</title><script type='application/ld+json'>{ld}"
            "</script></head><body><article><p>Talks resumed in Geneva today between the"
            " delegations of both states.</p></article></body></html>").encode()


def test_a_lone_surrogate_in_json_ld_becomes_a_replacement_character(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/sur/a.html"] = Route(200, _page("Talks \\ud800 resume", "Ann \\udfff Lee"), HTML)
    site.routes["/sur/b.html"] = Route(200, _page("Other talks", "Bob"), HTML)
    items = "".join(f"<item><link>{site.url(path)}</link></item>"
                    for path in ("/sur/a.html", "/sur/b.html"))
    feed_source(site, tmp_path, "/sur/feed.rss", items)
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    by_url = {r["url"].rsplit("/", 1)[-1]: r for r in records_under(tmp_path / "output")}
    assert rejects_under(tmp_path / "output") == []
    assert by_url["a.html"]["authors"] == ["Ann \ufffd Lee"]
    assert by_url["b.html"]["authors"] == ["Bob"]
    export = run_cli("export", "output", "-o", "all.csv", cwd=tmp_path)
    assert export.code == 0, export.stderr


def test_a_json_feed_with_a_lone_surrogate_gives_every_entry(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/sur/c.html"] = Route(200, _page("Third talks", "Cy"), HTML)
    site.routes["/sur/d.html"] = Route(200, _page("Fourth talks", "Di"), HTML)
    site.routes["/sur/feed.json"] = Route(200, (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
        f'{{"id": "c", "url": "{site.url("/sur/c.html")}", "title": "Third \\ud800 talks"}},'
        f'{{"id": "d", "url": "{site.url("/sur/d.html")}", "title": "Fourth talks \\ud83d\\ude00"}}'
        "]}").encode(), {"Content-Type": "application/feed+json"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "ministry"\nurl = "{site.url("/sur/feed.json")}"\n',
        encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    assert rejects_under(tmp_path / "output") == []
    titles = sorted(r["title"] for r in records_under(tmp_path / "output"))
    assert titles == ["Fourth talks \U0001f600", "Third \ufffd talks"]
