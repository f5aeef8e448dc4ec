"""A feed summary's event words (crawler.stories.eventwords): words of the event, rare in the
language and in the window, that a summary shares with a story.

The texts are written for these tests in the form of the real feeds' items
(../shared/data/real-feeds): a title and a teaser of 20-30 words.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.dedup.tokens import Tokenizer, default_tokenizer
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams, eventwords
from crawler.stories.eventwords import common_terms
from crawler.stories.lexicon import frequent_words
from crawler.stories.shown import COMMON_ZIPF

T0 = datetime(2020, 7, 22, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0


def summary_doc(id_: str, title: str, summary: str, at: float, source: str) -> StoryDoc:
    return StoryDoc(id_, title, summary, "en", at, source, None)


def test_one_event_in_other_words_joins_by_its_rare_words_and_another_stays_apart() -> None:
    docs = [
        summary_doc("warning", "New alert system would have given warning of Whakaari eruption",
                    "A new volcano warning system, which would have alerted people to the White"
                    " Island eruption 16 hours before it happened, is ready to be put to use,"
                    " researchers say.", T0, "one.example"),
        # The same research, another outlet's words: "volcanic eruptions" and "warning" are
        # what the two summaries share beside the island's name (scores 0.33 without them).
        summary_doc("predicted", "This could have predicted a deadly volcano",
                    "Scientists in New Zealand have built a warning system to alert people ahead"
                    " of volcanic eruptions, one they say could have predicted last year's deadly"
                    " White Island blast.", T0 + 10 * HOUR, "two.example"),
        # Another volcano's alert the same day: the same rare words, another event.
        summary_doc("ruapehu", "Volcanic alert level raised for Mount Ruapehu",
                    "The volcanic alert level for New Zealand's Mount Ruapehu was raised on"
                    " Thursday after its crater lake warmed; an eruption is not expected, but"
                    " people should keep away from the summit, scientists say.",
                    T0 + 12 * HOUR, "three.example"),
    ]
    got = [a.story_id for a in StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)]
    assert got[0] == got[1]
    assert got[2] != got[0]


def test_a_stem_is_rare_by_the_frequency_of_all_its_words() -> None:
    tokenizer = default_tokenizer()
    common = common_terms("en")

    def term(word: str) -> str:
        (found,) = tokenizer.content_terms(word, "en")
        return found

    assert term("crash") in common and term("vaccine") in common
    assert term("eruption") not in common and term("extradition") not in common
    # "suspend" alone is under the line; with "suspended", "suspends" and "suspending" its
    # stem is not.
    assert term("suspends") in common
    assert common_terms("xx") == frozenset()


def test_both_floors_tokenise_the_languages_words_once_and_sum_as_each_alone() -> None:
    # The shown names' floor and the event words' read one tokenised list (fails before: each
    # floor tokenised its own, ~0.15 CPU s of English's warm-up twice).
    common_terms.cache_clear()
    eventwords._word_terms.cache_clear()
    high, low = common_terms("en", COMMON_ZIPF), common_terms("en")
    assert eventwords._word_terms.cache_info().misses == 1
    tokenizer = Tokenizer()
    for zipf, got in ((COMMON_ZIPF, high), (eventwords.RARE_ZIPF, low)):
        totals: dict[str, float] = {}
        for word, frequency in frequent_words("en", zipf - 1.0):
            for term in tokenizer.content_terms(word, "en"):
                totals[term] = totals.get(term, 0.0) + frequency
        assert got == {t for t, f in totals.items() if f >= 10.0 ** (zipf - 9.0)}
    assert high < low
