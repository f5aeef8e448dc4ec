"""Quality gate: extraction must not get worse on the labelled real pages.

Floors sit a little below what ``benchmarks/eval_extract.py`` measured on the 166 pages of
``shared/data/pages`` (README, "Extraction quality": title 0.902, date 0.902, body 0.916); a
change that drops below one fails here. The pages are read where the benchmark finds them;
without them the gate skips.
"""

from __future__ import annotations

import pytest

from benchmarks.eval_extract import Score, default_data, local_day, pages, score_page
from crawler.extract import extract_page

FLOORS = {"title": 0.90, "date": 0.89, "body": 0.91}


def test_extraction_holds_its_floors_on_real_pages() -> None:
    data = default_data()
    if not data.is_dir():
        pytest.skip(f"{data} is absent (the shared data beside the repository)")
    score = Score()
    for _half, url, label, markup in pages(data):
        page = extract_page(markup, url)
        score_page(score, label, page.title, local_day(page.published, page.published_raw),
                   page.text or "")
    assert score.pages == 166
    measured = {"title": score.share("title"), "date": score.share("date"),
                "body": score.body()}
    assert all(measured[key] >= floor for key, floor in FLOORS.items()), measured
