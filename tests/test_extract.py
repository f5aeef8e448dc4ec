from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from trafilatura.settings import Document

from crawler.extract import _Facts, discover_feeds, extract_page, strip_headlines, strip_site_name
from crawler.normalize import clean_body
from tests.conftest import read_jsonl, records_under, run_cli
from tests.sitesrv import SITE, FixtureSite, Route

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
        # TYPO3 with pageTitleFirst: the site's name after a colon.
        ("Sirenen werden getestet: Gemeinde Musterdorf", "Gemeinde Musterdorf",
         "Sirenen werden getestet"),
        ("Interview mit dem Landrat: Gemeinde muss sparen", "Gemeinde Musterdorf",
         "Interview mit dem Landrat: Gemeinde muss sparen"),
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
    # trafilatura's body, less the leading headline lines extract_page removes.
    assert page.text and (clean_body(doc.text) or "").endswith(page.text)


# The mission's seed: the feed's and the metadata's headline, and the page's second one.
SEED_TITLE = "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)"
SEED_VARIANT = "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)"


def _seed_pages() -> dict[str, bytes]:
    """The two seed pages, made from the fixture site's Putin articles: the first keeps its
    headline in the metadata and the h1 and restates it, reworded, as the body's first
    heading; the second has only its site's name for a title and starts its body with the
    reworded headline, under a kicker."""
    first = _page("/articles/de-putin-a.html").replace(
        'itemprop="articleBody">\n', f'itemprop="articleBody">\n<h2>{SEED_VARIANT}</h2>\n')
    second = _page("/articles/de-putin-b.html")
    second = second.replace(f"<h1 class=\"story-title\">{SEED_VARIANT}</h1>", "").replace(
        f"<title>{SEED_VARIANT} | Weltblick24</title>", "<title>Weltblick24</title>").replace(
        f'<meta property="og:title" content="{SEED_VARIANT}">', "").replace(
        '<div class="story-text">\n',
        f'<div class="story-text">\n<p><strong>{SEED_VARIANT}</strong></p>\n')
    assert first.count(SEED_VARIANT) == 1 and second.count(SEED_VARIANT) == 1
    return {"/seed/nato-putin.html": first.encode(), "/seed/weltblick.html": second.encode()}


def _seed_feed(site: FixtureSite, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{SEED_TITLE}</title><link>{site.url(path)}</link>"
        f"<guid isPermaLink=\"false\">{path}</guid>"
        "<pubDate>Sat, 07 Nov 2026 13:20:00 GMT</pubDate></item>" for path in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>seed</title><link>{site.base}/</link>{items}</channel></rss>").encode()


def _crawl_feed(site: FixtureSite, tmp_path: Path, path: str,
                feed: bytes) -> list[dict[str, Any]]:
    """The records of a crawl of the RSS ``feed``, served at ``path`` on ``site``."""
    site.routes[path] = Route(200, feed, {"Content-Type": "application/rss+xml; charset=utf-8"})
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "feed"\nurl = "{site.url(path)}"\n',
                       encoding="utf-8")
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                  "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    return records_under(tmp_path / "out")


def test_seed_records_do_not_start_their_text_with_a_headline_variant(
    fresh_site: FixtureSite, tmp_path: Path
) -> None:
    """End to end through a loopback feed: one page restates its headline, reworded, as the
    body's first heading; the other has no headline of its own and starts its body with the
    variant under a kicker. Neither record may start its text with the variant."""
    pages = _seed_pages()
    for path, body in pages.items():
        fresh_site.routes[path] = Route(200, body, {"Content-Type": "text/html; charset=utf-8"})
    records = _crawl_feed(fresh_site, tmp_path, "/seed/feed.rss",
                          _seed_feed(fresh_site, list(pages)))
    assert len(records) == len(pages)
    for record in records:
        assert record["title"] == "NATO: Wladimir Putin scheitert im Krieg in der Ukraine"
        assert SEED_VARIANT not in record["text"]
        assert record["text"].startswith(("Russlands Präsident", "Die NATO sieht")), record


def test_seed_records_scraped_from_a_sitemap_do_not_start_with_a_headline_variant(
    fresh_site: FixtureSite, tmp_path: Path
) -> None:
    """The one-off path: the seed pages listed in a sitemap, no feed title beside them. The
    page that has only its site's name for a title takes the headline its body starts with
    (under a kicker) as its title, and its text starts after it."""
    pages = _seed_pages()
    for path, body in pages.items():
        fresh_site.routes[path] = Route(200, body, {"Content-Type": "text/html; charset=utf-8"})
    locs = "".join(f"<url><loc>{fresh_site.url(path)}</loc></url>" for path in pages)
    fresh_site.routes["/seed/sitemap.xml"] = Route(200, (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{locs}</urlset>').encode(), {"Content-Type": "application/xml"})
    out = tmp_path / "records.jsonl"
    run = run_cli("scrape", fresh_site.url("/seed/sitemap.xml"), "-o", str(out),
                  "--output-dir", str(tmp_path / "o"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    records = read_jsonl(out)
    # The record's title without the media tag, as from the feed.
    assert sorted(r["title"] for r in records) == [
        SEED_VARIANT.removesuffix(" (VIDEO)"), SEED_TITLE.removesuffix(" (VIDEO)")]
    for record in records:
        assert SEED_VARIANT not in record["text"]
        assert record["text"].startswith(("Russlands Präsident", "Die NATO sieht")), record


def test_headline_variants_leave_the_body_and_a_lead_sentence_stays() -> None:
    lead = "Die NATO sieht Kremlchef Putin gescheitert."
    assert strip_headlines(f"Ukraine-Krieg\n{SEED_VARIANT}\n{lead}", [SEED_TITLE], "de") == lead
    lead = ("NATO: Wladimir Putin ist im Krieg in der Ukraine gescheitert, sagte der "
            "Generalsekretär der NATO am Donnerstag nach einem Treffen in Brüssel.\nMehr.")
    assert strip_headlines(lead, [SEED_TITLE], "de") == lead


@pytest.mark.parametrize("line", [
    "Posted on 4th December 2025 by admin", "6 min read·Feb 11, 2025",
    "Pressemitteilung vom 28.11.2025 – Nr. 41/2025", "Zuletzt aktualisiert: 04.03.2025, 18:10 Uhr",
    "12.08.2025", "Handball Schweiz • 02.02.2022",
])
def test_a_date_line_at_the_bodys_start_leaves_it_and_a_dated_lead_stays(line: str) -> None:
    """The header's date line left where the headline was taken away (or printed first);
    a lead sentence naming its day and place stays, and so does a byline without a day."""
    lead = ("Berlin, 12.06.2024 – Die Bundesregierung hat am Mittwoch neue Pläne für die "
            "Flugabwehr vorgestellt.")
    assert strip_headlines(f"{line}\n{lead}", [SEED_TITLE], "de") == lead
    assert strip_headlines(f"{SEED_VARIANT}\n{line}\n{lead}", [SEED_TITLE], "de") == lead
    assert strip_headlines(f"Von Anna Schmidt\n{lead}", [SEED_TITLE], "de") == (
        f"Von Anna Schmidt\n{lead}")
    short = "Am 12. Juni 2025 trafen sich die Minister."
    assert strip_headlines(f"{short}\n{lead}", [SEED_TITLE], "de") == f"{short}\n{lead}"


def test_a_headline_a_line_break_splits_leaves_the_body_in_both_its_lines() -> None:
    """``<h1>Bundeswehr plant neue Kaserne<br>am Stadtrand von Lindenau</h1>``: the body's
    extraction starts with two lines, the second too short to restate the title alone."""
    lead = ("Das Verteidigungsministerium hat am Mittwoch Pläne für einen Standort "
            "vorgestellt, der bis 2030 fertig sein soll.")
    title = "Bundeswehr plant neue Kaserne am Stadtrand von Lindenau"
    text = f"Bundeswehr plant neue Kaserne\nam Stadtrand von Lindenau\n{lead}"
    assert strip_headlines(text, [title], "de") == lead
    assert strip_headlines(f"{title}\n{lead}", [title], "de") == lead


def test_a_titles_first_sentence_alone_at_the_bodys_start_leaves_it() -> None:
    """A blog's title of two sentences whose first the theme prints again over the post:
    the line is the headline's, and the post's own first heading stays."""
    title = ("Ein Roman über den Hafen – jetzt auch als Hörbuch. Die Autorin liest selbst, "
             "und man hört ihr gern zu")
    rest = "Hören Sie Hörbücher?\nJa? Dann sollten Sie dieses nicht verpassen."
    text = f"Ein Roman über den Hafen – jetzt auch als Hörbuch\n{rest}"
    assert strip_headlines(text, [title], "de") == rest
    assert strip_headlines(f"Ein Roman über\n{rest}", [title], "de") == f"Ein Roman über\n{rest}"


def test_a_headline_after_its_kicker_in_one_line_leaves_the_body() -> None:
    """The Bundestag's "heute im bundestag" prints kicker, day and number in the h1 before
    the headline, and the body's extraction starts with the h1 whole: that line is the
    headline's. A lead sentence ending with the title's words after many more stays."""
    title = "Regierung: Beschaffung von Munition beschleunigt"
    lead = "Die Bundesregierung will die Beschaffung von Munition für die Bundeswehr beschleunigen."
    line = f"Verteidigung/Antwort - 14.06.2024 (hib 412/2024) {title}"
    assert strip_headlines(f"{line}\n{lead}", [title], "de") == lead
    long_line = f"Nach einer Anfrage der Fraktion im Ausschuss teilte die Regierung mit: {title}"
    assert strip_headlines(f"{long_line}\n{lead}", [title], "de") == f"{long_line}\n{lead}"


def test_a_headline_glued_to_the_text_after_it_leaves_the_body() -> None:
    """A short page's text as trafilatura gives it may be one line, header and body
    (fixture ``zdf-politbarometer.html``; swap-stop.org's "Zusammenarbeit Shuji ./. Walter
    April 2018 I Posted 11. April 2018 ..."): the title it opens with goes. A lead going on
    in lower case after the title's words, or a title of three words, stays."""
    title = "ZDF-Politbarometer: Mehrheit für neuen Wehrdienst"
    rest = "Datum: 13.06.2025 12:00 Uhr Eine Mehrheit der Deutschen unterstützt den Wehrdienst."
    assert strip_headlines(f"{title} {rest}", [title], "de") == rest
    lead = f"{title} mit 58 Prozent, so das Ergebnis der Umfrage."
    assert strip_headlines(lead, [title], "de") == lead
    short = "Pistorius besucht Litauen Der Minister traf am Montag in Vilnius ein."
    assert strip_headlines(short, ["Pistorius besucht Litauen"], "de") == short


def test_a_headline_in_a_table_cell_after_its_time_of_day_leaves_the_body() -> None:
    """An old blog engine's post title in a table row after the time it was posted, as
    trafilatura writes a table's cells: the row is the headline's."""
    rest = "| Am Freitag waren wir zu dritt am Kanal hinter der Schleuse. |"
    text = f"| 9:12 PM Nachtangeln am Kanal |\n{rest}"
    assert strip_headlines(text, ["Nachtangeln am Kanal"], "de") == rest
    assert strip_headlines(f"| 21:12 Nachtangeln am Kanal |\n{rest}", ["Nachtangeln am Kanal"],
                           "de") == rest


def _article(head: str, h1: str | None = None, body: str = "") -> str:
    """A German article page: ``head``'s markup, ``body``'s before the article, whose h1 is
    ``h1`` (none when ``None``) above six paragraphs."""
    paragraph = "<p>Die Verteidigungsminister berieten in Brüssel über die Luftverteidigung.</p>"
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return (f'<html lang="de"><head><meta charset="utf-8">{head}</head><body>{body}<article>'
            f"{heading}{paragraph * 6}</article></body></html>")


@pytest.mark.parametrize(
    ("head", "h1", "url", "title"),
    [
        # og:title cut at a quote; the whole headline is in <title>.
        ('<meta property="og:title" content="Senador republicano califica a Biden de">'
         '<meta property="og:site_name" content="El Universal">'
         '<title>Senador republicano califica a Biden de "incapacitado" | El Universal</title>',
         None, "https://www.eluniversal.com/internacional/1/senador",
         'Senador republicano califica a Biden de "incapacitado"'),
        # JSON-LD headline cut with an ellipsis; the h1 and <title> agree on the whole one.
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
         '"Hong Kong leader should study Tsai...", "datePublished": "2020-01-14"}</script>'
         "<title>Hong Kong leader should study Tsai playbook | South China Morning Post</title>",
         "Hong Kong leader should study Tsai playbook", "https://www.scmp.com/a",
         "Hong Kong leader should study Tsai playbook"),
        # A logo h1 and a blog's <title> that starts with the site's name (the host's).
        ("<title>Four Years Remaining » Blog Archive » Interning of Small Integers</title>",
         "Four Years Remaining", "http://fouryears.eu/2019/10/21/interning/",
         "Interning of Small Integers"),
        # A wrong og:site_name (the headline); the host names the site.
        ('<meta property="og:title" content="Bürgerbeteiligung für Windpark Steinheim | EnBW">'
         '<meta property="og:site_name" content="Bürgerbeteiligung für Windpark Steinheim">'
         '<meta name="twitter:title" content="Geldanlage: Bürgerbeteiligung am Windpark">'
         "<title>Bürgerbeteiligung für Windpark Steinheim | EnBW</title>",
         "Geldanlage: Bürgerbeteiligung am Windpark", "https://www.enbw.com/presse/windpark",
         "Geldanlage: Bürgerbeteiligung am Windpark"),
        # Three declarations agree on the headline with its kicker; JSON-LD alone drops it.
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
         '"Musik-Stars fordern neues Streaming-Modell"}</script>'
         '<meta property="og:title" content="Abrechnung: Musik-Stars fordern neues '
         'Streaming-Modell"><title>Abrechnung: Musik-Stars fordern neues Streaming-Modell'
         "</title>", "Abrechnung: Musik-Stars fordern neues Streaming-Modell",
         "https://www.faz.net/a", "Abrechnung: Musik-Stars fordern neues Streaming-Modell"),
        # A site name in brackets, a timestamp the CMS appends.
        ('<meta property="og:title" content="Kein Geld mehr für die Miete (neues deutschland)">'
         "<title>Kein Geld mehr für die Miete : 31.10.2023, 10.19 Uhr</title>",
         None, "https://www.nd-aktuell.de/a", "Kein Geld mehr für die Miete"),
        # No two agree: the article's h1 over the social and the search engines' rewordings.
        ("<meta property=\"og:title\" content=\"What we learned from Harry and Meghan's "
         "explosive interview\"><title>11 things we learned from Meghan and Harry's interview"
         " - CNN</title>", "The royal split, racism and family struggles: 11 things we "
         "learned from Harry and Meghan's explosive interview",
         "https://edition.cnn.com/2021/03/08/uk/recap", "The royal split, racism and family "
         "struggles: 11 things we learned from Harry and Meghan's explosive interview"),
        # A section heading for h1 shares no word with the page or its URL; the <title>'s
        # headline, cut with an ellipsis and with nothing whole beside it, does.
        ("<title>Das Ministerium für Club-Kultur informiert… | Die PARTEI Lübeck</title>",
         "Neuigkeiten", "https://die-partei.net/luebeck/2012/05/31/das-ministerium-fur-club-"
         "kultur-informiert/", "Das Ministerium für Club-Kultur informiert…"),
    ],
    ids=["og-cut", "ld-ellipsis", "logo-h1", "wrong-site-name", "agreement", "tails",
         "editorial", "section-h1"],
)
def test_title_is_the_candidate_the_page_agrees_on(head: str, h1: str | None, url: str,
                                                   title: str) -> None:
    assert extract_page(_article(head, h1), url).title == title


def test_a_page_with_only_its_site_name_for_a_title_has_no_title() -> None:
    head = '<meta property="og:site_name" content="Weltblick24"><title>Weltblick24</title>'
    assert extract_page(_article(head), "https://weltblick24.example/a").title is None


def test_an_edit_stamp_is_not_the_publication_date() -> None:
    """Reuters' pattern: JSON-LD and og:article:published_time say the 19th, the edit
    stamps (dateModified, sailthru.date) the 20th, and htmldate reads the edit's day."""
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Parasite '
            'scores upset at SAG awards", "datePublished": "2020-01-19T12:25:36Z", '
            '"dateModified": "2020-01-20T09:49:32Z"}</script>'
            '<meta name="sailthru.date" content="2020-01-20T09:49:32Z">'
            '<meta name="revision_date" content="2020-01-20T09:49:32Z">'
            '<meta property="og:article:published_time" content="2020-01-19T12:25:36Z">'
            '<meta property="og:article:modified_time" content="2020-01-20T09:49:32Z">')
    page = extract_page(_article(head), "https://www.reuters.com/article/us-awards-sag/x")
    assert page.published == "2020-01-19T12:25:36Z"


def test_an_unreadable_zone_in_an_edit_stamp_is_no_warning() -> None:
    """Salon's dateModified "2020-01-10T00:59:47ZZ": dateutil warns of the zone (an error
    under this suite's warning filter); the page still gets its publication date."""
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "US '
            'emissions dipped in 2019", "datePublished": "2020-01-10T09:00:04Z", '
            '"dateModified": "2020-01-10T00:59:47ZZ"}</script>')
    page = extract_page(_article(head), "https://www.salon.com/2020/01/10/emissions/")
    assert page.published == "2020-01-10T09:00:04Z"


def test_a_time_marked_as_the_publication_gives_the_time_of_day() -> None:
    """No metadata but a ``<time itemprop="datePublished">`` in the article's header: its
    timestamp, not htmldate's bare day (a sidebar's <time> is not read)."""
    markup = _article("", "Bundeswehr erhält neue Luftverteidigung").replace(
        "<article>", '<article><time itemprop="datePublished" '
        'datetime="2024-03-05T14:20:00+01:00">5. März 2024</time>').replace(
        "</article>", '</article><aside><time datetime="2024-03-09T08:00:00+01:00">9. März'
        "</time></aside>")
    page = extract_page(markup, "https://www.example.de/politik/luftverteidigung")
    assert page.published == "2024-03-05T13:20:00Z"


def test_the_articles_h1_writes_the_headline_not_the_logos() -> None:
    """Attac's page: a logo h1 in the site's header, the article's h1 with the curly
    apostrophe, og:title flattened to ASCII. The headline is written as the article's h1."""
    head = ("<meta property=\"og:title\" content=\"Les privatisations sont au profit d'intérêts "
            "privés\"><title>Les privatisations sont au profit d'intérêts privés - Attac</title>")
    markup = _article(head, "Les privatisations sont au profit d’intérêts privés").replace(
        "<body>", "<body><header><h1>Attac France<span>L’action citoyenne</span></h1></header>")
    page = extract_page(markup, "https://france.attac.org/a")
    assert page.title == "Les privatisations sont au profit d’intérêts privés"


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


def test_a_header_time_line_and_a_headline_under_a_deck_leave_the_body() -> None:
    """kyffhaeuser-nachrichten.de's body starts "Di, 10:19 Uhr", the date, a kicker, then the
    headline (its fourth line: past the three searched); vancouversun.com's and
    creativecommons.at's print the headline under a deck or a site's blurb longer than a
    kicker. The headline goes; the deck stays (it may be the lead), and so does a line that
    only shares the headline's words."""
    title = "So viel Regen gab es lange nicht"
    lead = "Das Wetter eignet sich ja bekanntermaßen exzellent dazu, Konversation zu beleben."
    assert strip_headlines(f"Di, 10:19 Uhr\n31.10.2023\nLass uns übers Wetter reden\n{title}\n"
                           f"{lead}", [title], "de") == lead
    deck = ("Der Oktober brachte so viel Regen wie seit zwanzig Jahren nicht und eine äußerst "
            "milde Witterung")
    assert strip_headlines(f"{deck}\n{title}\n{lead}", [title], "de") == f"{deck}\n{lead}"
    assert strip_headlines(f"{deck}\n{lead}\n{title}", [title], "de") == f"{deck}\n{lead}"
    later = f"{deck}\n{lead}\nNoch mehr Regen\nMehr.\n{title}"
    assert strip_headlines(later, [title], "de") == later
