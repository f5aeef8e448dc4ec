from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.errors import LockHeld, StateError
from crawler.models import FeedPoll, StoredSignature
from crawler.redact import redact
from crawler.state import SeenRow, StateLock, StateStore
from crawler.state.store import MIGRATIONS
from tests.conftest import kill_a_lock_holder


def test_new_database_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    StateStore(tmp_path).close()
    db = sqlite3.connect(tmp_path / "state.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    StateStore(tmp_path).close()
    db = sqlite3.connect(tmp_path / "state.sqlite3")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StateError, match="newer than this policywire"):
        StateStore(tmp_path)


def test_seen_entries_round_trip_and_update(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.mark_seen([SeenRow("a", "h1", 1, "https://x/a", "s", "fp1")], "2026-11-29T00:00:00Z")
    store.mark_seen([SeenRow("a", "h2", 2, "https://x/a", "s")], "2026-11-29T01:00:00Z")
    seen = store.seen(["a", "b"])
    assert list(seen) == ["a"] and (seen["a"].content_hash, seen["a"].revision) == ("h2", 2)
    assert store.entry_fingerprints(["a", "b"]) == {"a": "fp1"}


def test_signatures_load_by_window_and_evict(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    rows = [StoredSignature(f"id{i}", "s", "id0", float(i), "de", ("nato", "putin"), b"\x01", None)
            for i in range(5)]
    store.add(rows)
    store.add(rows)  # re-adding is harmless
    assert [r.id for r in store.load(since=3.0)] == ["id3", "id4"]
    assert store.evict(before=2.0) == 2
    assert next(r.title_tokens for r in store.load(0.0)) == ("nato", "putin")


def test_fingerprint_is_kept(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.set_params_fingerprint("fp")
    store.close()
    assert StateStore(tmp_path).params_fingerprint() == "fp"


def test_lock_excludes_a_second_holder_and_frees_on_death(tmp_path: Path) -> None:
    with StateLock(tmp_path), pytest.raises(LockHeld):
        StateLock(tmp_path).acquire()
    # A process killed while holding the lock leaves nothing stale behind.
    kill_a_lock_holder(tmp_path)
    with StateLock(tmp_path):
        pass


def test_lock_names_the_holder_that_died_without_releasing(tmp_path: Path) -> None:
    # The pid is only information (flock is the lock): a clean release empties the file, so
    # a pid found there names a run that was killed holding the lock.
    with StateLock(tmp_path) as lock:
        assert lock.unfinished is None
    with StateLock(tmp_path) as lock:
        assert lock.unfinished is None
    killed = kill_a_lock_holder(tmp_path)
    with StateLock(tmp_path) as lock:
        assert lock.unfinished == killed
    with StateLock(tmp_path) as lock:
        assert lock.unfinished is None


def test_an_older_release_s_lock_file_names_no_unfinished_run(tmp_path: Path) -> None:
    # Releases before this one wrote their pid and never emptied the file: the first run
    # after an upgrade must not call that last clean run killed.
    (tmp_path / "lock").write_text("4242\n", encoding="ascii")
    with StateLock(tmp_path) as lock:
        assert lock.unfinished is None


def test_version_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "state.sqlite3")
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO entries VALUES ('a', 'h', 1, 'u', 's', 't', 't')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = StateStore(tmp_path)
    assert store.seen(["a"])["a"].content_hash == "h"


def test_feed_polls_keep_validators_on_304_and_count_error_streaks(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    url = "https://x/feed"
    store.record_polls([FeedPoll("s", url, 200, '"v1"', "Mon", "b1",
                                 skip_hours=frozenset({1, 2}))], "t1")
    store.record_polls([FeedPoll("s", url, 304)], "t2")
    state = store.feed_state("s", url)
    assert state is not None and (state.etag, state.last_modified, state.polls) == ('"v1"',
                                                                                    "Mon", 2)
    assert state.skip_hours == {1, 2}
    store.record_polls([FeedPoll("s", url, 500, error="http_500")], "t3")
    store.record_polls([FeedPoll("s", url, 0, error="timeout")], "t4")
    state = store.feed_state("s", url)
    assert state is not None and state.error_streak == 2 and state.etag == '"v1"'
    store.record_polls([FeedPoll("s", url, 200, None, None, "b2", lying=True)], "t5")
    state = store.feed_state("s", url)
    assert state is not None and state.error_streak == 0 and state.validators_disabled
    store.record_polls([FeedPoll("s", url, 200, '"v2"', None, "b3")], "t6")
    state = store.feed_state("s", url)
    assert state is not None and state.validators_disabled  # once a liar, always checked


def _state_at(folder: Path, version: int, *rows: str) -> None:
    """A state database as release ``version`` left it, holding ``rows`` (INSERTs)."""
    db = sqlite3.connect(folder / "state.sqlite3")
    db.create_function("redact_url", 1, redact, deterministic=True)  # migration 11's
    for script in MIGRATIONS[:version]:
        db.executescript(script)
    for row in rows:
        db.execute(row)
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()


def test_every_intermediate_schema_upgrades_to_the_latest(tmp_path: Path) -> None:
    for applied in range(1, len(MIGRATIONS)):
        folder = tmp_path / f"v{applied}"
        folder.mkdir()
        _state_at(folder, applied)
        store = StateStore(folder)
        assert store.pending_deliveries() == []
        store.close()


def test_signatures_stored_before_sources_were_kept_load_as_unknown(tmp_path: Path) -> None:
    # A version 5 database (before signatures kept their source) with a signature in it.
    _state_at(tmp_path, 5, "INSERT INTO signatures VALUES ('a', 's', 'a', 5.0, 'de',"
              " 'nato putin', x'01', NULL)")
    store = StateStore(tmp_path)
    store.add([StoredSignature("b", "s", "a", 6.0, "de", ("nato",), b"\x02", None,
                               source="zeitung")])
    assert [(r.id, r.source) for r in store.load(0.0)] == [("a", ""), ("b", "zeitung")]


@pytest.mark.parametrize("version, insert, kind", [
    (11, "INSERT INTO signatures (id, story_id, canonical_id, ts, language, title_tokens,"
         " title_sig) VALUES ('a', 's', 'a', 5.0, 'de', 'nato', x'01')", "signatures"),
    (12, "INSERT INTO stories (story_id, last_seen, payload) VALUES ('a', 5.0, x'01')",
     "stories"),
])
def test_a_row_stored_before_it_had_a_seen_time_stays_in_the_window_as_long_as_before(
        tmp_path: Path, version: int, insert: str, kind: str) -> None:
    # Migrations 12 and 13 keep signatures by when they entered the window, stories by when
    # a run last added to them: a row stored before has no such time, and takes its
    # published one (a story's latest member's: what the window went by then).
    _state_at(tmp_path, version, insert)
    store = StateStore(tmp_path)
    if kind == "signatures":
        assert [(r.id, r.seen) for r in store.load(5.0)] == [("a", 5.0)]
        assert store.evict(5.5) == 1
    else:
        assert [(r.story_id, r.seen) for r in store.load_stories(5.0)] == [("a", 5.0)]
        assert store.evict_stories(5.5) == 1
    store.close()


def test_a_version_10_feed_url_loses_its_credentials_and_keeps_its_validators(
        tmp_path: Path) -> None:
    # The crawl keys a feed by its URL without credentials since crawler.redact: a state
    # written before kept the password and token in plain text, and the validators under
    # a key no run would ask for again.
    _state_at(tmp_path, 10, "INSERT INTO feeds (url, source, etag, polls) VALUES"
              " ('https://u:s3cret@x/feed?token=t0k', 'a', '\"v1\"', 3),"
              " ('https://x/feed?token=older', 'a', '\"v0\"', 1),"
              " ('https://me@medium.example/@me/feed', 'b', NULL, 1)")
    store = StateStore(tmp_path)
    assert store.feed_state("a", "https://x/feed?token=REDACTED") is not None
    assert store.feed_state("b", "https://medium.example/@me/feed") is not None
    store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "state.sqlite3").iterdump())
    assert "s3cret" not in dump and "t0k" not in dump and "older" not in dump
    assert dump.count("INSERT INTO \"feeds\"") == 2


def test_a_version_7_feed_stays_with_its_source_and_no_other(tmp_path: Path) -> None:
    # Before migration 8 a feed was keyed by URL alone: its row goes to the source that polled
    # it last; another source listing the URL starts without validators (an unconditional GET).
    _state_at(tmp_path, 7, "INSERT INTO feeds (url, source, etag, polls, skip_hours) VALUES"
              " ('https://x/feed', 'all', '\"v1\"', 3, '4'),"
              " ('https://y/feed', NULL, '\"y\"', 1, '')")
    store = StateStore(tmp_path)
    feed = store.feed_state("all", "https://x/feed")
    assert feed is not None and (feed.etag, feed.polls, feed.skip_hours) == ('"v1"', 3, {4})
    assert store.feed_state("topical", "https://x/feed") is None
    assert store.feeds_by_source() == {"all": (3, 0, 0)}  # the sourceless row counts for none
    store.record_polls([FeedPoll("topical", "https://x/feed", 200, '"v2"')], "t")
    assert store.feed_state("all", "https://x/feed").etag == '"v1"'  # type: ignore[union-attr]
    store.close()


def test_a_version_8_feed_takes_its_last_fetch_as_its_last_poll(tmp_path: Path) -> None:
    # Before migration 9 only the run's finish time was kept: a feed held off by skipHours
    # needs when it was read, and an upgraded state must not count it as never read.
    _state_at(tmp_path, 8, "INSERT INTO feeds (source, url, polls, skip_hours, last_fetch)"
              " VALUES ('s', 'https://x/feed', 3, '6', '2026-12-06T06:00:05Z')")
    store = StateStore(tmp_path)
    feed = store.feed_state("s", "https://x/feed")
    assert feed is not None and feed.skip_days == frozenset()
    assert feed.last_poll == datetime(2026, 12, 6, 6, 0, 5, tzinfo=UTC).timestamp()
    store.close()
