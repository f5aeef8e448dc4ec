"""How common a word is in the language at large: wordfreq's Zipf frequencies.

A story's rarity of a word comes from its window (:class:`crawler.stories.story.Window`): over
a few records, a word the window has seen once is "rare" whether it is "quarantine" or
"Shapps". The language's own frequencies (wordfreq: subtitles, news, books, the web; English
and German among its languages) tell the two apart. The Zipf scale is log10 of a word's
frequency per billion words: "the" 7.7, "quarantine" 3.6, "hydroxychloroquine" 1.8, a word
the lists do not hold 0.

The tables are wordfreq's own, loaded on the first look-up of a language (its
frequency list only: ~0.05 s of CPU for English, ~0.1 s for German, once per process, and
~30 MB held for English). A plain language code's list is read from wordfreq's file without
importing wordfreq (:func:`_large_list`).
:mod:`crawler.stories.eventwords` reads a language's frequent words once, summed by stem
(a stem's words together, as the story layer compares stems), not word by word: so a
per-word look-up is not offered. wordfreq itself is imported only for a tag that is no plain
code of one of its large lists ("en-GB", "pt_br", "da"): its import (ftfy, langcodes'
tables) takes ~0.17 s of CPU, which no run needs for "en" or "de".
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import msgspec


def frequent_words(lang: str, floor: float) -> Iterator[tuple[str, float]]:
    """The words of ``lang``'s list at a Zipf frequency of ``floor`` or more, with their
    frequencies (a share of all words: "the" ~0.05); none for a language wordfreq lacks or a
    tag it cannot read."""
    # The list in its buckets (one per centibel, most frequent first), not
    # get_frequency_dict: that builds a dict of every word (321,000 in English, 635,000 in
    # German; ~0.1 / ~0.3 CPU s a run) where the floor needs the top buckets only.
    buckets = _large_list(lang)
    if buckets is None:
        buckets = _wordfreq_list(lang)
    least = 10.0 ** (floor - 9.0)  # the Zipf scale: log10 of a word's count per 10^9 words
    for index, bucket in enumerate(buckets):
        frequency = 10 ** (-index / 100)  # wordfreq's cB_to_freq(-index): the same float
        if frequency < least:
            return
        for word in bucket:
            yield word, float(frequency)


def _wordfreq_list(lang: str) -> list[list[str]]:
    """``wordfreq.get_frequency_list(lang)``; empty for a language it lacks or a tag it
    cannot read."""
    import wordfreq  # noqa: PLC0415 (on first use: the module's docstring)

    try:
        return wordfreq.get_frequency_list(lang)
    except (LookupError, ValueError):
        # LookupError: a language wordfreq lacks ("xx"); ValueError (langcodes'
        # LanguageTagError): a tag it cannot parse, which a feed's language element may well
        # be ("x-default", "en.utf8", "i-klingon" reduce to "x", "en.utf8", "i").
        return []


def _large_list(lang: str) -> list[list[str]] | None:
    """wordfreq's list of a language whose tag names its "large" list's file ("en", "de"),
    read as ``wordfreq.read_cBpack`` reads it, without importing wordfreq; None for any
    other tag, or a file of a format this does not know (wordfreq then reads it).

    Importing wordfreq (langcodes' tables, ftfy, regex) took ~0.17 s of CPU, each run, in
    the process that shows a story's names (measured), for a file it picks plainly: its
    "best" list of a language is the large one where there is one, and an exact tag is its
    own closest match."""
    spec = find_spec("wordfreq")  # found, not imported
    if not (lang.isascii() and lang.isalpha() and lang.islower()) or spec is None \
            or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0], "data", f"large_{lang}.msgpack.gz")
    if not path.is_file():
        return None
    with gzip.open(path, "rb") as packed:
        data = msgspec.msgpack.decode(packed.read())
    header = data[0] if isinstance(data, list) and data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    return data[1:]  # type: ignore[no-any-return]
