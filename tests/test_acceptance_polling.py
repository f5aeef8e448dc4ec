"""What a feed says about when to poll it never silences it for good."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
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


def _runs(folder: Path) -> list[dict[str, object]]:
    return read_jsonl(folder / "output" / "runs.jsonl")


def test_a_429_with_retry_after_defers_the_source_and_the_next_crawl_says_why(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/feed.rss"] = Route(429, b"slow down", {"Content-Type": "text/plain",
                                                         "Retry-After": "3600"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "busy"\nurl = "{site.url("/feed.rss")}"\n', encoding="utf-8")
    before = time.time()
    first = run_cli("crawl", "--sources", "s.toml", "--state-dir", "state", cwd=tmp_path)
    # Before: a reject (http_error), exit 1, a failed run and an error streak.
    assert first.code == 0, first.stderr
    assert rejects_under(tmp_path / "output") == []
    [said] = [line for line in first.stderr.splitlines() if "deferred until" in line]
    assert "busy" in said and "429" in said
    [run] = _runs(tmp_path)
    deferred = run["deferred"]["busy"]  # type: ignore[index]
    until = datetime.fromisoformat(deferred["until"]).timestamp()
    assert deferred["why"] == "retry-after" and before + 3600 - 1 <= until <= time.time() + 3600
    second = run_cli("crawl", "--sources", "s.toml", "--state-dir", "state", "-q",
                     cwd=tmp_path)
    assert second.code == 0 and second.stderr == "", second.stderr
    assert site.hits["/feed.rss"] == 1  # left alone until then
    assert _runs(tmp_path)[-1]["deferred"] == {"busy": {**deferred, "polled": False}}


def test_a_source_resting_for_its_ttl_is_in_the_run_log_with_why(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/feed.rss"] = Route(200, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><ttl>60</ttl>'
        f'<item><title>Talks resume</title><link>{site.url("/articles/en-sanctions.html")}'
        "</link></item></channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "one"\nurl = "{site.url("/feed.rss")}"\n', encoding="utf-8")
    for _ in range(2):
        run = run_cli("crawl", "--sources", "s.toml", "-q", "--state-dir", "state", cwd=tmp_path)
        assert run.code == 0 and run.stderr == "", run.stderr
    assert site.hits["/feed.rss"] == 1
    first, second = _runs(tmp_path)
    assert "one" in first["sources"] and "deferred" not in first  # type: ignore[operator]
    # Before: the second run's line named no source at all.
    assert second["sources"] == {}
    deferred = second["deferred"]["one"]  # type: ignore[index]
    assert (deferred["why"], deferred["polled"]) == ("ttl", False)
    assert 0 < datetime.fromisoformat(deferred["until"]).timestamp() - time.time() <= 3600
