"""Where the shared real-world data is: ../shared/data beside the repository, or two levels
up from a worktree (../../shared/data)."""

from __future__ import annotations

import json

import pytest

from benchmarks.shared_data import SHARED_DATA


def story_clusters() -> list[dict[str, str]]:
    """The rows of story-clusters/records.jsonl (skips the test when the data is absent)."""
    path = SHARED_DATA / "story-clusters" / "records.jsonl"
    if not path.exists():
        pytest.skip(f"{path} missing: the shared data sits beside the repository")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
