"""Scorer (crawler.stories.score): what a summary's score loses against a story of days."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from crawler.dedup.tokens import default_tokenizer
from crawler.stories import StoryDoc, StoryParams
from crawler.stories.features import profile_of
from crawler.stories.score import Scorer
from crawler.stories.story import Story, Window

T0 = datetime(2020, 7, 20, 9, tzinfo=UTC).timestamp()
DAY = 86400.0


def _summary(id_: str, title: str, summary: str, at: float) -> StoryDoc:
    return StoryDoc(id_, title, None, "en", at, f"{id_}.example", None, summary=summary)


EARLY = _summary("early", "Trader Joe's to drop product names criticised as racist",
                 "Trader Joe's says it will change the branding of some of its products"
                 " after a petition called the names racist.", T0)
LATER = _summary("later", "Trader Joe's drops product names after petition on racist branding",
                 "The grocery chain Trader Joe's is changing the names of products such as"
                 " Trader Ming's after a petition called them racist.", T0 + 3 * DAY)


def _lost(record: StoryDoc, first: StoryDoc) -> float:
    """What ``record``'s fit to the story ``first`` begins loses to the story's age."""
    tokenizer = default_tokenizer()
    scores = []
    for decay in (0.0, StoryParams().summary_decay):
        params = replace(StoryParams(), summary_decay=decay)
        story = Story.begun("s", profile_of(tokenizer, first, params), params, T0)
        window = Window()
        window.enter(story)
        fit = Scorer(profile_of(tokenizer, record, params), window, params).fit(story)
        assert fit is not None
        scores.append(fit.score)
    return scores[0] - scores[1]


def test_a_summary_earlier_than_a_story_s_first_report_ages_by_the_gap_as_a_later_one() -> None:
    # A record delivered late to a later run meets a stored story begun days after it;
    # one run scored that story's first report against the late record's story, aged by
    # the gap (0.05 a day past the first, two days at most). Before, the late record lost
    # nothing, and a split run joined what one run kept apart (benchmarks/eval_late_splits.py).
    assert _lost(LATER, EARLY) > 0
    assert _lost(EARLY, LATER) == _lost(LATER, EARLY)
