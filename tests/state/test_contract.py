"""The State contract, run against SQLite and against a real Redis server alike."""

from __future__ import annotations

import pytest

from crawler.models import FeedPoll, StoredSignature, StoredStory
from crawler.state import SeenRow, State
from tests.state.conftest import Opener

URL = "https://x.example/feed"


def sig(ident: str, ts: float, story: str = "s", tokens: tuple[str, ...] = ("nato",),
        body: bytes | None = None, *, seen: float | None = None) -> StoredSignature:
    return StoredSignature(ident, story, ident, ts, "de", tokens, b"\x00\x01" + ident.encode(),
                           body, seen=seen)


def poll(status: int = 200, **fields: object) -> FeedPoll:
    return FeedPoll("src", URL, status, **fields)  # type: ignore[arg-type]


# -- meta ---------------------------------------------------------------------------------------
def test_meta_round_trips_and_overwrites(state: State) -> None:
    assert state.get_meta("k") is None
    state.set_meta("k", "v1")
    state.set_meta("k", "vé2")
    assert state.get_meta("k") == "vé2"


def test_params_fingerprint_survives_reopening(opener: Opener) -> None:
    first = opener()
    assert first.params_fingerprint() is None
    first.set_params_fingerprint("fp")
    first.close()
    assert opener().params_fingerprint() == "fp"


# -- seen entries -------------------------------------------------------------------------------
def test_mark_seen_updates_hash_and_revision_and_coalesces_fingerprint(state: State) -> None:
    state.mark_seen([SeenRow("a", "h1", 1, "https://x/a", "s", "fp1")], "t1")
    state.mark_seen([SeenRow("a", "h2", 2, "https://x/a2", "s2")], "t2")
    seen = state.seen(["a", "b"])
    assert list(seen) == ["a"] and (seen["a"].content_hash, seen["a"].revision) == ("h2", 2)
    assert state.entry_fingerprints(["a", "b"]) == {"a": "fp1"}
    state.mark_seen([SeenRow("a", "h2", 2, "https://x/a", "s", "fp2")], "t3")
    assert state.entry_fingerprints(["a"]) == {"a": "fp2"}


def test_seen_answers_large_batches(state: State) -> None:
    rows = [SeenRow(f"id{i}", f"h{i}", 1, f"https://x/{i}", "s", f"fp{i}" if i % 2 else None)
            for i in range(1203)]
    state.mark_seen(rows, "t")
    asked = [f"id{i}" for i in range(0, 1300, 7)]
    assert set(state.seen(asked)) == {i for i in asked if int(i[2:]) < 1203}
    assert len(state.entry_fingerprints(r.id for r in rows)) == 601
    assert state.count_entries() == 1203


def test_duplicate_rows_in_one_call_apply_in_order(state: State) -> None:
    state.mark_seen([SeenRow("a", "h1", 1, "u", "s", "fp1"), SeenRow("a", "h2", 2, "u", "s")], "t")
    assert state.seen(["a"])["a"].revision == 2
    assert state.entry_fingerprints(["a"]) == {"a": "fp1"}
    assert state.count_entries() == 1


# -- feeds --------------------------------------------------------------------------------------
def test_unknown_feed_has_no_state(state: State) -> None:
    assert state.feed_state("src", URL) is None
    assert state.feeds_by_source() == {}


def test_first_poll_is_stored_as_it_came_even_when_it_failed(state: State) -> None:
    state.record_polls([poll(0, etag='"e"', error="timeout", skip_hours=frozenset({3}),
                             lying=True, next_check=12.5)], "t1")
    feed = state.feed_state("src", URL)
    assert feed is not None
    assert (feed.etag, feed.polls, feed.error_streak, feed.validators_disabled) == ('"e"', 1, 1,
                                                                                    True)
    assert (feed.next_check, feed.skip_hours, feed.url) == (12.5, frozenset({3}), URL)


def test_304_keeps_validators_and_skip_hours(state: State) -> None:
    state.record_polls([poll(200, etag='"v1"', last_modified="Mon", body_hash="b1",
                             skip_hours=frozenset({1, 2}), next_check=100.25)], "t1")
    state.record_polls([poll(304, etag='"ignored"', skip_hours=frozenset({5}))], "t2")
    feed = state.feed_state("src", URL)
    assert feed is not None
    assert (feed.etag, feed.last_modified, feed.body_hash, feed.polls) == ('"v1"', "Mon", "b1", 2)
    assert feed.skip_hours == {1, 2} and feed.next_check is None and feed.error_streak == 0


def test_the_last_poll_time_follows_every_poll_and_skip_days_stay_on_a_304(state: State) -> None:
    state.record_polls([poll(200, skip_days=frozenset({5, 6}), polled_at=1000.5)], "t1")
    feed = state.feed_state("src", URL)
    assert feed is not None and (feed.skip_days, feed.last_poll) == ({5, 6}, 1000.5)
    state.record_polls([poll(304, skip_days=frozenset({0}), polled_at=2000.25)], "t2")
    state.record_polls([poll(0, error="timeout", polled_at=3000.0)], "t3")
    feed = state.feed_state("src", URL)
    assert feed is not None and (feed.skip_days, feed.last_poll) == ({5, 6}, 3000.0)
    state.record_polls([poll(200, skip_days=frozenset())], "t4")  # no time: the last stays
    feed = state.feed_state("src", URL)
    assert feed is not None and (feed.skip_days, feed.last_poll) == (frozenset(), 3000.0)


def test_failures_keep_validators_and_skip_hours_and_lengthen_the_streak(state: State) -> None:
    state.record_polls([poll(200, etag='"v1"', skip_hours=frozenset({1}))], "t1")
    state.record_polls([poll(500, etag='"x"', error="http_500", skip_hours=frozenset())], "t2")
    state.record_polls([poll(0, error="timeout", body_hash="b9")], "t3")
    feed = state.feed_state("src", URL)
    assert feed is not None
    assert (feed.error_streak, feed.etag, feed.body_hash) == (2, '"v1"', "b9")
    assert feed.skip_hours == {1}
    state.record_polls([poll(200, body_hash=None)], "t4")
    feed = state.feed_state("src", URL)
    assert feed is not None
    assert (feed.error_streak, feed.etag, feed.body_hash, feed.polls) == (0, None, "b9", 4)


def test_a_deferred_429_leaves_the_error_streak_as_it_was(state: State) -> None:
    # The server asked for a rest (Retry-After): neither a failure nor an answer that ends a
    # failing streak. Before: the streak went back to 0, so a dying feed looked well again.
    state.record_polls([poll(500, error="http_500")], "t1")
    state.record_polls([poll(429, next_check=9e9)], "t2")
    feed = state.feed_state("src", URL)
    assert feed is not None and (feed.error_streak, feed.last_status) == (1, 429)
    state.record_polls([poll(200)], "t3")
    feed = state.feed_state("src", URL)
    assert feed is not None and feed.error_streak == 0


def test_disabled_validators_stay_disabled(state: State) -> None:
    state.record_polls([poll(200, body_hash="b1", lying=True)], "t1")
    state.record_polls([poll(200, etag='"v2"', body_hash="b2")], "t2")
    feed = state.feed_state("src", URL)
    assert feed is not None and feed.validators_disabled and feed.etag == '"v2"'


def test_two_polls_of_one_feed_in_one_call_both_count(state: State) -> None:
    state.record_polls([poll(200, etag='"a"'), poll(0, error="timeout")], "t")
    feed = state.feed_state("src", URL)
    assert feed is not None and (feed.polls, feed.error_streak, feed.etag) == (2, 1, '"a"')


def test_feeds_by_source_sums_polls_counts_304s_and_takes_the_worst_streak(state: State) -> None:
    state.record_polls([FeedPoll("a", "https://a/1", 200), FeedPoll("a", "https://a/2", 304),
                        FeedPoll("b", "https://b/1", 0, error="timeout")], "t1")
    state.record_polls([FeedPoll("a", "https://a/1", 304), FeedPoll("a", "https://a/2", 304),
                        FeedPoll("b", "https://b/1", 0, error="timeout")], "t2")
    assert state.feeds_by_source() == {"a": (4, 2, 0), "b": (2, 0, 2)}


def test_a_feed_url_the_source_no_longer_polls_has_no_say_in_its_streak(state: State) -> None:
    # The feed moved and the sources file was mended: the old URL's row keeps the failures
    # it had, and `sources list` and `stats --state-dir` called the source failing for good.
    for now in ("t1", "t2"):
        state.record_polls([FeedPoll("a", "https://a/old", 404, error="http_404"),
                            FeedPoll("b", "https://b/1", 0, error="timeout")], now)
    state.record_polls([FeedPoll("a", "https://a/new", 200)], "t3")
    assert state.feeds_by_source() == {"a": (3, 0, 0), "b": (2, 0, 2)}
    state.record_polls([FeedPoll("a", "https://a/new", 0, error="timeout")], "t4")
    assert state.feeds_by_source()["a"] == (4, 0, 1)


def test_two_sources_of_one_feed_url_keep_their_own_validators(state: State) -> None:
    # A topic-filtered and an unfiltered source listing one feed: what one has seen (its ETag
    # answered 304) says nothing of the other, whose first poll must be unconditional.
    state.record_polls([FeedPoll("all", URL, 200, etag='"v1"')], "t1")
    state.record_polls([FeedPoll("all", URL, 304)], "t2")
    assert state.feed_state("topical", URL) is None
    state.record_polls([FeedPoll("topical", URL, 200, etag='"v2"')], "t3")
    first, second = state.feed_state("all", URL), state.feed_state("topical", URL)
    assert first is not None and (first.etag, first.polls) == ('"v1"', 2)
    assert second is not None and (second.etag, second.polls) == ('"v2"', 1)
    assert state.feeds_by_source() == {"all": (2, 1, 0), "topical": (1, 0, 0)}


def test_every_source_of_a_feed_url_is_found_by_the_url(state: State) -> None:
    # The server's rest (a Retry-After told to one source) holds for all: found by URL, its
    # glob characters taken literally ("?", "[2]" and "*" would match the decoy's "!2xyz").
    url = "https://x.example/feed?a=1&b=[2]*"
    state.record_polls([FeedPoll("b", url, 503, next_check=99.0, error="http_503"),
                        FeedPoll("a", url, 200, etag='"a"'),
                        FeedPoll("a", "https://x.example/feed!a=1&b=2xyz", 200)], "t")
    found = state.feed_states(url)
    assert [(f.etag, f.next_check) for f in found] == [('"a"', None), (None, 99.0)]
    assert state.feed_states("https://x.example/other") == []


# -- signatures ---------------------------------------------------------------------------------
def test_signatures_load_by_window_in_ts_then_id_order(state: State) -> None:
    state.add([sig("b", 2.0), sig("a", 2.0), sig("c", 1.0), sig("d", 3.5, body=b"\xff")])
    assert [r.id for r in state.load(since=2.0)] == ["a", "b", "d"]
    assert [r.id for r in state.load(since=0.0)] == ["c", "a", "b", "d"]
    assert list(state.load(since=3.6)) == []


def test_signatures_round_trip_every_field(state: State) -> None:
    rows = [sig("a", 1764374400.123456, tokens=("nato", "putin"), body=b"\x00\xff",
                seen=1764374500.5),
            StoredSignature("b", "s2", "a", 5.0, None, (), b"", None, source="zeitung",
                            seen=6.0)]
    state.add(rows)
    assert list(state.load(0.0)) == rows[::-1]  # by ts


def test_a_signature_stored_without_seen_reads_back_seen_at_its_ts(state: State) -> None:
    state.add([sig("a", 5.0)])
    assert [r.seen for r in state.load(0.0)] == [5.0]


def test_signatures_stay_by_when_they_entered_the_window_not_their_ts(state: State) -> None:
    # Published long before (a backfill), stored at 100: the window keeps it from 100 on.
    # Before, load and evict went by ts, and the next run met none of a backfill's records.
    state.add([sig("old", 1.0, seen=100.0), sig("new", 90.0, seen=50.0)])
    assert [r.id for r in state.load(since=60.0)] == ["old"]
    assert [r.id for r in state.load(since=0.0)] == ["old", "new"]  # by ts still
    assert state.evict(before=60.0) == 1
    assert [r.id for r in state.load(0.0)] == ["old"]


def test_adding_an_existing_id_is_ignored(state: State) -> None:
    state.add([sig("a", 1.0, story="first")])
    state.add([sig("a", 9.0, story="second"), sig("b", 2.0)])
    assert [(r.id, r.story_id, r.ts) for r in state.load(0.0)] == [("a", "first", 1.0),
                                                                   ("b", "s", 2.0)]


def test_evict_deletes_older_signatures_and_counts_them(state: State) -> None:
    state.add([sig(f"id{i}", float(i)) for i in range(5)])
    assert state.evict(before=2.0) == 2
    assert state.evict(before=2.0) == 0
    assert [r.id for r in state.load(0.0)] == ["id2", "id3", "id4"]


def test_evict_inside_a_block_applies_at_its_end(state: State) -> None:
    state.add([sig("a", 1.0), sig("b", 5.0)])
    with state.atomic():
        assert state.evict(before=2.0) == 1
    assert [r.id for r in state.load(0.0)] == ["b"]


# -- stories ------------------------------------------------------------------------------------
def story(ident: str, last_seen: float, payload: bytes = b"\x01",
          seen: float | None = None) -> StoredStory:
    """A stored story as it loads back: kept from its ``last_seen`` unless ``seen``."""
    return StoredStory(ident, last_seen, payload + ident.encode(),
                       last_seen if seen is None else seen)


def test_stories_load_by_window_in_last_seen_then_id_order(state: State) -> None:
    state.save_stories([story("sb", 2.0), story("sa", 2.0), story("sc", 1.0),
                        story("sd", 3.5, b"\x00\xff")])
    assert [r.story_id for r in state.load_stories(since=2.0)] == ["sa", "sb", "sd"]
    assert next(iter(state.load_stories(since=0.0))) == story("sc", 1.0)
    assert list(state.load_stories(since=3.6)) == []


def test_saving_a_stored_story_replaces_its_time_and_payload(state: State) -> None:
    state.save_stories([story("sa", 1.0), story("sb", 2.0)])
    state.save_stories([StoredStory("sa", 9.0, b"grown")])
    assert list(state.load_stories(0.0)) == [story("sb", 2.0),
                                             StoredStory("sa", 9.0, b"grown", 9.0)]


def test_stories_stay_by_when_a_run_kept_them_not_their_last_member(state: State) -> None:
    # A backfill's story (its latest member published at 1.0) kept by a run at 100, and a
    # story published at 90 that no run kept since 50: the window keeps the first. Before,
    # load and evict went by last_seen, and the next run met none of a backfill's stories.
    state.save_stories([story("old", 1.0, seen=100.0), story("new", 90.0, seen=50.0)])
    assert [r.story_id for r in state.load_stories(since=60.0)] == ["old"]
    assert [r.story_id for r in state.load_stories(since=0.0)] == ["old", "new"]  # by last_seen
    assert state.evict_stories(before=60.0) == 1
    assert list(state.load_stories(0.0)) == [story("old", 1.0, seen=100.0)]


def test_evict_stories_deletes_older_ones_and_counts_them(state: State) -> None:
    state.save_stories([story(f"s{i}", float(i)) for i in range(5)])
    with state.atomic():
        assert state.evict_stories(before=2.0) == 2
    assert state.evict_stories(before=2.0) == 0
    assert [r.story_id for r in state.load_stories(0.0)] == ["s2", "s3", "s4"]


def test_story_params_fingerprint_is_its_own_and_survives_reopening(opener: Opener) -> None:
    first = opener()
    first.set_params_fingerprint("dedup")
    assert first.story_params_fingerprint() is None
    first.set_story_params_fingerprint("stories")
    first.close()
    reopened = opener()
    assert (reopened.params_fingerprint(), reopened.story_params_fingerprint()) == (
        "dedup", "stories")


# -- delivery journal ---------------------------------------------------------------------------
def test_delivery_journal_lifecycle(state: State) -> None:
    assert state.pending_deliveries() == []
    state.journal_delivery("r2", '{"b": 2}')
    state.journal_delivery("r1", '{"a": 1}')
    assert state.pending_deliveries() == [("r1", '{"a": 1}'), ("r2", '{"b": 2}')]
    state.mark_delivered("r1")
    state.mark_delivered("never-journalled")
    assert state.pending_deliveries() == [("r2", '{"b": 2}')]
    state.journal_delivery("r1", '{"a": 7}')  # journalled again: pending again
    state.forget_delivery("r2")
    assert state.pending_deliveries() == [("r1", '{"a": 7}')]


# -- atomic -------------------------------------------------------------------------------------
def write_everything(state: State) -> None:
    state.set_meta("k", "v")
    state.mark_seen([SeenRow("a", "h", 1, "u", "s", "fp")], "t")
    state.record_polls([poll(200, etag='"e"')], "t")
    state.add([sig("a", 1.0)])
    state.save_stories([story("sa", 1.0)])
    state.journal_delivery("r1", "{}")
    state.mark_delivered("r0")


def assert_nothing_written(state: State) -> None:
    assert state.get_meta("k") is None and state.seen(["a"]) == {}
    assert state.feed_state("src", URL) is None and list(state.load(0.0)) == []
    assert list(state.load_stories(0.0)) == []
    assert state.pending_deliveries() == [("r0", "{}")]


def test_a_block_that_raises_applies_nothing(state: State) -> None:
    state.journal_delivery("r0", "{}")
    with pytest.raises(RuntimeError), state.atomic():
        write_everything(state)
        raise RuntimeError("disk full")
    assert_nothing_written(state)


def test_a_block_applies_everything_at_its_end(state: State) -> None:
    state.journal_delivery("r0", "{}")
    with state.atomic():
        write_everything(state)
    assert state.get_meta("k") == "v" and state.entry_fingerprints(["a"]) == {"a": "fp"}
    assert state.pending_deliveries() == [("r1", "{}")] and state.count_entries() == 1
    assert list(state.load_stories(0.0)) == [story("sa", 1.0)]
    feed = state.feed_state("src", URL)
    assert feed is not None and feed.etag == '"e"'


def test_nested_blocks_commit_only_with_the_outermost(opener: Opener) -> None:
    state, observer = opener(), opener()
    with state.atomic():
        with state.atomic():
            state.set_meta("k", "inner")
        assert observer.get_meta("k") is None
        state.set_meta("j", "outer")
    assert (observer.get_meta("k"), observer.get_meta("j")) == ("inner", "outer")


def test_an_error_in_a_nested_block_rolls_back_the_outer_one(state: State) -> None:
    state.journal_delivery("r0", "{}")
    with pytest.raises(KeyError), state.atomic():
        write_everything(state)
        with state.atomic():
            state.set_meta("k2", "v")
            raise KeyError("boom")
    assert_nothing_written(state)
    assert state.get_meta("k2") is None


def test_the_store_is_usable_after_a_rolled_back_block(state: State) -> None:
    with pytest.raises(RuntimeError), state.atomic():
        state.set_meta("k", "lost")
        raise RuntimeError
    state.set_meta("k", "kept")
    with state.atomic():
        state.set_meta("j", "kept too")
    assert (state.get_meta("k"), state.get_meta("j")) == ("kept", "kept too")
