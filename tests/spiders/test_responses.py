"""What a response is, as a crawl reads it: a plain-text article page keeps its text."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, Route, feed_source

PARAGRAPH = ("The ministers agreed on Tuesday to extend the arms control talks by another year,"
             " officials said after the meeting in Geneva. <Annex> & notes follow.")


def test_a_plain_text_article_page_keeps_its_text(fresh_site: FixtureSite,
                                                  tmp_path: Path) -> None:
    # A statement served as text/plain (a browser shows it in a <pre>): its record's text
    # was null, and trafilatura's "parsed tree length: 0" was logged as an error.
    body = "\n\n".join([PARAGRAPH] * 4)
    fresh_site.routes["/statement.txt"] = Route(200, body.encode(),
                                                {"Content-Type": "text/plain; charset=utf-8"})
    item = (f"<item><title>Arms control talks extended</title>"
            f"<link>{fresh_site.url('/statement.txt')}</link></item>")
    sources = feed_source(fresh_site, tmp_path, "/f.rss", item)
    run = run_cli("crawl", "-q", "--sources", str(sources), "--output-dir",
                  str(tmp_path / "out"), "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
    assert (run.code, run.stderr) == (0, "")
    [record] = records_under(tmp_path / "out")
    assert record["text"].count(PARAGRAPH) == 4  # as written: "<Annex>" is text, not a tag
