"""The cause classes ``benchmarks/eval_extract.py --title-misses --date-misses`` gives a
labelled page's miss (``benchmarks/extract_misses.py``)."""

from __future__ import annotations

import pytest

from benchmarks.extract_misses import date_cause, title_cause

_STAMPS = ('<html><head><meta property="article:published_time" content="2024-06-12T09:00:00Z">'
           '<meta property="article:modified_time" content="2024-06-14T09:00:00Z"></head>'
           "<body><h1>Headline</h1><p>Stand: 14.06.2024</p>{}</body></html>")


@pytest.mark.parametrize(("label", "found", "text", "url", "cause"), [
    ("2024-06-12", "2024-06-14", "", "https://example.de/a", "a modification date chosen"),
    ("2024-06-14", "2024-06-12", "", "https://example.de/a", "the label is the modification"),
    ("2024-02-12", "2024-06-12", "", "https://example.de/a", "nowhere on the page"),
    ("2024-06-13", "2024-06-12", "<p>13.06.2024</p>", "https://example.de/a", "a day off"),
    ("2024-06-10", "2024-06-12", "<p>10.06.2024</p>", "https://example.de/2024/06/10/a",
     "the URL's day (the label's) not taken"),
    ("2024-06-10", None, "<p>Ein Satz vom 10.06.2024.</p>", "https://example.de/a",
     "no date found (the label's only in the text)"),
])
def test_a_missed_day_is_classed_by_where_the_page_states_it(
        label: str, found: str | None, text: str, url: str, cause: str) -> None:
    assert cause in date_cause(label, found, _STAMPS.format(text), url)


@pytest.mark.parametrize(("label", "found", "cause"), [
    ("NEUE FREGATTEN", "Neue Fregatten", "capitals"),
    ("Marine: Neue Fregatten", "Neue Fregatten", "a kicker left out"),
    ("Neue Fregatten", "Marine: Neue Fregatten", "a kicker kept"),
    ("Neue Fregatten - Marineforum", "Neue Fregatten", "a site's name left out"),
    ("Neue Fregatten für die Marine", "Neue Fregatten", "truncation"),
    ("Alte Probleme", "Neue Fregatten", "no candidate's words"),
    ("Neue Fregatten", None, "no title found"),
])
def test_a_missed_title_is_classed_by_how_it_differs_from_the_label(
        label: str, found: str | None, cause: str) -> None:
    markup = "<html><head><title>Neue Fregatten</title></head><body><h1>Neue Fregatten</h1>"
    assert cause in title_cause(label, found, markup + "</body></html>")
