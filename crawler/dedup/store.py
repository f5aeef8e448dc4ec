"""Where signatures persist between runs: a Protocol, and an in-memory implementation.

The SQLite implementation lives in :mod:`crawler.state` and satisfies :class:`SignatureStore`
structurally (neither package imports the other); both speak
:class:`crawler.models.StoredSignature`, a plain dataclass of primitives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from crawler.models import StoredSignature


class SignatureStore(Protocol):
    """What :class:`crawler.dedup.index.StoryIndex` needs from persistent storage."""

    def params_fingerprint(self) -> str | None:
        """The fingerprint of the parameters the stored signatures were made with."""
        ...

    def set_params_fingerprint(self, fp: str) -> None: ...

    def load(self, since: float) -> Iterable[StoredSignature]:
        """Signatures that entered the window at ``since`` or later (``kept_from``)."""
        ...

    def add(self, rows: Sequence[StoredSignature]) -> None:
        """Store rows; a row whose id is already stored is ignored (reruns add nothing)."""
        ...

    def evict(self, before: float) -> int:
        """Delete signatures that entered the window before ``before``; return how many."""
        ...

    def forget(self, ids: Sequence[str]) -> None:
        """Delete the signatures of ``ids`` (a full window's earliest: crawler.dedup.cap)."""
        ...


class MemoryStore:
    """A :class:`SignatureStore` in a dict: for tests and one-shot batch runs."""

    def __init__(self, fingerprint: str | None = None) -> None:
        self._fingerprint = fingerprint
        self._rows: dict[str, StoredSignature] = {}

    def params_fingerprint(self) -> str | None:
        return self._fingerprint

    def set_params_fingerprint(self, fp: str) -> None:
        self._fingerprint = fp

    def load(self, since: float) -> Iterable[StoredSignature]:
        return sorted((r for r in self._rows.values() if r.kept_from >= since),
                      key=lambda r: (r.ts, r.id))

    def add(self, rows: Sequence[StoredSignature]) -> None:
        for row in rows:
            self._rows.setdefault(row.id, row)

    def evict(self, before: float) -> int:
        old = [key for key, row in self._rows.items() if row.kept_from < before]
        for key in old:
            del self._rows[key]
        return len(old)

    def forget(self, ids: Sequence[str]) -> None:
        for key in ids:
            self._rows.pop(key, None)

    def __len__(self) -> int:
        return len(self._rows)
