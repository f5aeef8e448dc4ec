from __future__ import annotations

import json
import time
from pathlib import Path

from crawler.moves import unsaid
from crawler.runs import Moved

MOVE = Moved("http://a/old.rss", "http://a/new.rss")


def _runs(tmp_path: Path, *runs: dict[str, object]) -> Path:
    path = tmp_path / "runs.jsonl"
    path.write_text("".join(json.dumps(run) + "\n" for run in runs), encoding="utf-8")
    return path


def test_a_move_is_said_until_a_run_that_read_the_source_recorded_it(tmp_path: Path) -> None:
    assert unsaid({"s": MOVE}, tmp_path / "none.jsonl") == {"s": MOVE}
    recorded = {"sources": {"s": {}}, "moved": {"s": {"url": MOVE.url, "to": MOVE.to}}}
    assert unsaid({"s": MOVE}, _runs(tmp_path, recorded)) == {}
    # A run that left the source alone (deferred) neither says nor forgets the move.
    assert unsaid({"s": MOVE}, _runs(tmp_path, recorded, {"sources": {}})) == {}
    # Read since without the move (the redirect was gone a while): said again.
    assert unsaid({"s": MOVE}, _runs(tmp_path, recorded, {"sources": {"s": {}}})) == {"s": MOVE}
    elsewhere = Moved(MOVE.url, "http://b/feed")
    assert unsaid({"s": elsewhere}, _runs(tmp_path, recorded)) == {"s": elsewhere}


def test_a_long_run_log_is_read_from_its_end(tmp_path: Path) -> None:
    # A year of a 15-minute cron: tens of thousands of runs.jsonl lines, read whole by every
    # run that met a move (before: 0.24 s of CPU for these 61 MB on every cron run; 1 ms now).
    sources = {f"src{n}": {"records": n} for n in range(60)}
    older = json.dumps({"sources": sources, "notes": "x" * 1500}) + "\n"
    recorded = {"sources": {**sources, "s": {}},
                "moved": {"s": {"url": MOVE.url, "to": MOVE.to}}}
    path = tmp_path / "runs.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({**recorded, "sources": {"t": {}},  # t: moved, long ago
                                 "moved": {"t": recorded["moved"]["s"]}}) + "\n")
        handle.writelines(older for _ in range(20_000))
        handle.write(json.dumps(recorded) + "\n")
        handle.writelines(older for _ in range(50))  # runs since that left s alone
    started = time.process_time()
    assert unsaid({"s": MOVE}, path) == {}
    assert time.process_time() - started < 0.05
    elsewhere = Moved(MOVE.url, "http://b/feed")
    assert unsaid({"s": elsewhere}, path) == {"s": elsewhere}
    # A source not read within the look-back has its move said again (one line); the whole
    # file read, its first line is.
    assert unsaid({"t": MOVE}, path) == {"t": MOVE}
    assert unsaid({"t": MOVE}, path, lookback=path.stat().st_size) == {}
    first = _runs(tmp_path, recorded, {"sources": {}})
    assert unsaid({"s": MOVE}, first, lookback=10) == {"s": MOVE}
    assert unsaid({"s": MOVE}, first, lookback=first.stat().st_size) == {}
