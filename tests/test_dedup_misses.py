"""benchmarks/dedup_misses.py names the gate behind each of the index's errors, on the tune
splits only. Real headlines (STS-B's news pairs and the hard pairs' own kinds), one batch
each, as ``eval_dedup`` runs a split."""

from __future__ import annotations

from benchmarks.dedup_misses import TUNE, buckets
from benchmarks.eval_dedup import Pair
from crawler.dedup import DedupParams
from crawler.dedup.tokens import Tokenizer

PARAMS, TOKENIZER = DedupParams(), Tokenizer()


def _causes(*pairs: Pair) -> dict[str, int]:
    return dict(buckets(list(pairs), PARAMS, TOKENIZER)[1])


def test_a_paraphrase_sharing_two_tokens_is_missed_by_the_shared_minimum() -> None:
    pair = Pair("en", "Philippe becomes king of Belgium",
                "Philippe ascends throne of divided Belgium", 1)
    assert _causes(pair) == {"missed: shared 2": 1}


def test_a_paraphrase_below_the_threshold_is_missed_there() -> None:
    pair = Pair("en", "Japan closes last nuclear reactor",
                "Japan switches off last nuclear power plant this weekend", 1)
    assert _causes(pair) == {"missed: below threshold": 1}


def test_a_negated_copy_is_missed_by_its_veto_and_a_false_merge_names_its_rule() -> None:
    missed = Pair("en", "Israel frees Palestinian prisoners",
                  "Israel won't free Palestinian prisoners", 1)
    merged = Pair("en", "Syrian fighter pilot defects to Jordan", "Syrian PM defects to Jordan", 0)
    assert _causes(missed, merged) == {"missed: veto negation": 1, "false: rule title": 1}


def test_right_answers_are_no_errors() -> None:
    same = Pair("de", "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
                "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)", 1)
    other = Pair("de", "Tag 412 des Krieges", "Tag 413 des Krieges", 0)
    scores, counted, lines = buckets([same, other], PARAMS, TOKENIZER)
    assert (scores.tp, scores.fp, scores.fn) == (1, 0, 0)
    assert not counted and not lines


def test_only_the_tune_splits_are_read() -> None:
    assert [split for _, _, split in TUNE] == ["train", "tune"]
