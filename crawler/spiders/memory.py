"""The spider's read-only view of the state: feed validators and entry fingerprints.

The spider only reads; the merge stage writes, after the records are safely on disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crawler.models import FeedState
from crawler.redact import redact
from crawler.state import open_state


class SourceMemory:
    """What earlier runs learnt about feeds and entries (empty without a state directory).

    ``state`` is a state directory or a shared state's ``redis://`` URL (scale-out workers).
    """

    def __init__(self, state: str | Path | None, namespace: str = "policywire") -> None:
        self._store = open_state(state, namespace=namespace) if state is not None else None

    # A feed is kept under its URL without credentials (crawler.merge.RunMerger.add_poll).
    def feed(self, source: str, url: str) -> FeedState | None:
        return self._store.feed_state(source, redact(url)) if self._store else None

    def feeds(self, url: str) -> list[FeedState]:
        """Every source's state of ``url``: the server's rest holds for them all."""
        return self._store.feed_states(redact(url)) if self._store else []

    def fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        return self._store.entry_fingerprints(ids) if self._store else {}

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
