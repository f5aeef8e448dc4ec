"""``policywire reindex``: the state's derived parts made anew from the records written.

Two things are derived from the output: the near-duplicate signatures
(:mod:`crawler.dedup.rebuild`) and the stories. Reindex serves after an upgrade that changed
either's parameters (a crawl then stops with exit 78), after a lost state, and to migrate an
output of record schema 1, whose ``story_id`` named a near-duplicate group, to schema 2,
whose ``story_id`` names a story (one event across outlets).

**Stories are decided again, and the record files rewritten.** The story layer is run over
every records file in run order, one file a batch (as the runs that wrote them met their
records; a later revision of a record keeps the story its first line got), and a file whose
lines' ``story_id``/``story_match``/``schema_version`` change is replaced atomically (a
temporary file beside it, fsync'd, renamed over it), its former bytes kept beside it as
``<name>.bak`` (the first backup stays: it holds the file as the older version wrote it).
``duplicate_of`` and ``match`` stay as written: the near-duplicate layer is not decided again.
The readers (``export``, ``stories``, ``report``) then need no second reading of old files.
Memory holds one file's records and a record id -> story map of the whole output.

Then, in one transaction, the signatures and stories of the state are replaced and both
parameter fingerprints stored: killed before it commits, the old state is still there (and
a second run rewrites nothing it already rewrote the same way).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from crawler.dedup import DedupParams, Doc, check_datasketch
from crawler.dedup.prepare import parse_timestamp
from crawler.dedup.rebuild import RebuildCounts, rebuild_signatures
from crawler.delivery import Delivery
from crawler.errors import ConfigError, OutputError
from crawler.export import iter_records
from crawler.export.writers import atomic_path
from crawler.merge import CHUNK_SIZE
from crawler.models import SCHEMA_VERSION
from crawler.sinks import json_safe, record_files
from crawler.state import StateLock, StateStore
from crawler.state.lock import report_unfinished
from crawler.stories import MemoryStoryState, StoryAssignment, StoryClusterer, StoryParams
from crawler.storylayer import mark_stories, story_doc, story_match

_ENCODER = msgspec.json.Encoder()
BACKUP_SUFFIX = ".bak"


def reindex(output_dir: Path, state_dir: Path, params: DedupParams, now: float | None = None,
            story_params: StoryParams | None = None) -> dict[str, int]:
    """Rewrite the records' stories under ``output_dir`` and replace the signatures and
    stories of ``state_dir`` with ones made from them (see the module's docs). Takes the
    state lock and first cuts back an interrupted run's partial output, as a crawl would."""
    check_datasketch()
    if not output_dir.is_dir():
        raise ConfigError(f"no such output directory: {output_dir}")
    now = time.time() if now is None else now
    story_params = story_params or StoryParams()
    counts = RebuildCounts()
    with StateLock(state_dir, pass_on=True) as lock:
        # A crawl killed before: said, and left for the next crawl's runs.jsonl line.
        report_unfinished(lock.unfinished)
        state = StateStore(state_dir)
        try:
            Delivery(state, state_dir).recover()  # it warns of each run it rolls back
            stories, restamped = restamp(output_dir, story_params, now)
            batches = rebuild_signatures(iter_records(output_dir), params, now, counts)
            with state.atomic():
                replaced = state.evict(math.inf)
                state.evict_stories(math.inf)
                state.set_params_fingerprint(params.fingerprint())
                mark_stories(state, story_params)
                for batch in batches:
                    state.add(batch)
                state.save_stories(list(stories.load_stories(-math.inf)))
        finally:
            state.close()
    return {**counts.as_dict(), "replaced": replaced, **restamped}


def restamp(output_dir: Path, params: StoryParams, now: float | None = None
            ) -> tuple[MemoryStoryState, dict[str, int]]:
    """Decide the stories of every record under ``output_dir`` again and rewrite the files
    whose lines change; the stories made (those a crawl at ``now`` would still hold), and
    counts of what was rewritten.

    A story is kept, as a crawl keeps it, ``window_days`` from the last run that added a
    member: here the latest ``fetched_at`` of that run's records file (a run's records are
    fetched minutes before it stores its stories). A file none of whose records has a
    ``fetched_at`` (no record schema lacks it; a hand-made file may) leaves its stories kept
    from their latest member's date, as stories stored before state migration 13."""
    now = time.time() if now is None else now
    stories = MemoryStoryState()
    # Not by_run: which stories a record meets follows the records' own dates, as one run
    # met them; what is kept is decided by `seen` below.
    clusterer = StoryClusterer(params, stories)
    known: dict[str, StoryAssignment] = {}
    counts = {"files_rewritten": 0, "records_restamped": 0, "stories": 0}
    for path in record_files(output_dir):
        rows = list(_rows(path))
        _assign(clusterer, rows, known)
        lines = [_restamped(row, known[str(row["id"])]) for row in rows]
        changed = sum(line != raw for line, (_, raw) in zip(lines, _raw_lines(path),
                                                              strict=True))
        if changed:
            _replace(path, lines)
            counts["files_rewritten"] += 1
            counts["records_restamped"] += changed
        clusterer.flush(_fetched(rows))
    # Not clusterer.evict(): that goes by the members' dates, and a backfill of old articles
    # crawled last week lost its stories while its signatures (by fetched_at) stayed.
    stories.evict_stories(now - params.window_seconds)
    counts["stories"] = len(list(stories.load_stories(-math.inf)))
    return stories, counts


def _assign(clusterer: StoryClusterer, rows: list[dict[str, Any]],
            known: dict[str, StoryAssignment]) -> None:
    """The stories of the records of ``rows`` not met before (a later revision keeps the
    story of its first line), in chunks as the merge stage assigned them."""
    fresh = {str(row["id"]): row for row in rows if str(row["id"]) not in known}
    docs = [story_doc(_doc(row), row.get("duplicate_of")) for row in fresh.values()]
    for start in range(0, len(docs), CHUNK_SIZE):
        chunk = docs[start:start + CHUNK_SIZE]
        known.update((a.id, a) for a in clusterer.assign(chunk))


def _fetched(rows: list[dict[str, Any]]) -> float | None:
    """When the run that wrote ``rows`` fetched them: the latest ``fetched_at`` (None: none
    has one)."""
    times = [parse_timestamp(row.get("fetched_at")) for row in rows]
    return max((at for at in times if at is not None), default=None)


def _doc(row: dict[str, Any]) -> Doc:
    text = row.get("text")
    return Doc(id=str(row["id"]), url=str(row.get("url") or ""), title=str(row["title"]),
               text=text if isinstance(text, str) else None, language=row.get("language"),
               published=row.get("published"), source=str(row.get("source") or ""),
               summary=_text_or_none(row.get("summary")))


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _restamped(row: dict[str, Any], story: StoryAssignment) -> bytes:
    row["schema_version"] = SCHEMA_VERSION
    row["story_id"] = story.story_id
    row["story_match"] = story_match(story.link)
    return json_safe(_ENCODER.encode(row)) + b"\n"  # as the merge stage writes it


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    """Each line of a records file as a dict; a line that is no record with an id, a title
    and a ``fetched_at`` (every record schema has one; the readers refuse a record without)
    stops the reindex naming it (nothing is rewritten that cannot be read back)."""
    for number, raw in _raw_lines(path):
        try:
            row = msgspec.json.decode(raw)
        except msgspec.DecodeError:
            row = None
        if not isinstance(row, dict) or not row.get("id") or not isinstance(
                row.get("title"), str) or not isinstance(row.get("fetched_at"), str) \
                or not raw.endswith(b"\n"):
            raise OutputError(f"{path}:{number}: not a record line; move the file away or"
                              " repair the line, then reindex again")
        yield row


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        yield from ((number, line) for number, line in enumerate(handle, 1) if line.strip())


def _replace(path: Path, lines: list[bytes]) -> None:
    """``path`` with ``lines``, all or nothing; its former bytes kept as the backup (the
    first backup stays)."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if not backup.exists():
        os.link(path, backup)  # the same bytes under a second name: the rename below keeps it
    # A new file of a random name (a link planted at a predictable one is never written
    # through), renamed over the old only once it is whole.
    with atomic_path(path) as temporary, temporary.open("wb") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power loss
    finally:
        os.close(directory)


__all__ = ["BACKUP_SUFFIX", "reindex", "restamp"]
