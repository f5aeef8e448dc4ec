"""Every benchmark runs as its docs quote it: ``python benchmarks/X.py`` from the repository's root.

The scripts import each other as the package ``benchmarks`` (and ``tests`` for the fixture
server); run as a file, only the script's own folder is on the path, so each one puts the
root there itself. Without that, ``--help`` already fails with ModuleNotFoundError.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The scripts: the folder's other modules (shared_data, extract_misses, ...) are their library.
SCRIPTS = sorted(
    p.name for p in (ROOT / "benchmarks").glob("*.py") if '__name__ == "__main__"' in p.read_text()
)


def test_the_benchmarks_folder_is_found() -> None:
    # A moved folder would leave the parametrised test below with nothing to run.
    assert len(SCRIPTS) >= 20


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_shows_its_help_without_pythonpath(script: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, f"benchmarks/{script}", "--help"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "usage:" in run.stdout
