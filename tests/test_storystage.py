"""The story clusterer's process and what crosses to it (``policywire dedup``, parallel;
the flow through it is tested in tests/test_storylayer.py)."""

from __future__ import annotations

import pickle

import numpy as np

from crawler.dedup import DedupParams
from crawler.dedup.prepare import Preparer
from crawler.dedup.stream import dedup_batches
from crawler.stories import Profiler, StoryClusterer, StoryParams, eventkinds, eventwords, shown
from crawler.storylayer import StoryProfiles, story_doc
from crawler.storystage import (
    Held,
    Packed,
    answer_of,
    assigned,
    assignments,
    batch_of,
    copies,
    profiles_of,
    warm_tables,
)
from tests.test_storylayer import _items

PARAMS = DedupParams()


def _crossed(made: object) -> object:
    """``made`` as another process receives it (a pipe pickles what it sends)."""
    return pickle.loads(pickle.dumps(made, pickle.HIGHEST_PROTOCOL))


def test_a_packed_batch_crosses_with_its_sketches_made_where_it_was_whole() -> None:
    # Failed before: a packed batch crossed as its slices' bytes, the sketches made by the
    # clusterer's process (the stage the others wait for).
    docs = [doc for doc, _ in _items(24) if doc is not None]
    params = StoryParams()
    preparer = Preparer(PARAMS, now=1.8e9, companion=StoryProfiles(params, packed=True))
    (alone,) = Preparer(PARAMS, now=1.8e9, companion=StoryProfiles(params))(docs).attached
    (whole,) = preparer(docs).attached  # prepared whole, in the input's worker
    crossed = _crossed(whole)
    assert isinstance(crossed, Packed)  # the main process passes it on unread
    made = profiles_of(_crossed(crossed))  # and the clusterer's process reads it
    assert made.sketches is not None and alone.sketches is not None
    assert made.profiles == alone.profiles and made.sketches.ids == alone.sketches.ids
    assert np.array_equal(made.sketches.values, alone.sketches.values)
    # A shared batch: the worker's first slices cross to the main process, which joins
    # them with its own; the sketches are made by the main process (a busy clusterer) or
    # by the clusterer's (an idle one), the same either way.
    ordered = preparer.ordered(docs)
    head = _crossed(preparer.prepare(ordered[:10]))
    (joined,) = preparer.finished([head, preparer.prepare(ordered[10:])]).attached
    assert isinstance(joined, list)  # not sketched yet
    profiler = Profiler(params)
    for made in (batch_of(_crossed(joined), profiler),  # in the clusterer's process
                 profiles_of(_crossed(_crossed(Held(batch_of(joined, profiler)))))):
        assert made.sketches is not None and made.profiles == alone.profiles
        assert np.array_equal(made.sketches.values, alone.sketches.values)


def test_warmed_tables_are_all_the_clusterer_reads_for_its_first_english_records() -> None:
    # The clusterer's process reads them before its first batch (fails before: no such step,
    # the first batch read them, ~0.35 CPU s on the path the later batches wait on).
    tables = [eventwords.common_terms, shown._function_words, eventkinds._reaction_terms]
    for table in tables:
        table.cache_clear()
    warm_tables()
    read = [table.cache_info().misses for table in tables]
    assert all(read)
    docs = [doc for doc, _ in _items(30) if doc is not None]
    StoryClusterer(StoryParams(), None).assign([story_doc(d, None) for d in docs])
    assert [table.cache_info().misses for table in tables] == read


def test_a_batch_s_stories_cross_back_as_columns_and_are_rebuilt_equal() -> None:
    # Failed before: the clusterer's process sent its StoryAssignment objects, which pickle
    # rebuilds one generic __setstate__ each (~2 us an assignment, twice per record).
    params = StoryParams()
    ((pairs, made),) = dedup_batches(_items(40), PARAMS, batch_size=100, now=1.8e9,
                                     companion=StoryProfiles(params))
    assert pairs[0][0] is None  # the invalid line: no decision, no story
    stories = assigned(StoryClusterer(params, None), made, copies(pairs))
    assert any(story.link is not None for story in stories)  # links cross too
    assert any(story.link is None for story in stories)
    sent = pickle.dumps(answer_of(stories), pickle.HIGHEST_PROTOCOL)
    assert b"StoryAssignment" not in sent and b"StoryLink" not in sent
    assert assignments(pairs, pickle.loads(sent)) == stories
