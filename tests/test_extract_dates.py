"""Publication dates: the header's date line, its labels, and the sitemap's dates.

Each page here is a small copy of a real page's pattern (named in the test's docstring) from
``shared/data/pages``, where htmldate or the page's metadata gave another day than the one
the page shows its reader.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.extract import extract_page
from crawler.extract.daytext import days_in, slash_order
from tests.conftest import read_jsonl, run_cli
from tests.sitesrv import FixtureSite, Route

_BODY = "<p>Die Verteidigungsminister berieten in Brüssel über die Luftverteidigung.</p>" * 6


def _page(head: str, article: str, after: str = "", lang: str = "de") -> str:
    return (f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
            f"<article>{article}</article>{after}</body></html>")


def test_the_date_line_under_the_headline_beats_a_generic_meta_date() -> None:
    """neues deutschland: ``<meta name="date">`` (and htmldate with it) a day late; the
    header's date line "29.04.2020, 12:01 Uhr" is the day readers see."""
    markup = _page('<meta name="date" content="2020-04-30" scheme="YYYY-MM-DD">',
                   '<h1>Mietenstreik in den USA</h1><ul class="Infoline"><li class="Author">'
                   'Von Moritz Wichmann</li><li class="Date"><time>29.04.2020, 12:01 Uhr'
                   f"</time></li></ul>{_BODY}",
                   '<div class="Dateline"><time>30.04.2020</time></div>')
    page = extract_page(markup, "https://www.example.de/artikel/1136087.mietenstreik.html")
    assert page.published == "2020-04-29T00:00:00Z"


def test_a_readers_comment_is_not_the_publication_date() -> None:
    """regards.fr: no metadata; the byline "| 30 septembre 2018" under the headline, and
    comments whose ``<abbr class="date">`` htmldate took for the article's."""
    comments = "".join(
        f'<li class="forum-fil comment"><abbr class="date" title="{stamp}">Le {text}</abbr>'
        "<p>Un commentaire sur l'article.</p></li>"
        for stamp, text in (("2018-09-11T10:57:27Z", "11 septembre 2018 à 12:57"),
                            ("2019-09-13T20:30:51Z", "13 septembre 2019 à 22:30")))
    body = "<p>Les macronistes confrontés à la justice sont déjà vingt, selon le décompte.</p>"
    markup = _page("", '<div class="header"><h1>Deux ans et demi en Macronie</h1>'
                   '<span class="-meta">Par Loïc Le Clerc | 30 septembre 2018</span></div>'
                   f"{body * 6}", f'<ul class="forum">{comments}</ul>', lang="fr")
    page = extract_page(markup, "http://www.example.fr/politique/article/deux-ans")
    assert page.published == "2018-09-30T00:00:00Z"


def test_a_date_line_over_the_headline_counts_and_a_sidebar_above_does_not() -> None:
    """derpapierplanet.de, jungle.world, zdh.de: the date line sits over the h1, in the
    header's block; a blog's list of recent posts further up has dates of its own."""
    recent = ('<aside class="recent"><ul><li><span class="date">18. Januar 2019</span> '
              "Ein anderer Beitrag</li></ul></aside>")
    markup = _page('<meta name="date" content="2015-06-09">',
                   '<header><div class="date-header">5. Juni 2015</div><h1>Through Books</h1>'
                   f"</header>{_BODY}").replace("<article>", f"{recent}<article>")
    url = "https://www.example.de/through-books/"
    assert extract_page(markup, url).published == "2015-06-05T00:00:00Z"
    without = markup.replace('<div class="date-header">5. Juni 2015</div>', "")
    assert extract_page(without, url).published == "2015-06-09T00:00:00Z"


def test_an_update_line_and_dates_in_the_body_are_not_the_publication() -> None:
    """blinker.de: "Aktualisiert am 21.01.2022" beside the publication's "11.01.2022", and
    an event's date in the first sentence; hrjournal.de: ``class="updated"`` before
    ``class="published"``. A WordPress container's "status-publish" marks neither."""
    markup = _page("", '<h1>Fishing Masters Show 2022</h1><p>Der Termin steht fest: Am 21. '
                   "und 22. Mai 2022 dreht sich im IGA Park alles ums Angeln.</p>"
                   '<div class="meta"><time class="updated" datetime="2022-01-21T11:39:21+01:00">'
                   "Aktualisiert am 21.01.2022</time> <time class=\"entry-date published\" "
                   'datetime="2022-01-11T09:50:50+01:00">11.01.2022, 09:50 Uhr</time></div>'
                   f"{_BODY}").replace("<article>", '<article class="post status-publish">')
    page = extract_page(markup, "https://www.example.de/news/fishing-masters-show")
    assert page.published == "2022-01-11T08:50:50Z"


def test_a_date_in_a_sentence_under_the_headline_is_no_date_line() -> None:
    """strafprozess.ch: a court ruling "vom 24.01.2020" in the lead, inside a WordPress
    article ("status-publish"); the page's publication is its metadata's 4 February."""
    lead = ("<p>Das Bundesgericht kassiert ein Urteil des Kantonsgerichts GE (<a>BGer "
            "6B_1224/2019</a> vom 24.01.2020, Fünferbesetzung), das den Beamten freisprach.</p>")
    markup = _page('<meta property="article:published_time" content="2020-02-04T13:15:08Z">',
                   f"<h1>Rasende Polizisten</h1>{lead}{_BODY}").replace(
        "<article>", '<article class="post type-post status-publish hentry">')
    page = extract_page(markup, "https://www.example.ch/rasende-polizisten/")
    assert page.published == "2020-02-04T13:15:08Z"


def test_a_date_labelled_as_the_publication_counts_wherever_it_stands() -> None:
    """sonntag-sachsen.de: the site's header shows today's date, far above the headline
    (htmldate took it); the article's info box below the text says "VERÖFFENTLICHT AM
    07.06.2019". A reader's "Posted on" in the comments is not the article's."""
    markup = _page("", f"<h1>Emanuel Scobel wird Thomanerchor-Geschäftsführer</h1>{_BODY}"
                   '<div class="widget_articel_info"><strong>Quelle</strong><br>'
                   "VERÖFFENTLICHT AM 07.06.2019</div>",
                   '<ol class="comments"><li>Posted on 05.06.2019</li></ol>').replace(
        "<body>", '<body><ul class="menu"><li class="first leaf date"><strong>Montag, '
        "09.12.2019</strong></li></ul>")
    page = extract_page(markup, "https://www.example.de/emanuel-scobel-wird-geschaeftsfuehrer")
    assert page.published == "2019-06-07T00:00:00Z"


def test_a_press_releases_description_names_its_day() -> None:
    """parcoabruzzo.it: no date on the page but its description's "(Notizia del 14 Gennaio
    2020)"; htmldate read the release's number "n. 03/2020" as 1 March."""
    head = ('<meta name="description" content="ORSO MARSICANO: 2019 UN ANNO DA RECORD '
            '(Notizia del 14 Gennaio 2020)">')
    body = "<p>Il 2019 è stato un anno da record per l'orso marsicano nel Parco.</p>" * 6
    markup = _page(head, f"<h1>ORSO MARSICANO: 2019 UN ANNO DA RECORD</h1>{body}"
                   "<p>Comunicato Stampa n. 03/2020</p>", lang="it")
    page = extract_page(markup, "http://www.example.it/dettaglio.php?id=58354")
    assert page.published == "2020-01-14T00:00:00Z"


def test_a_publication_named_mid_sentence_is_another_publications() -> None:
    """"A study published on 5 March 2020" in the body dates the study, not the article."""
    body = ("<p>Researchers said on Monday that the alliance's air defence needs new radars."
            "</p>") * 6
    markup = _page('<meta property="article:published_time" content="2020-03-09T10:00:00Z">',
                   f"<h1>Air defence gaps</h1>{body}<p>A study published on 5 March 2020 in "
                   "the journal found the gaps.</p>", lang="en")
    page = extract_page(markup, "https://www.example.com/air-defence-gaps")
    assert page.published == "2020-03-09T10:00:00Z"


def test_a_declaration_that_reads_both_ways_is_read_as_the_page_backs_it() -> None:
    """El Universal: ``article:published_time`` "10/05/2022 05:22 pm" (dateutil: 5 October),
    modified "2022/05/10 17:36:11": the publication is 10 May, written as the page has it."""
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
          '"10/05/2022 05:22 pm", "dateModified": "2022/05/10 17:36:11"}</script>')
    markup = _page(f'<meta property="article:published_time" content="10/05/2022 05:22 pm">'
                   f'<meta property="article:modified_time" content="2022/05/10 17:36:11">{ld}',
                   f"<h1>Senador republicano califica a Biden de incapacitado</h1>{_BODY}",
                   lang="es")
    page = extract_page(markup, "https://www.example.com/internacional/125703/senador")
    assert (page.published, page.published_raw) == ("2022-05-10T17:22:00Z",
                                                     "10/05/2022 05:22 pm")



@pytest.mark.parametrize("own", ['<meta property="og:url" content="{}">',
                                 '<link rel="canonical" href="{}">'])
def test_a_page_served_from_loopback_keeps_its_permalinks_day(own: str) -> None:
    """befifty.de: the permalink /2017/7/12/ and htmldate name the day; JSON-LD and
    ``article:published_time`` agree on a later republication. Served from a URL that names
    no site (a one-off scrape of a local mirror), the day comes from the page's own URL as
    from the real one (before: the republication's)."""
    permalink = "https://www.example.de/home/2017/7/12/unter-uns-montauk"
    markup = _page(own.format(permalink) + '<script type="application/ld+json">'
                   '{"@type": "BlogPosting", "datePublished": "2019-06-17T18:28:00+0200"}'
                   '</script><meta property="article:published_time" '
                   'content="2019-06-17T18:28">',
                   f"<h1>Das vielleicht schönste Ende der Welt</h1>{_BODY}")
    for url in (permalink, "http://127.0.0.1:8000/pages/montauk.html"):
        assert extract_page(markup, url).published == "2017-07-12T00:00:00Z", url


@pytest.mark.parametrize(("line", "day"), [("20. Juli 2019", "2019-07-15"),
                                            ("10. Juli 2019", "2019-07-10")])
def test_the_urls_day_wins_only_over_a_later_date_line(line: str, day: str) -> None:
    """A permalink's /2019/07/15/ outranks a date line showing a later day (a
    republication), as the module says; an earlier date line stands (before: the URL's day
    won both ways)."""
    markup = _page("", f'<h1>Haushalt beschlossen</h1><p class="date">{line}</p>{_BODY}')
    page = extract_page(markup, "https://example.de/2019/07/15/haushalt-beschlossen")
    assert page.published == f"{day}T00:00:00Z"


@pytest.mark.parametrize(("text", "days"), [
    ("29.04.2020, 12:01 Uhr", ["2020-04-29"]),
    ("Monday, 6 January 2020", ["2020-01-06"]),
    ("January 17, 2020 9:00AM", ["2020-01-17"]),
    ("Notizia del 14 Gennaio 2020", ["2020-01-14"]),
    ("6 de mayo de 2022", ["2022-05-06"]),
    ("jeudi 13 juin 2019", ["2019-06-13"]),
    ("23.09.22", ["2022-09-23"]),
    # A day or month of one digit and a two-digit year: a date beside a weekday or a time of
    # day, a version number alone ("Version 2.1.24").
    ("Sa., 6.9.25, 14:03 Uhr", ["2025-09-06"]), ("Freitag, 5.9.25", ["2025-09-05"]),
    ("am 6.9.25 um 14.03 Uhr", ["2025-09-06"]), ("6.9.25", []), ("Version 2.1.24", []),
    ("17/02/2020 and 12/31/2020", ["2020-02-17", "2020-12-31"]),
    # No space after the day's dot, an abbreviated month with its dot and no space after it;
    # year first with slashes or dots; day first with dashes.
    ("6.Dezember 2024 | 06.Dez.2024", ["2024-12-06", "2024-12-06"]),
    ("2024/06/12, 2024.06.13", ["2024-06-12", "2024-06-13"]),
    ("17-02-2020", ["2020-02-17"]), ("06-12-2020", []), ("Tel. 0511-12-2020", []),
    # A month's name between dashes; "of" between day and month.
    ("12-Jun-2024 | 12th of June 2024", ["2024-06-12", "2024-06-12"]),
    # Austrian months and their abbreviations; German "Mrz." for March.
    ("15. Jänner 2025 | 15 Jän 2025 | 15.Jän.2025 | 6. Feber 2025",
     ["2025-01-15", "2025-01-15", "2025-01-15", "2025-02-06"]),
    ("6. Mrz. 2025", ["2025-03-06"]),
    # Duden's abbreviations of the German months: "Febr." beside "Jan.", "Sept.", "Okt.".
    ("19. Febr. 2025, 17:42 Uhr | 19. Febr 2025", ["2025-02-19", "2025-02-19"]),
    # Reads both ways; a version number; a day that does not exist; a day far ahead.
    ("03/04/2020", []), ("Version 1.5.17", []), ("31.02.2020", []), ("1. Mai 2999", []),
])
def test_days_are_read_in_the_pages_languages_and_never_guessed(text: str,
                                                                 days: list[str]) -> None:
    assert [day for day, _ in days_in(text)] == days


@pytest.mark.parametrize(("text", "days"), [
    # Drupal's default medium format, month first: Friday is 3 May 2024 (5 March a Tuesday).
    ("Verfasst von jana am Fr, 05/03/2024 - 14:12", ["2024-05-03"]),
    ("Friday, 05/03/2024", ["2024-05-03"]), ("FRI 05/03/2024", ["2024-05-03"]),
    # Day first where the weekday says so; in Spanish too.
    ("Di., 05/03/2024", ["2024-03-05"]), ("martes 05/03/2024", []), ("Martes 05/03/2024",
                                                                      ["2024-03-05"]),
    # A weekday neither reading falls on; a lower-case word ("so"); a month's abbreviation.
    ("Mo, 05/03/2024", []), ("so 05/03/2024", []), ("Mar 05/03/2024", []),
])
def test_a_date_reading_both_ways_is_read_the_way_its_weekday_falls(text: str,
                                                                   days: list[str]) -> None:
    """Before, each of these was no date: the weekday written beside it was not read."""
    assert [day for day, _ in days_in(text)] == days


@pytest.mark.parametrize(("page", "order", "day"), [
    # The page's other slashed dates read one way only: month first, day first.
    ("Published: 05/03/2024 ... comment 05/14/2024 at 9:12 am", "mdy", "2024-05-03"),
    ("Published: 05/03/2024 ... comment 14/05/2024 at 9:12", "dmy", "2024-03-05"),
    # None reads one way only; they disagree: no order, no date.
    ("Published: 05/03/2024 ... 06/04/2024", None, None),
    ("Published: 05/03/2024 ... 05/14/2024 and 14/05/2024", None, None),
])
def test_a_date_reading_both_ways_is_read_in_the_order_the_page_writes_others(
        page: str, order: str | None, day: str | None) -> None:
    """Before, a date that reads both ways was no date whatever else the page wrote."""
    assert slash_order(page) == order
    assert [d for d, _ in days_in("Published: 05/03/2024", order=slash_order(page))] == \
        ([day] if day else [])


@pytest.mark.parametrize(("text", "days"), [
    ("Mittwoch, 11. Juni, 14:03 Uhr", [("2025-06-11", "11. Juni")]),
    ("6 min read · Jun 12", [("2025-06-12", "Jun 12")]),
    # After the base day in its year: the year before. A year written: that year.
    ("Dec 24", [("2024-12-24", "Dec 24")]), ("12. Juni 2014", [("2014-06-12", "12. Juni 2014")]),
    # A verb before a number; a month and a year with no day.
    ("we may 5 times", []), ("Juni 2025", []),
])
def test_a_day_without_its_year_is_read_against_a_day_the_page_states(
        text: str, days: list[tuple[str, str]]) -> None:
    """Sites print the year only for past years ("12. Juni, 14:03 Uhr"); without a day of
    the page's own (a declaration, the URL's) to read it against, it is no date."""
    assert days_in(text, date(2025, 6, 20)) == days
    assert days_in(text) == [day for day in days if day[1][-4:].isdigit()]


@pytest.mark.parametrize(("text", "base", "days"), [
    # The base is a UTC stamp's day; the header the publisher's, a day later after midnight.
    ("12. Juli, 00:40 Uhr", date(2024, 7, 11), [("2024-07-12", "12. Juli")]),
    # Days after the page's own, within a month: its update, not last year's day.
    ("Jun 12", date(2024, 6, 10), []), ("Aug 10", date(2024, 7, 10), []),
    # Further after: last year's. Across New Year: the old year's.
    ("Sep 30", date(2024, 7, 10), [("2023-09-30", "Sep 30")]),
    ("Dec 30", date(2025, 1, 3), [("2024-12-30", "Dec 30")]),
])
def test_a_yearless_day_just_after_the_pages_own_is_not_last_years(
        text: str, base: date, days: list[tuple[str, str]]) -> None:
    assert days_in(text, base) == days


@pytest.mark.parametrize(("head", "article", "published"), [
    # dateutil and the email parser add a century to a four-digit year below 100 as to "01".
    ('<meta name="date" content="June 12, 0001">', "", "0001-06-12T00:00:00Z"),
    ('<meta name="date" content="Tuesday, June 12, 0001 10:00 AM">', "",
     "0001-06-12T10:00:00Z"),
    # htmldate reads a <time> of year 1 as 2001; nothing else of the page dates it.
    ("", '<time datetime="0001-06-12T10:00:00+02:00">12.06.0001</time>', None),
    ("", '<p class="date">12.06.0001</p>', None),
    # A year 0 no datetime holds: no date.
    ('<meta name="date" content="June 12, 0000">', "", None),
    # A year alone: dateutil took the month and day from today, a date invented.
    ('<meta name="date" content="0001">', "", None),
], ids=["dateutil", "dateutil-with-time", "htmldate", "htmldate-date-line", "year-0",
        "year-alone"])
def test_a_page_dated_in_year_one_is_not_dated_2001(head: str, article: str,
                                                     published: str | None) -> None:
    markup = _page(f"<title>Ein Titel hier</title>{head}",
                   f"<h1>Ein Titel hier</h1>{article}{_BODY}")
    assert extract_page(markup, "https://example.de/artikel").published == published


def _listed(site: FixtureSite) -> str:
    """A sitemap whose dates are not its pages' own: a dated page with a later ``<lastmod>``,
    a dated page whose ``news:publication_date`` is a re-listing's stamp, an undated page."""
    undated = ("<html><head><title>Marine erhält neue Fregatten</title></head><body><article>"
               f"<h1>Marine erhält neue Fregatten</h1>{_BODY}</article></body></html>")
    site.routes["/articles/undated.html"] = Route(200, undated.encode(),
                                                  {"Content-Type": "text/html"})
    news = ("<news:news><news:publication><news:name>Journal</news:name><news:language>de"
            "</news:language></news:publication><news:publication_date>2026-11-30T07:00:00Z"
            "</news:publication_date><news:title>Neuer Wehrdienst</news:title></news:news>")
    urls = (("/articles/en-iran-enrichment.html", "<lastmod>2026-12-01T08:00:00Z</lastmod>"),
            ("/articles/de-wehrdienst.html", news),
            ("/articles/undated.html", "<lastmod>2026-11-20T10:00:00Z</lastmod>"))
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
               'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               + "".join(f"<url><loc>{site.url(path)}</loc>{dates}</url>"
                         for path, dates in urls) + "</urlset>")
    site.routes["/sitemaps/listed.xml"] = Route(200, sitemap.encode(),
                                                {"Content-Type": "application/xml"})
    return site.url("/sitemaps/listed.xml")


def _scraped(url: str, tmp_path: Path, *options: str,
             field: str = "published") -> dict[str, str | None]:
    out = tmp_path / "records.jsonl"
    run = run_cli("scrape", url, "-o", str(out), "--output-dir", str(tmp_path / "o"), *options,
                  cwd=tmp_path)
    assert run.code == 0, run.stderr
    return {r["url"].rsplit("/", 1)[-1]: r[field] for r in read_jsonl(out)}


def test_a_sitemaps_dates_give_way_to_the_pages_own(fresh_site: FixtureSite,
                                                     tmp_path: Path) -> None:
    """A sitemap's ``<lastmod>`` (the page's last change) and ``news:publication_date`` (here
    a re-listing's stamp) were the records' dates over the pages' own; the publication date
    stands only for a page that shows and declares none, the ``<lastmod>`` never (before,
    the undated page was published on its ``<lastmod>``'s day)."""
    assert _scraped(_listed(fresh_site), tmp_path) == {
        "en-iran-enrichment.html": "2026-11-02T09:30:00Z",
        "de-wehrdienst.html": "2026-11-12T16:20:00Z",
        "undated.html": None}


def test_a_sitemaps_lastmod_is_the_records_update(fresh_site: FixtureSite,
                                                  tmp_path: Path) -> None:
    """A lone ``<lastmod>`` is carried as the record's ``updated`` (before: none, and the
    undated page's ``published``); a news entry's ``<lastmod>`` is so already."""
    assert _scraped(_listed(fresh_site), tmp_path, field="updated") == {
        "en-iran-enrichment.html": "2026-12-01T08:00:00Z", "de-wehrdienst.html": None,
        "undated.html": "2026-11-20T10:00:00Z"}


def test_a_sitemap_entry_is_kept_in_the_window_by_its_pages_date(fresh_site: FixtureSite,
                                                                 tmp_path: Path) -> None:
    """``--since``: a sitemap lists the entries by their recent stamps, so they are fetched;
    the pages published before the window are then left out by their own dates (before, they
    were written, dated before ``--since``); an undated page stays in."""
    assert _scraped(_listed(fresh_site), tmp_path, "--since", "2026-11-15") == {
        "undated.html": None}


def _published_under_h1(header: str, declared: str) -> str | None:
    """``published`` of a page whose h1 has ``header`` under it and whose JSON-LD declares
    ``declared``."""
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished":'
          f' "{declared}"}}</script>')
    body = "Der Landtag hat am Mittwoch über die Ausstattung der Feuerwehren beraten. " * 4
    markup = (f'<html lang="de"><head><title>Neue Sirenen</title>{ld}</head><body><article>'
              f"<h1>Neue Sirenen für alle Ortsteile</h1>{header}<p>{body}</p></article>"
              f"</body></html>")
    return extract_page(markup, "https://www.example.de/sirenen").published


@pytest.mark.parametrize("label", [
    "Letzte Änderung: 14.02.2025", "Zuletzt bearbeitet am 14.02.2025",
    "Korrigiert am 14.02.2025", "Ergänzt am 14.02.2025, 10:00 Uhr",
    "Last edited 14 February 2025", "Revised: February 14, 2025"])
def test_an_edit_labelled_by_a_cms_is_not_the_publication(label: str) -> None:
    """Under the h1 a CMS's edit label and its day; JSON-LD declares the 12th."""
    assert _published_under_h1(f"<p>{label}</p>", "2025-02-12T10:00:00+01:00") == \
        "2025-02-12T09:00:00Z"


def test_a_date_line_indented_in_the_markup_is_read_as_the_short_line_it_shows() -> None:
    """"04.02.2022 | 15:33 Uhr |" under the h1, its text node padded with the template's
    indentation to over 40 characters: a line of its own as shown, not a sentence."""
    line = "\n                04.02.2022 | 15:33 Uhr\n                    |"
    assert len(line.strip()) > 40
    header = f'<p><strong class="autor">{line} <a>Jana Beispiel</a></strong></p>'
    assert _published_under_h1(header, "2021-12-14T15:41:07+01:00") == "2022-02-04T00:00:00Z"


@pytest.mark.parametrize("head", [
    '<meta property="article:modified_time" content="2025-03-18T13:54:00+00:00">',
    '<script type="application/ld+json">{"@type": "WebPage", "dateModified": '
    '"2025-03-18T13:54:00+00:00"}</script>',
])
def test_a_page_that_declares_only_its_edit_has_no_publication_date(head: str) -> None:
    """A WordPress static page (Yoast writes ``article:modified_time`` and a WebPage's
    ``dateModified`` for pages, no publication): htmldate reads the edit's day, which is no
    publication's (before: 2025-03-18)."""
    markup = _page(head, f"<h1>Hochwasserschutz in Lindenau</h1>{_BODY}")
    assert extract_page(markup, "https://www.bi-lindenau.de/hochwasserschutz/").published is None


def test_a_header_showing_only_the_edit_gives_way_to_the_declared_publication() -> None:
    """otto.de's Two For Fashion: the header's only date is the edit's ("Dienstag, 4. Juni
    2019, 15:54", ``dateModified`` to the minute), unlabelled; ``datePublished`` three days
    earlier is the publication (before: the edit's day)."""
    markup = _page('<script type="application/ld+json">{"@type": "BlogPosting", '
                   '"datePublished": "2019-06-01T11:09:12+00:00", '
                   '"dateModified": "2019-06-04T13:54:00+00:00"}</script>',
                   '<h1>Die Strohtasche</h1><div class="meta__datetime">Dienstag, 4. Juni '
                   f'2019, 15:54</div>{_BODY}')
    page = extract_page(markup, "https://www.otto.de/twoforfashion/strohtasche/")
    assert page.published == "2019-06-01T11:09:12Z"


def test_a_kickers_date_inside_the_headline_is_the_publication() -> None:
    """The Bundestag's "heute im bundestag": ``<h1><span class="bt-dachzeile">Verteidigung/
    Antwort - 14.06.2024 (hib 412/2024)</span> Headline</h1>``, no other date of its own; a
    list of other reports in the margin dates them (htmldate's day), not this one."""
    margin = ('<div class="bt-marginal"><h3>Weitere Meldungen</h3><ul><li><a href="/2">'
              "Verteidigung/Ausschuss - 12.06.2024 Wehrbeauftragte legt Bericht vor</a></li>"
              "</ul></div>")
    markup = _page("", '<h1><span class="bt-dachzeile">Verteidigung/Antwort - 14.06.2024 '
                   "(hib 412/2024)</span> Regierung: Beschaffung von Munition beschleunigt"
                   f"</h1>{_BODY}", margin)
    page = extract_page(markup, "https://www.bundestag.de/presse/hib/kurzmeldungen-1003456")
    assert page.published == "2024-06-14T00:00:00Z"


def test_a_date_in_the_headlines_own_words_is_no_kickers() -> None:
    """A span of the headline's many words that names a day ("... am 14.06.2024 ...") is
    the headline, not a date line: the page's date comes from elsewhere."""
    markup = _page('<meta property="article:published_time" content="2024-06-10T09:00:00Z">',
                   '<h1><span class="kicker">Reserve</span> <span>Bundestag will am 14.06.2024 '
                   f"über das Gesetz zur Stärkung der Reserve abstimmen</span></h1>{_BODY}")
    page = extract_page(markup, "https://www.example.de/reserve-gesetz-1.html")
    assert page.published == "2024-06-10T09:00:00Z"


def test_a_day_among_the_headlines_words_is_no_kickers() -> None:
    """"Gemeinderat tagt am <span>12.06.2024</span>": the day marked inside the h1 after
    its first words is the headline's (a meeting's), not the page's publication."""
    markup = _page('<meta property="article:published_time" content="2024-06-05T09:00:00Z">',
                   "<h1>Gemeinderat tagt am <span>12.06.2024</span> im Bürgerhaus</h1>"
                   f"{_BODY}")
    page = extract_page(markup, "https://www.example.de/gemeinderat-1.html")
    assert page.published == "2024-06-05T09:00:00Z"


def test_a_press_releases_number_stands_between_its_label_and_its_day() -> None:
    """A court's press release (fixture ``bverfg.html``): "Pressemitteilung Nr. 45/2025 vom
    21. Mai 2025" above the h1 is the only publication line; the decision's "Beschluss vom
    15. April 2025" under it (htmldate's day) is not the release's."""
    markup = _page("<title>Gericht - Presse - Verfassungsbeschwerde erfolglos</title>",
                   '<p class="nummer">Pressemitteilung Nr. 45/2025 vom 21. Mai 2025</p>'
                   "<h1>Verfassungsbeschwerde erfolglos</h1>"
                   '<p class="abstract">Beschluss vom 15. April 2025 - 1 BvR 1234/24</p>'
                   f"{_BODY}")
    page = extract_page(markup, "https://www.example.de/SharedDocs/Pressemitteilungen/bvg.html")
    assert page.published == "2025-05-21T00:00:00Z"


@pytest.mark.parametrize(("node", "shown"), [
    ('"@type":"VideoObject","uploadDate":"2025-06-02T19:00:00+02:00"',
     '<p>Video · 2 Min</p><h2>Mehr Videos aus Sachsen-Anhalt</h2><ul><li><a href="/v-1.html">'
     'Hochwasserschutz an der Elbe</a> <span class="date">01.06.2025</span></li></ul>'),
    ('"@type":"PodcastEpisode","datePublished":"2025-06-02T19:00:00+02:00"',
     '<p class="info">02.06.2025 | 49 Min</p>')], ids=["video", "podcast"])
def test_a_media_page_is_dated_by_the_node_its_title_names(node: str, shown: str) -> None:
    """A Mediathek video page (fixtures ``mdr-video.html``, ``wdr-video.html``) or a podcast
    episode's (``podcast.html``): no article node, only a ``VideoObject`` or
    ``PodcastEpisode`` named as the page is, whose ``uploadDate`` or ``datePublished`` is
    the publication, time and all (the record carried a shown day at 00:00Z); under "Mehr
    Videos aus ..." other videos' teasers with their days (a teaser's day was taken)."""
    title = "Bundeswehr übt mit Leopard-Panzern bei Klietz"
    ld = (f'<script type="application/ld+json">{{"@context":"https://schema.org",{node},'
          f'"name":"{title}"}}</script>')
    markup = _page(f'<meta property="og:title" content="{title}">{ld}',
                   f"<h1>{title}</h1>{shown}{_BODY}")
    page = extract_page(markup, "https://www.example.de/nachrichten/video-leopard-100.html")
    assert page.published == "2025-06-02T17:00:00Z"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_datelines_day_opens_the_first_paragraph(lang: str) -> None:
    """An OSCE press release (fixture ``osce.html``): the only date of the article is its
    dateline, "VIENNA, 7 June 2025 – The Chair ..." (a long line of the body, no date line);
    a related item's day is another's."""
    opening = ("VIENNA, 7 June 2025 – The Chairperson-in-Office today called on all sides to "
               "exercise restraint." if lang == "en" else
               "Brüssel, 7.6.2025 – Die Außenminister der EU haben sich heute auf neue "
               "Sanktionen geeinigt.")
    markup = _page("", f"<h1>Chair calls for restraint</h1><p>{opening}</p>{_BODY}",
                   '<aside class="related"><p>2 June 2025</p></aside>', lang=lang)
    page = extract_page(markup, "https://www.example.org/press/591234")
    assert page.published == "2025-06-07T00:00:00Z"


def test_a_titled_aside_beside_a_short_article_dates_other_articles() -> None:
    """SZ-Magazin (fixture ``sz-magazin.html``): a long read declared as a
    ``ReportageNewsArticle`` (a subtype of Article, whose ``datePublished`` was not read),
    no date line; an ``<aside>`` "Aus dem Heft" after the short text lists another
    article with its day, within the header's reach (it was taken)."""
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":'
          '"ReportageNewsArticle","headline":"Die Männer von der Ostsee",'
          '"datePublished":"2025-06-14T05:00:00+02:00"}</script>')
    markup = _page(ld, "<h1>Die Männer von der Ostsee</h1><p>Um sechs Uhr morgens ist die "
                   "Ostsee grau und glatt.</p>",
                   '<aside class="more"><h2>Aus dem Heft</h2><ul><li><a href="/w-1">Zurück '
                   'zur Wehrpflicht?</a> <span class="date">07.06.2025</span></li></ul></aside>')
    page = extract_page(markup, "https://www.example.de/politik/marine-ostsee-95123")
    assert page.published == "2025-06-14T03:00:00Z"


def test_a_definition_lists_publication_term_dates_the_page() -> None:
    """A BICC publication (fixture ``bicc.html``): a long abstract under the h1, then a meta
    list "<dt>Publikationsdatum</dt><dd>25.06.2025</dd>", the page's only statement of its
    day (none was found: htmldate's day, the related list's, is another's); the list's other
    term, "Stand", names no publication."""
    abstract = ("<p>Dieser Policy Brief untersucht deutsche Genehmigungen für Exporte in "
                "Krisenregionen der vergangenen zehn Jahre und die Rolle der Endverbleibs"
                "erklärungen.</p>") * 4
    markup = _page("", f"<h1>Rüstungsexporte in Krisenregionen</h1><div>{abstract}</div>"
                   "<dl><dt>Stand</dt><dd>01.07.2025</dd><dt>Publikationsdatum</dt>"
                   "<dd>25.06.2025</dd></dl>",
                   '<div class="related"><h2>Weitere Publikationen</h2><ul><li><a href="/wp-2">'
                   "Working Paper 2/2025</a> <span>12.05.2025</span></li></ul></div>")
    page = extract_page(markup, "https://www.example.de/publikationen/policy-brief-4-2025")
    assert page.published == "2025-06-25T00:00:00Z"

