"""A hostile source's values printed to a terminal: control characters never reach it raw.

`policywire sources test` prints each record's title and URL, and each reject's detail, to the
operator's terminal; analysts `cat` or `less -R` the JSONL's values. A title carrying ESC
sequences (OSC to retitle the window, CSI to clear the screen or paint the rest red) would
drive that terminal. The records keep the text around them; the link's control characters are
percent-encoded, as Scrapy requests them.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, Route

# OSC retitling the window, BEL ending it, CSI clearing the screen and painting in red; the
# single-byte CSI (U+009B) that some terminals read as ESC [.
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m\x9b1m"


def _json_feed(site: FixtureSite) -> bytes:
    items = [
        {"id": "one", "url": site.url("/articles/en-nato-summit.html"),
         "title": f"NATO summit {ESCAPES}agrees", "summary": f"Allies {ESCAPES}agree",
         "authors": [{"name": f"Ann {ESCAPES}Lee"}], "date_published": "2026-11-04T10:00:00Z"},
        {"id": "two", "url": site.url(f"/articles/{ESCAPES}.html"),
         "title": "A page that is not there", "date_published": "2026-11-04T11:00:00Z"},
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t",
                       "items": items}).encode()


def _has_controls(text: str) -> bool:
    return any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


def test_control_characters_of_a_feed_never_reach_the_terminal_or_the_records(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    fresh_site.routes["/hostile.json"] = Route(200, _json_feed(fresh_site),
                                               {"Content-Type": "application/feed+json"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "hostile"\nurl = "{fresh_site.url("/hostile.json")}"\n',
        encoding="utf-8")
    shown = run_cli("sources", "test", "hostile", "--sources", "s.toml", cwd=tmp_path)
    assert shown.code == 0, shown.stderr
    assert len(shown.stdout.splitlines()) == 2 and not _has_controls(shown.stdout), shown.stdout
    assert "NATO summit ]0;owned [2J [31m›1magrees" in shown.stdout
    # A valid URL: "[" and "]" may not stand in a path either (crawler.records.record_url).
    assert ("/articles/%1B%5D0;owned%07%1B%5B2J%1B%5B31m%C2%9B1m.html  (page: http_404)"
            in shown.stdout)

    crawl = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert crawl.code == 0, crawl.stderr
    records = records_under(tmp_path / "output")
    assert len(records) == 2
    for record in records:
        values = [record["title"], record["title_raw"], record["url"], record["summary"] or "",
                  record["text"] or "", *record["authors"]]
        assert not any(_has_controls(value) for value in values), record
    summit = next(r for r in records if "summit" in r["title"])
    assert (summit["summary"], summit["authors"]) == ("Allies ]0;owned [2J [31m›1magree",
                                                      ["Ann ]0;owned [2J [31m›1mLee"])
