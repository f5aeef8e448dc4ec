"""benchmarks/trace_story_feeds.py: each pair that ends wrong is told with where it stopped."""

from __future__ import annotations

from datetime import UTC, datetime

from benchmarks.story_feeds import FeedEntry
from benchmarks.trace_story_feeds import trace

T0 = datetime(2020, 7, 22, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0
QANTAS = ("Qantas will resume its flights next month after four months on the ground, the"
          " airline said on Monday, with fewer seats and masks on board.")


def _entry(id_: str, title: str, summary: str, at: float) -> FeedEntry:
    return FeedEntry(id_, f"{id_}.example", "2020-07-22", f"https://{id_}.example/1", title,
                     summary, at, "en")


def _pair(a: str, b: str, label: str) -> dict[str, str]:
    return {"a": a, "b": b, "label": label, "language": "en"}


def test_a_pair_parted_by_a_veto_and_one_kept_apart_rightly_are_told_apart() -> None:
    entries = [
        _entry("es", "Qantas resumes flights to Spain", QANTAS, T0),
        _entry("fr", "Qantas resumes flights to France", QANTAS, T0 + HOUR),
        _entry("mars", "NASA launches Perseverance rover to Mars",
               "An Atlas V rocket carried the rover towards Mars from Cape Canaveral on"
               " Thursday, NASA said.", T0 + 2 * HOUR),
    ]
    # Labelled "same" to see the veto named (these two are another event each).
    wrong = trace(entries, [_pair("es", "fr", "same"), _pair("es", "mars", "different")])
    assert len(wrong) == 1
    pair, traced, earlier, later = wrong[0]
    assert (pair["a"], earlier.id, later.id) == ("es", "es", "fr")
    assert traced is not None and traced.cause == "template veto"
    assert traced.joined_score is None  # it began a story of its own
