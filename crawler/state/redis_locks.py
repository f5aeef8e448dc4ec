"""Coordination between scale-out workers on several machines: leases and host pacing.

:class:`RedisLock` is a lease, not a kernel lock: nothing frees it when its holder dies, so
it expires after ``ttl_s`` unless a daemon thread of the holder renews it every third of
that. A killed worker therefore frees its source within one TTL, and a live one keeps it
however long the crawl takes. Every change checks a random token in Lua, so a holder whose
lease lapsed can neither renew nor delete the next holder's lock.

:class:`HostPacer` spaces requests to one host across all workers. The clock is the Redis
server's (``TIME`` inside the script): workers' clocks may disagree by seconds, the
server's is one.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from types import TracebackType

import redis

from crawler.errors import LockHeld
from crawler.state.redis_client import client_for, guard

logger = logging.getLogger(__name__)

# KEYS[1] the lock; ARGV[1] our token; ARGV[2] the TTL in ms.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS[1] the host's last slot, KEYS[2] its floor, KEYS[3] its Crawl-delays (agent -> "delay
# until"); ARGV[1] the interval, ARGV[2] how long a floor outlives its last use (ms), ARGV[3]
# how long the last slot is kept past itself at least (ms). Times are integers of microseconds
# (< 2^53, exact in Lua's doubles) and formatted with %.0f: Redis would turn a bare number into
# a string with 14 significant digits and lose the microseconds. A slot is spaced from the one
# before by the interval known now, not by the one its predecessor knew: a Crawl-delay read
# while a request was already booked still spaces the next request from it.
# KEYS[4] is the release before's key (its value: the host's next free time), read and written
# as that release does, so that its workers and these keep one pace during a rolling upgrade.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local floor = tonumber(redis.call('GET', KEYS[2]) or 0)
if interval >= floor then
  redis.call('SET', KEYS[2], string.format('%.0f', interval), 'PX', ARGV[2])
else
  interval = floor
end
local delays = redis.call('HGETALL', KEYS[3])
for i = 1, #delays, 2 do
  local delay, ends = string.match(delays[i + 1], '^(%d+) (%d+)$')
  if tonumber(ends) > now then
    interval = math.max(interval, tonumber(delay))
  else
    redis.call('HDEL', KEYS[3], delays[i])
  end
end
local last = redis.call('GET', KEYS[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[4]) or 0))
if last then slot = math.max(slot, tonumber(last) + interval) end
local keep = math.max(tonumber(ARGV[3]), interval / 1000)
redis.call('SET', KEYS[1], string.format('%.0f', slot), 'PX',
           string.format('%.0f', math.floor((slot - now) / 1000) + keep))
redis.call('SET', KEYS[4], string.format('%.0f', slot + interval), 'PX',
           string.format('%.0f', math.floor((slot + interval - now) / 1000) + 1000))
return slot - now
"""

# KEYS[1] the host's Crawl-delays; ARGV[1] the agent, ARGV[2] its delay (empty: none),
# ARGV[3] how long it holds (ms). Every write holds that long, so the key's TTL is the
# latest write's; each field carries its own end too, which _RESERVE checks.
_KEEP_DELAY = """
if ARGV[2] == '' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local ends = now + tonumber(ARGV[3]) * 1000
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f %.0f', tonumber(ARGV[2]), ends))
return redis.call('PEXPIRE', KEYS[1], ARGV[3])
"""


class RedisLock:
    """A lease on ``key``, renewed while held; ``with lock:`` raises LockHeld when taken."""

    def __init__(self, client_or_url: redis.Redis | str, key: str, ttl_s: float) -> None:
        if ttl_s <= 0:
            raise ValueError(f"lock TTL must be positive, not {ttl_s}")
        self.key = key
        self.ttl_s = ttl_s
        self._redis = client_for(client_or_url)
        self._renew = self._redis.register_script(_RENEW)
        self._release = self._redis.register_script(_RELEASE)
        self._token: str | None = None
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._renewer: threading.Thread | None = None

    @property
    def held(self) -> bool:
        """Acquired, not released, and no renewal has found it taken over."""
        return self._token is not None and not self._lost.is_set()

    def acquire(self, blocking: bool = False, timeout: float | None = None) -> bool:
        """Take the lock if free; with ``blocking``, wait for it (at most ``timeout`` s)."""
        if self._token is not None:
            raise RuntimeError(f"lock {self.key} is already held by this object")
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._try():
            if not blocking or (deadline is not None and time.monotonic() >= deadline):
                return False
            # Poll a few times per TTL, jittered so that waiting workers do not move in step.
            time.sleep(min(self.ttl_s / 4, 0.5) * random.uniform(0.5, 1.0))
        return True

    def release(self) -> bool:
        """Stop renewing and delete the lock if it is still ours; False if it was not."""
        token, self._token = self._token, None
        if token is None:
            return False
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        with guard(f"Redis lock {self.key}", "cannot release"):
            return bool(self._release([self.key], [token]))

    def __enter__(self) -> RedisLock:
        if not self.acquire():
            raise LockHeld(f"Redis lock {self.key} is held by another process")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _try(self) -> bool:
        token = secrets.token_hex(16)
        with guard(f"Redis lock {self.key}", "cannot acquire"):
            taken = self._redis.set(self.key, token, nx=True, px=self._ttl_ms)
        if not taken:
            return False
        self._token = token
        self._stop, self._lost = threading.Event(), threading.Event()
        self._renewer = threading.Thread(target=self._keep, args=(token,), daemon=True,
                                         name=f"renew {self.key}")
        self._renewer.start()
        return True

    def _keep(self, token: str) -> None:
        stop, lost = self._stop, self._lost
        while not stop.wait(self.ttl_s / 3):
            try:
                if not self._renew([self.key], [token, self._ttl_ms]):
                    lost.set()
                    logger.error("lost lock %s: it expired or was taken over", self.key)
                    return
            except redis.RedisError as exc:  # a blip: the next tick, still within the TTL
                logger.warning("could not renew lock %s: %s", self.key, exc)

    @property
    def _ttl_ms(self) -> int:
        return max(1, round(self.ttl_s * 1000))


class HostPacer:
    """Hands out request slots per host so that all workers together keep its interval.

    A slot comes the largest interval known at its booking after the host's slot before
    (of any worker). Known are: the interval asked for; a source's interval as a floor for its
    host (while any worker reserves with a longer interval, a source's ``download_delay``,
    every reservation for that host keeps it; it lapses :data:`FLOOR_TTL_S` after that
    source's last reservation); and the host's robots.txt ``Crawl-delay`` as any worker read it
    (:meth:`keep_crawl_delay`), held :data:`CRAWL_DELAY_TTL_S`.
    """

    # Long enough to span the gaps of a crawl in progress (a feed parsed, pages queued).
    FLOOR_TTL_S = 60.0
    # RFC 9309 2.4: a robots.txt is not to be trusted from a cache for more than 24 hours;
    # each job reads it again anyway (and so renews it).
    CRAWL_DELAY_TTL_S = 24 * 3600.0
    # A host's last slot is kept at least this long after it, so that the next booking finds
    # it whatever interval it comes with (a Crawl-delay is at most 30 s; a longer interval
    # keeps it that long): an hour of one small key per host.
    LAST_SLOT_TTL_S = 3600.0
    # A booking runs on the crawl's reactor thread, which waits for it: a Redis silent this
    # long fails it (SharedPacerMiddleware tries again, as after a refused connection). A
    # reservation is one short script; one that timed out only leaves a turn unused.
    READ_TIMEOUT_S = 2.0

    def __init__(self, client_or_url: redis.Redis | str, namespace: str = "policywire") -> None:
        self.namespace = namespace
        self._redis = client_for(client_or_url, self.READ_TIMEOUT_S)
        self._reserve = self._redis.register_script(_RESERVE)
        self._keep_delay = self._redis.register_script(_KEEP_DELAY)

    def key(self, host: str) -> str:
        # "pace-last", not the "pace" of the releases whose value was the next free time.
        return f"{self.namespace}:pace-last:{host.lower()}"

    def legacy_key(self, host: str) -> str:
        """The key of the release before (its value: the host's next free time), kept in step
        for workers of that release still running during an upgrade."""
        return f"{self.namespace}:pace:{host.lower()}"

    def floor_key(self, host: str) -> str:
        return f"{self.namespace}:pace-floor:{host.lower()}"

    def crawl_delay_key(self, host: str) -> str:
        return f"{self.namespace}:crawl-delay:{host.lower()}"

    def reserve(self, host: str, interval_s: float) -> float:
        """Seconds to wait before requesting ``host``: its slot comes at least ``interval_s``
        (or the longer interval known for the host) after the slot before."""
        if interval_s < 0:
            raise ValueError(f"interval must not be negative, not {interval_s}")
        with guard(f"host pacer {self.namespace}", "cannot reserve a slot"):
            micros = self._reserve(
                [self.key(host), self.floor_key(host), self.crawl_delay_key(host),
                 self.legacy_key(host)],
                [_micros(interval_s), _millis(self.FLOOR_TTL_S), _millis(self.LAST_SLOT_TTL_S)])
        return int(micros) / 1_000_000

    def keep_crawl_delay(self, host: str, agent: str, delay_s: float | None) -> None:
        """``host``'s robots.txt, read for ``agent``, asks for ``delay_s`` between requests
        (None: for no delay): from now on every worker's reservation for the host keeps the
        longest delay any agent's reading asks for."""
        if delay_s is not None and not delay_s > 0:
            raise ValueError(f"Crawl-delay must be positive, not {delay_s}")
        delay = "" if delay_s is None else _micros(delay_s)
        with guard(f"host pacer {self.namespace}", "cannot keep a Crawl-delay"):
            self._keep_delay([self.crawl_delay_key(host)],
                             [agent, delay, _millis(self.CRAWL_DELAY_TTL_S)])


def _micros(seconds: float) -> int:
    return round(seconds * 1_000_000)


def _millis(seconds: float) -> int:
    return max(1, round(seconds * 1000))
