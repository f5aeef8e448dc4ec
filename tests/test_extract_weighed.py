"""htmldate's day checked against the page: a day it completed from a year or a month, or
read only in other articles' teasers, is no publication's (:mod:`crawler.extract.weighed`).

The pages are small copies of patterns real sites use: a footer's copyright year (toralin.de,
brandenburg.de, austria.info in ``shared/data/pages``, each dated 1 January by htmldate), a
WordPress "Neueste Beiträge" widget, Blogger's post set in a ``widget Blog``, rnz.de's article
set in an ``<aside>``.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extract import extract_page
from crawler.extract.weighed import unfounded

_BODY = "<p>Die Feuerwehr stellte die neuen Sirenen und das Notstromaggregat vor.</p>" * 5
_RECENT = ('<aside id="secondary" class="widget-area"><section class="widget '
           'widget_recent_entries"><h2>Neueste Beiträge</h2><ul><li><a href="/a/">Osterfeuer'
           '</a> <span class="post-date">{}</span></li></ul></section></aside>')


def _unfounded(day: str, markup: str) -> bool:
    return unfounded(day, markup, lxml_html.document_fromstring(markup))


@pytest.mark.parametrize(("line", "day", "invented"), [
    ("&copy; 2025 Schützenverein Lindenau", "2025-01-01", True),
    ("Archiv: März 2025", "2025-03-01", True),
    # The first of a month the page writes, in any form: a day it states.
    ("Stand: 1. März 2025", "2025-03-01", False),
    ("Stand: 01.03.2025", "2025-03-01", False),
    ('<img src="/uploads/20250301_sirene.jpg">', "2025-03-01", False),
    ("Stand: 01/03/2025", "2025-03-01", False), ("Posted 3/1/2025", "2025-03-01", False),
])
def test_a_day_htmldate_completed_from_a_year_or_month_is_unfounded(
        line: str, day: str, invented: bool) -> None:
    markup = f"<html><body><h1>Sirenen</h1>{_BODY}<p>{line}</p></body></html>"
    assert _unfounded(day, markup) is invented


@pytest.mark.parametrize(("article", "after", "unfounded_day"), [
    # Written only in a sidebar's recent posts: another article's day.
    ("<h1>Sirenen</h1>", _RECENT.format("10. März 2025"), True),
    # Only in the readers' comments (WordPress's comment list): theirs.
    ("<h1>Sirenen</h1>", '<section id="comments"><ol class="comment-list"><li class="comment">'
     '<time datetime="2025-03-10T10:00:00+01:00">10. März 2025 um 10:00</time><p>Gut!</p>'
     "</li></ol></section>", True),
    # Only in an announcement's event line: the event's day.
    ("<h1>Osterfeuer</h1><p><strong>Termin:</strong> 10.03.2025, 18 Uhr</p>", "", True),
    # Also in the article's own header: the page's day.
    ('<h1>Sirenen</h1><p class="date">10. März 2025</p>', _RECENT.format("10. März 2025"),
     False),
    # WordPress themes put "Posted on" in the article's own <footer>: not a teaser box.
    ('<h1>Sirenen</h1><footer class="entry-meta">Veröffentlicht am '
     '<time datetime="2025-03-10T09:00:00+01:00">10. März 2025</time></footer>', "", False),
])
def test_a_day_written_only_in_teaser_boxes_is_unfounded(article: str, after: str,
                                                          unfounded_day: bool) -> None:
    markup = f"<html><body><article>{article}{_BODY}</article>{after}</body></html>"
    assert _unfounded("2025-03-10", markup) is unfounded_day


@pytest.mark.parametrize(("after", "unfounded_day"), [
    # A plain list of other articles under a heading that introduces them (no class names
    # a box); a "teaser-list" under "Das könnte Sie auch interessieren"; English.
    ("<h2>Mehr zum Thema</h2><ul><li><a href='/a'>Osterfeuer</a> 10.03.2025</li></ul>", True),
    ("<div class='title'><h3>Das könnte Sie auch interessieren</h3></div><div class="
     "'teaser-list'><span class='teaser-date'>10.03.2025</span></div>", True),
    ("<h2>Related stories</h2><p><a href='/a'>Sirens</a> March 10, 2025</p>", True),
    # A heading of the article's own ("Mehr zur Geschichte"), or the list ended by the next
    # heading of its rank: the day is the article's text.
    ("<h2>Mehr zur Geschichte</h2><p>Seit dem 10.03.2025 gilt die neue Satzung.</p>", False),
    ("<h3>Mehr aus der Region</h3><ul><li>Osterfeuer</li></ul><h2>Protokoll</h2>"
     "<p>Beschlossen am 10.03.2025.</p>", False),
])
def test_a_day_written_only_under_a_related_articles_heading_is_unfounded(
        after: str, unfounded_day: bool) -> None:
    """Before, each such list's day was the page's where the page wrote none of its own."""
    markup = f"<html><body><article><h1>Sirenen</h1>{_BODY}{after}</article></body></html>"
    assert _unfounded("2025-03-10", markup) is unfounded_day


@pytest.mark.parametrize(("pictures", "text", "unfounded_day"), [
    # The day only in a picture's address: its upload's (an archive picture's).
    ('<img src="https://cdn.example.de/2025/03/10/sirene-1200x800.jpg" alt="">', "", True),
    ('<picture><source srcset="/bilder/2025/03/10/a.webp 1x, /bilder/2025/03/10/b.webp 2x">'
     '<img src="/b.jpg" alt=""></picture>', "", True),
    # The page writes the day too: its own.
    ('<img src="https://cdn.example.de/2025/03/10/sirene.jpg" alt="">',
     "<p class='date'>10.03.2025</p>", False),
])
def test_a_day_written_only_in_a_pictures_address_is_unfounded(
        pictures: str, text: str, unfounded_day: bool) -> None:
    """Before, htmldate's day from an image's URL stood on a page that states none."""
    markup = f"<html><body><article><h1>Sirenen</h1>{text}{pictures}{_BODY}</article></body></html>"
    assert _unfounded("2025-03-10", markup) is unfounded_day


@pytest.mark.parametrize("box", [
    # rnz.de sets its whole article, h1 and date line, in an <aside>.
    '<aside class="nfy-pa"><h1>Sirenen</h1><div class="nfy-ar-date">10.03.2025, 19:16 Uhr'
    '</div>{}</aside>',
    # Blogger sets the post in a "widget Blog" (its h3 the headline), Elementor each block in
    # an "elementor-widget": neither is a sidebar's widget.
    '<div class="widget Blog" id="Blog1"><h2 class="date-header"><span>Montag, 10. März 2025'
    '</span></h2><h3 class="post-title">Sirenen</h3>{}</div>',
    '<div class="elementor-widget elementor-widget-post-info"><span>10. März 2025</span>'
    '</div><h2>Sirenen</h2>{}',
])
def test_a_box_holding_the_article_is_no_teaser_box(box: str) -> None:
    markup = f"<html><body>{box.format(_BODY)}</body></html>"
    assert not _unfounded("2025-03-10", markup)


def test_a_permalinks_day_stands_where_htmldate_read_it_beside_a_teaser() -> None:
    """A WordPress post at /2025/03/10/slug/ listed with its day in its own site's recent
    posts, and dated nowhere else: the permalink's day (htmldate's, as before)."""
    markup = (f"<html lang='de'><head></head><body><article><h1>Sirenen</h1>{_BODY}"
              f"</article>{_RECENT.format('10. März 2025')}</body></html>")
    page = extract_page(markup, "https://www.ov-lindenau.de/2025/03/10/sirenen/")
    assert page.published == "2025-03-10T00:00:00Z"


@pytest.mark.parametrize(("lines", "edit"), [
    # Joomla's dl.article-info: the edit first, the creation after it.
    ('<dd class="modified"><time datetime="2024-06-10T09:12:44+02:00" itemprop="dateModified">'
     'Zuletzt aktualisiert: 10. Juni 2024</time></dd><dd class="create">Erstellt: 03. Mai 2024'
     '</dd>', True),
    ("<p>Erstellt am 03.05.2024, zuletzt geändert am 10.06.2024</p>", True),
    ("<p>Stand: 10.06.2024</p><p>Veröffentlicht am 3. Mai 2024</p>", True),
    # The only date a "Stand:": a wiki's, an authority's page; labels take it.
    ("<p>Stand: 10.06.2024</p>", False),
    # The day written unlabelled too, or labelled as the publication as well.
    ("<p>Stand: 10.06.2024</p><p>Erstellt: 03.05.2024</p><p>10.06.2024</p>", False),
    ("<p>Erstellt: 10.06.2024, zuletzt geändert: 10.06.2024</p>", False),
])
def test_a_day_written_only_as_the_edits_beside_a_labelled_publication_is_unfounded(
        lines: str, edit: bool) -> None:
    """htmldate took Joomla's "Zuletzt aktualisiert" day on a page whose info block stands
    below the article (out of the header's reach): an edit is never the publication."""
    markup = f"<html><body><h1>Sirenen</h1>{_BODY}{lines}</body></html>"
    assert _unfounded("2024-06-10", markup) is edit


@pytest.mark.parametrize(("line", "guessed"), [
    # Drupal 7's default "D, m/d/Y - H:i": htmldate read 5 March.
    ("Eingereicht von jana am Fr, 05/03/2024 - 14:12", True),
    ("Submitted by jana on Tue, 03/05/2024 - 09:30", False),  # htmldate's day read right
    # Written one way only as well: a day the page states.
    ("05/03/2024 <time datetime='2024-03-05'>5. März 2024</time>", False),
    ("Stand: 05.03.2024", False), ("13/03/2024 - 14:12", False),
    # Not Drupal's line: htmldate's reading stands (a European page's "Stand: 05/03/2024").
    ("Stand: 05/03/2024", False),
])
def test_a_day_read_day_first_from_drupals_month_first_date_line_is_unfounded(line: str,
                                                                   guessed: bool) -> None:
    markup = f"<html><body><h1>Sirenen</h1>{_BODY}<p>{line}</p></body></html>"
    day = "2024-03-13" if "13/" in line else "2024-03-05"
    assert _unfounded(day, markup) is guessed
