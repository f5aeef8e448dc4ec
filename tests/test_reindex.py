"""``policywire reindex``: story signatures rebuilt from the written records.

An upgrade that changes matching leaves a state whose signatures the new version refuses;
reindex makes them anew from the output, keeps the stories already written, and the next
crawl matches against them. Real crawls of the loopback site, a real SQLite state.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import records_under, run_cli
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

    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), cwd=tmp_path)
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
    assert redis.code == 78 and "SQLite" in redis.stderr
