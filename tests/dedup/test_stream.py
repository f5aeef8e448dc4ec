"""dedup_stream: batch merging of large inputs."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

import pytest

from crawler.dedup import DedupParams, Doc, MemoryStore, dedup_stream
from crawler.dedup import stream as stream_module
from crawler.dedup.prepare import Prepared, Preparer
from crawler.dedup.stream import _Batch, _prepared, _Raw, _share, _Shared, dedup_items
from crawler.errors import IncompatibleState
from tests.dedup.test_prepare import _equal

PARAMS = DedupParams()


def _docs(days: int) -> Iterator[Doc]:
    for day in range(days):
        for copy in range(2):
            yield Doc(id=f"d{day}-{copy}", url=f"https://o{copy}.example/{day}",
                      title=f"Tag {day + 400} des Krieges: Angriffe auf Charkiw und Odessa",
                      language="de", published=f"2024-01-01T{10 + copy:02d}:00:00Z".replace(
                          "01-01", f"{1 + day // 28:02d}-{1 + day % 28:02d}"))


def test_stream_merges_across_batches_in_input_order() -> None:
    decisions = list(dedup_stream(_docs(10), PARAMS, batch_size=3))
    assert [d.id for d in decisions] == [d.id for d in _docs(10)]
    by_id = {d.id: d for d in decisions}
    for day in range(10):
        assert by_id[f"d{day}-1"].duplicate_of == f"d{day}-0"
    assert len({d.story_id for d in decisions}) == 10


def test_stream_flushes_each_batch_after_it_was_taken() -> None:
    store = MemoryStore()
    stream = dedup_stream(_docs(3), PARAMS, store=store, batch_size=2, now=0.0)
    next(stream)
    next(stream)
    assert len(store) == 0  # the batch's decisions are out, the consumer may still be writing
    next(stream)
    assert len(store) == 2
    list(stream)
    assert len(store) == 6


AFTER = 1_717_200_000.0  # 2024-06-01: the clock after every record of _docs


def test_stream_forgets_what_left_the_window() -> None:
    store = MemoryStore()
    list(dedup_stream(_docs(60), DedupParams(window_days=10), store=store, batch_size=4,
                      now=AFTER))
    assert 0 < len(store) <= 2 * 12


def test_a_record_dated_in_the_future_does_not_evict_the_window() -> None:
    # Before, the window followed the newest date seen, 2099's: the first batch's records
    # were evicted with it, and their copies in the next batch started stories of their own.
    future = Doc(id="f", url="https://f.example/", title="Typo in the year: 2099 summit",
                 language="en", published="2099-01-01T00:00:00Z")
    docs = list(_docs(2))
    first, later = [docs[0], docs[2], future], [docs[1], docs[3]]
    decisions = {d.id: d for d in dedup_stream(iter(first + later), PARAMS, batch_size=3,
                                               now=AFTER)}
    assert decisions["d0-1"].duplicate_of == "d0-0"
    assert decisions["d1-1"].duplicate_of == "d1-0"


def test_stream_prepared_in_a_worker_decides_as_without_one() -> None:
    together = list(dedup_stream(_docs(12), PARAMS, batch_size=5, now=0.0, parallel=True))
    alone = list(dedup_stream(_docs(12), PARAMS, batch_size=5, now=0.0, parallel=False))
    assert together == alone


def test_stream_stopped_early_ends_its_worker() -> None:
    stream = dedup_stream(_docs(12), PARAMS, batch_size=5, now=0.0, parallel=True)
    first = next(stream)
    stream.close()
    assert first.id == "d0-0"


def test_stream_worker_failure_is_raised_in_the_caller() -> None:
    broken = [Doc(id="x", url="https://o.example/x", title=None)]  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        list(dedup_stream(iter([*_docs(3), *broken]), PARAMS, batch_size=2, parallel=True))


@pytest.mark.parametrize("parallel", [False, True])
def test_items_keep_their_payloads_and_pass_items_without_a_doc(parallel: bool) -> None:
    items = [(doc, n) for n, doc in enumerate(_docs(6))]
    items.insert(3, (None, "bad line"))  # type: ignore[arg-type]
    out = list(dedup_items(items, PARAMS, batch_size=4, now=0.0, parallel=parallel))
    assert out[0] == (None, "bad line")  # ahead of the decisions of its batch
    decided = [(decision.id, payload) for decision, payload in out[1:] if decision]
    assert decided == [(doc.id, n) for n, doc in enumerate(_docs(6))]


class _AsksLater:
    """The worker's end of a real pipe, on which the caller's request shows only at the
    ``after``-th look (as when the caller runs out of work while the worker is mid-batch)."""

    def __init__(self, conn: Connection, after: int) -> None:
        self.conn, self.looks, self.after = conn, 0, after

    def poll(self) -> bool:
        self.looks += 1
        return self.looks >= self.after and self.conn.poll()

    def recv(self) -> object:
        return self.conn.recv()

    def send(self, message: object) -> None:
        self.conn.send(message)


@pytest.mark.parametrize(("after", "step", "handed"), [(1, 500, 6), (2, 4, 4), (3, 4, 2)])
def test_a_worker_asked_to_share_hands_over_the_later_half_of_what_is_left(
        monkeypatch: pytest.MonkeyPatch, after: int, step: int, handed: int) -> None:
    monkeypatch.setattr(stream_module, "STEP", step)
    preparer = Preparer(PARAMS, now=0.0)
    raw = _Raw(list(_docs(6)), list(range(12)), ["bad line"])
    caller, worker = multiprocessing.Pipe()
    caller.send(None)  # the request
    head = _share(preparer, raw, _AsksLater(worker, after))  # type: ignore[arg-type]
    shared, error = caller.recv()
    assert error is None and isinstance(shared, _Shared) and isinstance(head, Prepared)
    assert len(shared.ordered) == handed  # of the 12 - (after - 1) * step not prepared yet
    assert (shared.payloads, shared.passed) == (raw.payloads, raw.passed)
    assert shared.ids == [doc.id for doc in raw.docs]
    joined = Prepared.joined([head, preparer.prepare(shared.ordered)])
    assert _equal(joined, _prepared(preparer, raw).prepared)
    assert not worker.poll()  # the request was taken


@pytest.mark.parametrize("asked", [False, True])
def test_a_worker_not_asked_in_time_prepares_the_whole_batch(
        monkeypatch: pytest.MonkeyPatch, asked: bool) -> None:
    monkeypatch.setattr(stream_module, "STEP", 4)
    preparer = Preparer(PARAMS, now=0.0)
    raw = _Raw(list(_docs(6)), list(range(12)), [])
    caller, worker = multiprocessing.Pipe()
    if asked:
        caller.send(None)  # seen only after the last of the three steps: too late
    batch = _share(preparer, raw, _AsksLater(worker, 4))  # type: ignore[arg-type]
    assert isinstance(batch, _Batch) and not caller.poll()
    assert _equal(batch.prepared, _prepared(preparer, raw).prepared)
    assert worker.poll() is asked  # a late request waits for the next batch


class _LooksTooEarly:
    """The caller's end of a real pipe whose first look finds nothing, although the worker
    then sends its last message and exits before the caller asks for a share."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.looked = conn, False

    def poll(self, timeout: float = 0.0) -> bool:
        if self.looked:
            return self.conn.poll(timeout)
        self.looked = True
        assert self.conn.poll(10)  # the worker's first message is there...
        time.sleep(0.5)  # ...and it has sent the rest and closed its end
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_a_request_the_finished_worker_cannot_take_ends_the_run_normally(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The request met a closed pipe: BrokenPipeError, now and then, on small inputs.
    fork = multiprocessing.get_context("fork")

    class _Context:
        def Pipe(self, duplex: bool = True) -> tuple[Any, Connection]:
            ours, theirs = fork.Pipe(duplex=duplex)
            return _LooksTooEarly(ours), theirs

        def Process(self, *args: Any, **kwargs: Any) -> Any:
            return fork.Process(*args, **kwargs)

    monkeypatch.setattr(stream_module.multiprocessing, "get_context", lambda method: _Context())
    decided = list(dedup_stream(_docs(2), PARAMS, batch_size=5, parallel=True))
    assert [d.id for d in decided] == [doc.id for doc in _docs(2)]


@pytest.mark.parametrize("parallel", [False, True])
def test_an_eof_error_of_the_input_fails_the_run(parallel: bool) -> None:
    # The worker took any EOFError for the caller's end of the pipe and stopped without a
    # word: the caller saw a broken connection, or a shorter input.
    def items() -> Iterator[tuple[Doc | None, int]]:
        yield from ((doc, n) for n, doc in enumerate(_docs(3)))
        raise EOFError("the input ended mid-record")

    with pytest.raises(EOFError, match="mid-record"):
        list(dedup_items(items(), PARAMS, batch_size=2, parallel=parallel))


def test_an_input_worker_killed_with_a_request_unread_is_its_death_not_a_reset() -> None:
    # The caller asks the worker for a share of the next batch when none is waiting; the
    # worker, waiting for more input, has not read the request when it is killed, and the
    # caller's read then fails with ECONNRESET (a socket pair), not EOF. Failed before:
    # "policywire: Connection reset by peer" and exit 74 (an I/O error), where a dead
    # story worker says it died (crawler.storystage._answer).
    held, feeding = os.pipe()

    def items() -> Iterator[tuple[Doc | None, int]]:
        yield from ((doc, n) for n, doc in enumerate(_docs(3)))  # one batch of six
        os.read(held, 1)  # in the worker: waits for more input

    out = dedup_items(items(), PARAMS, batch_size=6, now=0.0, parallel=True)
    try:
        next(out)
        (worker,) = [p for p in multiprocessing.active_children()
                     if p.name == "policywire-dedup-prepare"]
        assert worker.pid is not None
        # Killed once the caller has asked and waits (it asks after this batch's five more);
        # by a process of its own, as a timer thread waits for ever under faketime.
        killer = subprocess.Popen(["sh", "-c", f"sleep 1; kill -KILL {worker.pid}"])
        with pytest.raises(RuntimeError, match="preparation worker exited unexpectedly"):
            list(out)
        assert killer.wait(timeout=30) == 0
    finally:
        os.close(feeding)
        os.close(held)
    assert not multiprocessing.active_children()


def test_a_record_dated_in_the_future_leaves_a_stored_window() -> None:
    # Before, a replay kept a record from its published date: one dated 2099 entered the
    # store (and every later run's window) as kept from 2099, and no run's eviction, which
    # follows the records' dates up to the clock, ever reached it. Kept from the clock
    # (plus FUTURE_SKEW), it leaves with a later run's window like any record.
    store = MemoryStore()
    future = Doc(id="f", url="https://f.example/", title="Typo in the year: 2099 summit",
                 language="en", published="2099-01-01T00:00:00Z")
    list(dedup_stream(iter([*_docs(2), future]), PARAMS, store=store, now=AFTER))
    assert "f" in {row.id for row in store.load(0.0)}
    year = 365 * 86400.0
    later = [Doc(id=f"n{n}", url=f"https://n.example/{n}", title=f"Summit {n} in Geneva ends",
                 language="en", published="2025-06-01T10:00:00Z") for n in range(2)]
    list(dedup_stream(iter(later), PARAMS, store=store, now=AFTER + year))
    assert {row.id for row in store.load(0.0)} == {"n0", "n1"}


class _WatchedStore(MemoryStore):
    """A memory store that notes this process's live workers when the index loads it."""

    def __init__(self) -> None:
        super().__init__()
        self.workers_at_load: list[str] = []

    def load(self, since: float) -> Any:
        self.workers_at_load = [p.name for p in multiprocessing.active_children()]
        return super().load(since)


def test_the_input_worker_reads_while_the_index_loads() -> None:
    # The worker forks before the index is built (its band choice imports scipy.integrate),
    # so the first batch is read meanwhile, and the worker holds no copy of the signatures.
    store = _WatchedStore()
    decisions = list(dedup_stream(_docs(4), PARAMS, store, batch_size=3, parallel=True))
    assert "policywire-dedup-prepare" in store.workers_at_load
    assert decisions == list(dedup_stream(_docs(4), PARAMS, MemoryStore(), batch_size=3))
    assert not multiprocessing.active_children()


def test_an_index_that_cannot_load_ends_the_worker_forked_before_it() -> None:
    store = MemoryStore(fingerprint='{"another": "fingerprint"}')
    with pytest.raises(IncompatibleState):
        list(dedup_stream(_docs(4), PARAMS, store, batch_size=3, parallel=True))
    assert not multiprocessing.active_children()
