"""What a feed says about when to poll it never silences it for good."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, Route


def _serve_feed(site: FixtureSite, folder: Path, skipped: Iterable[int]) -> None:
    """One source, whose RSS feed skips the hours ``skipped`` (none: no skipHours)."""
    hours = "".join(f"<hour>{hour}</hour>" for hour in skipped)
    site.routes["/feed.rss"] = Route(200, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + (f"<skipHours>{hours}</skipHours>" if hours else "")
        + f'<item><title>Talks resume</title><link>{site.url("/articles/en-sanctions.html")}'
        "</link></item></channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
    (folder / "s.toml").write_text(
        f'[[sources]]\nname = "one"\nurl = "{site.url("/feed.rss")}"\n', encoding="utf-8")


def test_a_feed_skipping_every_hour_is_still_polled(fresh_site: FixtureSite,
                                                    tmp_path: Path) -> None:
    site = fresh_site
    _serve_feed(site, tmp_path, range(24))
    for _ in range(2):
        run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
        assert run.code == 0, run.stderr
    # Before: the second run (and every later one) left the feed alone, at any hour, for ever.
    assert site.hits["/feed.rss"] == 2
    assert len(records_under(tmp_path / "output")) == 1


def test_a_state_holding_every_skip_hour_still_polls_the_feed(fresh_site: FixtureSite,
                                                              tmp_path: Path) -> None:
    site = fresh_site
    _serve_feed(site, tmp_path, [])
    run = run_cli("crawl", "--sources", "s.toml", "-q", "--state-dir", "state", cwd=tmp_path)
    assert run.code == 0, run.stderr
    # What a crawl before the all-day fix wrote for a feed whose <skipHours> listed every hour.
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as db:
        seeded = db.execute("UPDATE feeds SET skip_hours = ?",
                            (" ".join(str(hour) for hour in range(24)),)).rowcount
    assert seeded == 1
    run = run_cli("crawl", "--sources", "s.toml", "-q", "--state-dir", "state", cwd=tmp_path)
    assert run.code == 0, run.stderr
    # Before: the stored list made the feed not due at any hour, so it was never fetched again.
    assert site.hits["/feed.rss"] == 2


def test_a_feed_skipping_the_hour_of_a_daily_crawl_is_still_read(fresh_site: FixtureSite,
                                                                 tmp_path: Path) -> None:
    site = fresh_site
    # Every hour skipped but the one twelve hours from now: whenever the test runs, its
    # crawls run in a skipped hour, as a daily cron at a skipped hour always does.
    allowed = (datetime.now(UTC).hour + 12) % 24
    _serve_feed(site, tmp_path, [hour for hour in range(24) if hour != allowed])

    def crawl() -> None:
        run = run_cli("crawl", "--sources", "s.toml", "-q", "--state-dir", "state", cwd=tmp_path)
        assert run.code == 0, run.stderr

    crawl()
    crawl()  # read moments ago: the hint is obeyed
    assert site.hits["/feed.rss"] == 1
    # The clock moves a day on: the last read goes a day back (the state is the clock).
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as db:
        assert db.execute("UPDATE feeds SET last_poll = last_poll - 86400").rowcount == 1
    crawl()
    # Before: the feed was never read again, at the only hour this crawl ever runs.
    assert site.hits["/feed.rss"] == 2
