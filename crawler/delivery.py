"""Exactly-once output: appends to output files commit or roll back with the state.

A run's output goes out in two state transactions:

1. **journal**: commit the size of each target file before this run appends to it;
2. **deliver**: in one transaction, the caller's bookkeeping (seen entries, feed validators,
   story signatures) is written, the lines are appended to the targets and fsync'd, and the
   journal entry is marked delivered; then COMMIT.

Lines arrive as iterables and go out in blocks as they come (:meth:`Delivery.append`), so a
run of any size is written in bounded memory; each append reports the lines, bytes and
sha256 it put on disk, for the run's manifest.

If anything fails in 2 — disk full, a kill -9 — the transaction does not commit, and the
targets are cut back to their journalled sizes: at once by :meth:`Delivery.undo`, or at the
next start by :meth:`Delivery.recover` (what a killed run had appended, complete lines and a
torn last one alike, goes to ``<state>/quarantine/``). The state never vouches for lines that
are not on disk, and no line is on disk that the state does not vouch for: the next run
fetches those entries again and writes each record once.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import msgspec

from crawler.errors import OutputError
from crawler.filemodes import PRIVATE_DIR, PRIVATE_FILE, SHARED_FILE, make_dirs
from crawler.state import State

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ticket:
    """A journalled delivery: each target's size before the run's append."""

    run_id: str
    sizes: dict[str, int]


@dataclass(frozen=True)
class Appended:
    """What one append put on disk: its lines, bytes and their sha256."""

    path: Path
    lines: int
    bytes: int
    sha256: str


#: Lines go to disk in blocks of about this many bytes, each fsync'd before the next: memory
#: stays bounded for a run of any size, and an fsync per 8 MiB costs little next to the write.
_BLOCK_BYTES = 8 << 20


class Delivery:
    """Journals, writes and, when needed, undoes the output appends of one state directory."""

    def __init__(self, state: State, state_dir: Path, named: Path | None = None) -> None:
        """``named``: the one target the user named (``-o FILE``), which may be a symbolic
        link of theirs. Policywire's own files (dated records and rejects, ``runs.jsonl``)
        never are followed: a link planted in the output directory would have this run
        append to, or a recovery cut back, whatever file it names."""
        self._state = state
        self._quarantine = state_dir / "quarantine"
        self._named = named

    def journal(self, run_id: str, targets: Sequence[Path]) -> Ticket:
        """Commit the targets' current sizes (its own transaction, before any append)."""
        ticket = Ticket(run_id, {str(path): _size(path) for path in targets})
        self._state.journal_delivery(run_id, json.dumps(ticket.sizes, sort_keys=True))
        return ticket

    def append(self, ticket: Ticket, path: Path, lines: Iterable[bytes]) -> Appended:
        """Append encoded lines (each without its newline) to a journalled target as they
        come, in blocks, fsync'd; a target that gets no line is not created.

        Call inside the caller's :meth:`State.atomic` block; an error from ``lines`` itself
        propagates like a write error (the caller undoes the ticket).
        """
        self._check(ticket, [path])
        digest = hashlib.sha256()
        count = size = held = 0
        block: list[bytes] = []
        for line in lines:
            data = line + b"\n"
            digest.update(data)
            block.append(data)
            count += 1
            held += len(data)
            if held >= _BLOCK_BYTES:
                self._append(path, block)
                size, held, block = size + held, 0, []
        if block:
            self._append(path, block)
            size += held
        return Appended(path, count, size, digest.hexdigest())

    def _append(self, path: Path, lines: list[bytes]) -> None:
        if path == self._named:
            _append_to(path, lines, follow=True)
        else:
            _append(path, lines)

    def mark_delivered(self, ticket: Ticket) -> None:
        """Vouch for the ticket's appends in the caller's open transaction: when it commits,
        the lines are the run's for good."""
        self._state.mark_delivered(ticket.run_id)

    def write(self, ticket: Ticket, outputs: Mapping[Path, Iterable[bytes]]) -> list[Appended]:
        """Append each target's lines in order (:meth:`append`), then mark the ticket delivered.

        Call inside the caller's :meth:`State.atomic` block, after its bookkeeping.
        """
        self._check(ticket, outputs)
        appended = [self.append(ticket, path, lines) for path, lines in outputs.items()]
        self.mark_delivered(ticket)
        return appended

    def undo(self, ticket: Ticket) -> None:
        """Cut the targets back to their journalled sizes and forget the ticket."""
        for path, size in ticket.sizes.items():
            self._cut_back(Path(path), size, ticket.run_id)
        self._state.forget_delivery(ticket.run_id)

    def recover(self) -> int:
        """Undo the appends of runs that died before their delivery committed; returns how
        many there were."""
        pending = self._state.pending_deliveries()
        for run_id, sizes_json in pending:
            self.undo(Ticket(run_id, json.loads(sizes_json)))
            logger.warning("rolled back the partial output of interrupted run %s; its entries "
                           "will be fetched and written again", run_id)
        return len(pending)

    @staticmethod
    def _check(ticket: Ticket, paths: Collection[Path]) -> None:
        for path in paths:
            if str(path) not in ticket.sizes:
                raise ValueError(f"{path} was not journalled for run {ticket.run_id}")

    def _cut_back(self, path: Path, size: int, run_id: str) -> None:
        if path != self._named:
            _no_linked_folder(path)
        current = _size(path)
        if current <= size:
            return
        make_dirs(self._quarantine, PRIVATE_DIR)  # the state's, as private as the state
        moved = self._quarantine / f"{path.name}.{run_id}.{int(time.time())}.partial"
        with _opened(path, os.O_RDWR, path == self._named) as handle:
            handle.seek(size)
            with os.fdopen(os.open(moved, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE),
                           "wb") as kept:
                kept.write(handle.read())
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_file(moved)
        logger.warning("moved %d bytes of an unfinished append to %s to %s",
                       current - size, path, moved)


def check_jsonl(path: Path) -> None:
    """Every line of ``path`` is a JSON object ending in a newline, else :class:`OutputError`."""
    if not path.is_file():
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                value = msgspec.json.decode(line)
            except (msgspec.DecodeError, RecursionError):
                value = None
            if not isinstance(value, dict) or not line.endswith(b"\n"):
                raise OutputError(
                    f"{path}:{number}: corrupt line in an output file; move the file away or "
                    "repair that line, then run again"
                )


def check_tail(path: Path) -> None:
    """``path`` is missing, empty or ends with a newline, else :class:`OutputError` naming
    its last line: an append would glue its first line to the torn one. Reads the last byte
    alone (``runs.jsonl`` grows by a line every run); the lines are counted only to say
    where."""
    if not path.is_file():
        return
    with path.open("rb") as handle:
        if handle.seek(0, os.SEEK_END) == 0:
            return
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        number = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    raise OutputError(f"{path}:{number + 1}: corrupt line in an output file (no newline at its"
                      " end); move the file away or repair that line, then run again")


def _append(path: Path, lines: list[bytes]) -> None:
    """Append ``lines`` (newlines included) to one of policywire's own files, never through
    a symbolic link (:func:`_append_to`), nor into a dated folder that is one."""
    _no_linked_folder(path)
    _append_to(path, lines, follow=False)


#: A run's records and rejects files lie in dated folders of their own (YYYY/MM/DD, as
#: sinks.run_paths names them) under the output directory.
_DATED_FILES = ("records-", "rejects-")
_DATED_FOLDERS = 3


def _no_linked_folder(path: Path) -> None:
    """O_NOFOLLOW guards the last component only: a link planted as ``output/2026/12/06``
    took the run's new files wherever it named. The output directory itself, above the
    dated folders, is the user's to make a link."""
    if not path.name.startswith(_DATED_FILES):
        return
    for folder in path.parents[:_DATED_FOLDERS]:
        if folder.is_symlink():
            raise OSError(errno.ELOOP, "a symbolic link where policywire makes its own dated"
                          " folder; not followed (remove it)", str(folder))


def _append_to(path: Path, lines: list[bytes], follow: bool) -> None:
    """Append ``lines`` (newlines included) and fsync; a new file's directory too. Through
    a symbolic link only where ``follow``."""
    try:
        make_dirs(path.parent)
        created = not path.exists()
        with _opened(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, follow) as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
        if created:
            _fsync_dir(path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def _opened(path: Path, flags: int, follow: bool) -> BinaryIO:
    """``path`` opened with ``flags`` (a new file :data:`~crawler.filemodes.SHARED_FILE`);
    a symbolic link there is an error naming it, unless ``follow``."""
    try:
        fd = os.open(path, flags | (0 if follow else os.O_NOFOLLOW), SHARED_FILE)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise OSError(errno.ELOOP, "a symbolic link where policywire writes its own file;"
                      " not followed (remove it)", str(path)) from None
    return os.fdopen(fd, "r+b" if flags & os.O_RDWR else "ab")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return 0


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """A new file's directory entry must reach the disk too, or the file may vanish."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
