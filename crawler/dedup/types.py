"""What goes into story merging and what comes out: plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.models import MatchEvidence


@dataclass(frozen=True)
class Doc:
    """A record as merging sees it. ``published`` is ISO 8601 UTC (or None: no date);
    ``summary`` is its feed's summary, which only story clustering reads (for a record whose
    page gave no text: :class:`crawler.stories.StoryDoc`). (The story layer's profile gives
    a title's match tokens to the preparing: :class:`crawler.dedup.prepare.Companion`.)"""

    id: str
    url: str
    title: str
    text: str | None = None
    language: str | None = None
    published: str | None = None
    source: str = ""
    summary: str | None = None


@dataclass(frozen=True)
class Decision:
    """The story a record belongs to.

    ``duplicate_of`` is the id of the story's canonical record (None for the canonical
    itself); ``evidence`` says which rule matched it to which record (None for a canonical).
    """

    id: str
    story_id: str
    duplicate_of: str | None
    evidence: MatchEvidence | None
