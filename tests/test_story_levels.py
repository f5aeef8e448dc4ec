"""Both levels of sameness through the real ``policywire crawl`` on the loopback site: the
seed pair is one story and a duplicate pair, and a cron crawl split in two runs gives the
stories one run gives (issue 18)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import records_under
from tests.sitesrv import SITE, FixtureSite, Route
from tests.test_crawl_e2e import FEEDS, crawl

SEED_A, SEED_B = "/articles/de-putin-a.html", "/articles/de-putin-b.html"


def _by_path(site: FixtureSite, folder: Path) -> dict[str, dict[str, Any]]:
    return {r["url"].removeprefix(site.base): r for r in records_under(folder / "out")}


def test_the_seed_pair_crawled_is_one_story_and_a_duplicate_pair(site: FixtureSite,
                                                                 tmp_path: Path) -> None:
    assert crawl(site, tmp_path, ["/feeds/atom.atom", "/feeds/rss10.xml"]).code == 0
    records = _by_path(site, tmp_path)
    first, copy = records[SEED_A], records[SEED_B]
    assert copy["duplicate_of"] == first["id"] and copy["match"] is not None
    assert copy["story_id"] == first["story_id"] and first["story_match"] is None
    assert copy["story_match"] == {"record_id": first["id"], "similarity": 1.0,
                                   "shared_names": copy["story_match"]["shared_names"],
                                   "rule": "duplicate"}
    # Other events stay stories of their own ("Putin droht der Ukraine" among them).
    others = {r["story_id"] for path, r in records.items() if path not in (SEED_A, SEED_B)}
    assert first["story_id"] not in others and len(others) == len(records) - 2
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as db:
        stored = {row[0] for row in db.execute("SELECT story_id FROM stories")}
    assert first["story_id"] in stored


def _levels(site: FixtureSite, folder: Path) -> dict[str, tuple[Any, ...]]:
    """Each record's fields of both levels, its original named by path."""
    records = _by_path(site, folder)
    path_of = {r["id"]: path for path, r in records.items()}
    return {path: (r["story_id"], path_of.get(r["duplicate_of"]), r["story_match"])
            for path, r in records.items()}


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    """The output and state folders of one run and of the split runs."""
    one, split = tmp_path / "one", tmp_path / "split"
    one.mkdir()
    split.mkdir()
    return one, split


def test_a_crawl_split_in_two_runs_gives_the_stories_of_one_run(site: FixtureSite,
                                                                tmp_path: Path) -> None:
    one, split = _folders(tmp_path)
    # The default window: it keeps a record 30 days from the run that stored it, so the
    # fixtures' dates (November 2026) match across runs on any day this test runs.
    crawl(site, one, FEEDS)
    # cron: the first feeds now, the rest with the next run
    crawl(site, split, FEEDS[:2])
    crawl(site, split, FEEDS)
    assert _levels(site, split) == _levels(site, one)
    assert _levels(site, one)[SEED_B][2]["rule"] == "duplicate"


def _backfill(site: FixtureSite) -> list[str]:
    """Serve the seed pair as a backfill: both articles and their feeds (one outlet each)
    dated March 2020, older than any near-duplicate window whatever day this runs; the
    first feed also lists an article dated 2099 (a typo in the year). The feeds' paths."""
    feeds = []
    titles = {"a": "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
              "b": "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)"}
    for name, page, day in (("a", SEED_A, "07"), ("b", SEED_B, "08")):
        html = (SITE / page.lstrip("/")).read_bytes().replace(b"{{BASE}}", site.base.encode())
        site.routes[f"/old/{name}.html"] = Route(
            body=html.replace(b"2026-11-", b"2020-03-"), headers={"Content-Type": "text/html"})
        items = (f"<item><title>{titles[name]}</title><link>{site.url(f'/old/{name}.html')}</link>"
                 f"<pubDate>Sat, {day} Mar 2020 13:20:00 GMT</pubDate></item>")
        if name == "a":
            future = (SITE / "articles/en-sanctions.html").read_bytes().replace(
                b"{{BASE}}", site.base.encode()).replace(b"2026-", b"2099-")
            site.routes["/old/future.html"] = Route(body=future,
                                                    headers={"Content-Type": "text/html"})
            items += ("<item><title>EU agrees new sanctions</title>"
                      f"<link>{site.url('/old/future.html')}</link>"
                      "<pubDate>Thu, 01 Jan 2099 10:00:00 GMT</pubDate></item>")
        site.routes[f"/old/{name}.xml"] = Route(
            body=f'<rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'
            .encode(), headers={"Content-Type": "application/rss+xml"})
        feeds.append(f"/old/{name}.xml")
    return feeds


def test_a_backfill_split_in_two_runs_gives_one_run_s_duplicates_and_stories(
        site: FixtureSite, tmp_path: Path) -> None:
    # Before, the window was counted back from the clock by published date: the first run
    # evicted its own 2020 records at its end, and the next run's copy met nothing, so a
    # one-off crawl of an archive then a cron crawl gave other duplicates than one run. A
    # record dated 2099 in the first run must not evict the rest either.
    feeds = _backfill(site)
    one, split = _folders(tmp_path)
    assert crawl(site, one, feeds).code == 0
    assert crawl(site, split, feeds[:1]).code == 0
    assert crawl(site, split, feeds).code == 0
    levels = _levels(site, one)
    assert _levels(site, split) == levels
    assert levels["/old/b.html"][1] == "/old/a.html"  # the copy is a duplicate of the first
    assert levels["/old/b.html"][2]["rule"] == "duplicate"


def test_a_backfill_split_around_this_week_s_news_gives_one_run_s_stories(
        site: FixtureSite, tmp_path: Path) -> None:
    # The 2020 pair crawled in two runs, this week's feeds (November 2026: the same Putin
    # report among them) in a run between. Before, the story state evicted a story by its
    # latest member's date counted back from the newest record's: the third run's 2020 copy
    # met no story of the first and joined this week's report by its content instead.
    backfill = _backfill(site)
    one, split = _folders(tmp_path)
    crawl(site, one, backfill + FEEDS)  # FEEDS hold a malformed feed and a broken page
    for feeds in (backfill[:1], FEEDS, backfill[1:]):
        crawl(site, split, feeds)
    pair = ("/old/a.html", "/old/b.html")
    levels = _levels(site, one)
    assert {p: _levels(site, split)[p] for p in pair} == {p: levels[p] for p in pair}
    assert levels["/old/b.html"][0] == levels["/old/a.html"][0]
