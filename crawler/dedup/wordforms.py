"""How one word is read before it becomes a token: German compounds split, French elisions
and possessives dropped, a number's one spelling, the stems of places' people words.

Pure functions of a word (and the lexicon handed in), kept apart from
:class:`crawler.dedup.tokens.Tokenizer`, which decides which words are read and how they
become a record's tokens.
"""

from __future__ import annotations

import re

_THOUSANDS = re.compile(r"[.,](?=\d{3}(?:\D|$))")
_ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu"})
# Below this length a word is not worth splitting (see :mod:`crawler.dedup.data.compounds`).
_MIN_COMPOUND = 7
#: Tokens shorter than this are not read as a place's people word (see :func:`place_stems`).
MIN_DERIVED = 5
_NOT_PLACE_STEMS = frozenset({"georg", "franc"})


def split_compound(word: str, heads: frozenset[str], modifiers: tuple[str, ...]
                   ) -> tuple[str, ...]:
    """Split a folded German compound into modifier and head; the modifier once more.

    The rule (lexicon in :mod:`crawler.dedup.data.compounds`): a word of 7+ letters ending in
    a known head splits there, keeping a modifier of at least ``8 - len(head)`` letters (3 at
    least: a short head like "rat" needs a longer modifier, so "Apparat" stays whole). Else a
    word starting with a known modifier splits after it when 5+ letters follow that do not
    start with "i" (so "iranische" is not "iran + ische").

    >>> split_compound("bundesverteidigungsminister", frozenset({"minister"}), ("bundes",))
    ('bundes', 'verteidigungs', 'minister')
    """
    parts = _split_once(word, heads, modifiers)
    if len(parts) == 1:
        return parts
    return (*_split_once(parts[0], heads, modifiers), parts[1])


def _split_once(word: str, heads: frozenset[str], modifiers: tuple[str, ...]
                ) -> tuple[str, ...]:
    if len(word) < _MIN_COMPOUND:
        return (word,)
    for start in range(3, len(word) - 2):  # the longest head first
        tail = word[start:]
        if tail in heads and start >= max(3, 8 - len(tail)):
            return (word[:start], tail)
    for modifier in modifiers:
        rest = word[len(modifier):]
        if word.startswith(modifier) and len(rest) >= 5 and not rest.startswith("i"):
            return (modifier, rest)
    return (word,)


_UMLAUTS = {"a": "ae", "o": "oe", "u": "ue"}
# The plural endings an umlauted head takes ("Märkte", "Märkten", "Anschläge", "Räte").
_UMLAUT_ENDINGS = ("e", "en", "er", "ern")


def umlaut_plurals(head: str) -> tuple[str, ...]:
    """A folded German head's plurals with its last vowel umlauted, as :func:`fold` writes
    them: "markt" -> "maerkte", "maerkten", ...; "anschlag" -> "anschlaege", ... (the head
    lexicon lists singulars; "Weihnachtsmärkten" ends in none of their regular forms). A
    head whose last vowel is a diphthong's ("haus"), that ends in a vowel ("demo") or in
    "-ung" (plural "-ungen", never umlauted) gives none; forms German does not have
    ("reaktoere") match no word and cost nothing.

    >>> umlaut_plurals("markt")[:2]
    ('maerkte', 'maerkten')
    """
    if head[-1] in "aeiouy" or head.endswith("ung"):
        return ()
    at = max(head.rfind(v) for v in "aeiou")
    vowel = head[at] if at >= 0 else ""
    if vowel not in _UMLAUTS or (at > 0 and head[at - 1] in "aeiou") or (
            at + 1 < len(head) and head[at + 1] in "aeiou"):
        return ()
    umlauted = head[:at] + _UMLAUTS[vowel] + head[at + 1:]
    return tuple(umlauted + end for end in _UMLAUT_ENDINGS)


def place_stems(table: dict[str, str]) -> dict[str, str]:
    """Place tokens by the stems their people's words start with: the token itself, without
    a final vowel ("burundi" -> "burund"), without a final "ia" ("somalia" -> "somal"),
    without a final "o" ("montenegro" -> "montenegr"). A stem that two places share is left
    out, and so are stems that are first names ("georg", "franc": Francis)."""
    stems: dict[str, str | None] = {}
    for token in table:
        if len(token) < MIN_DERIVED or not token.isalpha():
            continue
        forms = {token}
        if token[-1] in "aeiouy":
            forms.add(token[:-1])
        if token.endswith("ia"):
            forms.add(token[:-2])
        for form in forms - _NOT_PLACE_STEMS:
            if len(form) >= MIN_DERIVED - 1:
                stems[form] = token if stems.get(form, token) == token else None
    return {stem: token for stem, token in stems.items() if token is not None}


def number(raw: str) -> str:
    """Digits of a number: thousands separators dropped, a decimal comma made a point."""
    if "." not in raw and "," not in raw:
        return raw
    number = _THOUSANDS.sub("", raw).replace(",", ".")
    # "$1.0 bn" and "$1 billion", "2,50 Euro" and "2.5": one number, one spelling.
    return number.rstrip("0").rstrip(".") if "." in number else number


def elide(word: str) -> str:
    """French elisions and English possessives/contractions leave the word itself."""
    if "'" not in word and "’" not in word:
        return word
    parts = word.replace("’", "'").split("'")
    if parts[0] in _ELISIONS and len(parts) == 2:
        return parts[1]
    if parts[-1] in ("s", "t") and len(parts) == 2:
        return parts[0]
    return "".join(parts)


def join_acronym(match: re.Match[str]) -> str:
    """"U.S." -> "US", "e.g." -> "eg": an acronym written with dots is one word."""
    return match.group().replace(".", "")


__all__ = ["MIN_DERIVED", "elide", "join_acronym", "number", "place_stems", "split_compound",
           "umlaut_plurals"]
