"""Propose entry pairs of ``../shared/data/real-feeds`` for hand labelling (round 8 on).

Neutral to our matcher: nothing of :mod:`crawler.stories` is run. Entries are parsed as
``benchmarks/eval_story_feeds.py`` parses them (:func:`benchmarks.story_feeds.load_entries`),
so the ids are the labels' ids. A pair is two entries of *different outlets*, published (or,
without a date, captured) within ``--days`` days, that no earlier round labelled and of which
at least one entry no earlier round used (so: other events, other items), and no entry of a
held-out round (4, 5) is in any pair, as in round 7. The ids are read from
``benchmarks/data/real_feed_pairs.jsonl`` to leave them out; nothing else of the file (titles,
labels) is read.

Three proposals, the first two as rounds 1-7 made them:

* ``cosine``: a plain TF-IDF cosine over the title and the first 300 characters of the
  summary (lower-cased words of 4+ letters, idf over the language's entries);
* ``names``: shared rare capitalised words (4+ letters, never written in lower case in the
  week's titles and summaries, held by at most 15 entries): a crude name list;
* ``title words``: titles sharing ``--min-title-words`` content words (4+ letters, a short
  stop list), a plain shared-words search.

    python benchmarks/draw_feed_pairs.py --language en --min-cosine 0.25 --seed 81
    python benchmarks/draw_feed_pairs.py --min-cosine 1.1 --min-names 2
    python benchmarks/draw_feed_pairs.py --min-cosine 1.1 --min-title-words 2
    python benchmarks/draw_feed_pairs.py --entries          # the unused entries, by day
    python benchmarks/draw_feed_pairs.py --round-cosines    # how each round's pairs were told

prints one JSON object a line: the two ids, outlets, days, titles, summaries (for reading),
the cosine, the shared names and title words, in a random order (``--seed``) so that the
reader meets no ranking. ``--entries`` lists instead every entry no round used (id, day,
outlet, title), for reading by outlet and day and grouping by hand into events.
``--round-cosines`` prints, per labelled round and label (held-out rounds left out), the
median of this cosine and the share of pairs at >= 0.20 (the floor rounds 1-3 were drawn
at): how far a round's events are told in the same words.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_stories import SHARED  # noqa: E402
from benchmarks.story_feeds import FeedEntry, load_entries  # noqa: E402

FEEDS = {"en": "en-rss", "de": "de-rss-snapshot"}
PAIRS = ROOT / "benchmarks" / "data" / "real_feed_pairs.jsonl"
WORD = re.compile(r"[^\W\d_]{4,}")


HELDOUT_ROUNDS = frozenset({4, 5})  # as eval_story_feeds.HELDOUT_ROUNDS; their entries stay out
STOP = frozenset({
    "that", "with", "from", "this", "have", "will", "after", "over", "into", "about", "their",
    "they", "been", "were", "what", "when", "more", "than", "says", "said", "could", "would",
    "your", "which", "there", "these", "those", "just", "first", "year", "years", "amid",
    "back", "make", "made", "being", "does", "while", "where", "still", "then", "them",
    "some", "only", "also", "here", "ever", "very", "like", "want", "wants", "home", "time",
    "during", "under", "other", "most", "many", "much", "even", "people", "news"})


def labelled_ids() -> tuple[set[str], set[frozenset[str]], set[str]]:
    """Every entry id and every pair of ids of the labelled rounds, and the held-out rounds'
    entry ids (ids only)."""
    ids: set[str] = set()
    pairs: set[frozenset[str]] = set()
    held: set[str] = set()
    for line in PAIRS.read_text().splitlines():
        if line.strip():
            p = json.loads(line)
            ids.update((p["a"], p["b"]))
            pairs.add(frozenset((p["a"], p["b"])))
            if p.get("round", 1) in HELDOUT_ROUNDS:
                held.update((p["a"], p["b"]))
    return ids, pairs, held


def _text(e: FeedEntry) -> str:
    return f"{e.title} {e.summary[:300]}"


def tfidf(entries: Sequence[FeedEntry]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors of the entries' title + summary head."""
    bags = [Counter(w.lower() for w in WORD.findall(_text(e))) for e in entries]
    df = Counter(w for bag in bags for w in bag)
    n = len(entries)
    vectors = []
    for bag in bags:
        v = {w: c * math.log(n / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def rare_names(entries: Sequence[FeedEntry], most: int = 15) -> list[set[str]]:
    """Per entry: capitalised words never written in lower case, held by <= ``most`` entries."""
    lower = {w for e in entries for w in WORD.findall(_text(e)) if w.islower()}
    names = [{w for w in WORD.findall(_text(e)) if w[0].isupper() and w.lower() not in lower}
             for e in entries]
    held = Counter(w for ns in names for w in ns)
    return [{w for w in ns if held[w] <= most} for ns in names]


def _when(e: FeedEntry) -> float:
    if e.published is not None:
        return e.published
    y, m, d = map(int, e.day.split("-"))
    return (y * 372 + m * 31 + d) * 86400.0  # days apart only; never compared across kinds


def title_words(title: str) -> set[str]:
    return {w.lower() for w in WORD.findall(title)} - STOP


def propose(language: str, days: float, min_cosine: float, min_names: int,
            min_title_words: int = 0) -> list[dict[str, object]]:
    entries = load_entries(SHARED / "real-feeds" / FEEDS[language], language)
    used, done, held = labelled_ids()
    vectors, names = tfidf(entries), rare_names(entries)
    words = [title_words(e.title) for e in entries]
    out: list[dict[str, object]] = []
    for i, a in enumerate(entries):
        for j in range(i + 1, len(entries)):
            b = entries[j]
            if a.outlet == b.outlet or frozenset((a.id, b.id)) in done:
                continue
            if (a.id in used and b.id in used) or a.id in held or b.id in held:
                continue
            if (a.published is None) != (b.published is None):
                if abs(_day(a.day) - _day(b.day)) > days:
                    continue
            elif abs(_when(a) - _when(b)) > days * 86400:
                continue
            va, vb = vectors[i], vectors[j]
            cosine = sum(x * vb.get(w, 0.0) for w, x in va.items())
            shared = sorted(names[i] & names[j])
            common = sorted(words[i] & words[j])
            if (cosine >= min_cosine or (min_names and len(shared) >= min_names)
                    or (min_title_words and len(common) >= min_title_words)):
                out.append({"a": a.id, "b": b.id, "cosine": round(cosine, 3), "names": shared,
                            "title_words": common,
                            "new": int(a.id not in used) + int(b.id not in used),
                            "a_outlet": a.outlet, "a_day": a.day, "a_title": a.title,
                            "a_summary": a.summary[:300], "a_url": a.url,
                            "b_outlet": b.outlet, "b_day": b.day, "b_title": b.title,
                            "b_summary": b.summary[:300], "b_url": b.url})
    return out


def round_cosines(language: str) -> list[str]:
    """Per non-held-out round and label: pairs, median cosine, share at cosine >= 0.20."""
    entries = load_entries(SHARED / "real-feeds" / FEEDS[language], language)
    vectors = dict(zip((e.id for e in entries), tfidf(entries), strict=True))
    found: dict[tuple[int, str], list[float]] = {}
    for line in PAIRS.read_text().splitlines():
        p = json.loads(line) if line.strip() else None
        if p is None or p["language"] != language or p.get("round", 1) in HELDOUT_ROUNDS:
            continue
        va, vb = vectors[p["a"]], vectors[p["b"]]
        cosine = sum(x * vb.get(w, 0.0) for w, x in va.items())
        found.setdefault((p.get("round", 1), p["label"]), []).append(cosine)
    return [f"round {n} {label}: {len(c)} pairs, median cosine {statistics.median(c):.3f},"
            f" {sum(x >= 0.20 for x in c) / len(c):.2f} at >= 0.20"
            for (n, label), c in sorted(found.items())]


def _day(day: str) -> int:
    y, m, d = map(int, day.split("-"))
    return y * 372 + m * 31 + d


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=sorted(FEEDS), default="en")
    parser.add_argument("--days", type=float, default=2.0)
    parser.add_argument("--min-cosine", type=float, default=0.15)
    parser.add_argument("--min-names", type=int, default=0,
                        help="also propose pairs sharing this many rare names (0: off)")
    parser.add_argument("--min-title-words", type=int, default=0,
                        help="also propose titles sharing this many content words (0: off)")
    parser.add_argument("--entries", action="store_true",
                        help="list the entries no round used, by day and outlet, instead")
    parser.add_argument("--round-cosines", action="store_true",
                        help="per labelled round: how far its pairs share words")
    parser.add_argument("--both-new", action="store_true",
                        help="only pairs of two entries no round used")
    parser.add_argument("--sample", type=int, default=0, help="a random sample of this many")
    parser.add_argument("--seed", type=int, default=81)
    parser.add_argument("--count", action="store_true", help="print counts only")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the captures lack a content type: salvaged
    if args.round_cosines:
        print("\n".join(round_cosines(args.language)))
        return 0
    if args.entries:
        used, _, _ = labelled_ids()
        entries = load_entries(SHARED / "real-feeds" / FEEDS[args.language], args.language)
        for e in sorted(entries, key=lambda e: (e.day, e.outlet)):
            if e.id not in used:
                print(e.id, e.day, e.outlet, e.title)
        return 0
    pairs = propose(args.language, args.days, args.min_cosine, args.min_names,
                    args.min_title_words)
    if args.both_new:
        pairs = [p for p in pairs if p["new"] == 2]
    rng = random.Random(args.seed)
    rng.shuffle(pairs)
    if args.sample:
        pairs = pairs[:args.sample]
    if args.count:
        print(len(pairs))
        return 0
    for p in pairs:
        print(json.dumps(p, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
