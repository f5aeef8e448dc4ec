"""The shared candidate index in a real redis-server: same candidates as a plain
MinHashLSH, the same stories as the in-memory index, and it outlives its process."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from typing import Any

import pytest
import redis
from datasketch import MinHashLSH

from crawler.dedup import DedupParams, MemoryStore, StoryIndex, lsh
from crawler.dedup.shared_lsh import SharedCandidateIndex
from tests.dedup.test_index import BATCH, CONTRADICTION, NOW, _doc
from tests.dedup.test_lsh import _signatures

PARAMS = DedupParams()


def _storage(redis_url: str) -> dict[str, Any]:
    params = redis.connection.parse_url(redis_url)
    return {"type": "redis", "redis": params,
            "basename": f"t{secrets.token_hex(4)}:lsh".encode()}


def test_shared_candidates_equal_plain_minhash_lsh(redis_url: str) -> None:
    shared = SharedCandidateIndex(PARAMS.lsh_threshold, PARAMS.num_perm, _storage(redis_url))
    plain = MinHashLSH(threshold=PARAMS.lsh_threshold, num_perm=PARAMS.num_perm)
    signatures = _signatures(120, seed=5)
    shared.insert_many([(f"r{n}", s) for n, s in enumerate(signatures)])
    for n, signature in enumerate(signatures):
        plain.insert(f"r{n}", signature, check_duplication=False)
    for n in range(0, 120, 4):
        shared.remove(f"r{n}")
        plain.remove(f"r{n}")
    found = shared.query_many(signatures)
    assert found == [sorted(plain.query(s)) for s in signatures]
    assert "r0" not in shared and "r1" in shared


def test_a_basename_is_required() -> None:
    with pytest.raises(ValueError, match="basename"):
        SharedCandidateIndex(PARAMS.lsh_threshold, PARAMS.num_perm, {"type": "redis",
                                                                     "redis": {}})


def test_bulk_load_makes_the_index_hold_exactly_what_is_stored(redis_url: str) -> None:
    storage = _storage(redis_url)
    signatures = _signatures(30, seed=9)
    first = SharedCandidateIndex(PARAMS.lsh_threshold, PARAMS.num_perm, storage)
    first.insert_many([(f"r{n}", s) for n, s in enumerate(signatures[:20])])
    # Another process: r0-r9 left the window, r20-r29 were stored but never indexed.
    again = SharedCandidateIndex(PARAMS.lsh_threshold, PARAMS.num_perm, storage)
    again.bulk_load([(f"r{n}", signatures[n]) for n in range(10, 30)])
    assert "r0" not in again and "r10" in again and "r29" in again
    assert all(f"r{n}" not in keys for keys in again.query_many(signatures)
               for n in range(10))


def test_shared_story_index_decides_like_the_in_memory_one_across_processes(
    redis_url: str,
) -> None:
    storage = _storage(redis_url)
    first, second = BATCH[:5], BATCH[5:]
    memory = StoryIndex(PARAMS, MemoryStore(), now=NOW)
    expected = memory.assign(first) + memory.assign(second)

    store = MemoryStore()
    one = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    got = one.assign(first)
    one.flush()
    # A second merger process: signatures from the store, candidates from Redis.
    two = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    got += two.assign(second)
    assert got == expected


def test_a_stored_record_bars_a_contradicting_one_through_the_shared_index(
    redis_url: str,
) -> None:
    # The record the later one contradicts ("13th" / "14th package") is found through Redis.
    storage, store = _storage(redis_url), MemoryStore()
    one = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    one.assign(CONTRADICTION[:2])
    one.flush()
    two = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    decision = two.assign(CONTRADICTION[2:])[0]
    assert decision.duplicate_of is None


def test_uncommitted_inserts_are_ignored_and_dropped_at_the_next_load(redis_url: str) -> None:
    storage = _storage(redis_url)
    store = MemoryStore()
    crashed = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    crashed.assign(BATCH[:2])  # indexed in Redis, never flushed to the store (no commit)
    fresh = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    assert len(fresh) == 0
    decisions = fresh.assign(BATCH[:2])
    assert {d.id: d.story_id for d in decisions} == {
        d.id: d.story_id for d in StoryIndex(PARAMS, now=NOW).assign(BATCH[:2])}


def test_shared_index_compares_bodies_like_the_in_memory_one(redis_url: str) -> None:
    # Wire copy under two headlines (the body rule), a rewrite sharing half its sentences,
    # and an unrelated article: body candidates whose bodies the window compares in bulk.
    wire = " ".join(f"word{n} sentence{n % 7} clause{n % 5}" for n in range(60))
    half = " ".join(f"word{n} sentence{n % 7} clause{n % 5}" if n % 2 else f"other{n} x{n}"
                    for n in range(60))
    other = " ".join(f"else{n} thing{n % 3}" for n in range(60))
    docs = [_doc("w1", "Ministers meet over grain exports", text=wire),
            _doc("w2", "Grain deal talks resume in Istanbul", text=wire),
            _doc("w3", "Exports of grain: a long night of talks", text=half),
            _doc("w4", "Fishing quotas agreed in Brussels", text=other)]
    memory = StoryIndex(PARAMS, MemoryStore(), now=NOW)
    expected = memory.assign(docs[:2]) + memory.assign(docs[2:])
    storage, store = _storage(redis_url), MemoryStore()
    one = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    got = one.assign(docs[:2])
    one.flush()
    two = StoryIndex(PARAMS, store, now=NOW, lsh_storage=storage)
    got += two.assign(docs[2:])
    assert got == expected
    assert expected[1].duplicate_of == "w1"
    assert expected[1].evidence is not None and expected[1].evidence.rule == "body"
    assert expected[3].duplicate_of is None


def test_a_full_band_value_holds_its_earliest_records(redis_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsh, "BUCKET_CAP", 20)
    storage = _storage(redis_url)
    shared = SharedCandidateIndex(PARAMS.lsh_threshold, PARAMS.num_perm, storage)
    one = _signatures(1, seed=3)[0]
    shared.insert_many([(f"r{n:02d}", one) for n in range(15)])
    assert len(shared.query_many([one])[0]) == 15 and not shared.truncated
    shared.insert_many([(f"r{n:02d}", one) for n in range(15, 50)])  # the next batch
    assert shared.query_many([one]) == [[f"r{n:02d}" for n in range(20)]]
    assert shared.truncated
    client = redis.Redis.from_url(redis_url)
    sizes = [client.scard(key) for key in client.keys(storage["basename"] + b"_bucket_*")
             if client.type(key) == b"set"]
    assert sizes and max(sizes) == 20  # not 50 members a band value for every query to fetch
    for n in range(5):  # leaving the window makes room for later records
        shared.remove(f"r{n:02d}")
    shared.insert_many([("r50", one)])
    assert shared.query_many([one]) == [[f"r{n:02d}" for n in range(5, 20)] + ["r50"]]
    assert "r49" in shared  # removable like any record, though in no band


def test_one_title_hundreds_of_times_is_one_story_in_the_shared_index(
        redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Records beyond the cap find the earliest through their own queries (the pair is kept
    # from either side), as in the in-memory index.
    monkeypatch.setattr(lsh, "BUCKET_CAP", 20)
    docs = [_doc(f"r{n:03d}", "Ukraine-Krieg im Liveticker", language="de",
                 published=f"2024-05-{1 + n % 28:02d}T10:00:00Z") for n in range(200)]
    index = StoryIndex(PARAMS, MemoryStore(), now=NOW, lsh_storage=_storage(redis_url))
    decisions = index.assign(docs)
    assert len({d.story_id for d in decisions}) == 1
    assert sum(d.duplicate_of is None for d in decisions) == 1


# A fresh interpreter: this test session has long imported scipy.integrate.
_NO_INTEGRATE = """
import json, sys
from crawler.dedup.params import DedupParams
from crawler.dedup.shared_lsh import SharedCandidateIndex
params, storage = DedupParams(), json.loads(sys.argv[1])
storage["basename"] = storage["basename"].encode()
index = SharedCandidateIndex(params.lsh_threshold, params.num_perm, storage)
print(json.dumps(["scipy.integrate" in sys.modules, index.bands]))
"""


def test_a_shared_index_chooses_its_bands_without_scipy_integrate(redis_url: str) -> None:
    # Before, datasketch chose them by integrating: scipy.integrate imported in each merge.
    storage = _storage(redis_url)
    storage["basename"] = storage["basename"].decode()
    done = subprocess.run([sys.executable, "-c", _NO_INTEGRATE, json.dumps(storage)],
                          capture_output=True, text=True, check=True)
    plain = MinHashLSH(threshold=PARAMS.lsh_threshold, num_perm=PARAMS.num_perm)
    assert json.loads(done.stdout) == [False, [plain.b, plain.r]]
