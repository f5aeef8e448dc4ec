"""The story clusterer's process and what crosses to it (``policywire dedup``, parallel;
the flow through it is tested in tests/test_storylayer.py)."""

from __future__ import annotations

import json
import os
import pickle
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from crawler.dedup import Decision, DedupParams
from crawler.dedup.prepare import Preparer
from crawler.dedup.stream import BATCH_SIZE, dedup_batches
from crawler.errors import WorkerFailed
from crawler.exits import EXIT_SOFTWARE
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
    staged,
    warm_tables,
)
from tests.conftest import REPO
from tests.test_cli import wait_blocked_in_read
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



def _rows(path: Path, count: int) -> Path:
    """``count`` English records of made-up words (no two alike) as ``policywire dedup``
    reads them: more than one batch (BATCH_SIZE), so a batch's send is a large one."""
    rng = random.Random(5)

    def word() -> str:
        return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou")
                       for _ in range(rng.randint(2, 4)))

    with path.open("w", encoding="utf-8") as rows:
        for n in range(count):
            rows.write(json.dumps({
                "id": f"r{n}", "url": f"https://s{n % 7}.example/{n}", "language": "en",
                "title": " ".join(word().capitalize() for _ in range(8)),
                "text": " ".join(word() for _ in range(40)),
                "published": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"}) + "\n")
    return path


def _story_process(cli: subprocess.Popen[str]) -> int:
    """The pid of the dedup command's story process (its first forked child: forked before
    the input's worker) once it has read its tables and waits in a read of its pipe for its
    first batch. Not "its CPU time unchanged for a second": the input is now prepared in
    under a second here, and the batch arrived before the story process had sat still that
    long (CI: its /proc/PID/stat gone, the command done). A child that is no fork of the
    command (a program a library ran) is passed over; one that ended is looked for again."""
    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline and cli.poll() is None
        try:
            pid = _forked_children(cli.pid)[0]
            wait_blocked_in_read(pid)
            return pid
        except (IndexError, FileNotFoundError, ProcessLookupError):
            time.sleep(0.01)


def _forked_children(parent: int) -> list[int]:
    """``parent``'s children that run its own command line (forks, not programs it ran)."""
    own = Path(f"/proc/{parent}/cmdline").read_bytes()
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(c) for c in children if Path(f"/proc/{c}/cmdline").read_bytes() == own]


def test_a_story_process_killed_before_a_large_batch_is_named_in_one_line(
        tmp_path: Path) -> None:
    # Killed while it waits for its first batch (5,000 records' profiles: megabytes), the
    # main process's send of that batch breaks off. Before: "RuntimeError: the dedup story
    # clustering worker exited unexpectedly" under a traceback, exit 1.
    rows = _rows(tmp_path / "in.jsonl", BATCH_SIZE + 200)
    # As a context manager: a failure here closes the pipes and waits for the command, so
    # no unclosed pipe's warning is blamed on a later test.
    with subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "dedup", str(rows), "-o",
             str(tmp_path / "o")], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**os.environ, "PYTHONPATH": str(REPO)}) as cli:
        try:
            os.kill(_story_process(cli), signal.SIGKILL)
            _, err = cli.communicate(timeout=300)
        finally:
            cli.kill()
    assert cli.returncode == EXIT_SOFTWARE, err
    assert err.splitlines() == ["policywire: story process failed: killed by signal 9"]


def test_a_failure_raised_in_the_story_process_is_named_as_its_own() -> None:
    # A batch whose profiles do not unpickle there (a large one: 8 MB): the story process
    # raises, and says so. Before: the UnpicklingError itself, a traceback in the CLI.
    pairs = [(Decision(id="a", story_id="a", duplicate_of=None, evidence=None), "a")]
    batches = iter([(pairs, Packed(b"\x00" * (8 << 20)))])
    with pytest.raises(WorkerFailed,
                       match=r"^story process failed: UnpicklingError: invalid load key"):
        list(staged(batches, StoryClusterer(StoryParams(), None)))
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
