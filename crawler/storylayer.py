"""The story layer on top of the near-duplicate layer: what every writer of records shares.

The near-duplicate layer (:mod:`crawler.dedup`) decides which record copies which; the story
layer (:mod:`crawler.stories`) groups records into stories, one event across outlets, given
those decisions. Three writers use both — the crawl's merge stage (:mod:`crawler.merge`, and
through it the scale-out merger), ``policywire dedup`` and ``reindex`` (:mod:`crawler.jobs`)
— and this module is what they share: the story state's parameter check, a record as the
story layer sees it, a story link as a record field, and the story layer over a stream of
near-duplicate decisions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import asdict
from typing import Any, Protocol, TypeVar

from crawler.dedup import Decision, Doc
from crawler.dedup.params import DedupParams
from crawler.dedup.prepare import parse_timestamp
from crawler.dedup.stream import BATCH_SIZE, Decided, dedup_batches, dedup_items
from crawler.dedup.verify import Title
from crawler.errors import IncompatibleState
from crawler.models import StoryMatch
from crawler.stories import (
    ProfileBatch,
    Profiler,
    StoryAssignment,
    StoryClusterer,
    StoryDoc,
    StoryLink,
    StoryParams,
    StoryState,
)
from crawler.storystage import Held, Made, assigned, copies, sketched, staged, storied

P = TypeVar("P")

class StoryMarks(Protocol):
    """What a state says of the parameters its signatures and stories were made with (the
    crawl's states, and a read-only look at one: :class:`crawler.state.meta.StoredMeta`)."""

    @property
    def namespace(self) -> str | None: ...
    def story_params_fingerprint(self) -> str | None: ...
    def story_params_values(self) -> str | None: ...
    def params_fingerprint(self) -> str | None: ...


class StoryStore(StoryState, StoryMarks, Protocol):
    """A story state that also keeps the parameters its stories were made with (the crawl's
    SQLite and Redis states: :class:`crawler.state.State`)."""

    def set_story_params_fingerprint(self, fp: str) -> None: ...
    def set_story_params_values(self, values: str) -> None: ...


#: The story parameters a user sets on policywire's command line, by field.
STORY_OPTIONS = {"window_days": "--story-window-days", "content_threshold": "--story-threshold",
                 "scene_bonus": "--story-scene-bonus"}


def check_stories(store: StoryMarks, params: StoryParams) -> None:
    """Raise :class:`IncompatibleState` (exit 78) when ``store``'s stories were made with
    other parameters, or when it holds signatures of a version without stories (its output
    names duplicate groups as stories). The message names the parameters that differ when
    the state kept their values, and the way on for its kind: ``policywire reindex`` for a
    state directory, a new ``--namespace`` for a shared Redis state (which reindex cannot
    rebuild)."""
    found, expected = store.story_params_fingerprint(), params.fingerprint()
    remedy = way_on(store.namespace)
    if found is None and store.params_fingerprint() is not None:
        raise IncompatibleState(
            "the state was made by a version without stories (its records' story_id names"
            f" a near-duplicate group); {remedy}")
    if found is not None and found != expected:
        said, options, setting = _what_differs(store.story_params_values(), params, found,
                                               expected)
        if not options:
            raise IncompatibleState(f"{said}; {remedy}")
        if store.namespace is not None:  # a Redis state: enqueue takes the --story-* options
            raise IncompatibleState(f"{said}: enqueue with {options}, or {remedy}")
        raise IncompatibleState(f"{said}: rerun with {options} (scrapy crawl: -s"
                                f" 'POLICYWIRE_STORY_PARAMS={setting}'), or {remedy}")


def mark_stories(store: StoryStore, params: StoryParams) -> None:
    """Store ``params``' fingerprint beside the stories, and their values, so that a run with
    other ones is refused with the values named (:func:`check_stories`)."""
    store.set_story_params_fingerprint(params.fingerprint())
    store.set_story_params_values(json.dumps(asdict(params), sort_keys=True))


def _what_differs(stored: str | None, params: StoryParams, found: str, expected: str
                  ) -> tuple[str, str, str]:
    """The parameters the stories were made with against this run's, the options that would
    give a run the former ("" when no option sets them all), and the same as a
    POLICYWIRE_STORY_PARAMS setting."""
    try:
        made = json.loads(stored) if stored is not None else None
    except ValueError:
        made = None
    if not isinstance(made, dict):  # a state of a version that stored the fingerprint only
        return (f"stored stories were made with other parameters (fingerprint {found}, this"
                f" run's {expected}); the state keeps only that fingerprint (it was made by a"
                " version that stored no values), so which ones cannot be told", "", "")
    differ = {name: (made.get(name), value) for name, value in asdict(params).items()
              if made.get(name) != value}
    if not differ:
        return (f"stored stories were made by another version's story matching (the same"
                f" parameters, fingerprint {found} against {expected})", "", "")
    said = "stories were made with " + ", ".join(
        f"{name}={_shown(was)} (this run: {_shown(now)})" for name, (was, now) in differ.items())
    if not all(name in STORY_OPTIONS for name in differ):
        return (f"{said}: a default of another version, or a POLICYWIRE_STORY_PARAMS setting",
                "", "")
    options = " ".join(f"{STORY_OPTIONS[name]} {_shown(was)}" for name, (was, _) in differ.items())
    setting = json.dumps({name: was for name, (was, _) in differ.items()})
    return said, options, setting


def _shown(value: object) -> str:
    # repr: the shortest text that reads back as the same float (0.2 stays 0.2, 20.0 is 20);
    # :g kept six digits, so the option it suggested for 0.1234567891 was refused again.
    return repr(value).removesuffix(".0") if isinstance(value, float) else str(value)


def way_on(namespace: str | None) -> str:
    """What remakes the stories: reindex for a state directory; a Redis namespace it cannot
    rebuild, so a new one (docs/scaleout.md)."""
    if namespace is not None:
        return ("`policywire reindex` rebuilds a state directory only: enqueue and work in a"
                f" --namespace other than {namespace!r} (its first round fetches every entry"
                " again; docs/scaleout.md)")
    return ("remake them from the records written so far with `policywire reindex --output-dir"
            " DIR --state-dir DIR` and the --story-* options to crawl with (seen entries"
            " stay: the next crawl is still incremental)")


def open_stories(store: StoryStore, params: StoryParams, now: float | None = None
                 ) -> StoryClusterer:
    """A clusterer over ``store`` once its parameters check out (:func:`check_stories`);
    a new state is marked with ``params``. Before the near-duplicate index opens the same
    state: that one marks it with its own parameters. The state keeps a story
    ``window_days`` from the last run that added to it (``by_run``, crawler.stories.held)."""
    check_stories(store, params)
    if store.story_params_fingerprint() is None:
        mark_stories(store, params)
    return StoryClusterer(params, store, now=now, by_run=True)


def story_doc(doc: Doc, duplicate_of: str | None, lead_chars: int | None = None) -> StoryDoc:
    """A record as the story layer sees it, with the near-duplicate layer's decision; of
    its text and summary the first ``lead_chars`` characters (None: all), what the story
    layer reads (:attr:`StoryParams.lead_chars`)."""
    text, summary = doc.text, doc.summary
    if lead_chars is not None:
        text, summary = _lead(text, lead_chars), _lead(summary, lead_chars)
    return StoryDoc(id=doc.id, title=doc.title, text=text, language=doc.language,
                    published=parse_timestamp(doc.published), source=doc.source,
                    duplicate_of=duplicate_of, summary=summary)


def _lead(text: str | None, chars: int) -> str | None:
    return text[:chars] if text is not None and len(text) > chars else text


def story_match(link: StoryLink | None) -> StoryMatch | None:
    """A story link as the record's ``story_match`` field."""
    if link is None:
        return None
    return StoryMatch(record_id=link.record_id, similarity=link.similarity,
                      shared_names=list(link.shared_names), rule=link.rule)


class StoryProfiles:
    """The story layer's work beside the near-duplicate layer's preparing (a
    :class:`crawler.dedup.prepare.Companion`): each record's story profile, made where its
    slice of the batch is prepared, which in ``policywire dedup`` is the worker that reads
    the input or, for the share it hands over, the main process when it has nothing else to
    do (:func:`crawler.dedup.stream.dedup_batches`); and the batch's sketches
    (:meth:`Profiler.sketches`), made by whoever holds the whole batch. The title's tokens,
    made for the profile, are the near-duplicate layer's as well (~13 us a record,
    measured). The near-duplicate decision is not known yet: :func:`with_stories` adds it.

    ``packed``: the batch's profiles and sketches cross to another process as their pickled
    bytes (:class:`Held`), which arrive as bytes (:class:`Packed`): the main process passes
    a batch the input's worker made on to the clusterer's process (:func:`staged`) without
    unpickling it, and the clusterer reads it. The sketches are made where the batch is
    whole, before the clusterer when it can (~0.25 of its ~1.6 CPU s a batch of 5,000
    articles, and it is the stage the others wait for: measured in benchmarks/README.md);
    a shared batch's parts are sketched by whichever of the main process and the clusterer
    is idle (:func:`crawler.storystage.staged`)."""

    def __init__(self, params: StoryParams, *, packed: bool = False) -> None:
        self._profiler = Profiler(params)
        self._lead_chars = params.lead_chars
        self._packed = packed

    @property
    def lead_chars(self) -> int:
        return self._lead_chars

    def part(self, docs: Sequence[Doc], leads: Iterable[list[str] | None] | None = None,
             titles: Sequence[Title] | None = None) -> ProfileBatch | Held:
        # A profile's doc keeps the lead of its text and summary only: the story layer reads
        # no further (StoryParams.lead_chars), and the rest went to the main process with it
        # for nothing (half the bytes pickled of a generated article's profile). ``leads``:
        # the folded words of their leads, and ``titles`` their titles read, where the
        # preparing made them (Companion).
        chars = self._lead_chars
        none = [None] * len(docs)
        profiles = [self._profiler(story_doc(doc, None, chars), lead, title)
                    for doc, lead, title in zip(docs, leads or none, titles or none,
                                                strict=True)]
        made = ProfileBatch(profiles, None)
        return Held(made) if self._packed else made

    def whole(self, parts: Sequence[Any]) -> ProfileBatch | Made:
        if not self._packed:
            return sketched(parts, self._profiler)
        if all(isinstance(part, Held) for part in parts):  # all made here: the input's worker
            return Held(sketched(parts, self._profiler))
        return list(parts)  # a shared batch: sketched by whoever is idle (storystage.staged)


def with_stories(batches: Iterable[Decided[P]], clusterer: StoryClusterer
                 ) -> Iterator[tuple[Decision | None, StoryAssignment | None, P]]:
    """The story of each decision of a near-duplicate stream's batches whose records carry
    their story profiles (:class:`StoryProfiles`, a :class:`ProfileBatch` a batch); an item
    without a decision passes through with none. Stories are flushed to the clusterer's
    state and evicted once the consumer took a batch (the generator resumes only then)."""
    for pairs, made in batches:
        yield from storied(pairs, assigned(clusterer, made, copies(pairs)))
        clusterer.flush()
        clusterer.evict()


def both_levels(items: Iterable[tuple[Doc | None, P]], params: DedupParams,
                clusterer: StoryClusterer | StoryParams | None, parallel: bool, *,
                batch_size: int = BATCH_SIZE
                ) -> Iterator[tuple[Decision | None, StoryAssignment | None, P]]:
    """Each item of a near-duplicate stream's input with its decision and its story (None
    without a clusterer: ``policywire dedup --no-stories``); the story profiles are made where
    the items are prepared (:class:`StoryProfiles`). ``parallel``: the stories of a
    clusterer without a state are found in a process of their own, a batch behind the
    near-duplicate layer (:func:`staged`); one with a state stays here, as its saves must
    (none of ``policywire dedup``'s has one). ``clusterer`` as :class:`StoryParams`: one
    without a state, built where it runs (parallel: in its process, after the fork)."""
    if clusterer is None:
        for decision, payload in dedup_items(items, params, batch_size=batch_size,
                                             parallel=parallel):
            yield decision, None, payload
        return
    story_params = clusterer if isinstance(clusterer, StoryParams) else clusterer.params
    if not parallel or (isinstance(clusterer, StoryClusterer) and clusterer.state is not None):
        here = (StoryClusterer(clusterer, None) if isinstance(clusterer, StoryParams)
                else clusterer)
        yield from with_stories(dedup_batches(items, params, batch_size=batch_size,
                                              parallel=parallel, companion=StoryProfiles(
                                                  story_params)), here)
        return
    batches = dedup_batches(items, params, batch_size=batch_size, parallel=True,
                            companion=StoryProfiles(story_params, packed=True))
    with closing(batches):  # its worker stopped at once, not when the generator is collected
        yield from staged(batches, clusterer)


__all__ = ["StoryMarks", "StoryProfiles", "StoryStore", "both_levels", "check_stories",
           "mark_stories", "open_stories", "story_doc", "story_match", "with_stories"]
