"""An author field's label is no part of the name: the acc5 trial's one-off scrapes of the
labelled dev pages (shared/data/pages) gave "By Glen Owen ...", "Par Attac France", "Auteur
Anna Kubišta", "View all posts by Daniel Lemire", and a profile's URL as authors."""

from __future__ import annotations

import gzip
import json

import pytest

from benchmarks.shared_data import SHARED_DATA
from crawler.extract import extract_page
from crawler.extract.bylines import split_authors

# The page's file, and its authors as its label in truth.json names them.
LABELLED = {
    "dailymail.co.uk.food.html": ("Glen Owen And Brendan Carlin For The Mail On Sunday",),
    "france.attc.org-privatisations.html": ("Attac France",),
    "francais.radio.cz-ministre.html": ("Anna Kubišta",),
    "lemire.me.json.html": ("Daniel Lemire",),
    "frolleinherr.com.lost.html": (),  # its only author is a URL; the label's name is not on it
}


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_an_author_fields_label_or_url_is_not_an_author(name: str) -> None:
    found = [(folder, url) for folder in ("trafilatura-eval", "trafilatura-cache")
             if (SHARED_DATA / "pages" / folder / "truth.json").is_file()
             for url, label in json.loads((SHARED_DATA / "pages" / folder / "truth.json")
                                          .read_text(encoding="utf-8")).items()
             if label["file"] == name]
    if not found:
        pytest.skip(f"{SHARED_DATA / 'pages'} absent (the shared data beside the repository)")
    [(folder, url)] = found
    markup = gzip.decompress((SHARED_DATA / "pages" / folder / f"{name}.gz").read_bytes())
    assert extract_page(markup.decode("utf-8", "replace"), url).authors == LABELLED[name]


def test_a_label_goes_and_a_name_that_only_starts_like_one_stays() -> None:
    assert split_authors("Par Attac France") == ("Attac France",)
    assert split_authors("Autorin: Anna Kubišta") == ("Anna Kubišta",)
    assert split_authors("Byron Katie, Parker Posey") == ("Byron Katie", "Parker Posey")
    assert split_authors("Von der Leyen") == ("Von der Leyen",)
