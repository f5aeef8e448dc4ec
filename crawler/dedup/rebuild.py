"""Signatures made anew from written records: the story index is derived state.

After a change of normalisation or of the signature parameters (their fingerprint no longer
matches the state's, and the index refuses the old signatures), or after a lost state, the
index is rebuilt from the records the runs wrote: every record of the window is tokenized
and signed again with the current parameters and stored with the duplicate group it was
written in (the group's id is derived from its original: ``duplicate_of``, else the record
itself, in record schema 1 and 2 alike). Near-duplicates are not decided again (the
``duplicate_of`` written once stays), so a later run matches new records against exactly the
originals already in the output. Stories are the story layer's (:mod:`crawler.reindex`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from crawler.dedup.index import story_id_for
from crawler.dedup.params import DedupParams
from crawler.dedup.prepare import Preparer, parse_timestamp, paused_gc
from crawler.dedup.signatures import to_bytes
from crawler.dedup.stream import BATCH_SIZE
from crawler.dedup.types import Doc
from crawler.models import StoredSignature


@dataclass
class RebuildCounts:
    """What a rebuild read and made."""

    records: int = 0  # records read
    signatures: int = 0  # signatures made (records of the window with a story)
    outside_window: int = 0  # older than the window: the index would have evicted them
    without_story: int = 0  # written without story fields: nothing to rebuild from

    def as_dict(self) -> dict[str, int]:
        return {"records": self.records, "signatures": self.signatures,
                "outside_window": self.outside_window, "without_story": self.without_story}


def rebuild_signatures(records: Iterable[Mapping[str, Any]], params: DedupParams, now: float,
                       counts: RebuildCounts | None = None
                       ) -> Iterator[list[StoredSignature]]:
    """The stored signature of each record (a dict as written to the output: ``id``, ``url``,
    ``title``, ``story_id``, optionally ``text``, ``language``, ``published``,
    ``fetched_at``, ``duplicate_of``) that falls in the window before ``now``, in batches of
    at most ``BATCH_SIZE`` (signed, and stored, a batch at a time: bounded memory).

    A record's time is its published date, else the time it was fetched (an undated record
    was indexed when it was fetched); it entered the window when it was fetched (the index
    keeps a record ``window_days`` from then: :mod:`crawler.dedup.index`), else at its time.
    ``counts`` (if given) is updated as records are read.
    """
    counts = RebuildCounts() if counts is None else counts
    since = now - params.window_seconds
    preparer = Preparer(params, now)
    chosen = _in_window(records, since, counts)
    while batch := list(islice(chosen, BATCH_SIZE)):
        with paused_gc():
            rows = _signed(preparer, batch)
        counts.signatures += len(rows)
        yield rows


def _in_window(records: Iterable[Mapping[str, Any]], since: float, counts: RebuildCounts
               ) -> Iterator[tuple[Mapping[str, Any], float, float]]:
    for record in records:
        counts.records += 1
        if not record.get("story_id") or not record.get("title") or not record.get("id"):
            counts.without_story += 1
            continue
        fetched = parse_timestamp(record.get("fetched_at"))
        ts = parse_timestamp(record.get("published")) or fetched
        seen = fetched if fetched is not None else ts
        if seen is not None and seen < since:
            counts.outside_window += 1
            continue
        yield record, since if ts is None else ts, since if seen is None else seen


def _signed(preparer: Preparer, batch: list[tuple[Mapping[str, Any], float, float]]
            ) -> list[StoredSignature]:
    by_id = {str(record["id"]): (record, ts, seen) for record, ts, seen in batch}
    docs = [Doc(id=key, url=str(record.get("url") or ""), title=str(record["title"]),
                text=record.get("text"), language=record.get("language"),
                published=record.get("published"), summary=record.get("summary"))
            for key, (record, _, _) in by_id.items()]
    prepared = preparer(docs)
    titles, bodies = preparer.wrap(prepared)
    rows = []
    for key, features, title, body in zip(prepared.ids, prepared.features, titles, bodies,
                                          strict=True):
        record, ts, seen = by_id[key]
        rows.append(StoredSignature(
            id=key, story_id=story_id_for(str(record.get("duplicate_of") or key)),
            canonical_id=str(record.get("duplicate_of") or key), ts=ts,
            language=features.language, title_tokens=tuple(sorted(features.tokens)),
            title_sig=to_bytes(title), body_sig=to_bytes(body) if body is not None else None,
            source=str(record.get("source") or ""), gist=features.gist, seen=seen,
        ))
    return rows
