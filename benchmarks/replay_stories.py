"""The story clusterer alone, on the batches ``policywire dedup`` hands it: captured once,
then replayed in one process (its CPU seconds without the other stages, the pipes or the
machine's other jobs between them), and the stories of two replays compared.

    python benchmarks/replay_stories.py capture IN.jsonl DIR    # the command, each batch kept
    python benchmarks/replay_stories.py replay DIR [--out FILE] [--profile]
    python benchmarks/replay_stories.py same FILE FILE          # exit status 1 when they differ

``capture`` runs ``policywire dedup IN.jsonl -o DIR/out.jsonl`` and pickles each batch the
story process gets (its profiles and sketches, and the near-duplicate decisions) into
``DIR``; ``replay``
gives them to a fresh :class:`crawler.stories.StoryClusterer` in order, as that process
does (flushing and evicting after each), and prints the process CPU seconds of the batches
alone; ``--out`` keeps the stories it found (story ids and links, as the story process
answers), ``--profile`` prints cProfile's top functions. To A/B a change of the clusterer,
capture once and replay from each tree in turn (``PYTHONPATH=TREE``), alternating, then
``same`` on their ``--out`` files: a capture holds pickled profiles, so both trees must
read the capturing tree's ``Profile`` (benchmarks/README.md, "Story merging speed").
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import crawler.storystage as stage  # noqa: E402
from crawler.cli import main as cli  # noqa: E402
from crawler.dedup.prepare import paused_gc  # noqa: E402
from crawler.stories import StoryClusterer, StoryParams  # noqa: E402


def capture(source: Path, where: Path) -> int:
    """``policywire dedup source`` with each batch the story process gets pickled into
    ``where`` (the process is forked from this one: it runs these hooks)."""
    where.mkdir(parents=True, exist_ok=True)
    number = [0]
    assigned = stage.assigned

    def keeping(clusterer: StoryClusterer, made: Any, copies: Sequence[Any]) -> Any:
        with (where / f"{number[0]:04d}.pkl").open("wb") as out:
            pickle.dump((made, list(copies)), out, pickle.HIGHEST_PROTOCOL)
        number[0] += 1
        return assigned(clusterer, made, copies)

    stage.assigned = keeping
    try:
        # Written beside the batches: the command writes its output through a temporary
        # file renamed over the target, which would replace a device such as /dev/null.
        return cli(["dedup", str(source), "-o", str(where / "out.jsonl"), "--quiet"])
    finally:
        stage.assigned = assigned


def replay(where: Path, out: Path | None, profile: bool) -> int:
    """The captured batches through a fresh clusterer; their CPU seconds printed."""
    batches = [pickle.loads(path.read_bytes()) for path in sorted(where.glob("*.pkl"))]
    clusterer = StoryClusterer(StoryParams(), None)
    stage.warm_tables()
    answers: list[Any] = []
    profiler = cProfile.Profile() if profile else None
    with paused_gc():  # as in the story process; on again after (tests run this in-process)
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        for made, copies in batches:
            answers.append(stage.answer_of(stage.assigned(clusterer, made, copies)))
            clusterer.flush()
            clusterer.evict()
        if profiler is not None:
            profiler.disable()
        used = time.process_time() - started
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    records = sum(len(copies) for _, copies in batches)
    print(f"{records} records, {len(batches)} batches: {used:.3f} CPU s")
    if out is not None:
        out.write_bytes(pickle.dumps(answers, pickle.HIGHEST_PROTOCOL))
    return 0


def same(first: Path, second: Path) -> int:
    """0 when two replays found the same stories (ids and links, batch by batch), else 1."""
    a, b = (pickle.loads(path.read_bytes()) for path in (first, second))
    if a == b:
        print("same stories")
        return 0
    for number, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            print(f"batch {number} differs")
            return 1
    print(f"{len(a)} batches against {len(b)}")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    taken = commands.add_parser("capture")
    taken.add_argument("source", type=Path)
    taken.add_argument("where", type=Path)
    again = commands.add_parser("replay")
    again.add_argument("where", type=Path)
    again.add_argument("--out", type=Path)
    again.add_argument("--profile", action="store_true")
    compared = commands.add_parser("same")
    compared.add_argument("first", type=Path)
    compared.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    if args.command == "capture":
        return capture(args.source, args.where)
    if args.command == "replay":
        return replay(args.where, args.out, args.profile)
    return same(args.first, args.second)


if __name__ == "__main__":
    raise SystemExit(main())
