"""Event words: what a feed summary shares with a story that is rare in the language.

Two outlets' 25-word summaries of one event in other words share few words, and the cosine
over so few of them stays under the summary threshold; what they share are the event's own
words: "extradition", "microlight", "astrophysicists", "eruption". A name shared tells the
cast, and the same cast acts in the week's related events (Kim Kardashian's statement and
the rally, Houston's consulate and Chengdu's): names are the rare-name bonus's
(:mod:`crawler.stories.rarity`), kept apart here. An event word counts when it is rare in the
language at large (wordfreq, :mod:`crawler.stories.lexicon`; a window of a few records
cannot tell "quarantine" from "microlight": each stands in one story or two) and rare in the
window too (at most :data:`HOLDERS` active stories hold it: "coronavirus", rare in the
language, is every other story's word in July 2020).

A term is a stem (:class:`crawler.dedup.tokens.Tokenizer`), so a word's rarity is its stem's:
the frequencies of every listed word with that stem, summed ("suspend", "suspended",
"suspends": "suspend"), once per language and process (~0.35 s of CPU for English's 30,000
words listed at Zipf 3 or more, on the first summary of that language).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from crawler.dedup.languages import base_language
from crawler.dedup.tokens import Tokenizer
from crawler.stories.lexicon import frequent_words
from crawler.stories.story import Story

# Rare in the language: a stem below this Zipf frequency (fewer than 10 in a million words:
# "extradition" 3.5, "volcano" 3.9; "crash" 4.8 and "vaccine" 4.4 are not). On the English
# real-feed pairs of rounds 1-3 (the rule as it is, with the disease's one name; HOLDERS 3,
# the bonus 0.1): 3.5 / 4.0 / 4.5 found 77 / 78 / 76 of 101 (76 without the rule), merged 11
# / 11 / 12 of 146 (11 without) (benchmarks/README.md, "Real feeds").
RARE_ZIPF = 4.0
# ... and held by at most this many active stories (namecands.RARE's value for names); 8
# merged one related pair more at each RARE_ZIPF above, found none more.
HOLDERS = 3
# The languages the rule was measured on. German's one capture is one event's day (its
# Magdeburg words are in 50 of 230 records): left to the German rules.
LANGUAGES = frozenset({"en"})


def shared_event_words(terms: Iterable[str], names: frozenset[str], story: Story,
                       df: Mapping[str, int], language: str | None) -> list[str]:
    """The ``terms`` (a summary's, its title's among them) that ``story``'s centroid and one
    of its member titles hold, that are no name of the record's (``names``), rare in
    ``language`` and held by at most :data:`HOLDERS` active stories (``df``: the window's
    story frequencies), sorted."""
    base = base_language(language)
    if base not in LANGUAGES:
        return []
    common, held = common_terms(base), story.counts
    found = [t for t in terms
             if t in held and t not in names and t not in common and _word(t)
             and df.get(t, 0) <= HOLDERS]
    if not found:
        return found
    # A word of the story's headlines: a headline names the event, a summary's other words
    # its theme ("Polar bears could be lost by 2100": its summary's sea ice "shrinks", and so
    # does the Arctic's ice in another study of the same days).
    headlines = frozenset().union(*(title.tokens for _, title in story.titles))
    return sorted(t for t in found if t in headlines)


def _word(term: str) -> bool:
    # Numbers, countries' codes and two-letter stems are the vetoes' and the names' (and a
    # stem of two letters is no word wordfreq lists as such).
    return len(term) > 2 and term[0].isalpha() and not term.isupper()


@cache
def common_terms(language: str, zipf: float = RARE_ZIPF) -> frozenset[str]:
    """The stems of ``language`` at ``zipf`` or more (summed over their words'
    frequencies); made once per language, floor and process (the module's docstring)."""
    totals: dict[str, float] = {}
    # A stem of words each under zipf - 1 would need ten of them to reach it.
    floor = zipf - 1.0
    least_word = 10.0 ** (floor - 9.0)  # as frequent_words compares: the same words
    for frequency, terms in _word_terms(language, min(floor, _TOKENISED_FLOOR)):
        if frequency < least_word:
            break  # most frequent first: the rest are below this floor too
        for term in terms:
            totals[term] = totals.get(term, 0.0) + frequency
    least = 10.0 ** (zipf - 9.0)
    return frozenset(t for t, f in totals.items() if f >= least)


# The words are tokenised once, down to the event words' floor; the shown names' higher floor
# (shown.COMMON_ZIPF) sums a prefix of them (the same words in the same order: the same sums).
# Tokenising English's words at both floors was ~0.2 of the clusterer's ~0.46 CPU s warm-up.
_TOKENISED_FLOOR = RARE_ZIPF - 1.0


@cache
def _word_terms(language: str, floor: float) -> tuple[tuple[float, list[str]], ...]:
    """``language``'s words at Zipf ``floor`` or more, most frequent first, each as its
    frequency and its content terms."""
    tokenizer = Tokenizer()  # its own: the word cache of the shared one is the records'
    return tuple((frequency, tokenizer.content_terms(word, language))
                 for word, frequency in frequent_words(language, floor))
