"""A summary's candidate stories by a rare name it shares with them (crawler.stories.namecands)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from crawler.stories import MemoryStoryState, StoryAssignment, StoryClusterer, StoryDoc, StoryParams
from crawler.stories.namecands import NameRoute
from crawler.stories.story import Story

T0 = datetime(2020, 7, 20, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0
TOWNS = ["Ashby", "Brindle", "Carrow", "Dunmore", "Elston", "Fenwick", "Garston", "Holloway",
         "Ingham", "Jarrow", "Kelby", "Langley", "Marston", "Norbury", "Oakley", "Pemberton",
         "Quarley", "Redmire", "Selby", "Thornton", "Upton", "Vernham", "Walton", "Yarwell",
         "Alford", "Brampton", "Cawston", "Denton", "Epworth", "Filey", "Goring", "Hexham",
         "Ilkley", "Kendal", "Ludlow", "Malton", "Nelson", "Otley", "Penrith", "Ripon"]


def summary(id_: str, title: str, text: str, after: float) -> StoryDoc:
    return StoryDoc(id_, title, None, "en", T0 + after, f"{id_}.example", None, summary=text)


def _docs() -> list[StoryDoc]:
    # Forty stories whose titles share "Storm damage: families ... told to leave" with the
    # dam report below (their summaries made-up words): they take the candidate index's
    # first places, while the dam's first report shares its rare name, "Tarrowby", and few
    # title words with it. Written for this test.
    rng = random.Random(3)

    def made_up(words: int) -> str:
        return " ".join("".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou")
                                for _ in range(3)) for _ in range(words))

    docs = [summary(f"f{k}", f"Storm damage: families in {town} told to leave",
                    f"{town} {made_up(25)}.", k * 60.0) for k, town in enumerate(TOWNS)]
    return [*docs,
            summary("dam1", "Engineers find cracks in Tarrowby reservoir wall",
                    "Engineers inspecting the Tarrowby reservoir after the storm found cracks in"
                    " its dam wall, and the water authority began lowering the water level as a"
                    " precaution.", 2 * HOUR),
            summary("dam2", "Storm damage: families below the dam told to leave",
                    "Hundreds of families living below the Tarrowby reservoir were told to leave"
                    " their homes on Monday evening after engineers found cracks in the dam wall"
                    " and the water authority warned it could fail.", 5 * HOUR),
            summary("vote", "Tarrowby council approves new sports centre",
                    "Councillors in Tarrowby voted on Monday to approve plans for a new sports"
                    " centre and swimming pool, to be built on the site of the old market hall.",
                    6 * HOUR)]


def test_a_summary_finds_its_story_by_a_rare_name_and_another_event_stays_apart() -> None:
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(_docs())
    dam1, dam2, vote = got[-3:]
    assert dam2.story_id == dam1.story_id  # before: it joined a "Storm damage" title
    assert dam2.link is not None and dam2.link.shared_names == ("tarrowbi",)
    assert vote.story_id not in (dam1.story_id,)  # the same town's council: another event
    assert len({a.story_id for a in got}) == len(TOWNS) + 2


def test_the_route_finds_the_same_in_a_run_split_in_two() -> None:
    docs = _docs()
    whole = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    state = MemoryStoryState()
    parts: list[StoryAssignment] = []
    for half in (docs[:len(TOWNS) + 1], docs[len(TOWNS) + 1:]):  # the dam's first report first
        clusterer = StoryClusterer(StoryParams(), state)
        parts += clusterer.assign(half)
        clusterer.flush()
        clusterer.evict()
    assert parts == whole


def _story(story_id: str, *names: str) -> Story:
    story = Story(story_id, story_id, T0)
    story.names.update(dict.fromkeys(names, 1))
    return story


def test_the_name_route_keeps_its_stories_across_batches_until_one_is_forgotten() -> None:
    # Before, the route was made anew from every held story at each batch with summaries
    # (~2.1 us a story, ~5 CPU s a batch of a crawl holding 60 days of stories): a story
    # noted outside such a batch was not held.
    route = NameRoute()
    stories = {"s1": _story("s1", "tarrowby")}
    route.start(stories.values())  # the first batch holding summaries: the held stories
    stories["s2"] = _story("s2", "tarrowby", "quentin")
    route.add("s2", stories["s2"].names)  # begun later
    route.start(stories.values())  # a later batch with summaries: nothing made again
    assert route.candidates(["tarrowby"], stories, stories.keys(), str) == ["s1", "s2"]
    route.remove("s1", stories.pop("s1").names)  # evicted
    assert route.candidates(["tarrowby"], stories, stories.keys(), str) == ["s2"]
    del stories["s2"]  # gone without a remove (a name it pruned): left out at the look-up
    assert route.candidates(["quentin", "tarrowby"], stories, stories.keys(), str) == []
