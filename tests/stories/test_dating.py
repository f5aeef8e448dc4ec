"""An undated record and a dated story: what its text says of its time, and the names it must
share when that says nothing of the story's (crawler/stories/dating.py)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime

from crawler.dedup.index import story_id_for
from crawler.dedup.tokens import default_tokenizer
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from crawler.stories.dating import NO_DATE, agrees, name_agreement, reported_on, text_date
from crawler.stories.features import profile_of
from crawler.stories.story import Story, story_from
from tests.conftest import REPO
from tests.stories.shared import story_clusters


def _docs(ids: set[str]) -> dict[str, StoryDoc]:
    return {r["id"]: StoryDoc(r["id"], r["title"], r["text"], "en",
                              datetime.fromisoformat(r["published"]).replace(tzinfo=UTC)
                              .timestamp() if r["published"] else None, r["source"] or "", None)
            for r in story_clusters() if r["id"] in ids}


def _stories(docs: dict[str, StoryDoc]) -> dict[str, str]:
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(list(docs.values()))
    return {a.id: a.story_id for a in got}


def test_an_undated_report_of_a_later_firing_stays_out_of_the_hiring_story() -> None:
    # story-clusters topic 5: the 76ers hire Maurice Cheeks (May 2005, dated reports); an
    # undated report of his firing ("fired coach Maurice Cheeks on Saturday", December 2008)
    # shares his name, the team's and the city's, and names 2005 (his hiring) and 2008: it
    # was written in 2008 or later, on no weekday of the hiring's reports, and it names Ed
    # Stefanski and the season's record where the hiring names Jim O'Brien: another event.
    # Without dating.py it joined the hiring's story.
    docs = _docs({"ecbplus-5_1", "ecbplus-5_2", "ecbplus-5_4", "ecbplus-5_5", "ecbplus-5_7",
                  "ecb-5_10"})
    assert _stories(docs)["ecb-5_10"] == story_id_for("ecb-5_10")


def test_an_undated_report_that_names_the_storys_year_and_day_joins_it() -> None:
    # story-clusters topic 21: a Queens hit-and-run (reported Saturday 2013-09-14). An undated
    # report of it names 2013 and "Friday" (the crash), the day before the reports: it joins
    # their story though its names ("mother of 2", the avenues) agree with theirs too little
    # for an undated record whose text says nothing of the story's time.
    docs = _docs({"ecbplus-21_1", "ecbplus-21_2", "ecbplus-21_4", "ecbplus-21_5",
                  "ecbplus-21_6"})
    got = _stories(docs)
    assert len(set(got.values())) == 1


def test_a_texts_years_and_weekdays() -> None:
    when = text_date("Article posted on 08.07.2012: 2,000 fans saw it in 1999.",
                     ["articl", "~@sat", "~@jul"])
    assert when.years == {2012, 1999}
    assert when.weekdays == 1 << 5  # Saturday; months are no weekdays
    assert text_date("no date here, 20000 people", ["date"]) is NO_DATE


def test_a_story_is_reported_on_its_members_day_and_the_day_before() -> None:
    saturday = datetime(2012, 7, 7, 21, tzinfo=UTC).timestamp()
    span, week = (saturday, saturday), 7 * 86400.0
    assert reported_on(saturday) == (1 << 5) | (1 << 4)  # Saturday and Friday
    assert agrees(text_date("", ["~@fri"]), span, reported_on(saturday), saturday, week)
    assert agrees(text_date("in 2012", []), span, reported_on(saturday), saturday, week)
    assert not agrees(text_date("in 2008", ["~@fri"]), span, reported_on(saturday), saturday,
                      week)
    # A weekday locates a text within the week it was written in: not a story of months ago.
    assert not agrees(text_date("", ["~@fri"]), span, reported_on(saturday),
                      saturday + 9 * week, week)
    # Nor when no date places the record (a batch of undated records: the clock unset).
    assert not agrees(text_date("", ["~@fri"]), span, reported_on(saturday), -math.inf, week)


def test_a_story_of_undated_reports_is_not_merged_into_the_casts_dated_story() -> None:
    # story-clusters topic 27: Microsoft's emergency patch for Internet Explorer in September
    # 2013 (dated reports) and its emergency patch of December 2008 (undated leads: a story
    # of their own). Among the whole dev set a later report fitted both stories and merged
    # them; the undated story's names agree with the dated one's too little (the 2008 flaw's
    # people and products), so the dated story keeps the 2013 reports only.
    rows = story_clusters()
    got = _stories(_docs({r["id"] for r in rows}))
    dated = got["ecbplus-27_1"]
    assert {r["cluster"] for r in rows if got[r["id"]] == dated} == {"ecb+/t27/ecbplus"}


def test_a_stored_story_keeps_its_dated_members_span_and_weekdays() -> None:
    # A later run loads the story from the state: it must still know when its members were
    # published, or an undated record of the next run would meet it as an undated story.
    params = StoryParams()
    tokenizer = default_tokenizer()
    saturday = datetime(2012, 7, 7, 21, tzinfo=UTC).timestamp()
    story = Story("s1", "a", saturday)
    for id_, at in (("a", saturday), ("b", saturday + 86400.0), ("c", None)):
        doc = StoryDoc(id_, "Klitschko retains his belts", "Klitschko won. " * 10, "en", at,
                       "example.org", None)
        story.add(profile_of(tokenizer, doc, params), params, None)
    loaded = story_from(story.stored(), tokenizer)
    assert loaded.dated == (saturday, saturday + 86400.0)
    assert loaded.weekdays == reported_on(saturday) | reported_on(saturday + 86400.0)


def test_a_storys_cast_is_what_most_of_its_members_name() -> None:
    # Five reports all name Capaldi, Doctor Who and the BBC; one of them also names twenty
    # people of its own (a column's guest list). An undated report naming the cast agrees
    # with the story as with one of the cast alone: its names weigh by the members naming
    # them. Counted once each, the one-off names made the record's share of the story small
    # (0.31 here): a story's names grow with its members, whatever a newcomer reports.
    def flat(names: list[str]) -> list[float]:
        return [1.0] * len(names)

    story = {"capaldi": 5, "doctor": 5, "bbc": 5, **{f"guest{i}": 1 for i in range(20)}}
    record = dict.fromkeys(("capaldi", "doctor", "bbc", "tardi"), 1)
    assert name_agreement(record, story, flat) >= StoryParams().undated_names
    assert name_agreement(record, {"capaldi": 5, "doctor": 5, "bbc": 5}, flat) < 1.0
def test_a_run_split_in_two_places_an_undated_weekday_as_one_run_does() -> None:
    # story-clusters topic 21, its undated report without its year: only "Friday" dates it.
    # In one run it joins the dated story (the clock stands at the story's latest date); run
    # after the dated reports, a new clusterer's clock must start from the loaded stories'
    # dated span, or nothing places the weekday and the report starts a story of its own.
    docs = _docs({"ecbplus-21_1", "ecbplus-21_2", "ecbplus-21_4", "ecbplus-21_5",
                  "ecbplus-21_6"})
    undated = replace(docs.pop("ecbplus-21_6"), published=None)
    undated = replace(undated, title=undated.title.replace("2013", ""),
                      text=undated.text.replace("2013", ""))
    dated = list(docs.values())
    assert all(d.published is not None for d in dated)
    one = StoryClusterer(StoryParams(), MemoryStoryState()).assign([*dated, undated])
    assert len({a.story_id for a in one}) == 1
    state = MemoryStoryState()
    first = StoryClusterer(StoryParams(), state)
    before = first.assign(dated)
    first.flush()
    latest = max(d.published or 0.0 for d in dated)
    after = StoryClusterer(StoryParams(), state, now=latest + 3600).assign([undated])
    assert [a.story_id for a in [*before, *after]] == [a.story_id for a in one]


# A record's names as score.py passes them: a dict made from a frozenset, in hash-seed order.
_AGREEMENT = """
import math
from crawler.stories.dating import name_agreement
names = [f"Name{i}" for i in range(40)]
theirs = {n: 1 + i % 5 for i, n in enumerate(names[10:])}
idf = lambda ns: [math.log(1000 / (1 + int(n[4:]) * 7 % 97)) + 0.1 / (1 + int(n[4:])) for n in ns]
print(repr(name_agreement(dict.fromkeys(frozenset(names[:30]), 1), theirs, idf)))
"""


def test_name_agreement_is_the_same_float_under_any_hash_seed() -> None:
    # Before, its sums ran in the names' hash order: seeds 0 and 3 gave ...644 and ...643.
    said = {subprocess.run([sys.executable, "-c", _AGREEMENT], capture_output=True, text=True,
                           check=True, cwd=REPO,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("0", "1", "3")}
    assert len(said) == 1 and 0 < float(said.pop()) < 1
