"""crawler.stories.story: a story's first member taken in as any later one is."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from crawler.stories.params import StoryParams
from crawler.stories.profiler import Profiler
from crawler.stories.story import Story, Window
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


def test_the_window_counts_the_stories_holding_a_term_as_their_centroids_change() -> None:
    # Window.stories kept step by step (enter, a join's change, a cut, leave) equals a
    # count over the stories in the window; a centroid of 3 terms cuts terms as they join.
    params = StoryParams(centroid_terms=3)
    profile = Profiler(params)
    titles = ["EU and Turkey settle steel quota dispute in Geneva",
              "Steel quota talks in Geneva end with a deal",
              "Turkey lifts tariffs on EU cars after Geneva deal",
              "Floods in Bavaria close the A9 near Munich"]
    docs = [profile(StoryDoc(f"r{i}", title, _BODY if i % 2 else None, "en",
                             1_700_000_000.0 + i, "example.org", None))
            for i, title in enumerate(titles)]
    window = Window()
    first, second = (Story.begun(f"s{i}", docs[i], params, 0.0) for i in (0, 3))
    window.enter(first)
    window.enter(second)
    for doc in docs[1:3]:
        content, counts = first.content, first.counts.copy()
        first.add(doc, params, None)
        window.changed(first, content, counts)
    expected: dict[str, int] = {}
    for story in (first, second):
        for term in story.counts:
            expected[term] = expected.get(term, 0) + 1
    assert window.stories == expected
    window.leave(first)
    assert window.stories == dict.fromkeys(second.counts, 1)
    window.leave(second)
    assert window.stories == {}
