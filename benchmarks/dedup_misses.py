"""The near-duplicate matcher's errors on the tune splits, by cause; and a threshold sweep.

``eval_dedup.py`` prints every split, held-out ones too; tuning must not see those. This
reads the tune splits only (headline-pairs ``train``, hard-pairs ``tune``) and tells, for
every pair the index gets wrong, which gate decided it:

* a missed same-story pair (the index put the two in two stories): ``verify ok, index
  split`` (``trace_dedup_splits.py`` tells why), ``veto <name>`` (numbers, places,
  opposites, negation, question), ``shared N`` (below ``min_shared_tokens`` shared
  tokens), ``below threshold`` (enough shared, the title similarity under the language's
  threshold);
* a false merge (two stories of different events in one): the rule of verify() that
  accepted the pair, or ``index only`` when verify() rejects it and the stars merge it
  through a third record.

``--sweep`` prints the pooled tune index P / R / F1 (headline-pairs train and hard-pairs
tune of one language) at each title threshold, for the rule in
``crawler/dedup/params.py`` (the highest threshold within 0.005 of the best F1).

    PYTHONPATH=. python benchmarks/dedup_misses.py [--verbose] [--sweep] [--lang de]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_dedup import (  # noqa: E402
    HARD_PAIRS,
    HEADLINE_PAIRS,
    Pair,
    Scores,
    index_stories,
    load,
)
from crawler.dedup import DedupParams  # noqa: E402
from crawler.dedup.tokens import Tokenizer  # noqa: E402
from crawler.dedup.verify import Verdict, features_of, verify  # noqa: E402

#: The splits tuned on, by dataset; the held-out ones (dev, heldout) are never read here.
TUNE = (("headline-pairs", HEADLINE_PAIRS, "train"), ("hard-pairs", HARD_PAIRS, "tune"))
VETOES = frozenset({"numbers", "places", "opposites", "negation", "question", "window"})
SWEEP = [round(0.01 * n, 2) for n in range(20, 56)]


def tune_pairs(lang: str) -> list[tuple[str, list[Pair]]]:
    """The tune splits' pairs of one language, by dataset."""
    return [(name, load(path).get((lang, split), [])) for name, path, split in TUNE
            if path.exists()]


def cause(pair: Pair, verdict: Verdict, shared: int, joined: bool,
          params: DedupParams) -> str | None:
    """Why the index got ``pair`` wrong (None: it did not)."""
    if pair.label and not joined:
        if verdict.same:
            return "missed: verify ok, index split"
        if verdict.rule in VETOES:
            return f"missed: veto {verdict.rule}"
        if shared < params.min_shared_tokens:
            return f"missed: shared {shared}"
        return "missed: below threshold"
    if not pair.label and joined:
        return f"false: rule {verdict.rule}" if verdict.same else "false: index only"
    return None


def buckets(pairs: Sequence[Pair], params: DedupParams, tokenizer: Tokenizer
            ) -> tuple[Scores, Counter[str], list[str]]:
    """The index's scores on ``pairs``, its errors counted by cause, and one line each."""
    stories = index_stories(pairs, params)
    joined = [stories[p.a] == stories[p.b] for p in pairs]
    counted: Counter[str] = Counter()
    lines = []
    for pair, together in zip(pairs, joined, strict=True):
        a, b = (features_of(tokenizer, tokenizer.title_tokens(t, pair.lang), 0.0, pair.lang)
                for t in (pair.a, pair.b))
        verdict = verify(a, b, params)
        why = cause(pair, verdict, len(a.tokens & b.tokens), together, params)
        if why is not None:
            counted[why] += 1
            lines.append(f"{why} (title {verdict.title_similarity:.2f}): {pair.a!r} / {pair.b!r}"
                         f"\n    {sorted(a.tokens)} / {sorted(b.tokens)}")
    return Scores.of(joined, [p.label for p in pairs]), counted, lines


def sweep(lang: str, params: DedupParams) -> list[tuple[float, Scores]]:
    """Pooled tune index scores of ``lang`` at each threshold of :data:`SWEEP`."""
    pairs = [p for _, group in tune_pairs(lang) for p in group]
    found = []
    for threshold in SWEEP:
        table = tuple((code, threshold if code == lang else value)
                      for code, value in params.title_thresholds)
        swept = replace(params, title_thresholds=table)
        joined: list[bool] = []
        labels: list[int] = []
        for _, group in tune_pairs(lang):  # one batch a split, as eval_dedup.py runs them
            stories = index_stories(group, swept)
            joined += [stories[p.a] == stories[p.b] for p in group]
            labels += [p.label for p in group]
        found.append((threshold, Scores.of(joined, labels)))
    assert len(labels) == len(pairs)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", action="append", help="de, en (default both)")
    parser.add_argument("--verbose", action="store_true", help="list every error")
    parser.add_argument("--sweep", action="store_true", help="pooled F1 by title threshold")
    args = parser.parse_args(argv)
    params, tokenizer = DedupParams(), Tokenizer()
    for lang in args.lang or ["de", "en"]:
        for name, pairs in tune_pairs(lang):
            scores, counted, lines = buckets(pairs, params, tokenizer)
            print(f"{name} {lang}: index P / R / F1 {scores.precision:.3f} / "
                  f"{scores.recall:.3f} / {scores.f1:.3f} (tp {scores.tp}, fp {scores.fp},"
                  f" fn {scores.fn})")
            for why, count in sorted(counted.items()):
                print(f"  {why}: {count}")
            if args.verbose:
                print("\n".join(lines))
        if args.sweep:
            for threshold, scores in sweep(lang, params):
                f1 = 2 * scores.tp / (2 * scores.tp + scores.fp + scores.fn)  # unrounded
                print(f"  {lang} {threshold:.2f}: pooled index P / R / F1 {scores.precision:.3f}"
                      f" / {scores.recall:.3f} / {f1:.4f} (tp {scores.tp}, fp {scores.fp})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
