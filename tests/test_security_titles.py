"""A hostile page's title must not hold an extraction worker: work stays near-linear in it."""

from __future__ import annotations

import html
import time

from crawler.extract import extract_page


def _page(title: str) -> str:
    shown = html.escape(title)
    return (f"<html><head><title>{shown}</title><meta property='og:title' content='{shown}'>"
            f"</head><body><article><h1>{shown}</h1><p>Talks resumed in Geneva today between"
            " the delegations.</p></article></body></html>")


def test_a_title_of_thousands_of_separators_is_read_in_seconds() -> None:
    # 6,000 " - 1 " cuts: each was folded on both sides, 30 KB at a time (about 40 s here;
    # a 1 MB <title> would take hours, the crawl's worker held all that while).
    title = " - 1 " * 6_000
    started = time.perf_counter()
    page = extract_page(_page(title), "https://example.org/2024/05/06/talks", None)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert page.text is not None and "Geneva" in page.text


def test_a_headline_beside_its_sites_name_still_loses_the_name() -> None:
    page = extract_page(_page("Talks resume in Geneva | Example News"),
                        "https://example.org/2024/05/06/talks", None)
    assert page.title == "Talks resume in Geneva"
