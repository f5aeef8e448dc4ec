"""Where the stages of ``policywire dedup`` (parallel) spend their time: a tracer for
benchmarks, off unless ``POLICYWIRE_FLOW_TRACE`` names a file.

Each stage (the input's worker, the main process, the story clusterer's process) appends one
line a span: ``stage pid what batch start end cpu``, wall-clock seconds (``time.monotonic``,
one clock for all processes) and the CPU seconds this process spent in it. A span is a wait
(``recv``, ``send``: for another stage) or work; ``benchmarks/flow_trace.py`` sums them per
stage and finds the critical path. Off, a span is one ``None`` test."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: The file the spans are appended to (None: tracing off).
TRACE = os.environ.get("POLICYWIRE_FLOW_TRACE") or None


@contextmanager
def span(stage: str, what: str, batch: int = -1) -> Iterator[None]:
    """Time the block as ``what`` of ``stage`` (for ``batch``, -1 when not known)."""
    if TRACE is None:
        yield
        return
    start, cpu = time.monotonic(), time.process_time()
    try:
        yield
    finally:
        end, used = time.monotonic(), time.process_time() - cpu
        # One write of one short line with O_APPEND: lines of several processes never mix.
        line = f"{stage} {os.getpid()} {what} {batch} {start:.6f} {end:.6f} {used:.6f}\n"
        descriptor = os.open(TRACE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line.encode())
        finally:
            os.close(descriptor)
