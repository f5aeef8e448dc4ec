"""A hostile article page must not hold an extraction worker: work stays near-linear in it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from crawler.extract import extract_page

_BODY = ("<article><h1>Talks resume in Geneva</h1><p>Talks resumed in Geneva today between the"
         " delegations of both states, the ministry said.</p></article>")


def _page(head: str) -> str:
    return (f"<html><head><title>Talks resume in Geneva | Example News</title>{head}</head>"
            f"<body>{_BODY}</body></html>")


def _extracted_within(markup: str, seconds: float) -> tuple[str | None, str | None]:
    """The page's title and date, extracted within ``seconds`` of this process's CPU time
    (not the wall clock's, which a loaded CI stretches)."""
    started = time.process_time()
    page = extract_page(markup, "https://example.org/2024/05/06/talks", None)
    elapsed = time.process_time() - started
    assert elapsed < seconds, f"{elapsed:.1f} s"
    assert page.text is not None and "Geneva" in page.text
    return page.title, page.published


def test_a_site_name_of_a_long_run_of_spaces_is_read_in_seconds() -> None:
    # og:site_name is searched for a separator (a title put in the wrong field): over raw
    # whitespace every start of `\s+` rescanned the run, 7 s for 20,000 spaces here, ~60 s for
    # these 60,000, hours for the megabyte a page may hold.
    spaces = " " * 60_000
    head = (f"<meta property='og:site_name' content='Example{spaces}News'>"
            f"<meta name='application-name' content='Example{spaces}News'>")
    title, _ = _extracted_within(_page(head), 5)
    assert title == "Talks resume in Geneva"


def test_a_page_of_thousands_of_json_ld_nodes_is_read_in_seconds() -> None:
    # Each node was compared with every other (`node not in article`): 33 s for 20,000 nodes
    # (1.4 MB) here, ~75 s for these 30,000; a 16 MB page of them over an hour.
    nodes = [{"@type": "NewsArticle", "datePublished": "2024-05-06T10:00:00Z", "n": n}
             for n in range(30_000)]
    head = f"<script type='application/ld+json'>{json.dumps(nodes)}</script>"
    _, published = _extracted_within(_page(head), 10)
    assert published == "2024-05-06T10:00:00Z"



def test_a_line_of_a_hundred_thousand_dates_is_read_in_seconds() -> None:
    # The date line's search asked each date's whole line for its length (a strip of the
    # line per date): 29 s of CPU for 2 MB of dates here, 46 s for these 2.5 MB, and a
    # 16 MB page an hour or more, the extraction worker held all that while (after: ~5 s).
    dates = "2024-05-06 " * 225_000
    markup = (f"<html><head><title>Talks resume</title></head><body><article><h1>Talks"
              f" resume</h1><p>{dates}</p>{_BODY}</article></body></html>")
    _, published = _extracted_within(markup, 15)
    assert published == "2024-05-06T00:00:00Z"


def test_a_title_ending_in_a_long_run_of_numbers_is_read_in_seconds() -> None:
    # A CMS's timestamp tail ("... : 31.10.2023, 10.19 Uhr") was searched with two runs of
    # digits around one: each digit of a run that does not end the title was tried as that
    # one: 26 s of CPU for 20,000 "1 " here (51 s when the feed's title is one more such
    # candidate), hours for a title of a megabyte.
    title = "Talks resume - " + "1 " * 20_000 + "in Geneva"
    markup = (f"<html><head><title>{title}</title><meta property='og:title' content='{title}'>"
              f"</head><body>{_BODY}</body></html>")
    _extracted_within(markup, 10)



def test_a_title_of_a_long_run_of_colon_separated_numbers_is_read_in_seconds() -> None:
    # ":" both separates a timestamp tail and belongs to it, so each " : 1" began a run to
    # the title's end when the tail was searched from the start: 9 s of CPU for 160 KB,
    # ~1,400 s for these 2 MB. A tail is short: it is looked for in the title's end only.
    title = "Talks resume" + " : 1" * 500_000 + " x"
    markup = f"<html><head><title>{title}</title></head><body>{_BODY}</body></html>"
    title_read, _ = _extracted_within(markup, 20)
    assert title_read is not None and title_read.startswith("Talks resume : 1 : 1")


def test_a_page_of_thousands_of_overlapping_dates_is_read_in_seconds() -> None:
    # Joomla's edit and creation lines, and a footer of dates two formats read at once
    # ("13-01-1900-01-13": a day first, and a year first from its middle). The edit check
    # looked each overlapped day up as written after the other, searching the rest of the
    # page for each: 5.4 s of CPU for 570 KB of them, ~9 s for these 730 KB, hours for the
    # 16 MB a page may hold (after: ~3 s, most of it reading the dates at all).
    fixture = Path(__file__).parent / "fixtures" / "publisher-shapes" / "joomla-unten.html"
    dates = " x ".join(f"{d:02d}-{m:02d}-{y}-{m:02d}-{d:02d}" for y in range(1900, 2100)
                       for m in range(1, 13) for d in range(13, 29))
    markup = fixture.read_text(encoding="utf-8").replace(
        "<p>© 2024 Gemeinde Lindenau</p>", f"<p>© 2024 Gemeinde Lindenau {dates}</p>")
    started = time.process_time()
    page = extract_page(markup, "https://www.lindenau.de/index.php/aktuelles/87-neue-sirenen")
    elapsed = time.process_time() - started
    assert elapsed < 6, f"{elapsed:.1f} s"
    assert page.published == "2024-05-03T00:00:00Z"
