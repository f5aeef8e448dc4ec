"""Online story clustering against story centroids (Miranda et al., EMNLP 2018).

Records are taken in (published, id) order, undated ones after the dated ones of their batch
(by id). Each record's candidate stories come from MinHash LSH over its title tokens and its
most named names, places and numbers, against the signatures of the stories' members (records
without a body are members of the index only as a story's first record); a candidate's
members share at least two bands with it in all (:func:`.candidates.enough`). Of the 30 with
the most shared bands, each still active (its latest member at most ``window_days`` before
the record) is scored (:mod:`crawler.stories.score`); the record joins the best story whose
score reaches the threshold (ties: the lower story id), else it starts one. A record
without a body that no held or earlier title comes near enough to join by starts one
without that search (:mod:`.sieve`: the same decision, proved beforehand). A summary is
scored against the active stories holding a name at most three of them hold as well
(:mod:`.namecands`). A record the near-duplicate layer marked as a copy joins its original's
story, when that story is held. A record with an article's body that fits two active stories
merges them when their centroids are alike (the older id survives; :mod:`crawler.stories.merging`);
a summary too, at ``summary_merge_threshold``, unless one was begun by a reaction. A summary
that scores just under its bar against another story the batch began asks whether that story
and its own are one event's parallel stories, by their members' mean score against each
other (:mod:`crawler.stories.linking`).

Where order matters, exactly:

* the stories are built in that order, so the same records in any order give the same
  stories, and a run split in two at a time (the second run's records all later than the
  first's) gives the same stories as one run: the second run loads every story whose latest
  member is within the window of its first record (``by_run``: every story a run of the
  window kept, a backfill's too; :mod:`crawler.stories.held`), the term statistics are those of the
  active stories, and the candidates those of their members (tests/stories/test_cluster.py);
  a second run's record earlier than a loaded story's first record is scored as in one run
  (tests/stories/test_held.py): that story counts in the term statistics from its first
  record's place in that order on (:meth:`HeldStories._count_before`), and only for its
  own score before (:meth:`StoryClusterer._ahead`);
* a story begun by an earlier batch or run is never merged into another (its records are
  written): where one run would merge two stories of the first half of a split run, the
  split run keeps them two; and two stories are linked by their members
  (:mod:`.linking`) only when every member is a summary of the current batch (a stored
  story keeps no member's terms): where one run links a story of the first half with one of
  the second, the split run keeps them two (``tests/stories/test_linking.py``);
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

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from crawler.stories.candidates import (
    HeldPairs,
    Sketches,
    asking_rows,
    batch_pairs,
    enough,
    in_order,
    sketched,
    story_signer,
    top_stories,
)
from crawler.stories.eventkinds import reaction_terms
from crawler.stories.features import Profile
from crawler.stories.held import HeldStories
from crawler.stories.linking import (
    LINK_THRESHOLD,
    NEAR_MARGIN,
    average_link,
    overlapping,
    rare_name_shared,
)
from crawler.stories.merging import BatchMerges, begun_by
from crawler.stories.params import StoryParams
from crawler.stories.profiler import Profiler
from crawler.stories.score import Fit, Scorer, story_similarity
from crawler.stories.shown import shown_names
from crawler.stories.sieve import TitlePairs
from crawler.stories.story import Story
from crawler.stories.types import StoryAssignment, StoryDoc, StoryLink, StoryState
from crawler.stories.veto import admitted


class StoryClusterer(HeldStories):
    """``assign(docs)`` -> stories; ``flush()`` after the records are written; ``evict()``.

    ``state`` None: the stories live as long as the clusterer (``policywire dedup``, one run
    over one file): none is encoded or stored. Its decisions are a memory state's: such a
    state only ever holds what the clusterer holds (flushed each batch, evicted alike), so
    a load after the first finds nothing new; a story's msgpack encoding cost ~7% of the
    clusterer's CPU (benchmarks/README.md). ``sieve`` False: every bare title searches its
    candidates (the same decisions, slower: what tests compare the sieve with). ``by_run``: the
    state keeps a story ``window_days`` from the last run that added to it, not from its
    latest member's date (a crawl's state; :mod:`crawler.stories.held`)."""

    def __init__(self, params: StoryParams, state: StoryState | None, *,
                 now: float | None = None, sieve: bool = True, by_run: bool = False) -> None:
        super().__init__(params, state, now=now, sieve=sieve, by_run=by_run)
        self._signer = story_signer(params)
        self._summaries: dict[str, Profile] = {}  # the batch's summaries (.linking)
        self._near: list[str] = []  # the stories a summary scored just under its bar
        self._link_params = replace(params, scene_bonus=0.0)

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
        self._summaries = {}
        asking = asking_rows(profiles, self._story_of)
        if sketches is None or sketches.ids != [p.doc.id for p in profiles]:
            sketches = sketched(profiles, self._signer, self._params, asking[:0])
        alone = self._alone(profiles, asking, sketches.titles)
        asking = asking[~alone[asking]]
        values = sketches.values
        top, held = self._bands.candidates(values, asking)
        # A row's pairs with the batch's earlier rows: read for the rows asking only (made
        # here when the sketches made ahead lack some: bare titles the sieve let through).
        asked = np.zeros(len(profiles), dtype=bool)
        asked[asking] = True
        fresh = sketches.pairs
        if not fresh.asked[asking].all():
            fresh = batch_pairs(values, self._params, asking)
        starts, earlier, band_hits = (fresh.starts.tolist(), fresh.earlier.tolist(),
                                      fresh.hits.tolist())
        story_at: list[str] = []
        joined: list[str | None] = []  # a row's story when it is a member of the index
        done: dict[str, StoryAssignment] = {}
        for i, (profile, asks) in enumerate(zip(profiles, asked.tolist(), strict=True)):
            if alone[i]:  # no story can take it (.sieve): what _one would decide
                self._reach(profile.doc)
                assignment = self._start(profile)
                story_at.append(assignment.story_id)
                joined.append(assignment.story_id)
                done[profile.doc.id] = assignment
                continue
            candidates = top[i]  # a dict of its own, added to here
            if asks:
                first, last = starts[i], starts[i + 1]
                pairs = zip(earlier[first:last], band_hits[first:last], strict=True)
                self._batch_hits(candidates, i, pairs, joined, held)
            assignment = self._one(profile, enough(candidates, self._params.min_band_hits))
            story_at.append(assignment.story_id)
            joined.append(assignment.story_id if profile.has_body or assignment.link is None
                          else None)
            done[profile.doc.id] = assignment
        story_at = [self._merges.alive(s) for s in story_at]
        self._sieve.add(story_at, sketches.titles)
        self._index([i for i, s in enumerate(joined) if s is not None], values, story_at,
                    profiles)
        self._summaries = {}
        return [self._merges.relabelled(done[d.id]) for d in docs]

    def _batch_hits(self, candidates: dict[str, int], row: int, pairs: Iterable[tuple[int, int]],
                    joined: list[str | None], held: HeldPairs) -> None:
        """Add to ``row``'s ``candidates`` the band hits of its ``pairs`` (earlier row, hits)
        by the earlier rows' stories (``joined``: None for a row in no story's index); a
        story new to the row starts from its members' held hits (``held``)."""
        # ~145 pairs a record (20,000 generated articles: 2.9 million), most of their
        # stories begun by the batch (in no held pair) and merged into none: one look-up
        # and one store a pair (two look-ups for a story new to the row), and no merged-story
        # test before the batch's first merge (measured: ~10% less of this loop).
        alive, gone, number = self._merges.alive, self._merges.gone, self._bands.numbers
        known = candidates.get
        for j, count in pairs:
            story_id = joined[j]
            if story_id is None:
                continue
            if gone and story_id in gone:
                story_id = alive(story_id)
            before = known(story_id)
            if before is None:  # begun by the batch, or a held story below the row's top
                owner = number.get(story_id)
                before = 0 if owner is None else held.hits(row, owner)
            candidates[story_id] = before + count

    def _alone(self, ordered: list[Profile], asking: np.ndarray, titles: TitlePairs
               ) -> np.ndarray:
        """The rows (in assignment order) that will start a story whatever their candidates:
        bare titles, no copies, that no held or earlier title comes near (.sieve)."""
        bare = np.asarray([i for i in asking.tolist() if not ordered[i].has_body
                           and ordered[i].doc.duplicate_of is None], dtype=np.int64)
        alone = np.zeros(len(ordered), dtype=bool)
        if len(bare):
            alone[bare] = self._sieve.unreachable(titles, bare)
        return alone

    # -- one record ------------------------------------------------------------------------------

    def _one(self, profile: Profile, candidates: dict[str, int]) -> StoryAssignment:
        doc = profile.doc
        self._reach(doc)
        original = self._story_of.get(doc.duplicate_of) if doc.duplicate_of else None
        if original is not None and doc.duplicate_of is not None:
            link = StoryLink(doc.duplicate_of, 1.0, self._shared(profile, original), "duplicate")
            return self._join(profile, original, link)
        self._near = []
        best, fitting = self._best(profile, candidates)
        if profile.thin and profile.has_body:
            self._summaries[doc.id] = profile
        if best is None:
            assignment = self._start(profile)
            self._link_parallel(assignment.story_id, profile)
            return assignment
        assignment = self._join(profile, best[0], best[1])
        if profile.long:
            self._merge_fitting(best[0], fitting, self._params.merge_threshold)
        elif profile.thin and profile.has_body and self._params.summary_merge_threshold:
            # A summary's few words fit stories of related events alike: it merges two at
            # a higher bar, and never a reaction's (.merging.begun_by). Its candidates come
            # in no set order (candidates.top_stories): the merges go by story id.
            self._merge_fitting(best[0], sorted(fitting), self._params.summary_merge_threshold,
                                reaction_terms(self._tokenizer, profile.doc.language))
        self._link_parallel(best[0], profile)
        return assignment

    def _best(self, profile: Profile, hits: dict[str, int]
              ) -> tuple[tuple[str, StoryLink | None] | None, list[str]]:
        """The best-scoring of the stories with the most band hits (ties: the story id)."""
        # The stories with the most hits (ties: the story id), by rank for a record that
        # may merge the stories it fits (in that order); for any other the best is the
        # same whatever the order (by score, then the lower id).
        chosen = top_stories(hits, self._params.max_candidates, profile.long)
        routed = self._route.routed(profile, chosen, stories=self._stories,
                                    active=self._active, alive=self._merges.alive)
        if not chosen and not routed:
            return None, []
        scorer = self._scorer(profile)
        best: tuple[float, str, StoryLink | None] | None = None
        fitting: list[str] = []  # every story the record could join (by rank: long ones)
        # The stories that take the record (held, and active for a dated record: the active
        # stories are held), less those the key-name veto stops (~91%), in one pass each.
        open_ = self._stories if profile.doc.published is None else self._active
        stories = self._stories
        held = [stories[s] for s in chosen if s in open_]
        held += [stories[s] for s in routed if s in open_]
        uncounted = self._uncounted
        for story in admitted(profile, held, self._params.key_names):
            story_id = story.story_id
            fit = scorer.fit(story) if story_id not in uncounted else self._ahead(profile, story)
            if fit is None:
                continue
            # Its content, or else its title alone as for a record without a body (a
            # summary's few words can miss what two headlines plainly share).
            margin = self._staleness(profile, story_id)
            bar = self._threshold(scorer, story_id) + margin
            by_content = fit.score >= bar
            if not by_content and fit.score >= bar - NEAR_MARGIN and profile.thin:
                self._near.append(story_id)
            if not by_content and fit.title_similarity < self._params.title_threshold + margin:
                continue
            fitting.append(story_id)
            if best is None or (fit.score, best[1]) > (best[0], story_id):
                rule = "content" if by_content and profile.has_body and story.content else "title"
                # A revision of the story's first record, alone in it: a story's first
                # record names no match (the schema's story_match).
                link = None if fit.member_id == profile.doc.id else StoryLink(
                    fit.member_id, round(fit.score, 4), self._shared(profile, story_id), rule)
                best = (fit.score, story_id, link)
        return (None if best is None else (best[1], best[2])), fitting

    def _ahead(self, profile: Profile, story: Story) -> Fit | None:
        """``profile``'s fit to a story of the state that one run would begin after it
        (:meth:`HeldStories._count_before`), counted in the window for this fit alone: one
        run scores that story's first record against this record's story, counted then."""
        self._window.enter(story)
        try:
            return self._scorer(profile).fit(story)
        finally:
            self._window.leave(story)

    def _scorer(self, profile: Profile) -> Scorer:
        """The scorer of ``profile``'s candidates (benchmarks/fit_story_feeds.py traces it)."""
        return Scorer(profile, self._window, self._params)

    def _threshold(self, scorer: Scorer, story_id: str) -> float:
        params, profile = self._params, scorer.profile
        if profile.has_body and self._stories[story_id].content:
            if scorer.learned:
                return params.learned_threshold
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
        """The names shown as shared (:mod:`.shown`: display only, the scorer's are all)."""
        story = self._stories[story_id]
        shared = profile.names & story.names.keys()
        # A story's key keeps its tied names (Story.key_names): past key_names of them (one
        # report's names, each counted once) it ranks nothing first, the record's key does.
        theirs = story.key_names(self._params.key_names)
        key = profile.key_names | (theirs if len(theirs) <= self._params.key_names else frozenset())
        return shown_names(self._tokenizer, shared, profile.doc.language, key, self._window.df,
                           said=profile.title | profile.names)

    # -- merging stories -------------------------------------------------------------------------

    def _link_parallel(self, story_id: str, profile: Profile) -> None:
        """Merge the story a summary went to with each story it scored just under its bar
        against, when the two are one event's parallel stories (:mod:`.linking`: both begun by
        this batch, every member a summary of it, close in time, a rare name
        shared, their members' mean score against the other story at ``LINK_THRESHOLD``)."""
        if not (profile.thin and profile.has_body) or not self._near:
            return
        alive, stories = self._merges.alive, self._stories
        reactions = reaction_terms(self._tokenizer, profile.doc.language)
        for candidate in sorted(self._near):
            pair = self._merges.pair(alive(story_id), alive(candidate))
            if pair is None or pair[0] == pair[1] or not self._active.issuperset(pair):
                continue
            a, b = stories[pair[0]], stories[pair[1]]
            members = [self._members(a), self._members(b)]
            if (not members[0] or not members[1] or not overlapping(a, b)
                    or any(begun_by(s, reactions) for s in (a, b))
                    or not rare_name_shared(a, b, self._window.df)
                    or story_similarity(a, b, self._window, self._params) is None):
                continue
            link = average_link([(members[0], b), (members[1], a)], self._window,
                                self._link_params)
            if link >= LINK_THRESHOLD:
                self._merge(*pair)

    def _members(self, story: Story) -> list[Profile]:
        """The profiles of ``story``'s members when every one is a summary of this batch,
        else none."""
        held = self._summaries
        if not all(m in held for m in story.members):
            return []
        return [held[m] for m in story.members]

    def _merge_fitting(self, story_id: str, fitting: list[str], threshold: float,
                       reactions: frozenset[str] = frozenset()) -> None:
        """Merge into one the story a record joined and each other active story it fits
        whose centroid is alike (:func:`story_similarity` at ``threshold``), as
        :mod:`.merging` allows, neither begun by a title holding one of ``reactions``."""
        stories = self._stories
        for candidate in fitting:
            pair = self._merges.pair(self._merges.alive(story_id), self._merges.alive(candidate))
            if pair is None or pair[0] == pair[1] or not self._active.issuperset(pair):
                continue
            if reactions and any(begun_by(stories[s], reactions) for s in pair):
                continue
            similarity = story_similarity(self._stories[pair[0]], self._stories[pair[1]],
                                          self._window, self._params)
            if similarity is not None and similarity >= threshold:
                self._merge(*pair)
