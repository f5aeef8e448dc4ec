"""The candidate generator: MinHash LSH with datasketch's bands, in sorted numpy arrays.

:class:`BandIndex` is the in-memory index. It finds exactly the candidates a plain
``MinHashLSH(threshold, num_perm)`` finds (a record is a candidate when one band of its
signature equals the query's; datasketch's band count and rows per band), but keeps its
buckets as sorted arrays of band keys instead of a dict entry per band and record:

* memory: a headline cost ~2.4 KB in datasketch's dicts (an ``int`` or ``bytes`` key, a
  bucket entry and a keys list per band), 8 bytes per band here;
* time: a batch is looked up with ``np.searchsorted`` band by band, and comes back as
  ``(query row, slot)`` arrays that the index filters without a Python step per candidate
  (a frequent token pair gives a headline dozens of candidates, most of them hopeless).

Records are *slots* (small ints the caller allocates and may reuse after :meth:`compact`).
Inserts append a sorted run; runs of similar size are merged (a stable sort of two sorted
runs is a linear merge), so a lookup searches a few runs. Removal marks a slot dead; dead
entries are dropped at the next :meth:`compact`. Bands of several rows are keyed by a 64-bit
mix of their values, and a candidate's band is compared value by value (the signatures are
kept), so a collision of the mix never adds a candidate. Tests check candidates equal a plain
``MinHashLSH``'s, removals included.

:class:`crawler.dedup.shared_lsh.SharedCandidateIndex` is the other kind: datasketch's Redis
storage under an explicit basename, for scale-out runs whose index must outlive the process.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crawler.dedup.runs import NO_PAIRS, Run, distinct, lookup, merged, union
from crawler.dedup.sketchlib import band_choice

#: The most records one band value answers with: the earliest added of them (the stories'
#: first records). Without a cap, 20,000 records of one title ("Liveticker", a site's
#: name as every page's title) made 200 million candidate pairs and the run died of memory
#: (24 GB); with it (and _HELD_AT_MOST), 44 s and 1 GB. 256 leaves every decision over
#: 100,000 generated headlines as it was and changes 31 of 300,000 (benchmarks/README.md).
BUCKET_CAP = 256
# Candidate entries a query holds before it removes repeated pairs (~64 MB as two arrays):
# never reached at 300,000 generated headlines, reached by thousands of one title.
_HELD_AT_MOST = 4_000_000
# Odd 64-bit multiplier (the golden ratio's) for mixing a band's values into one key.
_MIX = np.uint64(0x9E3779B97F4A7C15)


class BandIndex:
    """MinHash LSH over slots: ``add(slots, values)``, ``query(values)``, ``remove(slots)``.

    ``values`` are rows of signature hash values (:meth:`crawler.dedup.signatures.Signer.values`).
    """

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.b, self.r = band_choice(threshold, num_perm)  # datasketch's, as MinHashLSH's
        self.num_perm = num_perm
        self._runs: list[Run] = []
        self._live = np.zeros(0, dtype=bool)
        # Bands of several rows are checked value by value: their signatures are kept.
        self._values: np.ndarray | None = None
        self._dead = 0  # removed slots whose entries are still in the runs
        # Whether the last query left out records of a band value (see BUCKET_CAP): its
        # answers are then not symmetric (a record may find one that does not find it).
        self.truncated = False

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) that datasketch chose for the threshold."""
        return self.b, self.r

    def add(self, slots: np.ndarray, values: np.ndarray) -> None:
        """Index the signatures ``values`` (one row each) under ``slots`` (not in the index)."""
        if not len(slots):
            return
        slots = np.asarray(slots, dtype=np.int32)
        self._grow(int(slots.max()) + 1, values)
        self._live[slots] = True
        if self._values is not None:
            self._values[slots] = values
        keys = self._keys(values)
        order = np.argsort(keys, axis=1, kind="stable")
        self._runs.append(Run(np.take_along_axis(keys, order, axis=1), slots[order]))
        while len(self._runs) > 1 and self._runs[-2].size <= 2 * self._runs[-1].size:
            newer, older = self._runs.pop(), self._runs.pop()
            self._runs.append(merged(older, newer))

    def query(self, values: np.ndarray, *, once: bool = True,
              skip: Sequence[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Candidates of each row of ``values``: ``(rows, slots)``, each pair once and sorted
        (``once=False``: unsorted, a pair as often as up to once per band it meets in, for a
        caller that merges several answers and sorts once). A band value that more than
        :data:`BUCKET_CAP` records share answers with the earliest added of them only; the
        values of ``skip[band]`` (sorted: :meth:`crowded`'s) answer nothing."""
        if not len(values) or not self._runs:
            return NO_PAIRS
        keys = self._keys(values)
        rows: list[np.ndarray] = []
        found: list[np.ndarray] = []
        held = 0  # entries in rows and found, and settled
        settled = np.zeros(0, dtype=np.int64)  # distinct pairs, sorted, once held ran over
        width = np.int64(len(self._live))
        self.truncated = False
        # Needles in order: numpy's binary search starts from the previous one's place, and
        # the probes stay near each other in memory (measured ~2x faster).
        orders = np.argsort(keys, axis=1)
        keys = np.take_along_axis(keys, orders, axis=1)
        for run in self._runs:
            for band in range(self.b):
                wanted = None if skip is None else ~np.isin(keys[band], skip[band])
                hit_rows, hit_slots, cut = lookup(run.keys[band], run.slots[band], keys[band],
                                                  orders[band], BUCKET_CAP, wanted=wanted)
                self.truncated |= cut
                if self._values is not None and len(hit_slots):
                    cols = slice(band * self.r, (band + 1) * self.r)
                    same = (self._values[hit_slots, cols] == values[hit_rows, cols]).all(axis=1)
                    hit_rows, hit_slots = hit_rows[same], hit_slots[same]
                rows.append(hit_rows)
                found.append(hit_slots)
                held += len(hit_rows)
                if held > _HELD_AT_MOST:
                    # Many records of one title meet in every band: repeats kept up to
                    # here took 4 GB more for 20,000 of them (a pair needs keeping once).
                    # The pairs made distinct before are sorted: merged with the new ones,
                    # not sorted again with them at every band after (queries ~2x faster on
                    # 100,000 generated headlines through the story clusterer).
                    new = distinct(np.concatenate(rows) * width + np.concatenate(found))
                    settled = union(settled, new)
                    rows, found, held = [], [], len(settled)
        if len(settled):
            rows.insert(0, settled // width)
            found.insert(0, settled % width)
        hit_rows, hit_slots = np.concatenate(rows), np.concatenate(found)
        keep = self._live[hit_slots]
        if not once:
            return hit_rows[keep], hit_slots[keep]
        pairs = distinct(hit_rows[keep] * width + hit_slots[keep])
        return pairs // width, pairs % width

    def crowded(self, values: np.ndarray, most: int, groups: np.ndarray | None = None
                ) -> list[np.ndarray]:
        """Per band, the values of ``values``' bands held by more than ``most`` entries
        (entries of removed slots count until :meth:`compact`), sorted; with ``groups`` (each
        slot's group, -1 for none) by more than ``most`` groups: what :meth:`query` may
        ``skip``. A batch's values are counted once each, not once per row that has them."""
        keys = self._keys(values)
        found = []
        for band in range(self.b):
            needles = np.unique(keys[band])
            sizes = np.zeros(len(needles), dtype=np.int64)
            for run in self._runs:
                sizes += (np.searchsorted(run.keys[band], needles, side="right")
                          - np.searchsorted(run.keys[band], needles, side="left"))
            full = needles[sizes > most]
            if groups is not None and len(full):
                full = full[self._groups(band, full, groups) > most]
            found.append(full)
        return found

    def _groups(self, band: int, keys: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """How many groups the entries of each of ``keys`` (sorted) in ``band`` are of: all
        keys at once (one at a time, ~19,000 a run cost the story layer ~10% of its CPU on
        100,000 generated headlines)."""
        at, slots = [], []
        for run in self._runs:
            first = np.searchsorted(run.keys[band], keys)
            sizes = np.searchsorted(run.keys[band], keys, "right") - first
            # Each key's entries: first[k], first[k] + 1, ... (sizes[k] of them).
            offsets = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            slots.append(run.slots[band][np.repeat(first, sizes) + offsets])
            at.append(np.repeat(np.arange(len(keys)), sizes))
        owners, key_at = groups[np.concatenate(slots)], np.concatenate(at)
        width = int(owners.max(initial=0)) + 1
        pairs = np.unique(key_at[owners >= 0] * width + owners[owners >= 0])
        return np.bincount(pairs // width, minlength=len(keys))

    def remove(self, slots: np.ndarray) -> None:
        """Forget ``slots`` (those not in the index are ignored)."""
        slots = np.asarray(slots, dtype=np.int64)
        slots = slots[slots < len(self._live)]
        slots = slots[self._live[slots]]
        self._live[slots] = False
        self._dead += len(slots)

    def compact(self) -> None:
        """Drop the entries of removed slots: afterwards they may be added again."""
        if not self._dead:
            return
        runs = []
        for run in self._runs:
            # Every band of a run holds the same slots: each row keeps as many entries.
            keep = self._live[run.slots]
            size = int(keep[0].sum())
            if size:
                runs.append(Run(run.keys[keep].reshape(self.b, size),
                                 run.slots[keep].reshape(self.b, size)))
        self._runs = runs
        self._dead = 0

    def signature_values(self, slot: int) -> np.ndarray:
        """The signature a slot was added with (kept for bands of several rows only)."""
        return self.signatures(np.asarray(slot))

    def signatures(self, slots: np.ndarray) -> np.ndarray:
        """:meth:`signature_values` of each of ``slots``, as rows."""
        assert self._values is not None
        rows: np.ndarray = self._values[slots]
        return rows

    def __contains__(self, slot: object) -> bool:
        return bool(isinstance(slot, int | np.integer) and 0 <= slot < len(self._live)
                    and self._live[slot])

    def __len__(self) -> int:
        return int(self._live.sum())

    def _keys(self, values: np.ndarray) -> np.ndarray:
        """Each band's key of each row, (bands, rows): the value itself for one-row bands,
        else a 64-bit mix of the band's values."""
        if values.shape[1] < self.b * self.r:
            raise ValueError(f"expecting signatures of {self.num_perm} values,"
                             f" got {values.shape[1]}")
        bands = values[:, :self.b * self.r].reshape(len(values), self.b, self.r)
        if self.r == 1:
            return np.ascontiguousarray(bands[:, :, 0].T)
        mixed = bands[:, :, 0].astype(np.uint64)
        for row in range(1, self.r):
            mixed = mixed * _MIX + bands[:, :, row]
        return np.ascontiguousarray(mixed.T)

    def _grow(self, size: int, values: np.ndarray) -> None:
        if size <= len(self._live):
            return
        capacity = max(size, 2 * len(self._live), 1024)
        self._live = np.concatenate([self._live, np.zeros(capacity - len(self._live), bool)])
        if self.r > 1:
            old = self._values
            self._values = np.zeros((capacity, values.shape[1]), dtype=values.dtype)
            if old is not None:
                self._values[:len(old)] = old


# distinct: window.py imported it from here before it moved to runs.py.
__all__ = ["BUCKET_CAP", "BandIndex", "distinct"]
