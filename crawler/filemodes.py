"""The permissions of what policywire creates, capped whatever the process's umask.

A cron job or a container often runs under ``umask 000`` (or ``002`` with a shared group):
left to the umask, records, ``runs.jsonl`` and the report became writable by every user of
the machine, and the state database and its lock too, so anyone could rewrite what a crawl
vouches for, or plant a link in a world-writable output folder. As ssh and git do for what
they keep, the mode is chosen here and the umask may only take more away:

============================  ========  ==========================================
what                          mode      why
============================  ========  ==========================================
records, rejects, runs.jsonl  0644      read by analysts, web servers, other users;
exports, report, -o files               written by the crawl's user alone
folders of those              0755      the same
state database, its lock      0600      the crawl's own bookkeeping (what was seen,
a state folder it makes       0700      feed validators): nobody else's to read
============================  ========  ==========================================
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SHARED_FILE = 0o644
SHARED_DIR = 0o755
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_dirs(path: Path, mode: int = SHARED_DIR) -> None:
    """``path`` and any missing parent, each made with ``mode`` (less the umask); folders
    already there keep theirs (``Path.mkdir(parents=True)`` gives the parents the umask's
    permissions, whatever ``mode`` says)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=mode, exist_ok=True)


def is_stream(path: Path) -> bool:
    """Whether ``path`` is (or links to) a character device or a named pipe: ``/dev/null``,
    ``/dev/stdout``, a FIFO another program reads. Such an output is written through, never
    replaced or removed: as root, ``dedup -o /dev/null`` unlinked the device and left a
    regular file in its place, which every later writer to /dev/null on the machine filled."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def cap_to_shared(path: Path) -> None:
    """Give ``path`` (made private by ``mkstemp``) the permissions of a new shared file:
    :data:`SHARED_FILE`, less what the umask takes away."""
    os.chmod(path, SHARED_FILE & ~current_umask())


def current_umask() -> int:
    """The process's umask, read without setting it where the kernel tells it (Linux 4.7+):
    setting it to read it back leaves a moment in which another thread creates files 0666."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o077)  # the safe side for that moment
    os.umask(mask)
    return mask


__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "SHARED_DIR", "SHARED_FILE", "cap_to_shared",
           "current_umask", "make_dirs"]
