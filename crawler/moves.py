"""Feeds that moved for good (301, 308): said once, by the run that first met the move.

A cron crawl that warned on every run of a feed still listed under its old URL would mail
the same line every 15 minutes; one that never warned left the move to ``sources check
--live``. The run's ``moved`` (in ``runs.jsonl``) keeps it, for ``sources list``; a run says
a move only when the latest earlier run that read the source did not record the same one,
found from the file's end (:data:`LOOKBACK_BYTES`), not by reading all of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from crawler.runs import Moved

#: How far back from the end of ``runs.jsonl`` a run looks for the source's latest reading
#: run: 4 MiB, some 400 runs of 50 sources (four days of a 15-minute cron). The file grows
#: by every run, for good (a year of that cron: 350 MB), and a move is met on every run
#: until the sources file is mended. A source not read within it has its move said again,
#: one line, rather than each run reading the whole file.
LOOKBACK_BYTES = 4 << 20
_CHUNK = 64 << 10


def unsaid(moved: Mapping[str, Moved], runs_path: Path,
           lookback: int = LOOKBACK_BYTES) -> dict[str, Moved]:
    """The moves of ``moved`` (this run's, by source) that earlier runs in ``runs_path``
    did not record last: read from its end, the latest runs first, until every source's
    latest reading run is found or ``lookback`` bytes are read; only when this run met a
    move."""
    if not moved or not runs_path.is_file():
        return dict(moved)
    last: dict[str, object] = {}  # source -> the URL its latest reading run recorded
    for raw in _lines_from_end(runs_path, lookback):
        run = _run(raw)
        if run is None:
            continue
        moves = run.get("moved")
        moves = moves if isinstance(moves, dict) else {}
        for name in (moved.keys() & run["sources"].keys()) - last.keys():
            said = moves.get(name)
            last[name] = said.get("to") if isinstance(said, dict) else None
        if last.keys() >= moved.keys():
            break
    return {name: move for name, move in moved.items() if last.get(name) != move.to}


def _run(raw: bytes) -> dict[str, Any] | None:
    """A line as a run with ``sources``; None for anything else (a torn or foreign line)."""
    try:
        run = json.loads(raw)
    except ValueError:  # UnicodeDecodeError too
        return None
    return run if isinstance(run, dict) and isinstance(run.get("sources"), dict) else None


def _lines_from_end(path: Path, limit: int) -> Iterator[bytes]:
    """The whole lines of the last ``limit`` bytes of ``path`` (and the one they end in),
    last first: chunks read backwards, a line split between two joined again."""
    with path.open("rb") as handle:
        position = handle.seek(0, os.SEEK_END)
        stop = max(0, position - limit)
        carry = b""
        while position > stop:
            size = min(_CHUNK, position - stop)
            position -= size
            handle.seek(position)
            lines = (handle.read(size) + carry).split(b"\n")
            carry = lines.pop(0)  # may begin before this chunk: completed by the next
            yield from (line for line in reversed(lines) if line.strip())
        if carry.strip() and stop == 0:  # the file's first line
            yield carry


__all__ = ["unsaid"]
