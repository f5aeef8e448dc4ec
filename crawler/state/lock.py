"""One run at a time per state directory.

``fcntl.flock`` on a file in the state directory: the kernel releases it when the process
dies, so a killed cron run never leaves a stale lock behind (unlike a PID file).
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path
from types import TracebackType

from crawler.errors import LockHeld
from crawler.filemodes import PRIVATE_DIR, PRIVATE_FILE, make_dirs


class StateLock:
    """Exclusive, non-blocking lock on ``<state_dir>/lock``."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "lock"
        self._fd: int | None = None

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
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
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
