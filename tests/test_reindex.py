"""``policywire reindex``: signatures and stories rebuilt from the written records.

An upgrade that changes matching leaves a state whose signatures or stories the new version
refuses; reindex makes them anew from the output (rewriting the records' stories, schema 1
to 2), keeps the near-duplicate decisions already written, and the next crawl matches against
them. Real crawls of the loopback site, a real SQLite state, and a schema-1 output and state
that the code before stories wrote (tests/fixtures/schema1).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.dedup import DedupParams
from crawler.errors import OutputError
from crawler.reindex import reindex
from crawler.stories import StoryParams
from tests.conftest import REPO, kill_a_lock_holder, records_under, run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import crawl

COLUMNS = "id, story_id, canonical_id, language, title_tokens, title_sig, body_sig, ts"


def _signatures(state: Path) -> dict[str, tuple[Any, ...]]:
    with sqlite3.connect(state / "state.sqlite3") as db:
        return {row[0]: row for row in db.execute(f"SELECT {COLUMNS} FROM signatures")}


def _as_if_written_by_another_version(state: Path) -> None:
    with sqlite3.connect(state / "state.sqlite3") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'dedup_params'",
                   ('{"format":1,"tokens":0}',))
        db.execute("UPDATE signatures SET title_tokens = 'stale'")


def test_reindex_rebuilds_the_signatures_a_crawl_stored(site: FixtureSite,
                                                         tmp_path: Path) -> None:
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0
    state, out = tmp_path / "state", tmp_path / "out"
    original = _signatures(state)
    assert original
    _as_if_written_by_another_version(state)

    refused = crawl(site, tmp_path, ["/feeds/atom.atom", "/feeds/rss10.xml"])
    assert refused.code == 78
    assert "policywire reindex" in refused.stderr

    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state),
                  cwd=tmp_path)
    assert run.code == 0, run.stderr
    counts = json.loads(run.stderr.strip().splitlines()[-1])
    assert counts["signatures"] == len(original) == counts["replaced"]
    assert counts["records"] == len(records_under(out))
    rebuilt = _signatures(state)
    assert rebuilt.keys() == original.keys()
    for key, row in rebuilt.items():
        assert row[:7] == original[key][:7]  # same story, tokens and signatures
        assert abs(row[7] - original[key][7]) < 120  # undated: fetched_at, not the run's clock


def test_after_reindex_a_new_variant_joins_the_written_story(site: FixtureSite,
                                                             tmp_path: Path) -> None:
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0
    state, out = tmp_path / "state", tmp_path / "out"
    _as_if_written_by_another_version(state)
    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), "-q",
                  cwd=tmp_path)
    assert run.code == 0 and run.stderr == "", run.stderr
    first = {r["url"].removeprefix(site.base): r for r in records_under(out)}

    second = crawl(site, tmp_path, ["/feeds/atom.atom", "/feeds/rss10.xml"])
    assert second.code == 0, second.stderr
    records = {r["url"].removeprefix(site.base): r for r in records_under(out)}
    variant, canonical = records["/articles/de-putin-b.html"], first["/articles/de-putin-a.html"]
    assert variant["story_id"] == canonical["story_id"]
    assert variant["duplicate_of"] == canonical["id"]


def test_reindex_refuses_a_locked_state_and_a_missing_output(site: FixtureSite,
                                                             tmp_path: Path) -> None:
    missing = run_cli("reindex", "--output-dir", str(tmp_path / "nothing"), "--state-dir",
                      str(tmp_path / "state"), cwd=tmp_path)
    assert missing.code == 66 and "no such output directory" in missing.stderr
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0
    with (tmp_path / "state" / "lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        locked = run_cli("reindex", "--output-dir", str(tmp_path / "out"), "--state-dir",
                         str(tmp_path / "state"), cwd=tmp_path)
    assert locked.code == 75, locked.stderr
    redis = run_cli("reindex", "--output-dir", str(tmp_path / "out"), "--state-dir",
                    "redis://127.0.0.1:1/0", cwd=tmp_path)
    # One line naming the way on (before: exit 78, naming none).
    assert redis.code == 2 and redis.stderr.count("\n") == 1, redis.stderr
    assert "enqueue into a new --namespace" in redis.stderr, redis.stderr


@pytest.mark.parametrize("output", ["missing", "empty"])
def test_reindex_during_the_first_crawl_exits_75_not_66(tmp_path: Path, output: str) -> None:
    # The first crawl holds the lock and has written no output yet (its folder absent or
    # empty): reindex is to try again later (75, as every lock wait), not "no input" (66).
    out, state = tmp_path / "out", tmp_path / "state"
    if output == "empty":
        out.mkdir()
    state.mkdir()
    with (state / "lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state),
                      cwd=tmp_path)
    assert run.code == 75, run.stderr
    assert run.stderr.count("\n") == 1 and "holds" in run.stderr, run.stderr
    # Without the lock held the same command is what it was: nothing to read, 66.
    assert run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state),
                   cwd=tmp_path).code == 66


SCHEMA1 = REPO / "tests" / "fixtures" / "schema1"
SEED_PATHS = ("/articles/de-putin-a.html", "/articles/de-putin-b.html")


def _schema1_copy(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture's output, and its state made from its SQL dump (text in the repository)."""
    shutil.copytree(SCHEMA1 / "out", tmp_path / "out")
    (tmp_path / "state").mkdir()
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as db:
        db.executescript((SCHEMA1 / "state.sql").read_text(encoding="utf-8"))
    return tmp_path / "out", tmp_path / "state"


def _by_path(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {"/" + r["url"].split("/", 3)[3]: r for r in records}


def test_reindex_migrates_a_schema_1_output_and_state(site: FixtureSite, tmp_path: Path) -> None:
    out, state = _schema1_copy(tmp_path)
    (original,) = out.rglob("records-*.jsonl")
    before = original.read_bytes()
    refused = crawl(site, tmp_path, ["/feeds/atom.atom"])  # stopped before it fetches
    assert refused.code == 78 and "policywire reindex" in refused.stderr, refused.stderr

    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), cwd=tmp_path)
    assert run.code == 0, run.stderr
    counts = json.loads(run.stderr.strip().splitlines()[-1])
    assert (counts["files_rewritten"], counts["records_restamped"]) == (1, 16)
    assert original.with_name(original.name + ".bak").read_bytes() == before
    records = _by_path(records_under(out))  # the backup is no records file: read once
    assert len(records) == 16 and {r["schema_version"] for r in records.values()} == {2}
    first, copy = (records[p] for p in SEED_PATHS)
    assert copy["duplicate_of"] == first["id"] and copy["story_id"] == first["story_id"]
    assert first["story_match"] is None
    assert (copy["story_match"]["rule"], copy["story_match"]["record_id"]) == ("duplicate",
                                                                               first["id"])
    with sqlite3.connect(state / "state.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 7
        stored = {row[0] for row in db.execute("SELECT story_id FROM stories")}
        assert db.execute("SELECT value FROM meta WHERE key = 'story_params'").fetchone()
    newest = max((r for r in records.values() if r["published"]), key=lambda r: r["published"])
    # The stories a crawl now would hold: those of the run that fetched them, the newest's
    # too, kept the story window (60 days) from that fetch (faketime a year on: none).
    if time.time() - _fetched(list(records.values())) < 60 * 86400:
        assert newest["story_id"] in stored <= {r["story_id"] for r in records.values()}
    else:
        assert stored == set()

    again = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), cwd=tmp_path)
    assert json.loads(again.stderr.strip().splitlines()[-1])["files_rewritten"] == 0
    listed = run_cli("stories", str(out), "-q", cwd=tmp_path)
    seed = next(s for s in map(json.loads, listed.stdout.splitlines())
                if s["story_id"] == copy["story_id"])
    assert [d["id"] for v in seed["variants"] for d in v["duplicates"]] == [copy["id"]]
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0  # the state is usable again


def test_stories_made_with_other_parameters_stop_a_crawl(site: FixtureSite,
                                                         tmp_path: Path) -> None:
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as db:
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'story_params'")
    refused = crawl(site, tmp_path, ["/feeds/atom.atom", "/feeds/rss10.xml"])
    assert refused.code == 78, refused.stderr
    assert "stored stories were made by another version's story matching" in refused.stderr
    assert "policywire reindex" in refused.stderr


def test_a_corrupt_records_line_stops_reindex_before_anything_changes(tmp_path: Path) -> None:
    out, state = _schema1_copy(tmp_path)
    (original,) = out.rglob("records-*.jsonl")
    lines = original.read_bytes().splitlines(keepends=True)
    damaged = b"".join([*lines[:3], b'{"id": "x", "title": \n', *lines[3:]])
    original.write_bytes(damaged)
    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), cwd=tmp_path)
    assert run.code == 65 and f"{original}:4: not a record line" in run.stderr, run.stderr
    assert original.read_bytes() == damaged
    assert not original.with_name(original.name + ".bak").exists()
    with sqlite3.connect(state / "state.sqlite3") as db:  # migrated, nothing else changed
        assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
        assert db.execute("SELECT value FROM meta WHERE key = 'story_params'").fetchone() is None


def test_reindex_says_a_killed_run_and_leaves_its_trace_to_the_next_crawl(
        site: FixtureSite, tmp_path: Path) -> None:
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0
    state, out = tmp_path / "state", tmp_path / "out"
    killed = kill_a_lock_holder(state)
    said = (f"policywire: the previous run (pid {killed}) did not finish (killed?); this run"
            " goes on from its state\n")
    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), cwd=tmp_path)
    assert run.code == 0, run.stderr
    # Before: not a word, and the lock file emptied, so the next crawl said nothing either.
    assert run.stderr.count(said) == 1, run.stderr
    after = crawl(site, tmp_path, ["/feeds/atom.atom"])
    assert after.code == 0 and after.stderr.count(said) == 1, after.stderr
    runs = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert [line.get("previous_unfinished") for line in runs] == [None, killed]


def _stories(state: Path) -> dict[str, tuple[float, float | None]]:
    with sqlite3.connect(state / "state.sqlite3") as db:
        return {row[0]: (row[1], row[2])
                for row in db.execute("SELECT story_id, last_seen, seen FROM stories")}


def _fetched(records: list[dict[str, Any]]) -> float:
    """When a run fetched its records: the latest fetched_at (epoch seconds)."""
    return max(datetime.fromisoformat(r["fetched_at"]).timestamp() for r in records)


# The fixture's articles are of November 2026: with a 5-day story window, a backfill.
BACKFILL = ("--story-window-days", "5")


def test_reindex_keeps_a_backfills_stories_from_when_they_were_fetched(
        site: FixtureSite, tmp_path: Path) -> None:
    # Two crawls; and the same two with a reindex between: the second crawl's records and
    # the stories kept are the same (before: reindex kept the stories from their members'
    # dates, over 5 days old, and the next crawl had lost every one of them).
    plain, reindexed = tmp_path / "plain", tmp_path / "reindexed"
    for folder in (plain, reindexed):
        folder.mkdir()
        assert crawl(site, folder, ["/feeds/atom.atom"], *BACKFILL).code == 0
    crawled = _stories(reindexed / "state")
    run = run_cli("reindex", "--output-dir", str(reindexed / "out"), "--state-dir",
                  str(reindexed / "state"), *BACKFILL, cwd=tmp_path)
    assert run.code == 0, run.stderr
    kept = _stories(reindexed / "state")
    assert kept.keys() == crawled.keys() and kept
    fetched = _fetched(records_under(reindexed / "out"))
    for story_id, (last_seen, seen) in kept.items():  # the run's fetch time, not the dates
        assert seen == fetched and last_seen == crawled[story_id][0]

    for folder in (plain, reindexed):
        assert crawl(site, folder, ["/feeds/atom.atom", "/feeds/rss10.xml"], *BACKFILL).code == 0
    second = [{k: r[k] for k in ("id", "story_id", "story_match", "duplicate_of")}
              for r in sorted(records_under(plain / "out"), key=lambda r: r["id"])]
    assert second == [{k: r[k] for k in ("id", "story_id", "story_match", "duplicate_of")}
                      for r in sorted(records_under(reindexed / "out"), key=lambda r: r["id"])]
    assert _stories(plain / "state").keys() == _stories(reindexed / "state").keys()


@pytest.mark.parametrize("fetched_at", ["kept", "unreadable"])
def test_reindex_keeps_stories_from_the_fetch_else_from_their_dates(
        tmp_path: Path, fetched_at: str) -> None:
    # A fetched_at that is no date (hand-edited; no version wrote one): the stories are then
    # kept from their latest member's date, as those stored before state migration 13.
    out, state = _schema1_copy(tmp_path)
    (path,) = out.rglob("records-*.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    fetched = _fetched(rows)
    if fetched_at == "unreadable":
        path.write_text("".join(json.dumps({**r, "fetched_at": "last week"}) + "\n"
                                for r in rows), encoding="utf-8")
    newest = max(datetime.fromisoformat(r["published"]).timestamp() for r in rows
                 if r["published"])
    assert fetched - newest > 20 * 86400  # a backfill for a 20-day window
    story_params = StoryParams(window_days=20)
    reindex(out, state, DedupParams(), now=fetched + 86400, story_params=story_params)
    kept = _stories(state)
    if fetched_at == "kept":
        assert kept and {seen for _, seen in kept.values()} == {fetched}
    else:
        assert kept == {}  # their dates are over 20 days before the reindex
        reindex(out, state, DedupParams(), now=newest + 86400, story_params=story_params)
        kept = _stories(state)
        assert kept and all(seen == last_seen for last_seen, seen in kept.values())


def test_a_record_without_fetched_at_stops_reindex_before_anything_changes(
        tmp_path: Path) -> None:
    # Every record schema has fetched_at (the readers refuse a record without it). Before,
    # reindex rewrote the file's stories, then stopped at the signatures.
    out, state = _schema1_copy(tmp_path)
    (path,) = out.rglob("records-*.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = "".join([*lines[:2], json.dumps({k: v for k, v in json.loads(lines[2]).items()
                                               if k != "fetched_at"}) + "\n", *lines[3:]])
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(OutputError, match=f"{path}:3: not a record line"):
        reindex(out, state, DedupParams(), story_params=StoryParams())
    assert path.read_text(encoding="utf-8") == damaged
    assert not path.with_name(path.name + ".bak").exists()
    assert _stories(state) == {}
