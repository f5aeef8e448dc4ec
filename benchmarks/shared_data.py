"""Where the shared real-world data is: ``shared/data`` beside the repository
(``<repo>/../shared/data``), or further up when the checkout is a git worktree
(``<root>/wt/<name>`` reaches ``<root>/shared/data``). One rule for the benchmarks and the
tests that read the data: a gate that looked in the wrong place would skip, not fail.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def find_shared_data(repo: Path = REPO) -> Path:
    """The nearest ``shared/data`` above ``repo``; ``<repo>/../shared/data`` when there is none
    (a path that does not exist: its readers skip or say it is missing)."""
    for parent in repo.parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return repo.parent / "shared" / "data"


SHARED_DATA = find_shared_data()
