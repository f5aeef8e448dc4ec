"""A run's records and rejects on disk until the merge stage reads them back.

A crawl of a million archived records must not hold them in memory (issue #7). A
:class:`Spool` appends each record and reject, msgpack-encoded, to a scratch SQLite file in a
directory of its own under ``<state>/spool/`` as it arrives, and gives them back in the
merge's global order, a chunk at a time. Only the ordering keys are sorted, by SQLite, which
spills a large sort to temporary files: memory stays bounded by the chunk, not by the run.

The file is scratch: no journal, no fsync, and the state never vouches for it (a crashed run
fetches its entries again). :meth:`Spool.close` removes the directory; one that a killed run
left behind goes at the next :func:`sweep`. A spool holds a lock on ``owner.lock`` in its
directory while it lives, so a sweep never removes a live one.

Layout of ``spool.sqlite3``::

    records       key (published or "9999"), url, id, data (msgpack Record), in arrival order
    fingerprints  id, fp: each entry fingerprint given for it (two sources' entries of one
                  article give two)
    rejects       source, url, reason, data (msgpack Reject), in arrival order
    ordered       pos -> records.rowid: the global order, built when records are read back
    joined        id -> its fingerprints, space-separated, built then too
    emitted       ids the merge wrote in an earlier chunk (a repeated id is written once)
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

from crawler.errors import StateNotWritable
from crawler.filemodes import PRIVATE_DIR, PRIVATE_FILE, make_dirs
from crawler.models import Record, Reject

_SCHEMA = (
    "CREATE TABLE records (key TEXT NOT NULL, url TEXT NOT NULL, id TEXT NOT NULL,"
    " source TEXT NOT NULL, data BLOB NOT NULL)",
    "CREATE TABLE fingerprints (id TEXT NOT NULL, fp TEXT NOT NULL, PRIMARY KEY (id, fp))"
    " WITHOUT ROWID",
    "CREATE TABLE rejects (source TEXT NOT NULL, url TEXT NOT NULL, reason TEXT NOT NULL,"
    " data BLOB NOT NULL)",
    "CREATE TABLE emitted (id TEXT PRIMARY KEY) WITHOUT ROWID",
)
#: Rows buffered before one ``executemany``: amortises the statement cost, holds ~3 MB of
#: article records at most.
_BUFFER = 1_000
#: SQLite binds at most 32,766 parameters; ``IN (...)`` lookups go in slices well below that.
_LOOKUP = 500
#: A spool directory without its lock file is a spool being created, unless it is older.
_ORPHAN_AGE_S = 3600.0

_record_decoder = msgspec.msgpack.Decoder(Record)
_reject_decoder = msgspec.msgpack.Decoder(Reject)
_encoder = msgspec.msgpack.Encoder()


class Spool:
    """Records and rejects of one run, on disk; read back sorted, in chunks."""

    def __init__(self, parent: Path, prefix: str = "run-") -> None:
        make_dirs(parent, PRIVATE_DIR)  # in the state: as private as the state
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._owner = _lock(self.path / "owner.lock")
        # sqlite3 creates a missing database 0644 less the umask (readable by every account):
        # made here first, it is as private as the state's own database.
        database = self.path / "spool.sqlite3"
        os.close(os.open(database, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         PRIVATE_FILE))
        self._db = sqlite3.connect(database, isolation_level=None)
        # Scratch data: nothing to recover after a crash, so no journal and no fsync.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._records: list[tuple[str, str, str, str, bytes]] = []
        self._fingerprints: list[tuple[str, str]] = []
        self._rejects: list[tuple[str, str, str, bytes]] = []
        self.record_count = 0
        self.reject_count = 0

    # -- writing ------------------------------------------------------------------------------
    def add_record(self, record: Record, entry_fp: str | None = None) -> None:
        """A record; ``entry_fp``, if given, joins the fingerprints of its id."""
        self._records.append((record.published or "9999", record.url, record.id,
                              record.source, _encoder.encode(record)))
        if entry_fp is not None:
            self._fingerprints.append((record.id, entry_fp))
        try:
            if len(self._records) >= _BUFFER:
                self._write()
        except BaseException:
            # Its caller rejects the entry (record_failed): kept, its record would go out
            # as well once a later write succeeds. The rows before it wait for that write.
            del self._records[-1]
            if entry_fp is not None:
                del self._fingerprints[-1]
            raise
        self.record_count += 1

    def add_reject(self, reject: Reject) -> None:
        self._rejects.append((reject.source, reject.url or "", reject.reason,
                              _encoder.encode(reject)))
        try:
            if len(self._rejects) >= _BUFFER:
                self._write()
        except BaseException:
            del self._rejects[-1]  # as in add_record: the caller hears it was not kept
            raise
        self.reject_count += 1

    # -- reading ------------------------------------------------------------------------------
    def records(self, size: int | None) -> Iterator[list[tuple[Record, str | None]]]:
        """Chunks of ``size`` records (all in one for ``None``) with the fingerprints given for
        their id this run (sorted, space-separated; None: none), in the
        order ``(published or "9999", url, source, id)``, equal keys in arrival order: what a
        stable in-memory sort of all of them gives. The source decides which of two sources'
        entries of one article is written whichever feed answered first: the one whose name
        sorts first, as the README says, also where each knows it by a guid of its own (two
        ids; before, the ids' hex decided)."""
        self._write()
        with self._faults():
            self._db.execute("DROP TABLE IF EXISTS ordered")
            self._db.execute("CREATE TABLE ordered (pos INTEGER PRIMARY KEY,"
                             " src INTEGER NOT NULL)")
            # INSERT ... SELECT inserts in the SELECT's order: pos numbers the global order.
            self._db.execute("INSERT INTO ordered (src) SELECT rowid FROM records"
                             " ORDER BY key, url, source, id, rowid")
            self._db.execute("DROP TABLE IF EXISTS joined")
            self._db.execute("CREATE TABLE joined (id TEXT PRIMARY KEY, fps TEXT NOT NULL)"
                             " WITHOUT ROWID")
            self._db.execute("INSERT INTO joined SELECT id, group_concat(fp, ' ') FROM"
                             " fingerprints GROUP BY id")
        step = size or max(self.record_count, 1)
        query = ("SELECT r.data, f.fps FROM ordered o JOIN records r ON r.rowid = o.src"
                 " LEFT JOIN joined f ON f.id = r.id WHERE o.pos >= ? AND o.pos < ?"
                 " ORDER BY o.pos")
        for start in range(1, self.record_count + 1, step):
            rows = self._db.execute(query, (start, start + step)).fetchall()
            yield [(_record_decoder.decode(data), _sorted(fps)) for data, fps in rows]

    def rejects(self) -> Iterator[Reject]:
        """Rejects in the order ``(source, url or "", reason)``, equal keys in arrival order."""
        self._write()
        rows = self._db.execute("SELECT data FROM rejects ORDER BY source, url, reason, rowid")
        for (data,) in rows:
            yield _reject_decoder.decode(data)

    # -- ids written --------------------------------------------------------------------------
    def emitted(self, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` an earlier chunk wrote (see :meth:`emit`)."""
        found: set[str] = set()
        wanted = list(ids)
        for start in range(0, len(wanted), _LOOKUP):
            part = wanted[start:start + _LOOKUP]
            marks = ",".join("?" * len(part))
            found.update(row[0] for row in self._db.execute(
                f"SELECT id FROM emitted WHERE id IN ({marks})", part))
        return found

    def emit(self, ids: Collection[str]) -> None:
        with self._faults():
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO emitted VALUES (?)",
                                 ((i,) for i in ids))
            self._db.execute("COMMIT")

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Remove the spool; it cannot be used afterwards."""
        self._db.close()
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._owner)

    def _write(self) -> None:
        if not (self._records or self._fingerprints or self._rejects):
            return
        with self._faults():
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                                     self._records)
                self._db.executemany("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)",
                                     self._fingerprints)
                self._db.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?)", self._rejects)
                self._db.execute("COMMIT")
            except BaseException:
                # All or none of the buffer: a half-written one would be written twice, and
                # an open transaction made every later BEGIN fail. (SQLite rolls back by
                # itself on some errors: a full disk.)
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        self._records, self._fingerprints, self._rejects = [], [], []

    @contextmanager
    def _faults(self) -> Iterator[None]:
        """SQLite's errors as the state's: the spool lives in the state directory. A bare
        sqlite3.Error (a full disk at the merge) passed the pipeline's handler, Scrapy
        logged its traceback, and the run said it "was stopped before its merge stage",
        exit 1; a StateNotWritable is one line naming the spool, exit 74."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StateNotWritable(
                f"the run's spool {self.path / 'spool.sqlite3'} could not be written: {exc}"
            ) from exc


def _sorted(fps: str | None) -> str | None:
    """An id's fingerprints sorted: group_concat's order is SQLite's, not arrival's."""
    return " ".join(sorted(fps.split())) if fps and " " in fps else fps


def sweep(parent: Path) -> int:
    """Remove the spools that dead runs left under ``parent``; returns how many."""
    if not parent.is_dir():
        return 0
    removed = 0
    for folder in parent.iterdir():
        if folder.is_dir() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _abandoned(folder: Path) -> bool:
    lock = folder / "owner.lock"
    if not lock.exists():
        return time.time() - folder.stat().st_mtime > _ORPHAN_AGE_S
    try:
        fd = _lock(lock, blocking=False)
    except BlockingIOError:
        return False  # its run is alive
    os.close(fd)
    return True


def _lock(path: Path, *, blocking: bool = True) -> int:
    """An exclusive ``flock`` on ``path``, held until the descriptor closes (or the process
    dies: the kernel releases it)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BaseException:
        os.close(fd)
        raise
    return fd
