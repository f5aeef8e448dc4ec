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


class _Folded(dict[int, str]):
    """Each character's folded spelling, made the first time it is met: case folded, then
    spelled out or transliterated (``_TABLE``), then decomposed (NFKD) with the combining
    marks left out. Each of those steps maps one character at a time (case folding has no
    context, and reordering marks cannot matter when all of them go), so ``str.translate``
    with this table folds a whole text in one pass of C, instead of decomposing it and
    filtering its marks in Python (real German article bodies of ~7,000 characters: ~0.3 ms
    a text instead of ~1 ms; :func:`fold_words` needs the table only for the characters
    that are not ASCII; ``benchmarks/bench_bodies.py``)."""

    def __missing__(self, code: int) -> str:
        text = chr(code).casefold().translate(_TABLE)
        decomposed = unicodedata.normalize("NFKD", text)
        value = self[code] = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return value


class _Spaced(dict[int, str]):
    """Each character's folded spelling with every character that is neither a letter nor
    a digit made a space (see :func:`fold_words`)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = "".join(ch if ch.isalnum() else " " for ch in _FOLDED[code])
        return value


_FOLDED = _Folded()
_SPACED = _Spaced()


def fold(word: str) -> str:
    """Lower-case ASCII-ish spelling of ``word`` (or of a whole text).

    >>> fold("Größe"), fold("Zelenskyy"), fold("Київ"), fold("Élysée")
    ('groesse', 'zelenskyy', 'kiyiv', 'elysee')
    """
    if word.isascii():
        return word.lower()
    # Composed first, as a whole: "a" + a combining diaeresis is "ä", spelled "ae".
    return unicodedata.normalize("NFC", word).translate(_FOLDED)


def fold_words(text: str) -> str:
    r""":func:`fold` of ``text`` with a space for every character that is not a letter or a
    digit: its ``split()`` are the runs of letters and digits of the folded text (what the
    pattern ``[^\W_]+`` finds in it), without a regular expression. The same as
    ``normalize("NFC", text).translate(_SPACED)``, done faster."""
    composed = unicodedata.normalize("NFC", text)
    if composed.isascii():
        return composed.translate(_ASCII_WORDS)
    # str.translate is fast only on an all-ASCII string: on one with any other character
    # every character goes through the table (~40 ns each). As UTF-8 bytes, the ASCII ones
    # (most of a German, French or English text) take one bytes.translate, then each kind
    # of other character one bytes.replace (real German bodies: ~50 instead of ~270 us).
    raw = composed.encode(errors="surrogatepass")
    spelled = raw.translate(_ASCII_BYTES)
    for char in set(raw.translate(None, _ASCII).decode(errors="surrogatepass")):
        spelling = _SPACED[ord(char)]
        if spelling == char:  # a letter of a script kept as it is (Chinese, Greek)
            continue
        if not spelling.isascii():  # might be replaced again below: the table in one pass
            return composed.translate(_SPACED)
        # Exact: a character's UTF-8 bytes only ever start at its first byte.
        spelled = spelled.replace(char.encode(errors="surrogatepass"), spelling.encode())
    return spelled.decode()


# Each ASCII character as _SPACED spells it (lower case, or a space if neither letter nor
# digit); as bytes, with the bytes of other characters (all >= 0x80 in UTF-8) left alone.
_ASCII_WORDS = str.maketrans({chr(code): _SPACED[code] for code in range(128)})
_ASCII_BYTES = bytes(ord(_SPACED[code]) for code in range(128)) + bytes(range(128, 256))
_ASCII = bytes(range(128))


def is_cyrillic(word: str) -> bool:
    """Whether ``word`` starts with a Cyrillic letter (the Russian stemmer needs the script)."""
    return bool(word) and "\u0400" <= word[0] <= "\u04ff"
