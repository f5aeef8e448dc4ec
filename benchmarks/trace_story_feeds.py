"""Where each real-feed pair the stories miss (or merge) stops: one trace of the clusterer.

``eval_story_feeds.py --verbose`` lists the missed and merged pairs; this says why. One
:class:`StoryClusterer` run over a language's entries (titles and summaries, as the eval
runs them), each record's fit kept against every story it scores; for each labelled pair of
the development rounds (``eval_story_feeds.UNTUNED_ROUNDS``, held out and fresh, are never
read) the later record against the story the earlier one was in when the later one came:

* ``never a candidate``: that story was not among the record's candidates (the LSH bands
  and the batch's pairs, ``crawler/stories/candidates.py``; a routed story the key-name
  veto stopped counts here too);
* ``key-name veto``: a candidate, never scored (``crawler.stories.veto.admitted``);
* ``veto``: scored, and a template or time veto said no (``Scorer.fit`` gave None);
* ``scored``: the score with its parts (cosine, title similarity, the summary bonuses, the
  age), against the summary threshold; and whether the record joined that story, another
  (one event's parallel stories; or a higher score elsewhere) or began its own.

    PYTHONPATH=. python benchmarks/trace_story_feeds.py [--language de] [--label same]
                                                         [--scene-bonus 0] [--all]

``--label different`` traces the related pairs merged; ``--all`` every pair of the label,
found or not.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_stories import SHARED  # noqa: E402
from benchmarks.eval_story_feeds import FEEDS, PAIRS, UNTUNED_ROUNDS  # noqa: E402
from benchmarks.story_feeds import load_entries  # noqa: E402
from crawler.stories import (  # noqa: E402
    MemoryStoryState,
    StoryAssignment,
    StoryClusterer,
    StoryDoc,
    StoryParams,
)
from crawler.stories.features import Profile  # noqa: E402
from crawler.stories.score import Fit, Scorer  # noqa: E402
from crawler.stories.story import Story  # noqa: E402


@dataclass(frozen=True)
class Scored:
    """A record's fit to one story and its parts (None: a veto in ``Scorer.fit``)."""

    score: float | None
    cosine: float
    title: float
    bonuses: float  # rare names + event words + scene - age - answer (a summary's)


class _Tracing(Scorer):
    def __init__(self, seen: dict[str, Scored], *args: Any) -> None:
        super().__init__(*args)
        self._seen = seen

    def fit(self, story: Story) -> Fit | None:
        found = super().fit(story)
        cosine = bonuses = 0.0
        if found is not None and self.profile.has_body and story.content:
            cosine = self._cosine(story)
            if self.profile.thin:
                bonuses = (self._rare_names(story) + self._event_words(story)
                           + self._scene_of(story) - self._aged(story) - self._answered(story))
        self._seen[story.story_id] = Scored(None if found is None else found.score, cosine,
                                            0.0 if found is None else found.title_similarity,
                                            bonuses)
        return found


class TracingClusterer(StoryClusterer):
    """A clusterer that keeps, for each record, its candidates, its fits and the story it
    was given when it came (before any later merge relabels it)."""

    def __init__(self, params: StoryParams) -> None:
        super().__init__(params, MemoryStoryState())
        self.candidates: dict[str, frozenset[str]] = {}
        self.fits: dict[str, dict[str, Scored]] = {}
        self.given: dict[str, str] = {}
        self.order: dict[str, int] = {}

    def _scorer(self, profile: Profile) -> Scorer:
        return _Tracing(self.fits.setdefault(profile.doc.id, {}), profile, self._window,
                        self._params)

    def _best(self, profile: Profile, hits: dict[str, int]) -> Any:
        self.candidates[profile.doc.id] = frozenset(hits)
        return super()._best(profile, hits)

    def _one(self, profile: Profile, candidates: dict[str, int]) -> StoryAssignment:
        assignment = super()._one(profile, candidates)
        self.given[profile.doc.id] = assignment.story_id
        self.order[profile.doc.id] = len(self.order)
        return assignment


def where_it_stops(clusterer: TracingClusterer, a: str, b: str) -> tuple[str, str]:
    """The cause class of a pair (the later record against the earlier one's story then)
    and the detail (its score's parts)."""
    first, later = sorted((a, b), key=lambda i: clusterer.order.get(i, -1))
    story = clusterer.given.get(first)
    if story is None or later not in clusterer.order:
        return "not traced (a record alone by the sieve)", ""
    scored = clusterer.fits.get(later, {}).get(story)
    if scored is None:
        if story in clusterer.candidates.get(later, ()):
            return "key-name veto", ""
        return "never a candidate", ""
    if scored.score is None:
        return "veto (template or time)", ""
    own = clusterer.given[later]
    went = ("joined it" if own == story else "began its own"
            if own == later_story_begun(clusterer, later) else "joined another")
    threshold = clusterer.params.summary_threshold
    band = ("at the threshold or above" if scored.score >= threshold else
            "within 0.06 of the threshold" if scored.score >= threshold - 0.06 else
            "0.2 under the threshold or nearer" if scored.score >= threshold - 0.2 else
            "more than 0.2 under the threshold")
    return (f"scored {band}", f"{scored.score:.3f} (cosine {scored.cosine:.3f}, title"
            f" {scored.title:.2f}, bonuses {scored.bonuses:+.2f}); {went}")


def later_story_begun(clusterer: TracingClusterer, record: str) -> str | None:
    """The story ``record`` began (its own: no earlier record was given it), else None."""
    story = clusterer.given[record]
    earlier = [r for r, s in clusterer.given.items()
               if s == story and clusterer.order[r] < clusterer.order[record]]
    return None if earlier else story


def trace(docs: Sequence[StoryDoc], pairs: Sequence[dict[str, Any]], params: StoryParams,
          everything: bool = False) -> list[tuple[dict[str, Any], str, str]]:
    """Each pair of ``pairs`` (one label) the run misses (``same``) or merges
    (``different``), every pair with ``everything``, with where it stops."""
    clusterer = TracingClusterer(params)
    story = {a.id: a.story_id for a in clusterer.assign(docs)}
    found = []
    for pair in pairs:
        together = story[pair["a"]] == story[pair["b"]]
        if everything or together == (pair["label"] == "different"):
            found.append((pair, *where_it_stops(clusterer, pair["a"], pair["b"])))
    return found


def tune_pairs(language: str, label: str) -> list[dict[str, Any]]:
    """The labelled pairs of the development rounds: a trace shows the pairs' texts and
    scores, which would tune the rules on the held-out and fresh rounds."""
    return [p for p in map(json.loads, filter(str.strip, PAIRS.read_text().splitlines()))
            if p["language"] == language and p["label"] == label
            and p.get("round", 1) not in UNTUNED_ROUNDS]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="de", choices=sorted(FEEDS))
    parser.add_argument("--label", default="same", choices=("same", "different"))
    parser.add_argument("--scene-bonus", type=float, default=StoryParams.scene_bonus,
                        help="as eval_story_feeds.py's (default %(default)s; 0 turns it off)")
    parser.add_argument("--all", action="store_true", help="every pair of the label")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the German captures lack a content type: salvaged
    pairs = tune_pairs(args.language, args.label)
    entries = load_entries(SHARED / "real-feeds" / FEEDS[args.language], args.language)
    rows = trace([e.doc() for e in entries], pairs,
                 replace(StoryParams(), scene_bonus=args.scene_bonus), args.all)
    for pair, cause, detail in sorted(rows, key=lambda r: (r[1], r[2])):
        print(f"{cause}: {detail}\n    r{pair.get('round', 1)} {pair['a_title'][:80]}"
              f"\n       {pair['b_title'][:80]}")
    print(f"{len(rows)} of {len(pairs)} {args.label} pairs:")
    for cause, n in Counter(cause for _, cause, _ in rows).most_common():
        print(f"  {n:3d} {cause}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
