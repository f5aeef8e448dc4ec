"""Story clustering's quality gate on story-clusters (ECB+ odd topics): pinned floors of
pairwise precision and F1 per slice, with the defaults. A change that makes stories worse
fails here; benchmarks/eval_stories.py has the held-out figures and the baseline."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from math import comb

import pytest

from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from tests.stories.shared import story_clusters

# (slice, precision floor, F1 floor): the figures of 2026-12-06 after story merging, the
# names-told rule of the template vetoes and the undated records' date or names
# (crawler/stories/dating.py: 1.000/0.930, 1.000/0.928, 0.935/0.882) a little rounded down.
FLOORS = [("headline", 0.99, 0.92), ("lead_sentence", 0.99, 0.92), ("all", 0.93, 0.87)]


def _pairwise(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    both = sum(comb(n, 2) for n in Counter(zip(gold, predicted, strict=True)).values())
    said = sum(comb(n, 2) for n in Counter(predicted).values())
    true = sum(comb(n, 2) for n in Counter(gold).values())
    precision, recall = both / said, both / true
    return precision, 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize(("kind", "min_precision", "min_f1"), FLOORS)
def test_story_clusters_meet_their_floors(kind: str, min_precision: float, min_f1: float
                                          ) -> None:
    rows = [r for r in story_clusters() if kind == "all" or r["title_kind"] == kind]
    docs = [StoryDoc(r["id"], r["title"], r["text"], r["language"],
                     datetime.fromisoformat(r["published"]).replace(tzinfo=UTC).timestamp()
                     if r["published"] else None, r["source"] or "", None) for r in rows]
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    precision, f1 = _pairwise([r["cluster"] for r in rows], [a.story_id for a in got])
    assert precision >= min_precision
    assert f1 >= min_f1
