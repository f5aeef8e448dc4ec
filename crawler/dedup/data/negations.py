"""Words that negate a headline: "Russia will use ..." vs "Russia will not use ...".

Each becomes the token :data:`crawler.dedup.tokens.NEGATION`; verification treats a negation
on one side only like differing numbers (see :func:`crawler.dedup.verify.verify`). Written
naturally per language and folded on load. English contractions ("won't", "doesn't") are
recognised by their ending, not listed. Words that negate only in some uses ("without",
"ohne", "sans") are left out.
"""

from __future__ import annotations

from types import MappingProxyType


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


BY_LANGUAGE = MappingProxyType({
    "en": _words("not no never cannot nor neither"),
    "de": _words("nicht kein keine keinen keinem keiner keines nie niemals nirgends weder"),
    "fr": _words("ne pas jamais aucun aucune ni"),
    "ru": _words("не нет ни никогда"),
    "uk": _words("не ні ніколи"),
})
