"""Batch merging of large inputs with bounded memory (``policywire dedup IN.jsonl``)."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeAlias, TypeVar

from crawler.dedup.flowtrace import span
from crawler.dedup.index import FUTURE_SKEW, StoryIndex
from crawler.dedup.params import DedupParams
from crawler.dedup.pipes import receive
from crawler.dedup.prepare import Companion, Ordered, Prepared, Preparer, paused_gc
from crawler.dedup.store import SignatureStore
from crawler.dedup.types import Decision, Doc

#: Records per batch: enough that a story's copies, published within minutes of each other,
#: mostly land in one batch (and the earliest becomes canonical), small enough to keep only
#: a batch of documents in memory.
BATCH_SIZE = 5_000
#: Records the worker prepares between looks for a request to share: the caller waits at
#: most that long for its share (~0.1 s of generated articles, ~0.3 s of real German ones).
STEP = 500

P = TypeVar("P")
#: A batch's items with their decisions (None: an item without a doc), and what a
#: companion made of its records (:func:`dedup_batches`).
Decided: TypeAlias = tuple[list[tuple[Decision | None, P]], Any]


@dataclass(frozen=True, slots=True)
class _Batch(Generic[P]):
    """A batch ready to assign: its records' ids and payloads (in input order), the items
    without a doc met while reading it, and the prepared docs."""

    ids: list[str]
    payloads: list[P]
    passed: list[P]
    prepared: Prepared


@dataclass(frozen=True, slots=True)
class _Raw(Generic[P]):
    """A batch as read: its docs and their payloads, and the items without a doc."""

    docs: list[Doc]
    payloads: list[P]
    passed: list[P]


@dataclass(frozen=True, slots=True)
class _Shared(Generic[P]):
    """A batch whose later records (``ordered``) the receiver prepares; the sender prepares
    the records before them and sends them next (see :func:`_share`)."""

    ids: list[str]
    payloads: list[P]
    passed: list[P]
    ordered: Ordered


def dedup_stream(docs: Iterable[Doc], params: DedupParams, store: SignatureStore | None = None,
                 batch_size: int = BATCH_SIZE, now: float | None = None, *,
                 parallel: bool = False) -> Iterator[Decision]:
    """Decisions for ``docs``, batch by batch, in input order within each batch.

    Memory holds one batch of documents plus the index's signatures of the last
    ``params.window_days`` (measured from the newest record seen, so an archive replays like
    the days it covers; a date more than ``FUTURE_SKEW`` past ``now`` moves nothing). The
    trade-off of batches: a batch is sorted and clustered as a whole,
    but a record cannot change a story formed in an earlier batch; if it is published before
    that story's canonical record, it joins the story anyway (output is append-only). Input
    in roughly chronological order gives the same stories as one big batch.

    ``parallel``: see :func:`dedup_items`. Signatures are flushed to ``store`` after the
    consumer took a batch's decisions (the generator resumes only then), so a consumer that
    writes each decision before asking for the next one never has signatures stored for
    records it did not write.
    """
    items = ((doc, None) for doc in docs)
    for decision, _ in dedup_items(items, params, store, batch_size, now, parallel=parallel):
        assert decision is not None  # every item has a doc
        yield decision


def dedup_items(items: Iterable[tuple[Doc | None, P]], params: DedupParams,
                store: SignatureStore | None = None, batch_size: int = BATCH_SIZE,
                now: float | None = None, *, parallel: bool = False
                ) -> Iterator[tuple[Decision | None, P]]:
    """:func:`dedup_stream` of docs that travel with a payload (the input line a doc came
    from): ``(decision, payload)`` per item. An item without a doc (an invalid line) passes
    through as ``(None, payload)``, ahead of the decisions of the batch it was read with.

    ``parallel`` reads the items and prepares each batch (tokens, signatures:
    :class:`crawler.dedup.prepare.Preparer`) in a forked worker process while this one
    assigns the batch before (preparing needs no index state: decisions are the same either
    way). ``items`` are then iterated in the worker, only prepared batches and payloads
    cross over; memory holds about two batches.
    """
    for pairs, _ in dedup_batches(items, params, store, batch_size, now, parallel=parallel):
        yield from pairs


def dedup_batches(items: Iterable[tuple[Doc | None, P]], params: DedupParams,
                  store: SignatureStore | None = None, batch_size: int = BATCH_SIZE,
                  now: float | None = None, *, parallel: bool = False,
                  companion: Companion | None = None) -> Generator[Decided[P], None, None]:
    """:func:`dedup_items` a batch at a time: the batch's pairs, and what ``companion``
    made of its records where they were prepared (its ``whole``; None without one). The
    batch's signatures are flushed when the next one is asked for."""
    now = time.time() if now is None else now
    preparer = Preparer(params, now, companion)
    # The worker forks before the index loads: it never holds a copy of the signatures,
    # and it reads the first batch while this process builds the index (its band choice
    # imports scipy.integrate: ~0.45 CPU s, crawler.dedup.sketchlib).
    batches = _in_worker(items, preparer, batch_size) if parallel else _batches(
        items, preparer, batch_size)
    try:
        index = StoryIndex(params, store, now=now, replay=True)
    except BaseException:
        _stop(batches)
        raise
    newest = -float("inf")
    for number, batch in enumerate(batches):
        with span("main", "assign", number):
            decisions = index.assign_ids(batch.ids, batch.prepared)
        pairs: list[tuple[Decision | None, P]] = [(None, payload) for payload in batch.passed]
        pairs.extend(zip(decisions, batch.payloads, strict=True))
        attached = batch.prepared.attached
        yield pairs, attached[0] if attached else None
        with span("main", "evict", number):
            index.flush()
            # A record dated past the clock (more than FUTURE_SKEW) moves no window: one
            # dated 2099 evicted every other record of the window.
            dated = [item.ts for item in batch.prepared.features
                     if item.dated and item.ts <= now + FUTURE_SKEW]
            if dated:
                newest = max(newest, *dated)
                index.evict(now=newest)


def _batches(items: Iterable[tuple[Doc | None, P]], preparer: Preparer, size: int
             ) -> Iterator[_Batch[P]]:
    """Items in batches of ``size`` docs, each prepared (see :func:`_read`)."""
    for raw in _read(items, size):
        yield _prepared(preparer, raw)


def _read(items: Iterable[tuple[Doc | None, P]], size: int) -> Iterator[_Raw[P]]:
    """Items in batches of ``size`` docs; the items without a doc met since the batch before
    go with it (a last batch may hold those alone)."""
    docs: list[Doc] = []
    payloads: list[P] = []
    passed: list[P] = []
    for doc, payload in items:
        if doc is None:
            passed.append(payload)
            continue
        docs.append(doc)
        payloads.append(payload)
        if len(docs) == size:
            yield _Raw(docs, payloads, passed)
            docs, payloads, passed = [], [], []
    if docs or passed:
        yield _Raw(docs, payloads, passed)


def _prepared(preparer: Preparer, raw: _Raw[P]) -> _Batch[P]:
    with paused_gc():
        return _Batch([doc.id for doc in raw.docs], raw.payloads, raw.passed,
                      preparer(raw.docs))


def _in_worker(items: Iterable[tuple[Doc | None, P]], preparer: Preparer, size: int
               ) -> Iterator[_Batch[P]]:
    """:func:`_batches`, read in a forked worker process and prepared one batch ahead of the
    caller (the pipe holds back a worker that gets further ahead).

    Whoever has nothing to do prepares: when the caller is done with a batch and the next
    one is not there yet, it asks for a share, and the worker hands it the later half of
    the records it has not prepared yet (see :func:`_share`). Articles cost the worker ~3x
    what they cost the index (measured: 4.0 against 1.3 CPU seconds for 20,000); a caller
    that is the slower side (headlines in a long run) finds the next batch waiting, so
    never asks. The worker forks at this call, not at the first batch asked for.
    """
    context = multiprocessing.get_context("fork")  # items and preparer inherited, not pickled
    ours, theirs = context.Pipe(duplex=True)
    worker = context.Process(target=_serve, args=(items, preparer, size, theirs, ours),
                             kwargs={"parent": os.getpid()},
                             daemon=True, name="policywire-dedup-prepare")
    worker.start()
    theirs.close()
    return _WorkerBatches(worker, ours, _batches_from(worker, ours, preparer))


def _stop(batches: Iterator[_Batch[P]]) -> None:
    """End :func:`_in_worker`'s worker before its first batch was asked for (a generator
    not started runs no ``finally`` on close): the caller failed before reading."""
    if isinstance(batches, _WorkerBatches):
        batches.stop()


class _WorkerBatches(Generic[P]):
    """The batches :func:`_batches_from` yields, with the worker at hand to be stopped."""

    def __init__(self, worker: multiprocessing.process.BaseProcess, conn: Connection,
                 batches: Generator[_Batch[P], None, None]) -> None:
        self._worker, self._conn, self._batches = worker, conn, batches

    def __iter__(self) -> _WorkerBatches[P]:
        return self

    def __next__(self) -> _Batch[P]:
        return next(self._batches)

    def stop(self) -> None:
        self._conn.close()
        self._worker.terminate()
        self._worker.join()


def _batches_from(worker: multiprocessing.process.BaseProcess, ours: Connection,
                  preparer: Preparer) -> Generator[_Batch[P], None, None]:
    """:func:`_in_worker`'s batches as the forked worker sends them."""
    finished = False
    asked = False  # a request for a share is with the worker (at most one)
    try:
        while True:
            if not asked and not ours.poll():
                asked = True  # answered with a share, or never: the worker has finished
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    # Between the look and the request the worker may send its last
                    # message and exit: what it sent is still there to be received.
                    ours.send(None)
            with span("main", "recv-input"):
                message: _Message[P] = _received(ours)
            if message is None:
                break
            if isinstance(message, _Shared):  # the answer to our request
                asked = False
                message = _joined(message, preparer, ours)
            assert isinstance(message, _Batch)
            yield message
        finished = True
    finally:
        ours.close()
        if not finished:  # the caller stopped early (or failed): the rest is not wanted
            worker.terminate()
        worker.join()


def _joined(shared: _Shared[P], preparer: Preparer, conn: Connection) -> _Batch[P]:
    """A shared batch: its later records prepared here, then the first ones as the worker
    sends them, prepared."""
    with paused_gc():
        with span("main", "share"):
            tail = preparer.prepare(shared.ordered)
        with span("main", "recv-head"):
            head: _Message[P] = _received(conn)
    assert isinstance(head, Prepared)
    with span("main", "join"):
        return _Batch(shared.ids, shared.payloads, shared.passed,
                      preparer.finished([head, tail]))


def _serve(items: Iterable[tuple[Doc | None, P]], preparer: Preparer, size: int,
           conn: Connection, parents: Connection, *, parent: int) -> None:
    """The worker: sends each batch prepared (or shared: see :func:`_in_worker`), then None;
    a failure is sent to be raised in the parent."""
    started_worker(parents, parent)
    try:
        for number, raw in enumerate(_read(items, size)):
            with span("input", "prepare", number):
                made = _share(preparer, raw, conn)
            with span("input", "send", number):
                conn.send((made, None))
        conn.send((None, None))
    except (BrokenPipeError, ConnectionResetError):
        return  # the parent stopped reading
    except Exception as error:  # raised again in the parent
        conn.send((None, error))
    finally:
        conn.close()


def _share(preparer: Preparer, raw: _Raw[P], conn: Connection) -> _Batch[P] | Prepared:
    """The worker's side of a batch: prepared :data:`STEP` records at a time; once the
    caller asks (it has nothing to do), the later half of what is left is sent to it
    (:class:`_Shared`), and what is returned, the first records, prepared, is the rest."""
    ids = [doc.id for doc in raw.docs]
    with paused_gc():
        ordered = preparer.ordered(raw.docs)
        parts: list[Prepared] = []
        at = 0
        while at < len(ordered) or not parts:
            if conn.poll():
                _asked(conn)
                split = at + (len(ordered) - at + 1) // 2
                conn.send((_Shared(ids, raw.payloads, raw.passed, ordered[split:]), None))
                parts.append(preparer.prepare(ordered[at:split]))
                return Prepared.joined(parts)
            parts.append(preparer.prepare(ordered[at:at + STEP]))
            at += STEP
    return _Batch(ids, raw.payloads, raw.passed, preparer.finished(parts))


def _asked(conn: Connection) -> None:
    """Take the caller's request for a share. The pipe's end (the caller stopped reading)
    is a broken pipe here: an EOFError the worker meets otherwise is the input's (a
    truncated file), sent to the caller like any failure."""
    try:
        conn.recv()
    except EOFError:
        raise BrokenPipeError("the caller closed the pipe") from None


_Message = _Batch[P] | _Shared[P] | Prepared | None


def _received(conn: Connection) -> _Message[P]:
    try:
        with paused_gc():  # thousands of new containers: no reason to rescan the index
            # Read into one buffer (crawler.dedup.pipes): a batch of articles is ~20 MB.
            result: tuple[_Message[P], BaseException | None] = receive(conn)
    except (EOFError, ConnectionResetError):  # a socket pair: reset when it died unread
        raise RuntimeError("the dedup preparation worker exited unexpectedly") from None
    message, error = result
    if error is not None:
        raise error
    return message


#: Linux's prctl(2) option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def started_worker(parents: Connection, parent: int) -> None:
    """A forked worker's start (the input's and the stories' both): the fork's copy of the
    parent's end of its pipe closed, Ctrl-C left to the parent, which stops it (a terminal's
    reaches the whole process group: no traceback from here), and its end with the parent."""
    parents.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(parent)


def end_with_parent(parent: int) -> None:
    """End this forked worker (SIGTERM) when ``parent`` dies without a word (SIGKILL, or
    SIGTERM, which runs no cleanup). Its pipe's end is no sign: the input's worker waits in a
    read of the input for as long as a producer keeps stdin open (``policywire dedup -``), and
    it holds a copy of the parent's end of the story worker's pipe (forked after that one),
    so neither saw the death. Linux only (prctl); elsewhere, as before."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the call
        os._exit(0)


__all__ = ["BATCH_SIZE", "Decided", "dedup_batches", "dedup_items", "dedup_stream",
           "started_worker"]
