"""A feed's summary (``StoryDoc.summary``) is read as a summary whatever its length: an
outlet's teaser of 25-29 terms is no article (crawler.stories.features._body)."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.stories import MemoryStoryState, Profiler, StoryClusterer, StoryDoc, StoryParams

T0 = datetime(2020, 7, 20, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0

# Written for this test about real events of July 2020: the UK's suspension of its
# extradition treaty with Hong Kong (three outlets the same day), and three days later a
# financial outlet's teaser on Hong Kong's markets under the security law (another event).
TREATY = [
    ("uk1", "UK suspends Hong Kong extradition treaty over security law",
     "Britain suspended its extradition treaty with Hong Kong on Monday, Foreign Secretary"
     " Dominic Raab told parliament, citing serious concerns about the national security law"
     " Beijing imposed on the former colony.", 0.0),
    ("uk2", "Britain halts extradition treaty with Hong Kong",
     "Foreign Secretary Dominic Raab said the United Kingdom would suspend its extradition"
     " treaty with Hong Kong immediately and extend an arms embargo, in response to China's"
     " security law.", 3 * HOUR),
    ("uk3", "Raab: extradition treaty with Hong Kong suspended 'indefinitely'",
     "Dominic Raab has suspended Britain's extradition arrangements with Hong Kong"
     " indefinitely, telling MPs that Beijing's new national security law had changed the"
     " territory's legal system and that the arms embargo on mainland China would now be"
     " extended to Hong Kong as well.", 5 * HOUR),
]
MARKETS = ("fin", "Beijing bets on Hong Kong as a financial hub despite crackdown",
           "Beijing is wagering that its crackdown on the former British colony will not scare"
           " off foreign investment in Hong Kong, as listings and deals with mainland China"
           " companies keep flowing into the city's markets and banks. Bankers say the"
           " security law changes the place they have known.", 75 * HOUR)


def teaser(id_: str, title: str, summary: str, after: float) -> StoryDoc:
    """A feed-only record: no page text, its feed's summary."""
    return StoryDoc(id_, title, None, "en", T0 + after, f"{id_}.example", None,
                    summary=summary)


def test_a_long_teaser_counts_as_a_summary() -> None:
    profile = Profiler(StoryParams())
    long_one = profile(teaser(*TREATY[2]))
    assert long_one.has_body and long_one.thin and not long_one.long
    # The same words as a page's text are an article's (25 terms and more).
    uk3 = TREATY[2]
    as_text = profile(StoryDoc(uk3[0], uk3[1], uk3[2], "en", T0, "x.example", None))
    assert as_text.has_body and not as_text.thin


def test_a_teaser_of_the_event_joins_and_a_related_one_days_later_stays_apart() -> None:
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(
        [teaser(*row) for row in (*TREATY, MARKETS)])
    assert got[0].story_id == got[1].story_id == got[2].story_id  # one event, three outlets
    assert got[3].story_id != got[0].story_id  # Hong Kong's markets: another event


def test_a_page_text_comes_before_its_feeds_summary() -> None:
    # A record whose page gave a body is read by its body: the summary is not looked at.
    doc = StoryDoc("p", TREATY[0][1], TREATY[0][2], "en", T0, "p.example", None,
                   summary="Completely different words about a football match tonight.")
    profile = Profiler(StoryParams())
    without = StoryDoc("p", TREATY[0][1], TREATY[0][2], "en", T0, "p.example", None)
    assert profile(doc).terms == profile(without).terms
    assert profile(doc).thin == profile(without).thin
