"""One run at a time per state directory.

``fcntl.flock`` on a file in the state directory: the kernel releases it when the process
dies, so a killed cron run never leaves a stale lock behind (unlike a PID file). The
holder's pid in the file is only information: a clean release empties it, so a pid found
there by the next run names a run that died holding the lock (``kill -9``, the OOM killer).
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from pathlib import Path
from types import TracebackType

from crawler.errors import LockHeld
from crawler.filemodes import PRIVATE_DIR, PRIVATE_FILE, make_dirs


class StateLock:
    """Exclusive, non-blocking lock on ``<state_dir>/lock``."""

    def __init__(self, state_dir: Path, *, pass_on: bool = False) -> None:
        self.path = state_dir / "lock"
        self._fd: int | None = None
        # The pid of a run that died holding the lock (found by acquire()), else None.
        self.unfinished: int | None = None
        # Released, the lock file names that run again, for the next crawl to say and record
        # (a command that is no crawl, such as reindex, writes no runs.jsonl line of its own).
        self.pass_on = pass_on

    def acquire(self) -> None:
        make_dirs(self.path.parent, PRIVATE_DIR)
        # Not through a symbolic link: the lock is truncated and written below, and a link
        # planted there would have a run empty the file it names.
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, PRIVATE_FILE)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise OSError(exc.errno, "a symbolic link, not followed (remove it)",
                          str(self.path)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockHeld(f"another policywire run holds {self.path}") from None
        self.unfinished = _left_pid(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{_RUNNING} {os.getpid()}\n".encode())
        self._fd = fd

    def check_free(self) -> None:
        """:class:`LockHeld` if another process holds the lock now. Creates nothing: for a
        command that found nothing to read, to tell "a run is still writing it" apart."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return  # no lock file (a link there is acquire()'s to refuse): no run holds it
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(f"another policywire run holds {self.path}") from None
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            # Emptied while still held: a pid left in the file then means a run that died.
            os.ftruncate(self._fd, 0)
            if self.pass_on and self.unfinished is not None:
                os.pwrite(self._fd, f"{_RUNNING} {self.unfinished}\n".encode(), 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StateLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


# What a holder writes in the lock file: the word marks this release's format, so a lock file
# of an older release (its last run's bare pid, never emptied) names no unfinished run.
_RUNNING = "running"


def _left_pid(fd: int) -> int | None:
    """The pid a previous holder left in the lock file; None when it is empty (released, or
    new), holds no pid, or is an older release's (a bare pid)."""
    word, _, pid = os.pread(fd, 64, 0).decode("ascii", "replace").strip().partition(" ")
    return (int(pid) or None) if word == _RUNNING and pid.isdigit() else None


def report_unfinished(pid: int | None) -> None:
    """Say once, on stderr whatever the log level (cron mails only output), that the run
    holding the lock before this one died without releasing it: a crawl killed every night
    is otherwise never heard of, as the next run goes on from its state in silence."""
    if pid is not None:
        print(f"policywire: the previous run (pid {pid}) did not finish (killed?); this run"
              " goes on from its state", file=sys.stderr)


def unfinished_setting(lock: StateLock) -> dict[str, int]:
    """The Scrapy setting that hands the crawl's merge (which writes ``runs.jsonl``) the pid
    of the run that died holding ``lock``; none when there was no such run."""
    return {} if lock.unfinished is None else {"POLICYWIRE_PREVIOUS_UNFINISHED": lock.unfinished}
