"""The Snowball stemmer of each language matching reads, built once a process."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import snowballstemmer

# Snowball stemmers by ISO 639-1 code. Ukrainian has none in Snowball; Russian's is close
# enough to take the inflections off the names and nouns headlines share.
_STEMMERS = {"de": "german", "en": "english", "fr": "french", "ru": "russian", "uk": "russian",
             "es": "spanish", "it": "italian", "pt": "portuguese", "nl": "dutch",
             "pl": "polish"}


def stemmer(language: str | None) -> Callable[[str], str]:
    """The stemming function of ``language``; words as they are in a language without one."""
    name = _STEMMERS.get(language or "")
    return _identity if name is None else _stem_word(name)


@cache
def _stem_word(name: str) -> Callable[[str], str]:
    return snowballstemmer.stemmer(name).stemWord  # type: ignore[no-any-return]


def _identity(word: str) -> str:
    return word
