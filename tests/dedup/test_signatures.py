"""Signatures: batch computation, bytes round trip."""

from __future__ import annotations

from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import from_bytes, is_empty, to_bytes


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
