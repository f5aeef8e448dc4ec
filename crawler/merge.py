"""The merge stage: from a run's records to output lines and advanced state, in a safe order.

0. records and rejects go to a spool on disk as they arrive (:mod:`crawler.spool`): a run's
   memory is bounded by :data:`CHUNK_SIZE`, not by the number of its records;
1. at the end they are read back sorted (so the same input in any order gives the same
   output), a chunk at a time, and checked against the seen entries (unchanged ones only
   counted; changed ones written again with revision + 1),
2. the near-duplicate index decides what is new in the chunk (``duplicate_of``, ``match``),
   then the story clusterer its stories (``story_id``, ``story_match``:
   :mod:`crawler.storylayer`),
3. the state (seen entries, validators, signatures, stories) and the output appends commit together
   or not at all (:mod:`crawler.delivery`): every chunk's bookkeeping and lines join one
   transaction; the run's manifest line is written last, with the size and sha256 of what
   was appended.

A failure or crash at any point leaves the old state and the old files (the next run fetches
again), or the new state and the new lines: nothing skipped, nothing doubled.

**Chunks.** Both layers remember what they decided, so a record of a later chunk meets the
originals and stories of earlier ones as a record of the next run would; chunks follow the
global order, so the output is deterministic. Duplicate groups are stars (a record copies
the earliest original it agrees with, never a chain: :class:`crawler.dedup.index.StoryIndex`)
and cite evidence from their own or an earlier position; the story clusterer sorts each
chunk and keeps its window's stories in the state (a run split in two gives one run's).

This module composes state, dedup, delivery and sinks; the Scrapy pipeline calls it at the end
of a crawl, and it knows nothing of Scrapy. What a run is (its summary, its batch, its
targets and id) is plain data in :mod:`crawler.runs`; how much of each thing a run met, per
source, is counted by :class:`crawler.tally.Tally`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from crawler.dedup import Decision, DedupParams, Doc, StoryIndex
from crawler.delivery import Appended, Delivery, Ticket, check_jsonl, check_tail
from crawler.logs import SHOWN_WHEN_QUIET
from crawler.models import Deferred, FeedPoll, Record, Reject, Skipped
from crawler.moves import unsaid
from crawler.normalize import to_iso
from crawler.pageretry import DEFAULT_RETRIES, joined, pending
from crawler.records import article_keys
from crawler.redact import redact
from crawler.runs import (
    Deferral,
    MergeTargets,
    Moved,
    OutputFile,
    RunBatch,
    RunSummary,
)
from crawler.sinks import JsonlWriter, json_safe
from crawler.spool import Spool, sweep
from crawler.state import SeenRow, State
from crawler.stories import StoryAssignment, StoryParams
from crawler.storylayer import open_stories, story_doc, story_match
from crawler.tally import Tally

logger = logging.getLogger(__name__)
_ENCODER = msgspec.json.Encoder()


def _line(value: Any) -> bytes:
    """A record's, reject's or run's JSON line: what it carries of a feed or page (U+202E,
    which clean_text keeps) as \\u escapes, never driving the terminal of ``tail -f``."""
    return json_safe(_ENCODER.encode(value))

#: Records read back, seen-checked, assigned and written per step of :meth:`RunMerger.finish`.
#: Memory per chunk: the decoded records (article records ~3-6 KB each in Python: ~30 MB),
#: their encoded lines and the index's pending signatures. A chunk is also one story-index
#: batch (one LSH query round, one Redis round trip in scale-out): much smaller chunks pay
#: that per-batch cost more often (``benchmarks/bench_memory.py`` measures both).
CHUNK_SIZE = 5_000


class RunMerger:
    """Collects a run's records and rejects; :meth:`finish` writes them and advances state.

    Records and rejects wait on disk in a spool under ``<state_dir>/spool/`` (removed by
    :meth:`finish`, whatever its outcome; a killed run's by the next merger's start).
    ``chunk_size`` (``None``: the whole run at once) bounds how many records are in memory.
    """

    def __init__(
        self, run_id: str, started: str, *, targets: MergeTargets, state: State,
        state_dir: Path, params: DedupParams, lsh_storage: Mapping[str, Any] | None = None,
        chunk_size: int | None = CHUNK_SIZE, story_params: StoryParams | None = None,
        page_retries: int = DEFAULT_RETRIES,
    ) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        self.summary = RunSummary(run_id=run_id, started=started)
        self._tally = Tally(self.summary)
        self._targets = targets
        self._state = state
        # Stories first: a state of a version without them is refused before the near-duplicate
        # index marks it. Within the run the stories' window follows the records' own times;
        # the state keeps a story window_days from this run (crawler.stories.held), so a run
        # split in two meets the stories one run would, a backfill's too.
        self._stories = open_stories(state, story_params or StoryParams())
        # lsh_storage: datasketch storage of a shared candidate index (scale-out), else memory.
        self._index = StoryIndex(params, state, now=time.time(), lsh_storage=lsh_storage)
        self._delivery = Delivery(state, state_dir, targets.output_file)
        self._chunk_size = chunk_size
        self._spool_dir = state_dir / "spool"
        sweep(self._spool_dir)  # callers hold the state directory's lock: no other run lives
        self._spool: Spool | None = None  # opened by the first record or reject
        self._polls: list[FeedPoll] = []
        # Sources with entries left out: by --since/--until, over their request budget, or
        # unfetched while our Redis was down, or whose record could not be built
        # (_LEFT_FOR_LATER).
        self._windowed: set[str] = set()
        # Sources with a page to fetch again (crawler.pageretry): their feeds keep no
        # validators, or a 304 would hide the entry from the next run.
        self._retries = page_retries
        self._retrying: set[str] = set()

    def add(self, item: Record | Reject, entry_fp: str | None = None) -> None:
        """A record or reject of this run; ``entry_fp`` (its entry's fingerprints, marked
        where its page is to be fetched again: :mod:`crawler.pageretry`) lets a later run
        skip the entry early."""
        if self._spool is None:
            self._spool = Spool(self._spool_dir, prefix=f"{self.summary.run_id}-")
        if isinstance(item, Record):
            self._spool.add_record(item, entry_fp)
        else:
            self._spool.add_reject(item)
            if item.reason in _LEFT_FOR_LATER:
                # Entries left for a later run: its feeds are read again, whatever they say.
                self._windowed.add(item.source)

    def add_poll(self, poll: FeedPoll, *, keep: bool = True) -> None:
        """A feed poll of this run, counted; ``keep=False``: not stored (see cut_short())."""
        if keep:  # under its URL without credentials (crawler.spiders.memory looks it up so)
            self._polls.append(dataclasses.replace(poll, url=redact(poll.url)))
        self._tally.poll(poll)
        if poll.moved_to is not None:
            self.summary.moved[poll.source] = Moved(redact(poll.url), redact(poll.moved_to))

    def skip(self, skipped: Skipped) -> None:
        self._tally.skip(skipped)
        if skipped.why == "out_of_window":
            self._windowed.add(skipped.source)

    def defer(self, deferred: Deferred) -> None:
        """A source resting at its server's or feed's wish; one polled (a 429) was read, so
        it is among the run's sources too, with nothing to count, and is no failure."""
        until = None if deferred.until is None else to_iso(
            datetime.fromtimestamp(deferred.until, UTC))
        self.summary.deferred[deferred.source] = Deferral(deferred.why, until, deferred.polled)
        if deferred.polled:
            self._tally.of(deferred.source)

    def absorb(self, batch: RunBatch, *, rejects: bool = True) -> None:
        """Everything another process collected (a scale-out worker's crawl of one source).

        ``rejects=False``: a newer batch of the same source reports the same problems again.
        """
        for record in batch.records:
            self.add(record, batch.fingerprints.get(record.id))
        for reject in batch.rejects if rejects else ():
            self.add(reject)
        cut_short = batch.finish_reason != "finished"
        for poll in batch.polls:
            self.add_poll(poll, keep=not cut_short)
        for skipped in batch.skipped:
            self.skip(skipped)
        for deferred in batch.deferred:
            self.defer(deferred)
        if batch.failures or cut_short:
            self.summary.exit_code = 1
        self.summary.interrupted |= cut_short

    def _kept_polls(self, failed: set[str]) -> list[FeedPoll]:
        """The polls to store. A feed whose entries --since/--until, the request budget or
        an outage of our Redis (``state_unavailable``) left out keeps no validators, body
        hash or rest (its ttl): stored, a later run would get 304 (or the same body, or skip
        the feed as not due) and never see them.
        Nor does a source that yielded nothing but rejects (a sitemap whose every page
        answers 404): the next run would get 304 and count the source as fine, and it
        would never be found dead (``failed``: those sources). Nor, its rest kept, does a
        source with a page to fetch again (:mod:`crawler.pageretry`): a 304 would hide it."""
        return [self._kept(poll, failed) for poll in self._polls]

    def _kept(self, poll: FeedPoll, failed: set[str]) -> FeedPoll:
        if poll.source in self._windowed:
            return dataclasses.replace(poll, etag=None, last_modified=None, body_hash=None,
                                       next_check=None)
        # Its rest stays: a Retry-After (or a feed's ttl) is to be honoured.
        if poll.source in failed or poll.source in self._retrying:
            return dataclasses.replace(poll, etag=None, last_modified=None, body_hash=None)
        return poll

    def cut_short(self) -> None:
        """The crawl stopped before it was done: forget its feed polls. Stored, a feed's
        validators and body hash would make the next run skip the feed (304, or the same
        body), and its entries this run never fetched would be lost without a trace."""
        self._polls.clear()
        self.summary.interrupted = True

    def finish(self, finished: str, *,
               also: Callable[[State], None] | None = None) -> RunSummary:
        """Assign stories, then stage, commit and deliver the run's output exactly once.

        ``also`` runs inside the committing transaction: a caller's own bookkeeping (the
        scale-out merger marks the batches it consumed) commits with the output or not at all.
        """
        try:
            self._finish(finished, also)
        finally:
            if self._spool is not None:
                self._spool.close()
                self._spool = None
        self._index.evict()
        self._stories.evict()
        return self.summary

    def _finish(self, finished: str, also: Callable[[State], None] | None) -> None:
        records_path, rejects_path = self._targets.paths(self.summary.run_id,
                                                         self.summary.started[:10])
        if records_path is not None and records_path.exists():
            check_jsonl(records_path)  # appending to a user's file: it must be sound
        runs_path = self._targets.output_dir / "runs.jsonl"
        # Cut short by something else than a crawl (whose torn tails recover() has cut back):
        # the manifest would be glued to the torn line, and the run lost from runs.jsonl.
        check_tail(runs_path)
        self.summary.finished = finished
        targets = [rejects_path, *([records_path] if records_path else []), runs_path]
        ticket = self._delivery.journal(self.summary.run_id, targets)
        try:
            with self._state.atomic():
                written = self._write_records(ticket, records_path, finished)
                rejected = self._delivery.append(ticket, rejects_path, self._reject_lines())
                failed = self._tally.failed()  # no Problem said so: their counts do
                self._state.record_polls(self._kept_polls(failed), finished)
                if also is not None:
                    also(self._state)
                self.summary.files = [_described(a) for a in (rejected, written)
                                      if a is not None and a.lines]
                if failed or self._tally.pages_failing():
                    self.summary.exit_code = 1
                news = unsaid(self.summary.moved, runs_path)
                self._delivery.write(ticket, {runs_path: [_line(self.summary.to_dict())]})
        except BaseException:
            self._delivery.undo(ticket)  # the state rolled back: so does the output
            raise
        for name, move in sorted(news.items()):
            logger.warning("%s: %s moved for good (301/308) to %s: name the new URL in the"
                           " sources file", name, move.url, move.to,
                           extra=SHOWN_WHEN_QUIET)  # said once: -q says it too

    def _write_records(self, ticket: Ticket, path: Path | None, now: str) -> Appended | None:
        if path is None:
            # stdout cannot be replayed after a crash: written before the state advances.
            JsonlWriter(None).write_all(self._stamped(now))
            return None
        return self._delivery.append(ticket, path, (_line(r) for r in self._stamped(now)))

    def _stamped(self, now: str) -> Iterator[Record]:
        """The run's new and changed records, in order, with their stories; each chunk's
        seen entries and signatures join the open transaction as the chunk goes out."""
        chunks = self._spool.records(self._chunk_size) if self._spool is not None else ()
        for chunk in chunks:
            fresh, same = self._fresh_records([r for r, _ in chunk])
            stamped = self._decided(fresh) if fresh else []
            self._tally.records(stamped)
            if stamped or same:
                fingerprints = self._fingerprints({r.id: fp for r, fp in chunk if fp})
                self._retrying.update(r.source for r, _ in chunk
                                      if pending(fingerprints.get(r.id, "")))
                self._state.mark_seen([_seen_row(r, fingerprints) for r in stamped + same], now)
            self._index.flush()
            self._stories.flush()
            yield from stamped

    def _fingerprints(self, given: Mapping[str, str]) -> dict[str, str]:
        """The entry fingerprints to store per id: this run's (``given``: sorted, space
        separated), then those stored before, at most :data:`~crawler.pageretry.MAX_FINGERPRINTS`;
        a page's failures counted on (:func:`crawler.pageretry.joined`). An article two
        sources link (one id) has an entry of each: with one fingerprint stored, the other
        source's entry never matched it, and its page was fetched again every run."""
        stored = self._state.entry_fingerprints(given)
        return {key: joined(fps, stored.get(key, ""), self._retries)
                for key, fps in given.items()}

    def _decided(self, fresh: list[Record]) -> list[Record]:
        """``fresh`` with both levels: the near-duplicate decision, then the story."""
        docs = [_doc(r) for r in fresh]
        decisions = self._index.assign(docs)
        stories = self._stories.assign([story_doc(doc, decision.duplicate_of)
                                        for doc, decision in zip(docs, decisions, strict=True)])
        return _stamp(fresh, decisions, stories)

    def _fresh_records(self, ordered: list[Record]) -> tuple[list[Record], list[Record]]:
        """Drop what is already known unchanged (an earlier run's) or written this run (for
        another source, or its URL for another entry, known by its guid or from a sitemap:
        ``also_in_run``); bump the revision of what changed. Returns the records to write,
        and the known unchanged ones (only their last_seen advances)."""
        assert self._spool is not None
        seen = self._state.seen(r.id for r in ordered)
        # Each record's article keys, worked out once (identity_url normalises the URL).
        keys_of = [article_keys(r) for r in ordered]
        emitted = self._spool.emitted(
            {key for r, keys in zip(ordered, keys_of, strict=True) for key in (r.id, *keys)})
        fresh: list[Record] = []
        same: list[Record] = []
        kept_keys: list[str] = []  # the article keys of what is written or remembered
        for record, keys in zip(ordered, keys_of, strict=True):
            known = seen.get(record.id)
            if record.id in emitted:
                self._tally.of(record.source).also_in_run += 1
            elif known and known.content_hash == record.content_hash:
                self._tally.of(record.source).unchanged += 1
                # Same content, new feed metadata: remember it so the next run skips early.
                same.append(msgspec.structs.replace(record, revision=known.revision))
                kept_keys.extend(keys)
            elif keys[0] in emitted and (keys[1] not in emitted or keys[2] in emitted):
                self._tally.of(record.source).also_in_run += 1
                # Its entry known, the next run does not fetch the page for it.
                same.append(msgspec.structs.replace(record, revision=(known or record).revision))
                kept_keys.extend(keys)
            else:
                emitted.add(record.id)
                fresh.append(msgspec.structs.replace(record, revision=known.revision + 1)
                             if known else record)
                kept_keys.extend(keys)
            emitted.update(keys)
        self._spool.emit([r.id for r in fresh] + kept_keys)
        return fresh, same

    def _reject_lines(self) -> Iterator[bytes]:
        for reject in self._spool.rejects() if self._spool is not None else ():
            self._tally.reject(reject)
            yield _line(reject)


#: Rejects of entries a later run is to fetch: their feed's validators and rest not stored.
_LEFT_FOR_LATER = frozenset({"request_budget", "state_unavailable", "record_failed"})


def _seen_row(record: Record, fingerprints: Mapping[str, str]) -> SeenRow:
    return SeenRow(record.id, record.content_hash, record.revision, record.url,
                   record.source, fingerprints.get(record.id))


def _described(appended: Appended) -> OutputFile:
    return OutputFile(str(appended.path), appended.lines, appended.bytes, appended.sha256)


def _doc(record: Record) -> Doc:
    return Doc(
        id=record.id, url=record.url, title=record.title, text=record.text,
        language=record.language, published=record.published, source=record.source,
        summary=record.summary,
    )


def _stamp(records: Sequence[Record], decisions: Sequence[Decision],
           stories: Sequence[StoryAssignment]) -> list[Record]:
    """Records with their fields of both levels (the near-duplicate decision's story id is
    its internal duplicate group: a record's ``story_id`` is its story's)."""
    return [
        msgspec.structs.replace(
            r, story_id=story.story_id, duplicate_of=decision.duplicate_of,
            match=decision.evidence, story_match=story_match(story.link),
        )
        for r, decision, story in zip(records, decisions, stories, strict=True)
    ]
