from __future__ import annotations

from crawler.models import FeedState
from crawler.polling import (
    UNCONDITIONAL_EVERY,
    caught_lying,
    conditional_headers,
    is_due,
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


def test_skip_hours_make_a_feed_not_due_in_those_utc_hours() -> None:
    state = FeedState("u", skip_hours=frozenset({2, 3}))
    at_0230 = 1_764_383_400.0  # 2025-11-29T02:30:00Z
    assert not is_due(state, at_0230)
    assert is_due(state, at_0230 + 3600 * 2)
