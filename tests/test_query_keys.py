"""A link with a bare query key (``?print``) is fetched and shown as the feed wrote it, not as
``?print=`` (another request to servers that tell them apart); its record's id stays the one
earlier versions gave it, so a state written before keeps knowing the entry."""

from __future__ import annotations

from pathlib import Path

from crawler.records import record_id
from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, feed_source

ARTICLE = "/articles/en-deterrence.html"


def test_a_bare_query_key_is_fetched_and_written_as_the_feed_has_it(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    link = fresh_site.url(f"{ARTICLE}?print")
    sources = feed_source(fresh_site, tmp_path, "/print.rss",
                          f"<item><title>Deterrence</title><link>{link}</link>"
                          "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>")
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                  "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    asked = [t for t in fresh_site.targets if t.startswith(ARTICLE)]
    assert asked == [f"{ARTICLE}?print"]
    [record] = records_under(tmp_path / "out")
    assert record["url"] == link and record["page_error"] is None
    assert record["id"] == record_id(f"url:{link}=")  # the id of the old "?print=" spelling
