"""benchmarks/trace_story_feeds.py: where a labelled pair the stories miss stops, read off one
clusterer run (no mocks: the real clusterer, subclassed to keep what it scored)."""

from __future__ import annotations

from benchmarks.trace_story_feeds import trace
from crawler.stories import StoryDoc, StoryParams

_T = 1_734_800_000.0  # 2024-12-21


def _doc(doc_id: str, title: str, summary: str, hours: float, outlet: str) -> StoryDoc:
    return StoryDoc(doc_id, title, None, "de", _T + 3600 * hours, outlet, None,
                    summary=summary)


_DOCS = [
    _doc("a", "Haushalt: Bundestag beschließt den Etat für das kommende Jahr",
         "Der Bundestag hat den Bundeshaushalt mit den Stimmen der Koalition beschlossen."
         " Die Opposition kritisierte die Schuldenaufnahme scharf.", 0, "one"),
    _doc("b", "Haushalt: Bundestag beschließt den Etat für das kommende Jahr",
         "Der Bundestag hat den Bundeshaushalt mit den Stimmen der Koalition beschlossen."
         " Die Opposition kritisierte die Schuldenaufnahme scharf.", 1, "two"),
    _doc("c", "Lawine verschüttet Skifahrer im Wallis",
         "Im Schweizer Kanton Wallis hat eine Lawine drei Wintersportler erfasst; Retter"
         " suchen mit Hunden nach ihnen.", 2, "three"),
]


def _pair(a: str, b: str, label: str) -> dict[str, object]:
    titles = {d.id: d.title for d in _DOCS}
    return {"a": a, "b": b, "label": label, "a_title": titles[a], "b_title": titles[b]}


def test_a_missed_pair_that_shares_no_word_was_never_a_candidate() -> None:
    # Labelled one event (as a test, not as the truth): the run keeps them apart, and the
    # trace says where: the budget's story was never among the avalanche report's candidates.
    [(pair, cause, _)] = trace(_DOCS, [_pair("a", "c", "same"), _pair("a", "b", "same")],
                               StoryParams())
    assert (pair["b"], cause) == ("c", "never a candidate")


def test_a_pair_found_is_traced_only_when_asked_with_its_score() -> None:
    params = StoryParams()
    assert trace(_DOCS, [_pair("a", "b", "same")], params) == []
    [(_, cause, detail)] = trace(_DOCS, [_pair("a", "b", "same")], params, everything=True)
    assert cause == "scored at the threshold or above"
    assert float(detail.split()[0]) >= params.summary_threshold
    assert detail.endswith("; joined it")
