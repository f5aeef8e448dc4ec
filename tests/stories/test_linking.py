"""crawler/stories/linking.py: parallel stories of one event joined by their members' mean."""

from __future__ import annotations

from itertools import permutations

from benchmarks.eval_late_splits import mates, stories
from crawler.stories import StoryParams
from crawler.stories.linking import OVERLAP_SECONDS, RARE_REPORTS, overlapping, rare_name_shared
from crawler.stories.story import Story
from tests.stories.test_held import AVERTED, SENATE, SIGNED, T0

NOW = T0 + 4 * 86400
HOUR = 3600.0


def test_a_summary_just_under_the_bar_joins_a_story_its_members_all_read_as_one() -> None:
    # Biden's signing scores just under summary_threshold against the Senate's story (its
    # teaser names the House, disaster aid and farm relief besides the bill): alone it began
    # a story of its own. Every member scored against the other story, the mean reaches
    # LINK_THRESHOLD: one story (two before this rule), in any order of delivery.
    params = StoryParams()
    for order in permutations([SENATE, AVERTED, SIGNED]):
        together = mates(stories([list(order)], params, NOW))
        assert together[SIGNED.id] == {SENATE.id, AVERTED.id, SIGNED.id}


def test_a_story_of_an_earlier_run_is_not_linked() -> None:
    # Its members' profiles are not stored: a summary of the next run meets it by its score
    # alone (the documented exception of a split run, crawler/stories/cluster.py).
    split = mates(stories([[SENATE, AVERTED], [SIGNED]], StoryParams(), NOW))
    assert split[SIGNED.id] == {SIGNED.id}
    assert split[SENATE.id] == {SENATE.id, AVERTED.id}


def _story(story_id: str, names: dict[str, int], dated: tuple[float, float] | None) -> Story:
    return Story(story_id, story_id, 0.0 if dated is None else dated[1], [story_id],
                 names=names, dated=dated)


def test_stories_overlap_within_the_gap_or_undated() -> None:
    a = _story("a", {}, (T0, T0 + HOUR))
    assert overlapping(a, _story("b", {}, (T0 + HOUR + OVERLAP_SECONDS, T0 + 99 * HOUR)))
    assert not overlapping(a, _story("c", {}, (T0 + 2 * HOUR + OVERLAP_SECONDS,
                                              T0 + 99 * HOUR)))
    assert overlapping(a, _story("d", {}, None))


def test_a_shared_name_counts_when_few_reports_hold_it() -> None:
    a = _story("a", {"stopgap": 2, "senate": 2, "US": 2, "2024": 1}, None)
    b = _story("b", {"stopgap": 1, "senate": 1, "US": 1, "2024": 1}, None)
    df = {"stopgap": RARE_REPORTS + 1, "senate": RARE_REPORTS, "US": 1, "2024": 1}
    assert rare_name_shared(a, b, df)
    # A country's code and a number are no rarity, and a name many reports hold says little.
    assert not rare_name_shared(a, b, {**df, "senate": RARE_REPORTS + 1})
