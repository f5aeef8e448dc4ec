"""The candidate generator: datasketch's MinHashLSH, with lean in-memory buckets.

Two departures from a plain ``MinHashLSH()``, both about our index living in one process's
memory and being rebuilt from the stored signatures on every start:

* band keys in machine byte order. datasketch turns each band into a key with
  ``bytes(band.byteswap().data)`` (big-endian, so that keys in Redis or Cassandra read the
  same on every machine); ``tobytes()`` (an ``int`` for one-row bands) skips the swap and a
  copy, ~0.6 us per band, twice per record and band (insert, query);
* buckets that hold a lone record id as itself (:class:`LeanBuckets`). datasketch's dict
  storage gives every bucket a ``set``: 216 bytes, and almost every bucket of a 16-band
  index holds one record, so sets were 3.1 of the 5.3 KB a headline cost in memory.

Both hook into datasketch 2's storage and key protocol (``_byteswap``, the
``hashtables``' ``insert``/``get``/``remove_val``/``remove``); tests check that candidates
equal those of a plain ``MinHashLSH``, and :func:`crawler.dedup.params.check_datasketch`
refuses a datasketch other than 2.x.

:class:`SharedCandidateIndex` is the other kind: datasketch's Redis storage under an explicit
basename, for scale-out runs whose index must outlive the process (same verbs).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from datasketch.lsh import _check_scheme_consistency

_Bucket = Hashable | tuple[Hashable, ...]


class LeanBuckets:
    """One band's buckets: band key -> the record id, or a tuple once there are several
    (a tuple of two is 56 bytes, a list 72 and more once appended to; buckets are small)."""

    def __init__(self) -> None:
        self._dict: dict[Hashable, _Bucket] = {}

    def insert(self, key: Hashable, *vals: Hashable, **_: Any) -> None:
        for val in vals:
            found = self._dict.setdefault(key, val)
            if found is val:
                continue
            if isinstance(found, tuple):
                if val not in found:
                    self._dict[key] = (*found, val)
            elif found != val:
                self._dict[key] = (found, val)

    def get(self, key: Hashable) -> Sequence[Hashable]:
        found = self._dict.get(key, _MISSING)
        if found is _MISSING:
            return ()
        return found if isinstance(found, tuple) else (found,)

    def remove_val(self, key: Hashable, val: Hashable, **_: Any) -> None:
        rest = tuple(v for v in self.get(key) if v != val)
        self._dict[key] = rest if len(rest) != 1 else rest[0]

    def remove(self, *keys: Hashable, **_: Any) -> None:
        for key in keys:
            del self._dict[key]

    def size(self) -> int:
        return len(self._dict)

    def itemcounts(self, **_: Any) -> dict[Hashable, int]:
        return {key: len(self.get(key)) for key in self._dict}

    def empty_buffer(self) -> None:
        """Nothing is buffered in memory."""


_MISSING = object()


class CandidateIndex(MinHashLSH):  # type: ignore[misc]  # datasketch ships no type hints
    """MinHashLSH over in-memory buckets, keyed by record id (a ``str``)."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        super().__init__(threshold=threshold, num_perm=num_perm, prepickle=False)
        self.hashtables = [LeanBuckets() for _ in range(self.b)]

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) that datasketch chose for the threshold."""
        return int(self.b), int(self.r)

    def bulk_load(self, items: Iterable[tuple[str, LeanMinHash]]) -> None:
        self.insert_many(list(items))

    def insert_many(self, items: Sequence[tuple[str, LeanMinHash]]) -> None:
        """``insert`` of each item, the band keys of the whole batch from one numpy call and
        the buckets filled band by band (datasketch makes a Python call per band and item:
        ~0.1 ms a title)."""
        if not items:
            return
        keys = [key for key, _ in items]
        columns = self._band_columns([sig for _, sig in items])
        for key, (_, sig), row in zip(keys, items, zip(*columns, strict=True), strict=True):
            self._minhash_scheme = _check_scheme_consistency(
                getattr(self, "_minhash_scheme", None), sig)
            self.keys.insert(key, *row)
        for column, table in zip(columns, self.hashtables, strict=True):
            buckets = table._dict  # our own LeanBuckets' dict
            for key, band_key in zip(keys, column, strict=True):
                if buckets.setdefault(band_key, key) is not key:
                    table.insert(band_key, key)  # a shared bucket: the general path

    def query_many(self, sigs: Sequence[LeanMinHash]) -> list[set[str]]:
        """``query`` of each signature, band by band (see :meth:`insert_many`)."""
        found: list[set[str]] = [set() for _ in sigs]
        for column, table in zip(self._band_columns(sigs), self.hashtables, strict=True):
            for keys, hit in zip(found, map(table._dict.get, column), strict=True):
                if hit.__class__ is tuple:
                    keys.update(hit)
                elif hit is not None:
                    keys.add(hit)  # type: ignore[arg-type]
        return found

    def _band_columns(self, sigs: Sequence[LeanMinHash]) -> list[list[Hashable]]:
        """Each band's keys of ``sigs``, as :meth:`_byteswap` makes them one by one."""
        if not sigs:
            return [[] for _ in self.hashtables]
        for sig in sigs:
            if len(sig) != self.h:
                raise ValueError(f"expecting signatures of {self.h} values, got {len(sig)}")
        values = np.stack([sig.hashvalues for sig in sigs])
        if self.r == 1:
            columns: list[list[Hashable]] = values[:, :self.b].T.tolist()
            return columns
        # A band of several rows is the bytes of its values: a row of a void dtype that wide.
        width = values.dtype.itemsize * self.r
        return [np.ascontiguousarray(values[:, start:end]).view(f"V{width}").ravel().tolist()
                for start, end in self.hashranges]

    def _byteswap(self, hs: np.ndarray) -> bytes | int:
        # A one-row band is one hash value: as an int it is a 32-byte key (bytes take 40).
        return int(hs.item()) if len(hs) == 1 else hs.tobytes()


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
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm,
                               storage_config=dict(storage), prepickle=False)

    @property
    def bands(self) -> tuple[int, int]:
        return int(self._lsh.b), int(self._lsh.r)

    def bulk_load(self, items: Iterable[tuple[str, LeanMinHash]]) -> None:
        """Make the stored index hold exactly ``items``: add what is missing, drop the rest
        (evicted records, or an interrupted merge's inserts that never committed)."""
        wanted = dict(items)
        present = {key.decode() for key in self._lsh.keys.keys()}  # noqa: SIM118 (a storage)
        with self._lsh.deletion_session() as deleting:
            for key in sorted(present - wanted.keys()):
                deleting.remove(key.encode())
        self.insert_many([(key, wanted[key]) for key in sorted(wanted.keys() - present)])

    def insert_many(self, items: Sequence[tuple[str, LeanMinHash]]) -> None:
        with self._lsh.insertion_session() as session:
            for key, sig in items:
                session.insert(key.encode(), sig, check_duplication=False)

    def query_many(self, sigs: Sequence[LeanMinHash]) -> list[list[str]]:
        if not sigs:
            return []
        tables = self._lsh.hashtables
        pipe = tables[0]._redis.pipeline(transaction=False)
        for sig in sigs:
            for (start, end), table in zip(self._lsh.hashranges, tables, strict=True):
                table._get_items(pipe, table.redis_key(self._lsh._H(sig.hashvalues[start:end])))
        found = pipe.execute()
        per = len(tables)
        return [sorted({key.decode() for bucket in found[n * per:(n + 1) * per]
                        for key in bucket}) for n in range(len(sigs))]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.encode() in self._lsh

    def remove(self, key: str) -> None:
        self._lsh.remove(key.encode())
