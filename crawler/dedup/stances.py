"""Which side of an opposing word pair a title takes (see the opposites data): "stimmt zu"
and "lehnt ab", "votes for" and "votes against" are two stories, however much else their
titles share. Verification (:mod:`crawler.dedup.verify`) compares the sides."""

from __future__ import annotations

import re

from crawler.dedup.data import opposites
from crawler.dedup.fold import fold
from crawler.dedup.languages import for_language, per_language
from crawler.dedup.placenames import OneToken

#: The tokens of voting for and against ("votes for", "stimmt gegen"), an opposing pair
#: (see the votes of the opposites data).
VOTE_FOR, VOTE_AGAINST = "~vote+", "~vote-"
_VOTE_HINT = 4


class StanceFinder:
    """The opposing pairs' tables per language, with the voting verbs' pattern."""

    def __init__(self, one_token: OneToken) -> None:
        self._stances = per_language(lambda language: _stance_table(language, one_token))
        verbs = {(lang, verb) for lang, row in opposites.VOTES.items() for verb in row[0].split()}
        self._votes, self._vote_tokens = _vote_pattern({verb for _, verb in verbs})
        # A voting verb's own stance ("stimmt" as in "stimmt zu") turns with a vote against:
        # "stimmt gegen" is the side of "lehnt ab" (see stances()).
        self._voting = frozenset(token for lang, verb in verbs
                                 for token in one_token(verb, lang))
        # The verbs' first letters: a title without any is not searched (the pattern costs
        # ~5 us a title, a tenth of tokenising it; these few substring tests ~0.3 us).
        self._vote_hints = tuple(sorted({verb[:_VOTE_HINT].lower() for _, verb in verbs}))

    def vote_tokens(self, text: str) -> list[str]:
        """:data:`VOTE_FOR` or :data:`VOTE_AGAINST` for each "for" or "against" after a
        voting verb in ``text`` (stop words elsewhere: "Hilfe für", "calls for")."""
        low = text.lower()
        if not any(hint in low for hint in self._vote_hints):
            return []
        return [self._vote_tokens[fold(m.lower())] for m in self._votes.findall(text)]

    def stances(self, tokens: frozenset[str], language: str | None) -> frozenset[str]:
        """Which side of each opposing word pair the tokens take: "n+" for the first word of
        pair n, "n-" for the second (see the opposites data)."""
        table = for_language(self._stances, language)
        taken = table.keys() & tokens
        if not taken:
            return frozenset()
        stances = [s for t in taken for s in table[t].split()]
        if VOTE_AGAINST in taken and not taken.isdisjoint(self._voting):
            turned = {s for t in taken & self._voting for s in table[t].split()}
            stances = [other_side(s) if s in turned else s for s in stances]
        return frozenset(stances)


def other_side(stance: str) -> str:
    """The other side of an opposing pair: "de2+" <-> "de2-"."""
    return stance[:-1] + ("-" if stance.endswith("+") else "+")


def _stance_table(language: str, one_token: OneToken) -> dict[str, str]:
    table: dict[str, str] = {}  # token -> its stances, space-separated (a word can
    for n, pair in enumerate(opposites.BY_LANGUAGE.get(language, ())):  # be in two pairs)
        for word, side in zip(pair, "+-", strict=True):
            for token in one_token(word, language):
                table[token] = f"{table.get(token, '')} {language}{n}{side}".strip()
    return {**table, VOTE_FOR: "vote+", VOTE_AGAINST: "vote-"}


def _vote_pattern(verbs: set[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern whose one group is the "for" or "against" after one of the voting ``verbs``
    (of any language), and the token of each such word, folded."""
    tokens = {fold(row[side]): token for row in opposites.VOTES.values()
              for side, token in ((1, VOTE_FOR), (2, VOTE_AGAINST))}
    words = {row[side] for row in opposites.VOTES.values() for side in (1, 2)}
    pattern = re.compile(rf"\b(?:{'|'.join(sorted(verbs))})\s+({'|'.join(sorted(words))})\b",
                         re.IGNORECASE)
    return pattern, tokens
