"""Values typed on the command line that no date can hold: a usage error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(("command", "span"), [
    (["export", "output", "-o", "x.jsonl", "--since"], "999999d"),
    (["report", "output", "-o", "r.html", "--until"], "99999999999h"),
    (["crawl", "--since"], "99999999999w"),
])
def test_a_span_reaching_back_before_year_one_is_a_usage_error(command: list[str], span: str,
                                                                tmp_path: Path) -> None:
    run = run_cli(*command, span, cwd=tmp_path)
    # Before: OverflowError's traceback and exit 1.
    assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.endswith(f"'{span}' reaches back before year 1\n"), run.stderr
    assert list(tmp_path.iterdir()) == []

