"""benchmarks/eval_dedup.py reports the story level beside the duplicate level (issue 18, item
8): story-clusters per slice (ours and the TF-IDF + average-link baseline) and the real feeds,
in one run, in its table and its JSON; ``--no-stories`` leaves the section out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import eval_dedup
from tests.stories.shared import SHARED_DATA, story_clusters

# Four topics, both title kinds each: small enough for a test, two per half for held out.
TOPICS = {"ecb+/t3", "ecb+/t5", "ecb+/t7", "ecb+/t9"}


@pytest.fixture
def story_slice(tmp_path: Path) -> Path:
    if not (SHARED_DATA / "real-feeds").is_dir():
        pytest.skip(f"{SHARED_DATA / 'real-feeds'} missing: the shared data sits beside the repo")
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in story_clusters()
                            if r["topic"] in TOPICS))
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    # The headline pairs are left out: the duplicate level is not what is tested here.
    assert eval_dedup.main(["--headline-pairs", "/nonexistent", *args]) == 0
    return capsys.readouterr().out


def test_json_carries_the_story_section(story_slice: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(_run(capsys, "--json", "--story-records", str(story_slice)))
    clusters = report["stories"]["story_clusters"]
    assert set(clusters) == {"headline", "lead_sentence", "all"}
    assert clusters["all"]["records"] == sum(clusters[k]["records"]
                                             for k in ("headline", "lead_sentence"))
    for key in ("ours_defaults", "ours_held_out", "baseline_held_out", "baseline_best_cut"):
        assert set(clusters["all"][key]) == {"precision", "recall", "f1", "ari"}
    feeds = report["stories"]["real_feeds"]
    assert set(feeds) == {"en", "de"}
    assert 0.0 <= feeds["en"]["recall"] <= 1.0
    assert feeds["en"]["different_pairs"] > 0
    assert report["results"]  # the duplicate level is still there


def test_table_shows_both_story_tables(story_slice: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "--story-records", str(story_slice))
    assert "| lead_sentence |" in out
    assert "baseline, held out" in out
    assert "| en |" in out and "same-event recall" in out


def test_no_stories_leaves_the_section_out(capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(_run(capsys, "--json", "--no-stories"))
    assert "stories" not in report
    assert report["seed_pair"]["same"] is True
