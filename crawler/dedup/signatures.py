"""MinHash signatures: computed in batches, kept as LeanMinHash, stored as bytes.

The one module (with :mod:`crawler.dedup.lsh` and :mod:`~crawler.dedup.shared_lsh`) that
touches datasketch. Tokens are hashed with xxhash on their UTF-8 bytes; the permutation
scheme is always passed explicitly.

Titles are signed over unordered token *pairs* (:func:`title_units`), not single tokens:
verification needs at least three shared tokens (``DedupParams.min_shared_tokens``), so two
titles it can accept share at least three pairs, while two titles that only share one
frequent token ("ukrain") share no pair at all and never collide in the LSH index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, partial
from itertools import combinations

import numpy as np
import xxhash
from datasketch import LeanMinHash, MinHash
from datasketch.minhash import _fmix

from crawler.dedup.hashing import xxh32_slices

#: Hash functions by the name stored in the parameters' fingerprint.
HASHES: dict[str, Callable[[bytes], int]] = {
    "xxh32": xxhash.xxh32_intdigest,
    "xxh64": xxhash.xxh64_intdigest,
}
# Little-endian whatever the machine: stored signatures move between machines.
_BYTE_ORDER = "<"
_LITTLE = {4: "<u4", 8: "<u8"}
# Hash values permuted at once: bounds the (values x permutations) matrix of a batch to
# ~16 MB (a batch of 5,000 articles has ~1.5 million body shingles).
_CHUNK = 1 << 16


class Signer:
    """Computes signatures of token sets with fixed permutations.

    A whole batch is permuted in one numpy expression and reduced per set with
    ``np.minimum.reduceat``: the same arithmetic as datasketch's ``MinHash.update_batch``
    (the fmix pre-mix, then ``a * h + b`` in the scheme's width), without a Python call per
    set. :func:`crawler.dedup.params.check_datasketch` compares the result with values
    datasketch itself computed, so a datasketch that permutes otherwise is refused.
    """

    def __init__(self, num_perm: int, seed: int, scheme: str, hash_name: str) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.scheme = scheme
        self._hash = HASHES[hash_name]
        template = MinHash(num_perm=num_perm, seed=seed, hashfunc=self._hash, scheme=scheme)
        self._a, self._b = template.permutations
        self._empty = template.hashvalues  # the scheme's dtype, every value at its maximum
        self._width = self._empty.dtype.itemsize * 8
        reference = LeanMinHash(seed=seed, hashvalues=self._empty, scheme=scheme)
        self._wrap = self._lean if self._lean(self._empty) == reference else self._checked

    def sign(self, token_sets: Iterable[Iterable[str]]) -> list[LeanMinHash]:
        """One signature per token set, in order (an empty set gives the empty signature)."""
        return self.wrap(self.values(token_sets))

    def values(self, token_sets: Iterable[Iterable[str]]) -> np.ndarray:
        """The hash values of :meth:`sign`'s signatures, one row per set."""
        return self._stacked(_chunks((map(str.encode, tokens) for tokens in token_sets),
                                     self._hash))

    def sign_shingles(self, word_lists: Iterable[Sequence[str]], size: int
                      ) -> list[LeanMinHash]:
        """One signature per list of words, over its word ``size``-grams: the signatures
        :meth:`sign` gives the sets of :meth:`crawler.dedup.tokens.Tokenizer.body_shingles`
        (a repeated shingle does not change a minimum), without building those sets. A list
        shorter than ``size`` is one shingle; an empty list gives the empty signature."""
        return self.wrap(self.shingle_values(word_lists, size))

    def shingle_values(self, word_lists: Iterable[Sequence[str]], size: int) -> np.ndarray:
        """The hash values of :meth:`sign_shingles`' signatures, one row per list."""
        if self._hash is xxhash.xxh32_intdigest and size >= 1:  # in numpy, no bytes each
            return self._stacked(_shingle_chunks(word_lists, size))
        return self._stacked(_chunks(map(partial(_shingles, size=size), word_lists),
                                     self._hash))

    def wrap(self, values: np.ndarray) -> list[LeanMinHash]:
        """Signatures of rows of hash values made by this signer (views, not copies)."""
        return list(map(self._wrap, values))

    def lean(self, values: np.ndarray) -> LeanMinHash:
        """The signature of one row of hash values made by this signer (a view)."""
        signature: LeanMinHash = self._wrap(values)
        return signature

    def _stacked(self, chunks: Iterator[tuple[list[int] | np.ndarray, list[int]]]
                 ) -> np.ndarray:
        parts = [self._minima(hashes, bounds) for hashes, bounds in chunks]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else self._empty[:0].reshape(0, self.num_perm)

    def _lean(self, values: np.ndarray) -> LeanMinHash:
        """A LeanMinHash of values computed here, without the constructor's range check and
        copy (~7 us, as much as the rest of a title's signature). Used only when it equals
        what the constructor makes (checked in ``__init__``)."""
        signature: LeanMinHash = LeanMinHash.__new__(LeanMinHash)
        signature.seed, signature.scheme, signature.hashvalues = self.seed, self.scheme, values
        return signature

    def _checked(self, values: np.ndarray) -> LeanMinHash:
        return LeanMinHash(seed=self.seed, hashvalues=values, scheme=self.scheme)

    def _minima(self, hashes: list[int] | np.ndarray, bounds: list[int]) -> np.ndarray:
        """The minimum of each set's permuted hashes; ``bounds`` are the sets' offsets."""
        values = np.tile(self._empty, (len(bounds) - 1, 1))
        if not len(hashes):
            return values
        mixed = _fmix(np.array(hashes, dtype=self._empty.dtype), self._width)
        # Permutations x values, so that each set's values are one contiguous run of every
        # row: reduceat along rows is ~6x faster than down the columns of the transpose.
        permuted = np.multiply.outer(self._a, mixed)
        permuted += self._b.reshape(-1, 1)
        starts = np.array(bounds[:-1])
        filled = np.diff(bounds) > 0  # reduceat cannot take empty sets: they stay at max
        values[filled] = np.minimum.reduceat(permuted, starts[filled], axis=1).T
        return values


def _shingles(words: Sequence[str], size: int) -> Iterator[bytes]:
    """The UTF-8 bytes of each word ``size``-gram, words joined by a space (one encode per
    text: encoding each shingle costs as much as hashing it)."""
    encoded = " ".join(words).encode().split(b" ")
    if len(encoded) < size:
        return iter((b" ".join(encoded),) if words else ())
    # The shifted lists are shorter and shorter: zip stops at the last full shingle.
    return map(b" ".join, zip(*(encoded[i:] for i in range(size)), strict=False))


def _shingle_chunks(word_lists: Iterable[Sequence[str]], size: int
                    ) -> Iterator[tuple[np.ndarray, list[int]]]:
    """What :func:`_chunks` gives for the :func:`_shingles` of each list under xxh32, about
    :data:`_CHUNK` shingles at a time: the texts of a chunk joined into one buffer, and
    each shingle hashed as a slice of it (:func:`crawler.dedup.hashing.xxh32_slices`)."""
    texts: list[str | None] = []
    pieces = 0
    for words in word_lists:
        # A list without words has no shingle (None marks it: an empty set), except for
        # shingles of one word, where _shingles makes it one empty shingle.
        texts.append(" ".join(words) if words or size == 1 else None)
        pieces += len(words)
        if pieces >= _CHUNK:
            yield _shingle_hashes(texts, size)
            texts, pieces = [], 0
    if texts:
        yield _shingle_hashes(texts, size)


def _shingle_hashes(texts: Sequence[str | None], size: int) -> tuple[np.ndarray, list[int]]:
    """The hashes of the shingles of each text (None: no words) and the sets' offsets. A
    text's words are what ``split(" ")`` gives; a text of fewer than ``size`` words is one
    shingle, as :func:`_shingles` has it."""
    present = [text for text in texts if text is not None]
    pieces = np.array([text.count(" ") + 1 for text in present], dtype=np.int64)
    buffer = np.frombuffer(" ".join(present).encode(), dtype=np.uint8)
    spaces = np.flatnonzero(buffer == 32)
    word_starts = np.concatenate([[0], spaces + 1])
    word_ends = np.concatenate([spaces, [len(buffer)]])
    first = np.cumsum(pieces) - pieces  # each text's first word
    count = np.maximum(pieces - size + 1, 1)  # its shingles
    span = np.minimum(pieces, size)  # words per shingle
    text = np.repeat(np.arange(len(present)), count)
    word = first[text] + np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    starts = word_starts[word]
    hashes = xxh32_slices(buffer, starts, word_ends[word + span[text] - 1] - starts)
    counts = iter(count.tolist())
    bounds = [0]
    for item in texts:
        bounds.append(bounds[-1] + (next(counts) if item is not None else 0))
    return hashes, bounds


def _chunks(unit_sets: Iterable[Iterable[bytes]], hash_fn: Callable[[bytes], int]
            ) -> Iterator[tuple[list[int], list[int]]]:
    """Hashes of consecutive sets, up to about :data:`_CHUNK` at a time, with their offsets."""
    hashes: list[int] = []
    bounds = [0]
    for units in unit_sets:
        hashes += map(hash_fn, units)
        bounds.append(len(hashes))
        if len(hashes) >= _CHUNK:
            yield hashes, bounds
            hashes, bounds = [], [0]
    if len(bounds) > 1:
        yield hashes, bounds


def title_units(tokens: Iterable[str]) -> list[str]:
    """What a title's signature is made of: its unordered token pairs ("a b", sorted), or
    its one token. Tokens never contain spaces, so a pair cannot be mistaken for another.

    >>> title_units({"putin", "nato", "krieg"})
    ['krieg nato', 'krieg putin', 'nato putin']
    """
    ordered: Sequence[str] = sorted(tokens)
    if len(ordered) < 2:
        return list(ordered)
    return [f"{a} {b}" for a, b in combinations(ordered, 2)]


def to_bytes(signature: LeanMinHash) -> bytes:
    """The signature as bytes (datasketch's LeanMinHash format, little-endian)."""
    values: np.ndarray = signature.hashvalues
    header = _header(signature.seed, len(values), signature.scheme, values.dtype.str)
    if header is None:
        return _serialized(signature)
    return header + values.astype(_LITTLE[values.dtype.itemsize], copy=False).tobytes()


@cache
def _header(seed: int, size: int, scheme: str, dtype: str) -> bytes | None:
    """The bytes datasketch writes before the hash values of such signatures, if its format
    is the one :func:`to_bytes` writes without it (header, then the values little-endian;
    checked on an example): packing the values one by one takes as long as signing."""
    if dtype[1:] not in ("u4", "u8"):
        return None
    probe = LeanMinHash(seed=seed, hashvalues=np.arange(size, dtype=dtype), scheme=scheme)
    expected = _serialized(probe)
    values = probe.hashvalues.astype(_LITTLE[probe.hashvalues.dtype.itemsize]).tobytes()
    if not expected.endswith(values):
        return None
    return expected[:len(expected) - len(values)]


def _serialized(signature: LeanMinHash) -> bytes:
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
