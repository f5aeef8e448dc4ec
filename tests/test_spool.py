"""The spool keeps each entry it accepted, exactly once, even when a write to its disk fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import StateNotWritable
from crawler.exits import exit_code
from crawler.models import Record
from crawler.spool import _BUFFER, Spool


def _record(n: int) -> Record:
    key = f"id{n:05d}"
    return Record(id=key, url=f"https://a.example/{key}", source="a", title=f"Title {key}",
                  title_raw=f"Title {key}", fetched_at="2026-11-29T06:00:00Z",
                  published="2026-11-28T06:00:00Z", language="en", content_hash=f"h-{key}")


def _fill_disk(spool: Spool) -> int:
    """Caps the spool's database at the pages it has (SQLite's own "database or disk is
    full", as a full disk gives); returns the cap."""
    pages = int(spool._db.execute("PRAGMA page_count").fetchone()[0])
    spool._db.execute(f"PRAGMA max_page_count = {pages}")
    return pages


def test_a_record_whose_write_fails_is_not_kept_and_the_spool_writes_again_later(
        tmp_path: Path) -> None:
    # A failed write left its transaction open and the record in the buffer: the caller
    # rejected the entry (record_failed), yet its record went out too once a later write
    # could happen, and none could ("cannot start a transaction within a transaction").
    spool = Spool(tmp_path)
    try:
        pages = _fill_disk(spool)
        for n in range(_BUFFER - 1):
            spool.add_record(_record(n), f"fp{n}")
        with pytest.raises(StateNotWritable, match=r"spool.*full"):
            spool.add_record(_record(_BUFFER - 1), "fp-failed")
        spool._db.execute(f"PRAGMA max_page_count = {pages * 1000}")  # space again
        spool.add_record(_record(_BUFFER), f"fp{_BUFFER}")
        written = [record.id for chunk in spool.records(None) for record, _ in chunk]
    finally:
        spool.close()
    assert sorted(written) == [_record(n).id for n in range(_BUFFER - 1)] + [_record(_BUFFER).id]
    assert spool.record_count == len(written)


def test_a_spool_that_cannot_be_written_at_the_merge_is_the_states_fault_exit_74(
        tmp_path: Path) -> None:
    # A bare sqlite3.Error passed the pipeline's handler (OSError, PolicywireError): Scrapy
    # logged a traceback and the run's line said it "was stopped before its merge stage",
    # exit 1, where the disk was full.
    spool = Spool(tmp_path)
    try:
        for n in range(3):
            spool.add_record(_record(n))
        _fill_disk(spool)
        with pytest.raises(StateNotWritable, match=r"spool\.sqlite3 could not be written") as err:
            next(spool.records(None))
    finally:
        spool.close()
    assert exit_code(err.value) == 74
