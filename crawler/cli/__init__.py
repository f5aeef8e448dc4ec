"""The ``policywire`` command: argument parsing and exit codes; the work is in :mod:`jobs`.

Exit codes (sysexits where one fits):

====  =====================================================================
0     success
1     partial: the run finished but some sources failed (see rejects/runs)
2     usage error
65    input data error (a corrupt output or input file)
74    I/O error (disk full, permissions)
75    another run holds the state lock (EX_TEMPFAIL): try again later
78    configuration error (EX_CONFIG): sources file or option invalid
====  =====================================================================
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from crawler import logs
from crawler.cli.commands import EXIT_CONFIG, EXIT_DATA, EXIT_IO, EXIT_LOCKED, EXIT_PARTIAL
from crawler.cli.parser import build_parser
from crawler.errors import (
    ConfigError,
    IncompatibleState,
    InputError,
    LockHeld,
    OutputError,
    PolicywireError,
)

# Which exit code each failure gets, most specific first.
_EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (LockHeld, EXIT_LOCKED),
    (ConfigError, EXIT_CONFIG),
    (IncompatibleState, EXIT_CONFIG),
    (OutputError, EXIT_DATA),
    (InputError, EXIT_DATA),
    (PolicywireError, EXIT_PARTIAL),
    (OSError, EXIT_IO),
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = getattr(args, "quiet", False)
    logs.configure("ERROR" if quiet else getattr(args, "log_level", "WARNING"),
                   getattr(args, "log_format", "text"))
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (PolicywireError, OSError) as exc:
        print(f"policywire: {_one_line(exc)}", file=sys.stderr)
        return next(code for kind, code in _EXIT_CODES if isinstance(exc, kind))


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, LockHeld):
        return f"{exc}; not starting"
    if isinstance(exc, OSError) and not isinstance(exc, PolicywireError):
        # Disk full, permissions, a vanished directory: one line, no traceback.
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return str(exc)


__all__ = ["main"]
