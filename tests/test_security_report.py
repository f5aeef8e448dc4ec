"""One record's date must not decide how much the report draws.

A page may be dated in year 1 ("June 12, 0001": kept, as it is written, where datetime
holds it). The report's charts drew every day from the first record's day to the last's.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, feed_source


def test_a_record_dated_in_year_one_leaves_the_report_small_and_quick(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    entries = (("Ancient NATO talks resume", "a", "Tue, 12 Jun 0001 10:00:00 GMT"),
               ("NATO talks resume today", "b", "Mon, 06 May 2024 10:00:00 GMT"))
    items = "".join(
        f"<item><title>{title}</title><link>{site.url('/old/' + slug)}</link><description>NATO"
        " allies met in Brussels about sanctions and cyber defence.</description>"
        f"<pubDate>{day}</pubDate></item>" for title, slug, day in entries)
    feed_source(site, tmp_path, "/old/feed.rss", items)
    crawl = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert crawl.code in (0, 1), crawl.stderr[-3000:]
    assert sorted(r["published"] for r in records_under(tmp_path / "output"))[0].startswith("0001")
    report = run_cli("report", "output", "-o", "report.html", cwd=tmp_path)
    assert report.code == 0, report.stderr
    # The charts reach back 240 months of the data: small here (before: 740,000 days, a
    # 26 MB page of SVG polylines, a point for each day of each topic).
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert len(page) < 500_000, len(page)
    assert "Ancient NATO talks resume" in page  # the record itself is still listed
