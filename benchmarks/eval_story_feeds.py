"""Stories on real feeds: recall of same-event pairs and false merges of related events.

``../shared/data/real-feeds`` (15 English outlets over six days of July 2020; 5 German outlets
in one capture of 2024-12-21), parsed with :func:`crawler.feeds.parse_feed`, titles and
summaries only (no page text: the feed's summary as ``StoryDoc.summary``). Every entry of a
language goes through one :class:`crawler.stories.StoryClusterer`; the labelled pairs of
``benchmarks/data/real_feed_pairs.jsonl`` (see ``benchmarks/data/README.md``) are judged:

* recall: the share of ``same`` pairs (one event, two outlets) in one story;
* false merges: the share of ``different`` pairs (related events of the same days) in one.

Each figure also per labelling round (``round``: 1, the first 153 pairs; 2 and 3, pairs
labelled after the feed rules of branch sq-feeds were made, 3 after the last of them; 6,
German, after the German rules of rounds 1-2, to judge them on pairs they were not made on; 7,
English, likewise). Of the defaults, ``summary_threshold`` and ``rare_name_bonus`` were chosen
on the German pairs of round 1; ``benchmarks/cv_story_feeds.py`` cross-validates the threshold
by round (each round judged at the value the others chose).

Rounds 4 and 5 (``HELDOUT_ROUNDS``) are kept out of every figure: labelled before the rules of
branches sq-feeds2 and sq-feeds3 were tried and never tuned on, they are printed only with
``--heldout``, once the rules are settled (a figure looked at while tuning is no longer held
out). Round 8 (``FRESH_ROUNDS``: English pairs labelled after every rule, committed before
any tool of ours ran on them) is kept out the same way and printed only with ``--fresh``: a
fresh measurement of how the settled rule generalises, not a round to tune on.

    python benchmarks/eval_story_feeds.py [--json] [--verbose] [--heldout | --fresh]
                                          [--learned-threshold P] [--set NAME=VALUE ...]

``--learned-threshold`` turns on the learned summary score (crawler.stories.learned; fitted
by benchmarks/fit_story_feeds.py) at that probability. ``--set`` sets any story parameter
(as ``eval_stories.py --half first --set``; repeatable), to judge a candidate on the
development rounds before the held-out ones are looked at.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_stories import SHARED, with_settings  # noqa: E402
from benchmarks.story_feeds import load_entries  # noqa: E402
from crawler.stories import MemoryStoryState, StoryClusterer, StoryParams  # noqa: E402

FEEDS = {"en": "en-rss", "de": "de-rss-snapshot"}
PAIRS = ROOT / "benchmarks" / "data" / "real_feed_pairs.jsonl"
# Labelled to judge the rules at the end only (benchmarks/data/README.md, rounds 4 and 5).
HELDOUT_ROUNDS = frozenset({4, 5})
# Labelled after every rule, to measure the settled rule afresh (README, round 8): never tuned on.
FRESH_ROUNDS = frozenset({8})
UNTUNED_ROUNDS = HELDOUT_ROUNDS | FRESH_ROUNDS


def evaluate(params: StoryParams, pairs: Sequence[dict[str, str]]) -> dict[str, dict[str, object]]:
    report: dict[str, dict[str, object]] = {}
    for language, folder in FEEDS.items():
        mine = [p for p in pairs if p["language"] == language]
        if not mine:  # e.g. --fresh: round 8 is English only
            continue
        entries = load_entries(SHARED / "real-feeds" / folder, language)
        started = time.perf_counter()
        story = {a.id: a.story_id for a in StoryClusterer(params, MemoryStoryState()).assign(
            [e.doc() for e in entries])}
        seconds = time.perf_counter() - started
        report[language] = {
            "entries": len(entries), "stories": len(set(story.values())),
            **_judged(mine, story),
            "rounds": {n: _judged([p for p in mine if p.get("round", 1) == n], story)
                       for n in sorted({p.get("round", 1) for p in mine})},
            "ms_per_record": 1000 * seconds / len(entries),
        }
    return report


def _judged(pairs: Sequence[dict[str, Any]], story: dict[str, str]) -> dict[str, Any]:
    """Recall and false merges of ``pairs`` under the stories ``story`` (entry id -> story)."""
    same = [p for p in pairs if p["label"] == "same"]
    different = [p for p in pairs if p["label"] == "different"]
    joined = [p for p in different if story[p["a"]] == story[p["b"]]]
    return {
        "same_pairs": len(same), "different_pairs": len(different),
        "recall": sum(story[p["a"]] == story[p["b"]] for p in same) / max(1, len(same)),
        "false_merges": len(joined), "false_merge_rate": len(joined) / max(1, len(different)),
        "missed": [(p["a_title"], p["b_title"]) for p in same if story[p["a"]] != story[p["b"]]],
        "merged": [(p["a_title"], p["b_title"]) for p in joined],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list missed and merged pairs")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--heldout", action="store_true",
                       help="judge the held-out rounds only (once the rules are settled)")
    which.add_argument("--fresh", action="store_true",
                       help="judge the fresh rounds only (labelled after every rule)")
    parser.add_argument("--learned-threshold", type=float, default=0.0,
                        help="judge English feed summaries by the learned model at this")
    parser.add_argument("--scene-bonus", type=float, default=StoryParams.scene_bonus,
                        help="a summary naming its story's town and act within a day scores"
                             " this more (default %(default)s, chosen on German rounds 1-2;"
                             " 0 turns it off)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a story parameter over the defaults (repeatable)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the German captures lack a content type: salvaged
    lines = [line for line in PAIRS.read_text().splitlines() if line.strip()]
    chosen = HELDOUT_ROUNDS if args.heldout else FRESH_ROUNDS if args.fresh else None
    pairs = [p for p in map(json.loads, lines)
             if (p.get("round", 1) in chosen if chosen is not None
                 else p.get("round", 1) not in UNTUNED_ROUNDS)]
    params = with_settings(args.set)
    # --scene-bonus and --learned-threshold given over a --set of the same name win.
    if args.scene_bonus != StoryParams.scene_bonus:
        params = replace(params, scene_bonus=args.scene_bonus)
    if args.learned_threshold:
        params = replace(params, learned_threshold=args.learned_threshold)
    report = evaluate(params, pairs)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return 0
    for language, r in report.items():
        print(f"{language}: {r['entries']} entries -> {r['stories']} stories;"
              f" recall {r['recall']:.3f} of {r['same_pairs']} same-event pairs;"
              f" false merges {r['false_merges']}/{r['different_pairs']}"
              f" ({r['false_merge_rate']:.3f}); {r['ms_per_record']:.2f} ms/record")
        for n, part in r["rounds"].items():  # type: ignore[attr-defined]
            print(f"  round {n}: recall {part['recall']:.3f} of {part['same_pairs']};"
                  f" false merges {part['false_merges']}/{part['different_pairs']}"
                  f" ({part['false_merge_rate']:.3f})")
        if args.verbose:
            for key in ("missed", "merged"):
                for a, b in r[key]:  # type: ignore[attr-defined]
                    print(f"  {key}: {a} | {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
