from __future__ import annotations

from crawler.models import MatchEvidence, Record, StoryMatch
from crawler.report.cards import story_card
from crawler.report.stories import (
    daily_counts,
    duplicate_shares,
    group_stories,
    periods,
    topics_by_day,
)
from tests.report.sample import english_records, other_putin_story, record, seed_pair


def test_doubled_headline_is_one_story_with_canonical_first() -> None:
    canonical, variant = seed_pair()
    stories = group_stories([variant, canonical], {})
    assert len(stories) == 1
    assert stories[0].canonical == canonical and stories[0].variants == (variant,)
    assert stories[0].sources == ["krone-ausland", "welt-politik"]
    assert stories[0].topics == ["nato", "russia-ukraine"]


def one_event_from_three_outlets() -> list[Record]:
    """The seed pair (a copy of the first), and tagesschau's own telling with a copy of it."""
    first, copy = seed_pair()
    own = record("https://www.tagesschau.de/nato-putin-100.html", "tagesschau", "Rutte: Putin"
                 " ist in der Ukraine gescheitert", language="de", story_id=first.story_id,
                 published="2024-03-04T10:00:00Z",
                 story_match=StoryMatch(record_id=first.id, similarity=0.61, rule="content",
                                        shared_names=["nato", "putin", "ukraine"]))
    own_copy = record("https://www.br.de/nato-putin.html", "br24", own.title_raw,
                      language="de", story_id=first.story_id, published="2024-03-04T10:30:00Z",
                      duplicate_of=own.id, match=MatchEvidence(rule="title",
                                                               title_similarity=1.0))
    return [own_copy, copy, own, first]


def test_each_duplicate_is_nested_under_its_original_in_the_story() -> None:
    own_copy, copy, own, first = one_event_from_three_outlets()
    [story] = group_stories([own_copy, copy, own, first], {})
    assert story.canonical == first
    assert story.nested() == [(first, (copy,)), (own, (own_copy,))]


def test_the_card_says_why_another_outlets_telling_is_in_the_story() -> None:
    [story] = group_stories(one_event_from_three_outlets(), {})
    card = str(story_card(story))
    roles = [part.split('"')[0] for part in card.split('<tr class="')[1:]]
    assert roles == ["canonical", "duplicate", "original", "duplicate"]
    assert ('content</span> · similarity 0.61 · shared: <bdi>nato</bdi>, <bdi>putin</bdi>,'
            ' <bdi>ukraine</bdi> · with <bdi>welt-politik</bdi>') in card


def test_stories_are_listed_newest_first() -> None:
    records = [*seed_pair(), other_putin_story(), *english_records()]
    stories = group_stories(records, {})
    whens = [s.when for s in stories]
    assert whens == sorted(whens, reverse=True) and len(stories) == 5


def test_canonical_outside_the_window_is_looked_up() -> None:
    canonical, variant = seed_pair()
    [story] = group_stories([variant], {canonical.id: canonical, variant.id: variant})
    assert story.canonical == canonical and story.variants == (variant,)
    assert story.when == variant.published


def test_record_without_story_id_is_its_own_story() -> None:
    lone = record("https://example.org/a", "src", "A title", story_id=None)
    [story] = group_stories([lone], {})
    assert story.story_id == lone.id and story.variants == ()


def test_day_range_fills_gaps() -> None:
    assert periods(["2024-03-03", "2024-02-28"], "day") == (
        "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02", "2024-03-03")
    assert periods([], "day") == ()


def test_stories_count_once_per_day_records_each() -> None:
    records = [*seed_pair(), other_putin_story()]
    series = daily_counts(records, group_stories(records, {}))
    assert series.days == ("2024-03-04", "2024-03-05")
    assert series.values == {"records": (2, 1), "stories": (1, 1)}


def test_topics_over_time_count_stories() -> None:
    records = [*seed_pair(), other_putin_story()]
    series = topics_by_day(group_stories(records, {}), ("2024-03-04", "2024-03-05"))
    assert series.values == {"russia-ukraine": (1, 1), "nato": (1, 0), "nuclear": (0, 1)}


def test_duplicate_share_per_source() -> None:
    shares = {d.source: (d.duplicates, d.records) for d in duplicate_shares(
        [*seed_pair(), *english_records()])}
    assert shares == {"krone-ausland": (1, 1), "reuters-world": (1, 2), "welt-politik": (0, 1),
                      "nato-news": (0, 1), "eu-council": (0, 1)}


def test_a_window_that_cuts_the_first_record_off_keeps_copies_under_it() -> None:
    # trial2: a window (--since) kept a German rewrite (story_match: the wire story) and a
    # wire copy of the story's first record, but not that record: the rewrite became the
    # card's canonical and the copy was shown as an original, unlike `stories --since`.
    own_copy, copy, own, first = one_event_from_three_outlets()
    everything = {r.id: r for r in (own_copy, copy, own, first)}
    [story] = group_stories([copy, own], everything)
    assert story.canonical == first
    assert story.nested() == [(first, (copy,)), (own, ())]
    assert story.when == min(copy.published or "", own.published or "")
