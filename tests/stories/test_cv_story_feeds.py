"""benchmarks/cv_story_feeds.py: each round is judged at the threshold chosen on the others."""

from __future__ import annotations

from benchmarks.cv_story_feeds import folds


def test_each_left_out_round_gets_the_threshold_the_other_rounds_chose() -> None:
    # Two rounds of 10 same-event and 30 related pairs each. On round 1, 0.3 finds most with
    # 2 of 30 merged (within 1 in 15); on round 2 it merges 9: chosen on round 2 alone, 0.3
    # is out, and 0.4 and 0.5 tie at 6 found: the stricter, 0.5.
    counts = {
        0.3: {1: (9, 10, 2, 30), 2: (8, 10, 9, 30)},
        0.4: {1: (7, 10, 1, 30), 2: (6, 10, 2, 30)},
        0.5: {1: (5, 10, 0, 30), 2: (6, 10, 1, 30)},
    }
    assert folds(counts) == [(1, 0.5, (5, 10, 0, 30)), (2, 0.3, (8, 10, 9, 30))]


def test_a_fold_no_threshold_keeps_within_the_bar_gets_the_strictest() -> None:
    counts = {0.3: {1: (9, 10, 20, 30), 2: (8, 10, 20, 30)},
              0.4: {1: (7, 10, 10, 30), 2: (6, 10, 10, 30)}}
    assert [threshold for _, threshold, _ in folds(counts)] == [0.4, 0.4]
