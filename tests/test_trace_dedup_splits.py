"""benchmarks/trace_dedup_splits.py names why the index splits a pair verify() accepts.

Real headlines (STS-B's news pairs and the star tests' own), one batch each; the index takes
them in the order of their URLs (``eval_dedup``'s: a hash of the title), so which record is
the earlier is fixed by the titles."""

from __future__ import annotations

from benchmarks.eval_dedup import Pair
from benchmarks.trace_dedup_splits import CAUSES, counts, trace
from crawler.dedup import DedupParams
from crawler.dedup.tokens import Tokenizer

PARAMS, TOKENIZER = DedupParams(), Tokenizer()


def _causes(lang: str, *titles: str) -> list[tuple[str, str, str]]:
    """(cause, earlier, later) of every split among all pairs of ``titles``, labelled same."""
    pairs = [Pair(lang, a, b, 1) for n, a in enumerate(titles) for b in titles[n + 1:]]
    return [(s.cause, s.earlier, s.later) for s in trace(pairs, PARAMS, TOKENIZER)]


def test_a_pair_lsh_never_proposes_is_not_proposed() -> None:
    # Two shared tokens and a compound spelling ("Video-Streaming"): one shared token pair in
    # the title signatures, which the 24 bands miss here.
    a, b = ("Amazon bringt neues Gerät für Video-Streaming auf den Markt",
            "Amazon enthüllt neue Video-Streaming-Box Fire TV")
    assert _causes("de", a, b) == [("not proposed", a, b)]


def test_a_later_record_the_canonical_rejects_fails_the_canonical() -> None:
    # "tap" joins "chooses" (the first, the canonical); "picks" agrees with "tap", not with
    # "chooses", so it starts its own story.
    chooses = "Romney chooses Ryan as GOP running mate"
    tap = "Romney to tap Ryan as vice presidential running mate"
    picks = "Romney picks Ryan as vice presidential running mate: source"
    assert _causes("en", chooses, tap, picks) == [("fails the canonical", tap, picks)]


def test_a_later_record_contradicting_a_member_is_vetoed() -> None:
    new, thirteenth, fourteenth = ("EU adopts new sanctions package against Russia",
                                   "EU adopts 13th sanctions package against Russia",
                                   "EU adopts 14th sanctions package against Russia")
    # "new" joins "13th" (first); "14th" agrees with "new" but contradicts "13th".
    assert _causes("en", new, thirteenth, fourteenth) == [("vetoed", new, fourteenth)]


def test_a_later_record_agreeing_with_two_canonicals_chose_another() -> None:
    soon = "Putin says Russia will win the war in Ukraine soon"
    west = "Putin says Russia will win the war in Ukraine, warns the West"
    escalation = "Putin warns the West over Ukraine war escalation"
    # "escalation" is first, "soon" starts its own story; "west" agrees with both canonicals
    # alike (0.625) and joins the earlier, "escalation".
    assert _causes("en", soon, west, escalation) == [("chose another", soon, west)]


def test_counts_are_by_cause_and_label() -> None:
    pairs = [Pair("en", "EU adopts new sanctions package against Russia",
                  "EU adopts 14th sanctions package against Russia", 0),
             Pair("en", "EU adopts 13th sanctions package against Russia",
                  "EU adopts new sanctions package against Russia", 1)]
    tally = counts(trace(pairs, PARAMS, TOKENIZER))
    assert tally == {("vetoed", 0): 1}
    assert set(CAUSES) >= {cause for cause, _ in tally}
