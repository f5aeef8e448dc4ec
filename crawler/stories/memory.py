"""Stories held in memory: the state of ``policywire dedup`` and of tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from crawler.models import StoredStory


class MemoryStoryState:
    """A :class:`crawler.stories.types.StoryState` in a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, StoredStory] = {}

    def load_stories(self, since: float) -> Iterable[StoredStory]:
        return [row for row in self.rows.values() if row.kept_from >= since]

    def save_stories(self, rows: Sequence[StoredStory]) -> None:
        for row in rows:
            self.rows[row.story_id] = row

    def evict_stories(self, before: float) -> int:
        old = [key for key, row in self.rows.items() if row.kept_from < before]
        for key in old:
            del self.rows[key]
        return len(old)

    def forget_stories(self, ids: Sequence[str]) -> None:
        for key in ids:
            self.rows.pop(key, None)
