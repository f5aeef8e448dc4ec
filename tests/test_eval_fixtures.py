"""``benchmarks/eval_fixtures.py``: titles and days scored on written pages."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.eval_fixtures import score

_PAGE = ('<html lang="de"><head><meta charset="utf-8"><title>{title} - Landbote</title>'
         '<meta property="article:published_time" content="2024-06-12T09:00:00+02:00">'
         "</head><body><article><h1>{title}</h1>"
         + "<p>Die Verteidigungsminister berieten in Brüssel über die Luftverteidigung.</p>" * 6
         + "</article></body></html>")


def test_a_pages_title_and_day_are_scored_against_its_label_from_either_url(
        tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    title = "Landrat kündigt neues Busnetz an"
    (folder / "a.html").write_text(_PAGE.format(title=title), encoding="utf-8")
    url = "https://www.landbote.de/verkehr/busnetz-1.html"
    (folder / "expected.json").write_text(json.dumps({"a.html": {
        "url": url, "title": title, "published": "2024-06-13T07:00:00Z"}}), encoding="utf-8")
    for mirrored in (False, True):
        titles, days, misses = score(folder, ["a.html"], mirrored)
        assert (titles, days) == (1, 0)
        assert misses == ["  a.html: title 'Landrat kündigt neues Busnetz an', day 2024-06-12"]


_UNDATED = ('<html lang="de"><head><meta charset="utf-8"><title>Sommerfest - TSV Landbote</title>'
            "</head><body><main><h1>Sommerfest</h1>{line}"
            + "<p>Der Verein lädt alle Mitglieder und Nachbarn herzlich zum Fest am Sportplatz"
              " ein.</p>" * 6 + "</main></body></html>")


def test_an_undated_page_scores_its_day_only_when_no_date_is_given(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "plain.html").write_text(_UNDATED.format(line=""), encoding="utf-8")
    (folder / "dated.html").write_text(
        _UNDATED.format(line="<p>Veröffentlicht am 12.06.2024</p>"), encoding="utf-8")
    url = "https://www.tsv-landbote.de/sommerfest/"
    (folder / "expected.json").write_text(json.dumps({
        name: {"url": url, "title": "Sommerfest", "published": None}
        for name in ("plain.html", "dated.html")}), encoding="utf-8")
    assert score(folder, ["plain.html"], mirrored=False)[:2] == (1, 1)
    titles, days, misses = score(folder, ["dated.html"], mirrored=False)
    assert (titles, days) == (1, 0)
    assert misses == ["  dated.html: title 'Sommerfest', day 2024-06-12"]
