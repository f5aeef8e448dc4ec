"""Which of a batch's bare titles can join no story: an exact filter before any scoring.

A record without a body joins a story only by the title similarity of one of the story's
member titles (:meth:`crawler.stories.score.Scorer._title`: Jaccard of the title tokens at
least ``title_threshold``, with at least ``min_shared_title`` tokens shared). On 100,000
generated headlines 79,367 records were scored so against ~6 admitted stories each, after a
search of ~100 candidate pairs each, and 32 of them had any earlier title that similar: the
rest started a story of their own. :class:`TitleSieve` proves that beforehand, for a batch
at once in numpy, and the clusterer starts those stories without a candidate search.

The proof: two titles of ``a`` and ``b`` tokens sharing ``s >= 2`` tokens share
``s(s-1)/2`` token pairs. Every title of a held story's members (and more: every record's
title, until its story is evicted) and every earlier title of the batch is indexed by its
token pairs, each a 64-bit key of its two tokens' 31-bit hashes; a record's pairs found
with a title's, counted, bound ``s`` from above (a hash collision only adds to the count),
and so the similarity ``s / (a + b - s)``. A record that no title reaches with that bound
cannot join any story by its title, so its decision is the one the whole search would make
(tests/stories/test_sieve.py). Titles of more than :data:`QUERY_TOKENS` tokens are not
sieved (a lead sentence's pairs are many), nor indexed when too long for a sieved one to
reach the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crawler.dedup.keys import token_id

#: Records whose titles have at most this many tokens are sieved (a headline has ~6; a
#: lead sentence standing in for a title 20-40, and up to 780 pairs).
QUERY_TOKENS = 12
# A sieve whose titles to index would reach this many tokens is off (a threshold near 0).
_MOST_INDEXED = 40
# The largest number a uint32 holds, plus one.
_FITS_32 = 1 << 32
# More meetings than any pair has.
_NEVER = 1 << 62


@dataclass(frozen=True, slots=True)
class TitlePairs:
    """The token pairs of a batch's titles, by title: ``keys`` and the title (row) each is
    of, sorted by key, and each title's tokens. Pure: made by the worker that prepares the
    batch (:class:`crawler.stories.candidates.Sketches`), or where it is used."""

    keys: np.ndarray
    rows: np.ndarray
    sizes: np.ndarray


def title_pairs(titles: Sequence[frozenset[str]]) -> TitlePairs:
    """:class:`TitlePairs` of ``titles`` (a title of one token has none)."""
    # A list, not a set, of hashes: two tokens of one title hashing alike keep their pairs.
    hashed = [sorted(map(token_id, title)) for title in titles]
    by_size: dict[int, list[int]] = {}
    for i, ids in enumerate(hashed):
        if 2 <= len(ids) <= _MOST_INDEXED:
            by_size.setdefault(len(ids), []).append(i)
    keys, rows = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for size, members in by_size.items():
        table = np.array([hashed[i] for i in members], dtype=np.int64)
        low, high = np.triu_indices(size, 1)
        keys.append(((table[:, low] << 31) | table[:, high]).ravel())
        rows.append(np.repeat(np.asarray(members, dtype=np.int64), len(low)))
    key, row = np.concatenate(keys), np.concatenate(rows)
    order = np.argsort(key, kind="stable")
    return TitlePairs(key[order], row[order], np.array([len(t) for t in titles], dtype=np.int64))


class TitleSieve:
    """``unreachable(pairs, rows)``: which of a batch's titles no indexed title nor an
    earlier title of the batch comes within the threshold of; ``add(story_ids, pairs)``
    indexes a batch's titles, each as its story's; ``merged`` and ``drop`` follow the
    stories (the titles of an evicted story leave)."""

    def __init__(self, threshold: float, least_shared: int) -> None:
        self._threshold = threshold
        # A title longer than this is not within the threshold of any sieved one (its
        # similarity with a title of ``a`` tokens is at most a / b).
        self._longest = int(QUERY_TOKENS / threshold) + 1 if threshold > 0 else _MOST_INDEXED
        self.on = least_shared >= 2 and self._longest < _MOST_INDEXED
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (keys, title numbers), sorted
        self._sizes = np.zeros(0, dtype=np.int64)    # title number -> its tokens
        self._labels = np.zeros(0, dtype=np.int64)   # title number -> its story's number
        self._number: dict[str, int] = {}
        self._numbers = 0
        self._least: dict[int, np.ndarray] = {}  # least_meetings by size, to a largest

    def unreachable(self, pairs: TitlePairs, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` of a batch (``pairs`` of its titles, in assignment order) no
        indexed title, nor a title of the batch before it, comes near enough to (a bool
        each: True for a row that cannot join a story by its title)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not self.on or not len(rows):
            return np.zeros(len(rows), dtype=bool)
        asked = np.zeros(len(pairs.sizes), dtype=bool)
        asked[rows[pairs.sizes[rows] <= QUERY_TOKENS]] = True
        mine = asked[pairs.rows]
        keys, owner = pairs.keys[mine], pairs.rows[mine]
        near = np.zeros(len(pairs.sizes), dtype=bool)
        for run_keys, run_titles in self._runs:
            row, other = _met(keys, owner, run_keys, run_titles)
            live = self._labels[other] >= 0  # not of an evicted story
            near[self._reached(row[live], other[live], pairs.sizes, self._sizes)] = True
        row, other = _met(keys, owner, pairs.keys, pairs.rows)
        earlier = other < row  # the batch's earlier titles
        near[self._reached(row[earlier], other[earlier], pairs.sizes, pairs.sizes)] = True
        unreached: np.ndarray = asked[rows] & ~near[rows]
        return unreached

    def add(self, story_ids: Sequence[str], pairs: TitlePairs) -> None:
        """Index the titles of ``pairs`` (those short enough to be reached), title ``i`` as
        one of story ``story_ids[i]``."""
        if not self.on or not len(pairs.sizes):
            return
        kept = pairs.sizes[pairs.rows] <= self._longest
        first = len(self._sizes)
        self._sizes = np.concatenate((self._sizes, pairs.sizes))
        self._labels = np.concatenate((self._labels, np.fromiter(
            map(self._label, story_ids), dtype=np.int64, count=len(story_ids))))
        self._runs.append((pairs.keys[kept], pairs.rows[kept] + first))
        # Runs merged like a binary counter (each about twice the next): every key is
        # sorted again O(log n) times, not once every few batches; the entries of evicted
        # stories leave then.
        while len(self._runs) > 1 and 2 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            (keys, titles), (more, their) = self._runs[-2], self._runs.pop()
            keys, titles = np.concatenate((keys, more)), np.concatenate((titles, their))
            live = self._labels[titles] >= 0
            order = np.argsort(keys[live], kind="stable")
            self._runs[-1] = (keys[live][order], titles[live][order])

    def merged(self, keep: str, gone: str) -> None:
        """The titles of story ``gone`` are now of story ``keep`` (merged into it)."""
        old = self._number.pop(gone, None)
        if old is not None:
            self._labels[self._labels == old] = self._label(keep)

    def drop(self, story_ids: Sequence[str]) -> None:
        """Forget the titles of the stories ``story_ids`` (evicted): marked now (no query
        counts them), their entries left out when their run is next merged."""
        numbers = [n for n in (self._number.pop(s, None) for s in story_ids) if n is not None]
        if numbers:
            self._labels[np.isin(self._labels, np.asarray(numbers, dtype=np.int64))] = -1

    def _label(self, story_id: str) -> int:
        number = self._number.get(story_id)
        if number is None:
            number = self._number[story_id] = self._numbers
            self._numbers += 1
        return number

    def _may_reach(self, codes: np.ndarray, row: np.ndarray, sizes: np.ndarray
                   ) -> np.ndarray:
        """Which meetings (``codes``: pair_codes) are of a pair met often enough for its
        row's title (of ``sizes``) to reach at the threshold (:func:`least_meetings`), by
        counts over a hash of the pair: never fewer than the pair's own."""
        slots = 1 << max(16, min(22, (2 * len(codes)).bit_length()))
        slot = (codes & (slots - 1)).astype(np.intp)
        met = np.bincount(slot, minlength=slots)[slot]
        largest = int(sizes[row].max())
        least = self._least.get(largest)
        if least is None:
            least = self._least[largest] = np.array(
                [least_meetings(size, self._threshold) for size in range(largest + 1)],
                dtype=np.int64)
        may: np.ndarray = met >= least[sizes[row]]
        return may

    def _reached(self, row: np.ndarray, other: np.ndarray, sizes: np.ndarray,
                 other_sizes: np.ndarray) -> np.ndarray:
        """The rows of the pairs (row, other title) whose shared token pairs, counted, allow
        a title similarity of at least the threshold."""
        if not len(row):
            return row
        width = int(other.max()) + 1
        codes = pair_codes(row, other, width)
        # Most pairs meet once or twice, short of what any title reaches: counted first by
        # a hash of the pair (a collision only adds), they leave, and the few left (~2% of
        # 100,000 generated headlines' 8.5 million) are sorted and counted exactly.
        codes = np.sort(codes[self._may_reach(codes, row, sizes)])
        if not len(codes):
            return row[:0]
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        count = np.diff(np.append(starts, len(codes)))
        first = codes[starts].astype(np.int64)
        row, other = first // width, first % width
        # The most tokens that share ``count`` pairs or fewer: s(s-1)/2 <= count (rounded up
        # a little: more is safe, less is not).
        shared = np.floor((1 + np.sqrt(1 + 8 * count)) / 2 + 1e-6).astype(np.int64)
        a, b = sizes[row], other_sizes[other]
        shared = np.minimum(shared, np.minimum(a, b))
        # The scorer's division (integers to float64, correctly rounded either way).
        reached: np.ndarray = row[(shared >= 2) & (shared / (a + b - shared) >= self._threshold)]
        return reached


def least_meetings(size: int, threshold: float) -> int:
    """The fewest meetings (shared token pairs) with which a title of ``size`` tokens can
    reach another at ``threshold``, as :meth:`TitleSieve._reached` bounds it: its shared
    tokens over its own size (the other title holding just those, the best case)."""
    for count in range(size * (size - 1) // 2 + 1):
        shared = math.floor((1 + math.sqrt(1 + 8 * count)) / 2 + 1e-6)
        if shared >= 2 and shared / size >= threshold:
            return count
    return _NEVER  # a threshold over 1: nothing reaches


def pair_codes(row: np.ndarray, other: np.ndarray, width: int) -> np.ndarray:
    """Each (row, other title) as one number, ``row * width + other`` (``width``: more than
    any ``other``): 32-bit when every one fits (a batch's rows times the titles held, so
    far short of 2**32), half the bytes to sort and scan of 64-bit ones (~0.2 of ~0.65 CPU
    s of counting 100,000 generated headlines' meetings)."""
    codes: np.ndarray = row * width + other
    if len(row) and (int(row.max()) + 1) * width <= _FITS_32:
        return codes.astype(np.uint32)
    return codes


def _met(keys: np.ndarray, owner: np.ndarray, held: np.ndarray, titles: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray]:
    """Each (owner, title) of a key of ``keys`` met in ``held`` (sorted), once per meeting."""
    start = np.searchsorted(held, keys, side="left")
    counts = np.searchsorted(held, keys, side="right") - start
    total = int(counts.sum())
    if not total:
        nothing = np.zeros(0, dtype=np.int64)
        return nothing, nothing
    ends = np.cumsum(counts)
    at = np.arange(total) + np.repeat(start - (ends - counts), counts)
    return np.repeat(owner, counts), titles[at]
