"""StoryClusterer: assign/flush/evict against a MemoryStoryState, determinism, split runs."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from crawler.errors import IncompatibleState
from crawler.models import StoredStory
from crawler.stories import (
    MemoryStoryState,
    StoryAssignment,
    StoryClusterer,
    StoryDoc,
    StoryLink,
    StoryParams,
)
from tests.stories.shared import story_clusters

DAY = 86400.0
T0 = datetime(2024, 12, 20, tzinfo=UTC).timestamp()


def doc(id_: str, title: str, text: str | None = None, *, at: float | None = T0,
        duplicate_of: str | None = None, language: str = "en") -> StoryDoc:
    return StoryDoc(id_, title, text, language, at, "example.org", duplicate_of)


def stories(assignments: list[StoryAssignment]) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for a in assignments:
        groups[a.story_id].add(a.id)
    return sorted(groups.values(), key=min)


def test_seed_pair_is_one_story_and_a_threat_is_another() -> None:
    clusterer = StoryClusterer(StoryParams(), MemoryStoryState())
    got = clusterer.assign([
        doc("a", "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)", language="de"),
        doc("b", "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)", at=T0 + 3600,
            language="de"),
        doc("c", "Putin droht der Ukraine", at=T0 + 7200, language="de"),
    ])
    assert stories(got) == [{"a", "b"}, {"c"}]
    assert got[0].link is None
    assert got[1].link is not None and got[1].link.rule == "title"
    assert got[1].link.record_id == "a"
    assert got[0].story_id.startswith("s") and len(got[0].story_id) == 17


def test_copy_joins_its_originals_story_from_an_earlier_run() -> None:
    state = MemoryStoryState()
    first = StoryClusterer(StoryParams(), state)
    [original] = first.assign([doc("orig", "Quake strikes the coast of Peru")])
    first.flush()
    second = StoryClusterer(StoryParams(), state)
    [copy] = second.assign([doc("copy", "Something else entirely, reworded", at=T0 + DAY,
                                duplicate_of="orig")])
    assert copy.story_id == original.story_id
    assert copy.link == StoryLink("orig", 1.0, (), "duplicate")


def test_flush_saves_changed_stories_and_evict_forgets_old_ones() -> None:
    state = MemoryStoryState()
    clusterer = StoryClusterer(StoryParams(window_days=3), state, now=T0 + 10 * DAY)
    old, new = clusterer.assign([doc("old", "Floods in Valencia", at=T0),
                                 doc("new", "Election in Ghana", at=T0 + 9 * DAY)])
    assert state.rows == {}  # nothing before flush: the records are not written yet
    clusterer.flush()
    assert set(state.rows) == {old.story_id, new.story_id}
    clusterer.evict()
    assert set(state.rows) == {new.story_id}


def test_a_payload_of_another_version_is_an_error() -> None:
    state = MemoryStoryState()
    state.save_stories([StoredStory("s0123456789abcdef", T0, b"\x92\x09\xa1x")])
    clusterer = StoryClusterer(StoryParams(), state)
    with pytest.raises(IncompatibleState):
        clusterer.assign([doc("a", "Anything", at=T0)])


def _rows(topics: int = 4) -> list[dict[str, str]]:
    rows = [r for r in story_clusters() if r["title_kind"] == "headline" and r["published"]]
    keep = sorted({r["topic"] for r in rows})[:topics]
    return [r for r in rows if r["topic"] in keep]


def _doc_of(row: dict[str, str]) -> StoryDoc:
    ts = datetime.fromisoformat(row["published"]).replace(tzinfo=UTC).timestamp()
    return StoryDoc(row["id"], row["title"], row["text"], "en", ts, row["source"] or "", None)


def test_same_records_in_any_order_give_the_same_stories() -> None:
    docs = [_doc_of(r) for r in _rows()]
    shuffled = list(docs)
    random.Random(7).shuffle(shuffled)
    one = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    two = StoryClusterer(StoryParams(), MemoryStoryState()).assign(shuffled)
    assert sorted((a.id, a.story_id, a.link) for a in one) == sorted(
        (a.id, a.story_id, a.link) for a in two)


def test_a_run_split_in_two_equals_one_run() -> None:
    docs = sorted((_doc_of(r) for r in _rows(6)), key=lambda d: (d.published, d.id))
    whole = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    state = MemoryStoryState()
    parts: list[StoryAssignment] = []
    for half in (docs[:len(docs) // 2], docs[len(docs) // 2:]):
        clusterer = StoryClusterer(StoryParams(), state)
        parts += clusterer.assign(half)
        clusterer.flush()
        clusterer.evict()
    assert len({a.story_id for a in whole}) < len(whole)  # stories with several members
    assert parts == whole


def test_two_celebrities_rehab_check_ins_years_apart_stay_apart() -> None:
    # story-clusters topic 1: Tara Reid's check-in (2008, undated lead-sentence rows) and
    # Lindsay Lohan's (2013, dated headline rows): one kind of event, other people.
    rows = [r for r in story_clusters() if r["topic"] == "ecb+/t1"]
    docs = [StoryDoc(r["id"], r["title"], r["text"], "en", _doc_of(r).published
                     if r["published"] else None, r["source"] or "", None) for r in rows]
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    events: dict[str, set[str]] = defaultdict(set)
    for row, assignment in zip(rows, got, strict=True):
        events[assignment.story_id].add(row["cluster"])
    assert all(len(clusters) == 1 for clusters in events.values())
    assert len(events) < len(rows) / 2  # and each event is mostly one story


def _made_up(n: int, rng: random.Random) -> str:
    return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(n))


def test_a_copy_finds_its_story_among_hundreds_sharing_common_words() -> None:
    # Every body shares the same frequent words; what sets a record apart are its names. A
    # band value that hundreds of records share answers with the earliest 256 only, so
    # signatures made of frequent words would hide a late record's story from its copy.
    rng = random.Random(3)
    common = " ".join(_made_up(3, rng) for _ in range(30))
    docs = []
    for i in range(400):
        names = " ".join(_made_up(3, rng).capitalize() for _ in range(4))
        text = f"{common} the report named {names} and {names} again"
        docs.append(doc(f"r{i:03d}", f"{_made_up(3, rng)} {_made_up(4, rng)} {_made_up(3, rng)}",
                        text, at=T0 + i * 60))
    original = docs[350]
    assert original.text is not None
    copy = doc("copy", "Another headline altogether", original.text, at=T0 + 400 * 60)
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([*docs, copy])
    assert got[-1].story_id == got[350].story_id
    assert len({a.story_id for a in got}) == 400


def test_feed_summaries_join_one_event_and_keep_a_retaliation_apart() -> None:
    # Titles and summaries only (written for this test about real events of July 2020).
    # A summary is a thin body: enough to tell that two outlets' headlines are one event,
    # with a stricter threshold than a full body, so the tit-for-tat consulate closures of
    # two days stay two stories.
    day = datetime(2020, 7, 22, tzinfo=UTC).timestamp()
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        doc("bolsonaro-1", "Brazil's president again tests positive for Covid-19",
            "Jair Bolsonaro, the president of Brazil, said on Wednesday that a new test for the"
            " coronavirus came back positive, his third since he fell ill two weeks ago.",
            at=day),
        doc("bolsonaro-2", "Bolsonaro tests positive for coronavirus a third time",
            "Brazilian President Jair Bolsonaro tested positive for the coronavirus again on"
            " Wednesday, two weeks after he first announced that he was infected.",
            at=day + 3600),
        doc("houston", "US orders China to close its consulate in Houston",
            "The State Department ordered China to close its consulate in Houston within 72"
            " hours, accusing its diplomats of helping to steal American trade secrets.",
            at=day + 7200),
        doc("chengdu", "China orders US to close its consulate in Chengdu",
            "Beijing ordered the United States to close its consulate in Chengdu, retaliating"
            " for the closure of the Chinese consulate in Houston earlier this week.",
            at=day + 2 * DAY),
    ])
    assert stories(got) == [{"bolsonaro-1", "bolsonaro-2"}, {"chengdu"}, {"houston"}]


def test_a_date_that_is_no_number_counts_as_undated() -> None:
    # NaN compares false with everything: sorted by it, the batch's order was arbitrary.
    docs = [doc("x", "Floods in Valencia", at=float("nan")),
            doc("y", "Floods in Valencia", at=T0), doc("z", "Floods in Valencia", at=T0 + 60)]
    one = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    two = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs[::-1])
    assert [a.link for a in one] == [a.link for a in two[::-1]]
    assert one[0].link is not None and one[0].link.record_id == "y"


def test_one_country_by_two_names_is_no_template_veto() -> None:
    # "Britain" and "UK" are one place (GB): as names of a title they must not read as two
    # places, or one event in two outlets' headlines is vetoed as a template's two events.
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign([
        doc("a", "Britain 'will suspend its extradition treaty with Hong Kong'",
            "The foreign secretary is expected to tell MPs that the treaty is suspended as the"
            " row with Beijing over the security law deepens.", at=T0),
        doc("b", "UK to suspend Hong Kong extradition treaty amid China tensions",
            "The government suspended the extradition treaty with Hong Kong on Monday and"
            " extended an arms embargo, in answer to the new security law.", at=T0 + 3600),
    ])
    assert got[1].story_id == got[0].story_id


def test_a_story_of_hundreds_of_copies_stays_small() -> None:
    # 600 copies of one article (a syndicated piece, a feed that repeats itself): one story,
    # whose stored payload does not grow with every copy's signature.
    text = " ".join(f"Report {n} on the Valencia floods and the rescue in Paiporta"
                    for n in range(8))
    docs = [doc(f"c{n:03d}", "Floods in Valencia: rescue goes on", text, at=T0 + n)
            for n in range(600)]
    state = MemoryStoryState()
    clusterer = StoryClusterer(StoryParams(), state)
    assert len({a.story_id for a in clusterer.assign(docs)}) == 1
    clusterer.flush()
    [row] = state.rows.values()
    assert len(row.payload) < 50_000  # 85,000 bytes when every copy kept its signature


def test_a_follow_up_weeks_later_joins_on_strong_evidence_only() -> None:
    # A check-out weeks after the check-in is one event (story-clusters labels them so): past
    # fresh_days a record still joins, with stale_margin more score than a same-week one.
    body = ("The actress Maria Quenby checked into the Cliffside rehabilitation clinic in"
            " Malibu on Monday, her spokesman Dario Felt said, after weeks of reports about"
            " her health. Quenby entered the Cliffside programme voluntarily, Felt said.")
    later = ("Maria Quenby left the Cliffside rehabilitation clinic in Malibu on Friday, her"
             " spokesman Dario Felt said, three weeks after she checked in. Felt said Quenby"
             " completed the Cliffside programme.")
    docs = [doc("in", "Maria Quenby checks into Cliffside rehab", body, at=T0),
            doc("out", "Quenby leaves Cliffside clinic", later, at=T0 + 21 * DAY)]
    joined = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    assert joined[1].story_id == joined[0].story_id
    assert joined[1].link is not None and joined[1].link.rule == "content"
    # The margin: a score that joins within the week is not enough three weeks on.
    score = joined[1].link.similarity
    strict = StoryParams(content_threshold=score - 0.01, summary_threshold=score - 0.01,
                         stale_margin=0.02)
    assert len({a.story_id for a in StoryClusterer(strict, MemoryStoryState()).assign(docs)}) == 2
    week = [docs[0], doc("out", docs[1].title, later, at=T0 + 6 * DAY)]
    assert len({a.story_id for a in StoryClusterer(strict, MemoryStoryState()).assign(week)}) == 1
    # Past the window nothing joins.
    apart = [docs[0], doc("out", docs[1].title, later, at=T0 + 70 * DAY)]
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(apart)
    assert len({a.story_id for a in got}) == 2


def test_band_hits_stay_exact_however_many_records_a_batch_queries(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A candidate needs 2 shared bands; a query past lsh._HELD_AT_MOST entries removed its
    # repeated pairs, and with them those hits, so a record's candidates hung on how many
    # records were queried with it. With the bound at two records' worth of entries (each
    # meets at most BUCKET_CAP records in each of 32 bands), one batch must decide as it does
    # with the bound out of reach.
    rng = random.Random(5)
    people = [" ".join(_made_up(3, rng).capitalize() for _ in range(3)) for _ in range(20)]
    docs = [doc(f"r{i:03d}", f"{people[i % 20]} {_made_up(4, rng)} {_made_up(3, rng)}",
                f"Reports named {people[i % 20]} and {people[i % 20]} again today.",
                at=T0 + i * 60) for i in range(120)]
    whole = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    monkeypatch.setattr("crawler.dedup.lsh._HELD_AT_MOST", 2 * 256 * 32)
    tight = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    assert [a.story_id for a in tight] == [a.story_id for a in whole]
    assert len({a.story_id for a in whole}) < len(docs)  # the batch did find candidates


def test_a_clusterer_without_a_state_gives_a_memory_states_stories() -> None:
    # policywire dedup keeps no stories after its run (state None: nothing encoded). Batches
    # out of time order make the second clusterer reload from its state, and a short window
    # evicts between them: the state never holds a story the clusterer does not.
    rows = [r for r in story_clusters() if r["published"]]
    docs = [_doc_of(r) for r in rows]
    random.Random(3).shuffle(docs)
    params = StoryParams(window_days=5)
    kept, unkept = StoryClusterer(params, MemoryStoryState()), StoryClusterer(params, None)
    got: dict[str, list[StoryAssignment]] = {"kept": [], "unkept": []}
    for at in range(0, len(docs), 40):
        for name, clusterer in (("kept", kept), ("unkept", unkept)):
            got[name] += clusterer.assign(docs[at:at + 40])
            clusterer.flush()
            clusterer.evict()
    assert len({a.story_id for a in got["kept"]}) < len(docs)  # stories of several members
    assert got["unkept"] == got["kept"]


DECREE = ("Russian President Vladimir Putin signed a decree on Friday that allows the"
          " government to take temporary control of assets held by companies from countries"
          " that froze Russian central bank reserves over the war in Ukraine. ") * 3


def test_a_revised_record_does_not_name_itself_as_what_it_matched() -> None:
    # A crawl writes a changed article again under its id with revision + 1; the story layer
    # scores it against its story, whose member is its own first revision: the trial site's
    # revised decree article wrote story_match {record_id: its own id, similarity 1.1153},
    # where the schema says a story's first record has none.
    text = DECREE
    first = StoryDoc("decree", "Putin signs decree allowing seizure of Western assets", text,
                     "en", T0, "defence-daily", None)
    clusterer = StoryClusterer(StoryParams(), MemoryStoryState())
    [was] = clusterer.assign([first])
    [now] = clusterer.assign([StoryDoc(first.id, first.title + " (UPDATE)", text, "en", T0,
                                       "defence-daily", None)])
    assert now.story_id == was.story_id
    assert now.link is None or now.link.record_id != first.id


def test_a_revision_of_a_later_member_names_the_story_s_other_record() -> None:
    text = DECREE
    first = StoryDoc("wire", "Putin signs decree allowing seizure of Western assets", text,
                     "en", T0, "wire", None)
    later = StoryDoc("desk", "Putin decree allows seizure of Western companies' assets", text,
                     "en", T0 + 600, "desk", None)
    clusterer = StoryClusterer(StoryParams(), MemoryStoryState())
    [_, joined] = clusterer.assign([first, later])
    assert joined.link is not None and joined.link.record_id == "wire"
    [revised] = clusterer.assign([StoryDoc("desk", later.title + " (UPDATE)", text, "en",
                                           T0 + 600, "desk", None)])
    assert revised.story_id == joined.story_id
    assert revised.link is not None and revised.link.record_id == "wire"
