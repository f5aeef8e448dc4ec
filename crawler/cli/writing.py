"""Writing a command's text output: to stdout ("-") or to a file replaced whole."""

from __future__ import annotations

import sys
from pathlib import Path

from crawler.cli.checks import not_a_folder
from crawler.export.writers import atomic_path


def write_text(target: str, text: str) -> None:
    """``text`` to stdout when ``target`` is "-", else to the file ``target`` (not a folder)."""
    if target == "-":
        sys.stdout.write(text)
    else:
        not_a_folder(Path(target))
        write_shared(Path(target), text)


def write_shared(path: Path, text: str) -> None:
    """``path`` replaced whole, its folders made, readable by all, written by its owner
    alone whatever the umask (as export and report write theirs)."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
