"""Story-merging quality: pairwise precision/recall/F1 and cluster ARI, vs a MinHash baseline.

Datasets (each has a split to tune on and a held-out split to report):

* ``headline-pairs`` -- STS-B news headlines (en + machine-translated de), label = STS score
  >= 4 (same meaning) vs <= 2; tune on ``train``, report ``dev``. A proxy for "same story".
  Found at ``<repo>/../shared/data/headline-pairs/pairs.jsonl`` (or ``--headline-pairs``).
* ``hard-pairs`` -- hand-written security-policy headline pairs (``benchmarks/data``);
  tune on ``tune``, report ``heldout``.

For every dataset, language and split it measures:

* ``verify``: a pair is predicted same-story when :func:`crawler.dedup.verify` accepts the two
  headlines' features (tokens from :func:`crawler.dedup.match_tokens`);
* ``index``: all distinct headlines of the split go through one :class:`StoryIndex` batch
  (tokens, signatures, LSH candidates, verification, union-find); a pair is predicted
  same-story when both land in one story. This catches pairs LSH never proposes, and merges
  that chaining through other headlines adds;
* ``ARI``: adjusted Rand index between the gold clusters (connected components of gold
  positive pairs over the split's headlines) and the index's stories;
* ``baseline``: a plain word-set MinHash (lower-cased whitespace tokens, datasketch defaults:
  128 permutations, sha1) at the single threshold that gives the best F1 on the tune split.

Then the story level (issue 18), measured by the two story scripts' own functions in the same
run (``--no-stories`` skips it, about a minute):

* ``story-clusters`` (:mod:`benchmarks.eval_stories`): pairwise P/R/F1 and ARI per slice
  (rows with real headlines, rows whose title is a lead sentence, all), ours beside the
  TF-IDF + average-link baseline, with the defaults and held out (tuned on half the topics);
* ``real feeds`` (:mod:`benchmarks.eval_story_feeds`): recall of same-event pairs and false
  merges of related events on ``../shared/data/real-feeds``.

    python benchmarks/eval_dedup.py [--json] [--headline-pairs PATH] [--hard-pairs PATH]
                                    [--no-stories] [--story-records PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from math import comb
from pathlib import Path

from datasketch import MinHash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shared_data import SHARED_DATA  # noqa: E402
from crawler.dedup import DedupParams, Doc, StoryIndex  # noqa: E402
from crawler.dedup.cluster import UnionFind  # noqa: E402
from crawler.dedup.tokens import Tokenizer  # noqa: E402
from crawler.dedup.verify import (  # noqa: E402
    Features,
    features_of,
    verify,
)

HEADLINE_PAIRS = SHARED_DATA / "headline-pairs" / "pairs.jsonl"
HARD_PAIRS = ROOT / "benchmarks" / "data" / "hard_pairs.jsonl"
SPLITS = {"headline-pairs": ("train", "dev"), "hard-pairs": ("tune", "heldout")}
SEED_PAIR = ("NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
             "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)")
THRESHOLDS = [round(0.05 * n, 2) for n in range(1, 20)]


@dataclass(frozen=True)
class Pair:
    lang: str
    a: str
    b: str
    label: int


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, predicted: Iterable[bool], labels: Iterable[int]) -> Scores:
        tp = fp = fn = 0
        for guess, label in zip(predicted, labels, strict=True):
            tp += guess and label == 1
            fp += guess and label == 0
            fn += (not guess) and label == 1
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 3), round(recall, 3), round(f1, 3), tp, fp, fn)


def load(path: Path) -> dict[tuple[str, str], list[Pair]]:
    """Pairs by (language, split)."""
    groups: dict[tuple[str, str], list[Pair]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            pair = Pair(row["lang"], row["a"], row["b"], int(row["label"]))
            groups.setdefault((row["lang"], row["split"]), []).append(pair)
    return groups


def verify_predictions(pairs: Sequence[Pair], params: DedupParams,
                       tokenizer: Tokenizer) -> list[bool]:
    def features(title: str, lang: str) -> Features:
        return features_of(tokenizer, tokenizer.title_tokens(title, lang), 0.0, lang)

    return [verify(features(p.a, p.lang), features(p.b, p.lang), params).same for p in pairs]


def index_stories(pairs: Sequence[Pair], params: DedupParams) -> dict[str, str]:
    """Story id of every distinct headline, all assigned in one batch."""
    titles = sorted({t for p in pairs for t in (p.a, p.b)})
    docs = [Doc(id=_key(t), url=f"https://example.org/{_key(t)}", title=t,
                language=pairs[0].lang if pairs else None) for t in titles]
    decisions = StoryIndex(params, now=0.0).assign(docs)
    return {title: d.story_id for title, d in zip(titles, decisions, strict=True)}


def adjusted_rand_index(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """ARI of two labelings of the same items (Hubert & Arabie), from the contingency table."""
    table: dict[tuple[str, str], int] = {}
    for g, p in zip(gold, predicted, strict=True):
        table[g, p] = table.get((g, p), 0) + 1
    rows: dict[str, int] = {}
    cols: dict[str, int] = {}
    for (g, p), count in table.items():
        rows[g] = rows.get(g, 0) + count
        cols[p] = cols.get(p, 0) + count
    index = sum(comb(n, 2) for n in table.values())
    row_sum = sum(comb(n, 2) for n in rows.values())
    col_sum = sum(comb(n, 2) for n in cols.values())
    expected = row_sum * col_sum / comb(len(gold), 2) if len(gold) > 1 else 0.0
    maximum = (row_sum + col_sum) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def gold_clusters(pairs: Sequence[Pair]) -> dict[str, str]:
    sets: UnionFind[str] = UnionFind(t for p in pairs for t in (p.a, p.b))
    for pair in pairs:
        if pair.label:
            sets.union(pair.a, pair.b)
    return {t: sets.find(t) for p in pairs for t in (p.a, p.b)}


class Baseline:
    """Plain word-set MinHash: lower-cased whitespace tokens, datasketch's defaults."""

    def __init__(self) -> None:
        self._cache: dict[str, MinHash] = {}

    def similarity(self, pair: Pair) -> float:
        return float(self._sign(pair.a).jaccard(self._sign(pair.b)))

    def best_threshold(self, pairs: Sequence[Pair]) -> float:
        sims = [self.similarity(p) for p in pairs]
        labels = [p.label for p in pairs]
        return max(THRESHOLDS,
                   key=lambda t: (Scores.of([s >= t for s in sims], labels).f1, -t))

    def _sign(self, title: str) -> MinHash:
        if title not in self._cache:
            sig = MinHash()
            sig.update_batch([w.encode() for w in set(title.lower().split())])
            self._cache[title] = sig
        return self._cache[title]


@dataclass(frozen=True)
class Setup:
    """What every measurement of one dataset and language shares."""

    params: DedupParams
    tokenizer: Tokenizer
    baseline: Baseline
    threshold: float  # the baseline's, chosen on the tune split


def evaluate(name: str, groups: dict[tuple[str, str], list[Pair]], params: DedupParams,
             tokenizer: Tokenizer) -> list[dict[str, object]]:
    tune, report = SPLITS[name]
    baseline = Baseline()
    results = []
    for lang in sorted({lang for lang, _ in groups}):
        setup = Setup(params, tokenizer, baseline,
                      baseline.best_threshold(groups.get((lang, tune), [])))
        for split in (tune, report):
            pairs = groups.get((lang, split), [])
            if pairs:
                row = {"dataset": name, "lang": lang, "split": split,
                       "heldout": split == report, "pairs": len(pairs)}
                results.append({**row, **_measure(pairs, setup)})
    return results


def _measure(pairs: list[Pair], setup: Setup) -> dict[str, object]:
    labels = [p.label for p in pairs]
    stories = index_stories(pairs, setup.params)
    gold = gold_clusters(pairs)
    titles = sorted(gold)
    base = [setup.baseline.similarity(p) >= setup.threshold for p in pairs]
    verified = verify_predictions(pairs, setup.params, setup.tokenizer)
    return {
        "verify": asdict(Scores.of(verified, labels)),
        "index": asdict(Scores.of([stories[p.a] == stories[p.b] for p in pairs], labels)),
        "ari": round(adjusted_rand_index([gold[t] for t in titles],
                                         [stories[t] for t in titles]), 3),
        "baseline": {**asdict(Scores.of(base, labels)), "threshold": setup.threshold},
    }


def seed_outcome(params: DedupParams, tokenizer: Tokenizer) -> dict[str, object]:
    a, b = (features_of(tokenizer, tokenizer.title_tokens(t, "de"), 0.0, "de")
            for t in SEED_PAIR)
    verdict = verify(a, b, params)
    docs = [Doc(id=str(n), url=f"https://example.org/{n}", title=t, language="de")
            for n, t in enumerate(SEED_PAIR)]
    decisions = StoryIndex(params, now=0.0).assign(docs)
    base = Baseline().similarity(Pair("de", *SEED_PAIR, 1))
    return {"pair": list(SEED_PAIR), "same": verdict.same, "rule": verdict.rule,
            "title_similarity": round(verdict.title_similarity, 3),
            "index_same_story": decisions[0].story_id == decisions[1].story_id,
            "baseline_similarity": round(base, 3)}


def print_table(results: list[dict[str, object]], seed: dict[str, object],
                write: Callable[[str], object] = print) -> None:
    write("| dataset | lang | split | pairs | verify P / R / F1 | index P / R / F1 | ARI |"
          " baseline P / R / F1 (t) |")
    write("|---|---|---|---|---|---|---|---|")
    for row in results:
        split = f"**{row['split']}**" if row["heldout"] else str(row["split"])
        base = row["baseline"]
        assert isinstance(base, dict)
        write(f"| {row['dataset']} | {row['lang']} | {split} | {row['pairs']} | "
              f"{_prf(row['verify'])} | {_prf(row['index'])} | {row['ari']:.3f} | "
              f"{_prf(base)} ({base['threshold']:.2f}) |")
    write(f"\nseed pair: same={seed['same']} rule={seed['rule']} "
          f"title_similarity={seed['title_similarity']} index={seed['index_same_story']} "
          f"baseline_similarity={seed['baseline_similarity']}")


def _prf(scores: object) -> str:
    assert isinstance(scores, dict)
    return f"{scores['precision']:.3f} / {scores['recall']:.3f} / {scores['f1']:.3f}"


def _key(title: str) -> str:
    return hashlib.sha1(title.encode()).hexdigest()[:12]


def story_section(records: Path | None) -> dict[str, object]:
    """The story level: story-clusters per slice (ours and the baseline) and the real feeds."""
    # Imported here, not at the top: eval_stories imports this module (adjusted_rand_index),
    # and scipy is loaded only when the section runs.
    from benchmarks import eval_stories, eval_story_feeds
    from crawler.stories import StoryParams

    params = StoryParams()
    rows = eval_stories.load(records or eval_stories.RECORDS)
    clusters = eval_stories.evaluate(rows, params)
    logging.disable(logging.WARNING)  # the German captures lack a content type: salvaged
    try:
        feeds = eval_story_feeds.evaluate(params, eval_stories.load(eval_story_feeds.PAIRS))
    finally:
        logging.disable(logging.NOTSET)
    return {"story_clusters": json.loads(json.dumps(clusters, default=asdict)),
            "real_feeds": feeds}


def print_stories(section: dict[str, object], write: Callable[[str], object] = print) -> None:
    """The story section as two Markdown tables (P / R / F1 (ARI); held out: tuned on half)."""
    clusters, feeds = section["story_clusters"], section["real_feeds"]
    assert isinstance(clusters, dict) and isinstance(feeds, dict)
    write("\n| slice | records | events | ours, defaults | ours, held out |"
          " baseline, held out | baseline, best cut |")
    write("|---|---|---|---|---|---|---|")
    for name, r in clusters.items():
        write(f"| {name} | {r['records']} | {r['events']} | {_prfa(r['ours_defaults'])} | "
              f"{_prfa(r['ours_held_out'])} | {_prfa(r['baseline_held_out'])} | "
              f"{_prfa(r['baseline_best_cut'])}, cut {r['baseline_cut']} |")
    write("\n| real feeds | entries | stories | same-event recall | related events merged |")
    write("|---|---|---|---|---|")
    for lang, r in feeds.items():
        write(f"| {lang} | {r['entries']} | {r['stories']} | {r['recall']:.3f} of"
              f" {r['same_pairs']} | {r['false_merges']} of {r['different_pairs']}"
              f" ({r['false_merge_rate']:.3f}) |")


def _prfa(scores: dict[str, float]) -> str:
    return f"{_prf(scores)} ({scores['ari']:.3f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--headline-pairs", type=Path, default=HEADLINE_PAIRS)
    parser.add_argument("--hard-pairs", type=Path, default=HARD_PAIRS)
    parser.add_argument("--no-stories", action="store_true",
                        help="skip the story level (story-clusters and real feeds, ~1 min)")
    parser.add_argument("--story-records", type=Path,
                        help="story-clusters records.jsonl, or a slice of it (default: the"
                             " shared data's)")
    args = parser.parse_args(argv)
    params = DedupParams()
    tokenizer = Tokenizer()
    results: list[dict[str, object]] = []
    for name, path in (("headline-pairs", args.headline_pairs), ("hard-pairs", args.hard_pairs)):
        if path.exists():
            results += evaluate(name, load(path), params, tokenizer)
        else:
            print(f"skipped {name}: {path} not found", file=sys.stderr)
    seed = seed_outcome(params, tokenizer)
    stories = None if args.no_stories else story_section(args.story_records)
    if args.json:
        extra = {} if stories is None else {"stories": stories}
        print(json.dumps({"results": results, "seed_pair": seed, **extra}, indent=2))
        return 0
    print_table(results, seed)
    if stories is not None:
        print_stories(stories)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
