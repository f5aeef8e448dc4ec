"""Story evidence beyond the headline: which names two reports of one event share, and which
tell two events of one kind apart (crawler/stories/score.py, features.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

from crawler.dedup.index import story_id_for
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from tests.stories.shared import story_clusters
from tests.stories.test_cluster import stories

T0 = datetime(2013, 5, 2, tzinfo=UTC).timestamp()
HOUR = 3600.0

LOHAN = (
    "Lindsay Lohan's attorney said Thursday the actress checked into a Southern California "
    "rehab facility that a state official said is unlicensed to perform the treatment a judge "
    "required. Her lawyer Mark Heller told the judge in Los Angeles she was settling in at "
    "Morningside Recovery in Newport Beach, where she will stay for ninety days under the "
    "terms of her plea deal in a reckless driving case.")
LOHAN_AGAIN = (
    "Lindsay Lohan has checked into Morningside Recovery in Newport Beach, her lawyer Mark "
    "Heller told a Los Angeles judge on Thursday, but California officials said the facility "
    "holds no licence for the locked treatment the court ordered. The actress must spend "
    "ninety days in rehab under her plea deal after a car crash last year in Santa Monica.")
HOUSTON = (
    "The State Department ordered China to close its consulate in Houston within seventy-two "
    "hours, accusing diplomats there of spying on research and trade. Firefighters were called "
    "to the building overnight as staff burned papers in the courtyard. Beijing called the "
    "order an outrageous provocation and vowed a firm response to Washington's decision.")
CHENGDU = (
    "China ordered the United States to close its consulate in Chengdu, retaliating for the "
    "closure of its own mission in Houston earlier this week. The foreign ministry in Beijing "
    "said American staff had meddled in China's internal affairs in Sichuan and Tibet. The "
    "Chengdu mission opened in 1985 and employs about two hundred people in the southwest.")


def doc(id_: str, title: str, text: str, at: float) -> StoryDoc:
    return StoryDoc(id_, title, text, "en", at, "example.org", None)


def test_titles_naming_one_cast_differently_are_one_story_two_cities_stay_two() -> None:
    # "Lawyer" (a title's first word counts as a name) and "Lindsay" differ, but the other
    # side's text names Lindsay: one cast, one event. Houston / Chengdu: the Houston report
    # never names Chengdu, so the closures stay two events though Chengdu's names Houston.
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        doc("a", "Lindsay Lohan checks into unapproved rehab", LOHAN, T0),
        doc("b", "Lawyer: Lindsay Lohan checks into rehab facility", LOHAN_AGAIN, T0 + HOUR),
        doc("c", "US orders China to close Houston consulate", HOUSTON, T0 + 2 * HOUR),
        doc("d", "China orders US to close Chengdu consulate", CHENGDU, T0 + 3 * HOUR),
    ])
    assert stories(got) == [{"a", "b"}, {"c"}, {"d"}]


def test_one_event_begun_as_two_stories_becomes_one_and_its_kin_stays_apart() -> None:
    # story-clusters topic 31: Doug McDermott's scoring record (2013, headline rows) began as
    # two stories (4 + 7 reports) whose first reports fitted too little; later reports that
    # fit both show them one event, and the older story's id survives. Tyler Hansbrough's
    # scoring record (lead-sentence rows, dated here the week before) is an event of the
    # same kind: no story takes both.
    rows = [r for r in story_clusters() if r["topic"] == "ecb+/t31"]
    week_before = datetime(2013, 3, 1, tzinfo=UTC).timestamp()
    docs = [StoryDoc(r["id"], r["title"], r["text"], "en",
                     datetime.fromisoformat(r["published"]).replace(tzinfo=UTC).timestamp()
                     if r["published"] else None, r["source"] or "", None) for r in rows]
    # (Less the undated report of his return for a senior season, weeks later: its text
    # names a Wednesday, the record's reports were of a Friday and a Saturday, and few of
    # their names, so crawler.stories.dating keeps it from their dated story.)
    mcdermott = [d for d in docs if d.id.startswith("ecbplus") and d.id != "ecbplus-31_3"]
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(mcdermott)
    first = min((d for d in mcdermott if d.published), key=lambda d: (d.published, d.id))
    assert {a.story_id for a in got} == {story_id_for(first.id)}
    dated = [d if d.published else replace(d, published=week_before + i * HOUR)
             for i, d in enumerate(docs)]
    both = StoryClusterer(StoryParams(), MemoryStoryState()).assign(dated)
    events: dict[str, set[str]] = defaultdict(set)
    for row, assignment in zip(rows, both, strict=True):
        events[assignment.story_id].add(row["cluster"])
    assert all(len(clusters) == 1 for clusters in events.values())
