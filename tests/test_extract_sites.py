"""Titles and dates on pages of the patterns German news sites and blogs use (Tagesschau,
Spiegel, Zeit, FAZ, SZ, heise, t-online, WordPress), pages none of the rules was written
from: ``tests/fixtures/german-news``; and of the common CMS and publisher templates the dev
pages do not cover (Drupal, TYPO3, Joomla, Ghost, Hugo, Jekyll, AMP, live blogs, press
releases, newspaper platforms): ``tests/fixtures/cms-shapes``; and of the German-language
publishers' templates (regional papers, public broadcasters, magazines, Austrian and Swiss
papers, a club's TYPO3 site, a small blog): ``tests/fixtures/publisher-shapes``; and of
the web beyond news (clubs, towns, shops, recipes, events, forums, companies, many pages
with no publication date at all): ``tests/fixtures/web-pages``. Each
folder's README says which pattern each page carries."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import extract_page
from crawler.normalize import clean_title
from tests.conftest import read_jsonl, run_cli
from tests.sitesrv import FixtureSite, Route

_FIXTURES = Path(__file__).parent / "fixtures"
_PAGES = _FIXTURES / "german-news"
# "folder/file" -> the URL the page claims, its headline, its publication (UTC) or null.
_EXPECTED: dict[str, dict[str, Any]] = {
    f"{folder}/{name}": want
    for folder in ("german-news", "cms-shapes", "publisher-shapes", "web-pages")
    for name, want in json.loads(
        (_FIXTURES / folder / "expected.json").read_text(encoding="utf-8")).items()}


# Pages whose label the extractor still misses, each with the reason its expected.json entry
# gives ("known_miss"): a strict xfail, so a fix that meets the label turns it into a failure
# to be lifted, and the other pages' comparison does not hide them.
_KNOWN_MISSES = {name for name, want in _EXPECTED.items() if "known_miss" in want}


def _missed(name: str, mirrored: bool) -> bool:
    """Whether the page's label is a known miss from this URL (``known_miss_from``: one of
    "own-url" and "loopback", where it is missed from one only; both where not given)."""
    want = _EXPECTED[name]
    return name in _KNOWN_MISSES and want.get("known_miss_from", "") in (
        "", "loopback" if mirrored else "own-url")


@pytest.mark.parametrize(("name", "mirrored"), [
    pytest.param(name, mirrored, id=f"{name}-{'loopback' if mirrored else 'own-url'}",
                 marks=[pytest.mark.xfail(strict=True, reason=_EXPECTED[name]["known_miss"])]
                 if _missed(name, mirrored) else [])
    for name in sorted(_EXPECTED) for mirrored in (False, True)])
def test_a_sites_headline_and_publication(name: str, mirrored: bool) -> None:
    """From the page's own URL, and from a loopback copy whose URL names neither the site
    nor the day (a one-off scrape of a local mirror)."""
    want = _EXPECTED[name]
    url = f"http://127.0.0.1:8000/{name}" if mirrored else str(want["url"])
    page = extract_page((_FIXTURES / name).read_text(encoding="utf-8"), url)
    assert (page.title, page.published) == (want["title"], want["published"])


@pytest.mark.parametrize("name", sorted(n for n in _EXPECTED if "authors" in _EXPECTED[n]))
def test_a_publishers_header_is_not_body_and_its_byline_names_the_authors(name: str) -> None:
    """The body starts with the article's words: not its headline after a kicker glued to
    it, nor the byline or the date line under a lead; the authors are people, not a date
    line's word ("Veröffentlicht", "Mittwoch")."""
    want = _EXPECTED[name]
    page = extract_page((_FIXTURES / name).read_text(encoding="utf-8"), str(want["url"]))
    assert page.authors == tuple(want["authors"])
    assert (page.text or "").startswith(want["text_starts"])


def test_a_utc_stamp_is_read_in_the_publishers_zone_and_kept_as_found() -> None:
    """FAZ: ``<time datetime="2024-07-11T22:40:12Z">12.07.2024, 00:40</time>``. The day is
    Berlin's, carried as a bare day; the raw string is the stamp the page wrote."""
    want = _EXPECTED["german-news/faz.html"]
    page = extract_page((_PAGES / "faz.html").read_text(encoding="utf-8"), str(want["url"]))
    assert (page.published, page.published_raw) == ("2024-07-12T00:00:00Z",
                                                    "2024-07-11T22:40:12Z")


def test_a_german_pages_utc_stamp_is_read_in_the_summer_time_of_its_day() -> None:
    """A winter edit stamp ("+01:00") says nothing of the summer: 22:15 UTC on 14 June is
    00:15 on the 15th in Berlin, not 23:15 on the 14th."""
    markup = (_PAGES / "wordpress-undated.html").read_text(encoding="utf-8").replace(
        '"dateModified":"2024-06-18T07:02:10+00:00"}',
        '"dateModified":"2025-01-10T09:00:00+01:00"}')
    assert "2025-01-10T09:00:00+01:00" in markup
    page = extract_page(markup, str(_EXPECTED["german-news/wordpress-undated.html"]["url"]))
    assert page.published == "2024-06-15T00:00:00Z"


def test_a_yearless_header_day_after_the_urls_day_is_an_update() -> None:
    """"Jun 12, 10:00" on a page whose only other day is its permalink's ``/2024/06/10/``:
    the header's day two days on is an update, not 12 June of the year before."""
    markup = re.sub(r'<meta property="(og:url|article:published_time)"[^>]*>', "", (
        _FIXTURES / "cms-shapes" / "yearless-update.html").read_text(encoding="utf-8"))
    markup = markup.replace("</head>", '<link rel="canonical" href='
                            '"https://defencedesk.example.org/2024/06/10/joint/"></head>')
    markup = markup.replace(">Jun 12<", ">Jun 12, 10:00<")
    assert "2024-06-10T" not in markup and "og:url" not in markup and "Jun 12, 10:00" in markup
    page = extract_page(markup, "http://127.0.0.1:8000/joint")
    assert (page.published, page.published_raw) == ("2024-06-10T00:00:00Z", "2024-06-10")


def test_a_utc_stamp_on_a_page_not_in_german_stays_utc() -> None:
    """No zone is guessed for a page in English: its UTC day stands."""
    markup = (_PAGES / "wordpress-undated.html").read_text(encoding="utf-8").replace(
        'lang="de-DE"', 'lang="en-US"')
    page = extract_page(markup, str(_EXPECTED["german-news/wordpress-undated.html"]["url"]))
    assert page.published == "2024-06-14T22:15:38Z"


def _scraped(site: FixtureSite, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The records of a one-off scrape of an undated sitemap listing the pages, served on
    loopback (a URL that names neither the site nor the day), keyed by file name."""
    for name in _EXPECTED:
        site.routes[f"/{name}"] = Route(200, (_FIXTURES / name).read_bytes(),
                                        {"Content-Type": "text/html; charset=utf-8"})
    urls = "".join(f"<url><loc>{site.url(f'/{name}')}</loc></url>" for name in _EXPECTED)
    site.routes["/sitemap.xml"] = Route(200, (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>').encode(), {"Content-Type": "application/xml"})
    out = tmp_path / "records.jsonl"
    run = run_cli("scrape", site.url("/sitemap.xml"), "-o", str(out), "--output-dir",
                  str(tmp_path / "o"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    return {"/".join(r["url"].rsplit("/", 2)[-2:]): r for r in read_jsonl(out)}


def test_a_sitemap_scrape_gives_the_sites_headlines_and_days(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    records = _scraped(fresh_site, tmp_path)
    got = {name: (r["title"], r["published"]) for name, r in records.items()}
    # The record shows the page's title with its media tag in ``media`` (a live blog's
    # "Liveblog: ++ Headline ++" as "++ Headline ++").
    assert {name: found for name, found in got.items() if name not in _KNOWN_MISSES} == {
        name: (clean_title(str(w["title"]))[0], w["published"])
        for name, w in _EXPECTED.items() if name not in _KNOWN_MISSES}
    for name, record in records.items():  # the headline is not the body's first line
        title, first = str(_EXPECTED[name]["title"]), record["text"].split("\n", 1)[0]
        # A one-word title ("Satzung") may open a sentence of the body ("Satzung des
        # Vereins ... in der Fassung vom ..."): only the whole line is its headline then.
        assert first != title if " " not in title else not first.startswith(title), name
