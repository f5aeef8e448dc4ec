"""Peak memory of the merge stage: bounded by the chunk, not by the run (issue #7).

Each measurement runs in a fresh process: a :class:`crawler.merge.RunMerger` on a real
SQLite state in a temporary directory gets N generated article records (a title of 8 words
and a ~3 KB body; every 10th record a near-duplicate of the one before), then ``finish()``
assigns stories and writes them. Printed per mode and N: the growth of peak RSS over the
process's RSS before the first record (MB), wall time, and the ratio of growth between the
largest and the smallest N (N grows 5x by default: linear memory gives ~5, bounded ~1).

Modes:

* ``chunked``: the merge as it is: records spooled to disk, read back and written in chunks
  of ``CHUNK_SIZE`` (or ``--chunk-size``);
* ``unbounded``: the same code with the chunk size set to infinity and the records also kept
  in a plain list while the crawl runs: the memory profile of the merge before the spool;
* ``index``: the story index alone (``StoryIndex.assign`` of the same records in chunks, no
  merge): the floor every mode shares, subtracted to show the merge stage's own share;
* ``rev``: with ``--rev REV``, the ``crawler/merge.py`` of that git revision (e.g. ``b5d1201``,
  the last one before the spool), loaded beside today's package.

What stays in memory in every mode is the story index: each record's title tokens and
signatures (:class:`crawler.dedup.StoryIndex` keeps the window's stories to match against;
measured ~6 KB per article record). That part grows with N in every mode; the ``merge``
column (growth minus the ``index`` mode's) is what the merge stage itself holds.

    python benchmarks/bench_memory.py [--sizes 20000 100000] [--big] [--rev b5d1201] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler import merge  # noqa: E402
from crawler.dedup import DedupParams, Doc, StoryIndex  # noqa: E402
from crawler.models import Record  # noqa: E402
from crawler.state import StateStore  # noqa: E402

BODY_WORDS = 330  # ~3 KB of text
VOCABULARY = 20_000


def articles(count: int, seed: int = 11) -> Iterator[Record]:
    """``count`` article records, generated one at a time (the generator holds none)."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "ver", "min", "sto", "ra", "den", "tu", "pel", "no", "gar", "is"]
    words = sorted({"".join(rng.choices(syllables, k=4)) for _ in range(VOCABULARY)})
    title: list[str] = []
    for n in range(count):
        # Every 10th: a near-duplicate of the record before (reordered, with a media tag).
        title = ([*rng.sample(title, len(title)), "(VIDEO)"] if n % 10 == 9
                 else rng.sample(words, 8))
        text = " ".join(rng.choices(words, k=BODY_WORDS))
        key = f"{n:08x}"
        yield Record(
            id=key, url=f"https://s{n % 7}.example/{key}", source=f"s{n % 7}",
            title=" ".join(title).capitalize(), title_raw=" ".join(title), text=text,
            fetched_at="2026-11-29T06:00:00Z", language="de", content_hash=key,
            published=f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
        )


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def measure(mode: str, count: int, chunk_size: int, rev: str | None) -> dict[str, Any]:
    """One run of the merge stage in this process: peak RSS growth and wall time."""
    if mode == "index":
        return measure_index(count, chunk_size)
    module = merge if mode != "rev" else _merge_at(rev or "HEAD")
    kept: list[Record] = []  # "unbounded": the records of the run, as the old RunBatch held
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        state = StateStore(root / "state")
        options: dict[str, Any] = {}
        if mode != "rev":
            options["chunk_size"] = None if mode == "unbounded" else chunk_size
        merger = module.RunMerger(
            "bench", "2026-11-29T06:00:00Z", targets=module.MergeTargets(root / "out"),
            state=state, state_dir=root / "state", params=DedupParams(), **options)
        before = rss_mb()
        started = time.perf_counter()
        for record in articles(count):
            merger.add(record, f"fp-{record.id}")
            if mode == "unbounded":
                kept.append(record)
        summary = merger.finish("2026-11-29T07:00:00Z")
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        state.close()
    totals = summary.totals()
    return {"mode": mode, "records": count, "written": totals.records,
            "duplicates": totals.duplicates, "baseline_mb": round(before, 1),
            "peak_growth_mb": round(peak - before, 1), "seconds": round(seconds, 1)}


def measure_index(count: int, chunk_size: int) -> dict[str, Any]:
    """The story index alone, fed the same records in chunks: no spool, no output."""
    index = StoryIndex(DedupParams())
    before = rss_mb()
    started = time.perf_counter()
    docs: list[Doc] = []
    for record in articles(count):
        docs.append(Doc(id=record.id, url=record.url, title=record.title, text=record.text,
                        language=record.language, published=record.published,
                        source=record.source))
        if len(docs) == chunk_size:
            index.assign(docs)
            index.flush()
            docs = []
    duplicates = sum(d.duplicate_of is not None for d in index.assign(docs)) if docs else 0
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": "index", "records": count, "written": len(index), "duplicates": duplicates,
            "baseline_mb": round(before, 1), "peak_growth_mb": round(peak - before, 1),
            "seconds": round(seconds, 1)}


def _merge_at(rev: str) -> ModuleType:
    """``crawler/merge.py`` as it was at ``rev``, importing today's package beside it."""
    source = subprocess.run(["git", "show", f"{rev}:crawler/merge.py"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "merge_at_rev.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("merge_at_rev", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["merge_at_rev"] = module
    spec.loader.exec_module(module)
    return module


def in_child(mode: str, count: int, chunk_size: int, rev: str | None) -> dict[str, Any]:
    """A fresh process per measurement: peak RSS is per process and never goes down."""
    args = [sys.executable, __file__, "--child", mode, str(count), str(chunk_size), rev or ""]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--big", action="store_true", help="also 500,000 records (slow)")
    parser.add_argument("--chunk-size", type=int, default=merge.CHUNK_SIZE)
    parser.add_argument("--rev", help="also measure crawler/merge.py of this git revision")
    parser.add_argument("--modes", nargs="+", default=["index", "chunked", "unbounded"],
                        choices=["index", "chunked", "unbounded"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, count, chunk, rev = args.child
        print(json.dumps(measure(mode, int(count), int(chunk), rev or None)))
        return
    sizes = sorted(set(args.sizes + ([500_000] if args.big else [])))
    modes = [*args.modes, *(["rev"] if args.rev else [])]
    results = [in_child(mode, n, args.chunk_size, args.rev) for mode in modes for n in sizes]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"chunk size {args.chunk_size}; peak RSS growth over the RSS before the first record")
    floor = {r["records"]: r["peak_growth_mb"] for r in results if r["mode"] == "index"}
    print(f"{'mode':<10} {'records':>9} {'growth MB':>10} {'merge MB':>9} {'KB/record':>10}"
          f" {'seconds':>8}")
    for row in results:
        row["merge_mb"] = round(row["peak_growth_mb"] - floor.get(row["records"], 0.0), 1)
        per = row["peak_growth_mb"] * 1024 / row["records"]
        print(f"{row['mode']:<10} {row['records']:>9,} {row['peak_growth_mb']:>10.1f}"
              f" {row['merge_mb'] if floor else float('nan'):>9.1f} {per:>10.2f}"
              f" {row['seconds']:>8.1f}")
    for mode in modes:
        rows = [r for r in results if r["mode"] == mode]
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            ratio = last["peak_growth_mb"] / max(first["peak_growth_mb"], 0.1)
            line = (f"{mode}: growth ratio {last['records']:,} vs {first['records']:,} records:"
                    f" {ratio:.2f} (records ratio {last['records'] / first['records']:.1f})")
            if floor and mode != "index":
                share = last["merge_mb"] / max(first["merge_mb"], 0.1)
                line += f"; merge stage's own share: {share:.2f}"
            print(line)


if __name__ == "__main__":
    main()
