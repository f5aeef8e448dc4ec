"""The story clusterer in a process of its own, a batch behind the near-duplicate layer
(``policywire dedup``, parallel: :func:`crawler.storylayer.both_levels`), and what crosses to
it: a batch's story profiles and sketches as their pickled bytes, and the near-duplicate
decisions whose stories it finds."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from operator import attrgetter
from typing import Any, TypeAlias, TypeVar

from crawler.dedup import Decision
from crawler.dedup.flowtrace import span
from crawler.dedup.pipes import receive
from crawler.dedup.stream import Decided, started_worker
from crawler.dedup.tokens import default_tokenizer
from crawler.errors import PolicywireError, WorkerFailed
from crawler.stories import (
    Profile,
    ProfileBatch,
    Profiler,
    StoryAssignment,
    StoryClusterer,
    StoryDoc,
    StoryLink,
    StoryParams,
)
from crawler.stories.eventkinds import reaction_terms
from crawler.stories.eventwords import common_terms
from crawler.stories.shown import shown_names

P = TypeVar("P")


class Held:
    """Profiles in the process that made them; pickled as their bytes (:class:`Packed`)."""

    __slots__ = ("batch",)

    def __init__(self, batch: ProfileBatch) -> None:
        self.batch = batch

    def __reduce__(self) -> tuple[Any, ...]:
        return Packed, (pickle.dumps(self.batch, pickle.HIGHEST_PROTOCOL),)


class Packed:
    """Profiles made in another process, as their pickled bytes (read by :func:`profiles_of`)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self) -> tuple[Any, ...]:
        return Packed, (self.data,)


#: A batch's profiles as they travel: with its sketches (one part: :class:`Held` where it
#: was made, :class:`Packed` elsewhere), or a shared batch's parts, not sketched yet.
Made: TypeAlias = "Held | Packed | list[Held | Packed]"


def profiles_of(part: ProfileBatch | Held | Packed) -> ProfileBatch:
    if isinstance(part, Packed):
        made: ProfileBatch = pickle.loads(part.data)
        return made
    return part.batch if isinstance(part, Held) else part


def sketched(parts: Sequence[ProfileBatch | Held | Packed], profiler: Profiler
             ) -> ProfileBatch:
    """A batch's profiles of its slices' parts, with the batch's sketches."""
    profiles = [profile for part in parts for profile in profiles_of(part).profiles]
    return ProfileBatch(profiles, profiler.sketches(profiles) if profiles else None)


def batch_of(made: Made, profiler: Profiler) -> ProfileBatch:
    """The profiles and sketches ``made`` holds, sketched here if they are not yet."""
    return sketched(made, profiler) if isinstance(made, list) else profiles_of(made)


def staged(batches: Iterator[Decided[P]], clusterer: StoryClusterer | StoryParams
           ) -> Iterator[tuple[Decision | None, StoryAssignment | None, P]]:
    """:func:`with_stories` with the clusterer in a forked process of its own: it finds the
    stories of batch k while this process assigns batch k+1 to the near-duplicate index and
    writes batch k-1 (the clusterer is serial, and was half of this process's CPU: measured
    in benchmarks/README.md). The clusterer's process gets each batch's decisions and its
    packed profiles (:class:`StoryProfiles`), and answers with the batch's stories; the pipe
    holds one batch each way, so memory holds about two batches more than without it.
    Decisions and stories are the same as :func:`with_stories`' (the same calls in the same
    order, in another process). ``clusterer`` as :class:`StoryParams`: a clusterer without
    a state, built in its process (:func:`_cluster`)."""
    # Forked before the input's worker and the index: it holds a copy of neither, and this
    # process's end of the worker's pipe is not in it (the worker sees this one's death).
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=True)
    worker = context.Process(target=_cluster, args=(clusterer, theirs, ours, os.getpid()),
                             daemon=True,
                             name="policywire-dedup-stories")
    worker.start()
    theirs.close()
    finished = False
    profiler: Profiler | None = None
    try:
        held: list[tuple[Decision | None, P]] | None = None  # the batch being clustered
        for number, (pairs, given) in enumerate(batches):
            made = given
            if held is not None and isinstance(made, list) and not ours.poll():
                # A shared batch's sketches (StoryProfiles.whole), made here while the
                # clusterer is still busy, as this process would wait for it; an idle
                # clusterer makes them (headlines: this process is the slower one).
                profiler = profiler or Profiler(clusterer if isinstance(
                    clusterer, StoryParams) else clusterer.params)
                with span("main", "sketch", number):
                    made = Held(sketched(made, profiler))
            # Batch k-1's stories before batch k is sent: the clusterer never waits to send
            # while this one waits to send (a pipe holds far less than a batch).
            with span("main", "recv-stories", number - 1):
                stories = assignments(held, _answer(ours, worker)) if held is not None else []
            with span("main", "send-stories", number):
                _ask(ours, (copies(pairs), made), worker)
            if held is not None:
                with span("main", "write", number - 1):
                    yield from storied(held, stories)
            held = pairs
        if held is not None:
            with span("main", "recv-stories"):
                stories = assignments(held, _answer(ours, worker))
            with span("main", "write"):
                yield from storied(held, stories)
        _ask(ours, None, worker)
        finished = True
    finally:
        ours.close()
        if not finished:  # stopped early (an error, Ctrl-C, a reader gone): nothing wanted
            worker.terminate()
        worker.join()


def _cluster(given: StoryClusterer | StoryParams, conn: Connection, parents: Connection,
             parent: int) -> None:
    """The clusterer's process: each batch's stories (:func:`staged`), until None or the
    pipe's end; a failure is sent to be raised in the parent."""
    started_worker(parents, parent)
    try:
        with span("stories", "warm"):
            # Built here, not before the fork: its band choice imports scipy.integrate
            # (~0.45 CPU s, crawler.dedup.sketchlib), which the parent then did on one
            # core before any worker started.
            clusterer = (StoryClusterer(given, None) if isinstance(given, StoryParams)
                         else given)
            warm_tables()
        profiler = Profiler(clusterer.params)
        number = 0
        while True:
            with span("stories", "recv", number):
                message = receive(conn)  # a batch's profiles in one buffer (~20 MB)
            if message is None:
                break
            with span("stories", "unpack", number):
                copies, packed = message
                made = batch_of(packed, profiler) if packed is not None else None
            with span("stories", "cluster", number):
                stories = assigned(clusterer, made, copies)
            with span("stories", "send", number):
                conn.send((answer_of(stories), None))
            with span("stories", "evict", number):
                clusterer.flush()
                clusterer.evict()
            number += 1
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the parent stopped
    except Exception as error:  # raised again in the parent
        conn.send((None, error))
    finally:
        conn.close()


#: The languages whose tables the clusterer's process reads before its first batch.
WARM_LANGUAGES = ("en",)


def warm_tables(languages: Sequence[str] = WARM_LANGUAGES) -> None:
    """Read the tables the clusterer reads on its first records of a language, once a
    process (wordfreq's common words at both floors, for the shown names and the event
    words; the function words; the reaction terms: ~0.6 CPU s for English, measured). The
    clusterer's process does it while the first batch is still being prepared, where it
    otherwise did it inside that batch, on the path every later batch waits on."""
    tokenizer = default_tokenizer()
    for language in languages:
        shown_names(tokenizer, frozenset(), language, frozenset(), {}, said=frozenset())
        common_terms(language)
        reaction_terms(tokenizer, language)


def _ask(conn: Connection, message: object, worker: BaseProcess) -> None:
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError):
        raise _failed(conn, worker) from None


#: A batch's stories as they cross back from the clusterer's process (:func:`answer_of`).
Answer: TypeAlias = tuple[list[str], dict[int, tuple[Any, ...]]]


def answer_of(stories: Sequence[StoryAssignment]) -> Answer:
    """``stories`` as plain columns: their story ids in order, and the fields of their links
    by position (a story's first record has none: ~80% of generated headlines). Pickle
    rebuilds a frozen slots dataclass through a generic ``__setstate__``: 5,000 assignments
    took ~10 ms each way; these columns ~0.6 ms to pickle and ~3.5 ms to unpickle and
    rebuild (:func:`assignments`; one process, measured in benchmarks/README.md)."""
    return ([story.story_id for story in stories],
            {at: _LINK_FIELDS(link) for at, story in enumerate(stories)
             if (link := story.link) is not None})


def assignments(pairs: Sequence[tuple[Decision | None, Any]], answer: Answer
                ) -> list[StoryAssignment]:
    """The stories :func:`answer_of` sent, of the decisions of ``pairs`` (its records, in
    order: the clusterer assigns the records of :func:`copies`)."""
    story_ids, links = answer
    found = [None if (link := links.get(at)) is None else StoryLink(*link)
             for at in range(len(story_ids))] if links else [None] * len(story_ids)
    ids = [decision.id for decision, _ in pairs if decision is not None]
    return list(map(StoryAssignment, ids, story_ids, found))


_LINK_FIELDS = attrgetter(*(field.name for field in fields(StoryLink)))


def _answer(conn: Connection, worker: BaseProcess) -> Answer:
    try:
        stories, error = conn.recv()
    except (EOFError, ConnectionResetError):  # a socket pair: reset when killed mid-send
        raise _failed(conn, worker) from None
    if error is not None:
        raise _named(error)
    return stories  # type: ignore[no-any-return]


def _failed(conn: Connection, worker: BaseProcess) -> PolicywireError:
    """Why the story process stopped: the failure it sent before it ended (it raised while
    a large batch was still being sent to it: the send breaks off, its answer is waiting),
    else its exit status."""
    with contextlib.suppress(EOFError, OSError):
        if conn.poll():
            _, error = conn.recv()
            if error is not None:
                return _named(error)
    worker.join(5)
    code = worker.exitcode
    status = ("still running" if code is None else f"exit code {code}" if code >= 0
              else f"killed by signal {-code}")
    return WorkerFailed(f"story process failed: {status}")


def _named(error: BaseException) -> PolicywireError:
    """A failure the story process sent: ours as it is (it has its exit code), any other
    as the story process's, in one line."""
    if isinstance(error, PolicywireError):
        return error
    said = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return WorkerFailed(f"story process failed: {said}")


def copies(pairs: Sequence[tuple[Decision | None, Any]]) -> list[tuple[str, str | None]]:
    """Each decision's record and the record it copies, in the decisions' order."""
    return [(decision.id, decision.duplicate_of) for decision, _ in pairs
            if decision is not None]


def assigned(clusterer: StoryClusterer, made: ProfileBatch | None,
              copies: Sequence[tuple[str, str | None]]) -> list[StoryAssignment]:
    """The stories of a batch's decisions (``copies``) whose profiles ``made`` holds."""
    # The profiles come in assignment order, one per id: in the decisions' order here.
    by_id = {profile.doc.id: profile for profile in made.profiles} if made else {}
    profiles = [_copying(by_id[key], duplicate_of) for key, duplicate_of in copies]
    return clusterer.assign_profiles(profiles, made.sketches if made else None)


def storied(pairs: Iterable[tuple[Decision | None, P]], stories: Iterable[StoryAssignment]
             ) -> Iterator[tuple[Decision | None, StoryAssignment | None, P]]:
    found = iter(stories)
    for decision, payload in pairs:
        yield decision, next(found) if decision is not None else None, payload


def _copying(profile: Profile, duplicate_of: str | None) -> Profile:
    """``profile`` with the near-duplicate layer's decision (a profile does not read it)."""
    if duplicate_of is None:
        return profile
    # Built by the constructors: dataclasses.replace reads the fields anew each call (two
    # a copy, ~20,000 copies among 100,000 generated headlines).
    doc = list(_DOC_VALUES(profile.doc))
    doc[_DUPLICATE_AT] = duplicate_of
    return Profile(StoryDoc(*doc), *_AFTER_DOC(profile))


_DOC_VALUES = attrgetter(*(field.name for field in fields(StoryDoc)))
_DUPLICATE_AT = [field.name for field in fields(StoryDoc)].index("duplicate_of")
# A profile's fields after its doc, its first.
_AFTER_DOC = attrgetter(*(field.name for field in fields(Profile)[1:]))


__all__ = ["Answer", "Held", "Made", "Packed", "answer_of", "assigned", "assignments",
           "batch_of", "copies", "profiles_of", "sketched", "staged", "storied", "warm_tables"]
