"""What a run is, apart from how it is merged: its summary line (``runs.jsonl``), the batch a
crawl collects for the merge stage (serialisable: a scale-out worker hands it over), where
its output goes, and its id.

Plain data with no state and no I/O; :mod:`crawler.merge` fills and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from crawler.models import Deferred, FeedPoll, Record, Reject, Skipped
from crawler.sinks import run_paths


@dataclass
class SourceCounts:
    records: int = 0
    revised: int = 0
    unchanged: int = 0  # seen in an earlier run, and the same
    # Written this run already (under its one id) for another source, or another listing of
    # this one: two feeds linking one article URL. Not "unchanged": nothing saw it before.
    also_in_run: int = 0
    rejects: int = 0
    duplicates: int = 0
    filtered: int = 0  # out of the --since/--until window, or off topic
    capped: int = 0  # a feed's or sitemap's entries past its newest max_entries, not taken
    not_modified: int = 0
    # Records whose page could not be fetched or read (page_error: the feed's words only;
    # not counted: robots.txt forbids it, or it is not HTML: the site's choice).
    page_errors: int = 0
    # Pages (records or rejects) not fetched at all: their host had failed to connect after a
    # request's retries earlier in the run and was given up (crawler.giveup).
    given_up: int = 0
    # Of its rejects, those of a page or feed not asked for because our state (the scale-out
    # pacer's Redis) failed: a run that had nothing else says nothing of the source
    # (crawler.tally.only_our_outage).
    state_unavailable: int = 0


@dataclass(frozen=True)
class OutputFile:
    """What a run appended to one file: for a run's own dated files, the whole file."""

    path: str
    lines: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Deferral:
    """A source this run did not read, or read and was told to wait (``polled``): why
    (``retry-after``, ``ttl``, ``skip-hours``) and until when (UTC ISO; ``None``: the next
    hour its skipHours/skipDays allow)."""

    why: str
    until: str | None
    polled: bool = False


@dataclass(frozen=True)
class Moved:
    """A source's URL that permanent redirects (301, 308) sent elsewhere this run."""

    url: str
    to: str


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
    # The crawl was cut short (a signal, a timeout): its feeds' validators, body hashes and
    # rests were not stored, so the next run reads every feed again and fetches what this
    # one never reached (entries it wrote count as unchanged then).
    interrupted: bool = False
    # The pid of the run before this one that died holding the state lock (killed): this
    # run went on from its state. Only in the line when there was one.
    previous_unfinished: int | None = None
    config_hash: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    # Sources resting at their server's or feed's wish (not read, or answered 429): with
    # ``sources`` it accounts for every enabled source. Only in the line when there are any.
    deferred: dict[str, Deferral] = field(default_factory=dict)
    # Sources whose URL moved for good: the sources file should name the new one. Only in
    # the line when there are any.
    moved: dict[str, Moved] = field(default_factory=dict)
    # Hosts given up this run (crawler.giveup) -> the pages not tried there. Only in the line
    # when there are any.
    given_up_hosts: dict[str, int] = field(default_factory=dict)

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
        if self.previous_unfinished is None:
            del built["previous_unfinished"]
        for key in ("deferred", "moved", "given_up_hosts"):
            if not built[key]:
                del built[key]
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
    fingerprints: dict[str, str] = msgspec.field(default_factory=dict)  # id -> "fp fp ..."
    rejects: list[Reject] = msgspec.field(default_factory=list)
    polls: list[FeedPoll] = msgspec.field(default_factory=list)
    skipped: list[Skipped] = msgspec.field(default_factory=list)
    deferred: list[Deferred] = msgspec.field(default_factory=list)
    failures: int = 0  # sources that yielded nothing at all
    finish_reason: str = "finished"  # Scrapy's: anything else means the crawl was cut short

    def add(self, item: Record | Reject, entry_fp: str | None = None) -> None:
        if isinstance(item, Record):
            self.records.append(item)
            if entry_fp is not None:  # marked where the page is to be fetched again
                # Space-separated, as the merge's spool gives them: the entries of one article
                # in two feeds of the source (RSS and Atom) each keep theirs.
                known = self.fingerprints.get(item.id, "").split()
                if entry_fp not in known:
                    self.fingerprints[item.id] = " ".join([*known, entry_fp])
        else:
            self.rejects.append(item)

    def add_poll(self, poll: FeedPoll) -> None:
        self.polls.append(poll)

    def skip(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)

    def defer(self, deferred: Deferred) -> None:
        self.deferred.append(deferred)


def encode_batch(batch: RunBatch) -> bytes:
    return msgspec.msgpack.encode(batch)


def decode_batch(data: bytes) -> RunBatch:
    """A batch from :func:`encode_batch`; :class:`msgspec.DecodeError` if it is not one."""
    return msgspec.msgpack.decode(data, type=RunBatch)


def run_id_for(moment: datetime, salt: str) -> str:
    """A sortable, unique run id: UTC timestamp plus a short random part."""
    return f"{moment.strftime('%Y%m%dT%H%M%SZ')}-{salt}"
