"""xxh32 in numpy: the values xxhash gives, for slices of every length."""

from __future__ import annotations

import random
from functools import partial

import numpy as np
import pytest
import xxhash

from crawler.dedup import signatures
from crawler.dedup.hashing import xxh32_slices
from crawler.dedup.params import DedupParams


@pytest.mark.parametrize("seed", [0, 7])
def test_slices_hash_as_xxhash_does(seed: int) -> None:
    rng = random.Random(seed)
    strings = [bytes(rng.randrange(256) for _ in range(n)) for n in range(80) for _ in range(5)]
    buffer = np.frombuffer(b"".join(strings), dtype=np.uint8)
    lengths = np.array([len(s) for s in strings])
    starts = np.cumsum(lengths) - lengths
    expected = [xxhash.xxh32_intdigest(s, seed=seed) for s in strings]
    assert xxh32_slices(buffer, starts, lengths, seed=seed).tolist() == expected



def test_overlapping_slices_to_the_buffer_end_hash_as_xxhash_does() -> None:
    # Every start (its words are read at that start's offset modulo 4) and every length
    # that ends at or before the buffer's end, where the last reads run past the slice.
    data = bytes(random.Random(3).randrange(256) for _ in range(70))
    pairs = [(start, length) for start in range(len(data))
             for length in range(len(data) - start + 1)]
    starts, lengths = (np.array(column) for column in zip(*pairs, strict=True))
    expected = [xxhash.xxh32_intdigest(data[s:s + n]) for s, n in pairs]
    assert xxh32_slices(np.frombuffer(data, dtype=np.uint8), starts, lengths).tolist() == expected

@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_shingle_signatures_equal_those_of_hashing_each_shingle(size: int) -> None:
    rng = random.Random(size)
    vocabulary = ["a", "bb", "überall", "ж", "x" * 17, "y" * 40, "", *(f"w{n}" for n in range(50))]
    lists = [[rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 2, 3, 4, 40, 300]))]
             for _ in range(1500)]  # more than one chunk of shingles
    signer = DedupParams().body_signer()
    one_by_one = signer._stacked(signatures._chunks(
        map(partial(signatures._shingles, size=size), lists), xxhash.xxh32_intdigest))
    assert np.array_equal(signer.shingle_values(lists, size), one_by_one)
