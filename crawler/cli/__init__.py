"""The ``policywire`` command: argument parsing and exit codes; the work is in :mod:`jobs`.

Exit codes (sysexits where one fits):

====  =====================================================================
0     success
1     partial: the run finished but some sources failed (see rejects/runs), or a signal
      stopped it gracefully (``interrupted`` in runs.jsonl); dedup: every line rejected
2     usage error: an unknown option or a bad argument value (argparse's code)
65    input data error (a corrupt output or input file, a damaged state database)
66    an input file or directory is missing or unreadable (EX_NOINPUT), or a directory no
      crawl wrote where an output directory is read
69    the shared state's Redis server refuses connections or does not answer (EX_UNAVAILABLE)
70    a process of the command's own failed (EX_SOFTWARE): dedup's story process
74    I/O error (disk full, permissions, a state database that cannot be written)
75    another run holds the state lock (EX_TEMPFAIL): try again later
78    configuration error (EX_CONFIG): a sources or topics file, the state's parameters
130   Ctrl-C before a crawl's graceful stop could take over (nothing committed)
141   stdout's reader went away (``| head``): quietly, as a filter killed by SIGPIPE
====  =====================================================================

Usage errors come two ways: argparse's own (an unknown option, a value of the wrong type:
the usage, then ``policywire CMD: error: ...``), and a value the command's checks refuse
(:class:`crawler.errors.UsageError`: one ``policywire: ...`` line, like every other error).
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from crawler import logs
from crawler.cli.parser import build_parser
from crawler.errors import PolicywireError
from crawler.exits import exit_code, one_line

# A reader that closed our stdout (`policywire export out | head -1`) chose to stop: no
# message, and the status a shell shows for any filter SIGPIPE stopped (cat, grep, jq), so a
# script with pipefail sees what it sees for those; 0 would claim the whole output written.
# Not SIG_DFL for SIGPIPE instead: a crawl's sockets would then kill the process.
EXIT_PIPE = 128 + signal.SIGPIPE
EXIT_INTERRUPTED = 128 + signal.SIGINT


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = getattr(args, "quiet", False)
    logs.configure(getattr(args, "log_level", "WARNING"), getattr(args, "log_format", "text"),
                   quiet=quiet)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()  # a reader gone shows here, not in Python's flush at exit
        return code
    except KeyboardInterrupt:
        # Ctrl-C before Scrapy takes the signal over (or in a command without it): stopped
        # on purpose, no traceback; 130 as a shell reports it. A crawl's output and state
        # are untouched: they commit only at the end.
        print("policywire: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (PolicywireError, OSError) as exc:
        if isinstance(exc, BrokenPipeError) and _readers_gone():
            return EXIT_PIPE
        # With --log-format json the line a run cannot start for is JSON too, as its last
        # line is: a log shipper (systemd's journal) reads it like every other.
        code = exit_code(exc)
        logs.final_line(one_line(exc), {"exit_code": code}, getattr(args, "log_format", "text"))
        return code


def _readers_gone() -> bool:
    """Whether stdout's or stderr's reader has closed its end (and a broken pipe is theirs,
    not one of a worker's); the closed ones then write to /dev/null, so that what is left
    in their buffers does not fail again at exit ("Exception ignored ... BrokenPipeError")."""
    gone = [stream for stream in (sys.stdout, sys.stderr) if _closed_by_reader(stream)]
    for stream in gone:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    return bool(gone)


def _closed_by_reader(stream: TextIO) -> bool:
    """Whether ``stream`` is a pipe whose reading end is closed: poll() reports POLLERR on
    such a write end whatever events are asked for."""
    try:
        poller = select.poll()
        poller.register(stream.fileno(), 0)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no descriptor (a test's capture)
        return False


__all__ = ["main"]
