"""MinHash signatures: computed in batches, kept as LeanMinHash, stored as bytes.

The one module (with :mod:`crawler.dedup.index`) that touches datasketch. Tokens are hashed
with xxhash on their UTF-8 bytes; the permutation scheme is always passed explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import xxhash
from datasketch import LeanMinHash, MinHash

#: Hash functions by the name stored in the parameters' fingerprint.
HASHES: dict[str, Callable[[bytes], int]] = {
    "xxh32": xxhash.xxh32_intdigest,
    "xxh64": xxhash.xxh64_intdigest,
}
# Little-endian whatever the machine: stored signatures move between machines.
_BYTE_ORDER = "<"


class Signer:
    """Computes signatures of token sets with fixed permutations."""

    def __init__(self, num_perm: int, seed: int, scheme: str, hash_name: str) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.scheme = scheme
        self._hash = HASHES[hash_name]
        # One MinHash reused for every set: building a MinHash (its permutations) costs
        # more than hashing a headline's tokens; clear() only resets the hash values.
        self._work = MinHash(num_perm=num_perm, seed=seed, hashfunc=self._hash, scheme=scheme)

    def sign(self, token_sets: Iterable[Iterable[str]]) -> list[LeanMinHash]:
        """One signature per token set, in order (an empty set gives the empty signature)."""
        work = self._work
        signatures = []
        for tokens in token_sets:
            work.clear()
            work.update_batch([t.encode() for t in tokens])
            signatures.append(LeanMinHash(work))
        return signatures


def to_bytes(signature: LeanMinHash) -> bytes:
    """The signature as bytes (datasketch's LeanMinHash format, little-endian)."""
    buffer = bytearray(signature.bytesize(byteorder=_BYTE_ORDER))
    signature.serialize(buffer, byteorder=_BYTE_ORDER)
    return bytes(buffer)


def from_bytes(data: bytes) -> LeanMinHash:
    """A signature back from :func:`to_bytes`."""
    signature: LeanMinHash = LeanMinHash.deserialize(data, byteorder=_BYTE_ORDER)
    return signature


def is_empty(signature: LeanMinHash) -> bool:
    """Whether the signature is of the empty set (nothing to index: it would collide with
    every other empty signature)."""
    return bool(signature.is_empty())
