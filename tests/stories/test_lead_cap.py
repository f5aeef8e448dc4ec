"""The story layer reads a body's lead only (``StoryParams.lead_chars``): words further down
an article, where outlets put background and related stories, join it to no story."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from tests.stories.shared import story_clusters


def _row(rows: list[dict[str, str]], row_id: str) -> dict[str, str]:
    return next(r for r in rows if r["id"] == row_id)


def _one_story(first: StoryDoc, second: StoryDoc, params: StoryParams) -> bool:
    clusterer = StoryClusterer(params, MemoryStoryState())
    (a,) = clusterer.assign([first])
    (b,) = clusterer.assign([second])
    return a.story_id == b.story_id


def test_words_past_the_lead_join_a_record_to_no_story() -> None:
    rows = story_clusters()
    params = StoryParams()
    # Two real articles of two events (ECB+ topics 1 and 7): Lindsay Lohan leaving Betty
    # Ford, and Wladimir Klitschko retaining his belts.
    rehab, boxing = _row(rows, "ecbplus-1_1"), _row(rows, "ecbplus-7_1")
    assert len(boxing["text"]) > params.lead_chars
    published = datetime.fromisoformat(rehab["published"]).replace(tzinfo=UTC).timestamp()
    first = StoryDoc(rehab["id"], rehab["title"], rehab["text"], "en", published,
                     rehab["source"], None)
    # The boxing report's lead, then the rehab article whole below it (a page that runs
    # another story under its own, as a related-articles block does).
    late = StoryDoc("boxing-with-rehab-below", boxing["title"],
                    f"{boxing['text'][:params.lead_chars]}\n\n{rehab['text']}", "en",
                    published + 3600, "other.example", None)
    assert not _one_story(first, late, params)
    # The words below the lead are what would join them: read whole, the record joins.
    assert _one_story(first, late, replace(params, lead_chars=10 ** 6))
