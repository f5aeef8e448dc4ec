"""The candidate index: the same candidates as a plain datasketch MinHashLSH, leaner."""

from __future__ import annotations

import random

from datasketch import MinHashLSH

from crawler.dedup.lsh import CandidateIndex, LeanBuckets
from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import title_units


def _signatures(count: int, seed: int) -> list:  # type: ignore[type-arg]
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(40)]  # a small vocabulary: buckets are shared
    sets = [title_units(rng.sample(words, rng.randint(2, 6))) for _ in range(count)]
    return DedupParams().title_signer().sign(sets)


def test_candidates_equal_those_of_plain_minhash_lsh_through_removals() -> None:
    params = DedupParams()
    ours = CandidateIndex(params.lsh_threshold, params.num_perm)
    plain = MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm)
    signatures = _signatures(300, seed=3)
    for n, signature in enumerate(signatures):
        ours.insert(f"r{n}", signature, check_duplication=False)
        plain.insert(f"r{n}", signature, check_duplication=False)
    for n in range(0, 300, 3):
        ours.remove(f"r{n}")
        plain.remove(f"r{n}")
    for signature in signatures:
        assert sorted(ours.query(signature)) == sorted(plain.query(signature))
    assert "r0" not in ours and "r1" in ours


def test_title_index_has_24_bands_of_one_row() -> None:
    params = DedupParams()
    assert CandidateIndex(params.lsh_threshold, params.num_perm).bands == (24, 1)


def test_lean_bucket_holds_a_lone_id_as_itself_and_a_tuple_of_several() -> None:
    buckets = LeanBuckets()
    buckets.insert(b"k", "a")
    buckets.insert(b"k", "a")
    assert list(buckets.get(b"k")) == ["a"]
    buckets.insert(b"k", "b")
    assert list(buckets.get(b"k")) == ["a", "b"]
    buckets.remove_val(b"k", "a")
    assert list(buckets.get(b"k")) == ["b"]
    buckets.remove_val(b"k", "b")
    assert not buckets.get(b"k")
    buckets.remove(b"k")
    assert buckets.size() == 0
    assert list(buckets.get(b"missing")) == []


def test_batch_insert_and_query_equal_plain_minhash_lsh() -> None:
    params = DedupParams()
    for threshold, num_perm in ((params.lsh_threshold, params.num_perm),
                                (params.body_lsh_threshold, params.body_num_perm)):
        ours = CandidateIndex(threshold, num_perm)
        plain = MinHashLSH(threshold=threshold, num_perm=num_perm)
        signatures = _signatures(200, seed=11) if num_perm == params.num_perm else \
            params.body_signer().sign([{f"w{n}", f"x{n % 7}", "y"} for n in range(200)])
        ours.insert_many([(f"r{n}", s) for n, s in enumerate(signatures)])
        for n, signature in enumerate(signatures):
            plain.insert(f"r{n}", signature, check_duplication=False)
        ours.remove("r3")
        plain.remove("r3")
        got = ours.query_many(signatures)
        assert [sorted(k) for k in got] == [sorted(plain.query(s)) for s in signatures]
