"""The flow tracer of ``policywire dedup``'s stages: off by default, one line a span on."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from crawler.dedup import flowtrace
from crawler.dedup.flowtrace import span


def test_a_span_is_one_line_with_its_wall_clock_and_cpu(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    trace = tmp_path / "trace.txt"
    monkeypatch.setattr(flowtrace, "TRACE", str(trace))
    with span("stories", "cluster", 3):
        # Work, as CPU time, for as long on the wall clock too: process_time counts every
        # thread of the process (a library's own thread can add CPU faster than wall time).
        ends, wall_ends = time.process_time() + 0.05, time.monotonic() + 0.05
        while time.process_time() < ends or time.monotonic() < wall_ends:
            pass
    with span("main", "recv-input"):
        time.sleep(0.05)  # a wait: wall clock, no CPU
    (worked, waited) = [line.split() for line in trace.read_text().splitlines()]
    # The line holds six decimals: a 0.05 s span may read 0.049999 once rounded and subtracted.
    assert worked[:4] == ["stories", str(os.getpid()), "cluster", "3"]
    assert float(worked[5]) - float(worked[4]) >= 0.0499 and float(worked[6]) >= 0.04
    assert waited[:4] == ["main", str(os.getpid()), "recv-input", "-1"]
    assert float(waited[5]) - float(waited[4]) >= 0.0499 and float(waited[6]) < 0.04


def test_off_it_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flowtrace, "TRACE", None)
    monkeypatch.chdir(tmp_path)
    with span("main", "assign", 0):
        pass
    assert not list(tmp_path.iterdir())
