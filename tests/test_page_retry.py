"""A feed entry whose page failed to download is fetched again by the next runs
(crawler.pageretry): end to end through the real spider, a loopback site and a real state.

The feed sends an ETag and answers 304 when it is unchanged: a feed whose validators were
kept would hide the entry from the next run, so these cases show that they are not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crawler.pageretry import MAX_FINGERPRINTS, joined, pending, run_fingerprint
from tests.conftest import Run, read_jsonl, records_under, run_cli
from tests.sitesrv import FixtureSite, Route
from tests.test_crawl_e2e import scrapy_crawl
from tests.test_faults import ATTEMPTS, RSS, page, rss, titles
from tests.test_giveup import Closer, closer, feed

__all__ = ["closer"]  # the fixture, used by name

PAGE = "/late/a0.html"
TITLE = "Arms control briefing 0 on late"


def late_site(site: FixtureSite, first: list[Route]) -> None:
    """A feed of three entries with an ETag; ``/late/a0.html`` answers ``first`` in turn,
    then its page; the other two answer at once."""
    site.routes["/late/feed"] = Route(200, rss(site, "late", titles(3, "late")),
                                      {"Content-Type": RSS})
    site.etags["/late/feed"] = '"late-v1"'
    for n in (1, 2):
        site.routes[f"/late/a{n}.html"] = page(f"Arms control briefing {n} on late")
    site.scripts[PAGE] = [*first, page(TITLE)]


def crawl(site: FixtureSite, folder: Path, *options: str) -> Run:
    sources = folder / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "late"\nurl = "{site.url("/late/feed")}"\n',
                       encoding="utf-8")
    return run_cli("crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
                   "--state-dir", str(folder / "st"), *options, cwd=folder)


def last_totals(folder: Path) -> dict[str, Any]:
    totals: dict[str, Any] = read_jsonl(folder / "out" / "runs.jsonl")[-1]["totals"]
    return totals


def of_page(folder: Path, site: FixtureSite) -> list[dict[str, Any]]:
    return [r for r in records_under(folder / "out") if r["url"] == site.url(PAGE)]


def test_a_page_that_answered_503_comes_with_the_next_run_as_its_next_revision(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    late_site(fresh_site, [Route(503, b"busy", {"Content-Type": "text/plain"})] * ATTEMPTS)
    first = crawl(fresh_site, tmp_path)
    # One page of three failed: the run is no failure (its other pages came).
    assert first.code == 0, first.stderr
    [failed] = of_page(tmp_path, fresh_site)
    assert failed["page_error"].startswith("http_503") and failed["text"] is None
    second = crawl(fresh_site, tmp_path)
    assert second.code == 0, second.stderr
    # The feed was asked for in full (no validators kept), and the page once more.
    assert "If-None-Match" not in fresh_site.requests["/late/feed"][-1]
    assert fresh_site.hits[PAGE] == ATTEMPTS + 1
    old, new = of_page(tmp_path, fresh_site)
    assert (new["id"], new["revision"], new["page_error"]) == (old["id"], 2, None)
    assert new["text"] and new["content_hash"] != old["content_hash"]
    assert (last_totals(tmp_path)["records"], last_totals(tmp_path)["revised"],
            last_totals(tmp_path)["unchanged"]) == (1, 1, 2)
    # Done: the next run's feed is conditional again (304), and the page not asked for.
    assert crawl(fresh_site, tmp_path).code == 0
    assert fresh_site.requests["/late/feed"][-1]["If-None-Match"] == '"late-v1"'
    assert fresh_site.hits[PAGE] == ATTEMPTS + 1 and last_totals(tmp_path)["not_modified"] == 1


def test_a_page_that_stays_404_is_fetched_retries_more_runs_then_left_alone(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    late_site(fresh_site, [Route(404, b"gone", {"Content-Type": "text/plain"})] * 10)
    runs = [crawl(fresh_site, tmp_path, "--page-retries", "2") for _ in range(4)]
    assert [r.code for r in runs] == [0] * 4, runs[-1].stderr
    # 404 is not retried within a run: one request a run, the first and two more.
    assert fresh_site.hits[PAGE] == 3
    # Nothing new while it failed: its one record, the run's entries all unchanged.
    [record] = of_page(tmp_path, fresh_site)
    assert record["page_error"].startswith("http_404")
    summaries = read_jsonl(tmp_path / "out" / "runs.jsonl")
    for summary in summaries[1:3]:
        assert summary["totals"]["records"] == 0 and summary["totals"]["unchanged"] == 3
        assert summary["totals"]["page_errors"] == 0 and summary["exit_code"] == 0
    # Left alone: the feed's validators were kept again (the fourth run's 304).
    assert fresh_site.requests["/late/feed"][-1]["If-None-Match"] == '"late-v1"'
    assert summaries[3]["totals"]["not_modified"] == 1


def test_pages_on_a_host_given_up_are_fetched_again_then_left_alone(
        fresh_site: FixtureSite, tmp_path: Path, closer: Closer) -> None:
    """A download error (no HTTP answer; the host given up for the run after one request's
    retries) is a fetch failure too: each of the next N runs tries the host once more."""
    feed(fresh_site, [f"{closer.base}/a{n}.html" for n in range(3)], path="/late/feed")
    runs = [crawl(fresh_site, tmp_path, "--page-retries", "1") for _ in range(3)]
    # Every page on it failed: the first run says so (exit 1), the retry's (unchanged) not.
    assert [r.code for r in runs] == [1, 0, 0], runs[1].stderr
    assert closer.accepted == 2 * ATTEMPTS  # the first run and one retry, then left alone
    summaries = read_jsonl(tmp_path / "out" / "runs.jsonl")
    # Counted where written: the retries wrote nothing new (unchanged, not given_up).
    assert [s["totals"]["given_up"] for s in summaries] == [3, 0, 0]
    assert [s["totals"]["unchanged"] for s in summaries] == [0, 3, 3]


def test_a_page_that_is_no_html_is_not_fetched_again(fresh_site: FixtureSite,
                                                     tmp_path: Path) -> None:
    late_site(fresh_site, [])
    fresh_site.scripts[PAGE] = [Route(200, b"\x89PNG", {"Content-Type": "image/png"})]
    assert [crawl(fresh_site, tmp_path).code for _ in range(2)] == [0, 0]
    assert fresh_site.hits[PAGE] == 1
    assert last_totals(tmp_path)["not_modified"] == 1


def test_zero_retries_leaves_a_failed_page_alone(fresh_site: FixtureSite,
                                                 tmp_path: Path) -> None:
    late_site(fresh_site, [Route(404, b"gone", {"Content-Type": "text/plain"})])
    assert [crawl(fresh_site, tmp_path, "--page-retries", "0").code
            for _ in range(2)] == [0, 0]
    assert fresh_site.hits[PAGE] == 1


@pytest.mark.parametrize("value", ["many", "-1"])
def test_a_bad_page_retries_is_one_line_exit_2_before_any_fetch(
        fresh_site: FixtureSite, tmp_path: Path, value: str) -> None:
    late_site(fresh_site, [])
    run = crawl(fresh_site, tmp_path, "--page-retries", value)
    assert run.code == 2 and "--page-retries" in run.stderr, run.stderr
    scrapy = scrapy_crawl(tmp_path, "feed", "-a", f"url={fresh_site.url('/late/feed')}",
                          "-s", f"POLICYWIRE_PAGE_RETRIES={value}")
    assert scrapy.code == 2 and scrapy.stderr.count("\n") == 1, scrapy.stderr
    assert "POLICYWIRE_PAGE_RETRIES" in scrapy.stderr and fresh_site.hits == {}


def test_scrape_without_a_state_writes_the_failed_page_each_time(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    """A one-off scrape keeps no state: each writes every record, the failed page's
    included, and fetches the page once (no retry of its own to wait for)."""
    late_site(fresh_site, [Route(404, b"gone", {"Content-Type": "text/plain"})] * 10)
    for n in (1, 2):
        out = tmp_path / f"scrape{n}.jsonl"
        run = run_cli("scrape", fresh_site.url("/late/feed"), "-o", str(out),
                      "--output-dir", str(tmp_path / "out"), cwd=tmp_path)
        assert run.code == 0, run.stderr
        records = {r["url"]: r for r in read_jsonl(out)}
        assert len(records) == 3 and records[fresh_site.url(PAGE)]["revision"] == 1
        assert records[fresh_site.url(PAGE)]["page_error"].startswith("http_404")
        assert fresh_site.hits[PAGE] == n


# -- the marks themselves ----------------------------------------------------------------------
@pytest.mark.parametrize(("error", "marked"), [
    (None, False), ("http_503: Service Unavailable", True), ("http_404: Not Found", True),
    ("DNSLookupError: DNS lookup failed", True), ("TimeoutError: took too long", True),
    ("ConnectionRefusedError: refused; host h given up for this run, not tried again", True),
    ("offsite: https://elsewhere.example/", False), ("not_html: image/png", False),
    ("extraction_failed: ValueError", False), ("extract_timeout: took over 60 s", False),
])
def test_only_a_failure_to_download_marks_the_entry(error: str | None, marked: bool) -> None:
    assert pending(run_fingerprint("abc", error)) is marked


def test_failures_are_counted_up_to_the_bound_then_the_plain_fingerprint() -> None:
    stored = ""
    for _ in range(3):
        stored = joined("abc!", stored, retries=2)
        if not pending(stored):
            break
    assert stored == "abc"
    assert joined("abc!", "", 2) == "abc!1" and joined("abc!", "abc!1", 2) == "abc!2"


def test_a_success_replaces_the_mark_and_other_entries_stay() -> None:
    assert joined("abc", "abc!2 other", 3) == "abc other"
    assert joined("abc!", "other", 3) == "abc!1 other"
    many = " ".join(f"f{n}" for n in range(MAX_FINGERPRINTS))
    assert joined("new!", many, 3).split()[0] == "new!1"
    assert len(joined("new!", many, 3).split()) == MAX_FINGERPRINTS


def test_a_state_of_before_the_marks_reads_as_seen() -> None:
    """Stored plain fingerprints (every state before this change) count no failure."""
    assert joined("abc!", "abc", 3) == "abc!1"
