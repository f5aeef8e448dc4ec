"""The language's own word frequencies (crawler.stories.lexicon): wordfreq's Zipf scale."""

import subprocess
import sys

import wordfreq

from crawler.stories.eventwords import common_terms
from crawler.stories.lexicon import frequent_words


def test_the_words_at_a_zipf_floor_are_the_common_ones() -> None:
    # "the" 7.7, "quarantine" 3.6, "hydroxychloroquine" 1.8 on the Zipf scale.
    common = dict(frequent_words("en", 3.5))
    assert "the" in common and "quarantine" in common
    assert "hydroxychloroquine" not in common and "xqzvkwjh" not in common
    assert common["the"] > common["quarantine"] >= 10.0 ** (3.5 - 9.0)
    assert "markt" in dict(frequent_words("de", 4.0))


def test_the_words_at_a_floor_are_wordfreqs_own_in_its_order() -> None:
    # Read from the top of the frequency list down to the floor: the same words, frequencies
    # and order as wordfreq's whole dictionary cut at the floor.
    # (Danish has wordfreq's small list only: wordfreq reads it; the others, plain codes of
    # a large list, are read from its file here.)
    for lang, floor in (("en", 3.0), ("de", 3.0), ("fr", 4.5), ("da", 3.0)):
        least = 10.0 ** (floor - 9.0)
        whole = [(word, frequency) for word, frequency
                 in wordfreq.get_frequency_dict(lang).items() if frequency >= least]
        assert list(frequent_words(lang, floor)) == whole and len(whole) > 1000


def test_a_language_without_a_list_has_no_frequent_words() -> None:
    assert list(frequent_words("xx", 0.0)) == []


def test_a_tag_wordfreq_cannot_read_has_no_frequent_words() -> None:
    # A feed's language element as written, reduced to its base (crawler.dedup.languages):
    # langcodes raised LanguageTagError (a ValueError) for each, out of the story layer's
    # common-word look-ups (crawler.stories.eventwords.common_terms).
    for tag in ("x", "i", "en.utf8", "*"):
        assert list(frequent_words(tag, 0.0)) == []
    assert common_terms("en.utf8") == frozenset()


def test_a_plain_language_codes_words_are_read_without_importing_wordfreq() -> None:
    # Its import (langcodes' tables, ftfy, regex) cost ~0.17 s of CPU a run in the process
    # that shows a story's names; a fresh interpreter, as this one has wordfreq imported.
    script = ("import sys; from crawler.stories.lexicon import frequent_words; "
              "words = dict(frequent_words('en', 5.0)); "
              "assert 'the' in words and 'wordfreq' not in sys.modules, sorted(sys.modules)")
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=False)
    assert ran.returncode == 0, ran.stderr[-2000:]
