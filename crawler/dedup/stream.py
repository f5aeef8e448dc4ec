"""Batch merging of large inputs with bounded memory (``policywire dedup IN.jsonl``)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from multiprocessing.connection import Connection

from crawler.dedup.index import StoryIndex
from crawler.dedup.params import DedupParams
from crawler.dedup.prepare import Prepared, Preparer, paused_gc
from crawler.dedup.store import SignatureStore
from crawler.dedup.types import Decision, Doc

#: Records per batch: enough that a story's copies, published within minutes of each other,
#: mostly land in one batch (and the earliest becomes canonical), small enough to keep only
#: a batch of documents in memory.
BATCH_SIZE = 5_000


def dedup_stream(docs: Iterable[Doc], params: DedupParams, store: SignatureStore | None = None,
                 batch_size: int = BATCH_SIZE, now: float | None = None, *,
                 parallel: bool = False) -> Iterator[Decision]:
    """Decisions for ``docs``, batch by batch, in input order within each batch.

    Memory holds one batch of documents plus the index's signatures of the last
    ``params.window_days`` (measured from the newest record seen, so an archive replays like
    the days it covers). The trade-off of batches: a batch is sorted and clustered as a whole,
    but a record cannot change a story formed in an earlier batch; if it is published before
    that story's canonical record, it joins the story anyway (output is append-only). Input
    in roughly chronological order gives the same stories as one big batch.

    ``parallel`` prepares the next batch (tokens, signatures:
    :class:`crawler.dedup.prepare.Preparer`) in a worker process while this one assigns the
    current batch; preparing needs no index state, so decisions are the same either way.
    Memory then holds two batches. Off by default: on the 2-core reference machine it
    measured no gain (assignment dominates and the handover costs what preparing saved).

    Signatures are flushed to ``store`` after the consumer took a batch's decisions (the
    generator resumes only then), so a consumer that writes each decision before asking for
    the next one never has signatures stored for records it did not write.
    """
    now = time.time() if now is None else now
    preparer = Preparer(params, now)
    batches = _batches(docs, batch_size)
    # The worker forks before the index loads: it never holds a copy of the signatures.
    prepared = _in_worker(preparer, batches) if parallel else (
        (batch, _prepared(preparer, batch)) for batch in batches)
    index = StoryIndex(params, store, now=now)
    newest = -float("inf")
    for batch, ready in prepared:
        yield from index.assign_prepared(batch, ready)
        index.flush()
        if ready.newest is not None:
            newest = max(newest, ready.newest)
            index.evict(now=newest)


def _in_worker(prepare: Callable[[Sequence[Doc]], Prepared], batches: Iterator[list[Doc]]
               ) -> Iterator[tuple[list[Doc], Prepared]]:
    """``(batch, prepare(batch))`` of each batch, prepared one batch ahead in a forked worker
    process: batch k+1 is prepared while the caller assigns batch k (and while this process
    reads batch k+2)."""
    context = multiprocessing.get_context("fork")  # the preparer is inherited, not pickled
    ours, theirs = context.Pipe()
    worker = context.Process(target=_serve, args=(prepare, theirs, ours), daemon=True,
                             name="policywire-dedup-prepare")
    worker.start()
    theirs.close()
    outstanding = False  # a batch is with the worker
    try:
        batch = next(batches, None)
        if batch is not None:
            ours.send(batch)
            outstanding = True
        while batch is not None:
            upcoming = next(batches, None)
            ready = _received(ours)  # before sending more: a full pipe each way would block
            outstanding = False
            if upcoming is not None:
                ours.send(upcoming)
                outstanding = True
            yield batch, ready
            batch = upcoming
    finally:
        ours.close()  # an idle worker reads the end of input and exits
        if outstanding:  # the caller stopped early (or failed): the result is not wanted
            worker.terminate()
        worker.join()


def _serve(prepare: Callable[[Sequence[Doc]], Prepared], conn: Connection,
           parents: Connection) -> None:
    """The worker: prepares each batch it receives until the parent closes the pipe."""
    parents.close()  # the fork's copy of the parent's end: open, it would hide the parent's close
    while True:
        try:
            docs = conn.recv()
        except EOFError:
            return
        try:
            conn.send((_prepared(prepare, docs), None))
        except Exception as error:  # raised again in the parent
            conn.send((None, error))


def _received(conn: Connection) -> Prepared:
    try:
        with paused_gc():  # thousands of new containers: no reason to rescan the index
            result: tuple[Prepared | None, BaseException | None] = conn.recv()
    except EOFError:
        raise RuntimeError("the dedup preparation worker exited unexpectedly") from None
    prepared, error = result
    if error is not None:
        raise error
    assert prepared is not None
    return prepared


def _prepared(prepare: Callable[[Sequence[Doc]], Prepared], docs: Sequence[Doc]) -> Prepared:
    with paused_gc():
        return prepare(docs)


def _batches(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    # itertools.batched arrives with Python 3.12; we support 3.11.
    items = iter(docs)
    while batch := list(islice(items, size)):
        yield batch


__all__ = ["BATCH_SIZE", "dedup_stream"]
