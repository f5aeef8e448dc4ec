"""The stories a clusterer holds: their window, their candidate index, starting, joining,
merging, loading and evicting them (:class:`HeldStories`; the decisions are
:class:`crawler.stories.cluster.StoryClusterer`'s).

The window, as the near-duplicate one (crawler.dedup.index): within a run a record meets the
stories whose latest member is at most ``window_days`` before it (the clock: the latest
record's date in (published, id) order; one dated more than a day past the wall clock moves
nothing, so a record dated 2099 leaves every story active). What is kept between runs
(``by_run``: a crawl's state,
:func:`crawler.storylayer.open_stories`) is a story ``window_days`` from the last run that
added a member (``StoredStory.seen``), whatever its members' dates: a backfill of last
year's articles split over runs less than ``window_days`` apart meets its stories as one run
does, and memory holds what the runs of ``window_days`` kept. Without ``by_run`` (``policywire
dedup`` replaying a file, tests) a story leaves when the clock passes its latest member by
``window_days``, as an archive replays like the days it covers.
"""

from __future__ import annotations

import heapq
import logging
import math
import time
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np

from crawler.dedup.index import FUTURE_SKEW, story_id_for
from crawler.dedup.tokens import default_tokenizer
from crawler.models import StoredStory
from crawler.stories.bands import StoryBands
from crawler.stories.features import Profile
from crawler.stories.merging import BatchMerges
from crawler.stories.namecands import NameRoute
from crawler.stories.params import StoryParams
from crawler.stories.sieve import TitleSieve, title_pairs
from crawler.stories.story import Story, Window, story_from
from crawler.stories.types import StoryAssignment, StoryDoc, StoryLink, StoryState

# Members of one story in the candidate index, its first ones: a band value answers with its
# earliest 256 records anyway (crawler.dedup.lsh.BUCKET_CAP), and 20,000 copies of one
# article made a 2.5 MB story (payload and index) of signatures that found nothing new.
SIGNATURES = 256

logger = logging.getLogger(__name__)


class HeldStories:
    """The held stories and what follows them: ``flush()`` after the records are written,
    ``evict()``; the rest is the clusterer's (what a record joins or starts)."""

    def __init__(self, params: StoryParams, state: StoryState | None, *,
                 now: float | None = None, sieve: bool = True, by_run: bool = False) -> None:
        self._params = params
        self._state = state
        self._now = now
        # The clock of this run (by_run: what the stories it changes are kept from), and the
        # latest date that moves the window: a day past it (a record dated 2099 evicted
        # every story).
        self._run = time.time() if now is None else now
        self._latest = self._run + FUTURE_SKEW
        self._by_run = by_run and state is not None
        self._kept: dict[str, float] = {}  # by_run: loaded stories no record joined, kept from
        self._tokenizer = default_tokenizer()
        self._bands = StoryBands(params)
        self._stories: dict[str, Story] = {}
        self._story_of: dict[str, str] = {}       # member id -> story id
        self._window = Window()
        self._active: set[str] = set()
        self._expiry: list[tuple[float, str]] = []  # (last_seen, story id) as entered
        # Loaded stories not counted in the window yet, by when one run would have begun
        # them: (first dated member's time, first id, story id) (._count_before).
        self._pending: list[tuple[float, str, str]] = []
        self._uncounted: set[str] = set()
        self._clock = -math.inf
        self._loaded: float | None = None         # the `since` of the stories loaded
        self._changed: set[str] = set()
        self._merges = BatchMerges()
        # A summary's stories by a rare name (.namecands): noted from a batch of summaries on.
        self._route = NameRoute()
        # The titles of held stories' members (and more): bare titles none comes near
        # start a story without a candidate search (.sieve).
        self._sieve = TitleSieve(params.title_threshold, params.min_shared_title)
        self._sieve.on = self._sieve.on and sieve

    @property
    def state(self) -> StoryState | None:
        """Where the stories are saved (None: nowhere, held as long as this object)."""
        return self._state

    def flush(self, seen: float | None = None) -> None:
        """Persist the stories changed since the last flush (after the records are written).
        by_run: kept from this run's clock; else from ``seen`` (``reindex``: when the run
        that wrote the batch fetched it; None: their latest member's date stands in)."""
        if self._state is not None:
            seen = self._run if self._by_run else seen
            rows = [self._kept_row(self._stories[s], seen) for s in sorted(self._changed)
                    if s in self._stories]
            if rows:
                self._state.save_stories(rows)
        for story_id in self._changed:
            self._kept.pop(story_id, None)
        self._changed.clear()

    def _kept_row(self, story: Story, seen: float | None) -> StoredStory:
        """``story`` as stored, kept from ``seen``; None: from its latest member's date, but
        no later than the clock's FUTURE_SKEW (kept from 2099, a story outlived every
        window: no run's clock reaches past the wall clock's skew)."""
        row = story.stored()
        if seen is None and row.last_seen > self._latest:
            seen = self._latest
        return replace(row, seen=seen)

    def evict(self) -> None:
        """Forget the stories whose latest member left the window (by_run: that no run kept
        for ``window_days``), then the first kept of those over ``window_stories``, here and
        in the state."""
        if self._by_run:
            before = self._run - self._params.window_seconds
            if self._state is not None:
                self._state.evict_stories(before)
            self._drop([s for s, kept in self._kept.items() if kept < before])
        else:
            latest = self._clock if self._clock > -math.inf else None
            now = self._now if self._now is not None else latest
            before = (now if now is not None else time.time()) - self._params.window_seconds
            if self._state is not None:
                self._state.evict_stories(before)
            self._drop([s for s, story in self._stories.items() if story.last_seen < before])
        self._cap()

    def _drop(self, gone: list[str]) -> None:
        for story_id in gone:
            self._forget(story_id)
            self._kept.pop(story_id, None)
        self._sieve.drop(gone)
        self._bands.compact()

    def _cap(self) -> None:
        """Past ``window_stories``, the stories kept first (then the earliest latest member,
        then the lowest id) leave, here and in the state: a backfill's stories stay
        ``window_days`` from its run, however many (the near-duplicate window's cap:
        crawler.dedup.cap)."""
        cap = self._params.window_stories
        if len(self._stories) <= cap:
            return
        gone = heapq.nsmallest(len(self._stories) - cap, self._stories, key=self._kept_key)
        kept = datetime.fromtimestamp(self._kept_key(gone[-1])[0], UTC)
        self._drop(gone)
        if self._state is not None:
            self._state.forget_stories(gone)
        logger.warning("story window full: %d stories over its cap of %d left it early (kept"
                       " from %s UTC or before); a record of their events starts a new story"
                       " (StoryParams.window_stories, docs/operations.md)", len(gone), cap,
                       kept.strftime("%Y-%m-%d %H:%M"))

    def _kept_key(self, story_id: str) -> tuple[float, float, str]:
        story = self._stories[story_id]
        kept = self._kept.get(story_id, self._run) if self._by_run else story.last_seen
        return kept, story.last_seen, story_id

    def _start(self, profile: Profile) -> StoryAssignment:
        doc = profile.doc
        if doc.published is not None:
            seen = doc.published
        else:
            seen = self._clock if self._clock > -math.inf else (self._now or 0.0)
        story = Story.begun(story_id_for(doc.id), profile, self._params, seen)
        self._route.add(story.story_id, profile.names)
        self._stories[story.story_id] = story
        self._story_of[doc.id] = story.story_id
        self._merges.begin(story.story_id)
        self._enter(story)
        self._changed.add(story.story_id)
        return StoryAssignment(doc.id, story.story_id, None)

    def _join(self, profile: Profile, story_id: str, link: StoryLink | None) -> StoryAssignment:
        story = self._stories[story_id]
        if story_id in self._uncounted:  # a later story of the state: begun now, as in one run
            story.add(profile, self._params, None)
            self._uncounted.discard(story_id)
            self._window.enter(story)
            heapq.heappush(self._expiry, (story.last_seen, story_id))
        elif story_id in self._active:
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

    def _merge(self, keep: str, gone: str) -> None:
        survivor, merged = self._stories[keep], self._stories.pop(gone)
        self._leave(survivor)
        self._leave(merged)
        survivor.absorb(merged, self._params)
        self._route.add(keep, merged.names)
        for member in merged.members:
            self._story_of[member] = keep
        self._route.remove(gone, merged.names)
        self._merges.merged(keep, gone)
        self._sieve.merged(keep, gone)
        self._changed.discard(gone)
        self._kept.pop(gone, None)
        self._changed.add(keep)
        self._enter(survivor)

    # -- the window ------------------------------------------------------------------------------

    def _advance(self, ts: float) -> None:
        """Move the clock to ``ts``: stories whose latest member is older than the window
        leave the term statistics and take no dated records any more. A date more than
        ``FUTURE_SKEW`` past the wall clock moves nothing."""
        if ts > self._latest:
            return
        self._clock = self._window.clock = max(self._clock, ts)
        horizon = self._clock - self._params.window_seconds
        while self._expiry and self._expiry[0][0] < horizon:
            seen, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen == seen and story_id in self._active:
                self._leave(story)

    def _reach(self, doc: StoryDoc) -> None:
        """Move the clock to ``doc``'s time (an undated record: none) and count the loaded
        stories one run would have begun before it (:meth:`_count_before`)."""
        if doc.published is not None:
            self._advance(doc.published)
        self._count_before(math.inf if doc.published is None else doc.published, doc.id)

    def _count_before(self, published: float, doc_id: str) -> None:
        """Count in the window the loaded stories that one run, taking the records in
        (published, id) order (undated last), would have begun before this record: those
        whose first dated member (or, undated only, first member) comes first. A story of
        the state begun by a later record than one of this run (a feed that delivers late)
        is in no window of that record in one run: counted from the load on, its terms'
        document frequencies and its names' rarity moved the record's scores against every
        other story, and a run split in two scored otherwise than one run (120 of 480
        splits of tests/stories/test_event_kinds.py's reports gave other stories with the
        scene rule on; tests/stories/test_held.py)."""
        pending = self._pending
        while pending and (pending[0][0], pending[0][1]) < (published, doc_id):
            _, _, story_id = heapq.heappop(pending)
            if story_id in self._uncounted:
                self._uncounted.discard(story_id)
                self._window.enter(self._stories[story_id])

    def _enter(self, story: Story, loaded: bool = False) -> None:
        """Make ``story`` active when it is within the window; a ``loaded`` one is counted
        in the window's statistics only from its first member's time (:meth:`_count_before`)."""
        if story.last_seen >= self._clock - self._params.window_seconds:
            self._active.add(story.story_id)
            heapq.heappush(self._expiry, (story.last_seen, story.story_id))
            if loaded:
                self._uncounted.add(story.story_id)
                heapq.heappush(self._pending, (story.first_seen, story.first_id, story.story_id))
            else:
                self._window.enter(story)

    def _leave(self, story: Story) -> None:
        """``story`` is no longer active: out of the window's statistics, if counted there."""
        self._active.discard(story.story_id)
        if story.story_id in self._uncounted:
            self._uncounted.discard(story.story_id)
        else:
            self._window.leave(story)

    def _forget(self, story_id: str) -> None:
        story = self._stories.pop(story_id)
        if story_id in self._active:
            self._leave(story)
        for member in story.members:
            if self._story_of.get(member) == story_id:
                del self._story_of[member]
        self._bands.remove(story_id)
        self._route.remove(story_id, story.names)

    # -- loading and the candidate index ---------------------------------------------------------

    def _load(self, ordered: list[StoryDoc]) -> None:
        """Load the stories a batch can meet: those active at its first record's time."""
        first = ordered[0].published if ordered else None
        if self._by_run:  # what the runs of the window kept, once
            since = self._run - self._params.window_seconds
            if self._loaded is not None:
                return
        else:
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
            if self._by_run:
                self._kept[story.story_id] = row.kept_from
            self._stories[story.story_id] = story
            self._route.add(story.story_id, story.names)
            for member in story.members:
                self._story_of[member] = story.story_id
            self._enter(story, loaded=True)
            self._sieve.add([story.story_id] * len(story.titles),
                            title_pairs([title.tokens for _, title in story.titles]))
            for _, signature in story.signatures:
                owners.append(story.story_id)
                signatures.append(signature)
        # The clock starts at the loaded stories' latest date, as one run's would stand: an
        # undated record naming "Friday" is placed by it (crawler.stories.dating.agrees).
        spans = [span for r in rows if (span := self._stories[r.story_id].dated)]
        if self._by_run and first is not None:
            # By the run: stories of any age are loaded, a backfill's among later ones. One
            # run's clock at this batch's first record stands at the latest date before it.
            spans = [(span[0], span[1] if span[1] <= first else span[0]) for span in spans
                     if span[0] <= first]
        latest = max((span[1] for span in spans), default=None)
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
        # Each row's bytes sliced from the batch's: one numpy call, not one per member.
        data = values.astype(np.uint32, copy=False).tobytes()
        size = len(data) // len(values) if len(values) else 0
        stories = self._stories
        for i in members:
            story = stories[story_at[i]]
            if len(story.signatures) < SIGNATURES:
                story.signatures.append((profiles[i].doc.id, data[i * size:(i + 1) * size]))
                kept.append(i)
        self._bands.add([story_at[i] for i in kept], values[kept])

