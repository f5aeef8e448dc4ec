"""The places a title's tokens name (see the places data): countries as ISO 3166 codes, and
cities, regions and states as their own tokens, so that "Aleppo" and "Damascus" differ while
"Aleppo" and "Syria" agree; a people's or inhabitants' word ("burundische", "Tokioter") names
its place too."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from crawler.dedup.data import cities, places
from crawler.dedup.languages import PerLanguage, for_language
from crawler.dedup.stemming import stemmer
from crawler.dedup.wordforms import MIN_DERIVED, place_stems

#: A lexicon word's one token in a language, or () (:meth:`Tokenizer._one_token`).
OneToken = Callable[[str, str], tuple[str, ...]]

_CACHE_LIMIT = 200_000  # derived places remembered, in all languages (as the tokenizer's words)
# A people's or inhabitants' word after stemming: a place's stem (see
# :func:`crawler.dedup.wordforms.place_stems`) and one of these endings ("burundian",
# "senegales", "montenegrin", "tokiot", "burund"). Tokens shorter than MIN_DERIVED are not
# looked at.
_PEOPLE_ENDINGS = ("ian", "ese", "es", "an", "in", "ot", "er", "n", "i", "")


def place_table(language: str, one_token: OneToken) -> dict[str, str]:
    """Token -> country code of every place name of ``language``."""
    names = {**places.GENERATED.get(language, {}), **places.ADDED.get(language, {})}
    return {token: code for name, code in names.items()
            for token in one_token(name, language)}


def city_table(language: str, one_token: OneToken) -> dict[str, str]:
    """Token -> itself for every city, region and state name of ``language``."""
    names = cities.CITIES_GENERATED.get(language, frozenset()) | cities.CITIES_ADDED.get(
        language, frozenset())
    return {token: token for name in names for token in one_token(name, language)}


class PlaceFinder:
    """The places of token sets, over the place and city tables; a people's word's place
    is worked out once per token and language (a bounded cache)."""

    def __init__(self, places: PerLanguage, cities: PerLanguage) -> None:
        self._places = places
        self._cities = cities
        self._stems = {lang: place_stems(table) for lang, table in places.items()}
        self._derived: dict[str | None, dict[str, str | None]] = {}

    def places(self, tokens: frozenset[str], language: str | None) -> frozenset[str]:
        """The places ``tokens`` name: country codes (upper case), and the cities' tokens."""
        table = for_language(self._places, language)
        named = table.keys() & tokens  # most titles name none: one intersection, no loop
        known = self._derived.get(language if language in self._stems else None, {})
        # A token met before is looked up here (a method call per token: ~1 us a title).
        derived = [d for t in tokens - named if len(t) >= MIN_DERIVED
                   for d in [known[t] if t in known else self._derived_place(t, language)]
                   if d is not None]
        if not named and not derived:
            return frozenset()
        named.update(derived)
        cities = for_language(self._cities, language)
        return frozenset([table[t] for t in named] + [t for t in named if t in cities])

    def _derived_place(self, token: str, language: str | None) -> str | None:
        """The place token a people's or inhabitants' word derives from ("burund" from
        "burundische" -> "burundi", "senegales" -> "senegal", "tokiot" from "Tokioter" ->
        "tokio"), or None. Worked out once per token and language."""
        key = language if language in self._stems else None
        known = self._derived.setdefault(key, {})
        if token in known:
            return known[token]
        stems = self._stems[key]
        found = None
        if token[0].isalpha():
            for ending in _PEOPLE_ENDINGS:
                if token.endswith(ending) and token[:len(token) - len(ending)] in stems:
                    found = stems[token[:len(token) - len(ending)]]
                    break
        if sum(map(len, self._derived.values())) >= _CACHE_LIMIT:  # bounded as words are
            for table in self._derived.values():
                table.clear()
        known[token] = found
        return found


def genitive_of_place(folded: str, places: Mapping[str, str]) -> bool:
    """A German place's genitive ("Chinas", "Kubas", "Venezuelas"): Snowball takes a German
    genitive -s off only after a consonant, so these stayed apart from "China" (and named no
    place). ``places``: the German place table (token -> code)."""
    if not folded.endswith("s"):
        return False
    stem = stemmer("de")
    return stem(folded[:-1]) in places and stem(folded) not in places


def place_of_adjective(folded: str, places: Mapping[str, str]) -> str:
    """A German place's adjective as the place: "Münchner" -> "München", "Dresdner" ->
    "Dresden", "Karlsruher" -> "Karlsruhe", "Bremer" -> "Bremen" (Snowball takes the "-er"
    off "Berliner" and "Kölner" alone, and "Münchner" stayed "munchn", apart from
    "München"'s "munch"); any other word as it is. Places of the German place table only: a
    word that merely ends so ("Partner", "Kaiser") names none."""
    stem = stemmer("de")
    if stem(folded) in places:
        return folded
    base = folded[:-2]
    for place in (base + "e", base + "en", base[:-1] + "en" if base.endswith("n") else ""):
        if place and stem(place) in places:
            return place
    return folded
