"""Signatures: batch computation, bytes round trip."""

from __future__ import annotations

import random

import pytest
import xxhash
from datasketch import LeanMinHash, MinHash

from crawler.dedup import signatures
from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import from_bytes, is_empty, title_units, to_bytes
from crawler.dedup.tokens import default_tokenizer


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


def test_shingle_signatures_equal_signatures_of_shingle_sets() -> None:
    tokenizer, signer = default_tokenizer(), DedupParams().body_signer()
    texts = ["Der Präsident der Ukraine hat am Montag Kiew besucht und Kiew besucht",
             "one two", "Київ", "", "the of and", "a b c d e f g " * 30]
    by_sets = signer.sign(tokenizer.body_shingles(t, "en") for t in texts)
    by_words = signer.sign_shingles((tokenizer.body_words(t, "en") for t in texts), 3)
    assert by_words == by_sets
    assert is_empty(by_words[3])


@pytest.mark.parametrize("scheme", ["affine32", "affine64"])
def test_bytes_are_datasketch_serialization(scheme: str) -> None:
    hash_name = {"affine32": "xxh32", "affine64": "xxh64"}[scheme]
    signer = signatures.Signer(16, 3, scheme, hash_name)
    for signature in signer.sign([["nato", "putin"], [], ["x"]]):
        buffer = bytearray(signature.bytesize(byteorder="<"))
        signature.serialize(buffer, byteorder="<")
        assert to_bytes(signature) == bytes(buffer)
        made = LeanMinHash(seed=3, hashvalues=signature.hashvalues, scheme=scheme)
        assert signature == made  # built without the constructor, equal to what it makes
