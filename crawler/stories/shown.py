"""The shared names a story link shows (``story_match.shared_names``): the evidence a reader
understands, not every term the scorer treats as a name.

The scorer's names are a record's capitalised words, places and numbers: in German every noun
and every sentence's first word is capitalised, so the German seed pair (tests/fixtures/site,
de-putin-a/b) shared 29 "names", most of them ordinary words ("sich" of "sicher", "lag",
"wint", "minist"). Shown, they hide the few that tell why the two are one story. So the list
shown drops the language's stop and function words, the scorer's own marks ("~@tue", a
weekday), and in German and English a word the language uses often (its stem at
:data:`COMMON_ZIPF` or more, wordfreq, :mod:`crawler.stories.lexicon`) unless it is a place,
in capitals, or (German nouns only) one of the record's or the story's key names. A country
code is shown only where a word of the record names that country: the scorer's "~defence"
(defence, defense, Pentagon) named "US" in every article on defence. English
capitalises a sentence's first word and a headline's every word: the NATO summit page and its
copy showed "behind", "cold", "leader" and "war" (the story's key names by a tie of counts,
broken alphabetically). The rest go most
telling first (key names, then the fewest active stories holding it, then alphabetical) and
at most :data:`SHOWN` of them. This is display only: what the scorer counts is unchanged.

On the seed pair: 29 names, 15 past the rules, 10 shown: BE, RU, UA, krieg, nato, putin,
ukrain (key names), vladimir, drohn, flugabwehrsystem (brussel, bundnis, gelandegewinn, russland,
generalsekretar past the cut; "sich", "lag", "wint", "minist", "soldat" out). On the German
real-feed capture (de-rss-snapshot) the links show 2-10 names, the common ones kept only as a
story's key names ("anschlag", "markt", "tat"). The story decisions there and on the English
feeds (2,781 entries: story, matched record, similarity, rule) are the same with it as
without. The names stay stems, as the profile keeps them (no surface form is kept: see the
schema, :class:`crawler.models.StoryMatch`). Cost: ~10-25 us for a German article's ~30
shared names on this shared machine (a place look-up remembered per name), ~4 us for a few.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache

from crawler.dedup.data import stopwords
from crawler.dedup.fold import fold
from crawler.dedup.languages import base_language
from crawler.dedup.tokens import Tokenizer
from crawler.stories.eventwords import common_terms
from crawler.stories.german import function_word_terms

#: A German stem at this Zipf frequency or more is an ordinary word, not a name, unless a
#: place or a key name. 4.5 on the seed pair: keeps "nato" (4.45), "putin" (4.44), "drohn"
#: (4.06), "bundnis" (4.27), drops "ukrain" (4.70, kept as a place), "soldat" (4.89), "wint"
#: (4.88, "Winter"), "lag" (5.53); 4.0 drops "drohn" and "bundnis" too, 5.0 keeps "soldat"
#: and "wint".
COMMON_ZIPF = 4.5
#: At most this many names shown.
SHOWN = 10
#: The languages whose capitals mark ordinary words as names (the common-word rule's): German
#: capitalises every noun; English headlines and sentences' first words ("Leaders of the 32
#: NATO allies", "the Cold War"). Others keep every name past the function words.
_CAPITALISING = frozenset({"de", "en"})
#: The languages whose capitals mark every noun: a common noun may be a key name.
_NOUN_CASE = frozenset({"de"})


def shown_names(tokenizer: Tokenizer, shared: frozenset[str], language: str | None,
                key: frozenset[str], df: Mapping[str, int], *, said: frozenset[str]
                ) -> tuple[str, ...]:
    """The ``shared`` names worth showing, most telling first (the module's docstring):
    ``key`` the record's and the story's key names, ``df`` the window's story frequencies,
    ``said`` the record's title tokens and names (what its country codes came from)."""
    base = base_language(language)
    # "~"-marked terms are the scorer's own (a weekday: "~@tue"), no word of the text.
    rest = {n for n in shared if not n.startswith("~")} - _function_words(tokenizer, base)
    rest -= _unsaid_countries(tokenizer, rest, said, language)
    if base in _CAPITALISING:
        common = rest & common_terms(base, COMMON_ZIPF)  # set operations: ~1 us for 29 names
        kept = list(rest - common)
        # A German key name may be a common noun that tells the event ("Anschlag"); an
        # English common word is no name, however often the story's members capitalise it.
        named = key if base in _NOUN_CASE else frozenset()
        kept += [n for n in common if n in named or n.isupper() or _place(tokenizer, n, base)]
    else:
        kept = list(rest)
    kept.sort(key=lambda n: (n not in key, df.get(n, 0), n))
    return tuple(kept[:SHOWN])


def _unsaid_countries(tokenizer: Tokenizer, names: set[str], said: frozenset[str],
                      language: str | None) -> set[str]:
    """The country codes of ``names`` that no word of ``said`` names: those the scorer's own
    "~" terms gave. Its "~defence" stands for "defence", "defense" and "Pentagon", a US
    place, so every "defence" counted as "US" (trial2: the NATO summit page and its copy,
    which name no American place, showed "US")."""
    codes = {n for n in names if n.isupper()}  # names are folded: capitals are the codes
    if not codes:
        return codes
    words = frozenset(t for t in said if not t.startswith("~"))
    return codes - tokenizer.places(words, language)


@cache
def _function_words(tokenizer: Tokenizer, language: str | None) -> frozenset[str]:
    # Once per tokenizer and language: the stop words folded as names are, and German's
    # function words as the tokenizer stems them.
    words = stopwords.BY_LANGUAGE.get(language or "", frozenset())
    found = frozenset(fold(w) for w in words)
    return found | function_word_terms(tokenizer) if language == "de" else found


@lru_cache(maxsize=1 << 16)
def _place(tokenizer: Tokenizer, name: str, language: str | None) -> bool:
    # Remembered: a window's names repeat, and a look-up costs ~3 us (29 names: 59 -> ~6 us).
    return bool(tokenizer.places(frozenset((name,)), language))
