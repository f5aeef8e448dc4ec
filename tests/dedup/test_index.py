"""StoryIndex: stories for batches, determinism, persistence, the window."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from crawler.dedup import (
    Decision,
    DedupParams,
    Doc,
    MemoryStore,
    StoredSignature,
    StoryIndex,
    lsh,
    story_id_for,
)
from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.verify import Features, features_of, verify
from crawler.errors import IncompatibleState
from crawler.state import StateStore

PARAMS = DedupParams()
NOW = 1_717_200_000.0  # 2024-06-01


def _doc(key: str, title: str, published: str | None = "2024-05-30T10:00:00Z",
         language: str | None = "en", text: str | None = None) -> Doc:
    return Doc(id=key, url=f"https://{key}.example/article", title=title, text=text,
               language=language, published=published, source=key)


BATCH = [
    _doc("a1", "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
         "2024-05-30T10:00:00Z", "de"),
    _doc("a2", "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)", "2024-05-30T09:00:00Z",
         "de"),
    _doc("b1", "EU agrees 14th sanctions package against Russia - Reuters"),
    _doc("b2", "EU agrees 14th package of sanctions against Russia | DW", "2024-05-30T11:00:00Z"),
    _doc("c1", "EU agrees 15th sanctions package against Russia"),
    _doc("d1", "Tag 412 des Krieges: Angriffe auf Charkiw", language="de"),
    _doc("d2", "Tag 413 des Krieges: Angriffe auf Charkiw", language="de"),
    _doc("e1", "Putin droht der Ukraine", language="de"),
    _doc("e2", "Putin scheitert in der Ukraine", language=None, published=None),
]


def _stories(decisions: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {d.id: d.story_id for d in decisions}


def test_a_pair_one_token_short_made_up_by_a_compound_is_one_story() -> None:
    # Window.pairs() must let the LSH candidate through for verify() to accept it.
    docs = [_doc("k1", "Marine meldet Ostseekabelschaden", language="de"),
            _doc("k2", "Marine meldet Schaden am Ostseekabel", "2024-05-30T11:00:00Z", "de"),
            _doc("k3", "Marine meldet Ausfall in der Nordsee", "2024-05-30T12:00:00Z", "de")]
    stories = _stories(StoryIndex(PARAMS, now=NOW).assign(docs))
    assert stories["k1"] == stories["k2"] != stories["k3"]


def test_seed_pair_merges_and_hard_negatives_do_not() -> None:
    stories = _stories(StoryIndex(PARAMS, now=NOW).assign(BATCH))
    assert stories["a1"] == stories["a2"]
    assert stories["b1"] == stories["b2"]
    assert len({stories["b1"], stories["c1"]}) == 2
    assert len({stories["d1"], stories["d2"]}) == 2
    assert len({stories["e1"], stories["e2"], stories["a1"]}) >= 2
    assert stories["e1"] != stories["a1"]


def test_a_place_named_in_other_words_merges_through_the_index() -> None:
    # The window's bound on the title similarity allows for place words pairing off
    # (verify.place_pairs): 3 of 8 tokens shared, and "spain" / "spanish" share no affix
    # key, so without it the pair was dropped before verify().
    stories = _stories(StoryIndex(PARAMS, now=NOW).assign([
        _doc("s1", "Spain quietly blocks NATO membership bid"),
        _doc("s2", "Spanish parliament blocks NATO bid")]))
    assert stories["s1"] == stories["s2"]


def test_canonical_is_earliest_published_and_names_the_story() -> None:
    decisions = {d.id: d for d in StoryIndex(PARAMS, now=NOW).assign(BATCH)}
    assert decisions["a2"].duplicate_of is None
    assert decisions["a2"].evidence is None
    assert decisions["a1"].duplicate_of == "a2"
    assert decisions["a1"].story_id == story_id_for("a2")
    evidence = decisions["a1"].evidence
    assert evidence is not None
    assert (evidence.rule, evidence.title_similarity, evidence.matched_id) == ("title", 1.0, "a2")


def test_same_time_canonical_is_lowest_url() -> None:
    docs = [_doc("z", "EU agrees 14th sanctions package against Russia"),
            _doc("y", "EU agrees 14th sanctions package against Russia")]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert [d.duplicate_of for d in decisions] == ["y", None]


@pytest.mark.parametrize("seed", range(5))
def test_batch_order_does_not_change_stories(seed: int) -> None:
    expected = _stories(StoryIndex(PARAMS, now=NOW).assign(BATCH))
    shuffled = BATCH[:]
    random.Random(seed).shuffle(shuffled)
    decisions = StoryIndex(PARAMS, now=NOW).assign(shuffled)
    assert [d.id for d in decisions] == [d.id for d in shuffled]
    assert _stories(decisions) == expected


def test_rerun_adds_no_duplicates_and_no_new_stories() -> None:
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    decisions = first.assign(BATCH)
    first.flush()
    stored = len(store)
    again = StoryIndex(PARAMS, store, now=NOW)
    rerun = again.assign(BATCH)
    assert again.pending() == []
    again.flush()
    assert len(store) == stored == len(BATCH)
    assert _stories(rerun) == _stories(decisions)
    assert [d.duplicate_of for d in rerun] == [d.duplicate_of for d in decisions]


def test_repeated_id_in_one_batch_is_one_record() -> None:
    index = StoryIndex(PARAMS, now=NOW)
    decisions = index.assign([BATCH[0], BATCH[0]])
    assert decisions[0] == decisions[1]
    assert len(index.pending()) == 1


def test_new_record_joins_stored_story_and_keeps_its_canonical() -> None:
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    first.assign(BATCH)
    first.flush()
    late = _doc("a0", "Putin scheitert am Ukraine-Krieg, sagt die NATO (VIDEO)",
                "2024-05-29T08:00:00Z", "de")  # published before the stored canonical
    decision = StoryIndex(PARAMS, store, now=NOW).assign([late])[0]
    assert decision.story_id == story_id_for("a2")
    assert decision.duplicate_of == "a2"


def test_match_of_two_stored_stories_joins_the_earliest() -> None:
    store = MemoryStore()
    index = StoryIndex(PARAMS, store, now=NOW)
    index.assign([_doc("old", "Germany sends Patriot air defence systems to Ukraine",
                       "2024-05-01T00:00:00Z")])
    index.assign([_doc("new", "Germany sends more Patriot systems to Ukraine, Scholz says",
                       "2024-05-20T00:00:00Z")])
    both = _doc("x", "Scholz: Germany sends more Patriot air defence systems to Ukraine")
    decision = index.assign([both])[0]
    assert decision.story_id == story_id_for("old")


# A record that agrees with the canonicals of two stories of one actor: the earlier story
# is another event ("Irak unterstützt ..."), the later one its near-copy.
TWO_STORIES = [
    _doc("irak", "Irak unterstützt das ägyptische Vorgehen gegen Mohamed-Morsi-Anhänger",
         "2024-05-28T10:00:00Z", "de"),
    _doc("mursi", "Mursi als ägyptischer Präsident vereidigt", "2024-05-29T10:00:00Z", "de"),
    _doc("morsi", "Mohamed Morsi als ägyptischer Präsident vereidigt", "2024-05-30T10:00:00Z",
         "de"),
]


def _features(docs: list[Doc], language: str) -> list[Features]:
    tokenizer = default_tokenizer()
    return [features_of(tokenizer, tokenizer.title_tokens(d.title, language), 0.0, language)
            for d in docs]


def _second_run_in_sqlite(tmp_path: Path, first: list[Doc], second: Doc) -> Decision:
    """The decision on ``second`` in a run after one that stored ``first`` in SQLite."""
    state = StateStore(tmp_path)
    index = StoryIndex(PARAMS, state, now=NOW)
    index.assign(first)
    index.flush()
    state.close()
    state = StateStore(tmp_path)
    decision = StoryIndex(PARAMS, state, now=NOW).assign([second])[0]
    state.close()
    return decision


def test_the_two_stories_are_as_described() -> None:
    irak, mursi, morsi = _features(TWO_STORIES, "de")
    assert not verify(irak, mursi, PARAMS).same
    assert verify(morsi, irak, PARAMS).same and verify(morsi, mursi, PARAMS).same
    assert (verify(morsi, mursi, PARAMS).title_similarity
            > verify(morsi, irak, PARAMS).title_similarity)


@pytest.mark.parametrize("seed", range(4))
def test_a_record_joins_the_story_whose_canonical_it_is_most_alike(seed: int) -> None:
    # Before, it joined the story with the earliest canonical: "Irak ...".
    docs = list(TWO_STORIES)
    random.Random(seed).shuffle(docs)
    decisions = {d.id: d for d in StoryIndex(PARAMS, now=NOW).assign(docs)}
    assert decisions["morsi"].duplicate_of == "mursi"
    assert decisions["morsi"].story_id == story_id_for("mursi")
    assert decisions["irak"].duplicate_of is None


def test_the_most_alike_story_is_joined_across_runs_in_sqlite(tmp_path: Path) -> None:
    decision = _second_run_in_sqlite(tmp_path, TWO_STORIES[:2], TWO_STORIES[2])
    assert decision.duplicate_of == "mursi"


def test_flush_writes_pending_only_when_asked() -> None:
    store = MemoryStore()
    index = StoryIndex(PARAMS, store, now=NOW)
    index.assign(BATCH[:2])
    assert len(index.pending()) == 2
    assert len(store) == 0
    index.flush()
    assert len(store) == 2
    assert index.pending() == []
    row = next(iter(store.load(0.0)))
    assert isinstance(row, StoredSignature)
    assert all(" " not in token for token in row.title_tokens)


DAY = 86400.0


def test_window_evicts_from_index_and_store() -> None:
    store = MemoryStore()
    index = StoryIndex(PARAMS, store, now=NOW)
    old = _doc("old", "EU agrees 14th sanctions package against Russia", "2024-04-01T00:00:00Z")
    index.assign([old, BATCH[2]])
    index.flush()
    # Both entered the window now: published two months ago or not, they stay 30 days.
    assert index.evict() == 0 and "old" in index
    assert index.evict(now=NOW + 29 * DAY) == 0
    assert index.evict(now=NOW + 31 * DAY) == 2
    assert "old" not in index and list(store.load(0.0)) == []
    # What left the window is no longer matched: a new copy starts a story of its own.
    again = _doc("old2", "EU agrees 14th sanctions package against Russia",
                 "2024-03-31T00:00:00Z")
    assert StoryIndex(PARAMS, store, now=NOW).assign([again])[0].duplicate_of is None


def test_a_backfill_split_over_two_runs_matches_as_one_run() -> None:
    # Published two months before the clock (a sitemap of old articles): before, the first
    # run's evict() dropped them and the next run (a day later) loaded none, so the copy
    # started a story of its own; one run matched the two.
    old = _doc("old", "EU agrees 14th sanctions package against Russia", "2024-04-01T00:00:00Z")
    copy = _doc("copy", "EU agrees 14th sanctions package against Russia",
                "2024-04-01T02:00:00Z")
    one = StoryIndex(PARAMS, MemoryStore(), now=NOW).assign([old, copy])
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    first.assign([old])
    first.flush()
    first.evict()
    second = StoryIndex(PARAMS, store, now=NOW + DAY)
    assert second.assign([copy]) == one[1:] and one[1].duplicate_of == "old"


def test_store_loads_only_the_window() -> None:
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    first.assign([_doc("old", "EU agrees sanctions package", "2024-01-01T00:00:00Z")])
    first.flush()
    assert "old" in StoryIndex(PARAMS, store, now=NOW + 29 * DAY)
    assert "old" not in StoryIndex(PARAMS, store, now=NOW + 31 * DAY)


def test_store_with_other_fingerprint_raises() -> None:
    store = MemoryStore(fingerprint=DedupParams(num_perm=64).fingerprint())
    with pytest.raises(IncompatibleState, match="other parameters"):
        StoryIndex(PARAMS, store, now=NOW)


def test_fresh_store_gets_the_fingerprint() -> None:
    store = MemoryStore()
    StoryIndex(PARAMS, store, now=NOW)
    assert store.params_fingerprint() == PARAMS.fingerprint()


def test_rerun_of_a_duplicate_keeps_evidence_against_its_canonical() -> None:
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    first.assign(BATCH)
    first.flush()
    decision = StoryIndex(PARAMS, store, now=NOW).assign([BATCH[0]])[0]
    assert decision.duplicate_of == "a2"
    assert decision.evidence is not None
    assert (decision.evidence.rule, decision.evidence.matched_id) == ("known", "a2")


def test_stop_word_only_titles_are_not_merged() -> None:
    docs = [_doc("s1", "What is it?"), _doc("s2", "Who is he?")]
    stories = _stories(StoryIndex(PARAMS, now=NOW).assign(docs))
    assert stories["s1"] != stories["s2"]


def test_bodies_merge_rewritten_headlines() -> None:
    body = " ".join(f"Satz {n} über die Lage an der Front und die Lieferung von Munition."
                    for n in range(12))
    docs = [_doc("w1", "Kiew meldet schwere Kämpfe im Osten", language="de", text=body),
            _doc("w2", "Front im Donbass unter Druck", language="de", text=body)]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert decisions[0].story_id == decisions[1].story_id
    assert any(d.evidence and d.evidence.rule == "body" for d in decisions)


CHAIN = [  # A and B are one story, B and C are one story, A and C are not
    _doc("ca", "Putin says Russia will win the war in Ukraine soon", "2024-05-30T08:00:00Z"),
    _doc("cb", "Putin says Russia will win the war in Ukraine, warns the West",
         "2024-05-30T09:00:00Z"),
    _doc("cc", "Putin warns the West over Ukraine war escalation", "2024-05-30T10:00:00Z"),
]


def test_the_chain_is_as_described() -> None:
    ca, cb, cc = _features(CHAIN, "en")
    assert verify(ca, cb, PARAMS).same and verify(cb, cc, PARAMS).same
    assert not verify(ca, cc, PARAMS).same


@pytest.mark.parametrize("seed", range(4))
def test_a_record_joins_a_story_only_with_its_canonical(seed: int) -> None:
    docs = list(CHAIN)
    random.Random(seed).shuffle(docs)
    stories = _stories(StoryIndex(PARAMS, now=NOW).assign(docs))
    assert stories["cb"] == stories["ca"] == story_id_for("ca")
    assert stories["cc"] == story_id_for("cc")  # not chained into A's story through B


def test_an_undated_copy_joins_a_story_dated_long_before_now() -> None:
    # An archive: its undated record is taken to be as recent as the batch's newest dated
    # one. Dated "now", it lay beyond the window of every dated copy and stood alone.
    docs = [_doc("old1", "Pistorius kündigt neue Patriot-Systeme für die Ukraine an",
                 "2023-01-10T10:00:00Z", "de"),
            _doc("old2", "Pistorius kündigt neue Patriot-Systeme für die Ukraine an",
                 None, "de")]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert decisions[1].duplicate_of == decisions[0].id


def test_an_undated_copy_joins_its_story_in_an_archive_longer_than_the_window() -> None:
    # The batch's newest dated record is a year after the story: dated like it, the undated
    # copy lay beyond the window; no time apart vetoes an undated record.
    title = "Pistorius kündigt neue Patriot-Systeme für die Ukraine an"
    docs = [_doc("d1", title, "2024-04-01T10:00:00Z", "de"),
            _doc("d2", title, None, "de"),
            _doc("d3", "Bundestag beschließt neuen Wehrdienst", "2025-06-01T10:00:00Z", "de")]
    decisions = {d.id: d for d in StoryIndex(PARAMS, now=NOW + 400 * 86_400).assign(docs)}
    assert decisions["d2"].duplicate_of == "d1"


def test_a_stored_story_is_joined_only_through_its_canonical() -> None:
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    first.assign(CHAIN[:2])
    first.flush()
    decision = StoryIndex(PARAMS, store, now=NOW).assign([CHAIN[2]])[0]
    assert decision.story_id == story_id_for("cc")
    assert decision.duplicate_of is None


def test_one_title_thousands_of_times_is_one_story(monkeypatch: pytest.MonkeyPatch) -> None:
    # A capped band value answers for the batch's first records only: a later record of the
    # batch finds its pairs through their answers (the pair is kept from either side).
    monkeypatch.setattr(lsh, "BUCKET_CAP", 20)
    docs = [_doc(f"r{n:04d}", "Ukraine-Krieg im Liveticker", language="de",
                 published=f"2024-05-{1 + n % 28:02d}T10:00:00Z") for n in range(600)]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert len({d.story_id for d in decisions}) == 1
    assert sum(d.duplicate_of is None for d in decisions) == 1


PAYWALL = ("Dieser Artikel ist nur für Abonnentinnen und Abonnenten verfügbar. Sichern Sie sich"
           " jetzt unbegrenzten Zugang zu allen Artikeln, Analysen und Hintergründen unserer"
           " Redaktion. Im ersten Monat lesen Sie für nur einen Euro, danach jederzeit kündbar."
           " Sie sind bereits Abonnent? Dann melden Sie sich hier mit Ihrem Konto an und lesen"
           " Sie weiter, ohne Werbung und mit allen Vorteilen unseres digitalen Angebots.")
HEADLINES = [f"{who} {verb} {what}" for who in ("Bundeswehr", "Nato", "Iran", "China", "Israel")
             for verb in ("bestellt", "stoppt", "prüft") for what in ("Panzer", "Drohnen")]


def test_a_sites_paywall_notice_merges_no_stories() -> None:
    # The same notice as the body of 30 different headlines over four weeks is boilerplate:
    # before, the body rule made them one story.
    docs = [_doc(f"p{n:02d}", title, f"2024-05-{1 + n % 28:02d}T10:00:00Z", "de", PAYWALL)
            for n, title in enumerate(HEADLINES)]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert len({d.story_id for d in decisions}) == len(HEADLINES)


def test_wire_copy_under_many_headlines_within_a_day_still_merges() -> None:
    docs = [_doc(f"w{n:02d}", title, f"2024-05-20T{n % 24:02d}:00:00Z", "de", PAYWALL)
            for n, title in enumerate(HEADLINES[:20])]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert len({d.story_id for d in decisions}) == 1
    assert {d.evidence.rule for d in decisions if d.evidence} == {"body"}


def test_a_paywall_notice_met_again_in_a_later_run_merges_nothing() -> None:
    # The notice's earlier pages come from the store, not from this batch: the crowd counts.
    store = MemoryStore()
    first = StoryIndex(PARAMS, store, now=NOW)
    first.assign([_doc(f"p{n:02d}", title, f"2024-05-{1 + 2 * n:02d}T10:00:00Z", "de", PAYWALL)
                  for n, title in enumerate(HEADLINES[:12])])
    first.flush()
    late = _doc("new", "Bundeswehr testet Raketenabwehr", "2024-05-30T10:00:00Z", "de", PAYWALL)
    decision = StoryIndex(PARAMS, store, now=NOW).assign([late])[0]
    assert decision.duplicate_of is None


def test_a_first_crawl_of_a_paywalled_site_merges_nothing_by_its_notice() -> None:
    # Twelve pages of one site within a day: too close in time for the spread to tell, but
    # wire copy comes from many outlets, a notice from one.
    docs = [Doc(id=f"z{n:02d}", url=f"https://zeitung.example/{n}", title=title, text=PAYWALL,
                language="de", published=f"2024-05-20T{n:02d}:00:00Z", source="zeitung")
            for n, title in enumerate(HEADLINES[:12])]
    decisions = StoryIndex(PARAMS, now=NOW).assign(docs)
    assert len({d.story_id for d in decisions}) == 12


def test_a_paywalled_site_crawled_a_few_pages_a_run_merges_nothing_after_its_first_run(
        tmp_path: Path) -> None:
    # Cron: four pages of one site a run, all within a day, through the SQLite state. The
    # stored pages count as the site's own only if the state keeps their source: before, each
    # later run's pages joined the first run's story by the notice.
    pages = [Doc(id=f"z{n:02d}", url=f"https://zeitung.example/{n}", title=title, text=PAYWALL,
                 language="de", published=f"2024-05-20T{n:02d}:00:00Z", source="zeitung")
             for n, title in enumerate(HEADLINES[:12])]
    later: list[Decision] = []
    for run in range(3):
        state = StateStore(tmp_path)
        index = StoryIndex(PARAMS, state, now=NOW)
        decisions = index.assign(pages[4 * run:4 * run + 4])
        index.flush()
        state.close()
        later += decisions if run else []
    # The first run's four pages are below the count and merge (see BOILERPLATE_COPIES).
    assert [d.duplicate_of for d in later] == [None] * 8


CONTRADICTION = [  # B and C each agree with A, but name different packages
    _doc("sa", "EU adopts new sanctions package against Russia", "2024-05-30T08:00:00Z"),
    _doc("sb", "EU adopts 13th sanctions package against Russia", "2024-05-30T09:00:00Z"),
    _doc("sc", "EU adopts 14th sanctions package against Russia", "2024-05-30T10:00:00Z"),
]


def test_the_contradiction_is_as_described() -> None:
    sa, sb, sc = _features(CONTRADICTION, "en")
    assert verify(sa, sb, PARAMS).same and verify(sa, sc, PARAMS).same
    assert verify(sb, sc, PARAMS).rule == "numbers"


@pytest.mark.parametrize("seed", range(4))
def test_a_record_joins_no_story_holding_a_record_it_contradicts(seed: int) -> None:
    # Before, "14th" joined A's story as "13th" had: two packages, one story through A.
    docs = list(CONTRADICTION)
    random.Random(seed).shuffle(docs)
    stories = _stories(StoryIndex(PARAMS, now=NOW).assign(docs))
    assert stories["sb"] == stories["sa"] == story_id_for("sa")
    assert stories["sc"] == story_id_for("sc")


def test_a_stored_record_bars_a_contradicting_one_in_a_later_run(tmp_path: Path) -> None:
    decision = _second_run_in_sqlite(tmp_path, CONTRADICTION[:2], CONTRADICTION[2])
    assert decision.story_id == story_id_for("sc") and decision.duplicate_of is None
