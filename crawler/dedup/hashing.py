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
    data = np.concatenate([buffer.astype(np.uint8, copy=False), np.zeros(16, np.uint8)])
    # The little-endian uint32 at every byte offset: each word read is then one gather.
    wide = data.astype(np.uint32)
    words = wide[:-3] | (wide[1:-2] << np.uint32(8)) | (wide[2:-1] << np.uint32(16)) | (
        wide[3:] << np.uint32(24))
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    seed32 = np.uint32(seed)
    # Every step runs over all slices (np.where keeps those it does not apply to): whole
    # contiguous arrays beat gathering the few that need a step.
    with np.errstate(over="ignore"):
        stripes = lengths // 16
        hashes = np.full(len(starts), seed32 + _P5, dtype=np.uint32)
        if len(starts) and stripes.max():
            hashes = np.where(stripes > 0, _stripes(words, starts, stripes, seed32), hashes)
        hashes += lengths.astype(np.uint32)
        at = starts + stripes * 16
        rest = lengths - stripes * 16
        for word in range(3):  # at most three 4-byte words remain
            mixed = _rotl(hashes + words[at + 4 * word] * _P3, 17) * _P4
            hashes = np.where(rest >= 4 * (word + 1), mixed, hashes)
        at += (rest // 4) * 4
        for byte in range(3):  # and at most three single bytes
            mixed = _rotl(hashes + data[at + byte].astype(np.uint32) * _P5, 11) * _P1
            hashes = np.where(rest % 4 > byte, mixed, hashes)
        hashes ^= hashes >> np.uint32(15)
        hashes *= _P2
        hashes ^= hashes >> np.uint32(13)
        hashes *= _P3
        hashes ^= hashes >> np.uint32(16)
    return hashes


def _stripes(words: np.ndarray, starts: np.ndarray, stripes: np.ndarray, seed: np.uint32
             ) -> np.ndarray:
    """The accumulators' merge after the 16-byte stripes of each slice (of those that
    have some)."""
    last = len(words) - 1
    lanes = [np.full(len(starts), value, dtype=np.uint32)
             for value in (seed + _P1 + _P2, seed + _P2, seed, seed - _P1)]
    for stripe in range(int(stripes.max())):
        on = stripes > stripe
        for n in range(4):
            at = np.minimum(starts + 16 * stripe + 4 * n, last)  # past the end: unused
            mixed = _rotl(lanes[n] + words[at] * _P2, 13) * _P1
            lanes[n] = np.where(on, mixed, lanes[n])
    merged: np.ndarray = (_rotl(lanes[0], 1) + _rotl(lanes[1], 7) + _rotl(lanes[2], 12)
                          + _rotl(lanes[3], 18))
    return merged


def _rotl(values: np.ndarray, bits: int) -> np.ndarray:
    rotated: np.ndarray = (values << np.uint32(bits)) | (values >> np.uint32(32 - bits))
    return rotated
