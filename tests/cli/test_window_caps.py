"""--window-records and --story-window-stories: the caps on the near-duplicate window and the
story window (DedupParams.window_records, StoryParams.window_stories) from the command line.
A run past a cap keeps the newest in its state and says so once; a cap below 1 is a usage
error."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import pytest

from crawler.state.redis_client import connect
from tests.conftest import REPO, records_under, run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import scrapy_crawl, sources_toml

FEED = "/feeds/atom.atom"  # three entries, each its own story
MAGDEBURG = REPO / "tests" / "fixtures" / "stories" / "de_magdeburg.jsonl"


def _state(state: Path) -> tuple[list[str], int]:
    """The URLs of the records the state's window holds, and how many stories it keeps."""
    with sqlite3.connect(state / "state.sqlite3") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM signatures")]
        stories = db.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    db.close()
    return ids, stories


def test_a_crawl_with_small_caps_keeps_the_newest_in_its_state(fresh_site: FixtureSite,
                                                               tmp_path: Path) -> None:
    sources = sources_toml(fresh_site, [FEED], tmp_path)

    def crawl(name: str, *caps: str) -> str:
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / name),
                      "--state-dir", str(tmp_path / name / "state"), *caps, cwd=tmp_path)
        assert run.code == 0, run.stderr
        return run.stderr

    crawl("whole")
    every, stories = _state(tmp_path / "whole" / "state")
    assert len(every) == 3 and stories == 3  # without the options: nothing capped
    said = crawl("capped", "--window-records", "1", "--story-window-stories", "2")
    held, kept = _state(tmp_path / "capped" / "state")
    newest = max(records_under(tmp_path / "capped"), key=lambda r: r["published"])
    assert held == [newest["id"]] and kept == 2  # one run: the latest published stays
    assert said.count("near-duplicate window full: 2 records over its cap of 1") == 1, said
    assert said.count("story window full: 1 stories over its cap of 2") == 1, said
    # Neither cap is a parameter the state is checked against: a crawled state takes them
    # (crawl asserts exit 0), and the window's is cut to the cap on opening.
    crawl("whole", "--window-records", "1", "--story-window-stories", "2")
    assert _state(tmp_path / "whole" / "state")[0] == held


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--window-records", "0", "must be 1 or more, got 0"),
    ("--window-records", "-5", "must be 1 or more, got -5"),
    ("--window-records", "1e3", "not a whole number: '1e3'"),
    ("--story-window-stories", "0", "must be 1 or more, got 0"),
    ("--story-window-stories", "x", "not a whole number: 'x'"),
])
def test_a_cap_below_one_is_a_usage_error(tmp_path: Path, option: str, value: str,
                                          said: str) -> None:
    run = run_cli("dedup", str(MAGDEBURG), "-o", str(tmp_path / "o.jsonl"), option, value,
                  cwd=tmp_path)
    assert run.code == 2 and f"argument {option}: {said}" in run.stderr, run.stderr
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("value", ["0", "lots"])
def test_scrapy_crawl_refuses_a_bad_window_records_setting_in_one_line(
        fresh_site: FixtureSite, tmp_path: Path, value: str) -> None:
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEED)}",
                       "-s", f"POLICYWIRE_WINDOW_RECORDS={value}",
                       env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"})
    assert run.code == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "POLICYWIRE_WINDOW_RECORDS must be a whole number, 1 or more" in run.stderr
    assert fresh_site.hits == {}


def _held(redis_url: str, namespace: str) -> tuple[list[str], int]:
    """The ids of the records a Redis state's window holds, and how many stories it keeps."""
    client = connect(redis_url)
    try:
        ids = sorted(key.decode() for key in client.hkeys(f"{namespace}:signatures"))
        return ids, int(client.hlen(f"{namespace}:stories"))
    finally:
        client.close()


@pytest.mark.parametrize("ceilings", [(), ("--window-records", "1", "--story-window-stories", "2")])
def test_a_worker_merges_under_its_own_ceilings(fresh_site: FixtureSite, redis_url: str,
                                                tmp_path: Path, ceilings: tuple[str, ...]) -> None:
    # The merge runs in whichever worker ends the round, and holds the windows in that
    # machine's memory: its --window-records / --story-window-stories bound them below the
    # round's (enqueue's). Before, worker refused both options (exit 2).
    namespace = f"t{secrets.token_hex(4)}"
    sources = sources_toml(fresh_site, [FEED], tmp_path)
    queued = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url,
                     "--namespace", namespace, cwd=tmp_path)
    assert queued.code == 0, queued.stderr
    worked = run_cli("worker", "--redis", redis_url, "--namespace", namespace, "--burst",
                     "--output-dir", str(tmp_path / "out"), "--state-dir", str(tmp_path / "st"),
                     *ceilings, cwd=tmp_path)
    assert worked.code == 0, worked.stderr
    held, stories = _held(redis_url, namespace)
    if not ceilings:
        assert len(held) == 3 and stories == 3  # the round's caps: nothing cut
        return
    newest = max(records_under(tmp_path / "out"), key=lambda r: r["published"])
    assert held == [newest["id"]] and stories == 2
    assert "near-duplicate window full: 2 records over its cap of 1" in worked.stderr
