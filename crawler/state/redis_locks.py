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

# KEYS[1] the host's next free time, KEYS[2] its floor; ARGV[1] the interval in microseconds,
# ARGV[2] how long a floor outlives its last use, in ms. Times are integers of microseconds
# (< 2^53, exact in Lua's doubles) and formatted with %.0f: Redis would turn a bare number
# into a string with 14 significant digits and lose the microseconds.
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
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0))
local after = slot + interval
local ttl_ms = math.floor((after - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', string.format('%.0f', ttl_ms))
return slot - now
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

    A source's interval is a floor for its host: while any worker reserves with a longer
    interval (a source's ``download_delay``), every reservation for that host, of any source,
    keeps that interval; it lapses :data:`FLOOR_TTL_S` after that source's last reservation.
    """

    # Long enough to span the gaps of a crawl in progress (a feed parsed, pages queued).
    FLOOR_TTL_S = 60.0

    def __init__(self, client_or_url: redis.Redis | str, namespace: str = "policywire") -> None:
        self.namespace = namespace
        self._redis = client_for(client_or_url)
        self._reserve = self._redis.register_script(_RESERVE)

    def key(self, host: str) -> str:
        return f"{self.namespace}:pace:{host.lower()}"

    def floor_key(self, host: str) -> str:
        return f"{self.namespace}:pace-floor:{host.lower()}"

    def reserve(self, host: str, interval_s: float) -> float:
        """Seconds to wait before requesting ``host``; the next caller's slot is
        ``interval_s`` after this one's."""
        if interval_s < 0:
            raise ValueError(f"interval must not be negative, not {interval_s}")
        with guard(f"host pacer {self.namespace}", "cannot reserve a slot"):
            micros = self._reserve([self.key(host), self.floor_key(host)],
                                   [round(interval_s * 1_000_000),
                                    round(self.FLOOR_TTL_S * 1000)])
        return int(micros) / 1_000_000
