from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from crawler.models import FeedState
from crawler.polling import (
    UNCONDITIONAL_EVERY,
    caught_lying,
    conditional_headers,
    deferral,
    forbidden_hours,
    is_due,
    longest_run,
    next_check,
    retry_after_seconds,
)

STATE = FeedState("https://x/feed", etag='"v1"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT",
                  body_hash="b1", polls=1)


def test_validators_are_sent_when_known() -> None:
    assert conditional_headers(STATE) == {"If-None-Match": '"v1"',
                                          "If-Modified-Since": STATE.last_modified}
    assert conditional_headers(None) == {}


def test_every_kth_poll_is_unconditional() -> None:
    honest = FeedState("u", etag='"v1"', polls=UNCONDITIONAL_EVERY - 1)
    assert conditional_headers(honest) == {}


def test_disabled_validators_are_never_sent() -> None:
    assert conditional_headers(FeedState("u", etag='"v"', validators_disabled=True)) == {}


def test_liar_is_caught_on_an_unconditional_poll_only() -> None:
    assert caught_lying(STATE, False, '"v1"', None, "b2")
    assert not caught_lying(STATE, True, '"v1"', None, "b2")  # we sent validators: got 200
    assert not caught_lying(STATE, False, '"v2"', None, "b2")  # honest new validator
    assert not caught_lying(STATE, False, '"v1"', None, "b1")  # nothing changed


def test_ttl_and_retry_after_set_the_next_check() -> None:
    assert next_check(1000.0, 15, None) == 1000.0 + 900
    assert next_check(1000.0, None, "120") == 1120.0
    assert next_check(1000.0, 1, "600") == 1600.0
    assert next_check(1000.0, None, None) is None
    assert not is_due(FeedState("u", next_check=2000.0), 1000.0)
    assert is_due(FeedState("u", next_check=500.0), 1000.0)


def test_retry_after_http_date_and_garbage() -> None:
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after_seconds("soon", 0.0) is None


MONDAY_0600 = datetime(2026, 12, 7, 6, 0, tzinfo=UTC).timestamp()
HOUR = 3600.0


def test_skip_hours_make_a_feed_not_due_in_those_utc_hours() -> None:
    at_0230 = 1_764_383_400.0  # 2025-11-29T02:30:00Z
    state = FeedState("u", skip_hours=frozenset({2, 3}), last_poll=at_0230 - HOUR)
    assert not is_due(state, at_0230)
    assert is_due(state, at_0230 + 3600 * 2)


def test_a_daily_run_in_a_skipped_hour_still_reads_the_feed() -> None:
    # A cron at 06:00 every day, a feed that skips 06:00: read yesterday at this time (a
    # few seconds later than today's start), never in an hour it allows.
    state = FeedState("u", skip_hours=frozenset({6}), last_poll=MONDAY_0600 - 24 * HOUR + 5)
    assert is_due(state, MONDAY_0600)
    # Read in the hour before, as an hourly poller does: the hint is obeyed.
    assert not is_due(replace(state, last_poll=MONDAY_0600 - 0.5 * HOUR), MONDAY_0600)
    # Every hour but noon skipped (23 in a row): a daily run at 06:00 still reads it daily.
    narrow = FeedState("u", skip_hours=frozenset(range(24)) - {12},
                       last_poll=MONDAY_0600 - 24 * HOUR + 5)
    assert is_due(narrow, MONDAY_0600)


def test_an_hourly_run_keeps_to_the_skipped_hours() -> None:
    night = frozenset(range(6))  # 00:00-05:59, six hours in a row
    last_read = MONDAY_0600 - 6 * HOUR - 50 * 60  # Sunday 23:10
    state = FeedState("u", skip_hours=night, last_poll=last_read)
    assert not is_due(state, MONDAY_0600 - 25 * 60)  # 05:35: 6 h 25 min, within the run
    assert is_due(state, MONDAY_0600)  # 06:00: allowed anyway
    # The 23:00 run did not happen: still less than a day since the last read, so the
    # 06:00 run, allowed, comes soon enough.
    missed = replace(state, last_poll=last_read - HOUR)
    assert not is_due(missed, MONDAY_0600 - 25 * 60)


def test_a_six_hourly_run_waits_for_an_allowed_hour() -> None:
    # A cron at 00, 06, 12 and 18 h; the feed skips midnight. Read at 18:00 Sunday: the
    # 00:00 run leaves it (before: read, 6 h > the 1.5 h the one skipped hour gave), the
    # 06:00 run reads it.
    monday_0000 = MONDAY_0600 - 6 * HOUR
    state = FeedState("u", skip_hours=frozenset({0}), last_poll=monday_0000 - 6 * HOUR + 5)
    assert not is_due(state, monday_0000)
    assert is_due(state, MONDAY_0600)
    # A 12-hourly cron at 00 and 12 h alike: it reads at noon.
    assert not is_due(replace(state, last_poll=monday_0000 - 12 * HOUR + 5), monday_0000)
    # Every run forbidden (skipHours 0, 6, 12, 18): read once a day all the same.
    every_run = FeedState("u", skip_hours=frozenset({0, 6, 12, 18}),
                          last_poll=monday_0000 - 18 * HOUR + 5)
    assert not is_due(every_run, monday_0000)
    assert is_due(replace(every_run, last_poll=monday_0000 - 24 * HOUR + 5), monday_0000)


def test_skip_days_hold_a_feed_off_for_whole_utc_days() -> None:
    weekend = frozenset({5, 6})
    sunday_noon = MONDAY_0600 - 18 * HOUR
    state = FeedState("u", skip_days=weekend, last_poll=sunday_noon - 36 * HOUR)  # Fri 23:59
    assert not is_due(state, sunday_noon)
    assert is_due(replace(state, last_poll=sunday_noon - 50 * HOUR), sunday_noon)  # Fri 10:00
    assert is_due(state, MONDAY_0600)


def test_a_feed_whose_last_poll_time_is_unknown_is_read() -> None:
    assert is_due(FeedState("u", skip_hours=frozenset({6})), MONDAY_0600)


def test_the_longest_run_of_forbidden_hours_goes_round_the_week() -> None:
    assert longest_run(forbidden_hours(frozenset({23, 0, 1}), frozenset())) == 3
    assert longest_run(forbidden_hours(frozenset({23}), frozenset({0, 6}))) == 49
    assert forbidden_hours(frozenset({1}), frozenset(range(7))) == frozenset()


def test_deferral_names_why_a_feed_is_not_due() -> None:
    now = 1_700_000_000.0
    later = now + 600
    assert deferral([FeedState("u", next_check=now - 1)], now) is None
    assert deferral([FeedState("u", next_check=later, last_status=200)], now) == ("ttl", later)
    assert deferral([FeedState("u", next_check=later, last_status=429)],
                    now) == ("retry-after", later)
    every_hour = frozenset(range(24)) - {(datetime.fromtimestamp(now, UTC).hour + 1) % 24}
    held = FeedState("u", skip_hours=every_hour, last_poll=now - 60)
    assert deferral([held], now) == ("skip-hours", None)
