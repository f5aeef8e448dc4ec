"""The state: an embedded SQLite database (WAL) with a process lock per state directory, or
a Redis server shared by scale-out workers; both speak :class:`State`.

The Redis classes load on first use (PEP 562): an embedded run never imports redis-py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.errors import UsageError
from crawler.state.lock import StateLock
from crawler.state.store import StateStore
from crawler.state.typing import SeenEntry, SeenRow, State

if TYPE_CHECKING:
    from crawler.state.redis_locks import HostPacer, RedisLock
    from crawler.state.redis_store import RedisStateStore

__all__ = [
    "HostPacer", "RedisLock", "RedisStateStore", "SeenEntry", "SeenRow", "State", "StateLock",
    "StateStore", "is_redis_url", "open_state", "state_directory",
]

#: URL schemes that name a Redis server (anything else is a state directory).
REDIS_SCHEMES = ("redis", "rediss", "unix")

_LAZY = {
    "HostPacer": "crawler.state.redis_locks",
    "RedisLock": "crawler.state.redis_locks",
    "RedisStateStore": "crawler.state.redis_store",
}


def is_redis_url(spec: str) -> bool:
    """Whether ``spec`` (a ``--state-dir`` or ``--redis`` value) names a Redis server."""
    return spec.partition(":")[0].lower() in REDIS_SCHEMES


#: Why a crawl's ``--state-dir`` cannot name a Redis server, and what to run instead.
FOR_CRAWLS = ("a crawl merges into a state directory; a shared Redis state is crawled by"
              " `policywire enqueue` and `policywire worker` (docs/scaleout.md)")


def state_directory(spec: str, option: str, why: str = FOR_CRAWLS) -> Path:
    """``spec`` as a state directory, or :class:`UsageError` when it names a Redis server
    (``option`` names where it was given; ``why`` says why that cannot serve and what
    does). A crawl's merge writes a SQLite state only (before, it made a local directory
    named ``redis:``, or died in a traceback); scale-out workers share a Redis state."""
    if is_redis_url(spec):
        raise UsageError(f"{option} names a Redis server: {why}")
    return Path(spec)


def open_state(spec: str | Path, *, writer: str = "", namespace: str = "policywire") -> State:
    """A ``redis://``, ``rediss://`` or ``unix://`` URL opens the shared Redis state (its
    delivery journal keyed by ``writer``); anything else is a SQLite state directory."""
    if isinstance(spec, str) and is_redis_url(spec):
        from crawler.state.redis_store import RedisStateStore  # noqa: PLC0415 - see above

        return RedisStateStore(spec, namespace=namespace, writer=writer)
    return StateStore(Path(spec))


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib  # noqa: PLC0415

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
