"""Stemmers: one Snowball stemmer a language, words as they are where there is none."""

from __future__ import annotations

from crawler.dedup.stemming import stemmer


def test_each_language_stems_with_its_own_rules() -> None:
    assert stemmer("de")("sanktionen") == "sanktion"
    assert stemmer("en")("sanctions") == "sanction"
    assert stemmer("fr")("sanctions") == "sanction"


def test_ukrainian_borrows_russian_for_the_names_headlines_share() -> None:
    assert stemmer("uk") is stemmer("ru")
    assert stemmer("uk")("путина") == stemmer("ru")("путина")


def test_a_language_without_a_stemmer_or_none_keeps_the_word() -> None:
    assert stemmer("ja")("sanctions") == "sanctions"
    assert stemmer(None)("sanctions") == "sanctions"


def test_a_stemmer_is_built_once_a_process() -> None:
    assert stemmer("de") is stemmer("de")
