"""benchmarks/eval_semantic_pairs.py: how it ranks pairs and picks its cuts (no encoder needed:
the measures are plain functions over scored pairs; the embedding itself needs the optional
sentence-transformers and is run by the script, not here)."""

from __future__ import annotations

import math

from benchmarks.eval_semantic_pairs import (
    UNSCORED,
    at,
    best_cut,
    choose_gate,
    choose_weight,
    first_sentence,
    lead_text,
    roc_auc,
)


def test_the_lead_is_the_title_and_the_summary_first_sentence_without_its_links() -> None:
    summary = ("Subscribe to our channel: https://example.org/x. Five people escaped a"
               " managed isolation hotel in Hamilton. Police are searching.")
    assert first_sentence(summary) == "Five people escaped a managed isolation hotel in Hamilton."
    assert lead_text("Isolation escape", summary) == (
        "Isolation escape. Five people escaped a managed isolation hotel in Hamilton.")
    assert lead_text("Who escaped?", "") == "Who escaped?"


def test_auc_counts_ties_half_and_orders_pairs() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.1], [0.9]) == 0.0
    assert roc_auc([0.5, 0.9], [0.5]) == 0.75
    assert math.isnan(roc_auc([], [0.1]))


def test_the_cut_keeps_within_one_in_fifteen_and_never_merges_unscored_pairs() -> None:
    different = [0.05 * i for i in range(15)]  # 15 related pairs (0 to 0.7): one may merge
    same = [0.6, 0.68, 0.9, UNSCORED]
    cut = best_cut(same, different)
    # 0.7 (the top related pair) merged alone; 0.6 under the cut lost, UNSCORED never found.
    assert (cut.threshold, cut.found, cut.merged) == (0.68, 2, 1)
    assert at(cut.threshold, [UNSCORED, 0.69], [UNSCORED]) == type(cut)(0.68, 1, 0)
    assert at(UNSCORED, [UNSCORED], [UNSCORED]) == type(cut)(UNSCORED, 0, 0)


def test_the_weight_of_the_cosine_is_the_one_that_finds_more_within_the_budget() -> None:
    # Same pairs score under the related ones but have the higher cosine: only a weight on
    # the cosine parts them; an unscored same pair stays unfound whatever the weight.
    rows = ([{"label": "same", "score": 0.30, "lead_cos": 0.9}] * 3
            + [{"label": "same", "score": UNSCORED, "lead_cos": 1.0}]
            + [{"label": "different", "score": 0.35, "lead_cos": 0.2}] * 15)
    weight, cut = choose_weight(rows, "lead_cos")
    assert weight > 0 and (cut.found, cut.merged) == (3, 0)
    plain, none = choose_weight(rows, "lead_cos", weights=(0.0,))
    assert plain == 0.0 and none.found == 0


def test_an_and_gate_vetoes_the_next_move_that_scores_high() -> None:
    rows = ([{"label": "same", "score": 0.5, "lead_cos": 0.8}] * 4
            + [{"label": "different", "score": 0.6, "lead_cos": 0.4}] * 2
            + [{"label": "different", "score": 0.1, "lead_cos": 0.9}] * 13)
    t, c = choose_gate(rows, "and", "lead_cos")
    assert t <= 0.5 and 0.4 < c <= 0.8
