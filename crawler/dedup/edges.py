"""What the story index keeps of a record and of a verified pair, and the evidence a pair gives.

:class:`Entry`: a record in the window, its story and that story's canonical record.
:class:`Fresh`: a batch record not seen before, until it is decided. :class:`Edge`: a
verified pair seen from one of its records, ranked by how alike the two are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crawler.dedup.verify import Features, Verdict
from crawler.models import MatchEvidence


@dataclass(frozen=True, slots=True)
class Entry:
    story_id: str
    canonical_id: str
    slot: int  # in the window


@dataclass(frozen=True, slots=True)
class Fresh:
    """A batch record not seen before, with what it is compared by (the signatures as rows
    of the prepared batch's arrays: made into stored bytes only when flushed)."""

    id: str
    order: tuple[float, str, str]
    features: Features  # without the body signature (see crawler.dedup.window)
    slot: int
    title_values: np.ndarray
    body_values: np.ndarray | None


@dataclass(frozen=True, slots=True)
class Edge:
    other: str
    verdict: Verdict

    def rank(self) -> tuple[float, str]:
        # Best evidence first: highest similarity, then the lowest id (deterministic).
        return (-(self.verdict.title_similarity + (self.verdict.body_similarity or 0.0)),
                self.other)


def evidence(edge: Edge) -> MatchEvidence:
    """What a verified pair tells of why its records are one story."""
    return MatchEvidence(
        rule=edge.verdict.rule, title_similarity=round(edge.verdict.title_similarity, 4),
        body_similarity=rounded(edge.verdict.body_similarity), matched_id=edge.other,
    )


def rounded(value: float | None) -> float | None:
    """A similarity as records carry it: four decimals (None stays None)."""
    return None if value is None else round(value, 4)
