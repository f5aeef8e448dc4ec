"""A story's places (crawler.stories.places): the towns a title's rubric may name."""

from __future__ import annotations

from crawler.dedup.tokens import default_tokenizer
from crawler.stories.places import is_town


def term(word: str, language: str = "de") -> str:
    [found] = default_tokenizer().content_terms(word, language)
    return found


def test_a_german_town_is_a_town_that_the_places_table_does_not_know() -> None:
    tokenizer = default_tokenizer()
    # Magdeburg and Solingen are in no places table of the near-duplicate layer's.
    assert not tokenizer.places(frozenset((term("Magdeburg"),)), "de")
    assert is_town(tokenizer, term("Magdeburg"), "de")
    assert is_town(tokenizer, term("Solingen"), "de")
    # A city of the places table's is one too; a country, a league, a weather report no town.
    assert is_town(tokenizer, term("Dresden"), "de")
    assert not is_town(tokenizer, term("Italien"), "de")
    assert not is_town(tokenizer, term("Bundesliga"), "de")
    assert not is_town(tokenizer, term("Wetter"), "de")


def test_the_german_towns_are_no_english_town() -> None:
    # The table is German newsrooms' (an English dateline's town is the places table's).
    tokenizer = default_tokenizer()
    assert is_town(tokenizer, term("Kharkiv", "en"), "en")
    assert not is_town(tokenizer, term("Magdeburg", "en"), "en")
