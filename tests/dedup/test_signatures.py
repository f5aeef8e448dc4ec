"""Signatures: batch computation, bytes round trip."""

from __future__ import annotations

import random

import pytest
import xxhash
from datasketch import MinHash

from crawler.dedup import signatures
from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import from_bytes, is_empty, title_units, to_bytes


def test_signatures_round_trip_through_bytes() -> None:
    signer = DedupParams().title_signer()
    signature = signer.sign([["nato", "putin", "ukrain"]])[0]
    data = to_bytes(signature)
    assert isinstance(data, bytes)
    back = from_bytes(data)
    assert back == signature
    assert back.scheme == "affine32"
    assert back.jaccard(signature) == 1.0


def test_batch_signatures_match_one_by_one() -> None:
    signer = DedupParams().body_signer()
    sets = [["a b c", "b c d"], ["x y z"], []]
    batch = signer.sign(sets)
    assert [s.hashvalues.tolist() for s in batch] == [
        signer.sign([s])[0].hashvalues.tolist() for s in sets]


def test_empty_set_gives_empty_signature() -> None:
    signer = DedupParams().title_signer()
    assert is_empty(signer.sign([[]])[0])
    assert not is_empty(signer.sign([["x"]])[0])


def test_batch_signatures_equal_datasketch_update_batch_across_chunks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signatures, "_CHUNK", 7)  # several chunks, sets split across none
    signer = DedupParams().body_signer()
    rng = random.Random(5)
    sets = [[f"s{rng.randrange(500)}" for _ in range(rng.randint(0, 12))] for _ in range(40)]
    for tokens, signature in zip(sets, signer.sign(sets), strict=True):
        plain = MinHash(num_perm=signer.num_perm, seed=signer.seed, scheme=signer.scheme,
                        hashfunc=xxhash.xxh32_intdigest)
        plain.update_batch([t.encode() for t in tokens])
        assert signature.hashvalues.tolist() == plain.hashvalues.tolist()


def test_titles_are_signed_over_unordered_token_pairs() -> None:
    assert title_units({"putin", "nato", "krieg"}) == ["krieg nato", "krieg putin", "nato putin"]
    assert title_units({"nato"}) == ["nato"]
    assert title_units(()) == []
