"""A story's band hits with a record are counted the same whether the story is held from an
earlier run (:class:`StoryBands`) or begun earlier in the batch (:func:`batch_pairs`), and
``min_band_hits`` applies to the total (issue 18: a run split in two gave other stories)."""

from __future__ import annotations

import numpy as np

from crawler.dedup.lsh import BandIndex
from crawler.stories.bands import StoryBands
from crawler.stories.candidates import batch_pairs, enough
from crawler.stories.params import StoryParams


def _three_members_one_band_each(params: StoryParams) -> np.ndarray:
    """Signatures of three members of one story and, last, a record sharing one band (of
    ``rows`` values) with each member, and no other value with any of them."""
    bands, rows = BandIndex(params.lsh_threshold, params.lsh_num_perm).bands
    width = params.lsh_num_perm
    values = np.arange(4 * width, dtype=np.uint32).reshape(4, width) + 1000
    for member in range(3):
        band = slice(member * rows, (member + 1) * rows)
        values[member, band] = values[3, band]
    assert bands >= 3
    return values


def test_a_story_begun_in_the_batch_counts_its_members_band_hits_as_a_held_one() -> None:
    params = StoryParams()
    assert params.min_band_hits == 2  # so that one band a member is too few, three enough
    values = _three_members_one_band_each(params)
    held = StoryBands(params)
    held.add(["s1", "s1", "s1"], values[:3])
    top, _ = held.candidates(values, np.array([3]))
    fresh = batch_pairs(values, params, np.array([3]))
    first, last = fresh.starts[3], fresh.starts[4]
    assert sorted(fresh.earlier[first:last].tolist()) == [0, 1, 2]
    in_batch = {"s1": int(fresh.hits[first:last].sum())}
    assert top[3] == in_batch == {"s1": 3}
    assert enough(in_batch, params.min_band_hits) == {"s1": 3}
    assert enough({"s1": 1, "s2": 2}, params.min_band_hits) == {"s2": 2}


def test_a_batchs_pairs_travel_in_narrow_arrays_with_the_same_values() -> None:
    # What the worker pickles and the clusterer unpickles a batch (via the main process):
    # int32 rows and one byte a band count, not int64 (a quarter of the bytes).
    params = StoryParams()
    values = _three_members_one_band_each(params)
    fresh = batch_pairs(values, params, np.arange(4))
    assert fresh.earlier.dtype == np.int32 and fresh.hits.dtype == np.uint8
    first, last = fresh.starts[3], fresh.starts[4]
    assert sorted(fresh.earlier[first:last].tolist()) == [0, 1, 2]
    assert fresh.hits[first:last].tolist() == [1, 1, 1]
    assert all(type(n) is int for n in fresh.hits.tolist())
