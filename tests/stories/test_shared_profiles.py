"""Story profiles made where the near-duplicate layer prepares, shared like its preparing.

``policywire dedup``'s worker hands the caller the later half of a batch when the caller has
nothing to do (crawler.dedup.stream._share); the story profiles of those records are then
made by the caller, and the batch's sketches by whoever holds the whole batch."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace

import numpy as np
import pytest

from crawler.dedup import DedupParams, Doc
from crawler.dedup import stream as stream_module
from crawler.dedup.fold import fold_words
from crawler.dedup.prepare import Prepared, Preparer
from crawler.dedup.stream import _prepared, _Raw, _share, _Shared
from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.verify import Title, read_title
from crawler.stories import ProfileBatch, Profiler, StoryClusterer, StoryParams
from crawler.storylayer import StoryProfiles, both_levels, story_doc
from tests.dedup.test_stream import _AsksLater
from tests.stories.shared import story_clusters

PARAMS = DedupParams()


def _docs(count: int) -> list[Doc]:
    """Real news rows (story-clusters), half with their body, one undated, in no order."""
    rows = story_clusters()[:count]
    return [Doc(id=r["id"], url=r["url"], title=r["title"], text=r["text"] if n % 2 else None,
                language="en", source=r["source"] or "",
                published=None if n == 3 else f"2024-03-{1 + (n * 7) % 20:02d}T10:00:00Z")
            for n, r in enumerate(rows)]


def _same(a: ProfileBatch, b: ProfileBatch) -> bool:
    assert a.sketches is not None and b.sketches is not None
    return (a.profiles == b.profiles and a.sketches.ids == b.sketches.ids
            and np.array_equal(a.sketches.values, b.sketches.values))


def test_a_shared_batch_carries_every_records_profile_made_on_the_side_that_prepared_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream_module, "STEP", 6)
    preparer = Preparer(PARAMS, now=1.8e9, companion=StoryProfiles(StoryParams()))
    docs = _docs(24)
    raw = _Raw(docs, list(range(len(docs))), [])
    caller, worker = multiprocessing.Pipe()
    caller.send(None)  # the caller asks once the worker has prepared its first step
    head = _share(preparer, raw, _AsksLater(worker, 2))  # type: ignore[arg-type]
    shared, _ = caller.recv()
    assert isinstance(shared, _Shared) and isinstance(head, Prepared)
    # The worker profiled what it prepared (6 + 9), no sketches yet: the batch is not whole.
    assert [p.doc.id for part in head.attached for p in part.profiles] == head.ids
    assert [part.sketches for part in head.attached] == [None, None]
    tail = preparer.prepare(shared.ordered)  # the caller's share, profiled by the caller
    assert [p.doc.id for p in tail.attached[0].profiles] == tail.ids and len(tail.ids) == 9
    (whole,) = preparer.finished([head, tail]).attached
    (alone,) = _prepared(preparer, raw).prepared.attached
    assert _same(whole, alone)
    profiler = Profiler(StoryParams())
    by_hand = [profiler(story_doc(doc, None, StoryParams().lead_chars))
               for doc in preparer.ordered(docs).docs]
    assert _same(whole, ProfileBatch(by_hand, profiler.sketches(by_hand)))


def test_a_profile_travels_with_its_texts_lead_only_and_reads_as_of_the_whole_text() -> None:
    params = StoryParams()
    docs = [replace(doc, text=doc.text and doc.text * 3, summary=doc.text) for doc in _docs(16)]
    assert any(len(doc.text or "") > params.lead_chars for doc in docs)
    (made,) = Preparer(PARAMS, now=1.8e9, companion=StoryProfiles(params))(docs).attached
    assert all(len(p.doc.text or "") <= params.lead_chars
               and len(p.doc.summary or "") <= params.lead_chars for p in made.profiles)
    # Every feature is the one the whole text gives: the story layer reads no further.
    profiler = Profiler(params)
    whole = {doc.id: profiler(story_doc(doc, None)) for doc in docs}
    assert [replace(p, doc=whole[p.doc.id].doc) for p in made.profiles] == [
        whole[p.doc.id] for p in made.profiles]


def test_the_title_tokens_of_the_profiles_are_the_near_duplicate_layers() -> None:
    docs = _docs(12)
    (made,) = Preparer(PARAMS, now=1.8e9, companion=StoryProfiles(StoryParams()))(
        docs).attached
    plain = Preparer(PARAMS, now=1.8e9)(docs)
    assert [p.title for p in made.profiles] == [f.tokens for f in plain.features]


def test_a_profile_reads_the_words_made_for_its_lead_only_where_the_lead_is_its_text() -> None:
    profiler = Profiler(StoryParams())
    (row,) = [r for r in story_clusters()[:40] if len(r["text"] or "") > 600][:1]
    doc = story_doc(Doc(id=row["id"], url=row["url"], title=row["title"], text=row["text"],
                        language="en"), None, StoryParams().lead_chars)
    assert doc.text is not None
    made = profiler(doc)
    assert profiler(doc, fold_words(doc.text).split()) == made
    other = ["putin", "kremlin", "moscow"] * 40  # not its words: read, they change its terms
    assert profiler(doc, other).terms != made.terms
    # Its lead without a call to action (crawler.stories.summary) is no longer the text the
    # words were made of: they are not read.
    linked = replace(doc, text=f"{doc.text[:500]}. Follow us at https://x.example/live")
    assert profiler(linked, other) == profiler(linked)


def test_a_profile_reads_the_title_read_for_it_only_where_it_reads_that_title() -> None:
    profiler, tokenizer = Profiler(StoryParams()), default_tokenizer()

    def doc(title: str, language: str = "en") -> Doc:
        return Doc(id="a", url="https://a.example/1", title=title, text=None,
                   language=language, published="2024-03-01T10:00:00Z")

    def read(title: str, language: str = "en") -> Title:
        return read_title(tokenizer, tokenizer.title_tokens(title, language), language)

    vote = doc("Senate passes 14th Ukraine aid bill after Kyiv visit")
    title = read(vote.title)
    made = profiler(story_doc(vote, None), None, title)
    assert made == profiler(story_doc(vote, None))
    assert made.title is title.tokens and made.check.stances is title.stances
    # Another title's read is read (its tokens become the profile's) ...
    other = read("Paris bans diesel cars from 2030")
    assert profiler(story_doc(vote, None), None, other).title == other.tokens
    # ... but not where the story layer reads the title otherwise: the disease named as one
    # word (crawler.stories.synonyms), or a language the read was not made in.
    covid = doc("Brazil's president tests positive for Covid-19 again")
    plain = profiler(story_doc(covid, None))
    assert profiler(story_doc(covid, None), None, read(covid.title)) == plain
    british = profiler(story_doc(doc(vote.title, "en-GB"), None), None, title)
    assert british.check.stances is not title.stances
    assert british == profiler(story_doc(doc(vote.title, "en-GB"), None))


def test_a_prepared_title_is_read_once_for_both_layers() -> None:
    docs = [replace(d, title=f"Senate passes {n}th Ukraine aid bill after Kyiv visit {d.title}")
            for n, d in enumerate(_docs(6))]
    prepared = Preparer(PARAMS, now=1.8e9, companion=StoryProfiles(StoryParams()))(docs)
    (made,) = prepared.attached
    assert prepared.features == Preparer(PARAMS, now=1.8e9)(docs).features
    assert all(f.stances and f.numbers for f in prepared.features)
    assert all(f.stances is p.check.stances and f.numbers is p.check.numbers
               for f, p in zip(prepared.features, made.profiles, strict=True))


@pytest.mark.parametrize("parallel", [False, True])
def test_stories_of_a_stream_are_those_of_its_profiles_made_whole(parallel: bool) -> None:
    docs = _docs(30)
    items = [(doc, n) for n, doc in enumerate(docs)]
    items.insert(5, (None, "bad line"))  # type: ignore[arg-type]
    out = list(both_levels(items, PARAMS, StoryClusterer(StoryParams(), None), parallel))
    assert out[0] == (None, None, "bad line")
    assigned = {d.id: s for d, s, _ in out if d is not None}
    expected = StoryClusterer(StoryParams(), None).assign(
        [story_doc(doc, d.duplicate_of) for doc, (d, _, _) in zip(
            docs, [o for o in out if o[0] is not None], strict=True)])
    assert [assigned[doc.id] for doc in docs] == expected
