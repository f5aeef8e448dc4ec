"""The in-memory signature store."""

from __future__ import annotations

from crawler.dedup.store import MemoryStore
from crawler.models import StoredSignature


def _row(key: str, ts: float) -> StoredSignature:
    return StoredSignature(key, "s1", "a", ts, "en", ("x",), b"sig", None)


def test_memory_store_loads_adds_and_evicts() -> None:
    store = MemoryStore()
    assert store.params_fingerprint() is None
    store.set_params_fingerprint("fp")
    assert store.params_fingerprint() == "fp"
    store.add([_row("a", 10.0), _row("b", 20.0)])
    store.add([_row("a", 99.0)])  # an id already stored is ignored
    assert [r.id for r in store.load(since=0.0)] == ["a", "b"]
    assert [r.id for r in store.load(since=15.0)] == ["b"]
    assert store.evict(before=15.0) == 1
    assert len(store) == 1
