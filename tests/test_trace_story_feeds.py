"""The real-feed trace reads the development rounds only: it prints each pair's texts and
scores, so a held-out or fresh round in it would be tuned on."""

from __future__ import annotations

import json

import pytest

from benchmarks.eval_story_feeds import PAIRS, UNTUNED_ROUNDS
from benchmarks.trace_story_feeds import tune_pairs


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("label", ["same", "different"])
def test_the_trace_never_reads_a_held_out_or_fresh_round(language: str, label: str) -> None:
    pairs = tune_pairs(language, label)
    assert pairs
    assert {p.get("round", 1) for p in pairs}.isdisjoint(UNTUNED_ROUNDS)
    assert {(p["language"], p["label"]) for p in pairs} == {(language, label)}


def test_the_labelled_pairs_hold_untuned_rounds_to_leave_out() -> None:
    # Without them in the file the test above would pass whatever tune_pairs read.
    rounds = {json.loads(line).get("round", 1) for line in PAIRS.read_text().splitlines()
              if line.strip()}
    assert rounds >= UNTUNED_ROUNDS
