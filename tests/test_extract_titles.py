"""Title choice on small pages, each made after a real one of ``shared/data/pages`` whose
label the rule under test gets right (the page named in each case)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import extract_page
from crawler.extract.headlines import leading_headline
from tests.sitesrv import FixtureSite, Route
from tests.test_extract import _article, _crawl_feed


def _page(head: str, body: str) -> str:
    return _article(head, body=body)


@pytest.mark.parametrize(
    ("head", "body", "url", "title"),
    [
        # Tagesspiegel: the h1 prints a kicker in a span of its own above the headline that
        # og:title states alone; <title> carries the kicker, a section and the site.
        ('<meta property="og:title" content="Wie Firmen ihre Beschäftigten schützen">'
         "<title>Abstandsregeln: Wie Firmen ihre Beschäftigten schützen - Wirtschaft - "
         "Tagesspiegel</title>",
         '<h1 class="ts-title"><span class="ts-overline">Abstandsregeln </span>'
         '<span class="ts-colon">: </span><span class="ts-headline">Wie Firmen ihre '
         "Beschäftigten schützen</span></h1>",
         "https://www.tagesspiegel.de/wirtschaft/abstandsregeln/25784520.html",
         "Wie Firmen ihre Beschäftigten schützen"),
        # zeit.de (self-labelled): the kicker's class names it, and og:title, twitter:title
        # and JSON-LD keep it: the labels follow the declarations (FAZ's keeps its kicker as
        # its og:title does), so it stays.
        ('<meta property="og:title" content="Zugverkehr: Im ICE von Frankfurt nach Barcelona">'
         '<meta name="twitter:title" content="Zugverkehr: Im ICE von Frankfurt nach Barcelona">'
         "<title>Zugverkehr: Im ICE von Frankfurt nach Barcelona | ZEIT ONLINE</title>",
         '<h1 class="article-heading"><span class="article-heading__kicker">Zugverkehr</span>'
         '<span class="visually-hidden">: </span><span class="article-heading__title">Im ICE '
         "von Frankfurt nach Barcelona</span></h1>",
         "https://www.zeit.de/reisen/2020-01/zugverkehr-ice-frankfurt-barcelona",
         "Zugverkehr: Im ICE von Frankfurt nach Barcelona"),
        # bos-fahrzeuge.info: h1 and <title> stop where the heading under them goes on.
        ("<title>Die Haubenfahrzeuge der Nachkriegszeit - Teil 49 - BOS-Fahrzeuge - "
         "Einsatzfahrzeuge und Wachen weltweit</title>",
         "<h1>Die Haubenfahrzeuge der Nachkriegszeit - Teil 49</h1><h2 class=\"h1\">Die "
         "Haubenfahrzeuge der Nachkriegszeit - Teil 49 – Büssing-NAG (Baujahre 1931 – 1945)"
         "</h2><h2>News</h2>",
         "https://bos-fahrzeuge.info/news/Die-Haubenfahrzeuge-der-Nachkriegszeit-Teil-49-223",
         "Die Haubenfahrzeuge der Nachkriegszeit - Teil 49 – Büssing-NAG (Baujahre 1931 – "
         "1945)"),
        # meedia.de: the site's name after a "›".
        ('<meta property="og:title" content="Wie Freenet Antennen-TV verkaufen will › Meedia">'
         "<title>Wie Freenet Antennen-TV verkaufen will › Meedia</title>",
         "<h1>Wie Freenet Antennen-TV verkaufen will</h1>",
         "https://meedia.de/2016/03/08/einstieg-ins-tv-geschaeft/",
         "Wie Freenet Antennen-TV verkaufen will"),
        # bmjv.de: the ministry's name and its section in h1s above the article's own, which
        # alone shares words with <title>.
        ("<title>BMJV | Transparenz bei Preisanpassungen</title>",
         '<h1 class="aural">Bundesministerium der Justiz und für Verbraucherschutz</h1>'
         '<h1>Verbraucherportal</h1><h1 class="isFirstInSlot"><span class="category">'
         '<span class="aural">Thema </span>Verbraucherschutz</span>Mehr Transparenz bei '
         "Preisanpassungen</h1>",
         "https://www.bmjv.de/DE/Verbraucherportal/KonsumImAlltag/Transparenz_node.html",
         "Mehr Transparenz bei Preisanpassungen"),
        # An h1 joined from two spans loses the colon its stylesheet prints between them;
        # og:title and <title> write the same words with it.
        ('<meta property="og:title" content="Zugverkehr: Im ICE von Frankfurt nach Barcelona">'
         "<title>Zugverkehr: Im ICE von Frankfurt nach Barcelona | ZEIT ONLINE</title>",
         '<h1><span class="intro">Zugverkehr</span> <span>Im ICE von Frankfurt nach '
         "Barcelona</span></h1>", "https://www.zeit.de/reisen/2019-11/zugverkehr",
         "Zugverkehr: Im ICE von Frankfurt nach Barcelona"),
        # A regional paper's print view: <title> all it declares, the site a host of three
        # letters (svz.de) that a part of its own names ("| SVZ").
        ("<title>Schwerin testet neue Warn-App für den Katastrophenfall | SVZ</title>",
         '<div class="print-headline">Schwerin testet neue Warn-App für den Katastrophenfall'
         "</div>", "https://www.svz.de/lokales/schwerin/artikel/warn-app-48123456/druckversion",
         "Schwerin testet neue Warn-App für den Katastrophenfall"),
    ],
    ids=["kicker-in-h1", "declared-kicker-in-h1", "heading-continues-h1", "angle-separator",
         "h1-agreeing", "h1-without-its-colon", "short-host-part"],
)
def test_title_reads_the_pages_own_structure(head: str, body: str, url: str,
                                             title: str) -> None:
    assert extract_page(_page(head, body), url).title == title


# Pages fetched from a loopback mirror (as a one-off scrape of a local sitemap fetches them):
# the fetched URL names no site, the page still does.
_MIRROR = "http://127.0.0.1:8000/trafilatura-eval/page.html"
_FOURYEARS = "<title>Four Years Remaining » Blog Archive » Interning of Small Integers</title>"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # fouryears.eu's canonical link names its host; its h1 is the blog's name.
        (f'{_FOURYEARS}<link rel="canonical" href="http://fouryears.eu/2019/10/21/interning/">',
         "<h1>Four Years Remaining</h1>", "Interning of Small Integers"),
        # The same h1 as fouryears.eu prints it: a link home, the site's logo.
        (_FOURYEARS, '<h1><a href="http://fouryears.eu">Four Years Remaining</a></h1>',
         "Interning of Small Integers"),
        # gregoryszorc.com: the site's name first in <title>; the post's heading is the rest.
        ("<title>Gregory Szorc's Digital Home\n | Mercurial's Journey to and Reflections on "
         "Python 3</title>",
         '<h2 class="blog_post_title"><a href="/blog/2020/01/13/mercurial" rel="bookmark">'
         "Mercurial's Journey to and Reflections on Python 3</a></h2>",
         "Mercurial's Journey to and Reflections on Python 3"),
    ],
    ids=["canonical-host", "logo-h1", "heading-witness"],
)
def test_a_page_served_from_a_mirror_keeps_its_headline(head: str, body: str,
                                                        title: str) -> None:
    assert extract_page(_page(head, body), _MIRROR).title == title


# Two pages a feed links, each with two page candidates that disagree or write the words
# differently; the feed entry's title is the third voice.
_FEED_PAGES = {
    # Without the feed, the article's h1 wins the tie with og:title; the feed names og's
    # words (with its site's name, which goes).
    "/titles/offensive.html": (
        "NATO sieht Putins Offensive gescheitert | Weltblick24",
        '<meta property="og:site_name" content="Weltblick24">'
        '<meta property="og:title" content="NATO sieht Putins Offensive gescheitert">',
        "<h1>Wie die NATO die Lage an der Front bewertet</h1>",
        "NATO sieht Putins Offensive gescheitert"),
    # The feed flattens the apostrophe to ASCII as og:title does; the h1 has it curly.
    "/titles/attac.html": (
        "Les privatisations sont au profit d'intérêts privés",
        "<meta property=\"og:title\" content=\"Privatisations : l'avis d'Attac\">",
        "<h1>Les privatisations sont au profit d’intérêts privés</h1>",
        "Les privatisations sont au profit d’intérêts privés"),
}


def test_the_feed_title_votes_with_the_pages_candidates(fresh_site: FixtureSite,
                                                         tmp_path: Path) -> None:
    """End to end through a loopback feed: the record's title is the words of the feed
    entry, without the site's name the feed added, written as the page's h1 writes them."""
    items = []
    for path, (feed_title, head, body, _) in _FEED_PAGES.items():
        fresh_site.routes[path] = Route(200, _page(head, body).encode(),
                                        {"Content-Type": "text/html; charset=utf-8"})
        items.append(f"<item><title>{feed_title}</title><link>{fresh_site.url(path)}</link>"
                     "<pubDate>Sat, 07 Nov 2026 13:20:00 GMT</pubDate></item>")
    feed = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t'
            f"</title><link>{fresh_site.base}/</link>{''.join(items)}</channel></rss>")
    titles = {r["url"].removeprefix(fresh_site.base): r["title"]
              for r in _crawl_feed(fresh_site, tmp_path, "/titles/feed.rss", feed.encode())}
    assert titles == {path: want for path, (*_, want) in _FEED_PAGES.items()}


def test_an_og_url_that_is_no_url_names_no_site() -> None:
    # urlsplit raises on the torn IPv6 literal: read for the site's name, it must not cost
    # the page its title.
    head = ('<meta property="og:url" content="http://[::1/a">'
            "<title>Wie Freenet Antennen-TV verkaufen will | Meedia</title>")
    page = extract_page(_page(head, "<h1>Wie Freenet Antennen-TV verkaufen will</h1>"), _MIRROR)
    assert page.title == "Wie Freenet Antennen-TV verkaufen will"


_LEAD = ("Der Bundestag hat am Donnerstag nach langer Debatte ein neues Gesetz zur Sicherheit "
         "kritischer Anlagen beschlossen.")


@pytest.mark.parametrize("above", ["Von Anna Schmidt, dpa", "By Anna Schmidt and Tom Lee",
                                   "Autor: Anna Schmidt, Berlin",
                                   "Veröffentlicht am 12. Juni 2024 um 10:15 Uhr"])
def test_a_byline_or_date_line_is_no_leading_headline(above: str) -> None:
    """A page with no title of its own: a byline or a date line opening its body has a
    headline's length and no full stop, and was taken for the title (before)."""
    assert leading_headline(f"{above}\n{_LEAD}") is None


def test_a_headline_under_a_date_line_is_still_found() -> None:
    headline = "Bundestag beschließt Gesetz zum Schutz kritischer Anlagen"
    assert leading_headline(f"12. Juni 2024\n{headline}\n{_LEAD}") == headline


_SPIEGEL_HEAD = ('<meta property="og:title" content="Bundeswehr: Pistorius will mehr Soldaten">'
                 '<meta property="og:site_name" content="DER SPIEGEL">'
                 "<title>Bundeswehr: Pistorius will mehr Soldaten - DER SPIEGEL</title>")
_SPIEGEL_H2 = ('<h2><span class="kicker">Bundeswehr</span> '
               '<span class="headline">Pistorius will mehr Soldaten</span></h2>')


@pytest.mark.parametrize(
    "h1", ["", "<h1>DER SPIEGEL</h1>", "<header><h1>Politik</h1></header>"],
    ids=["no-h1", "site-name-h1", "section-h1"],
)
def test_a_kicked_h2_is_the_headline_under_an_h1_of_the_site_or_its_section(h1: str) -> None:
    # Spiegel prints its headline as an h2 of a kicker and the headline; an h1 above it naming
    # the site ("DER SPIEGEL", which <title> also ends with) or the section must not stop the
    # h2 being read as the article's h1: the title is the headline without its kicker, as it
    # is on the page with no h1 at all.
    page = _page(_SPIEGEL_HEAD, h1 + _SPIEGEL_H2)
    url = "https://www.spiegel.de/politik/deutschland/bundeswehr-pistorius-will-mehr-soldaten-a-1.html"
    assert extract_page(page, url).title == "Pistorius will mehr Soldaten"


@pytest.mark.parametrize("h2", [
    '<h2 class="section">Wirtschaft</h2>', '<h2 class="site-logo">Landbote</h2>'])
def test_a_section_or_logo_h2_that_title_holds_as_a_part_is_no_headline(h2: str) -> None:
    """A page with no h1 whose header prints its section or its name as an h2 that
    ``<title>`` holds between separators ("Headline - Wirtschaft - Landbote"): the part is
    a label, not the headline an h2 may stand for (love-hina.ch's entry h2 has eight words)."""
    head = ("<title>Landrat kündigt neues Busnetz für den Kreis an - Wirtschaft - Landbote"
            "</title>")
    page = extract_page(_page(head, h2), "https://www.landbote.de/wirtschaft/busnetz-1.html")
    assert page.title == "Landrat kündigt neues Busnetz für den Kreis an"


def test_an_h1_beside_the_trail_in_a_wrapper_named_for_it_is_the_headline() -> None:
    """A WordPress theme's page header holds the trail and the article's own h1 in one
    element named for the trail: only an h1 that is an item of the trail's list is its."""
    head = ('<meta property="og:title" content="Neues Busnetz: Was sich für Pendler ändert">'
            "<title>Neues Busnetz: Was sich für Pendler ändert - Landbote</title>")
    header = ('<div class="ast-breadcrumbs-wrapper"><nav class="breadcrumbs"><ul>'
              '<li><a href="/">Start</a></li><li>Verkehr</li></ul></nav>'
              "<h1>Landrat kündigt neues Busnetz für den Kreis an</h1></div>")
    page = extract_page(_page(head, header), "https://www.landbote.de/verkehr/busnetz-1.html")
    assert page.title == "Landrat kündigt neues Busnetz für den Kreis an"


@pytest.mark.parametrize("tail", [", 17-Jun.-2024", ", 17 June 2024", ", Montag, 17. Juni 2024"])
def test_a_day_a_title_appends_after_a_comma_does_not_cut_the_others_short(tail: str) -> None:
    """NATO's and many institutions' ``<title>`` "Site - Section: Headline, 17-Jun.-2024":
    og:title and the h1 state the headline without the day, and are whole, not cut."""
    headline = "Secretary General welcomes new defence spending figures"
    head = (f"<title>NATO - News: {headline}{tail}</title>"
            f'<meta property="og:title" content="{headline}">')
    page = extract_page(_page(head, f"<h1>{headline}</h1>"),
                        "https://www.nato.int/cps/en/natohq/news_226465.htm")
    assert page.title == headline


def test_words_a_title_appends_after_a_comma_still_cut_the_others_short() -> None:
    """A comma and more words, not a day alone: og:title stopped short of the headline."""
    whole = "Allies agree on new defence plans, but funding stays open"
    head = (f"<title>{whole}</title>"
            '<meta property="og:title" content="Allies agree on new defence plans">')
    page = extract_page(_page(head, f"<h1>{whole}</h1>"), "https://www.example.org/news/1")
    assert page.title == whole


def test_an_icons_svg_title_is_no_word_of_the_kicked_h2() -> None:
    """SPIEGEL+ (fixture ``spiegel-plus.html``): the h2 opens with the paywall flag, an
    ``<svg>`` whose ``<title>`` "SPIEGEL+" names the icon; the page prints no such word, so
    kicker and headline still make og:title's "Kicker: Headline" and the title is the
    headline (it was og:title whole, kicker and all)."""
    h2 = ('<h2><span data-flag-name="Spplus-paid"><svg role="img"><title>SPIEGEL+</title>'
          '<use href="#spplus-flag"></use></svg></span>'
          '<span class="kicker">Bundeswehr</span> '
          '<span class="headline">Pistorius will mehr Soldaten</span></h2>')
    url = "https://www.spiegel.de/politik/deutschland/bundeswehr-pistorius-will-mehr-soldaten-a-1.html"
    assert extract_page(_page(_SPIEGEL_HEAD, h2), url).title == "Pistorius will mehr Soldaten"
