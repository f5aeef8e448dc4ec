"""Leases and host pacing between workers, against a real Redis server."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

from crawler.errors import LockHeld, StateError
from crawler.redact import mask_password
from crawler.state import HostPacer, RedisLock
from tests.conftest import REPO
from tests.redisrv import free_port, start
from tests.state.silent import frozen, within


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


# -- locks --------------------------------------------------------------------------------------
def test_a_second_acquirer_waits_for_the_first_to_release(redis_url: str,
                                                          namespace: str) -> None:
    key = f"{namespace}:lock:source:nato"
    first, second = RedisLock(redis_url, key, 5.0), RedisLock(redis_url, key, 5.0)
    assert first.acquire() and first.held
    assert not second.acquire() and not second.held
    assert first.release()
    assert second.acquire()
    second.release()


def test_renewal_keeps_a_short_lease_past_its_ttl(client: redis.Redis, namespace: str) -> None:
    key = f"{namespace}:lock"
    with RedisLock(client, key, 0.5) as lock:
        time.sleep(1.5)
        assert lock.held and not RedisLock(client, key, 0.5).acquire()
        assert 0 < int(client.pttl(key)) <= 500
    assert client.exists(key) == 0


def test_a_non_owner_cannot_release(client: redis.Redis, namespace: str) -> None:
    key = f"{namespace}:lock"
    owner, other = RedisLock(client, key, 5.0), RedisLock(client, key, 5.0)
    assert owner.acquire() and not other.acquire()
    assert not other.release()
    client.set(key, "someone-else")  # the owner's lease lapsed and another took it
    assert not owner.release()
    assert client.get(key) == b"someone-else"


def test_a_holder_notices_a_takeover(client: redis.Redis, namespace: str) -> None:
    key = f"{namespace}:lock"
    lock = RedisLock(client, key, 0.3)
    assert lock.acquire()
    client.set(key, "usurper")
    time.sleep(0.4)  # past one renewal tick
    assert not lock.held and client.get(key) == b"usurper"
    lock.release()


def test_with_raises_lock_held_when_taken(client: redis.Redis, namespace: str) -> None:
    key = f"{namespace}:lock"
    with RedisLock(client, key, 5.0), pytest.raises(LockHeld, match=key), \
            RedisLock(client, key, 5.0):
        pass


def test_blocking_acquire_waits_until_released_or_times_out(client: redis.Redis,
                                                            namespace: str) -> None:
    key = f"{namespace}:lock"
    holder = RedisLock(client, key, 5.0)
    assert holder.acquire()
    started = time.monotonic()
    assert not RedisLock(client, key, 5.0).acquire(blocking=True, timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 2.0
    threading.Timer(0.3, holder.release).start()
    waiter = RedisLock(client, key, 5.0)
    assert waiter.acquire(blocking=True, timeout=5.0)
    waiter.release()


HOLDER = """
import sys, time
from crawler.state import RedisLock
lock = RedisLock(sys.argv[1], sys.argv[2], 0.5)
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_killed_holder_frees_the_lock_within_its_ttl(redis_url: str, namespace: str) -> None:
    key = f"{namespace}:lock"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, redis_url, key], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        time.sleep(1.2)  # more than two TTLs: alive only because the holder renews it
        assert not RedisLock(redis_url, key, 0.5).acquire()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = time.monotonic()
        successor = RedisLock(redis_url, key, 0.5)
        assert successor.acquire(blocking=True, timeout=5.0)
        assert time.monotonic() - killed <= 0.5 + 0.5  # its TTL, and our polling
        successor.release()
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


def test_lock_on_an_unreachable_server_is_a_state_error() -> None:
    with pytest.raises(StateError, match="cannot connect"):
        RedisLock(f"redis://127.0.0.1:{free_port()}/0", "k", 1.0)


# -- host pacing --------------------------------------------------------------------------------
def test_a_booking_on_a_redis_gone_silent_fails_within_seconds(tmp_path: Path) -> None:
    server = start(tmp_path)
    try:
        pacer = HostPacer(server.url, "t")
        pacer.reserve("news.example", 0.25)  # connected, a turn booked
        with frozen(server):
            # Before: the reservation (on a crawl's reactor thread) waited for ever with
            # redis-py 5-7, redis-py 8's default 5 s.
            took, raised = within(30, lambda: pacer.reserve("news.example", 0.25))
    finally:
        server.stop()
    assert isinstance(raised, StateError), raised
    assert "cannot reserve a slot: TimeoutError" in str(raised)
    assert took < HostPacer.READ_TIMEOUT_S + 2


def test_reservations_for_one_host_are_spaced_by_the_interval(redis_url: str,
                                                              namespace: str) -> None:
    pacer = HostPacer(redis_url, namespace)
    waits = [pacer.reserve("www.nato.int", 10.0) for _ in range(3)]
    assert waits[0] == 0.0
    assert 9.9 < waits[1] <= 10.0 and 19.9 < waits[2] <= 20.0
    ttl_ms = int(redis.Redis.from_url(redis_url).pttl(pacer.key("www.nato.int")))
    # The last slot (20 s ahead) is kept an hour past itself, for the next booking to find.
    assert 20_000 + 3_590_000 < ttl_ms <= 20_000 + 3_600_000


def test_different_hosts_do_not_wait_for_each_other(redis_url: str, namespace: str) -> None:
    pacer = HostPacer(redis_url, namespace)
    assert pacer.reserve("a.example", 10.0) == 0.0
    assert pacer.reserve("b.example", 10.0) == 0.0
    assert pacer.reserve("A.example", 10.0) > 9.0  # host names are case-insensitive


def test_concurrent_workers_get_slots_at_least_an_interval_apart(redis_url: str,
                                                                 namespace: str) -> None:
    interval, lock = 1.0, threading.Lock()
    slots: list[float] = []

    def worker() -> None:
        pacer = HostPacer(redis_url, namespace)  # a client (connection) of its own
        for _ in range(6):
            wait = pacer.reserve("host.example", interval)
            with lock:
                slots.append(time.monotonic() + wait)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    # Nobody sleeps the waits out. The slots are the server's; our clock reads them a
    # little late, by up to 50 ms on a busy machine.
    assert len(slots) == 12 and min(gaps) >= interval - 0.05


def test_a_source_delay_is_a_floor_for_its_host(redis_url: str, namespace: str) -> None:
    # Two sources on one host: one with download_delay 0.5, one with a shorter pace.
    pacer = HostPacer(redis_url, namespace)
    pacer.FLOOR_TTL_S = 1.0
    slots = [time.monotonic() + pacer.reserve("host.example", interval)
             for interval in (0.5, 0.1, 0.5, 0.1)]
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    # Before: 0.5, 0.1, 0.5: the short interval let a request in right after the long one's.
    # (Our clock reads the server's slots a little late: see the test above.)
    assert min(gaps) >= 0.5 - 0.05, gaps
    time.sleep(slots[-1] - time.monotonic() + 0.5 + pacer.FLOOR_TTL_S)  # the floor lapsed
    later = [pacer.reserve("host.example", 0.1) for _ in range(2)]
    assert later[0] == 0.0 and 0.09 < later[1] <= 0.1


def test_a_crawl_delay_spaces_the_next_slot_from_one_booked_before_it(
        redis_url: str, namespace: str) -> None:
    # Two workers book their robots.txt requests at 0.25 s; one of them reads Crawl-delay: 1.
    pacer, other = HostPacer(redis_url, namespace), HostPacer(redis_url, namespace)
    slots = [time.monotonic() + pacer.reserve("host.example", 0.25),
             time.monotonic() + other.reserve("host.example", 0.25)]
    pacer.keep_crawl_delay("host.example", "policywire/0.1", 1.0)
    # Every later booking, of either worker, with the 0.25 s it knows: a delay after the one
    # before. Before: the next came 0.25 s after the second robots.txt (its booking's interval).
    slots += [time.monotonic() + p.reserve("HOST.example", 0.25) for p in (pacer, other, pacer)]
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    assert 0.2 <= gaps[0] < 0.3 and min(gaps[1:]) >= 1.0 - 0.05, gaps
    assert other.reserve("other.example", 0.25) == 0.0  # another host is not slowed


def test_the_longest_crawl_delay_of_an_agent_s_latest_reading_holds(
        redis_url: str, namespace: str) -> None:
    pacer = HostPacer(redis_url, namespace)

    def gap() -> float:  # between two bookings that ask for 0.1 s (server time between them:
        # well under the 50 ms allowed below, also on a busy machine)
        return -pacer.reserve("h.example", 0.1) + pacer.reserve("h.example", 0.1)

    pacer.keep_crawl_delay("h.example", "a", 2.0)
    pacer.keep_crawl_delay("h.example", "b", 3.0)
    assert 2.95 <= gap() <= 3.0  # one host, two agents' robots.txt: the longer delay
    pacer.keep_crawl_delay("h.example", "b", None)  # b's robots.txt read again: no delay now
    assert 1.95 <= gap() <= 2.0
    pacer.keep_crawl_delay("h.example", "a", 0.5)  # and a's a shorter one
    assert 0.45 <= gap() <= 0.5
    ttl_ms = int(redis.Redis.from_url(redis_url).pttl(pacer.crawl_delay_key("h.example")))
    assert 24 * 3_600_000 - 10_000 < ttl_ms <= 24 * 3_600_000  # robots.txt's freshness


def test_a_crawl_delay_lapses_after_its_hold(redis_url: str, namespace: str) -> None:
    pacer, later = HostPacer(redis_url, namespace), HostPacer(redis_url, namespace)
    pacer.CRAWL_DELAY_TTL_S = 0.3
    pacer.keep_crawl_delay("h.example", "a", 2.0)
    later.keep_crawl_delay("h.example", "b", 0.5)  # another agent's, read later, holds longer
    time.sleep(0.4)
    first = pacer.reserve("h.example", 0.1)
    assert 0.45 <= pacer.reserve("h.example", 0.1) - first <= 0.5  # a's 2 s lapsed, b's holds
    keys = redis.Redis.from_url(redis_url).hkeys(pacer.crawl_delay_key("h.example"))
    assert keys == [b"b"]  # the lapsed one is gone


# How a worker of the release before pace-last (e12359f) books a slot, its source floor left
# out: its key holds the host's next free time. Its workers still run while machines are
# upgraded one by one.
_RELEASE_BEFORE_RESERVE = """
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0))
redis.call('SET', KEYS[1], string.format('%.0f', slot + ARGV[1]), 'PX', 60000)
return slot - now
"""


def test_workers_of_the_release_before_keep_one_pace_with_these(
        client: redis.Redis, namespace: str) -> None:
    pacer = HostPacer(client, namespace)
    old_script = client.register_script(_RELEASE_BEFORE_RESERVE)

    def old(host: str) -> float:  # a worker of the release before books a 1 s interval
        return int(old_script([f"{namespace}:pace:{host}"], [1_000_000])) / 1_000_000

    # Each waits for the other's booking. Before: the new worker went at once after an old
    # one's booking, and the old worker at once after a new one's (two keys, two paces).
    assert old("a.example") == 0.0
    assert 0.9 < pacer.reserve("a.example", 1.0) <= 1.0
    assert pacer.reserve("b.example", 1.0) == 0.0
    assert 0.9 < old("b.example") <= 1.0


def test_a_negative_interval_is_refused(redis_url: str, namespace: str) -> None:
    with pytest.raises(ValueError, match="negative"):
        HostPacer(redis_url, namespace).reserve("x", -1.0)
    with pytest.raises(ValueError, match="positive"):
        HostPacer(redis_url, namespace).keep_crawl_delay("x", "a", 0.0)


# -- messages -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "shown"), [
    ("redis://user:pw@host:6379/0", "redis://user:***@host:6379/0"),
    ("rediss://:pw@host", "rediss://:***@host"),
    ("unix:///run/redis.sock?db=1&password=pw", "unix:///run/redis.sock?db=1&password=***"),
    ("redis://:p@w@[::1/0", "redis://:***@[::1/0"),
    ("redis://host:6379", "redis://host:6379"),
])
def test_messages_never_show_the_password(url: str, shown: str) -> None:
    assert mask_password(url) == shown
