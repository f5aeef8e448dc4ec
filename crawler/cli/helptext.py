"""How every subcommand presents itself: a one-line description and an example in its
``--help``, the same line in ``policywire --help``'s list of commands."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from typing import Any

Subparsers = argparse._SubParsersAction  # argparse names no public type for it


class CommandParser(argparse.ArgumentParser):
    """A parser that refuses what it does not know itself, naming the option it is closest to.

    argparse hands a subcommand's unknown arguments up to the top-level parser, which
    printed its own usage (the list of commands) and "policywire: error: unrecognized
    arguments: --source x": the command typed was not named, nor the option meant."""

    # typeshed overloads the method on the namespace's type; every caller here (argparse's
    # subparser action, parse_args) passes None or a Namespace.
    def parse_known_args(  # type: ignore[override]
            self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._meant(extras)}")
        return parsed, extras

    def _meant(self, extras: list[str]) -> str:
        """" (did you mean --sources?)" for the first unknown option close to a known one."""
        known = [option for option in self._option_string_actions if option.startswith("--")]
        for extra in extras:
            if extra.startswith("--"):
                close = difflib.get_close_matches(extra.split("=", 1)[0], known, n=1)
                if close:
                    return f" (did you mean {close[0]}?)"
        return ""


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
