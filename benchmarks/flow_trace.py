"""``policywire dedup`` with its stages traced (:mod:`crawler.dedup.flowtrace`): each stage's
waits and work per batch, and where the wall clock went.

    python benchmarks/flow_trace.py IN.jsonl [--option ...]   # runs the command once

Prints, per stage (input worker, main process, story clusterer): the seconds spent waiting
for another stage (spans named ``recv*`` / ``send*``: wall clock) and working (the rest,
wall and CPU), each batch's spans, and the run's wall clock from the command's start. A
stage that waits little is on the critical path; the flow is as good as the waits of the
stage with the most work are small.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(source: Path, options: list[str], trace: Path) -> float:
    """The command on ``source``, traced into ``trace``; its start (``time.monotonic``)."""
    target = trace.with_suffix(".out")
    env = {**os.environ, "POLICYWIRE_FLOW_TRACE": str(trace)}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "crawler.cli", "dedup", str(source), "-o",
                    str(target), "--quiet", *options], cwd=ROOT, env=env, check=True)
    with trace.open("a") as out:
        out.write(f"run {os.getpid()} total -1 {started:.6f} {time.monotonic():.6f} 0\n")
    return started


def summary(trace: Path) -> str:
    spans = [line.split() for line in trace.read_text().splitlines()]
    start = min(float(s[4]) for s in spans)
    lines = []
    by_stage: dict[str, list[list[str]]] = defaultdict(list)
    for s in spans:
        by_stage[s[0]].append(s)
    for stage in ("input", "main", "stories", "run"):
        rows = by_stage.get(stage, [])
        if not rows:
            continue
        waits: dict[str, float] = defaultdict(float)
        work: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for _, _, what, _, begun, ended, cpu in rows:
            wall = float(ended) - float(begun)
            if what.startswith(("recv", "send")):
                waits[what] += wall
            else:
                work[what][0] += wall
                work[what][1] += float(cpu)
        first = min(float(r[4]) for r in rows) - start
        last = max(float(r[5]) for r in rows) - start
        lines.append(f"{stage:8s} {first:6.2f}-{last:6.2f} s  waits: "
                     + ", ".join(f"{k} {v:.2f}" for k, v in sorted(waits.items()))
                     + "  work (wall/cpu): "
                     + ", ".join(f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in sorted(work.items())))
    lines.append(concurrency(spans, start))
    lines.append("per span (stage what batch: start-end from the command's start, cpu):")
    for s in sorted(spans, key=lambda s: float(s[4])):
        if s[0] != "run":
            lines.append(f"  {s[0]:8s} {s[2]:13s} {s[3]:>3s}: {float(s[4]) - start:6.2f}-"
                         f"{float(s[5]) - start:6.2f} cpu {float(s[6]):.2f}")
    return "\n".join(lines)


def concurrency(spans: list[list[str]], start: float) -> str:
    """Seconds of the run (from the first span) with 0, 1, 2 or 3 stages working (in a span
    that is no wait): on two cores, time with fewer than two working leaves a core idle."""
    edges = sorted((float(s[4 + end]), 1 - 2 * end) for s in spans
                   if s[0] != "run" and not s[2].startswith(("recv", "send"))
                   for end in (0, 1))
    seconds: dict[int, float] = defaultdict(float)
    working, at = 0, start
    for when, step in edges:
        seconds[working] += when - at
        working, at = working + step, when
    return "stages working: " + ", ".join(f"{n}: {seconds[n]:.2f} s" for n in sorted(seconds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--trace", type=Path, help="keep the trace here (default: a temp file)")
    parser.add_argument("option", nargs="*", help="more options of policywire dedup")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        trace = args.trace or Path(tmp) / "trace.txt"
        trace.unlink(missing_ok=True)
        run(args.source, args.option, trace)
        print(summary(trace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
