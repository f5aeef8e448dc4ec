"""A story keeps its first ``StoryParams.member_titles`` titles (4) for title similarity and
the template vetoes: a title held past them can veto a record the story's other members
accept."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from benchmarks.eval_stories import doc_of
from crawler.errors import IncompatibleState
from crawler.state import open_state
from crawler.stories import MemoryStoryState, StoryClusterer, StoryParams
from crawler.storylayer import open_stories
from tests.stories.shared import story_clusters

# ECB+ topic 25 (story-clusters' first half of topics, the one member_titles was chosen on):
# eleven outlets' headlines of one event, the Saints placing Pierre Thomas on injured reserve.
_THOMAS = tuple(f"ecbplus-25_{n}" for n in (3, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15))


def _stories(params: StoryParams) -> dict[str, str]:
    rows = {r["id"]: r for r in story_clusters()}
    clusterer = StoryClusterer(params, MemoryStoryState())
    return {a.id: a.story_id for a in clusterer.assign([doc_of(rows[i]) for i in _THOMAS])}


def test_a_later_members_template_title_does_not_split_the_event() -> None:
    rows = {r["id"]: r for r in story_clusters()}
    late = doc_of(rows["ecbplus-25_8"])  # "New Orleans Saints place Pierre Thomas on ..."
    # Alone with "Saints place RB Pierre Thomas on injured reserve" it is vetoed (one
    # template, and the two sides' places read as differing): a false veto of one event.
    clusterer = StoryClusterer(StoryParams(), MemoryStoryState())
    (first,) = clusterer.assign([doc_of(rows["ecbplus-25_3"])])
    (second,) = clusterer.assign([late])
    assert first.story_id != second.story_id
    # In one batch of the eleven it meets a story whose first four titles do not veto it,
    # and it joins the event's one story (on its content, linked to another member).
    stories = _stories(StoryParams())
    assert len(set(stories.values())) == 1
    assert stories["ecbplus-25_8"] == stories["ecbplus-25_3"]
    # Holding eight titles (the default before) holds the vetoing ones too: it stays alone.
    eight = _stories(replace(StoryParams(), member_titles=8))
    assert eight["ecbplus-25_8"] != eight["ecbplus-25_3"]
    assert len(set(eight.values())) == 2


def test_a_state_whose_stories_hold_eight_titles_is_refused_until_reindex(tmp_path: Path) -> None:
    """A story stores its titles: stories made at 8 (the default before) are remade by
    ``policywire reindex`` before a run at 4 goes on with them."""
    before = replace(StoryParams(), member_titles=8)
    state = open_state(str(tmp_path / "state"))
    try:
        state.set_story_params_fingerprint(before.fingerprint())
        state.set_story_params_values(json.dumps(asdict(before), sort_keys=True))
        open_stories(state, before)  # a run that keeps 8 goes on as it was
        with pytest.raises(IncompatibleState) as refused:
            open_stories(state, StoryParams())
    finally:
        state.close()
    said = str(refused.value)
    assert "member_titles=8 (this run: 4)" in said and "policywire reindex" in said, said
