from __future__ import annotations

import json
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
