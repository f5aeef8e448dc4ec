"""crawler.stories.story: a story's first member taken in as any later one is."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from crawler.stories.params import StoryParams
from crawler.stories.profiler import Profiler
from crawler.stories.story import Story
from crawler.stories.types import StoryDoc

_BODY = ("Negotiators from Brussels and Ankara met in Geneva on Tuesday to settle the customs "
         "dispute over steel quotas, the ministry in Berlin said. " * 3)


@pytest.mark.parametrize(("text", "published", "centroid_terms"), [
    (None, 1_700_000_000.0, 60),        # a bare headline
    (_BODY, 1_700_000_000.0, 60),       # an article
    (_BODY, 1_700_000_000.0, 3),        # more terms than the centroid keeps: cut at once
    (_BODY, None, 60),                  # undated: last seen as given
])
def test_a_begun_story_is_a_new_story_that_added_its_first_member(
        text: str | None, published: float | None, centroid_terms: int) -> None:
    params = StoryParams(centroid_terms=centroid_terms)
    doc = StoryDoc(id="r1", title="EU and Turkey settle steel quota dispute in Geneva",
                   text=text, language="en", published=published, source="example.org",
                   duplicate_of=None)
    profile = Profiler(params)(doc)
    added = Story("s1", "r1", 1_600_000_000.0)
    added.add(profile, params, None)
    begun = Story.begun("s1", profile, params, 1_600_000_000.0)
    assert astuple(begun) == astuple(added)
    assert list(begun.counts) == list(added.counts)  # the same order: sums run in it
    assert begun.counts  # the record's words are the story's
