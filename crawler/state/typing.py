"""What every state backend speaks: the :class:`State` protocol and its row types.

The merge stage, the delivery journal and the story index take a :class:`State`, so one crawl
keeps its state in an embedded SQLite file (:class:`crawler.state.StateStore`) and a scale-out
deployment in a Redis server (:class:`crawler.state.redis_store.RedisStateStore`) without a
line of difference above this package. Both satisfy the protocol structurally.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from crawler.models import FeedPoll, FeedState, StoredSignature, StoredStory


@dataclass(frozen=True)
class SeenRow:
    """An entry as the seen table keeps it."""

    id: str
    content_hash: str
    revision: int
    url: str
    source: str
    entry_fp: str | None = None


@dataclass(frozen=True)
class SeenEntry:
    """What :meth:`State.seen` answers about a known entry."""

    content_hash: str
    revision: int


class State(Protocol):
    """Seen entries, feed validators, near-duplicate signatures, stories and the delivery
    journal.

    Writes made inside :meth:`atomic` apply together at the end of the outermost block, or
    not at all when it raises; a write outside it applies at once, on its own.
    """

    # -- meta
    @property
    def namespace(self) -> str | None:
        """A shared Redis state's namespace; None for a state directory."""
        ...

    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...

    # -- seen entries
    def seen(self, ids: Iterable[str]) -> dict[str, SeenEntry]: ...

    def mark_seen(self, rows: Sequence[SeenRow], now: str) -> None:
        """Upsert: hash, revision and last-seen time follow ``rows``; the first URL, source
        and first-seen time stay; a row without ``entry_fp`` keeps the stored one."""
        ...

    def entry_fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored ``entry_fp`` of each id that has one: fingerprints, space-separated
        (one per source's entry of the article, crawler.pageretry.MAX_FINGERPRINTS at most)."""
        ...
    def count_entries(self) -> int: ...

    # -- feeds
    def feed_state(self, source: str, url: str) -> FeedState | None:
        """What ``source`` learnt of ``url``: each source polls a feed with its own validators
        (another source listing the same URL may not have seen what it has)."""
        ...

    def feed_states(self, url: str) -> list[FeedState]:
        """Every source's state of ``url``: a Retry-After, ttl or skipHours the server gave
        one source holds for all (a source polls a URL only when every row says it is due)."""
        ...

    def feeds_by_source(self) -> dict[str, tuple[int, int, int]]:
        """Per source: ``(polls, polls answered 304 last time, worst error streak)``."""
        ...

    def record_polls(self, polls: Sequence[FeedPoll], now: str) -> None:
        """A 304 or failed poll keeps the validators and ``skip_hours``; a failed one
        lengthens the error streak; ``validators_disabled`` never goes back to false."""
        ...

    # -- story signatures (structurally a crawler.dedup.SignatureStore)
    def params_fingerprint(self) -> str | None: ...
    def set_params_fingerprint(self, fp: str) -> None: ...

    def load(self, since: float) -> Iterator[StoredSignature]:
        """Signatures that entered the window at ``since`` or later (``seen``), ordered by
        ``(ts, id)``."""
        ...

    def add(self, rows: Sequence[StoredSignature]) -> None:
        """Store rows; a row whose id is already stored is ignored."""
        ...

    def evict(self, before: float) -> int:
        """Delete signatures that entered the window before ``before``; return how many."""
        ...

    def forget(self, ids: Sequence[str]) -> None:
        """Delete the signatures of ``ids`` (a full window's earliest: crawler.dedup.cap)."""
        ...

    # -- stories (structurally a crawler.stories StoryState), with their own parameters
    def story_params_fingerprint(self) -> str | None: ...
    def set_story_params_fingerprint(self, fp: str) -> None: ...
    def story_params_values(self) -> str | None: ...
    def set_story_params_values(self, values: str) -> None: ...

    def load_stories(self, since: float) -> Iterator[StoredStory]:
        """Stories kept in the window at ``since`` or later (``kept_from``), ordered by
        ``(last_seen, story_id)``."""
        ...

    def save_stories(self, rows: Sequence[StoredStory]) -> None:
        """Upsert by ``story_id``: a stored story's time and payload follow ``rows``."""
        ...

    def evict_stories(self, before: float) -> int:
        """Delete stories no run kept since ``before`` (``kept_from``); return how many."""
        ...

    def forget_stories(self, ids: Sequence[str]) -> None:
        """Delete the stories of ``ids`` (a full window's earliest: crawler.stories.held)."""
        ...

    # -- delivery journal
    def journal_delivery(self, run_id: str, sizes: str) -> None: ...
    def mark_delivered(self, run_id: str) -> None: ...
    def forget_delivery(self, run_id: str) -> None: ...

    def pending_deliveries(self) -> list[tuple[str, str]]:
        """``(run_id, sizes JSON)`` of journalled deliveries never marked delivered."""
        ...

    # -- lifecycle
    def atomic(self) -> AbstractContextManager[None]:
        """One all-or-nothing unit around several writes (nested blocks join it)."""
        ...

    def close(self) -> None: ...
