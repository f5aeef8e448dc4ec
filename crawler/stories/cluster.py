"""Online story clustering against story centroids (Miranda et al., EMNLP 2018).

Records are taken in (published, id) order, undated ones after the dated ones of their batch
(by id). Each record's candidate stories come from MinHash LSH over its title tokens and its
most named names, places and numbers, against the signatures of the stories' members (records
without a body are members of the index only as a story's first record); a candidate's
members share at least two bands with it in all (:func:`.candidates.enough`). Of the 30 with
the most shared bands, each still active (its latest member at most ``window_days`` before
the record) is scored (:mod:`crawler.stories.score`); the record joins the best story whose
score reaches the threshold (ties: the lower story id), else it starts one. A summary is
scored against the active stories holding a name at most three of them hold as well
(:mod:`.namecands`). A record the near-duplicate layer marked as a copy joins its original's
story, when that story is held. A record with an article's body that fits two active stories
merges them when their centroids are alike (the older id survives; :mod:`crawler.stories.merging`).

Where order matters, exactly:

* the stories are built in that order, so the same records in any order give the same
  stories, and a run split in two at a time (the second run's records all later than the
  first's) gives the same stories as one run: the second run loads every story whose latest
  member is within the window of its first record, the term statistics are those of the
  active stories, and the candidates those of their members (tests/stories/test_cluster.py);
* a story begun by an earlier batch or run is never merged into another (its records are
  written): where one run would merge two stories of the first half of a split run, the
  split run keeps them two;
* an undated record takes the time of the latest dated record before it (or ``now``) and may
  join any story still held, active or not: after :meth:`StoryClusterer.evict` that is fewer;
* a band value of the candidate index held by members of more than 64 stories answers
  nothing (:data:`crawler.stories.candidates.CROWDED`), but the batch's own records are
  paired whole (their stories are not known when the pairs are made): a story begun earlier
  in the batch is found through such a band, the same story held from an earlier run is
  not, so a split run may differ where one band value is that crowded; and what is held
  depends on what was evicted.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Sequence

import numpy as np

from crawler.dedup.index import story_id_for
from crawler.dedup.tokens import default_tokenizer
from crawler.stories.bands import StoryBands
from crawler.stories.candidates import (
    Sketches,
    asking_rows,
    enough,
    in_order,
    sketched,
    story_signer,
    top_stories,
)
from crawler.stories.features import Profile
from crawler.stories.merging import BatchMerges
from crawler.stories.namecands import NameRoute
from crawler.stories.params import StoryParams
from crawler.stories.profiler import Profiler
from crawler.stories.score import Scorer, story_similarity
from crawler.stories.story import Story, Window, story_from
from crawler.stories.types import StoryAssignment, StoryDoc, StoryLink, StoryState
from crawler.stories.veto import admitted

# Members of one story in the candidate index, its first ones: a band value answers with its
# earliest 256 records anyway (crawler.dedup.lsh.BUCKET_CAP), and 20,000 copies of one
# article made a 2.5 MB story (payload and index) of signatures that found nothing new.
SIGNATURES = 256


class StoryClusterer:
    """``assign(docs)`` -> stories; ``flush()`` after the records are written; ``evict()``.

    ``state`` None: the stories live as long as the clusterer (``policywire dedup``, one run
    over one file): none is encoded or stored. Its decisions are a memory state's: such a
    state only ever holds what the clusterer holds (flushed each batch, evicted alike), so
    a load after the first finds nothing new; a story's msgpack encoding cost ~7% of the
    clusterer's CPU (benchmarks/README.md)."""

    def __init__(self, params: StoryParams, state: StoryState | None, *,
                 now: float | None = None) -> None:
        self._params = params
        self._state = state
        self._now = now
        self._tokenizer = default_tokenizer()
        self._signer = story_signer(params)
        self._bands = StoryBands(params)
        self._stories: dict[str, Story] = {}
        self._story_of: dict[str, str] = {}       # member id -> story id
        self._window = Window()
        self._active: set[str] = set()
        self._expiry: list[tuple[float, str]] = []  # (last_seen, story id) as entered
        self._clock = -math.inf
        self._loaded: float | None = None         # the `since` of the stories loaded
        self._changed: set[str] = set()
        self._merges = BatchMerges()
        # A summary's stories by a rare name (.namecands): noted from a batch of summaries on.
        self._route = NameRoute()

    @property
    def params(self) -> StoryParams:
        return self._params

    def assign(self, docs: Sequence[StoryDoc]) -> list[StoryAssignment]:
        """The story of each of ``docs``, in their order (sorted internally: deterministic)."""
        profile = Profiler(self._params)
        return self.assign_profiles([profile(d) for d in docs])

    def assign_profiles(self, profiles: Sequence[Profile], sketches: Sketches | None = None
                        ) -> list[StoryAssignment]:
        """:meth:`assign` of docs whose profiles were made already (by a :class:`Profiler`
        of the same parameters: in ``policywire dedup``, by the worker that reads the input),
        with their :meth:`Profiler.sketches` when it made them too (used when they are of
        these profiles, else made here)."""
        docs = [p.doc for p in profiles]
        profiles = in_order(profiles, self._tokenizer, self._params)
        self._load([p.doc for p in profiles])
        if any(p.thin and p.has_body for p in profiles):
            self._route.start(self._stories.values())
        self._merges = BatchMerges()
        asking = asking_rows(profiles, self._story_of)
        if sketches is None or sketches.ids != [p.doc.id for p in profiles]:
            sketches = sketched(profiles, self._signer, self._params, asking)
        values = sketches.values
        top, held = self._bands.candidates(values, asking)
        # A row's pairs with the batch's earlier rows: read for the rows asking only (the
        # sketches made ahead hold every row's).
        asked = np.zeros(len(profiles), dtype=bool)
        asked[asking] = True
        fresh = sketches.pairs
        starts, earlier, band_hits = (fresh.starts.tolist(), fresh.earlier.tolist(),
                                      fresh.hits.tolist())
        story_at: list[str] = []
        joined: list[str | None] = []  # a row's story when it is a member of the index
        done: dict[str, StoryAssignment] = {}
        # ~40 pairs a record with the batch's earlier records (20,000 generated articles):
        # looked up inline, most of their stories begun by the batch (in no held pair) and
        # merged into none.
        alive, gone, number = self._merges.alive, self._merges.gone, self._bands.numbers
        for i, (profile, asks) in enumerate(zip(profiles, asked.tolist(), strict=True)):
            candidates = top[i]  # a dict of its own, added to here
            if asks:
                first, last = starts[i], starts[i + 1]
                for j, hits in zip(earlier[first:last], band_hits[first:last], strict=True):
                    story_id = joined[j]
                    if story_id is not None:
                        if story_id in gone:
                            story_id = alive(story_id)
                        if story_id not in candidates:  # a held story below the row's top
                            owner = number.get(story_id)
                            candidates[story_id] = 0 if owner is None else held.hits(i, owner)
                        candidates[story_id] += hits
            assignment = self._one(profile, enough(candidates, self._params.min_band_hits))
            story_at.append(assignment.story_id)
            joined.append(assignment.story_id if profile.has_body or assignment.link is None
                          else None)
            done[profile.doc.id] = assignment
        story_at = [self._merges.alive(s) for s in story_at]
        self._index([i for i, s in enumerate(joined) if s is not None], values, story_at,
                    profiles)
        return [self._merges.relabelled(done[d.id]) for d in docs]

    def flush(self) -> None:
        """Persist the stories changed since the last flush (after the records are written)."""
        if self._state is not None:
            rows = [self._stories[s].stored() for s in sorted(self._changed)
                    if s in self._stories]
            if rows:
                self._state.save_stories(rows)
        self._changed.clear()

    def evict(self) -> None:
        """Forget the stories whose latest member left the window, here and in the state."""
        latest = self._clock if self._clock > -math.inf else None
        now = self._now if self._now is not None else latest
        before = (now if now is not None else time.time()) - self._params.window_seconds
        if self._state is not None:
            self._state.evict_stories(before)
        for story_id in [s for s, story in self._stories.items() if story.last_seen < before]:
            self._forget(story_id)
        self._bands.compact()

    # -- one record ------------------------------------------------------------------------------

    def _one(self, profile: Profile, candidates: dict[str, int]) -> StoryAssignment:
        doc = profile.doc
        if doc.published is not None:
            self._advance(doc.published)
        original = self._story_of.get(doc.duplicate_of) if doc.duplicate_of else None
        if original is not None and doc.duplicate_of is not None:
            link = StoryLink(doc.duplicate_of, 1.0, self._shared(profile, original), "duplicate")
            return self._join(profile, original, link)
        best, fitting = self._best(profile, candidates)
        if best is None:
            return self._start(profile)
        assignment = self._join(profile, best[0], best[1])
        if profile.long:  # a summary's few words fit stories of related events alike
            self._merge_fitting(best[0], fitting)
        return assignment

    def _best(self, profile: Profile, hits: dict[str, int]
              ) -> tuple[tuple[str, StoryLink] | None, list[str]]:
        """The best-scoring of the stories with the most band hits (ties: the story id)."""
        # The stories with the most hits (ties: the story id), by rank for a record that
        # may merge the stories it fits (in that order); for any other the best is the
        # same whatever the order (by score, then the lower id).
        chosen = top_stories(hits, self._params.max_candidates, profile.long)
        routed = self._route.routed(profile, chosen, stories=self._stories,
                                    active=self._active, alive=self._merges.alive)
        if not chosen and not routed:
            return None, []
        scorer = Scorer(profile, self._window, self._params)
        best: tuple[float, str, StoryLink] | None = None
        fitting: list[str] = []  # every story the record could join (by rank: long ones)
        # The stories that take the record (held, and active for a dated record: the active
        # stories are held), less those the key-name veto stops (~91%), in one pass each.
        open_ = self._stories if profile.doc.published is None else self._active
        stories = self._stories
        held = [stories[s] for s in chosen if s in open_]
        held += [stories[s] for s in routed if s in open_]
        for story in admitted(profile, held, self._params.key_names):
            story_id = story.story_id
            fit = scorer.fit(story)
            if fit is None:
                continue
            # Its content, or else its title alone as for a record without a body (a
            # summary's few words can miss what two headlines plainly share).
            margin = self._staleness(profile, story_id)
            by_content = fit.score >= self._threshold(profile, story_id) + margin
            if not by_content and fit.title_similarity < self._params.title_threshold + margin:
                continue
            fitting.append(story_id)
            if best is None or (fit.score, best[1]) > (best[0], story_id):
                rule = "content" if by_content and profile.has_body and story.content else "title"
                link = StoryLink(fit.member_id, round(fit.score, 4),
                                 self._shared(profile, story_id), rule)
                best = (fit.score, story_id, link)
        return (None if best is None else (best[1], best[2])), fitting

    def _threshold(self, profile: Profile, story_id: str) -> float:
        params = self._params
        if profile.has_body and self._stories[story_id].content:
            return params.summary_threshold if profile.thin else params.content_threshold
        return params.title_threshold

    def _staleness(self, profile: Profile, story_id: str) -> float:
        """What a record past ``fresh_days`` after the story's latest member must score more:
        a follow-up weeks later joins on strong evidence only, an event of the same kind
        weeks later (the same people, another fight) stays apart."""
        published = profile.doc.published
        if published is None:
            return 0.0
        gap = published - self._stories[story_id].last_seen
        return self._params.stale_margin if gap > self._params.fresh_seconds else 0.0

    def _shared(self, profile: Profile, story_id: str) -> tuple[str, ...]:
        return tuple(sorted(profile.names & self._stories[story_id].names.keys()))

    def _start(self, profile: Profile) -> StoryAssignment:
        doc = profile.doc
        if doc.published is not None:
            seen = doc.published
        else:
            seen = self._clock if self._clock > -math.inf else (self._now or 0.0)
        story = Story(story_id_for(doc.id), doc.id, seen)
        story.add(profile, self._params, None)
        self._route.add(story.story_id, profile.names)
        self._stories[story.story_id] = story
        self._story_of[doc.id] = story.story_id
        self._merges.begin(story.story_id)
        self._enter(story)
        self._changed.add(story.story_id)
        return StoryAssignment(doc.id, story.story_id, None)

    def _join(self, profile: Profile, story_id: str, link: StoryLink) -> StoryAssignment:
        story = self._stories[story_id]
        if story_id in self._active:
            content, counts = story.content, story.counts.copy()
            story.add(profile, self._params, None)
            self._window.changed(story, content, counts)
            heapq.heappush(self._expiry, (story.last_seen, story_id))
        else:
            story.add(profile, self._params, None)
        self._story_of[profile.doc.id] = story_id
        if profile.has_body:  # a bare title adds no name to a story with a body's
            self._route.add(story_id, profile.names)
        self._changed.add(story_id)
        return StoryAssignment(profile.doc.id, story_id, link)

    # -- merging stories -------------------------------------------------------------------------

    def _merge_fitting(self, story_id: str, fitting: list[str]) -> None:
        """Merge into one the story a record joined and each other active story it fits
        whose centroid is alike (:func:`story_similarity`), as :mod:`.merging` allows."""
        for candidate in fitting:
            pair = self._merges.pair(self._merges.alive(story_id), self._merges.alive(candidate))
            if pair is None or pair[0] == pair[1] or not self._active.issuperset(pair):
                continue
            similarity = story_similarity(self._stories[pair[0]], self._stories[pair[1]],
                                          self._window, self._params)
            if similarity is not None and similarity >= self._params.merge_threshold:
                self._merge(*pair)

    def _merge(self, keep: str, gone: str) -> None:
        survivor, merged = self._stories[keep], self._stories.pop(gone)
        for story_id, story in ((keep, survivor), (gone, merged)):
            self._active.discard(story_id)
            self._window.leave(story)
        survivor.absorb(merged, self._params)
        self._route.add(keep, merged.names)
        for member in merged.members:
            self._story_of[member] = keep
        self._route.remove(gone, merged.names)
        self._merges.merged(keep, gone)
        self._changed.discard(gone)
        self._changed.add(keep)
        self._enter(survivor)

    # -- the window ------------------------------------------------------------------------------

    def _advance(self, ts: float) -> None:
        """Move the clock to ``ts``: stories whose latest member is older than the window
        leave the term statistics and take no dated records any more."""
        self._clock = self._window.clock = max(self._clock, ts)
        horizon = self._clock - self._params.window_seconds
        while self._expiry and self._expiry[0][0] < horizon:
            seen, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen == seen and story_id in self._active:
                self._active.discard(story_id)
                self._window.leave(story)

    def _enter(self, story: Story) -> None:
        if story.last_seen >= self._clock - self._params.window_seconds:
            self._active.add(story.story_id)
            self._window.enter(story)
            heapq.heappush(self._expiry, (story.last_seen, story.story_id))

    def _forget(self, story_id: str) -> None:
        story = self._stories.pop(story_id)
        if story_id in self._active:
            self._active.discard(story_id)
            self._window.leave(story)
        for member in story.members:
            if self._story_of.get(member) == story_id:
                del self._story_of[member]
        self._bands.remove(story_id)
        self._route.remove(story_id, story.names)

    # -- loading and the candidate index ---------------------------------------------------------

    def _load(self, ordered: list[StoryDoc]) -> None:
        """Load the stories a batch can meet: those active at its first record's time."""
        first = ordered[0].published if ordered else None
        if first is None:
            first = self._clock if self._clock > -math.inf else (self._now or time.time())
        since = first - self._params.window_seconds
        if self._loaded is not None and since >= self._loaded:
            return
        held = self._state.load_stories(since) if self._state is not None else ()
        rows = [r for r in held if r.story_id not in self._stories]
        self._loaded = since if self._loaded is None else min(since, self._loaded)
        owners: list[str] = []
        signatures: list[bytes] = []
        for row in sorted(rows, key=lambda r: r.story_id):
            story = story_from(row, self._tokenizer)
            self._stories[story.story_id] = story
            self._route.add(story.story_id, story.names)
            for member in story.members:
                self._story_of[member] = story.story_id
            self._enter(story)
            for _, signature in story.signatures:
                owners.append(story.story_id)
                signatures.append(signature)
        # The clock starts at the loaded stories' latest date, as one run's would stand: an
        # undated record naming "Friday" is placed by it (crawler.stories.dating.agrees).
        spans = [self._stories[r.story_id].dated for r in rows]
        latest = max((span[1] for span in spans if span), default=None)
        if latest is not None:
            self._advance(latest)
        if owners:
            values = np.frombuffer(b"".join(signatures), dtype=np.uint32)
            self._bands.add(owners, values.reshape(len(owners), -1))

    def _index(self, members: list[int], values: np.ndarray, story_at: list[str],
               profiles: list[Profile]) -> None:
        """Add the batch's index members (records with a body, stories' first records), up
        to a story's first :data:`SIGNATURES` of them."""
        kept = []
        for i in members:
            story = self._stories[story_at[i]]
            if len(story.signatures) < SIGNATURES:
                signature = values[i].astype(np.uint32).tobytes()
                story.signatures.append((profiles[i].doc.id, signature))
                kept.append(i)
        self._bands.add([story_at[i] for i in kept], values[kept])

