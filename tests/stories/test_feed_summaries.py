"""Records with a title and a feed summary only: which rules join or part them."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from crawler.stories.summary import event_text

T0 = datetime(2020, 7, 22, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0

# What a video outlet puts under every item (written for this test, in that outlet's form).
CALLS = (" - Subscribe to our channel: https://video.example/subscribe - Follow us on Twitter:"
         " https://twitter.com/ExampleNews - Find us on Facebook: https://www.facebook.com/example"
         " - Check our website: https://news.example/ #ExampleNews #World")


def summary_doc(id_: str, title: str, summary: str, at: float, source: str) -> StoryDoc:
    return StoryDoc(id_, title, summary, "en", at, source, None)


def test_a_summarys_links_and_hashtags_are_left_out() -> None:
    text = "Floods hit the north of the country. Rescuers search for missing people." + CALLS
    assert event_text(text) == ("Floods hit the north of the country."
                                " Rescuers search for missing people.")
    assert event_text("No link here - just a dash.") == "No link here - just a dash."


def test_two_videos_of_one_outlet_with_the_same_calls_to_action_stay_apart() -> None:
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        summary_doc("a", "Floods sweep through northern villages",
                    "Heavy rain has flooded dozens of villages in the north, and rescuers are"
                    " searching for missing residents." + CALLS, T0, "video.example"),
        summary_doc("b", "Teachers strike over unpaid wages",
                    "Thousands of teachers walked out of classrooms on Wednesday demanding"
                    " months of unpaid wages from the education ministry." + CALLS,
                    T0 + HOUR, "video.example"),
    ])
    assert got[0].story_id != got[1].story_id


def test_a_daily_report_of_two_days_is_two_stories_and_of_one_day_one() -> None:
    day = 24 * HOUR
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        summary_doc("mon", "No new Covid-19 cases in the country today",
                    "There are no new cases of Covid-19 to report today, the Ministry of Health"
                    " says, and no one is in hospital with the virus.", T0, "one.example"),
        summary_doc("mon2", "No new cases of Covid-19 today, ministry says",
                    "The Ministry of Health says there are no new cases of Covid-19 today and"
                    " no one is in hospital with the virus.", T0 + 2 * HOUR, "two.example"),
        summary_doc("tue", "No new Covid-19 cases today for second day",
                    "There are no new cases of Covid-19 to report today for the second day in a"
                    " row, the Ministry of Health says.", T0 + day, "one.example"),
    ])
    assert got[0].story_id == got[1].story_id  # one day's figure from two outlets
    assert got[2].story_id != got[0].story_id  # the next day's is another report


def test_one_country_as_noun_and_as_adjective_meets() -> None:
    # "Spain" in one outlet's words, "Spanish" in the other's: the same country (ES). Without
    # the bonus for names no other story holds (every name is rare among three records).
    got = StoryClusterer(StoryParams(rare_name_bonus=0.0), MemoryStoryState()).assign([
        summary_doc("a", "Minister caught up in Spain quarantine rule change",
                    "The transport minister is in Spain with his family and must isolate on"
                    " his return.", T0, "one.example"),
        summary_doc("b", "Minister faces quarantine over Spanish holiday",
                    "The transport minister, on a Spanish holiday, must isolate for two weeks"
                    " on his return after the rules changed overnight.", T0 + HOUR,
                    "two.example"),
        summary_doc("c", "Spanish farmers protest over water cuts",
                    "Thousands of farmers drove tractors through Madrid against the cuts to"
                    " irrigation water announced by the regional government.", T0 + 2 * HOUR,
                    "three.example"),
    ])
    assert got[0].story_id == got[1].story_id
    assert got[2].story_id != got[0].story_id


def test_a_name_no_other_story_holds_joins_two_summaries_a_common_one_does_not() -> None:
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        # Two stories of the same days that share only a name many stories hold.
        summary_doc("bikes", "Berlin council votes on new bike lanes",
                    "The Berlin city council voted for forty kilometres of new bike lanes in the"
                    " centre, to be built over the next three years.", T0, "one.example"),
        summary_doc("pandas", "Berlin zoo welcomes twin pandas",
                    "Two panda cubs were born at the Berlin zoo on Tuesday, the first twins there"
                    " in a decade, keepers said.", T0 + HOUR, "two.example"),
        # One injury in two outlets' words: few words shared, but a name only they hold.
        summary_doc("a", "Defender Henrichs out for months with torn tendon",
                    "Benjamin Henrichs tore his Achilles tendon in a training session on Friday"
                    " and will miss the rest of the season, his club said.", T0 + 2 * HOUR,
                    "one.example"),
        summary_doc("b", "Henrichs faces months out after injury in training",
                    "The defender Benjamin Henrichs is badly hurt: scans confirmed the damage,"
                    " and his club expects a long absence.", T0 + 3 * HOUR, "two.example"),
    ])
    assert got[0].story_id != got[1].story_id
    assert got[2].story_id == got[3].story_id
    assert got[3].link is not None and "henrich" in got[3].link.shared_names


def test_a_headline_cased_title_meets_the_same_words_in_lower_case() -> None:
    # "South" is a name in one outlet's headline case and a word in the other's sentence.
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        summary_doc("a", "Wintry blast brings deep snow to the south",
                    "A wintry blast brought deep snow to the south on Sunday, closing roads and"
                    " schools, with gales forecast for the coast.", T0, "one.example"),
        summary_doc("b", "Wintry Blast Closes Roads Across the South",
                    "Deep snow closed roads and schools across the south on Sunday as a wintry"
                    " blast swept in, forecasters said.", T0 + HOUR, "two.example"),
        summary_doc("c", "Heatwave Grips the North",
                    "Temperatures passed 35C across the north on Sunday as a heatwave set in,"
                    " forecasters said.", T0 + 2 * HOUR, "three.example"),
    ])
    assert got[0].story_id == got[1].story_id
    assert got[2].story_id != got[0].story_id
