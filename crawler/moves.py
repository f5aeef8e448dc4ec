"""Feeds that moved for good (301, 308): said once, by the run that first met the move.

A cron crawl that warned on every run of a feed still listed under its old URL would mail
the same line every 15 minutes; one that never warned left the move to ``sources check
--live``. The run's ``moved`` (in ``runs.jsonl``) keeps it, for ``sources list``; a run says
a move only when the latest earlier run that read the source did not record the same one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from crawler.runs import Moved
from crawler.sinks import read_json_lines


def unsaid(moved: Mapping[str, Moved], runs_path: Path) -> dict[str, Moved]:
    """The moves of ``moved`` (this run's, by source) that earlier runs in ``runs_path``
    did not record last: the whole file is read, only when this run met a move."""
    if not moved or not runs_path.is_file():
        return dict(moved)
    last: dict[str, object] = {}  # source -> the URL its latest reading run recorded
    for _, run, _ in read_json_lines(runs_path):
        if run is None or not isinstance(run.get("sources"), dict):
            continue
        moves = run.get("moved")
        moves = moves if isinstance(moves, dict) else {}
        for name in moved.keys() & run["sources"].keys():
            said = moves.get(name)
            last[name] = said.get("to") if isinstance(said, dict) else None
    return {name: move for name, move in moved.items() if last.get(name) != move.to}


__all__ = ["unsaid"]
