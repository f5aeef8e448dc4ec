"""The story layer over a near-duplicate stream: in ``policywire dedup`` (parallel), the
clusterer runs in a process of its own, a batch behind the near-duplicate layer."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from crawler.dedup import DedupParams, Doc
from crawler.errors import WorkerFailed
from crawler.stories import MemoryStoryState, StoryClusterer, StoryParams
from crawler.storylayer import both_levels
from tests.stories.shared import story_clusters

PARAMS = DedupParams()
STORIES = "policywire-dedup-stories"


def _items(count: int) -> list[tuple[Doc | None, object]]:
    """Real news rows (story-clusters), half with their body, over 20 days, in no order,
    each with its number as payload; an invalid line (no doc) after the fourth."""
    rows = story_clusters()[:count]
    items: list[tuple[Doc | None, object]] = [
        (Doc(id=r["id"], url=r["url"], title=r["title"], text=r["text"] if n % 2 else None,
             language="en", source=r["source"] or "",
             published=f"2024-03-{1 + (n * 7) % 20:02d}T10:00:00Z"), n)
        for n, r in enumerate(rows)]
    items.insert(4, (None, "bad line"))
    return items


def _run(items: list[tuple[Doc | None, object]], parallel: bool,
         state: MemoryStoryState | None = None) -> list[tuple[object, ...]]:
    clusterer = StoryClusterer(StoryParams(), state)
    return [(d, s, p) for d, s, p in both_levels(items, PARAMS, clusterer, parallel,
                                                 batch_size=6)]


def test_stories_found_in_their_own_process_are_those_found_here() -> None:
    items = _items(40)  # 7 batches: each answered while the next is assigned
    alone = _run(items, parallel=False)
    assert len({s.story_id for _, s, _ in alone if s is not None}) > 1  # stories merged
    assert sum(1 for _, s, _ in alone if s is not None and s.link is not None) > 0
    assert _run(items, parallel=True) == alone
    assert not multiprocessing.active_children()  # both workers ended


@pytest.mark.parametrize("parallel", [False, True])
def test_parameters_alone_give_the_stories_a_built_clusterer_gives(parallel: bool) -> None:
    # policywire dedup passes StoryParams: the clusterer is built in its own process, after
    # the fork (its band choice imports scipy.integrate), or here when serial.
    items = _items(40)
    out = list(both_levels(items, PARAMS, StoryParams(), parallel, batch_size=6))
    assert out == _run(items, parallel=False)
    assert not multiprocessing.active_children()


def test_a_clusterer_with_a_state_stays_in_this_process() -> None:
    # Its saves must reach the caller's state, not a forked copy of it.
    state = MemoryStoryState()
    assert _run(_items(20), parallel=True, state=state) == _run(_items(20), parallel=False)
    assert state.rows


def _stories_worker() -> multiprocessing.Process:
    (worker,) = [p for p in multiprocessing.active_children() if p.name == STORIES]
    return worker


def test_a_dead_story_worker_fails_the_run_and_ends_the_other() -> None:
    # Fails before this branch: no story worker to find (the clusterer ran in this process).
    out: Iterator[tuple[object, ...]] = both_levels(
        _items(40), PARAMS, StoryClusterer(StoryParams(), None), True, batch_size=6)
    next(out)  # the first batch's stories came back
    worker = _stories_worker()
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    with pytest.raises(WorkerFailed, match=r"^story process failed: killed by signal 9$"):
        list(out)
    assert not multiprocessing.active_children()  # the input's worker ended too


def test_a_run_stopped_early_ends_the_story_worker() -> None:
    out = both_levels(_items(40), PARAMS, StoryClusterer(StoryParams(), None), True,
                      batch_size=6)
    next(out)
    assert _stories_worker().is_alive()
    out.close()  # a reader gone, or Ctrl-C in the caller
    assert not multiprocessing.active_children()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead and not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _run_on_open_input(held: int, told: Connection) -> None:
    """A run whose input stays open after two batches (a producer piping into
    ``policywire dedup -``): tells the pids of its workers once the first stories came."""
    def items() -> Iterator[tuple[Doc | None, object]]:
        yield from _items(12)
        os.read(held, 1)  # in the input's worker: waits for more input

    out = both_levels(items(), PARAMS, StoryClusterer(StoryParams(), None), True,
                      batch_size=6)
    next(out)
    told.send({p.name: p.pid for p in multiprocessing.active_children()})
    for _ in out:
        pass


def test_a_run_killed_outright_leaves_neither_worker_behind() -> None:
    # SIGKILL or SIGTERM of `policywire dedup` runs no cleanup. Failed before: the input's
    # worker waited for input as long as its producer kept it open, and as it holds a copy
    # of the run's end of the story worker's pipe (forked after it), the story worker too.
    context = multiprocessing.get_context("fork")
    held, feeding = os.pipe()
    ours, theirs = context.Pipe(duplex=False)
    run = context.Process(target=_run_on_open_input, args=(held, theirs))
    run.start()
    workers: dict[str, int] = {}
    try:
        assert ours.poll(120), "no stories came"
        workers = ours.recv()
        assert set(workers) == {STORIES, "policywire-dedup-prepare"}, workers
        assert run.pid is not None
        os.kill(run.pid, signal.SIGKILL)
        run.join()
        deadline = time.monotonic() + 10
        while any(map(_alive, workers.values())) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [name for name, pid in workers.items() if _alive(pid)]
    finally:
        os.close(feeding)  # the input's end: its worker reads it and stops
        os.close(held)
        for pid in workers.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_stories_change_no_near_duplicate_decision() -> None:
    # The story layer reads "Covid-19" as "coronavirus" (crawler.stories.synonyms); the
    # near-duplicate layer does not. Before, with stories the match used the story layer's
    # title tokens: the second Brazil report was a copy of the first Trump one, and
    # not with --no-stories.
    titles = ("Trump tests positive for Covid-19", "Trump tests positive for coronavirus",
              "Brazil's president again tests positive for Covid-19",
              "Brazil's president tests positive for coronavirus again",
              "UK Covid cases rise by 20,000 in a day",
              "UK coronavirus cases rise by 20,000 in a day")
    items: list[tuple[Doc | None, object]] = [
        (Doc(id=str(n), url=f"https://{n}.example/", title=title, language="en",
             source=f"s{n}", published=f"2026-10-02T{6 + n:02d}:00:00Z"), n)
        for n, title in enumerate(titles)]
    with_stories = [(d.duplicate_of if d else None, p)
                    for d, _, p in both_levels(items, PARAMS, StoryParams(), False)]
    without = [(d.duplicate_of if d else None, p)
               for d, _, p in both_levels(items, PARAMS, None, False)]
    assert with_stories == without
    assert any(copy is not None for copy, _ in without)  # the pairs still meet
