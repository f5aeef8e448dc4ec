"""A summary's countries counted by their codes, so that one country in other words weighs the
same: "Spain" and "Spanish" (ES), "China" and "Chinese" (CN), "Britain" and "UK" (GB).

A feed summary has ~25 words: one event told by two outlets often shares only its names, and
a country named once as a noun and once as an adjective ("Shapps caught up in Spain rule
change" / "Shapps faces quarantine over Spanish holiday") shares none of them. The places
table is the near-duplicate layer's (:meth:`crawler.dedup.tokens.Tokenizer.places`: country
names, their people's words, cities, in English and German).
"""

from __future__ import annotations

from collections import Counter

from crawler.dedup.tokens import Tokenizer


def fold_countries(tokenizer: Tokenizer, counts: Counter[str], language: str | None,
                   places: frozenset[str] | None = None) -> None:
    """Count each country ``counts`` names once more as its code ("spanish" n times: "ES"
    n times more), in place; cities count as their country too ("houston": US).
    ``places``: the places of ``counts``' terms, when known."""
    if places is None:
        places = tokenizer.places(frozenset(counts), language)
    if not any(p.isupper() for p in places):
        return  # most titles and summaries name no country: one look-up, not one a term
    for term, n in list(counts.items()):
        for place in tokenizer.places(frozenset((term,)), language):
            if place.isupper():  # the codes; the rest are the city tokens themselves
                counts[place] += n
