"""Why the index splits pairs that verify() accepts: each such headline pair, by cause.

``eval_dedup.py`` shows the index below verify() in recall on the headline pairs (German train
0.848 against 0.889): pairs verify() accepts end in two stories. This runs the same batch as
``eval_dedup.index_stories`` (one :class:`StoryIndex` batch of a split's distinct headlines),
keeps its verified pairs and vetoes, and names for every such pair, the two records taken in
the index's order (earlier, later), why the later did not join the earlier's story:

* ``not proposed``: no verified pair between the two (the title LSH never proposed it, or the
  window's gates dropped it; verify() was never asked);
* ``vetoed``: the later contradicts a record of the earlier's story
  (:data:`crawler.dedup.index.CONTRADICTIONS`);
* ``fails the canonical``: the earlier joined another record's story, and verify() rejects the
  later with that story's canonical (stars: a record joins only through the canonical);
* ``chose another``: the later agrees with the earlier's canonical too, but joined a story
  whose canonical it is more alike (or came first among equals).

Each cause is counted by label (same story / different stories): a mechanism that recovers a
cause merges its different-story pairs too.

    PYTHONPATH=. python benchmarks/trace_dedup_splits.py [--split train] [--verbose]
                                                          [--headline-pairs PATH]

Only the tune split by default: the held-out ``dev`` split is for one final look.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_dedup import HEADLINE_PAIRS, Pair, load, verify_predictions  # noqa: E402
from benchmarks.eval_dedup import _key as key_of  # noqa: E402
from crawler.dedup import DedupParams, Doc, StoryIndex  # noqa: E402
from crawler.dedup.edges import Edge, Fresh  # noqa: E402
from crawler.dedup.tokens import Tokenizer  # noqa: E402
from crawler.dedup.verify import verify  # noqa: E402

CAUSES = ("not proposed", "vetoed", "fails the canonical", "chose another")


class TracedIndex(StoryIndex):
    """A :class:`StoryIndex` that keeps its last batch's order, verified pairs and vetoes."""

    order: list[str]
    edges: dict[str, list[Edge]]
    vetoed: dict[str, set[str]]

    def _edges(self, fresh: list[Fresh], title_values: np.ndarray, body_values: np.ndarray
               ) -> tuple[dict[str, list[Edge]], dict[str, set[str]]]:
        self.order = [item.id for item in fresh]
        self.edges, self.vetoed = super()._edges(fresh, title_values, body_values)
        return self.edges, self.vetoed


@dataclass(frozen=True)
class Split:
    """A pair verify() accepts that the index put in two stories, and why."""

    pair: Pair
    cause: str
    earlier: str
    later: str
    canonical: str  # of the earlier's story


def trace(pairs: Sequence[Pair], params: DedupParams, tokenizer: Tokenizer) -> list[Split]:
    """The pairs of one language and split that verify() accepts and the index splits."""
    titles = sorted({t for p in pairs for t in (p.a, p.b)})
    title_of = {key_of(t): t for t in titles}
    docs = [Doc(id=k, url=f"https://example.org/{k}", title=t,
                language=pairs[0].lang if pairs else None) for k, t in title_of.items()]
    index = TracedIndex(params, now=0.0)
    decided = {d.id: d for d in index.assign(docs)}
    position = {k: n for n, k in enumerate(index.order)}
    found: list[Split] = []
    for pair, same in zip(pairs, verify_predictions(pairs, params, tokenizer), strict=True):
        a, b = key_of(pair.a), key_of(pair.b)
        if not same or decided[a].story_id == decided[b].story_id:
            continue
        earlier, later = sorted((a, b), key=position.__getitem__)
        canonical = decided[earlier].duplicate_of or earlier
        found.append(Split(pair, _cause(index, earlier, later, canonical),
                           title_of[earlier], title_of[later], title_of[canonical]))
    return found


def _cause(index: TracedIndex, earlier: str, later: str, canonical: str) -> str:
    if not any(edge.other == later for edge in index.edges[earlier]):
        return "not proposed"
    story = index._entries[earlier].story_id
    if any(index._entries[other].story_id == story for other in index.vetoed.get(later, ())):
        return "vetoed"
    if canonical != earlier:
        window = index._window
        slots = index._entries[later].slot, index._entries[canonical].slot
        if not verify(*window.compared(*slots), index.params).same:
            return "fails the canonical"
    return "chose another"


def counts(splits: Sequence[Split]) -> Counter[tuple[str, int]]:
    """How many splits each cause has, by label (1: same story)."""
    return Counter((s.cause, s.pair.label) for s in splits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="train")
    parser.add_argument("--headline-pairs", type=Path, default=HEADLINE_PAIRS)
    parser.add_argument("--verbose", action="store_true", help="list every pair")
    args = parser.parse_args(argv)
    params, tokenizer = DedupParams(), Tokenizer()
    groups = load(args.headline_pairs)
    print("| lang | cause | same story | different stories |")
    print("|---|---|---|---|")
    listed: list[str] = []
    for lang in sorted({lang for lang, split in groups if split == args.split}):
        splits = trace(groups[lang, args.split], params, tokenizer)
        tally = counts(splits)
        for cause in CAUSES:
            print(f"| {lang} | {cause} | {tally[cause, 1]} | {tally[cause, 0]} |")
        listed += [f"{lang} {s.pair.label} {s.cause}: {s.earlier!r} (canonical"
                   f" {s.canonical!r}) / {s.later!r}" for s in splits]
    if args.verbose:
        print("\n" + "\n".join(listed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
