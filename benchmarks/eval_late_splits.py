"""Late delivery over two cron runs: does a run split in two give one run's stories?

The entries of ``../shared/data/real-feeds`` (:mod:`benchmarks.story_feeds`), each language
through :class:`crawler.stories.StoryClusterer` kept by the run (``by_run``, as a crawl), once
in one run and then in ``--splits`` seeded two-run splits: the first run holds the first half
of the entries in (published, id) order less a random ``--late`` share of them, which a
second run delivers with the second half (a feed that answered late). A split differs when
its story partition (which entries share a story; ids aside) is not one run's; "moved" counts
the entries whose story mates differ. "first run" counts the splits whose first run already
grouped its own entries otherwise: it decided without the late entries, which one run had
seen (its records are written; no later run moves them), so no state kept between runs can
make those equal; the rest differ by how the second run meets the stored stories.

    python benchmarks/eval_late_splits.py [--splits 10] [--late 0.1] [--seed 0]
                                          [--language de] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_stories import SHARED  # noqa: E402
from benchmarks.eval_story_feeds import FEEDS  # noqa: E402
from benchmarks.story_feeds import load_entries  # noqa: E402
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams  # noqa: E402


def stories(runs: Sequence[Sequence[StoryDoc]], params: StoryParams, now: float
            ) -> dict[str, str]:
    """Each entry's story, the runs one after the other over one state, an hour apart."""
    state = MemoryStoryState()
    got: dict[str, str] = {}
    for n, run in enumerate(runs):
        clusterer = StoryClusterer(params, state, now=now + n * 3600, by_run=True)
        got.update((a.id, a.story_id) for a in clusterer.assign(list(run)))
        clusterer.flush()
        clusterer.evict()
    return got


def mates(story: dict[str, str]) -> dict[str, frozenset[str]]:
    """Each entry's story as the set of its members (ids of stories aside)."""
    members: dict[str, set[str]] = {}
    for doc_id, story_id in story.items():
        members.setdefault(story_id, set()).add(doc_id)
    frozen = {s: frozenset(m) for s, m in members.items()}
    return {doc_id: frozen[story_id] for doc_id, story_id in story.items()}


def late_split(docs: Sequence[StoryDoc], share: float, rng: random.Random
               ) -> tuple[list[StoryDoc], list[StoryDoc]]:
    """(first run, second run): the first half in time order less ``share`` of it, which
    the second run delivers with the second half."""
    ordered = sorted(docs, key=lambda d: (d.published is None, d.published or 0.0, d.id))
    half = len(ordered) // 2
    late = set(rng.sample(range(half), max(1, round(share * half))))
    first = [d for i, d in enumerate(ordered[:half]) if i not in late]
    second = [d for i, d in enumerate(ordered[:half]) if i in late] + ordered[half:]
    return first, second


def evaluate(language: str, params: StoryParams, splits: int, share: float, seed: int
             ) -> dict[str, Any]:
    docs = [e.doc() for e in load_entries(SHARED / "real-feeds" / FEEDS[language], language)]
    now = max(d.published for d in docs if d.published is not None) + 3600
    one = mates(stories([docs], params, now))
    rows = []
    for n in range(splits):
        first, second = late_split(docs, share, random.Random(f"{seed}-{language}-{n}"))
        split = mates(stories([first, second], params, now))
        moved = sorted(d for d in one if one[d] != split[d])
        ran = {d.id for d in first}
        rows.append({"split": n, "late": len(docs) // 2 - len(first),
                     "moved": len(moved), "differs": bool(moved),
                     "first_run": any(one[d] & ran != split[d] & ran for d in ran)})
    return {"entries": len(docs), "stories": len(set(one.values())),
            "differing": sum(r["differs"] for r in rows), "splits": rows,
            "first_run": sum(r["first_run"] for r in rows),
            "moved": sum(int(r["moved"]) for r in rows)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, default=10)
    parser.add_argument("--late", type=float, default=0.1,
                        help="the share of the first half delivered to the second run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--language", choices=sorted(FEEDS), action="append")
    parser.add_argument("--rare-name-bonus", type=float, default=math.nan,
                        help="override StoryParams.rare_name_bonus (0 turns it off)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the German captures lack a content type: salvaged
    params = StoryParams()
    if not math.isnan(args.rare_name_bonus):
        params = StoryParams.overridden({"rare_name_bonus": args.rare_name_bonus})
    report = {language: evaluate(language, params, args.splits, args.late, args.seed)
              for language in args.language or sorted(FEEDS)}
    print(json.dumps(report, indent=1) if args.json
          else "\n".join(_lines(report, args.splits, args.late)))
    return 0


def _lines(report: dict[str, dict[str, Any]], splits: int, late: float) -> Iterator[str]:
    for language, r in report.items():
        yield (f"{language}: {r['entries']} entries -> {r['stories']} stories in one run;"
               f" {r['differing']}/{splits} splits differ ({late:.0%} of the first half"
               f" late; {r['first_run']} of them in the first run's own entries already),"
               f" {r['moved']} entries moved in all")
        for row in r["splits"]:
            yield (f"  split {row['split']}: {row['late']} late, {row['moved']} moved"
                   + (", first run differs" if row["first_run"] else ""))

if __name__ == "__main__":
    raise SystemExit(main())
