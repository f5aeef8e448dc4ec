"""Microdata items of other things and print-only blocks (``crawler.extract.items``): their
days are a reviewer's, an event's or a printout's, never the page's publication; what a
printout hides, and a podcast page's own audio, are the page."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract import extract_page
from crawler.extract.items import foreign_item, not_the_page

_ARTICLE = """<html lang="de"><head><title>Neue Satzung beschlossen</title></head><body>
<div class="{wrapper}"><h1>Neue Satzung beschlossen</h1>
<p class="date">Veröffentlicht am 03.05.2024</p></div>
<p>Die Mitgliederversammlung hat am Abend die neue Satzung beschlossen. Sie gilt ab Juni
für alle Abteilungen des Vereins und ersetzt die Fassung von 1998.</p>
{extra}</body></html>"""


def test_a_review_and_an_event_are_foreign_items_a_podcasts_audio_is_not() -> None:
    tree = lxml_html.fromstring(
        '<div><div itemscope itemtype="https://schema.org/Review"><meta itemprop="datePublished"'
        ' content="2024-03-14"></div><div itemscope itemtype="http://schema.org/MusicEvent">'
        '<meta itemprop="startDate" content="2024-06-01"></div><div itemscope '
        'itemtype="http://schema.org/AudioObject"><span itemprop="uploadDate" '
        'content="2020-03-18"></span></div></div>')
    review, event, audio = tree.xpath("//meta | //span")
    assert (foreign_item(review), foreign_item(event), foreign_item(audio)) == (True, True, False)


def test_what_a_printout_hides_is_the_page_and_what_only_it_shows_is_not() -> None:
    for wrapper in ("no-print", "noprint", "hidden-print", "d-print-none", "printable"):
        page = extract_page(_ARTICLE.format(wrapper=wrapper, extra=""), "https://v.example.de/a")
        assert page.published == "2024-05-03T00:00:00Z", wrapper
    tree = lxml_html.fromstring(_ARTICLE.format(
        wrapper="entry", extra='<div class="print-only">Gedruckt am 07.10.2025</div>'))
    assert [e.text for e in not_the_page(tree)] == ["Gedruckt am 07.10.2025"]


def test_a_print_footers_day_is_no_publication_where_the_page_states_none() -> None:
    markup = _ARTICLE.format(wrapper="entry", extra='<p id="footer_print" class="print">'
                             "[Stand: 08.05.2025, 05:02 Uhr]</p>").replace(
        '<p class="date">Veröffentlicht am 03.05.2024</p>', "")
    assert extract_page(markup, "https://v.example.de/a").published is None
