"""A start tag of absurdly many attributes costs libxml2 time in their square, in one C call
that no CPU limit interrupts: crawler/htmltags.py takes them away before lxml parses a page, a
home page's feed links or a feed's summary (the latter two on the crawl's reactor thread)."""

from __future__ import annotations

import time

from crawler.extract import discover_feeds, extract_page
from crawler.htmltags import MAX_ATTRIBUTES, uncrowded
from crawler.normalize import html_to_text

# 30,000 attributes (250 KB): 4 s of CPU for each parse (40,000: 11 s; 200,000: hours).
CROWDED = "<div " + " ".join(f"a{i}=x" for i in range(30_000)) + ">"
LEAD = "The delegations met again on Tuesday to discuss the arms control treaty."


def _cpu(work: object) -> float:
    started = time.process_time()
    assert callable(work)
    work()
    return time.process_time() - started


def test_a_feed_summary_of_a_crowded_tag_is_read_in_well_under_a_second() -> None:
    summary = f"<p>{CROWDED}{LEAD}</div></p>"
    assert _cpu(lambda: html_to_text(summary)) < 1.0
    assert html_to_text(summary) == LEAD


def test_an_article_page_of_a_crowded_tag_is_extracted_with_its_body() -> None:
    page = (f"<html><head><title>Talks resume in Geneva</title></head><body>{CROWDED}"
            f"<article><h1>Talks resume in Geneva</h1><p>{LEAD * 8}</p></article>"
            "</div></body></html>")
    assert _cpu(lambda: extract_page(page, "https://example.org/2026/12/talks")) < 2.0
    extracted = extract_page(page, "https://example.org/2026/12/talks")
    assert extracted.title == "Talks resume in Geneva" and LEAD in (extracted.text or "")


def test_a_home_page_of_a_crowded_tag_still_announces_its_feed() -> None:
    page = (f"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.rss'>"
            f"</head><body>{CROWDED}news</div></body></html>")
    assert _cpu(lambda: discover_feeds(page, "https://example.org/")) < 1.0
    assert discover_feeds(page, "https://example.org/") == ("https://example.org/feed.rss",)


def test_only_a_tag_over_the_limit_loses_its_attributes() -> None:
    most = "<p " + " ".join(f"a{i}=x" for i in range(MAX_ATTRIBUTES)) + ">t</p>"
    assert uncrowded(most) == most
    # Each way HTML5 separates attributes: spaces, "/", nothing after a quoted value.
    for separated in (" ", "/", '="1"', "='>'"):
        over = "<p " + separated.join(f"a{i}" for i in range(MAX_ATTRIBUTES + 1)) + ">t</p>"
        assert uncrowded(over) == "<p>t</p>", separated
