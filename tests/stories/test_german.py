"""German stories: one event in other words (compounds, inflections, names) is one story."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams

# Written for this project about a real event (the Magdeburg Christmas-market attack of
# 2024-12-20, as German outlets reported it the day after), one record per outlet in its own
# words: "Weihnachtsmarkt" / "Weihnachts-Markt" / "Markt zu Weihnachten", "Magdeburger" /
# "Magdeburg", "Todesfahrt" / "Todes-Fahrt", "Tatverdächtige" / "Tatverdächtigen". Beside it,
# events of the same days that share its words: Hamburg's markets closed for a storm, and a
# football match that held a minute's silence for Magdeburg.
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "de_magdeburg.jsonl"


def test_one_german_event_in_other_words_is_one_story() -> None:
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines()]
    docs = [StoryDoc(r["id"], r["title"], r["text"], "de",
                     datetime.fromisoformat(r["published"]).timestamp(), r["source"], None)
            for r in rows]
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    events: dict[str, set[str]] = defaultdict(set)
    for row, assignment in zip(rows, got, strict=True):
        events[row["event"]].add(assignment.story_id)
    assert [len(events[e]) for e in ("magdeburg", "hamburg", "bundesliga")] == [1, 1, 1]
    assert len(set().union(*events.values())) == 3
    shared = {n for a in got if a.link is not None for n in a.link.shared_names}
    # Compounds split and stems met: "Weihnachtsmarkt" shares "weihnacht" and "markt".
    assert {"magdeburg", "haseloff", "weihnacht", "markt"} <= shared
