"""Character folding for matching: one spelling per word, whatever the keyboard or script.

``fold`` is applied to every word before it is compared: case folded (ß -> ss), German
umlauts spelled out (ä -> ae, so "Maerz" and "März" meet), other diacritics stripped
(é -> e), Cyrillic transliterated to Latin with one table for Russian and Ukrainian alike
(so "Киев" and "Київ" land on spellings the name table in :mod:`crawler.dedup.data.names`
folds together).
"""

from __future__ import annotations

import unicodedata

# Spelled-out letters first: NFKD below would turn ä into a + a combining mark, i.e. "a".
_LATIN = {"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "œ": "oe", "ø": "oe", "å": "aa",
          "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "’": "'", "ʼ": "'"}
# One Latin spelling for Russian and Ukrainian (close to BGN/PCGN without diacritics). The
# Ukrainian letters get their own spellings; г is "g" in both so names fold to one form.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
_TABLE = str.maketrans({**_LATIN, **_CYRILLIC})


def fold(word: str) -> str:
    """Lower-case ASCII-ish spelling of ``word`` (or of a whole text).

    >>> fold("Größe"), fold("Zelenskyy"), fold("Київ"), fold("Élysée")
    ('groesse', 'zelenskyy', 'kiyiv', 'elysee')
    """
    if word.isascii():
        return word.lower()
    text = unicodedata.normalize("NFC", word).casefold().translate(_TABLE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_cyrillic(word: str) -> bool:
    """Whether ``word`` starts with a Cyrillic letter (the Russian stemmer needs the script)."""
    return bool(word) and "\u0400" <= word[0] <= "\u04ff"
