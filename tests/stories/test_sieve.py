"""TitleSieve: a bare title it calls unreachable could join no story by its title, held or
begun earlier in the batch; evicted stories' titles leave it, merged ones follow."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import numpy as np

from crawler.stories import Profiler, StoryClusterer, StoryDoc
from crawler.stories.params import StoryParams
from crawler.stories.sieve import (
    QUERY_TOKENS,
    TitleSieve,
    least_meetings,
    pair_codes,
    title_pairs,
)
from tests.stories.shared import story_clusters


def _reachable(title: frozenset[str], others: list[frozenset[str]], params: StoryParams
               ) -> bool:
    """What the scorer's title rule allows (crawler.stories.score.Scorer._title)."""
    for other in others:
        shared = len(title & other)
        union = len(title) + len(other) - shared
        if shared >= params.min_shared_title and shared / union >= params.title_threshold:
            return True
    return False


def _titles(rng: random.Random, count: int) -> list[frozenset[str]]:
    # A small vocabulary: many titles share two or three words, some four or more.
    words = [f"w{i}" for i in range(40)]
    return [frozenset(rng.sample(words, rng.randint(2, QUERY_TOKENS + 3)))
            for _ in range(count)]


def test_unreachable_titles_are_exactly_those_no_held_or_earlier_title_comes_near() -> None:
    params = StoryParams()
    sieve = TitleSieve(params.title_threshold, params.min_shared_title)
    rng = random.Random(18)
    held: dict[str, frozenset[str]] = {}
    for batch_number in range(6):  # runs of pairs merged on the way
        titles = _titles(rng, 300)
        rows = np.arange(len(titles))
        got = sieve.unreachable(title_pairs(titles), rows).tolist()
        # Token ids distinct (40 words, 31-bit hashes): the pair counts are exact, so the
        # sieve is exact; a title too long to be sieved is never called unreachable.
        expected = [len(t) <= QUERY_TOKENS
                    and not _reachable(t, [*held.values(), *titles[:i]], params)
                    for i, t in enumerate(titles)]
        assert got == expected
        assert 0 < sum(got) < len(got)  # both kinds met
        ids = [f"s{batch_number}-{i}" for i in rows.tolist()]
        sieve.add(ids, title_pairs(titles))
        held.update(zip(ids, titles, strict=True))
        evicted = rng.sample(sorted(held), 150)  # their titles must not count any more
        sieve.drop(evicted)
        for story_id in evicted:
            del held[story_id]


def test_pair_codes_are_32_bit_while_they_fit_and_keep_every_pair() -> None:
    row = np.array([0, 3, 3, 4999], dtype=np.int64)
    other = np.array([7, 0, 858_992, 858_992], dtype=np.int64)
    for width, dtype in ((858_993, np.uint32), (858_994, np.int64), (1 << 40, np.int64)):
        codes = pair_codes(row, other, width)
        assert codes.dtype == dtype
        back = codes.astype(np.int64)
        assert (back // width).tolist() == row.tolist()
        assert (back % width).tolist() == other.tolist()
    assert pair_codes(row[:0], other[:0], 5).tolist() == []


def test_no_pair_met_fewer_times_than_least_meetings_reaches_the_threshold() -> None:
    # The bound TitleSieve._reached applies, by brute force over what a pair can be: its
    # title's size, the other's, and how often they met.
    for threshold in (0.2, 0.45, 0.5, 0.75, 1.0, 1.5):
        for size in range(2, QUERY_TOKENS + 1):
            least = least_meetings(size, threshold)
            for other in range(1, 60):
                for count in range(80):
                    shared = min(math.floor((1 + math.sqrt(1 + 8 * count)) / 2 + 1e-6),
                                 size, other)
                    if shared >= 2 and shared / (size + other - shared) >= threshold:
                        assert count >= least, (threshold, size, other, count)
    # ... and it is no looser than needed: a title met by its own tokens' pairs reaches.
    assert least_meetings(6, 0.45) == 3 and least_meetings(7, 0.45) == 6


def test_only_the_rows_asked_are_answered() -> None:
    params = StoryParams()
    sieve = TitleSieve(params.title_threshold, params.min_shared_title)
    titles = [frozenset({"quake", "peru", "coast"}), frozenset({"quake", "peru", "coast"}),
              frozenset({"fire", "lisbon", "port"})]
    # Row 1 repeats row 0: not unreachable, though row 0 is not asked about.
    assert sieve.unreachable(title_pairs(titles), np.array([1, 2])).tolist() == [False, True]


def test_evicted_stories_titles_leave_and_merged_ones_follow_their_story() -> None:
    params = StoryParams()
    sieve = TitleSieve(params.title_threshold, params.min_shared_title)
    quake, fire = frozenset({"quake", "peru", "coast"}), frozenset({"fire", "lisbon", "port"})
    sieve.add(["s1", "s2"], title_pairs([quake, fire]))
    assert sieve.unreachable(title_pairs([quake, fire]), np.array([0, 1])).tolist() == [
        False, False]
    sieve.merged("s1", "s2")  # s2's titles are s1's now
    sieve.drop(["s2"])  # merged away already: nothing leaves
    assert sieve.unreachable(title_pairs([fire]), np.array([0])).tolist() == [False]
    sieve.drop(["s1"])
    assert sieve.unreachable(title_pairs([quake]), np.array([0])).tolist() == [True]
    assert sieve.unreachable(title_pairs([fire]), np.array([0])).tolist() == [True]


def test_a_threshold_of_zero_or_one_shared_token_turns_it_off() -> None:
    titles = [frozenset({"quake", "peru"}), frozenset({"fire", "lisbon"})]
    for threshold, least in ((0.0, 2), (0.45, 1)):
        sieve = TitleSieve(threshold, least)
        assert not sieve.on
        assert sieve.unreachable(title_pairs(titles), np.array([0, 1])).tolist() == [False] * 2


def test_bare_titles_pairs_are_left_to_the_clusterer_which_makes_those_it_needs() -> None:
    params = StoryParams()
    at = datetime(2024, 12, 20, tzinfo=UTC).timestamp()
    docs = [StoryDoc("a", "Quake strikes the coast of Peru near Lima", None, "en", at,
                     "example.org", None),
            StoryDoc("b", "Fire destroys the old port of Lisbon", None, "en", at + 60,
                     "example.org", None),
            # Within the title threshold of "a": the sieve lets it through to its search.
            StoryDoc("c", "Quake strikes coast of Peru near Lima, dozens hurt", None, "en",
                     at + 120, "example.org", None)]
    profiler = Profiler(params)
    profiles = [profiler(d) for d in docs]
    sketches = profiler.sketches(profiles)
    assert not sketches.pairs.asked.any()  # bare titles: none made ahead
    ahead = StoryClusterer(params, None).assign_profiles(profiles, sketches)
    here = StoryClusterer(params, None).assign(docs)
    assert ahead == here
    assert ahead[2].story_id == ahead[0].story_id != ahead[1].story_id


def test_the_sieve_changes_no_story_of_real_titles_as_bare_titles() -> None:
    """Story-clusters' real titles without their bodies (undated ones too), in batches so
    that held stories are met: the same stories with the sieve as without it. A rule that
    let a bare title join by anything but a member title's similarity would break this."""
    rows = story_clusters()
    docs = [StoryDoc(r["id"], r["title"], None, "en",
                     datetime.fromisoformat(r["published"]).timestamp() if r["published"]
                     else None, r["source"] or "", None) for r in rows]
    docs.sort(key=lambda d: (d.published is None, d.published or 0.0, d.id))
    runs = []
    for sieve in (True, False):
        clusterer = StoryClusterer(StoryParams(), None, sieve=sieve)
        runs.append([a for at in range(0, len(docs), 60)
                     for a in clusterer.assign(docs[at:at + 60])])
    assert runs[0] == runs[1]
    assert sum(a.link is not None for a in runs[0]) >= 20  # titles joining by title met
