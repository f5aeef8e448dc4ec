"""Story-clustering quality: pairwise P/R/F1 and ARI on story-clusters, beside a baseline.

``../shared/data/story-clusters/records.jsonl`` (ECB+ odd topics: 496 real articles, 42
events, two events of one kind per topic) goes through :class:`crawler.stories.StoryClusterer`
per slice: rows with real headlines, rows whose title is a lead sentence, and all rows. A pair
of records is predicted one story when both land in one; against the gold ``cluster``.

Baseline in the same run: TF-IDF over title + body (lower-cased words, smooth idf, l2) and
average-link clustering (scipy) cut at a cosine distance.

To keep tuning honest the topics are split in two halves (odd and even positions in topic
order): a threshold (ours: ``content_threshold``; the baseline's: its cut) is chosen on one
half and reported on the other, and the other way round (``--held-out``). Without it, both
use the defaults / the best single cut over all topics (``full``).

    python benchmarks/eval_stories.py [--json] [--records PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from math import comb
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_dedup import adjusted_rand_index  # noqa: E402
from benchmarks.shared_data import SHARED_DATA  # noqa: E402
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams  # noqa: E402

# ../shared beside the repository (a worktree sits one level deeper: ../../shared).
SHARED = SHARED_DATA
RECORDS = SHARED / "story-clusters" / "records.jsonl"
SLICES: dict[str, Callable[[dict[str, str]], bool]] = {
    "headline": lambda r: r["title_kind"] == "headline",
    "lead_sentence": lambda r: r["title_kind"] == "lead_sentence",
    "all": lambda r: True,
}
OUR_GRID = [round(0.02 * n, 2) for n in range(5, 31)]
BASELINE_GRID = [round(0.05 * n, 2) for n in range(6, 20)]
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    ari: float

    def line(self) -> str:
        return (f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}"
                f" ARI {self.ari:.3f}")


def load(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def pairwise(gold: Sequence[str], predicted: Sequence[str]) -> Score:
    """Pairwise precision/recall/F1 over all record pairs, and the ARI."""
    both = sum(comb(n, 2) for n in Counter(zip(gold, predicted, strict=True)).values())
    said = sum(comb(n, 2) for n in Counter(predicted).values())
    true = sum(comb(n, 2) for n in Counter(gold).values())
    p = both / said if said else 1.0
    r = both / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f, adjusted_rand_index(gold, predicted))


def doc_of(row: dict[str, str]) -> StoryDoc:
    published = row.get("published")
    ts = (datetime.fromisoformat(published).replace(tzinfo=UTC).timestamp()
          if published else None)
    return StoryDoc(row["id"], row["title"], row["text"], row.get("language"), ts,
                    row.get("source") or "", None)


def ours(rows: Sequence[dict[str, str]], params: StoryParams) -> list[str]:
    clusterer = StoryClusterer(params, MemoryStoryState())
    return [a.story_id for a in clusterer.assign([doc_of(r) for r in rows])]


def baseline(rows: Sequence[dict[str, str]], cut: float) -> list[str]:
    """TF-IDF (smooth idf, l2) over title + body, average-link at cosine distance ``cut``."""
    if len(rows) < 2:
        return ["0"] * len(rows)
    docs = [Counter(_WORDS.findall(f"{r['title']} {r['text']}".lower())) for r in rows]
    vocab = {w: i for i, w in enumerate(sorted(set().union(*docs)))}
    df = Counter(w for d in docs for w in d)
    matrix = np.zeros((len(docs), len(vocab)))
    for i, d in enumerate(docs):
        for w, n in d.items():
            matrix[i, vocab[w]] = n * (math.log((1 + len(docs)) / (1 + df[w])) + 1)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    labels = fcluster(linkage(matrix, method="average", metric="cosine"), cut, "distance")
    return [str(label) for label in labels]


def halves(rows: Sequence[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    topics = sorted({r["topic"] for r in rows}, key=lambda t: int(t.rsplit("t", 1)[1]))
    first = set(topics[0::2])
    return ([r for r in rows if r["topic"] in first], [r for r in rows if r["topic"] not in first])


def tuned(rows: Sequence[dict[str, str]], grid: Sequence[float],
          run: Callable[[Sequence[dict[str, str]], float], list[str]]) -> float:
    """The grid value with the best F1 on ``rows`` (ties: the higher, for precision)."""
    gold = [r["cluster"] for r in rows]
    return max(grid, key=lambda v: (round(pairwise(gold, run(rows, v)).f1, 4), v))


def evaluate(rows: Sequence[dict[str, str]], params: StoryParams) -> dict[str, object]:
    def our_run(part: Sequence[dict[str, str]], value: float) -> list[str]:
        return ours(part, replace(params, content_threshold=value))

    report: dict[str, object] = {}
    for name, keep in SLICES.items():
        part = [r for r in rows if keep(r)]
        gold = [r["cluster"] for r in part]
        started = time.perf_counter()
        full = pairwise(gold, ours(part, params))
        seconds = time.perf_counter() - started
        cut = tuned(part, BASELINE_GRID, baseline)
        held: dict[str, Score] = {}
        for label, system, grid in (("ours", our_run, OUR_GRID), ("baseline", baseline,
                                                                   BASELINE_GRID)):
            a, b = halves(part)
            predicted: dict[str, str] = {}
            for tune, test in ((a, b), (b, a)):
                value = tuned(tune, grid, system)
                # Story ids of two halves never meet: prefix them by half.
                for r, s in zip(test, system(test, value), strict=True):
                    predicted[r["id"]] = f"{id(test)}:{s}"
            held[label] = pairwise(gold, [predicted[r["id"]] for r in part])
        report[name] = {"records": len(part), "events": len(set(gold)),
                        "ours_defaults": full, "baseline_best_cut": pairwise(gold, baseline(
                            part, cut)), "baseline_cut": cut,
                        "ours_held_out": held["ours"], "baseline_held_out": held["baseline"],
                        "ours_ms_per_record": 1000 * seconds / len(part)}
    return report


def one_half(rows: Sequence[dict[str, str]], params: StoryParams, which: str
             ) -> dict[str, dict[str, object]]:
    """Ours on ``params`` over the ``which`` ("first" or "second") half of each slice's
    topics (:func:`halves`): its scores, and the pairs it puts in one story rightly and
    wrongly (a pair is the unit the tuning rule counts)."""
    report: dict[str, dict[str, object]] = {}
    for name, keep in SLICES.items():
        first, second = halves([r for r in rows if keep(r)])
        part = first if which == "first" else second
        gold, predicted = [r["cluster"] for r in part], ours(part, params)
        right = sum(comb(n, 2) for n in Counter(zip(gold, predicted, strict=True)).values())
        said = sum(comb(n, 2) for n in Counter(predicted).values())
        report[name] = {"records": len(part), "ours_defaults": pairwise(gold, predicted),
                        "right_pairs": right, "wrong_pairs": said - right}
    return report


def with_settings(settings: Sequence[str]) -> StoryParams:
    """:class:`StoryParams` with each ``NAME=VALUE`` of ``settings`` set (the value read as
    the default's type)."""
    params = StoryParams()
    for setting in settings:
        name, _, value = setting.partition("=")
        default = getattr(params, name, None)
        if not value or default is None or name.startswith("_"):
            raise SystemExit(f"--set {setting}: no such story parameter, or no value")
        params = replace(params, **{name: type(default)(value)})
    return params


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--half", choices=("first", "second"),
                        help="ours alone on this half of the topics (choose on the first)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a story parameter for --half (repeatable)")
    args = parser.parse_args(argv)
    if args.half:
        halved = one_half(load(args.records), with_settings(args.set), args.half)
        if args.json:
            print(json.dumps(halved, default=lambda o: o.__dict__, indent=1))
            return 0
        for name, part in halved.items():
            score = part["ours_defaults"]
            assert isinstance(score, Score)
            print(f"{name}: {part['records']} records ({args.half} half) {score.line()};"
                  f" pairs right {part['right_pairs']}, wrong {part['wrong_pairs']}")
        return 0
    report = evaluate(load(args.records), StoryParams())
    if args.json:
        print(json.dumps(report, default=lambda o: o.__dict__, indent=1))
        return 0
    for name, result in report.items():
        assert isinstance(result, dict)
        print(f"{name}: {result['records']} records, {result['events']} events")
        for key in ("ours_defaults", "ours_held_out", "baseline_best_cut", "baseline_held_out"):
            print(f"  {key:<18} {result[key].line()}")
        print(f"  baseline cut {result['baseline_cut']}, ours"
              f" {result['ours_ms_per_record']:.2f} ms/record")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
