"""The story layer's candidate pairs: each row's top pairs, and any pair's hits."""

from __future__ import annotations

import pickle
import random
from datetime import UTC, datetime

import numpy as np

from crawler.dedup.lsh import BandIndex
from crawler.dedup.signatures import Signer
from crawler.stories import (
    MemoryStoryState,
    ProfileBatch,
    Profiler,
    StoryClusterer,
    StoryDoc,
    StoryParams,
)
from crawler.stories.candidates import (
    CROWDED,
    HeldPairs,
    batch_pairs,
    counted,
    query,
    top_stories,
)
from tests.stories.shared import story_clusters


def _pairs(rng: random.Random, rows: int, width: int) -> dict[tuple[int, int], int]:
    return {(rng.randrange(rows), rng.randrange(width)): rng.randint(2, 6)
            for _ in range(rng.randint(0, rows * width // 2))}


def test_each_rows_top_pairs_are_its_most_hit_stories_ties_by_name() -> None:
    rng = random.Random(5)
    for _ in range(200):
        rows, width, most = rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 4)
        pairs = _pairs(rng, rows, width)
        codes = sorted(row * width + owner for row, owner in pairs)
        held = HeldPairs(np.array(codes, dtype=np.int64),
                         np.array([pairs[divmod(c, width)] for c in codes], dtype=np.int64),
                         width, rows)
        names = [f"s{owner}" for owner in range(width)]
        top = held.top(most, names, np.argsort(names).argsort())
        for row in range(rows):
            mine = {owner: n for (r, owner), n in pairs.items() if r == row}
            ranked = sorted((-n, f"s{owner}") for owner, n in mine.items())
            assert top[row] == {name: -n for n, name in ranked[:most]}
            assert all(held.hits(row, owner) == mine.get(owner, 0) for owner in range(width))


def test_pairs_are_counted_as_unique_counts_them_whatever_their_width() -> None:
    # Codes that fit an int32 are sorted as int32s (faster), the others as they are: the
    # same distinct codes, as int64, and counts either way.
    rng = np.random.default_rng(3)
    for highest in (1, 5_000, 2**31 - 1, 2**31, 2**45):
        codes = rng.integers(0, highest, 20_000, dtype=np.int64, endpoint=True)
        distinct, counts = np.unique(codes, return_counts=True)
        for least in (1, 2):
            pairs, hits = counted(codes, least)
            assert pairs.dtype == np.int64
            assert pairs.tolist() == distinct[counts >= least].tolist()
            assert hits.tolist() == counts[counts >= least].tolist()
    assert [len(a) for a in counted(np.zeros(0, dtype=np.int64), 1)] == [0, 0]


def test_no_pairs_give_no_top_and_no_hits() -> None:
    held = HeldPairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 1, 3)
    assert held.top(30, ["s0"], np.zeros(1)) == [{}, {}, {}] and held.hits(2, 0) == 0


def test_a_band_value_of_many_stories_answers_nothing_one_of_many_copies_answers() -> None:
    params = StoryParams()
    signer = Signer(params.lsh_num_perm, 1, "affine32", "xxh32")
    crowd = signer.values([("common", "shared")] * (CROWDED + 1))
    index = BandIndex(params.lsh_threshold, params.lsh_num_perm)
    index.add(np.arange(len(crowd)), crowd)
    asked = crowd[:1]
    many = np.arange(len(crowd), dtype=np.int64)  # each signature a story of its own
    assert not len(query(index, asked, params.lsh_num_perm, many)[0])
    one = np.zeros(len(crowd), dtype=np.int64)  # all of them copies in one story
    assert len(query(index, asked, params.lsh_num_perm, one)[0]) == len(crowd) * index.b


def test_a_band_value_of_many_of_a_batchs_reports_pairs_none_one_of_many_copies_pairs() -> None:
    # The batch's own records, of no story yet, count by signature: more than CROWDED
    # reports sharing a band value (a frequent title word as the band's minimum) pair none
    # of them in that band; CROWDED of them still do, and any number of copies of one
    # report (one signature) count once.
    params = StoryParams()
    shared = Signer(params.lsh_num_perm, 1, "affine32", "xxh32").values([("shared",)])[0]

    def pairs(reports: int, copies: bool = False) -> int:
        # Every band the same but the last, which is each report's own (or the same value
        # for all: copies).
        values = np.repeat(shared[None, :], reports, axis=0)
        if not copies:
            values[:, -1] = np.arange(reports, dtype=values.dtype) + 1
        return len(batch_pairs(values, params, np.arange(reports)).earlier)

    assert pairs(CROWDED) == CROWDED * (CROWDED - 1) // 2
    assert pairs(CROWDED + 1) == 0
    assert pairs(CROWDED * 3, copies=True) == 3 * CROWDED * (3 * CROWDED - 1) // 2


def test_sketches_made_ahead_give_the_stories_made_without_them() -> None:
    # What the worker of `policywire dedup` makes ahead (Profiler.sketches, of a batch in its
    # read order) stands in for what the clusterer would make; sketches of other records
    # than the batch's are not used.
    params = StoryParams()
    profiler = Profiler(params)
    rows = [r for r in story_clusters() if r["published"]]
    profiles = [profiler(StoryDoc(r["id"], r["title"], r["text"], "en",
                                  datetime.fromisoformat(r["published"]).replace(tzinfo=UTC)
                                  .timestamp(), r["source"] or "", None))
                for r in random.Random(3).sample(rows, len(rows))]
    batches = [profiles[at:at + 60] for at in range(0, len(profiles), 60)]
    plain = StoryClusterer(params, MemoryStoryState())
    ahead = StoryClusterer(params, MemoryStoryState())
    other = StoryClusterer(params, MemoryStoryState())
    for number, batch in enumerate(batches):
        expected = plain.assign_profiles(batch)
        assert ahead.assign_profiles(batch, profiler.sketches(batch)) == expected
        stranger = profiler.sketches(batches[number - 1])
        assert other.assign_profiles(batch, stranger) == expected
    assert len({a.story_id for a in expected}) < len(expected)  # some records joined stories


def test_a_batch_of_profiles_crosses_a_pickle_whole() -> None:
    # The worker sends each batch's profiles as columns (ProfileBatch): every field of every
    # profile, with and without a body, dated and not, comes back equal, and the sketches too.
    profiler = Profiler(StoryParams())
    rows = story_clusters()[:40]
    profiles = [profiler(StoryDoc(r["id"], r["title"], r["text"] if n % 3 else None,
                                  "en" if n % 2 else None, None if n % 5 == 0 else 1e9 + n,
                                  r["source"] or "", "x" if n % 7 == 0 else None))
                for n, r in enumerate(rows)]
    sketches = profiler.sketches(profiles)
    back = pickle.loads(pickle.dumps(ProfileBatch(profiles, sketches)))
    assert back.profiles == profiles
    assert [type(p.check) for p in back.profiles] == [type(p.check) for p in profiles]
    assert back.sketches is not None and back.sketches.ids == sketches.ids
    assert (back.sketches.values == sketches.values).all()
    assert pickle.loads(pickle.dumps(ProfileBatch([], None))) == ProfileBatch([], None)


def test_a_rows_top_stories_are_those_of_most_hits_ties_by_id() -> None:
    rng = random.Random(11)
    for _ in range(300):
        hits = {f"s{rng.randrange(60):02d}": rng.randint(2, 5) for _ in range(rng.randint(0, 50))}
        most = rng.randint(1, 35)
        ranked = [s for _, s in sorted((-n, s) for s, n in hits.items())][:most]
        assert top_stories(hits, most, ranked=True) == ranked
        chosen = top_stories(hits, most, ranked=False)
        assert sorted(chosen) == sorted(ranked) and len(chosen) == len(ranked)
