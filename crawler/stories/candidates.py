"""A batch's candidate pairs from the story layer's MinHash LSH, counted exactly.

Both ends of :class:`crawler.stories.cluster.StoryClusterer`'s candidate search: the pairs
of a batch's records among themselves (:func:`batch_pairs`), and a batch queried against an
index of held signatures a few rows at a time (:func:`query`), with the band hits of each
pair counted (:func:`counted`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from crawler.dedup import lsh
from crawler.dedup.lsh import BandIndex
from crawler.dedup.signatures import Signer
from crawler.dedup.tokens import Tokenizer
from crawler.stories.features import Profile, profile_of
from crawler.stories.params import StoryParams
from crawler.stories.sieve import QUERY_TOKENS, TitlePairs, title_pairs

#: A band value that members of more than this many held stories share answers no query:
#: a band most stories share (one frequent title word) says nothing about a record's story
#: (datasketch-style LSH has no such cap; its buckets just grow). Such values gave a
#: generated headline ~460 candidate stories, the largest answering with their earliest
#: 256 members, of which 30 were scored. Counted by story, not signature: a story's own
#: copies must not hide it from its next copy. At 64 (measured, 2 shared cores): the
#: clusterer on 100,000 generated headlines 0.62 -> 0.35-0.43 ms of CPU a record, 476
#: records change story (80,733 -> 80,846 stories); 20,000 generated articles: 568 change
#: (15,438 -> 15,607); story-clusters and the real feeds: the same stories. Among the batch's
#: own records (of no story yet) a value counts by signature (:func:`batch_pairs`).
CROWDED = 64
# The signature scheme of the candidate index (the near-duplicate layer's, see DedupParams).
_SEED, _SCHEME, _HASH = 1, "affine32", "xxh32"


@dataclass(frozen=True, slots=True)
class BatchPairs:
    """A batch's candidate pairs among its own records: row ``i``'s earlier rows and their
    band hits are ``earlier[starts[i]:starts[i + 1]]`` and ``hits[...]``, by earlier row,
    for the rows ``asked`` (a bool each; arrays: they cross from the worker that makes them,
    :class:`crawler.stories.Profiler`)."""

    starts: np.ndarray
    earlier: np.ndarray
    hits: np.ndarray
    asked: np.ndarray


def batch_pairs(values: np.ndarray, params: StoryParams, asking: np.ndarray) -> BatchPairs:
    """For each of the rows ``asking`` of a batch, the earlier records of the batch whose
    signatures share a band with its own, and how many (none for the other rows): every
    shared band, as the held index counts them (:class:`crawler.stories.bands.StoryBands`),
    so that ``min_band_hits`` applies to a story's total however its members were found.

    A band value that more than :data:`CROWDED` signatures of the batch share pairs none of
    them (20,000 generated articles: ~80% of a batch's pair entries came from such values,
    a frequent title word the band's minimum; English real feeds: 1 of 140 same-event pairs
    lost, benchmarks/README.md, branch speed3). One batch and the same records over two
    runs can differ there: two runs' halves each under the count pair where one batch over
    it does not (as a held value counts stories, a batch's signatures)."""
    width = len(values)
    asked = np.zeros(width, dtype=bool)
    asked[asking] = True
    if width < 2 or not len(asking):
        nothing = np.zeros(0, dtype=np.int64)
        return BatchPairs(np.zeros(width + 1, dtype=np.int64), nothing, nothing, asked)
    index = BandIndex(params.lsh_threshold, params.lsh_num_perm)
    index.add(np.arange(width), values)
    # Every row asking (every article does), in order: their places are the rows.
    everyone = len(asking) == width and bool((asking == np.arange(width)).all())
    # A band value that more than CROWDED of the batch's records share pairs none of them,
    # as a value of more than CROWDED held stories answers no query; their stories are not
    # known yet, so records count by signature: copies of one report (one title, the same
    # names) count once and do not hide their story from its next copy.
    copies = np.unique(values, axis=0, return_inverse=True)[1].reshape(-1)
    rows, slots = query(index, values if everyone else values[asking], params.lsh_num_perm,
                        copies)
    if not everyone:  # a query's row is its place among the rows asked
        rows = asking[rows]
    earlier = slots < rows
    pairs, hits = counted(rows[earlier] * width + slots[earlier], 1)
    starts = np.searchsorted(pairs // width, np.arange(width + 1))  # pairs sorted by row
    # As int32 and the smallest unsigned type of the hits (a band count): the same values in
    # a quarter of the bytes. They are most of a batch's sketches (11.5 of 13.9 MB a batch of
    # 5,000 generated articles, as int64), pickled in the worker, sent on by the main process
    # and unpickled by the clusterer.
    small = np.min_scalar_type(int(hits.max()) if len(hits) else 0)
    return BatchPairs(starts, _narrowed(pairs % width), hits.astype(small), asked)


@dataclass(frozen=True, slots=True)
class Sketches:
    """A batch's records in assignment order (:func:`in_order`): their ids, their candidate
    signatures (one row each), their pairs among themselves (:func:`batch_pairs`) and
    their titles' token pairs (:class:`crawler.stories.sieve.TitleSieve`)."""

    ids: list[str]
    values: np.ndarray
    pairs: BatchPairs
    titles: TitlePairs


def story_signer(params: StoryParams) -> Signer:
    """The signer of the story layer's candidate signatures (over ``Profile.lsh_terms``)."""
    return Signer(params.lsh_num_perm, _SEED, _SCHEME, _HASH)


def in_order(profiles: Sequence[Profile], tokenizer: Tokenizer, params: StoryParams
             ) -> list[Profile]:
    """``profiles`` in assignment order: by (published, id), the undated after (by id)."""
    # A date that is no number (NaN, infinite) would make the order arbitrary: undated.
    profiles = [p if p.doc.published is None or math.isfinite(p.doc.published)
                else profile_of(tokenizer, replace(p.doc, published=None), params)
                for p in profiles]
    dated = sorted((p for p in profiles if p.doc.published is not None),
                   key=lambda p: (p.doc.published, p.doc.id))
    return dated + sorted((p for p in profiles if p.doc.published is None),
                          key=lambda p: p.doc.id)


def sketched(ordered: list[Profile], signer: Signer, params: StoryParams, asking: np.ndarray
             ) -> Sketches:
    """The :class:`Sketches` of a batch in assignment order, its pairs for the rows
    ``asking`` (what a worker makes ahead, before the stories are known: those of the rows
    :func:`unsieved`)."""
    values = signer.values([p.lsh_terms for p in ordered])
    return Sketches([p.doc.id for p in ordered], values, batch_pairs(values, params, asking),
                    title_pairs([p.check.tokens for p in ordered]))


def unsieved(ordered: Sequence[Profile]) -> np.ndarray:
    """The rows of a batch whose candidates :class:`crawler.stories.sieve.TitleSieve` cannot
    spare: records with a body, and titles too long to be sieved. The rest, bare titles,
    mostly start a story without a candidate search (of 100,000 generated headlines the
    sieve starts 79,335 stories so; 79,367 were scored, the others copies): their pairs are
    made for the few that need them, by the clusterer (made ahead for every row, they cost
    the worker ~2.3 of ~15 CPU s)."""
    return np.asarray([i for i, p in enumerate(ordered)
                       if p.has_body or len(p.check.tokens) > QUERY_TOKENS], dtype=np.int64)


def asking_rows(ordered: Sequence[Profile], held: Mapping[str, str]) -> np.ndarray:
    """The rows of a batch (in assignment order) that look for candidates: not those that
    will join their original's story (a copy whose original is a member of a ``held``
    story, or earlier in the batch), whose candidates would never be read."""
    earlier: set[str] = set()
    rows = []
    for i, profile in enumerate(ordered):
        original = profile.doc.duplicate_of
        if original is None or (original not in held and original not in earlier):
            rows.append(i)
        earlier.add(profile.doc.id)
    return np.asarray(rows, dtype=np.int64)


def enough(hits: dict[str, int], least: int) -> dict[str, int]:
    """The stories of ``hits`` with at least ``least`` band hits: applied to a story's total
    over its members, those held (:class:`crawler.stories.bands.StoryBands`) and those of
    the batch (:func:`batch_pairs`) alike. Applied to each pair of records before summing,
    a story begun earlier in the batch whose three members each share one band with a
    record was no candidate, and the same story held from an earlier run was one: a run
    split in two gave other stories (issue 18)."""
    if min(hits.values(), default=least) >= least:  # the common case: one C call
        return hits
    return {s: n for s, n in hits.items() if n >= least}


def top_stories(hits: dict[str, int], most: int, ranked: bool) -> list[str]:
    """The ``most`` stories of ``hits`` with the most band hits (ties: the lower story id),
    in that order when ``ranked``, else in any order: a caller that keeps the best of them
    by a total order of its own needs no more (sorting a row's ~70 candidates took ~1 of
    ~12 CPU s of the clusterer on 100,000 generated headlines)."""
    if len(hits) > most:
        least = sorted(hits.values(), reverse=True)[most - 1]  # the most-th count (C sort)
    elif not ranked:
        return list(hits)
    else:
        least = 0
    if ranked:  # (-hits, story id) pairs sort as the key did, without a call per comparison
        return [s for _, s in sorted([(-n, s) for s, n in hits.items() if n >= least])[:most]]
    above = [s for s, n in hits.items() if n > least]  # fewer than most of them
    return above + sorted([s for s, n in hits.items() if n == least])[:most - len(above)]


def query(index: BandIndex, values: np.ndarray, bands: int, owners: np.ndarray | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """``index.query(values, once=False)`` a few rows at a time; with ``owners`` (each
    slot's story number, or a batch's record's signature number: :func:`batch_pairs`; -1:
    none), band values held by more than :data:`CROWDED` of them left out. A query that
    holds more than :data:`crawler.dedup.lsh._HELD_AT_MOST` entries removes repeated pairs,
    and with them the band hits counted here: a record's candidates then hung on how many
    records were queried with it (a batch of 5,000 headlines passed it from ~60,000 held
    on, and a run split in two need not have equalled one run). Each row meets at most
    BUCKET_CAP records in each of ``bands`` bands, so this many rows a query stay under it:
    the counts stay exact."""
    step = max(1, lsh._HELD_AT_MOST // (lsh.BUCKET_CAP * bands))
    skip = None if owners is None or not len(values) else index.crowded(values, CROWDED, owners)
    if len(values) <= step:  # none (a batch of rejects only), or few enough at once
        return index.query(values, once=False, skip=skip)
    parts = [index.query(values[start:start + step], once=False, skip=skip)
             for start in range(0, len(values), step)]
    offsets = range(0, len(values), step)
    return (np.concatenate([rows + start for (rows, _), start in zip(parts, offsets, strict=True)]),
            np.concatenate([slots for _, slots in parts]))


def counted(pairs: np.ndarray, least: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``pairs`` met at least ``least`` times, sorted, and how often each:
    ``np.unique(..., return_counts=True)`` by a sort (numpy 2.3+ hashes integers in
    ``unique``, several times slower on a batch's few 100,000 pairs). Sorted as int32 when
    they fit: half the bytes, ~1.7x faster (a batch of 5,000 generated articles has ~1.4
    million pairs among its own rows: 78 -> 45 ms, measured); given back as int64. Sorted by
    timsort (``kind="stable"``: the same values, for integers): the pairs come in runs
    already sorted (a row's queries, band by band), which it merges rather than sorting
    over again: ~2x faster than the default introsort on the pairs of 20,000 generated
    articles (0.22 -> 0.11 CPU s over a run's calls, measured)."""
    ordered = np.sort(_narrowed(pairs), kind="stable")
    if not len(ordered):
        return ordered.astype(np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered)))
    enough = counts >= least
    return ordered[starts[enough]].astype(np.int64), counts[enough]


def _narrowed(codes: np.ndarray) -> np.ndarray:
    """``codes`` as int32 when every one fits (the same values), else as they are."""
    if len(codes) and _INT32.min <= int(codes.min()) and int(codes.max()) <= _INT32.max:
        return codes.astype(np.int32)
    return codes


_INT32 = np.iinfo(np.int32)


class HeldPairs:
    """A batch's candidate pairs among the held stories: ``(row, owner)`` codes
    (``row * width + owner``) with their band hits, sorted by code.

    A record scores only the ``most`` stories with the most hits (ties: the story id), and
    at 100,000 generated headlines a row had ~460 candidate stories: :meth:`top` gives each
    row's ``most`` first by that order only. The batch's own records may add hits to a
    story; one they add to that is not among those is looked up (:meth:`hits`): a story
    below a row's ``most`` first, unless they add to it, stays below them (the stories
    above it only gain), so the ``most`` first of the stories given are the ``most`` first
    of all.
    """

    def __init__(self, codes: np.ndarray, hits: np.ndarray, width: int, rows: int) -> None:
        self._codes, self._hits, self._width, self._rows = codes, hits, width, rows

    def top(self, most: int, names: Sequence[str], keys: np.ndarray, least: int = 1
            ) -> list[dict[str, int]]:
        """Each row's ``most`` stories (``names[owner]``) with the most hits (ties: the lower
        ``keys[owner]``, which sort as the names do), with their hits; of those with at
        least ``least`` (one with fewer counts only with the batch's hits: :meth:`hits`)."""
        kept_pairs = self._hits >= least
        codes, hits = self._codes[kept_pairs], self._hits[kept_pairs]
        if not len(codes):
            return [{} for _ in range(self._rows)]
        rows, owners = codes // self._width, codes % self._width
        # Each row's pairs, most hits first, then by name; a pair's place within its row.
        ranked = _ranked(rows, hits, keys, owners)
        starts = np.searchsorted(rows[ranked], np.arange(self._rows))
        place = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.append(starts,
                                                                             len(ranked))))
        kept = ranked[place < most]
        # Each row's dict from slices of two lists (grouped by row), no Python step per
        # pair: at 100,000 headlines a row kept ~150 pairs (all tied at the least count).
        bounds = np.searchsorted(rows[kept], np.arange(self._rows + 1)).tolist()
        named = list(map(names.__getitem__, owners[kept].tolist()))
        counts = hits[kept].tolist()
        return [dict(zip(named[a:b], counts[a:b], strict=True)) for a, b in pairwise(bounds)]

    def hits(self, row: int, owner: int) -> int:
        """The band hits of ``row`` with the members of story number ``owner`` (0: none)."""
        code = row * self._width + owner
        at = int(self._codes.searchsorted(code))  # the method: no wrapper (~100,000 calls)
        return int(self._hits[at]) if at < len(self._codes) and self._codes[at] == code else 0


def _ranked(rows: np.ndarray, hits: np.ndarray, keys: np.ndarray, owners: np.ndarray
            ) -> np.ndarray:
    """The order of pairs by row, most hits first, then by ``keys[owner]``: one sort of one
    code (row, hits, the key's rank), not ``np.lexsort``'s three (~2x faster, measured)."""
    most, width = int(hits.max()), len(keys)
    if (int(rows[-1]) + 1) * (most + 1) * width >= 1 << 62:  # no room in one int64
        return np.lexsort((keys[owners], -hits, rows))
    rank = np.empty(width, dtype=np.int64)
    rank[np.argsort(keys, kind="stable")] = np.arange(width)
    return np.argsort((rows * (most + 1) + (most - hits)) * width + rank[owners])
