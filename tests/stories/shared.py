"""Where the shared real-world data is: ../shared/data beside the repository, or two levels
up from a worktree (../../shared/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = next((p / "shared" / "data" for p in REPO.parents[:2] if (p / "shared").is_dir()),
                   REPO.parent / "shared" / "data")


def story_clusters() -> list[dict[str, str]]:
    """The rows of story-clusters/records.jsonl (skips the test when the data is absent)."""
    path = SHARED_DATA / "story-clusters" / "records.jsonl"
    if not path.exists():
        pytest.skip(f"{path} missing: the shared data sits beside the repository")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
