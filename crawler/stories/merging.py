"""Story merging within a batch: which stories the batch began, and which it merged into
another (the older story's id survives).

A story begun by the current batch has had none of its records written yet, so it can still
be merged into another: its records are relabelled before :meth:`StoryClusterer.assign`
returns them. A story of an earlier batch or run keeps its id (its records are written): two
such stories stay two, where one run holding every record would have merged them. A
summary merges the stories it fits too, but never one begun by a reaction (:func:`begun_by`).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import replace

from crawler.stories.story import Story
from crawler.stories.types import StoryAssignment


def begun_by(story: Story, terms: frozenset[str]) -> bool:
    """Whether ``story``'s first member title holds one of ``terms`` (its tokens): a story
    begun by a reaction (:func:`crawler.stories.eventkinds.reaction_terms`: "Labor coalition
    condemns ban on rallies during 5th SONA") is another actor's answer to an event, which
    the labels call another event, however many words it shares with the event's story."""
    return bool(story.titles) and not terms.isdisjoint(story.titles[0][1].tokens)


class BatchMerges:
    """The stories one batch began (in order) and the merges it made."""

    def __init__(self) -> None:
        self._born: dict[str, int] = {}
        self._merged: dict[str, str] = {}   # merged story id -> the story it went into

    def begin(self, story_id: str) -> None:
        self._born[story_id] = len(self._born)

    def pair(self, a: str, b: str) -> tuple[str, str] | None:
        """(older, younger) of two stories, when the younger was begun by this batch and
        may go into the older; else None. Older: held before the batch, then begun first."""
        older, younger = sorted((a, b), key=lambda s: (self._born.get(s, -1), s))
        return (older, younger) if younger in self._born else None

    def merged(self, keep: str, gone: str) -> None:
        del self._born[gone]
        self._merged[gone] = keep

    @property
    def gone(self) -> Container[str]:
        """The stories merged into another (:meth:`alive` names where they went)."""
        return self._merged.keys()

    def alive(self, story_id: str) -> str:
        """The story ``story_id`` is now: itself, or the story it was merged into."""
        while story_id in self._merged:
            story_id = self._merged[story_id]
        return story_id

    def relabelled(self, assignment: StoryAssignment) -> StoryAssignment:
        story_id = self.alive(assignment.story_id)
        return assignment if story_id == assignment.story_id else replace(
            assignment, story_id=story_id)
