"""Connecting to Redis: a server that takes the connection and never answers is down."""

from __future__ import annotations

from crawler.errors import StateUnavailable
from crawler.state.redis_client import CONNECT_TIMEOUT_S, READ_TIMEOUT_S, connect
from tests.state.silent import silent_server, within


def test_a_redis_that_accepts_and_never_answers_is_unavailable_within_seconds() -> None:
    with silent_server() as url:
        # Before, with redis-py 5-7: PING waited for ever (only the connection had a
        # timeout); redis-py 8 has a default of its own (5 s).
        took, raised = within(30, lambda: connect(url))
    assert isinstance(raised, StateUnavailable), raised
    assert "cannot connect to Redis: TimeoutError" in str(raised)
    assert "127.0.0.1" in str(raised) and "secret" not in str(raised)
    assert took < READ_TIMEOUT_S + CONNECT_TIMEOUT_S
