"""The window's arrays: a row (a *slot*) per record, grown as records come, reused as they go.

What comparing a batch needs of each record in the window, where a whole batch of pairs can be
checked at once (see :mod:`crawler.dedup.window`): its date, when it entered the window, its
language and source as small codes, its title tokens as small ints with their 64-bit masks,
and its affix keys with theirs (see :mod:`crawler.dedup.gates`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crawler.dedup.keys import WIDTH, Collisions
from crawler.dedup.lsh import BandIndex
from crawler.dedup.shared_lsh import SharedBands
from crawler.dedup.signatures import Signer
from crawler.dedup.verify import Features

_MASKS = 2
# Masks of each title's affix keys (prefixes, suffixes), each from other bits of the keys:
# a compound spelling can pair off only where all of them meet (see gates._may_pair). Two: 4%
# less CPU than four on 100,000 generated German headlines (more masks cost more than the
# pairs they leave out save).
_AFFIX_MASKS = 2

Bands = BandIndex | SharedBands


class Slots:
    """Slots of the records in the window, their arrays, and their LSH indexes."""

    def __init__(self, title: Bands, body: Bands, body_signer: Signer) -> None:
        self.title, self.body = title, body
        self._body_signer = body_signer
        self.ids: list[str | None] = []
        self.features: list[Features | None] = []
        self.slot_of: dict[str, int] = {}
        self._ts, self._kept = np.zeros(0), np.zeros(0)  # published; entered the window
        self._live = np.zeros(0, dtype=bool)
        self._bodied = np.zeros(0, dtype=bool)
        self._tokens = np.zeros((0, WIDTH), dtype=np.int32)
        self._affixes = np.zeros((0, 2 * WIDTH), dtype=np.int32)  # see affix_keys
        self._counts = np.zeros(0, dtype=np.int32)
        # How many tokens of each title name a place (Features.place_words): verify() may
        # pair that many more (verify.place_pairs), which _reachable's bound allows for.
        self._placed = np.zeros(0, dtype=np.int32)
        self._languages: dict[str | None, int] = {}  # language -> its code in _language
        self._language = np.zeros(0, dtype=np.int32)
        self._sources: dict[str, int] = {"": -1}  # source -> its code in _source (-1: unknown)
        self._source = np.zeros(0, dtype=np.int32)
        # Two 64-bit masks of each title's tokens (bits: two 6-bit pieces of the token id)
        # and, for each, the tokens minus the bits they set (see _plausible).
        self._masks = [np.zeros(0, dtype=np.uint64) for _ in range(_MASKS)]
        self._slack = [np.zeros(0, dtype=np.int16) for _ in range(_MASKS)]
        # The same of the affix keys, per side (prefixes, suffixes) and mask (see _may_pair).
        self._affix_masks = np.zeros((0, 2, _AFFIX_MASKS), dtype=np.uint64)
        self._affix_slack = np.zeros((0, 2, _AFFIX_MASKS), dtype=np.int16)
        self._free: list[int] = []
        self._removed: list[int] = []  # not reusable before the LSH indexes compact
        self._collisions = Collisions()

    def __len__(self) -> int:
        return len(self.slot_of)

    def _allocate(self, count: int) -> np.ndarray:
        reused = [self._free.pop() for _ in range(min(count, len(self._free)))]
        start = len(self.ids)
        new = count - len(reused)
        self.ids += [None] * new
        self.features += [None] * new
        if len(self.ids) > len(self._ts):
            self._grow(max(len(self.ids), 2 * len(self._ts), 1024))
        return np.array(reused + list(range(start, start + new)), dtype=np.int64)

    def _grow(self, capacity: int) -> None:
        extra = capacity - len(self._ts)
        self._ts, self._kept = (np.concatenate([a, np.zeros(extra)]) for a in (self._ts,
                                                                               self._kept))
        self._live = np.concatenate([self._live, np.zeros(extra, dtype=bool)])
        self._bodied = np.concatenate([self._bodied, np.zeros(extra, dtype=bool)])
        self._counts = np.concatenate([self._counts, np.zeros(extra, dtype=np.int32)])
        self._placed = np.concatenate([self._placed, np.zeros(extra, dtype=np.int32)])
        self._language = np.concatenate([self._language, np.zeros(extra, dtype=np.int32)])
        self._source = np.concatenate([self._source, np.zeros(extra, dtype=np.int32)])
        self._masks = [np.concatenate([m, np.zeros(extra, np.uint64)]) for m in self._masks]
        self._slack = [np.concatenate([s, np.zeros(extra, np.int16)]) for s in self._slack]
        self._tokens = np.concatenate([self._tokens, np.zeros((extra, WIDTH), np.int32)])
        self._affixes = np.concatenate([self._affixes,
                                        np.zeros((extra, 2 * WIDTH), np.int32)])
        self._affix_masks = np.concatenate([self._affix_masks,
                                            np.zeros((extra, 2, _AFFIX_MASKS), np.uint64)])
        self._affix_slack = np.concatenate([self._affix_slack,
                                            np.zeros((extra, 2, _AFFIX_MASKS), np.int16)])

    def _set_affixes(self, slots: np.ndarray, rows: np.ndarray) -> None:
        self._affixes[slots] = rows
        keys = rows.reshape(len(rows), 2, 1, WIDTH)  # (slots, side, 1, keys)
        bit = ((keys >> (6 * np.arange(_AFFIX_MASKS).reshape(1, 1, -1, 1))) & 63
               ).astype(np.uint64)
        bits = np.where(keys >= 0, np.left_shift(np.uint64(1), bit), np.uint64(0))
        masks = np.bitwise_or.reduce(bits, axis=3)
        self._affix_masks[slots] = masks
        self._affix_slack[slots] = (np.count_nonzero(keys >= 0, axis=3)
                                    - np.bitwise_count(masks))

    def _set_tokens(self, slots: np.ndarray, token_sets: Sequence[frozenset[str]],
                    rows: np.ndarray) -> None:
        counts = np.array([len(tokens) for tokens in token_sets], dtype=np.int32)
        self._counts[slots] = counts
        self._tokens[slots] = rows
        for n in range(_MASKS):
            bit = ((rows >> (6 * n)) & 63).astype(np.uint64)
            bits = np.where(rows >= 0, np.left_shift(np.uint64(1), bit), np.uint64(0))
            masks = np.bitwise_or.reduce(bits, axis=1) if len(rows) else bits[:, 0]
            self._masks[n][slots] = masks
            # (long sets, > WIDTH tokens, have no ids here and are never bounded: clipped)
            self._slack[n][slots] = np.minimum(counts - np.bitwise_count(masks), WIDTH)

