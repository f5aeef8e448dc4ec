"""How common a word is in the language at large: wordfreq's Zipf frequencies.

A story's rarity of a word comes from its window (:class:`crawler.stories.story.Window`): over
a few records, a word the window has seen once is "rare" whether it is "quarantine" or
"Shapps". The language's own frequencies (wordfreq: subtitles, news, books, the web; English
and German among its languages) tell the two apart. The Zipf scale is log10 of a word's
frequency per billion words: "the" 7.7, "quarantine" 3.6, "hydroxychloroquine" 1.8, a word
the lists do not hold 0.

The tables are wordfreq's own, loaded by wordfreq on the first look-up of a language (its
frequency list only: ~0.05 s of CPU for English, ~0.1 s for German, once per process, and
~30 MB held for English).
:mod:`crawler.stories.eventwords` reads a language's frequent words once, summed by stem
(a stem's words together, as the story layer compares stems), not word by word: so a
per-word look-up is not offered. wordfreq itself is imported on the first look-up too: its
import (ftfy, langcodes) takes ~0.1 s of CPU, which a crawl or a ``dedup`` run without feed
summaries never needs.
"""

from __future__ import annotations

from collections.abc import Iterator


def frequent_words(lang: str, floor: float) -> Iterator[tuple[str, float]]:
    """The words of ``lang``'s list at a Zipf frequency of ``floor`` or more, with their
    frequencies (a share of all words: "the" ~0.05); none for a language wordfreq lacks or a
    tag it cannot read."""
    import wordfreq  # noqa: PLC0415 (on first use: the module's docstring)

    try:
        # The list in its buckets (one per centibel, most frequent first), not
        # get_frequency_dict: that builds a dict of every word (321,000 in English, 635,000
        # in German; ~0.1 / ~0.3 CPU s a run) where the floor needs the top buckets only.
        buckets = wordfreq.get_frequency_list(lang)
    except (LookupError, ValueError):
        # LookupError: a language wordfreq lacks ("xx"); ValueError (langcodes'
        # LanguageTagError): a tag it cannot parse, which a feed's language element may well
        # be ("x-default", "en.utf8", "i-klingon" reduce to "x", "en.utf8", "i").
        return
    least = 10.0 ** (floor - 9.0)  # the Zipf scale: log10 of a word's count per 10^9 words
    for index, bucket in enumerate(buckets):
        frequency = wordfreq.cB_to_freq(-index)  # as get_frequency_dict gives it
        if frequency < least:
            return
        for word in bucket:
            yield word, float(frequency)
