"""fold and fold_words: one pass of str.translate, the same spellings as the steps spelled out."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from crawler.dedup.fold import _SPACED, _TABLE, fold, fold_words

# Letters whose folding takes each step: umlauts and ß, a capital that folds to two
# characters (İ), ligatures and fractions (NFKD), combining marks alone and after a letter,
# Cyrillic, quotes and dashes that stay, an underscore and digits.
_TRICKY = st.text(alphabet=st.sampled_from(
    "aAzÄäÖöÜüßẞİıﬁﬀ½²Ωωσς\u0301\u0308\u0327eEКиївЁёҐґ„“–…_-. 1"), max_size=40)


def _fold_in_steps(word: str) -> str:
    """The specification: the whole text composed, case folded, spelled out or
    transliterated, decomposed, its combining marks left out."""
    if word.isascii():
        return word.lower()
    text = unicodedata.normalize("NFC", word).casefold().translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(_TRICKY | st.text())
@example("Ma\u0308rz")  # composed first: "ä", spelled "ae"
@example("İstanbul")
def test_fold_is_the_steps_one_character_at_a_time(text: str) -> None:
    assert fold(text) == _fold_in_steps(text)


@given(_TRICKY | st.text())
@example("foo_bar 1.000. Tag ½ „Kiew“")
def test_fold_words_splits_into_the_runs_of_letters_and_digits(text: str) -> None:
    assert fold_words(text).split() == re.findall(r"[^\W_]+", fold(text))


# Mostly ASCII with a few kinds of other characters (German, French), letters kept as they
# are (Chinese, Greek), letters whose spelling is one a later one spells again (ǣ -> æ ->
# ae), a lone surrogate, and whole Cyrillic words.
_MIXED = st.lists(st.sampled_from(
    [*"aZ 1.-_ ÄäöüßẞéÉç„“–…µΣσς活ツ\u0301ﬁ½²ǣæǿøϲς\ud800", "Київ", "Москва", "Größe"]),
    max_size=40).map("".join)


@given(_MIXED | _TRICKY | st.text())
@example("Größe 3 µm, 活 Київ")  # spelled in bytes; kept as they are; transliterated
@example("ǣ æ ǿ ø ϲ ς ϒ Υ")  # a spelling a later replacement would change: the table
@example("Ma\u0308rz \ud800")  # composed first; a lone surrogate is not a letter
def test_fold_words_is_the_table_in_one_pass(text: str) -> None:
    assert fold_words(text) == unicodedata.normalize("NFC", text).translate(_SPACED)
