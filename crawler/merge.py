"""The merge stage: from a run's records to output lines and advanced state, in a safe order.

1. rejects and records of the run are sorted (so the same input in any order gives the same
   output), checked against the seen entries (unchanged ones only counted; changed ones
   written again with revision + 1),
2. the story index assigns story ids to what is new,
3. the state (seen entries, validators, signatures) and the output appends commit together
   or not at all (:mod:`crawler.delivery`).

A failure or crash at any point leaves the old state and the old files (the next run fetches
again), or the new state and the new lines: nothing skipped, nothing doubled.

This module composes state, dedup, delivery and sinks; the Scrapy pipeline calls it at the end
of a crawl, and it knows nothing of Scrapy.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from crawler.dedup import Decision, DedupParams, Doc, StoryIndex
from crawler.delivery import Delivery, check_jsonl
from crawler.models import FeedPoll, Record, Reject, Skipped
from crawler.sinks import JsonlWriter, run_paths
from crawler.state import SeenRow, State

_ENCODER = msgspec.json.Encoder()


@dataclass
class SourceCounts:
    records: int = 0
    revised: int = 0
    unchanged: int = 0
    rejects: int = 0
    duplicates: int = 0
    filtered: int = 0  # out of the --since/--until window, or off topic
    not_modified: int = 0


@dataclass(frozen=True)
class OutputFile:
    """What a run appended to one file: for a run's own dated files, the whole file."""

    path: str
    lines: int
    bytes: int
    sha256: str


@dataclass
class RunSummary:
    """What a run did, per source; written as one line of ``runs.jsonl``."""

    run_id: str
    started: str
    finished: str = ""
    sources: dict[str, SourceCounts] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    files: list[OutputFile] = field(default_factory=list)
    exit_code: int = 0
    config_hash: str = ""
    versions: dict[str, str] = field(default_factory=dict)

    def totals(self) -> SourceCounts:
        total = SourceCounts()
        for counts in self.sources.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total

    def to_dict(self) -> dict[str, object]:
        built: dict[str, object] = msgspec.to_builtins(
            {**vars(self), "sources": {k: vars(v) for k, v in self.sources.items()}, "files": [],
             "totals": vars(self.totals())}
        )
        built["files"] = [vars(f) for f in self.files]
        return built


@dataclass(frozen=True)
class MergeTargets:
    """Where a run writes: dated files under ``output_dir``, or one file / stdout."""

    output_dir: Path
    output_file: Path | None = None
    to_stdout: bool = False

    def paths(self, run_id: str, day: str) -> tuple[Path | None, Path]:
        records, rejects = run_paths(self.output_dir, run_id, day)
        if self.to_stdout:
            return None, rejects
        return (self.output_file or records), rejects


class RunBatch(msgspec.Struct, kw_only=True):
    """What a crawl collected, before merging: serialisable, so that a scale-out worker can
    hand it to the one process that merges (:mod:`crawler.scaleout`)."""

    records: list[Record] = msgspec.field(default_factory=list)
    fingerprints: dict[str, str] = msgspec.field(default_factory=dict)
    rejects: list[Reject] = msgspec.field(default_factory=list)
    polls: list[FeedPoll] = msgspec.field(default_factory=list)
    skipped: list[Skipped] = msgspec.field(default_factory=list)
    failures: int = 0  # sources that yielded nothing at all
    finish_reason: str = "finished"  # Scrapy's: anything else means the crawl was cut short

    def add(self, item: Record | Reject, entry_fp: str | None = None) -> None:
        if isinstance(item, Record):
            self.records.append(item)
            if entry_fp is not None and item.page_error is None:
                self.fingerprints[item.id] = entry_fp
        else:
            self.rejects.append(item)

    def add_poll(self, poll: FeedPoll) -> None:
        self.polls.append(poll)

    def skip(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)


def encode_batch(batch: RunBatch) -> bytes:
    return msgspec.msgpack.encode(batch)


def decode_batch(data: bytes) -> RunBatch:
    """A batch from :func:`encode_batch`; :class:`msgspec.DecodeError` if it is not one."""
    return msgspec.msgpack.decode(data, type=RunBatch)


class RunMerger:
    """Collects a run's records and rejects; :meth:`finish` writes them and advances state."""

    def __init__(
        self, run_id: str, started: str, *, targets: MergeTargets, state: State,
        state_dir: Path, params: DedupParams, lsh_storage: Mapping[str, Any] | None = None,
    ) -> None:
        self.summary = RunSummary(run_id=run_id, started=started)
        self._targets = targets
        self._state = state
        # lsh_storage: datasketch storage of a shared candidate index (scale-out), else memory.
        self._index = StoryIndex(params, state, now=time.time(), lsh_storage=lsh_storage)
        self._delivery = Delivery(state, state_dir)
        self._batch = RunBatch()
        self._same: list[Record] = []  # known, unchanged content: only last_seen advances

    def add(self, item: Record | Reject, entry_fp: str | None = None) -> None:
        """A record or reject of this run; ``entry_fp`` lets a later run skip the entry early."""
        self._batch.add(item, entry_fp)

    def add_poll(self, poll: FeedPoll) -> None:
        self._batch.add_poll(poll)
        if poll.status == 304:
            self._counts(poll.source).not_modified += 1

    def skip(self, skipped: Skipped) -> None:
        counts = self._counts(skipped.source)
        if skipped.why == "unchanged":
            counts.unchanged += 1
        else:
            counts.filtered += 1

    def absorb(self, batch: RunBatch, *, rejects: bool = True) -> None:
        """Everything another process collected (a scale-out worker's crawl of one source).

        ``rejects=False``: a newer batch of the same source reports the same problems again.
        """
        for record in batch.records:
            self.add(record, batch.fingerprints.get(record.id))
        for reject in batch.rejects if rejects else ():
            self.add(reject)
        for poll in batch.polls:
            self.add_poll(poll)
        for skipped in batch.skipped:
            self.skip(skipped)
        if batch.failures or batch.finish_reason != "finished":
            self.summary.exit_code = 1

    def finish(self, finished: str, *,
               also: Callable[[State], None] | None = None) -> RunSummary:
        """Assign stories, then stage, commit and deliver the run's output exactly once.

        ``also`` runs inside the committing transaction: a caller's own bookkeeping (the
        scale-out merger marks the batches it consumed) commits with the output or not at all.
        """
        records_path, rejects_path = self._targets.paths(self.summary.run_id,
                                                         self.summary.started[:10])
        rejects = sorted(self._batch.rejects, key=lambda r: (r.source, r.url or "", r.reason))
        fresh = list(self._fresh_records())
        stamped = _stamp(fresh, self._index.assign([_doc(r) for r in fresh]))
        self._count(stamped, rejects)
        self.summary.finished = finished
        outputs: dict[Path, list[bytes]] = {rejects_path: _encode(rejects)}
        if records_path is None:
            # stdout cannot be replayed after a crash: write first, then let state advance.
            JsonlWriter(None).write_all(stamped)
        else:
            if records_path.exists():
                check_jsonl(records_path)  # appending to a user's file: it must be sound
            outputs[records_path] = _encode(stamped)
        self.summary.files = [_described(p, lines) for p, lines in outputs.items() if lines]
        outputs[self._targets.output_dir / "runs.jsonl"] = _encode([self.summary.to_dict()])
        ticket = self._delivery.journal(self.summary.run_id, list(outputs))
        try:
            with self._state.atomic():
                self._state.mark_seen([self._seen_row(r) for r in stamped + self._same],
                                      finished)
                self._state.record_polls(self._batch.polls, finished)
                self._index.flush()
                if also is not None:
                    also(self._state)
                self._delivery.write(ticket, outputs)
        except BaseException:
            self._delivery.undo(ticket)  # the state rolled back: so does the output
            raise
        self._index.evict()
        return self.summary

    def _count(self, stamped: list[Record], rejects: list[Reject]) -> None:
        for record in stamped:
            counts = self._counts(record.source)
            counts.records += 1
            counts.revised += record.revision > 1
            counts.duplicates += record.duplicate_of is not None
        for reject in rejects:
            self._counts(reject.source).rejects += 1
            reasons = self.summary.reject_reasons
            reasons[reject.reason] = reasons.get(reject.reason, 0) + 1

    def _fresh_records(self) -> Iterator[Record]:
        """Drop what is already known unchanged; bump the revision of what changed."""
        ordered = sorted(self._batch.records, key=_order)
        seen = self._state.seen(r.id for r in ordered)
        emitted: set[str] = set()
        for record in ordered:
            known = seen.get(record.id)
            if record.id in emitted or (known and known.content_hash == record.content_hash):
                self._counts(record.source).unchanged += 1
                if known and record.id not in emitted:
                    # Same content, new feed metadata: remember it so the next run skips early.
                    self._same.append(msgspec.structs.replace(record, revision=known.revision))
                continue
            emitted.add(record.id)
            yield msgspec.structs.replace(record, revision=known.revision + 1) if known else record

    def _seen_row(self, record: Record) -> SeenRow:
        return SeenRow(record.id, record.content_hash, record.revision, record.url,
                       record.source, self._batch.fingerprints.get(record.id))

    def _counts(self, source: str) -> SourceCounts:
        return self.summary.sources.setdefault(source, SourceCounts())


def _encode(items: Sequence[Any]) -> list[bytes]:
    return [_ENCODER.encode(item) for item in items]


def _described(path: Path, lines: list[bytes]) -> OutputFile:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line + b"\n")
    return OutputFile(str(path), len(lines), sum(len(x) + 1 for x in lines), digest.hexdigest())


def _order(record: Record) -> tuple[str, str, str]:
    return (record.published or "9999", record.url, record.id)


def _doc(record: Record) -> Doc:
    return Doc(
        id=record.id, url=record.url, title=record.title, text=record.text,
        language=record.language, published=record.published, source=record.source,
    )


def _stamp(records: Sequence[Record], decisions: Sequence[Decision]) -> list[Record]:
    by_id = {d.id: d for d in decisions}
    return [
        msgspec.structs.replace(
            r, story_id=by_id[r.id].story_id, duplicate_of=by_id[r.id].duplicate_of,
            match=by_id[r.id].evidence,
        )
        for r in records
    ]



def run_id_for(moment: datetime, salt: str) -> str:
    """A sortable, unique run id: UTC timestamp plus a short random part."""
    return f"{moment.strftime('%Y%m%dT%H%M%SZ')}-{salt}"
