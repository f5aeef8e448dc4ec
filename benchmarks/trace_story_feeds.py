"""Why each labelled real-feed pair ends where it does: every missed same-event pair and every
related pair merged, with its cause, scores and texts.

One clusterer run over a language's feeds (as ``eval_story_feeds.py`` runs it), the later
record of each labelled pair traced against the story its earlier record was in when the
later one came. A missed pair's cause is where it stopped:

* ``not a candidate``: the story was not among the record's candidates (band hits, the name
  route) or no longer active;
* ``key-name veto``: it was, and the key-name veto (:mod:`crawler.stories.veto`) stopped it;
* ``template veto``: the scorer's vetoes (other numbers, places, counter-moves, days);
* ``below threshold``: scored under the threshold (score and threshold shown);
* ``joined another story``: it fit, but another story fit better (both scores shown);
* ``no trace``: the later record started a story without a search (:mod:`.sieve`).

A related pair merged shows the score it joined by. Rounds 1-3 only by default (``--heldout``
for rounds 4-5: a look at them is no longer held out).

    python benchmarks/trace_story_feeds.py [--language en|de] [--heldout]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_stories import SHARED  # noqa: E402
from benchmarks.eval_story_feeds import FEEDS, HELDOUT_ROUNDS, PAIRS  # noqa: E402
from benchmarks.story_feeds import FeedEntry, load_entries  # noqa: E402
from crawler.stories import MemoryStoryState, StoryClusterer, StoryParams  # noqa: E402
from crawler.stories.candidates import top_stories  # noqa: E402
from crawler.stories.features import Profile  # noqa: E402
from crawler.stories.score import Fit, Scorer  # noqa: E402
from crawler.stories.story import Story  # noqa: E402
from crawler.stories.types import StoryLink  # noqa: E402
from crawler.stories.veto import admitted  # noqa: E402


@dataclass(frozen=True)
class Trace:
    """The later record against the earlier one's story, when the later one was assigned."""

    cause: str
    score: float | None          # its score against that story (None: never scored)
    threshold: float
    joined_score: float | None   # the score of the story it joined (None: it began one)


class _Tracing(StoryClusterer):
    """A clusterer that notes, for each watched record, its evidence against the stories of
    the records it is paired with."""

    def __init__(self, watch: dict[str, list[str]], params: StoryParams) -> None:
        super().__init__(params, MemoryStoryState())
        self.watch = watch
        self.traces: dict[tuple[str, str], Trace] = {}
        self._fits: dict[str, Fit | None] = {}

    def _scorer(self, profile: Profile) -> Scorer:
        fits = self._fits = {}

        class Noting(Scorer):
            def fit(self, story: Story) -> Fit | None:
                fits[story.story_id] = found = super().fit(story)
                return found

        return Noting(profile, self._window, self._params)

    def _best(self, profile: Profile, hits: dict[str, int]
              ) -> tuple[tuple[str, StoryLink] | None, list[str]]:
        self._fits = {}
        found = super()._best(profile, hits)
        for other in self.watch.get(profile.doc.id, []):
            story_id = self._story_of.get(other)
            if story_id is not None:  # the other record came earlier
                self.traces[profile.doc.id, other] = self._trace(
                    profile, hits, self._merges.alive(story_id), found[0])
        return found

    def _trace(self, profile: Profile, hits: dict[str, int], story_id: str,
               joined: tuple[str, StoryLink] | None) -> Trace:
        story = self._stories[story_id]
        scorer = Scorer(profile, self._window, self._params)
        threshold = self._threshold(scorer, story_id) + self._staleness(profile, story_id)
        joined_score = None if joined is None else joined[1].similarity
        chosen = top_stories(hits, self._params.max_candidates, profile.long)
        routed = self._route.routed(profile, chosen, stories=self._stories,
                                    active=self._active, alive=self._merges.alive)
        if story_id not in self._active or story_id not in {*chosen, *routed}:
            return Trace("not a candidate", _score(scorer.fit(story)), threshold, joined_score)
        if not admitted(profile, [story], self._params.key_names):
            return Trace("key-name veto", _score(scorer.fit(story)), threshold, joined_score)
        fit = self._fits.get(story_id)
        if fit is None:
            return Trace("template veto", None, threshold, joined_score)
        cause = "below threshold" if joined is None else "joined another story"
        return Trace(cause, fit.score, threshold, joined_score)


def _score(fit: Fit | None) -> float | None:
    return None if fit is None else fit.score


def trace(entries: Sequence[FeedEntry], pairs: Sequence[dict[str, Any]]
          ) -> list[tuple[dict[str, Any], Trace | None, FeedEntry, FeedEntry]]:
    """Each of ``pairs`` that ended wrong (a same-event pair apart, a related pair merged)
    when ``entries`` go through one clusterer, with the trace of its later record and the
    two entries (earlier first)."""
    by_id = {e.id: e for e in entries}
    watch: dict[str, list[str]] = {}
    for p in pairs:
        watch.setdefault(p["a"], []).append(p["b"])
        watch.setdefault(p["b"], []).append(p["a"])
    clusterer = _Tracing(watch, StoryParams())
    story = {a.id: a.story_id for a in clusterer.assign([e.doc() for e in entries])}
    wrong = []
    for p in pairs:
        if (p["label"] == "same") == (story[p["a"]] == story[p["b"]]):
            continue
        later, earlier = ((p["a"], p["b"]) if (p["a"], p["b"]) in clusterer.traces
                          else (p["b"], p["a"]))
        wrong.append((p, clusterer.traces.get((later, earlier)), by_id[earlier], by_id[later]))
    return wrong


def _line(p: dict[str, Any], t: Trace | None) -> str:
    kind = "missed" if p["label"] == "same" else "merged"
    if t is None:
        return f"{kind} (round {p.get('round', 1)}): no trace"
    cause = t.cause if kind == "missed" else "joined"
    score = "-" if t.score is None else f"{t.score:.3f}"
    joined = "" if t.joined_score is None else f", joined at {t.joined_score:.3f}"
    return (f"{kind} (round {p.get('round', 1)}): {cause}; score {score}"
            f" (threshold {t.threshold:.2f}){joined}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=sorted(FEEDS), default="en")
    parser.add_argument("--heldout", action="store_true",
                        help="trace the held-out rounds (once the rules are settled)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the German captures lack a content type: salvaged
    pairs = [p for p in map(json.loads, PAIRS.read_text().splitlines())
             if p["language"] == args.language
             and (p.get("round", 1) in HELDOUT_ROUNDS) == args.heldout]
    wrong = trace(load_entries(SHARED / "real-feeds" / FEEDS[args.language], args.language),
                  pairs)
    causes = Counter(_line(p, t).split(":")[1].split(";")[0].strip() + f" ({p['label']})"
                     for p, t, _, _ in wrong)
    for p, t, earlier, later in wrong:
        print(_line(p, t))
        for entry in (earlier, later):
            print(f"  {entry.outlet}: {entry.title} | {entry.summary[:160]}")
    for cause, n in causes.most_common():
        print(f"{n:3d}  {cause}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
