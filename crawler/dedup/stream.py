"""Batch merging of large inputs with bounded memory (``policywire dedup IN.jsonl``)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from crawler.dedup.index import StoryIndex
from crawler.dedup.params import DedupParams
from crawler.dedup.prepare import Prepared, Preparer, paused_gc
from crawler.dedup.store import SignatureStore
from crawler.dedup.types import Decision, Doc

#: Records per batch: enough that a story's copies, published within minutes of each other,
#: mostly land in one batch (and the earliest becomes canonical), small enough to keep only
#: a batch of documents in memory.
BATCH_SIZE = 5_000

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class _Batch(Generic[P]):
    """A batch ready to assign: its records' ids and payloads (in input order), the items
    without a doc met while reading it, and the prepared docs."""

    ids: list[str]
    payloads: list[P]
    passed: list[P]
    prepared: Prepared


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
    now = time.time() if now is None else now
    preparer = Preparer(params, now)
    # The worker forks before the index loads: it never holds a copy of the signatures.
    batches = _in_worker(items, preparer, batch_size) if parallel else _batches(
        items, preparer, batch_size)
    index = StoryIndex(params, store, now=now)
    newest = -float("inf")
    for batch in batches:
        for payload in batch.passed:
            yield None, payload
        decisions = index.assign_ids(batch.ids, batch.prepared)
        yield from zip(decisions, batch.payloads, strict=True)
        index.flush()
        if batch.prepared.newest is not None:
            newest = max(newest, batch.prepared.newest)
            index.evict(now=newest)


def _batches(items: Iterable[tuple[Doc | None, P]], preparer: Preparer, size: int
             ) -> Iterator[_Batch[P]]:
    """Items in batches of ``size`` docs, each prepared; the items without a doc met since
    the batch before go with it (a last batch may hold those alone)."""
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
            yield _prepared(preparer, docs, payloads, passed)
            docs, payloads, passed = [], [], []
    if docs or passed:
        yield _prepared(preparer, docs, payloads, passed)


def _prepared(preparer: Preparer, docs: list[Doc], payloads: list[P], passed: list[P]
              ) -> _Batch[P]:
    with paused_gc():
        return _Batch([doc.id for doc in docs], payloads, passed, preparer(docs))


def _in_worker(items: Iterable[tuple[Doc | None, P]], preparer: Preparer, size: int
               ) -> Iterator[_Batch[P]]:
    """:func:`_batches`, made in a forked worker process one batch ahead of the caller (the
    pipe holds back a worker that gets further ahead)."""
    context = multiprocessing.get_context("fork")  # items and preparer inherited, not pickled
    ours, theirs = context.Pipe(duplex=False)
    worker = context.Process(target=_serve, args=(items, preparer, size, theirs, ours),
                             daemon=True, name="policywire-dedup-prepare")
    worker.start()
    theirs.close()
    finished = False
    try:
        while True:
            batch: _Batch[P] | None = _received(ours)
            if batch is None:
                break
            yield batch
        finished = True
    finally:
        ours.close()
        if not finished:  # the caller stopped early (or failed): the rest is not wanted
            worker.terminate()
        worker.join()


def _serve(items: Iterable[tuple[Doc | None, P]], preparer: Preparer, size: int,
           conn: Connection, parents: Connection) -> None:
    """The worker: sends each prepared batch, then None; a failure is sent to be raised in
    the parent."""
    parents.close()  # the fork's copy of the parent's end
    try:
        for batch in _batches(items, preparer, size):
            conn.send((batch, None))
        conn.send((None, None))
    except (BrokenPipeError, ConnectionResetError):
        return  # the parent stopped reading
    except Exception as error:  # raised again in the parent
        conn.send((None, error))
    finally:
        conn.close()


def _received(conn: Connection) -> _Batch[P] | None:
    try:
        with paused_gc():  # thousands of new containers: no reason to rescan the index
            result: tuple[_Batch[P] | None, BaseException | None] = conn.recv()
    except EOFError:
        raise RuntimeError("the dedup preparation worker exited unexpectedly") from None
    batch, error = result
    if error is not None:
        raise error
    return batch


__all__ = ["BATCH_SIZE", "dedup_items", "dedup_stream"]
