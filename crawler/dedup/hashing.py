"""xxh32 of many byte strings at once, in numpy: the values ``xxhash.xxh32_intdigest`` gives.

Body signatures hash every word 3-gram of every body (~300 per article); one
``xxh32_intdigest`` call per shingle, and the bytes object it needs, cost more than the rest
of an article's signature. Here the strings are slices of one buffer (a batch's bodies,
words joined by spaces) and each step of the algorithm runs over all of them together.
Tests compare it with xxhash on strings of every length up to a few stripes.

The algorithm (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md, XXH32):
16-byte stripes into four accumulators, then the 4-byte words and the single bytes that
remain, then the avalanche; all arithmetic modulo 2**32.
"""

from __future__ import annotations

import numpy as np

_P1 = np.uint32(2654435761)
_P2 = np.uint32(2246822519)
_P3 = np.uint32(3266489917)
_P4 = np.uint32(668265263)
_P5 = np.uint32(374761393)


def xxh32_slices(buffer: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                 seed: int = 0) -> np.ndarray:
    """``xxh32(buffer[start:start + length], seed)`` of each slice, as uint32."""
    # Padded: the steps below read up to 12 bytes past a slice's end (and then mask them out).
    data = np.concatenate([buffer.astype(np.uint8, copy=False), np.zeros(16, np.uint8)])
    # The little-endian uint32s starting at offsets 4q + r are row r of ``words``: four
    # copies of the buffer (one memcpy each) instead of shifting and or-ing four arrays of
    # the buffer's size. A slice's words all share its start's row: ``first`` + j is its
    # j-th word, so each read is one add and one gather (measured on the chunks of
    # generated articles: ~14% less time a body shingle than a word at every byte offset).
    rows = (len(data) - 3) // 4
    words = np.concatenate([np.frombuffer(data, "<u4", rows, offset) for offset in range(4)]
                           ).astype(np.uint32, copy=False)
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    first = (starts & 3) * rows + (starts >> 2)
    seed32 = np.uint32(seed)
    # Every step runs over all slices (np.where keeps those it does not apply to): whole
    # contiguous arrays beat gathering the few that need a step.
    with np.errstate(over="ignore"):
        stripes = lengths >> 4
        hashes = np.full(len(starts), seed32 + _P5, dtype=np.uint32)
        if len(starts) and stripes.max():
            hashes = np.where(stripes > 0, _stripes(words, first, stripes, seed32), hashes)
        hashes += lengths.astype(np.uint32)
        rest = lengths & 15
        after = first + 4 * stripes
        for word in range(3):  # at most three 4-byte words remain
            mixed = _rotl(hashes + words[after + word] * _P3, 17) * _P4
            hashes = np.where(rest >= 4 * (word + 1), mixed, hashes)
        at = starts + (lengths & ~3)
        for byte in range(3):  # and at most three single bytes
            mixed = _rotl(hashes + data[at + byte].astype(np.uint32) * _P5, 11) * _P1
            hashes = np.where(rest % 4 > byte, mixed, hashes)
        hashes ^= hashes >> np.uint32(15)
        hashes *= _P2
        hashes ^= hashes >> np.uint32(13)
        hashes *= _P3
        hashes ^= hashes >> np.uint32(16)
    return hashes


def _stripes(words: np.ndarray, first: np.ndarray, stripes: np.ndarray, seed: np.uint32
             ) -> np.ndarray:
    """The accumulators' merge after the 16-byte stripes of each slice (of those that
    have some); ``first`` is the index of each slice's first word in ``words``."""
    last = len(words) - 1
    lanes = [np.full(len(first), value, dtype=np.uint32)
             for value in (seed + _P1 + _P2, seed + _P2, seed, seed - _P1)]
    for stripe in range(int(stripes.max())):
        on = stripes > stripe
        for n in range(4):
            at = np.minimum(first + (4 * stripe + n), last)  # past the end: unused
            mixed = _rotl(lanes[n] + words[at] * _P2, 13) * _P1
            # Each slice has a first stripe or no use for its lanes: no mask needed.
            lanes[n] = np.where(on, mixed, lanes[n]) if stripe else mixed
    merged: np.ndarray = (_rotl(lanes[0], 1) + _rotl(lanes[1], 7) + _rotl(lanes[2], 12)
                          + _rotl(lanes[3], 18))
    return merged


def _rotl(values: np.ndarray, bits: int) -> np.ndarray:
    rotated: np.ndarray = (values << np.uint32(bits)) | (values >> np.uint32(32 - bits))
    return rotated
