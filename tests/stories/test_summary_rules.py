"""Feed summaries of one event and of related events: the key-name veto and counter-moves.

The texts are written for these tests, in the form of the real feeds' items
(../shared/data/real-feeds): a title and a teaser of 20-30 words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from crawler.dedup.tokens import default_tokenizer
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from crawler.stories.actors import actor_mark, answerer, lead_actor

T0 = datetime(2020, 7, 22, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0


def summary_doc(id_: str, title: str, summary: str, at: float, source: str) -> StoryDoc:
    return StoryDoc(id_, title, summary, "en", at, source, None)


def stories(*docs: StoryDoc) -> list[str]:
    return [a.story_id for a in StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)]


def test_a_title_naming_what_the_story_did_not_know_yet_joins_it() -> None:
    # The second outlet's title names a place the first report never does ("Arctic", a
    # headline capital: its key name); the story's key names are among its words.
    got = stories(
        summary_doc("a", "Climate change: Polar bears could be lost by 2100",
                    "Polar bears could all but vanish by the end of the century as the sea ice"
                    " they hunt on shrinks, scientists warn in a new study.",
                    T0, "one.example"),
        summary_doc("b", "Most polar bears could struggle to survive in the Arctic by 2100,"
                    " study finds",
                    "Shrinking sea ice leaves polar bears too little time to hunt, and they could"
                    " all but vanish by 2100, scientists warn in a new study.",
                    T0 + 2 * HOUR, "two.example"),
        # Another report of the same days on the Arctic's ice: related, not the same.
        summary_doc("c", "Arctic sea ice shrinks to a record low for July, study finds",
                    "Sea ice in the Arctic shrank to its smallest July extent on record,"
                    " satellite data show, as a heatwave lingers over Siberia.",
                    T0 + 3 * HOUR, "three.example"),
    )
    assert got[0] == got[1]
    assert got[2] != got[0]


def test_a_counter_move_is_another_story_than_the_move_it_answers() -> None:
    got = stories(
        summary_doc("move", "US orders China to close its consulate in Houston",
                    "The United States has ordered China to close its consulate in Houston,"
                    " Texas, within 72 hours, citing efforts to steal intellectual property,"
                    " China said.", T0, "one.example"),
        summary_doc("move2", "U.S. orders closure of China's consulate in Houston",
                    "China's consulate in Houston must close by Friday, the State Department"
                    " said, in an escalation of tensions between the US and China.",
                    T0 + 2 * HOUR, "two.example"),
        # Two days on, the answer: every word of the move but a city, and both cities in
        # its summary.
        summary_doc("answer", "China orders U.S. to shut Chengdu consulate, retaliating for"
                    " Houston",
                    "China ordered the United States to close its consulate in Chengdu,"
                    " retaliating for the closure of China's consulate in Houston, Texas,"
                    " as tensions escalate.", T0 + 50 * HOUR, "three.example"),
    )
    assert got[0] == got[1]
    assert got[2] != got[0]


SANCTIONS = (
    "The United States imposed sanctions on Thursday over a series of cyber attacks that"
    " officials in Washington blamed on state hackers, the Treasury Department said. The"
    " measures target dozens of companies and individuals, freeze their assets held in American"
    " banks and bar Americans from dealing with them. Treasury Secretary Janet Yellen said the"
    " attacks had hit government agencies and private firms alike. The sanctions also expel"
    " several diplomats and restrict purchases of government bonds issued after June. Officials"
    " said further steps were being considered and that allies had been consulted.")


def test_one_actor_naming_one_more_country_is_one_story() -> None:
    # Both titles are led by the US (actor marks ^US:CN,RU and ^US:CN): the mark is for the
    # counter-move check only, and one more country named is no other place to the template
    # veto (the Houston / Chengdu test above still parts the move from its answer).
    other = SANCTIONS.replace("imposed sanctions on Thursday", "on Thursday imposed sanctions")
    got = stories(
        StoryDoc("a", "US sanctions China and Russia over cyber attacks", SANCTIONS, "en", T0,
                 "one.example", None),
        StoryDoc("b", "US sanctions China over cyber attacks",
                 other.replace("dozens of", "more than thirty"), "en", T0 + HOUR,
                 "two.example", None),
    )
    assert got[0] == got[1]


def test_a_minister_and_his_country_in_one_template_are_one_story() -> None:
    # The titles share their template but for "Dominic Raab" against "U.K.": a person
    # against a country is one actor called two ways, not "City A" / "City B".
    got = stories(
        summary_doc("raab", "Dominic Raab announces extradition treaty with Hong Kong is being"
                    " suspended",
                    "Dominic Raab today announced the UK's extradition treaty with Hong Kong is"
                    " being 'immediately and indefinitely' suspended over Beijing's new"
                    " security law.", T0, "one.example"),
        summary_doc("uk", "U.K. Suspends Extradition Treaty With Hong Kong",
                    "The British government said it would suspend its extradition treaty with"
                    " Hong Kong in response to China's decision to impose a new security law"
                    " on the former British colony.", T0 + HOUR, "two.example"),
    )
    assert got[0] == got[1]


def test_two_countries_in_one_template_are_two_stories() -> None:
    # Countries against countries still veto: one airline's two routes (its name meets the
    # key-name veto; the template veto parts them).
    got = stories(
        summary_doc("es", "Qantas resumes flights to Spain", QANTAS, T0, "one.example"),
        summary_doc("fr", "Qantas resumes flights to France", QANTAS, T0 + HOUR, "two.example"),
    )
    assert got[0] != got[1]


QANTAS = ("Qantas will resume its flights next month after four months on the ground, the"
          " airline said on Monday, with fewer seats and masks on board.")


def test_a_titles_actor_is_the_country_its_first_word_names() -> None:
    tokenizer = default_tokenizer()

    def mark(title: str) -> str | None:
        tokens = tokenizer.title_tokens(title, "en")
        return actor_mark(tokenizer, title, "en", tokens, tokenizer.places(tokens, "en"))

    assert mark("China orders U.S. to shut Chengdu consulate") == "^CN:US"
    assert mark("US orders China to close its consulate in Houston") == "^US:CN"
    # A city names no actor country, nor does a title led by a person or a country once.
    assert mark("Chinese diplomats burn documents at Houston consulate") is None
    assert mark("Pompeo asks why US closed China's consulate") is None
    assert mark("China warns of retaliation") is None


def test_the_same_peoples_next_move_days_later_is_another_story() -> None:
    docs = _kanye_docs()
    got = stories(*docs)
    assert got[0] == got[1]
    assert got[2] != got[0]


def test_a_storys_age_is_kept_with_it_across_runs() -> None:
    # The stored story keeps its first member's time: the record of a later run meets the
    # story as old as one run would have it.
    docs = _kanye_docs()
    state = MemoryStoryState()
    split = []
    for part in (docs[:2], docs[2:]):
        clusterer = StoryClusterer(StoryParams(), state)
        split += [a.story_id for a in clusterer.assign(part)]
        clusterer.flush()
    assert split == stories(*docs)


def _kanye_docs() -> list[StoryDoc]:
    day = 24 * HOUR
    return [
        summary_doc("rally", "Kanye West holds first presidential campaign rally",
                    "Kanye West held his first rally as a presidential candidate in South"
                    " Carolina, where he spoke about abortion and broke down in tears.",
                    T0, "one.example"),
        summary_doc("rally2", "Kanye West breaks down in tears at first campaign rally",
                    "At his first presidential campaign rally in South Carolina, Kanye West"
                    " broke down in tears while speaking about abortion.", T0 + 3 * HOUR,
                    "two.example"),
        # Four days on, his wife's statement: the same people, the rally named again.
        summary_doc("statement", "Kim Kardashian West speaks out after Kanye West's rally",
                    "Kim Kardashian West asked for compassion for Kanye West after his"
                    " presidential campaign rally in South Carolina and his posts since.",
                    T0 + 4 * day, "three.example"),
    ]


def feed_item(id_: str, title: str, summary: str, at: float, source: str) -> StoryDoc:
    """A feed-only record: its summary is all the story layer has of it."""
    return StoryDoc(id_, title, None, "en", at, source, None, summary=summary)


# Other events of the same hours: the window the summaries' words are weighed in.
OTHER_ITEMS = [feed_item(f"other{i}", title, summary, T0 - (i + 1) * HOUR, "other.example")
               for i, (title, summary) in enumerate([
    ("Regis Philbin, television personality, has died at 88",
     "Longtime television personality Regis Philbin has died, according to a statement shared"
     " by his family on Saturday. He was 88 years old."),
    ("Man charged with impersonating cop",
     "A man has been charged after he allegedly tried to impersonate a police officer in an"
     " attempt to steal money from a Sydney business owner."),
    ("Great Singapore Sale goes digital this year",
     "For the first time since it started 26 years ago, the Great Singapore Sale will be a"
     " largely virtual event, with a focus on helping local retailers go digital."),
    ("Norwegian Elvis impersonator on track for 50 hours of singing",
     "Norwegian performer Kjell Elvis started his world-record breaking Elvis Presley singing"
     " marathon challenge on Thursday."),
    ("The growing popularity of the personal wedding dress",
     "As the bridal industry responds to changing restrictions because of the pandemic, one"
     " element is enjoying a sentimental shift: the wedding dress."),
    ("Appeal court upholds magistrate's convictions",
     "A former magistrate convicted of indecently assaulting a teenage boy in the 1980s had two"
     " of his convictions quashed on appeal, with others upheld."),
])]

ESCAPE = feed_item(
    "escape", "Five people escape isolation facility in Hamilton",
    "A 17-year-old man remains missing after he and four others escaped their isolation hotel"
    " in Hamilton tonight.", T0, "one.example")
CHARGED = feed_item(
    "charged", "Hamilton isolation hotel dash: 4 escapees charged - teen gets all the way to"
    " Auckland",
    "Four of the five people who escaped their isolation hotel in Hamilton have been charged;"
    " the 17-year-old who remained missing got all the way to Auckland. Minister Megan Woods"
    " said they put the country at risk, the teenager spending the night on the run.",
    T0 + 8.5 * HOUR, "three.example")
MINISTER = ("Megan Woods, the minister in charge of managed isolation and quarantine facilities,"
            " said the absconders from the Hamilton hotel had put the country at risk; a"
            " teenager among them spent the night on the run.")


def test_a_summary_telling_both_facets_merges_one_events_parallel_stories() -> None:
    # The second outlet's first report shares too few words with the first's to join it
    # (0.38 against the summary threshold of 0.4): one event begun twice. The third report
    # fits both (0.45 and 0.58) and the two stories' centroids are alike (0.42): one story.
    # Failed before summaries merged stories: "escape" stayed a story of its own.
    docs = [*OTHER_ITEMS, ESCAPE,
            feed_item("kids", "Adult and 4 kids escape isolation hotel - teen spends night on"
                      " the run", MINISTER, T0 + 7 * HOUR, "two.example"),
            CHARGED]
    got = stories(*docs)
    assert got[-3] == got[-2] == got[-1]
    off = [a.story_id for a in StoryClusterer(
        replace(StoryParams(), summary_merge_threshold=0.0), MemoryStoryState()).assign(docs)]
    assert off[-3] != off[-2] == off[-1]  # the parallel stories the merge bridges
    # In any order, and split after the first report (its story is held, the second
    # outlet's begun by the second run: it may still go into the held one), the same.
    assert stories(*reversed(docs))[::-1] == got
    state = MemoryStoryState()
    split: list[str] = []
    for part in (docs[:-2], docs[-2:]):
        clusterer = StoryClusterer(StoryParams(), state)
        split += [a.story_id for a in clusterer.assign(part)]
        clusterer.flush()
    assert split == got


def test_a_summary_does_not_merge_a_story_begun_by_a_reaction_into_the_event() -> None:
    # The same reports, but the second outlet's first title tells the minister's answer to
    # the escape: another actor's reaction, which the labels call another event. The third
    # report fits both stories as before, and they stay two.
    got = stories(*OTHER_ITEMS, ESCAPE,
                  feed_item("kids", "Minister condemns adult and 4 kids - teen spends night on"
                            " the run", MINISTER, T0 + 7 * HOUR, "two.example"),
                  CHARGED)
    # (Without the reaction's check "escape" and "kids" merge: the test fails.)
    assert got[-3] != got[-2]


# The Houston consulate's first reports (English real feeds, 22 July 2020), each led by the
# US and naming China.
HOUSTON = [feed_item(id_, title, summary, T0 + hours * HOUR, f"{id_}.example")
           for id_, hours, title, summary in [
    ("gma", 0.0, "US orders China to shut Houston consulate; China calls it unprecedented"
     " escalation",
     "The United States has told China to close its consulate in Houston, both countries said"
     " on Wednesday, further deteriorating bilateral ties, and a source said Beijing was"
     " considering shutting the US consulate in Wuhan in retaliation."),
    ("wsj", 4.8, "U.S. Orders China to Close Its Houston Consulate",
     "The U.S. ordered the closure of China's consulate in Houston to protect American"
     " intellectual property and private information of U.S. citizens, the State Department"
     " said. China called the move \"a political provocation.\""),
    ("nyt", 6.2, "U.S. Orders China to Close Houston Consulate, Citing Efforts to Steal Trade"
     " Secrets",
     "The Trump administration accused Chinese citizens of stealing scientific research and told"
     " the country's diplomats in Texas to leave. Beijing warned it would retaliate."),
]]
# Two days on, China's answer: its title leads with no country, its teaser with China.
CHENGDU = feed_item(
    "why", "Why did China choose the Chengdu consulate to retaliate?",
    "China's Ministry of Foreign Affairs has ordered the closure of the US consulate in Chengdu"
    " days after the US forced the Chinese consulate in Houston to cease operations. CNN's"
    " Kristie Lu Stout reports.", T0 + 41.8 * HOUR, "cnn.example")


def test_a_summary_leading_with_the_answering_country_is_another_story() -> None:
    # Its title gives no actor ("Why did China ..."), so the counter-move check reads the
    # teaser's first sentence: led by China, naming the US, against titles led by the US
    # naming China. Without it the answer joined the move's story (0.43 on the real feeds).
    got = stories(*OTHER_ITEMS, *HOUSTON, CHENGDU)[len(OTHER_ITEMS):]
    assert got[0] == got[1] == got[2]
    assert got[3] != got[0]


def test_a_summarys_actor_is_the_country_its_first_sentence_leads_with() -> None:
    tokenizer = default_tokenizer()
    assert lead_actor(tokenizer, CHENGDU.summary or "", "en") == "^CN:US"
    # Its first sentence only: the US leads the second one.
    assert lead_actor(tokenizer, "Staff are leaving Chengdu. The US says China forced it.",
                      "en") is None
    assert lead_actor(tokenizer, "", "en") is None


def test_a_report_of_the_move_whose_teaser_names_the_answer_stays_in_its_story() -> None:
    # Led by the US in its teaser as in its title: the move, whatever answer it expects.
    report = feed_item(
        "ap", "Consulate closure escalates tensions",
        "The US has ordered China to close its Houston consulate within 72 hours; Beijing"
        " said it would respond.", T0 + 7 * HOUR, "ap.example")
    got = stories(*OTHER_ITEMS, *HOUSTON, report)[len(OTHER_ITEMS):]
    assert got[3] == got[0]


# A mayor tear-gassed at a protest (English real feeds, 29 July 2020), and a day on another
# actor's answer to it: its title names who answers, whom the event's titles never name.
TEAR_GAS = [feed_item(id_, title, summary, T0 + hours * HOUR, f"{id_}.example")
            for id_, hours, title, summary in [
    ("ap", 0.0, "Portland mayor tear gassed after speaking with protesters",
     "Portland Mayor Ted Wheeler was tear gassed by federal agents outside the federal"
     " courthouse after he spoke with protesters demonstrating against the agents' presence."),
    ("bbc", 3.0, "Portland mayor Ted Wheeler hit by tear gas at protest",
     "Ted Wheeler, the mayor of Portland, was caught in tear gas fired by federal agents at"
     " protesters outside the courthouse, hours after meeting demonstrators."),
]]


def with_tear_gas(id_: str, title: str, summary: str) -> list[str]:
    """The stories of the tear-gas reports and, 20 hours on, one more summary."""
    later = feed_item(id_, title, summary, T0 + 20 * HOUR, f"{id_}.example")
    return stories(*OTHER_ITEMS, *TEAR_GAS, later)[len(OTHER_ITEMS):]


def test_another_actors_answer_is_another_story_than_the_event() -> None:
    got = with_tear_gas(
        "fox", "'A fool': Trump derides Portland mayor for getting tear gassed",
        "Trump called Portland Mayor Ted Wheeler a fool for getting tear gassed by federal"
        " agents while he stood with protesters outside the federal courthouse.")
    assert got[0] == got[1]
    # (Without its answer's margin it scores 0.64 and joins the event's story: this fails.)
    assert got[2] != got[0]


def test_an_answer_by_someone_the_event_names_stays_in_its_story() -> None:
    # The mayor's own answer: his name is in the event's titles.
    got = with_tear_gas(
        "wapo", "Ted Wheeler condemns federal agents after being tear gassed in Portland",
        "Portland Mayor Ted Wheeler condemned federal agents who tear gassed him outside the"
        " federal courthouse while he spoke with protesters.")
    assert got[0] == got[1] == got[2]


def test_who_answers_is_who_leads_the_clause_of_the_answers_word() -> None:
    assert answerer("'A fool': Trump derides Portland mayor for getting tear-gassed") == [
        "Trump"]
    assert answerer("Princess Eugenie shares touching tribute to Princess Beatrice") == [
        "Princess", "Eugenie"]
    assert answerer("'Europe cannot fail twice on migration', EU Commission warns") == [
        "EU", "Commission"]
    assert answerer("Indigenous people at risk from COVID-19, warns WHO") == ["WHO"]
    # Attribution cites a source, it does not answer; a passive names the one judged.
    assert answerer("ISIS still 'most significant' threat to UK, says Defence Secretary") == []
    assert answerer("Amber Heard accused of lying") == []


def test_an_answer_in_a_regional_english_tag_is_told_as_in_english() -> None:
    # A record's language is its page's or feed's claim when its text is short ("en-GB" in
    # a policywire dedup input): the answer's margin read "en" only, so the same summary
    # tagged "en-GB" joined the event's story that "en" keeps apart.
    later = replace(feed_item(
        "fox", "'A fool': Trump derides Portland mayor for getting tear gassed",
        "Trump called Portland Mayor Ted Wheeler a fool for getting tear gassed by federal"
        " agents while he stood with protesters outside the federal courthouse.",
        T0 + 20 * HOUR, "fox.example"), language="en-GB")
    got = stories(*OTHER_ITEMS, *TEAR_GAS, later)[len(OTHER_ITEMS):]
    assert got[0] == got[1] != got[2]
