"""The candidate index that scale-out mergers share: datasketch's ``MinHashLSH`` in Redis.

:class:`SharedCandidateIndex` finds the candidates :class:`crawler.dedup.lsh.BandIndex` finds
(the same bands, the same :data:`~crawler.dedup.lsh.BUCKET_CAP` on a band value), from
datasketch's Redis storage under an explicit basename: an index that outlives the process.
:class:`SharedBands` puts it behind :class:`~crawler.dedup.lsh.BandIndex`'s verbs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

# The module, not its constant: the cap is read where it is used, one value for both kinds.
from crawler.dedup import lsh as memory_lsh
from crawler.dedup.sketchlib import band_choice


class SharedCandidateIndex:
    """The same candidates from datasketch's Redis storage: an index that outlives the process
    and that scale-out mergers share (one at a time: they hold the merge lock).

    Keys are record ids as UTF-8 bytes (``prepickle=False``: readable in Redis, and no pickle
    from a shared server is ever loaded). The storage's ``basename`` must be explicit: the
    datasketch default is random, so a second process would never find the first's index.
    Lookups of a whole batch go out in one pipeline (datasketch's ``query`` makes one round
    trip per band).
    """

    def __init__(self, threshold: float, num_perm: int, storage: Mapping[str, Any]) -> None:
        if not storage.get("basename"):
            raise ValueError("a shared LSH index needs an explicit basename")
        # The bands from the table the in-memory index reads: choosing them integrates, and
        # importing scipy.integrate for it cost each merge ~0.34 CPU s (crawler.dedup.sketchlib).
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm,
                               params=band_choice(threshold, num_perm),
                               storage_config=dict(storage), prepickle=False)
        self.truncated = False

    @property
    def bands(self) -> tuple[int, int]:
        return int(self._lsh.b), int(self._lsh.r)

    def bulk_load(self, items: Iterable[tuple[str, LeanMinHash]]) -> None:
        """Make the stored index hold exactly ``items``: add what is missing, in their order
        (the window's: a full band value keeps its earliest), drop the rest (evicted
        records, or an interrupted merge's inserts that never committed)."""
        wanted = dict(items)
        present = {key.decode() for key in self._lsh.keys.keys()}  # noqa: SIM118 (a storage)
        with self._lsh.deletion_session() as deleting:
            for key in sorted(present - wanted.keys()):
                deleting.remove(key.encode())
        self.insert_many([(key, sig) for key, sig in wanted.items() if key not in present])

    def insert_many(self, items: Sequence[tuple[str, LeanMinHash]]) -> None:
        """Insert as ``MinHashLSH.insert`` does, except into a band value that already holds
        :data:`BUCKET_CAP` records: those answer with the earliest inserted, as
        :class:`BandIndex` does (a Redis set has no order to cut a query's answer by, and
        thousands of one title made every query fetch thousands of members per band)."""
        if not items:
            return
        lsh = self._lsh
        tables = lsh.hashtables
        bands = [self._band_values(sig) for _, sig in items]
        pipe = tables[0]._redis.pipeline(transaction=False)
        for hashes in bands:
            for value, table in zip(hashes, tables, strict=True):
                table._get_len(pipe, table.redis_key(value))
        stored = iter(pipe.execute())  # each band value's size before these inserts
        held: dict[tuple[int, bytes], int] = {}  # (band, value) -> its size with them
        with lsh.insertion_session():
            for (key, _), hashes in zip(items, bands, strict=True):
                name = key.encode()
                lsh.keys.insert(name, *hashes, buffer=True)  # what remove() takes out
                for band, (value, table) in enumerate(zip(hashes, tables, strict=True)):
                    before = next(stored)  # one answer per record and band, in order
                    size = held.setdefault((band, value), before)
                    if size < memory_lsh.BUCKET_CAP:
                        table.insert(value, name, buffer=True)
                        held[band, value] = size + 1

    def query_many(self, sigs: Sequence[LeanMinHash]) -> list[list[str]]:
        """The candidates of each signature (keys, sorted). One ``SUNION`` of its band values
        a signature: the server sends each candidate once, not once per band it meets in
        (24 times for a copy). :attr:`truncated`: whether an answer was large enough that
        a band value in it may be full (:data:`BUCKET_CAP`, later records refused)."""
        self.truncated = False
        if not sigs:
            return []
        tables = self._lsh.hashtables
        pipe = tables[0]._redis.pipeline(transaction=False)
        for sig in sigs:
            pipe.sunion([table.redis_key(value)
                         for value, table in zip(self._band_values(sig), tables, strict=True)])
        found = pipe.execute()
        self.truncated = any(len(keys) >= memory_lsh.BUCKET_CAP for keys in found)
        return [sorted(key.decode() for key in keys) for keys in found]

    def _band_values(self, sig: LeanMinHash) -> list[bytes]:
        """Each band's hash of ``sig``, as datasketch's ``_insert`` and ``query`` key them."""
        return [self._lsh._H(sig.hashvalues[start:end]) for start, end in self._lsh.hashranges]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.encode() in self._lsh

    def remove(self, key: str) -> None:
        self._lsh.remove(key.encode())


class SharedBands:
    """A :class:`SharedCandidateIndex` behind :class:`BandIndex`'s verbs: slots in, slots out.

    The shared index keys records by id; ``ids``/``slot_of`` (the caller's, kept current by
    it) translate. A shared id without a slot here is dropped from answers: a leftover of a
    merge that never committed. The signatures of bands of several rows are kept here too,
    for :meth:`signature_values`.
    """

    def __init__(self, shared: SharedCandidateIndex, wrap: Callable[[np.ndarray],
                 list[LeanMinHash]], ids: Sequence[str | None], slot_of: Mapping[str, int]
                 ) -> None:
        self._shared, self._wrap, self._ids, self._slot_of = shared, wrap, ids, slot_of
        self.b, self.r = shared.bands
        self._values: dict[int, np.ndarray] = {}
        self.truncated = False  # as BandIndex's: the last query met a full band value

    def add(self, slots: np.ndarray, values: np.ndarray) -> None:
        self._shared.insert_many(self._items(slots, values))

    def bulk_load(self, slots: np.ndarray, values: np.ndarray) -> None:
        """Make the shared index hold exactly these (see :meth:`SharedCandidateIndex.bulk_load`)."""
        self._shared.bulk_load(self._items(slots, values))

    def query(self, values: np.ndarray, *, once: bool = True
              ) -> tuple[np.ndarray, np.ndarray]:
        """Candidates of each row, each pair once (``once`` is for the signature's sake:
        the shared index answers each pair once anyway)."""
        del once
        rows: list[int] = []
        found: list[int] = []
        for row, keys in enumerate(self._shared.query_many(self._wrap(values))):
            for key in keys:
                slot = self._slot_of.get(key)
                if slot is not None:
                    rows.append(row)
                    found.append(slot)
        self.truncated = self._shared.truncated
        return np.array(rows, dtype=np.int64), np.array(found, dtype=np.int64)

    def remove(self, slots: np.ndarray) -> None:
        for slot in slots.tolist():
            self._values.pop(slot, None)
            key = self._ids[slot]
            if key is not None and key in self._shared:
                self._shared.remove(key)

    def compact(self) -> None:
        """Nothing is kept for removed slots."""

    def signature_values(self, slot: int) -> np.ndarray:
        return self._values[slot]

    def signatures(self, slots: np.ndarray) -> np.ndarray:
        return np.stack([self._values[slot] for slot in slots.tolist()]) if len(slots) else (
            np.zeros((0, self.b * self.r), dtype=np.uint64))

    def _items(self, slots: np.ndarray, values: np.ndarray) -> list[tuple[str, LeanMinHash]]:
        keys = [self._ids[slot] for slot in slots.tolist()]
        if self.r > 1:
            self._values.update(zip(slots.tolist(), values, strict=True))
        return [(key, sig) for key, sig in zip(keys, self._wrap(values), strict=True)
                if key is not None]


__all__ = ["SharedBands", "SharedCandidateIndex"]
