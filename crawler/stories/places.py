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
from functools import lru_cache

from crawler.dedup.languages import base_language
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


# Towns a German newsroom sets as a title's rubric ("Magdeburg: Augenzeugen schildern ...",
# "Solingen - Anklage gegen ..."), beside the places table's (crawler.dedup.data.cities: the
# time-zone cities and a few German ones): the places table knows Munich and Dresden but not
# Magdeburg, so a rubric could not be told from a topic's ("Bundesliga:", "Wetter:",
# "Migration:"). Germany's towns of 100,000 people or more (Destatis, 2023), Austria's and
# Switzerland's largest (not those the tokenizer splits in two: "Darmstadt"), written
# naturally and run through the tokenizer on load (a name that does not become one term is
# left out). Only the scene rule's rubrics read it
# (crawler.stories.eventkinds.rubric_places), not the near-duplicate layer's places veto.
_TOWNS = {
    "de": """
Aachen Augsburg Berlin Bielefeld Bochum Bonn Bottrop Braunschweig Bremen
Bremerhaven Chemnitz Cottbus Dortmund Dresden Duisburg Düren Düsseldorf Erfurt
Erlangen Essen Frankfurt Freiburg Fürth Gelsenkirchen Gera Göttingen Gütersloh Hagen Halle
Hamburg Hamm Hanau Hannover Heidelberg Heilbronn Herne Hildesheim Iserlohn Jena
Kaiserslautern Karlsruhe Kassel Kiel Koblenz Köln Krefeld Leipzig Leverkusen Ludwigsburg
Ludwigshafen Lübeck Magdeburg Mainz Mannheim Moers Mönchengladbach Mülheim München Münster
Neuss Nürnberg Oberhausen Offenbach Oldenburg Osnabrück Paderborn Pforzheim Potsdam
Recklinghausen Regensburg Remscheid Reutlingen Rostock Saarbrücken Salzgitter Schwerin
Siegen Solingen Stuttgart Trier Ulm Wiesbaden Wolfsburg Wuppertal Würzburg Zwickau
Wien Graz Linz Salzburg Innsbruck Klagenfurt Villach
Zürich Genf Basel Lausanne Bern Winterthur Luzern
""",
}


def is_town(tokenizer: Tokenizer, term: str, language: str | None) -> bool:
    """Whether ``term`` (a story term) is a town: a city of the places table's or one of
    :data:`_TOWNS`."""
    return term in tokenizer.places(frozenset((term,)), language) or term in _towns(
        tokenizer, language)


@lru_cache(maxsize=8)
def _towns(tokenizer: Tokenizer, language: str | None) -> frozenset[str]:
    # Once per tokenizer and language.
    found = (tokenizer.content_terms(name, language)
             for name in _TOWNS.get(base_language(language) or "", "").split())
    return frozenset(terms[0] for terms in found if len(terms) == 1)
