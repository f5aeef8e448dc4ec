"""How one word is read: compounds, elisions, a number's spelling, places' people stems."""

from __future__ import annotations

import pytest

from crawler.dedup.wordforms import elide, number, place_stems, split_compound


def test_compound_split_keeps_ordinary_words_whole() -> None:
    heads = frozenset({"rat", "minister"})
    assert split_compound("apparat", heads, ()) == ("apparat",)
    assert split_compound("sicherheitsrat", heads, ()) == ("sicherheits", "rat")


def test_compound_split_splits_the_modifier_once_more() -> None:
    assert split_compound("bundesverteidigungsminister", frozenset({"minister"}),
                          ("bundes",)) == ("bundes", "verteidigungs", "minister")


@pytest.mark.parametrize(("raw", "expected"), [
    ("1,000", "1000"), ("1.000.000", "1000000"), ("2,50", "2.5"), ("1.0", "1"), ("42", "42"),
])
def test_a_number_has_one_spelling(raw: str, expected: str) -> None:
    assert number(raw) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("l'otan", "otan"), ("d’ukraine", "ukraine"), ("russia's", "russia"), ("don't", "don"),
    ("nato", "nato"),
])
def test_elisions_and_possessives_leave_the_word(word: str, expected: str) -> None:
    assert elide(word) == expected


def test_place_stems_leave_out_shared_and_first_name_stems() -> None:
    stems = place_stems({"burundi": "BI", "somalia": "SO", "georgia": "GE", "franc": "FR"})
    assert stems["burund"] == "burundi" and stems["somal"] == "somalia"
    assert "georg" not in stems and "franc" not in stems
