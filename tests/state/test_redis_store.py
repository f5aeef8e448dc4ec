"""What only the Redis state has: URLs, namespaces, per-writer journals, its schema key."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest
import redis

from crawler.errors import StateError
from crawler.models import FeedPoll, StoredSignature
from crawler.state import StateStore, open_state
from crawler.state.redis_client import READ_TIMEOUT_S
from crawler.state.redis_store import SCHEMA_VERSION, RedisStateStore
from tests.conftest import REPO
from tests.redisrv import free_port, start
from tests.state.silent import frozen, within


def test_a_new_namespace_gets_the_schema_version(redis_url: str, namespace: str) -> None:
    RedisStateStore(redis_url, namespace=namespace).close()
    raw = redis.Redis.from_url(redis_url).hget(f"{namespace}:meta", "schema_version")
    assert raw == str(SCHEMA_VERSION).encode()


def test_a_namespace_of_layout_1_is_raised_to_the_current_one(redis_url: str,
                                                              namespace: str) -> None:
    redis.Redis.from_url(redis_url).hset(f"{namespace}:meta", "schema_version", 1)
    state = RedisStateStore(redis_url, namespace=namespace)
    assert state.get_meta("schema_version") == str(SCHEMA_VERSION) == "4"
    assert list(state.load_stories(0.0)) == []


def test_a_newer_schema_is_refused(redis_url: str, namespace: str) -> None:
    redis.Redis.from_url(redis_url).hset(f"{namespace}:meta", "schema_version",
                                         SCHEMA_VERSION + 1)
    with pytest.raises(StateError, match="newer than this policywire understands"):
        RedisStateStore(redis_url, namespace=namespace)


def test_a_foreign_schema_value_is_refused(redis_url: str, namespace: str) -> None:
    redis.Redis.from_url(redis_url).hset(f"{namespace}:meta", "schema_version", "banana")
    with pytest.raises(StateError, match="not a policywire state"):
        RedisStateStore(redis_url, namespace=namespace)


def test_unreachable_server_is_a_state_error_without_the_password() -> None:
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    with pytest.raises(StateError, match="cannot connect to Redis") as caught:
        RedisStateStore(url)
    message = str(caught.value)
    assert "127.0.0.1" in message and "s3cret" not in message and "***" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("url", ["redis://127.0.0.1:notaport/0", "redis://127.0.0.1:99999/0",
                                 "redis://[127.0.0.1/0", "http://127.0.0.1:6379/0"])
def test_a_bad_url_is_a_state_error(url: str) -> None:
    with pytest.raises(StateError, match=r"127\.0\.0\.1"):
        RedisStateStore(url)


def test_a_server_lost_mid_run_is_a_state_error(tmp_path: Path, namespace: str) -> None:
    server = start(tmp_path)
    state = RedisStateStore(server.url, namespace=namespace)
    server.stop()
    with pytest.raises(StateError, match=r"127\.0\.0\.1"):
        state.seen(["a"])
    with pytest.raises(StateError, match="cannot commit"), state.atomic():
        state.set_meta("k", "v")


def test_open_state_picks_the_backend_by_url(redis_url: str, tmp_path: Path) -> None:
    shared = open_state(redis_url, writer="host:/out")
    local = open_state(tmp_path / "state")
    assert isinstance(shared, RedisStateStore) and shared.keys.writer == "host:/out"
    assert isinstance(local, StateStore) and isinstance(open_state(str(tmp_path)), StateStore)
    shared.close()
    local.close()


def test_each_writer_sees_only_its_own_deliveries(redis_url: str, namespace: str) -> None:
    one = RedisStateStore(redis_url, namespace=namespace, writer="host-a:/srv/out")
    two = RedisStateStore(redis_url, namespace=namespace, writer="host-b:/srv/out")
    one.journal_delivery("r1", '{"a": 1}')
    two.journal_delivery("r2", '{"b": 2}')
    two.mark_delivered("r1")
    assert one.pending_deliveries() == [("r1", '{"a": 1}')]
    assert two.pending_deliveries() == [("r2", '{"b": 2}')]
    one.set_meta("shared", "yes")  # everything else is one state
    assert two.get_meta("shared") == "yes"


def test_namespaces_are_separate_states(redis_url: str, namespace: str) -> None:
    one = RedisStateStore(redis_url, namespace=namespace)
    two = RedisStateStore(redis_url, namespace=namespace + "-other")
    one.set_params_fingerprint("fp")
    assert two.params_fingerprint() is None


def test_every_key_lives_under_the_namespace(redis_url: str, namespace: str) -> None:
    from tests.state.test_contract import write_everything

    state = RedisStateStore(redis_url, namespace=namespace, writer="w")
    with state.atomic():
        write_everything(state)
    assert state.evict(before=0.5) == 0
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = set(client.keys(f"{namespace}:*"))
    assert keys == {f"{namespace}:{k}" for k in ("meta", "entries", "feeds", "signatures",
                                                 "signatures:by_ts", "stories",
                                                 "stories:by_seen", "deliveries:w",
                                                 "delivered:w", "commits")}


def test_callers_writes_join_the_block(redis_url: str, namespace: str) -> None:
    state = RedisStateStore(redis_url, namespace=namespace)
    client = redis.Redis.from_url(redis_url)
    with pytest.raises(RuntimeError), state.atomic():
        state.join(lambda pipe: pipe.set(f"{namespace}:mine", "1"))
        raise RuntimeError
    assert client.get(f"{namespace}:mine") is None
    with state.atomic():
        state.join(lambda pipe: pipe.set(f"{namespace}:mine", "1"))
        assert client.get(f"{namespace}:mine") is None
    assert client.get(f"{namespace}:mine") == b"1"


def test_reads_inside_a_block_see_the_state_before_it(redis_url: str, namespace: str) -> None:
    state = RedisStateStore(redis_url, namespace=namespace)
    state.set_meta("k", "before")
    with state.atomic():
        state.set_meta("k", "queued")
        assert state.get_meta("k") == "before"  # documented: writes wait for EXEC
    assert state.get_meta("k") == "queued"


def test_the_package_imports_without_redis_until_asked() -> None:
    code = ("import sys; import crawler.state, crawler.delivery; "
            "assert 'redis' not in sys.modules; crawler.state.RedisLock; "
            "assert 'redis' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


class ReplyDropper:
    """A TCP proxy to Redis that forwards an EXEC, then hangs up instead of answering."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.removeprefix("redis://").split("/")[0].split(":")
        self._upstream = (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._sockets: list[socket.socket] = [self._listener]
        self.url = f"redis://127.0.0.1:{self._listener.getsockname()[1]}/0"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        for sock in self._sockets:
            sock.close()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # the listener closed: the test is over
            while True:
                client, _ = self._listener.accept()
                server = socket.create_connection(self._upstream)
                self._sockets += [client, server]
                exec_sent = threading.Event()
                for pump in (self._up, self._down):
                    threading.Thread(target=pump, args=(client, server, exec_sent),
                                     daemon=True).start()

    @staticmethod
    def _up(client: socket.socket, server: socket.socket, exec_sent: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                server.sendall(data)
                if b"EXEC" in data:
                    exec_sent.set()

    @staticmethod
    def _down(client: socket.socket, server: socket.socket, exec_sent: threading.Event) -> None:
        with contextlib.suppress(OSError):
            while data := server.recv(65536):
                if exec_sent.is_set() and b"*" in data:  # the EXEC reply: executed, then lost
                    client.shutdown(socket.SHUT_RDWR)
                    return
                client.sendall(data)


def test_a_commit_whose_reply_was_lost_counts_as_committed(redis_url: str,
                                                           namespace: str) -> None:
    proxy = ReplyDropper(redis_url)
    state = RedisStateStore(proxy.url, namespace=namespace)
    direct = RedisStateStore(redis_url, namespace=namespace)
    try:
        with state.atomic():
            state.record_polls([FeedPoll("s", "https://x/feed", 200)], "t")
        feed = direct.feed_state("s", "https://x/feed")
        assert feed is not None and feed.polls == 1  # applied once, not reported as failed
    finally:
        state.close()
        direct.close()
        proxy.close()


def test_a_signature_stored_before_sources_were_kept_loads_as_unknown(
        redis_url: str, namespace: str) -> None:
    # The msgpack map of a StoredSignature as written before its source field existed.
    old = msgspec.msgpack.encode({"id": "a", "story_id": "s", "canonical_id": "a", "ts": 5.0,
                                  "language": "de", "title_tokens": ["nato"],
                                  "title_sig": b"\x00", "body_sig": None})
    client = redis.Redis.from_url(redis_url)
    client.hset(f"{namespace}:signatures", "a", old)
    client.zadd(f"{namespace}:signatures:by_ts", {"a": 5.0})
    state = RedisStateStore(redis_url, namespace=namespace)
    assert list(state.load(0.0)) == [StoredSignature("a", "s", "a", 5.0, "de", ("nato",),
                                                     b"\x00", None, source="")]


def test_a_layout_2_namespace_keeps_each_feed_under_its_source(redis_url: str,
                                                              namespace: str) -> None:
    # Layout 2 keyed a feed by its URL alone (msgpack as msgspec wrote it for RECORD_POLLS).
    client = redis.Redis.from_url(redis_url)
    client.hset(f"{namespace}:meta", "schema_version", 2)
    old = msgspec.msgpack.encode({"source": "all", "etag": '"v1"', "lm": None, "body": "b",
                                  "status": 200, "fetch": "t", "streak": 0, "polls": 3,
                                  "vd": 0, "next": None, "skip": "4"})
    client.hset(f"{namespace}:feeds", "https://x/feed", old)
    state = RedisStateStore(redis_url, namespace=namespace)
    RedisStateStore(redis_url, namespace=namespace).close()  # a second opener: no second move
    feed = state.feed_state("all", "https://x/feed")
    assert feed is not None and (feed.etag, feed.polls, feed.skip_hours) == ('"v1"', 3, {4})
    assert state.feed_state("topical", "https://x/feed") is None
    assert client.hkeys(f"{namespace}:feeds") == [b"all https://x/feed"]
    assert state.get_meta("schema_version") == "4"


def test_a_layout_3_feed_url_loses_its_credentials_and_keeps_its_validators(
        redis_url: str, namespace: str) -> None:
    # As SQLite's migration 11: the crawl keys a feed by its URL without credentials since
    # crawler.redact; a namespace written before kept the password and token in plain text
    # (and the validators under a field no run would ask for again).
    client = redis.Redis.from_url(redis_url)
    client.hset(f"{namespace}:meta", "schema_version", 3)
    def value(etag: str, fetch: str) -> bytes:
        return msgspec.msgpack.encode({"source": "a", "etag": etag, "status": 200,
                                       "fetch": fetch, "streak": 0, "polls": 1, "vd": 0})
    client.hset(f"{namespace}:feeds", mapping={
        "a https://u:s3cret@x/feed?token=t0k": value('"v1"', "t2"),
        "a https://x/feed?token=older": value('"v0"', "t1"),
        "a https://x/plain": value('"p"', "t1")})
    state = RedisStateStore(redis_url, namespace=namespace)
    RedisStateStore(redis_url, namespace=namespace).close()  # a second opener: nothing moves
    feed = state.feed_state("a", "https://x/feed?token=REDACTED")
    assert feed is not None and feed.etag == '"v1"'
    assert sorted(client.hkeys(f"{namespace}:feeds")) == [
        b"a https://x/feed?token=REDACTED", b"a https://x/plain"]
    assert state.get_meta("schema_version") == "4"


def test_a_feed_stored_before_poll_times_were_kept_takes_its_last_fetch(redis_url: str,
                                                                       namespace: str) -> None:
    client = redis.Redis.from_url(redis_url)
    RedisStateStore(redis_url, namespace=namespace).close()
    old = msgspec.msgpack.encode({"source": "s", "status": 200, "fetch": "2026-12-06T06:00:05Z",
                                  "streak": 0, "polls": 3, "vd": 0, "skip": "6"})
    client.hset(f"{namespace}:feeds", "s https://x/feed", old)
    state = RedisStateStore(redis_url, namespace=namespace)
    feed = state.feed_state("s", "https://x/feed")
    state.close()
    assert feed is not None and (feed.skip_hours, feed.skip_days) == ({6}, frozenset())
    assert feed.last_poll == datetime(2026, 12, 6, 6, 0, 5, tzinfo=UTC).timestamp()


def test_a_state_on_a_redis_gone_silent_fails_within_seconds(tmp_path: Path) -> None:
    server = start(tmp_path)
    try:
        state = RedisStateStore(server.url, namespace="t")
        with frozen(server):
            # Before, with redis-py 5-7: the read waited for ever, and with it the merge.
            took, raised = within(60, state.count_entries)
        state.close()
    finally:
        server.stop()
    assert isinstance(raised, StateError), raised
    assert "TimeoutError" in str(raised) and "127.0.0.1" in str(raised)
    assert took < READ_TIMEOUT_S + 2
