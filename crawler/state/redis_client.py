"""Connecting to Redis, and turning its failures into :class:`crawler.errors.StateError`.

The one place that builds a redis-py client for the state, its locks and its host pacer (and
the keywords datasketch builds the shared LSH index's client from), so that every Redis fault
reaches the user as one line naming the server (its password replaced by ``***``) instead of
a redis-py traceback, and so that retries are off: a transaction whose reply was lost must
fail, never be sent twice (a second EXEC of the merge's MULTI would count every feed poll
twice).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from crawler.errors import StateError, StateUnavailable
from crawler.redact import mask_password
from crawler.state import is_redis_url

# A server that does not take a connection within this many seconds counts as down (the
# default of redis-py is to wait forever).
CONNECT_TIMEOUT_S = 5.0
# Nor one that takes it and then says nothing for this long: redis-py 5-7 (the pin allows
# them) wait forever, 8 five seconds, and a Redis that accepts but never answers (stopped
# with SIGSTOP, a hung host behind a proxy) held a worker's PING, and its crawl's reactor
# thread, until the job timeout (an hour). The state's longest commands (a merge's
# MULTI/EXEC, a 500-row script, the window's ZRANGE) take well under a second, waiting
# behind another worker's too (redis-py 8's own default, the one these ran with before).
# No state command blocks on purpose; RQ's BLMOVE gets connections of RQ's longer timeout
# (queue.work).
READ_TIMEOUT_S = 5.0


def connect(url: str, read_timeout_s: float = READ_TIMEOUT_S) -> redis.Redis:
    """A client for ``url`` that has answered PING, else :class:`StateUnavailable` (a
    server down or silent) or :class:`StateError` (a bad URL, a refused login). A command
    not answered within ``read_timeout_s`` fails with a :class:`redis.TimeoutError`."""
    shown = mask_password(url)
    if not is_redis_url(url):
        raise StateError(f"{shown}: not a Redis URL (use redis://, rediss:// or unix://)")
    try:
        client = redis.Redis.from_url(url, **_options(read_timeout_s))
    except ValueError as exc:
        raise StateError(f"{shown}: invalid Redis URL: {exc}") from None
    try:
        client.ping()
    except redis.RedisError as exc:
        said = f"{shown}: cannot connect to Redis: {type(exc).__name__}: {exc}"
        down = isinstance(exc, (redis.ConnectionError, redis.TimeoutError))
        # Down, not listening, or silent for CONNECT_TIMEOUT_S or read_timeout_s: a service
        # to start (exit 69), unlike a wrong password or a state to repair.
        if down and not isinstance(exc, redis.AuthenticationError):
            raise StateUnavailable(said) from None
        raise StateError(said) from None
    return client


def client_keywords(url: str, read_timeout_s: float = READ_TIMEOUT_S) -> dict[str, Any]:
    """``redis.Redis(**keywords)``'s keywords for ``url`` with our timeouts and no retries,
    for a library that builds its own client from them (datasketch's Redis storage)."""
    params: dict[str, Any] = redis.connection.parse_url(url)  # type: ignore[no-untyped-call]
    if "path" in params:  # unix://: redis.Redis names it differently than the URL parser
        params["unix_socket_path"] = params.pop("path")
        params.pop("connection_class", None)
    return {**params, **_options(read_timeout_s)}


def _options(read_timeout_s: float) -> dict[str, Any]:
    return {"retry": Retry(NoBackoff(), 0), "socket_connect_timeout": CONNECT_TIMEOUT_S,
            "socket_timeout": read_timeout_s}


def client_for(client_or_url: redis.Redis | str,
               read_timeout_s: float = READ_TIMEOUT_S) -> redis.Redis:
    """A given client as it is, or a new one connected to a URL."""
    if isinstance(client_or_url, str):
        return connect(client_or_url, read_timeout_s)
    return client_or_url


@contextmanager
def guard(shown_url: str, doing: str = "Redis failed") -> Iterator[None]:
    """Raise a redis-py error in the block as :class:`StateError` naming the server."""
    try:
        yield
    except redis.RedisError as exc:
        raise StateError(f"{shown_url}: {doing}: {type(exc).__name__}: {exc}") from None
