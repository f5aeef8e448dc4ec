"""Where signatures persist between runs: a Protocol, and an in-memory implementation.

The SQLite implementation lives in :mod:`crawler.state` and satisfies :class:`SignatureStore`
structurally (neither package imports the other); the jobs layer converts between
:class:`StoredSignature` and its own row type, which is why this is a plain dataclass of
primitives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class StoredSignature:
    """One record's signatures and story, as stored.

    ``ts`` is the record's published time (epoch seconds; the time it was indexed when it has
    no date); ``title_tokens`` are its match tokens, sorted, for exact verification;
    ``title_sig`` and ``body_sig`` are :func:`crawler.dedup.signatures.to_bytes` output.
    """

    id: str
    story_id: str
    canonical_id: str
    ts: float
    language: str | None
    title_tokens: tuple[str, ...]
    title_sig: bytes
    body_sig: bytes | None


class SignatureStore(Protocol):
    """What :class:`crawler.dedup.index.StoryIndex` needs from persistent storage."""

    def params_fingerprint(self) -> str | None:
        """The fingerprint of the parameters the stored signatures were made with."""
        ...

    def set_params_fingerprint(self, fp: str) -> None: ...

    def load(self, since: float) -> Iterable[StoredSignature]:
        """Signatures with ``ts >= since``."""
        ...

    def add(self, rows: Sequence[StoredSignature]) -> None:
        """Store rows; a row whose id is already stored is ignored (reruns add nothing)."""
        ...

    def evict(self, before: float) -> int:
        """Delete signatures with ``ts < before``; return how many."""
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
        return sorted((r for r in self._rows.values() if r.ts >= since),
                      key=lambda r: (r.ts, r.id))

    def add(self, rows: Sequence[StoredSignature]) -> None:
        for row in rows:
            self._rows.setdefault(row.id, row)

    def evict(self, before: float) -> int:
        old = [key for key, row in self._rows.items() if row.ts < before]
        for key in old:
            del self._rows[key]
        return len(old)

    def __len__(self) -> int:
        return len(self._rows)
