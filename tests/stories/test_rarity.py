"""A summary's bonus for a name few reports of the window hold (crawler.stories.rarity)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from crawler.stories import StoryDoc, StoryParams
from crawler.stories.features import Profile
from crawler.stories.profiler import Profiler
from crawler.stories.rarity import rare_name_share
from crawler.stories.score import Scorer
from crawler.stories.story import Story, Window

T0 = datetime(2020, 7, 22, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0
# The hand score alone (the learned model judges English summaries otherwise).
PARAMS = StoryParams(learned_threshold=0.0)


def _summary(id_: str, title: str, summary: str, at: float) -> StoryDoc:
    return StoryDoc(id_, title, None, "en", at, f"{id_}.example", None, summary=summary)


def _reports(profiler: Profiler, count: int) -> list[Profile]:
    """The first ``count`` of two reports of one injury, both naming "Henrichs"."""
    first = profiler(_summary("a", "Defender Henrichs out for months with torn tendon",
                              "Benjamin Henrichs tore his Achilles tendon in a training session"
                              " on Friday and will miss the rest of the season.", T0))
    second = profiler(_summary("b", "Henrichs ruled out for the season, club confirms",
                               "The club confirmed that Benjamin Henrichs needs surgery on his"
                               " Achilles tendon and will be out until the summer.", T0 + HOUR))
    return [first, second][:count]


def _bonus(record: Profile, story: Story, window: Window) -> float:
    """What the rare-name bonus adds to ``record``'s score against ``story``."""
    with_bonus = Scorer(record, window, PARAMS).fit(story)
    without = Scorer(record, window, replace(PARAMS, rare_name_bonus=0.0)).fit(story)
    assert with_bonus is not None and without is not None
    return round(with_bonus.score - without.score, 6)


def _third(profiler: Profiler, hours: float = 2.0) -> Profile:
    return profiler(_summary("c", "Henrichs faces months out after injury in training",
                             "The defender is badly hurt: scans confirmed the damage, and"
                             " his club expects a long absence.", T0 + hours * HOUR))


def _two_reports(profiler: Profiler, others: int = 100) -> tuple[Story, Window]:
    """The injury's story of two reports in a window beside ``others`` one-report stories
    of other things (a real feed's window holds hundreds: rarity is read against it)."""
    first, second = _reports(profiler, 2)
    story = Story.begun("s1", first, PARAMS, T0)
    story.add(second, PARAMS, None)
    window = Window()
    window.enter(story)
    for i in range(others):
        other = profiler(_summary(f"o{i}", f"Council {i} approves budget for district {i}",
                                  f"District {i} will spend more on roads and schools next"
                                  " year, the council decided after a long debate.", T0))
        window.enter(Story.begun(f"o{i}", other, PARAMS, T0))
    return story, window


def test_a_name_one_report_gave_earns_the_bonus() -> None:
    profiler = Profiler(PARAMS)
    story = Story.begun("s1", _reports(profiler, 1)[0], PARAMS, T0)
    window = Window()
    window.enter(story)
    assert _bonus(_third(profiler), story, window) == PARAMS.rare_name_bonus


def test_a_name_two_reports_gave_earns_half_the_bonus_on_the_first_day() -> None:
    # Reports, not stories, are counted (measured: counted by stories, 3 more German
    # related pairs merged; crawler.stories.rarity), and a name two reports of the story's
    # first day gave is half as telling as one report's (before branch feeds-en6: nothing).
    profiler = Profiler(PARAMS)
    story, window = _two_reports(profiler)
    assert window.stories["henrich"] == 1 and window.df["henrich"] == 2
    assert _bonus(_third(profiler), story, window) == PARAMS.rare_name_bonus / 2


def test_a_name_two_reports_gave_earns_nothing_a_day_after_the_first() -> None:
    # Days later the same names come back in the cast's next move (crawler.stories.rarity).
    profiler = Profiler(PARAMS)
    story, window = _two_reports(profiler)
    assert _bonus(_third(profiler, hours=30.0), story, window) == 0.0


def test_an_undated_record_earns_only_a_single_reports_name() -> None:
    profiler = Profiler(PARAMS)
    story, window = _two_reports(profiler)
    undated = profiler(replace(_third(profiler).doc, published=None))
    assert _bonus(undated, story, window) == 0.0


def test_a_name_two_of_a_few_reports_hold_is_no_rarity() -> None:
    # Among four reports, "President" in two says nothing (tests/stories/test_synonyms.py:
    # the vice president's staff would join Bolsonaro's test by it).
    profiler = Profiler(PARAMS)
    story, window = _two_reports(profiler, others=2)
    assert _bonus(_third(profiler), story, window) == 0.0


def test_a_name_few_reports_hold_earns_a_share_by_its_rarity() -> None:
    profiler = Profiler(PARAMS)
    story = Story.begun("s1", _reports(profiler, 1)[0], PARAMS, T0)
    for reports, share in ((1, 1.0), (2, 0.5), (6, 1 / 6), (7, 0.0)):
        assert rare_name_share(["henrich"], story, {"henrich": reports}, 1000, HOUR) == share
    assert rare_name_share(["henrich"], story, {"henrich": 3}, 100, HOUR) == 0.0  # over 2%
    assert rare_name_share(["henrich"], story, {"henrich": 2}, 1000, 30 * HOUR) == 0.0
    assert rare_name_share(["henrich"], story, {"henrich": 2}, 1000, None) == 0.0


def test_a_record_days_before_the_story_or_beside_an_undated_one_earns_no_share() -> None:
    # Within a day means either side of the story's first report: before, a record ten days
    # older than the story (delivered late), and one beside a story no dated report began
    # (its first_seen is infinite, so the gap is minus infinity), both earned the share.
    profiler = Profiler(PARAMS)
    story = Story.begun("s1", _reports(profiler, 1)[0], PARAMS, T0)
    for since in (-240 * HOUR, -30 * HOUR, float("-inf"), float("inf")):
        assert rare_name_share(["henrich"], story, {"henrich": 2}, 1000, since) == 0.0
    assert rare_name_share(["henrich"], story, {"henrich": 2}, 1000, -HOUR) == 0.5
