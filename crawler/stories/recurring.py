"""Recurring reports: one template told on different days is a different report each day.

"No new Covid cases today" on Tuesday and "No new cases of Covid-19 today for the fourth day"
on Wednesday share their words, and each is that day's figure: two events. A title that says
which day it reports ("today", "tonight", "heute") dates itself to its publication day, so two
titles of one template naming the same relative day, published further apart than one day's
half, report different days.
"""

from __future__ import annotations

# The relative days as title tokens (:meth:`crawler.dedup.tokens.Tokenizer.title_tokens`:
# folded and stemmed, "heute" -> "heut").
DAY_WORDS = frozenset({"today", "tonight", "heut"})
# Further apart than this, "today" is another day wherever the outlet is (not tuned: half a
# day, so two reports of one day in two time zones stay within it).
APART_SECONDS = 12 * 3600.0


def other_day(mine: frozenset[str], theirs: frozenset[str], gap_seconds: float) -> bool:
    """Whether two titles' tokens name the same relative day and ``gap_seconds`` (how long
    after the other this one was published, at least) puts them on different days."""
    return gap_seconds > APART_SECONDS and not DAY_WORDS.isdisjoint(mine & theirs)
