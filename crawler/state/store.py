"""The SQLite state store: seen entries, feed validators, signatures and stories.

The schema and its migrations are in :mod:`crawler.state.schema`. Writes nest: inside
:meth:`StateStore.atomic` every write joins one transaction, so records' bookkeeping, feed
validators, signatures and the delivery journal advance together or not at all.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from crawler.errors import CorruptState, LockHeld, StateError, StateNotWritable
from crawler.filemodes import PRIVATE_DIR, make_dirs
from crawler.models import FeedPoll, FeedState, StoredSignature, StoredStory
from crawler.redact import redact
from crawler.state.meta import STATE_FILE, ParamsMetaWriter
from crawler.state.schema import MIGRATIONS, numbers, spaced
from crawler.state.typing import SeenEntry, SeenRow

_T = TypeVar("_T")

__all__ = ["MIGRATIONS", "SeenEntry", "SeenRow", "StateStore"]


#: What a user can do about a damaged state database (in every message that reports one).
_RESTORE = ("restore it from a backup, or move it away to start a new state (the next crawl"
            " then fetches and writes every entry again)")
#: SQLite's names for a file that is no sound database (``sqlite3.Error.sqlite_errorname``).
_CORRUPT = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
#: ... and for one that cannot be written (extended codes share these prefixes).
_UNWRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR",
               "SQLITE_FULL")
#: ... and for one another process keeps locked past the connection's 30 s busy timeout.
_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")


_FEED_COLUMNS = ("SELECT url, etag, last_modified, body_hash, polls, validators_disabled,"
                 " next_check, error_streak, skip_hours, skip_days, last_poll, last_status"
                 " FROM feeds")


def _feed_state(row: tuple[Any, ...]) -> FeedState:
    return FeedState(row[0], row[1], row[2], row[3], int(row[4]), bool(row[5]), row[6],
                     int(row[7]), numbers(row[8]), numbers(row[9]), row[10], row[11])


class StateStore(ParamsMetaWriter):
    """A state database in ``<state_dir>/state.sqlite3``.

    A missing database is created; an empty (0-byte) one is :class:`CorruptState`, not new:
    SQLite would take it for a fresh database, and the crawl would write every entry again.
    Creating one therefore happens under a temporary name, renamed when it holds its
    schema, so that a run killed meanwhile never leaves an empty file behind.
    """

    #: Not a shared Redis namespace: what a refusal tells its user to do differs.
    namespace: str | None = None

    def __init__(self, state_dir: Path) -> None:
        make_dirs(state_dir, PRIVATE_DIR)
        self.path = state_dir / STATE_FILE
        self._depth = 0
        try:
            if not self.path.exists():
                self._create()
            elif self.path.stat().st_size == 0:
                raise CorruptState(f"{self.path}: the state database is empty (0 bytes);"
                                   f" {_RESTORE}")
            self._open(self.path)
        except sqlite3.Error as exc:
            raise _state_error(self.path, exc) from exc

    def _open(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self._db.create_function("redact_url", 1, redact, deterministic=True)  # migration 11
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives power loss; the records it vouches for were fsync'd first.
        self._db.execute("PRAGMA synchronous=FULL")
        self._migrate()

    def _create(self) -> None:
        # A random name, the file created here 0600 (SQLite gives its -wal and -shm the
        # database's mode): at the predictable ".state.sqlite3.new" a file or link planted
        # in the folder was opened, and renamed in as the state.
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".new",
                                    dir=self.path.parent)
        os.close(fd)
        building = Path(name)
        try:
            self._open(building)
            self._db.close()  # the last connection checkpoints the WAL into the file
            os.replace(building, self.path)
        finally:
            for leftover in (building, *(Path(f"{building}{end}") for end in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)  # of a creation that failed
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives power loss
        finally:
            os.close(directory)

    def check(self) -> None:
        """Read every page and try a write (rolled back): before a crawl fetches anything,
        since a damaged page or a read-only file found at its merge stage cost every
        download of the run. :class:`CorruptState` or :class:`StateNotWritable`."""
        try:
            problem = self._db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if problem != "ok":  # SQLite's report spans lines: one line for cron mails
                raise CorruptState(f"{self.path}: the state database is damaged"
                                   f" ({' '.join(problem.split())}); {_RESTORE}")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 ("write_check", ""))
            finally:
                self._db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise _state_error(self.path, exc) from exc

    def close(self) -> None:
        self._db.close()

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- seen entries -----------------------------------------------------------------------
    def seen(self, ids: Iterable[str]) -> dict[str, SeenEntry]:
        found: dict[str, SeenEntry] = {}
        for chunk in chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id, content_hash, revision FROM entries WHERE id IN ({marks})"
            for row in self._db.execute(query, chunk):
                found[row[0]] = SeenEntry(row[1], int(row[2]))
        return found

    def mark_seen(self, rows: Sequence[SeenRow], now: str) -> None:
        """Record seen entries in one transaction."""
        with self._transaction():
            self._db.executemany(
                "INSERT INTO entries (id, content_hash, revision, url, source, entry_fp,"
                " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO"
                " UPDATE SET content_hash = excluded.content_hash, revision = excluded.revision,"
                " entry_fp = coalesce(excluded.entry_fp, entries.entry_fp),"
                " last_seen = excluded.last_seen",
                [(r.id, r.content_hash, r.revision, r.url, r.source, r.entry_fp, now, now)
                 for r in rows],
            )

    def entry_fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        """Stored feed-metadata fingerprints of the given entry ids (those that have one)."""
        found: dict[str, str] = {}
        for chunk in chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            query = ("SELECT id, entry_fp FROM entries"
                     f" WHERE entry_fp IS NOT NULL AND id IN ({marks})")
            found.update((row[0], row[1]) for row in self._db.execute(query, chunk))
        return found

    # -- feeds --------------------------------------------------------------------------------
    def feed_state(self, source: str, url: str) -> FeedState | None:
        row = self._db.execute(f"{_FEED_COLUMNS} WHERE source = ? AND url = ?",
                               (source, url)).fetchone()
        return None if row is None else _feed_state(row)

    def feed_states(self, url: str) -> list[FeedState]:
        """Every source's state of ``url`` (the server's rest holds for them all)."""
        rows = self._db.execute(f"{_FEED_COLUMNS} WHERE url = ? ORDER BY source", (url,))
        return [_feed_state(row) for row in rows]

    def feeds_by_source(self) -> dict[str, tuple[int, int, int]]:
        """Per source: ``(polls, polls answered 304 last time, worst error streak)``, the
        streak of the feeds it polled at its latest merge only (a run stamps every poll
        with one time): a URL it no longer lists (moved in the sources file) keeps its row,
        but not its say, or its old failures would call the source failing for good."""
        rows = self._db.execute(
            "SELECT f.source, sum(f.polls), sum(f.last_status = 304),"
            " max(CASE WHEN f.last_fetch IS latest.at THEN f.error_streak ELSE 0 END)"
            " FROM feeds f JOIN (SELECT source, max(last_fetch) AS at FROM feeds"
            " GROUP BY source) latest ON latest.source = f.source"
            " WHERE f.source != '' GROUP BY f.source"
        )
        return {r[0]: (int(r[1] or 0), int(r[2] or 0), int(r[3] or 0)) for r in rows}

    def record_polls(self, polls: Sequence[FeedPoll], now: str) -> None:
        """Advance feeds' validators, poll counters and error streaks (after records are safe)."""
        with self._transaction():
            for poll in polls:
                self._record_poll(poll, now)

    def _record_poll(self, poll: FeedPoll, now: str) -> None:
        failed = poll.error is not None
        self._db.execute(
            "INSERT INTO feeds (url, source, etag, last_modified, body_hash, last_status,"
            " last_fetch, error_streak, polls, validators_disabled, next_check, skip_hours,"
            " skip_days, last_poll) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)"
            " ON CONFLICT(source, url) DO UPDATE SET last_status = excluded.last_status,"
            " skip_hours = CASE WHEN ? THEN feeds.skip_hours ELSE excluded.skip_hours END,"
            " skip_days = CASE WHEN ? THEN feeds.skip_days ELSE excluded.skip_days END,"
            " last_poll = coalesce(excluded.last_poll, feeds.last_poll),"
            " last_fetch = excluded.last_fetch, polls = feeds.polls + 1,"
            " next_check = excluded.next_check,"
            " etag = CASE WHEN ? THEN feeds.etag ELSE excluded.etag END,"
            " last_modified = CASE WHEN ? THEN feeds.last_modified"
            "   ELSE excluded.last_modified END,"
            " body_hash = coalesce(excluded.body_hash, feeds.body_hash),"
            " error_streak = CASE WHEN ? THEN feeds.error_streak + 1"
            "   WHEN ? THEN feeds.error_streak ELSE 0 END,"
            " validators_disabled = max(feeds.validators_disabled, excluded.validators_disabled)",
            (poll.url, poll.source, poll.etag, poll.last_modified, poll.body_hash, poll.status,
             now, int(failed), int(poll.lying), poll.next_check, spaced(poll.skip_hours),
             spaced(poll.skip_days), poll.polled_at, *[int(failed or poll.status == 304)] * 4,
             int(failed), int(poll.deferred)),
        )

    def count_entries(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])

    # -- signatures (structurally a dedup SignatureStore; the fingerprint: ParamsMetaWriter) -
    def load(self, since: float) -> Iterator[StoredSignature]:
        """Signatures that entered the window at ``since`` or later (``seen``), by
        ``(ts, id)``."""
        query = (
            "SELECT id, story_id, canonical_id, ts, language, title_tokens, title_sig, body_sig,"
            " source, gist, seen FROM signatures WHERE seen >= ? ORDER BY ts, id"
        )
        for row in self._db.execute(query, (since,)):
            tokens = tuple(row[5].split(" ")) if row[5] else ()
            yield StoredSignature(row[0], row[1], row[2], row[3], row[4], tokens, row[6], row[7],
                                  row[8], row[9], row[10])

    def add(self, rows: Sequence[StoredSignature]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO signatures (id, story_id, canonical_id, ts, language,"
                " title_tokens, title_sig, body_sig, source, gist, seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.id, r.story_id, r.canonical_id, r.ts, r.language, " ".join(r.title_tokens),
                  r.title_sig, r.body_sig, r.source, r.gist, r.kept_from) for r in rows],
            )

    def evict(self, before: float) -> int:
        """Delete the signatures that entered the window before ``before``."""
        with self._transaction():
            cursor = self._db.execute("DELETE FROM signatures WHERE seen < ?",
                                      (before,))
        return cursor.rowcount

    def forget(self, ids: Sequence[str]) -> None:
        """Delete the signatures of ``ids``."""
        with self._transaction():
            self._db.executemany("DELETE FROM signatures WHERE id = ?", [(i,) for i in ids])

    # -- stories (structurally a crawler.stories StoryState; parameters: ParamsMetaWriter) -
    def load_stories(self, since: float) -> Iterator[StoredStory]:
        """Stories a run kept in the window at ``since`` or later (``seen``), by
        ``(last_seen, story_id)``."""
        query = ("SELECT story_id, last_seen, payload, seen FROM stories WHERE seen >= ?"
                 " ORDER BY last_seen, story_id")
        for row in self._db.execute(query, (since,)):
            yield StoredStory(row[0], float(row[1]), bytes(row[2]), float(row[3]))

    def save_stories(self, rows: Sequence[StoredStory]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT INTO stories (story_id, last_seen, payload, seen) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(story_id) DO UPDATE SET last_seen = excluded.last_seen,"
                " payload = excluded.payload, seen = excluded.seen",
                [(r.story_id, r.last_seen, r.payload, r.kept_from) for r in rows],
            )

    def evict_stories(self, before: float) -> int:
        """Delete the stories no run kept in the window since ``before`` (``seen``)."""
        with self._transaction():
            cursor = self._db.execute("DELETE FROM stories WHERE seen < ?", (before,))
        return cursor.rowcount

    def forget_stories(self, ids: Sequence[str]) -> None:
        """Delete the stories of ``ids``."""
        with self._transaction():
            self._db.executemany("DELETE FROM stories WHERE story_id = ?", [(i,) for i in ids])

    # -- delivery journal ---------------------------------------------------------------------
    def journal_delivery(self, run_id: str, sizes: str) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO deliveries VALUES (?, ?, 0)",
                             (run_id, sizes))

    def mark_delivered(self, run_id: str) -> None:
        with self._transaction():
            self._db.execute("UPDATE deliveries SET delivered = 1 WHERE run_id = ?", (run_id,))

    def forget_delivery(self, run_id: str) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM deliveries WHERE run_id = ?", (run_id,))

    def pending_deliveries(self) -> list[tuple[str, str]]:
        """``(run_id, sizes JSON)`` of journalled deliveries that never committed."""
        rows = self._db.execute(
            "SELECT run_id, sizes FROM deliveries WHERE delivered = 0 ORDER BY run_id"
        )
        return [(r[0], r[1]) for r in rows]

    # -- internals --------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StateError(
                f"{self.path}: schema version {version} is newer than this policywire "
                f"understands ({len(MIGRATIONS)}); upgrade policywire"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def atomic(self) -> _Transaction:
        """One transaction around several writes (nested ones join it)."""
        return self._transaction()

    def _transaction(self) -> _Transaction:
        return _Transaction(self)


class _Transaction:
    def __init__(self, store: StateStore) -> None:
        self._store = store

    def __enter__(self) -> None:
        if self._store._depth == 0:
            self._store._db.execute("BEGIN IMMEDIATE")
        self._store._depth += 1

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._store._depth -= 1
        if self._store._depth == 0:
            self._store._db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _state_error(path: Path, exc: sqlite3.Error) -> StateError:
    """The error a user can act on for SQLite's ``exc`` about the state database."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(_CORRUPT):
        return CorruptState(f"{path}: the state database is damaged ({exc}); {_RESTORE}")
    if name.startswith(_BUSY):  # a foreign writer (ours take the state lock first): later
        return LockHeld(f"{path}: the state database is locked by another process ({exc})")
    if name.startswith(_UNWRITABLE):
        return StateNotWritable(f"{path}: cannot write the state database ({exc}); check"
                                " the permissions of it and its directory, and free space")
    return StateError(f"{path}: cannot open state database: {exc}")


def chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    """``items`` in slices of ``size``: bounded statements and replies for long id lists."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
