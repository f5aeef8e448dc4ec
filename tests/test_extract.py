from __future__ import annotations

import json
from typing import Any

import pytest
import trafilatura
from trafilatura.settings import Document

from crawler.extract import _Facts, discover_feeds, extract_page, strip_site_name
from crawler.normalize import clean_body, strip_leading_title
from tests.sitesrv import SITE

EXPECTED: dict[str, Any] = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
ARTICLES = sorted(EXPECTED["articles"].items())


def _page(path: str) -> str:
    raw = (SITE / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", b"http://127.0.0.1:9")
    charset = "windows-1252" if b"windows-1252" in raw[:2048] else "utf-8"
    return raw.decode(charset)


@pytest.mark.parametrize(("path", "want"), ARTICLES, ids=[p for p, _ in ARTICLES])
def test_fixture_article_body_is_clean(path: str, want: dict[str, Any]) -> None:
    page = extract_page(_page(path), f"http://127.0.0.1:9{path}")
    assert page.text
    for snippet in want["text_contains"]:
        assert snippet in page.text
    for snippet in want["text_excludes"]:
        assert snippet not in page.text, snippet
    assert page.language == want["language"]


@pytest.mark.parametrize(("path", "want"), ARTICLES, ids=[p for p, _ in ARTICLES])
def test_fixture_page_title_has_no_site_name(path: str, want: dict[str, Any]) -> None:
    page = extract_page(_page(path), f"http://127.0.0.1:9{path}")
    assert page.title == want.get("page_h1", want["title"]).replace(" (VIDEO)", "") or (
        page.title == want["page_h1"]
    )


def test_headline_repeated_as_first_paragraph_is_dropped() -> None:
    page = extract_page(_page("/articles/en-headline-repeat.html"), "http://x/")
    assert page.title and page.text
    assert not page.text.startswith(page.title)


def test_json_ld_timestamp_refines_a_day_only_date() -> None:
    page = extract_page(_page("/articles/en-iran-enrichment.html"), "http://x/")
    assert page.published == EXPECTED["articles"]["/articles/en-iran-enrichment.html"][
        "page_published"]


def test_autodiscovery_finds_announced_feeds() -> None:
    feeds = discover_feeds(_page("/index.html"), "http://127.0.0.1:9/")
    assert "http://127.0.0.1:9/feeds/rss20.rss" in feeds
    assert "http://127.0.0.1:9/feeds/atom.atom" in feeds


@pytest.mark.parametrize(
    ("title", "site", "clean"),
    [
        ("Bundeswehr kauft Panzer | tagesschau.de", None, "Bundeswehr kauft Panzer"),
        ("NATO agrees plan - Atlantic Review", "Atlantic Review", "NATO agrees plan"),
        ("DW: Kyiv under fire", None, "DW: Kyiv under fire"),
        ("Iran - USA: talks resume", "Other", "Iran - USA: talks resume"),
    ],
)
def test_site_name_is_stripped_only_when_it_is_the_site(
    title: str, site: str | None, clean: str
) -> None:
    assert strip_site_name(title, site) == clean


def test_empty_or_binary_page_yields_empty_page() -> None:
    assert extract_page("", "http://x/").title is None
    assert extract_page("\x00\x01", "http://x/").text is None


def test_page_without_own_headline_or_byline_takes_trafilaturas() -> None:
    markup = ("<html><head></head><body><div class='post'><h2 class='entry-title'>Drones over "
              "bases</h2><p class='byline'>By <span class='author'>Anna Kowalski</span></p>"
              + "<p>Officials counted more drone flights over military bases this year.</p>" * 8
              + "</div></body></html>")
    full = trafilatura.extract_metadata(markup, "http://x/a")
    page = extract_page(markup, "http://x/a")
    assert full.title and full.author  # the fallbacks are exercised
    assert page.title == full.title
    assert page.authors == (full.author,)


@pytest.mark.parametrize(("path", "want"), ARTICLES, ids=[p for p, _ in ARTICLES])
def test_one_parse_gives_trafilaturas_own_body_date_and_tags(
    path: str, want: dict[str, Any]
) -> None:
    """extract_page parses once and asks trafilatura for no metadata of its own; body, date
    and tags must be what trafilatura gives when it parses the markup and reads all of its
    metadata itself (a trafilatura upgrade that changes either path fails here)."""
    markup, url = _page(path), f"http://127.0.0.1:9{path}"
    doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True,
                                      include_comments=False)
    assert isinstance(doc, Document)
    tree = trafilatura.load_html(markup)
    for complete in (False, True):
        facts = _Facts(tree, url, complete=complete)
        assert (facts.date(), facts.tags(), facts.title(), facts.author()) == (
            doc.date, doc.tags, doc.title, doc.author)
    page = extract_page(markup, url)
    assert page.text == strip_leading_title(clean_body(doc.text), page.title)


def test_comma_joined_tags_are_split_and_kept_once() -> None:
    # trafilatura gave "Turkey,Poland,Baltic Sea" as one tag beside the keywords' parts.
    body = "Allies met in Brussels today to discuss air defence over the Baltic. " * 20
    page = extract_page(
        '<html lang="en"><head><title>NATO meets</title>'
        '<meta name="keywords" content="Turkey, Poland, NATO">'
        '<meta property="article:tag" content="Turkey,poland,Baltic Sea"></head>'
        f"<body><article><h1>NATO meets</h1><p>{body}</p></article></body></html>",
        "https://example.org/a")
    assert page.tags == ("Turkey", "Poland", "NATO", "Baltic Sea")
