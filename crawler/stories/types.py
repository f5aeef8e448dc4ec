"""What goes into story clustering and what comes out: plain frozen records, and the state's
protocol (implemented in memory here, in SQLite and Redis in :mod:`crawler.state`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from crawler.models import StoredStory


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """A record as story clustering sees it.

    ``text`` is the body (None or "" when the record has none: feed-only, ``page_error``);
    ``published`` is epoch seconds UTC (None: undated); ``duplicate_of`` is the near-duplicate
    layer's decision for this record (:class:`crawler.dedup.Decision`); ``summary`` is its
    feed's summary (a teaser), read when ``text`` holds no body, and then as a summary
    whatever its length (:func:`crawler.stories.features.profile_of`)."""

    id: str
    title: str
    text: str | None
    language: str | None
    published: float | None
    source: str
    duplicate_of: str | None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Why a record is in its story (None for a story's first record).

    ``record_id`` is the member (or the original) it matched best; ``similarity`` the score
    that decided it (1.0 for ``rule == "duplicate"``); ``shared_names`` the names, places and
    numbers both share that are worth showing, most telling first (:mod:`.shown`); ``rule``
    is "duplicate" (joined its original's story),
    "content" (title and body) or "title" (a record without a body)."""

    record_id: str
    similarity: float
    shared_names: tuple[str, ...]
    rule: str


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """The story of one record: ``story_id`` is "s" + 16 hex characters, derived from the
    story's first record id."""

    id: str
    story_id: str
    link: StoryLink | None


class StoryState(Protocol):
    """Where stories persist between runs."""

    def load_stories(self, since: float) -> Iterable[StoredStory]:
        """The stories a run kept in the window at ``since`` or later (``kept_from``)."""
        ...

    def save_stories(self, rows: Sequence[StoredStory]) -> None:
        """Upsert by ``story_id``."""
        ...

    def evict_stories(self, before: float) -> int:
        """Drop the stories no run kept since ``before`` (``kept_from``); how many."""
        ...

    def forget_stories(self, ids: Sequence[str]) -> None:
        """Delete the stories of ``ids`` (a full window's earliest: crawler.stories.held)."""
        ...
