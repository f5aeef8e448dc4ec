"""How every subcommand presents itself: a one-line description and an example in its
``--help``, the same line in ``policywire --help``'s list of commands."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

Subparsers = argparse._SubParsersAction  # argparse names no public type for it


def add_command(sub: Subparsers[argparse.ArgumentParser], name: str, summary: str,
                example: str, parents: Sequence[argparse.ArgumentParser] = ()
                ) -> argparse.ArgumentParser:
    """A subcommand ``name`` described by ``summary`` (one line) and ``example`` (a command
    line, shown as typed)."""
    return sub.add_parser(
        name, parents=list(parents), help=summary, description=summary,
        epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter,
        # A prefix taken as the option it starts ("--source" as crawl's "--sources", "--out"
        # as "--output") would run another command than the one typed: a typo is an error.
        allow_abbrev=False,
    )
