"""``benchmarks/eval_stories.py --half``: ours alone on one half of story-clusters' topics,
with parameters set on the command line (what a parameter is chosen on, the other half
looked at once at the end)."""

from __future__ import annotations

import json

import pytest

from benchmarks.eval_stories import halves, main, with_settings
from tests.stories.shared import story_clusters


def test_a_setting_takes_the_defaults_type_and_an_unknown_one_stops() -> None:
    params = with_settings(["lead_chars=1300", "content_threshold=0.2"])
    assert (params.lead_chars, params.content_threshold) == (1300, 0.2)
    for wrong in ("no_such=1", "lead_chars", "_params=1"):
        with pytest.raises(SystemExit):
            with_settings([wrong])


def test_the_first_half_counts_its_pairs_and_a_setting_moves_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = story_clusters()
    first, second = halves(rows)
    assert first and second and not {r["topic"] for r in first} & {r["topic"] for r in second}

    def run(*settings: str) -> dict[str, dict[str, object]]:
        assert main(["--half", "first", "--json", *[f"--set={s}" for s in settings]]) == 0
        report: dict[str, dict[str, object]] = json.loads(capsys.readouterr().out)
        return report

    defaults = run()
    assert defaults["all"]["records"] == len(first)
    score = defaults["all"]["ours_defaults"]
    assert isinstance(score, dict)
    right, wrong = defaults["all"]["right_pairs"], defaults["all"]["wrong_pairs"]
    assert isinstance(right, int) and isinstance(wrong, int)
    assert score["precision"] == pytest.approx(right / (right + wrong))
    # A record's lead of 200 characters loses pairs its 1,500 find.
    short = run("lead_chars=200")
    assert short["all"]["right_pairs"] != right


def test_the_feeds_take_a_setting(capsys: pytest.CaptureFixture[str]) -> None:
    """``eval_story_feeds.py --set``: a candidate judged on the development rounds."""
    from benchmarks.eval_story_feeds import main as feeds

    def run(*settings: str) -> dict[str, dict[str, object]]:
        assert feeds(["--json", *[f"--set={s}" for s in settings]]) == 0
        report: dict[str, dict[str, object]] = json.loads(capsys.readouterr().out)
        return report

    defaults = run()
    # A summary joining at any score merges related events the defaults keep apart.
    loose = run("summary_threshold=0.0")
    assert loose["en"]["false_merges"] != defaults["en"]["false_merges"]
    with pytest.raises(SystemExit):
        run("no_such=1")
