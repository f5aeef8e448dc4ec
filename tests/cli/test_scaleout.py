"""``policywire worker --help`` says what its folders hold: the shared state is Redis's, its
own --state-dir only keeps an interrupted merge's output (docs/scaleout.md). Before, it
read "embedded state (state/)", as crawl's does."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli


def test_worker_help_says_its_state_is_in_redis(tmp_path: Path) -> None:
    run = run_cli("worker", "--help", cwd=tmp_path)
    assert run.code == 0, run.stderr
    said = " ".join(run.stdout.split())
    assert "embedded state" not in said
    assert "the shared state is in Redis (--redis)" in said
    assert "where the merges this worker performs write" in said
