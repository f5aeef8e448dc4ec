"""Near-duplicate precision on real feeds: which pairs the duplicate layer marks, and why.

``../shared/data/real-feeds`` (see ``benchmarks/eval_story_feeds.py``): every entry of a
language, title and feed summary only (no page text, as a crawl whose pages were not
fetched), goes through one :class:`crawler.dedup.StoryIndex` batch. Each record marked a
duplicate is printed with the record it matched: the rule, the title similarity, the gist
similarity of the two summaries (:mod:`crawler.dedup.gist`) and whether the two are a pair
``benchmarks/data/real_feed_pairs.jsonl`` labels (``same``: one event in two outlets' own
words, a story, not a copy; ``different``: two events). ``--without-texts`` runs the rule
set as before the ``texts`` rule (texts_title_threshold 0), to compare.

    python benchmarks/eval_dup_feeds.py [--without-texts] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_stories import SHARED  # noqa: E402
from benchmarks.eval_story_feeds import FEEDS, FRESH_ROUNDS, PAIRS  # noqa: E402
from benchmarks.story_feeds import FeedEntry, load_entries  # noqa: E402
from crawler.dedup import DedupParams, Doc, StoryIndex  # noqa: E402
from crawler.dedup.gist import gist_of, gist_similarity  # noqa: E402
from crawler.dedup.tokens import Tokenizer  # noqa: E402


def marked(params: DedupParams, language: str) -> list[dict[str, object]]:
    """The pairs (record, matched record) the duplicate layer marks in ``language``'s feeds."""
    entries = {e.id: e for e in load_entries(SHARED / "real-feeds" / FEEDS[language], language)}
    labels = {frozenset((p["a"], p["b"])): p["label"]
              for p in map(json.loads, PAIRS.read_text().splitlines())
              if p["language"] == language and p.get("round", 1) not in FRESH_ROUNDS}
    tokenizer = Tokenizer()
    rows = []
    for decision in StoryIndex(params).assign([_doc(e) for e in entries.values()]):
        if decision.evidence is None:
            continue
        a, b = entries[decision.id], entries[decision.evidence.matched_id]
        gists = [gist_of(tokenizer, e.summary, language) for e in (a, b)]
        rows.append({
            "rule": decision.evidence.rule,
            "title_similarity": decision.evidence.title_similarity,
            "gist_similarity": None if None in gists else round(
                gist_similarity(*gists), 3),  # type: ignore[arg-type]
            "label": labels.get(frozenset((a.id, b.id))),
            "same_outlet": a.outlet == b.outlet,
            "a": f"{a.outlet}: {a.title}", "b": f"{b.outlet}: {b.title}",
        })
    return rows


def _doc(entry: FeedEntry) -> Doc:
    published = None if entry.published is None else datetime.fromtimestamp(
        entry.published, UTC).isoformat()
    return Doc(entry.id, entry.url, entry.title, None, entry.language, published,
               entry.outlet, entry.summary or None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--without-texts", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the salvaged ill-formed feeds' warnings, per capture
    params = DedupParams()
    if args.without_texts:
        params = replace(params, texts_title_threshold=0.0)
    report = {language: marked(params, language) for language in FEEDS}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for language, rows in report.items():
        print(f"{language}: {len(rows)} pairs marked duplicates; labelled same-event (stories)"
              f" {sum(r['label'] == 'same' for r in rows)}, different events"
              f" {sum(r['label'] == 'different' for r in rows)}")
        for r in rows:
            print(f"  {r['rule']:<10} title {r['title_similarity']:.2f} gist"
                  f" {r['gist_similarity']} {r['label'] or '-':<9} {r['a']}  ||  {r['b']}")


if __name__ == "__main__":
    main()
