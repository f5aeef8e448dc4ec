"""The exit codes of policywire's commands (``policywire`` and ``scrapy crawl``), and which
failure gets which: one table, so that both front ends end a failure alike.

The codes follow sysexits where one fits; :mod:`crawler.cli` documents each.
"""

from __future__ import annotations

from crawler.errors import (
    ConfigError,
    CorruptState,
    IncompatibleState,
    InputError,
    LockHeld,
    NoInput,
    OutputError,
    PolicywireError,
    StateNotWritable,
    StateUnavailable,
    UsageError,
    WorkerFailed,
)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
EXIT_DATA, EXIT_NOINPUT, EXIT_UNAVAILABLE, EXIT_SOFTWARE, EXIT_IO, EXIT_LOCKED, EXIT_CONFIG = (
    65, 66, 69, 70, 74, 75, 78)

# Which exit code each failure gets, most specific first.
_EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (LockHeld, EXIT_LOCKED),
    (UsageError, EXIT_USAGE),
    (ConfigError, EXIT_CONFIG),
    (IncompatibleState, EXIT_CONFIG),
    (CorruptState, EXIT_DATA),
    (StateNotWritable, EXIT_IO),
    (StateUnavailable, EXIT_UNAVAILABLE),
    (OutputError, EXIT_DATA),
    (NoInput, EXIT_NOINPUT),
    (InputError, EXIT_DATA),
    (WorkerFailed, EXIT_SOFTWARE),
    (PolicywireError, EXIT_PARTIAL),
    (OSError, EXIT_IO),
)


def exit_code(exc: PolicywireError | OSError) -> int:
    """The exit code a command ends with when ``exc`` stops it."""
    return next(code for kind, code in _EXIT_CODES if isinstance(exc, kind))


def one_line(exc: PolicywireError | OSError) -> str:
    """``exc`` as the one line a command prints for it (no traceback)."""
    if isinstance(exc, LockHeld):
        return f"{exc}; not starting"
    if not isinstance(exc, PolicywireError):
        # Disk full, permissions, a vanished directory: one line, no traceback.
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return str(exc)
