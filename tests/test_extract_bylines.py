"""Authors and the header's lines: a dateline's city is no author, and a byline naming the
record's authors is not body (the FAZ and Spiegel pages of ``tests/fixtures/german-news``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_page
from crawler.extract.bylines import declared_authors, split_authors, without_publishers
from crawler.extract.sitenames import site_names

_PAGES = Path(__file__).parent / "fixtures" / "german-news"
_EXPECTED = json.loads((_PAGES / "expected.json").read_text(encoding="utf-8"))
_BODY = "".join(f"<p>Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das {n} "
                "Dinge regelt und lange umstritten war.</p>" for n in ("viele", "manche", "neue"))


def _page(name: str) -> tuple[tuple[str, ...], str]:
    page = extract_page((_PAGES / name).read_text(encoding="utf-8"), _EXPECTED[name]["url"])
    return page.authors, page.text or ""


def test_a_dateline_city_is_not_an_author() -> None:
    """FAZ: "Von Matthias Wyssuwa, Washington" (trafilatura: "Matthias Wyssuwa; Washington")."""
    assert _page("faz.html")[0] == ("Matthias Wyssuwa",)


def test_a_byline_naming_the_authors_leaves_the_body_and_names_them() -> None:
    """Spiegel: "Von Matthias Gebauer und Konstantin von Hammerstein" under the lead, no
    author declared: the byline names them, and is not the body's second line."""
    authors, text = _page("spiegel.html")
    assert authors == ("Matthias Gebauer", "Konstantin von Hammerstein")
    assert "Von Matthias" not in text
    assert text.startswith("Der Verteidigungsminister plant einen Wehrdienst")


@pytest.mark.parametrize("byline", ["Ein Kommentar von Anna Schmidt", "Von Anna Schmidt"])
def test_a_trailing_byline_of_the_declared_author_leaves_the_body(byline: str) -> None:
    markup = (f'<html lang="de"><head><title>Gesetz beschlossen heute</title>'
              f'<meta name="author" content="Anna Schmidt"></head><body><article>'
              f"<h1>Gesetz beschlossen heute</h1>{_BODY}<p>{byline}</p></article></body></html>")
    page = extract_page(markup, "https://www.example.de/gesetz")
    assert page.authors == ("Anna Schmidt",)
    assert page.text is not None and not page.text.endswith(byline)
    assert page.text.endswith("lange umstritten war.")


@pytest.mark.parametrize("line", [
    # A sentence starting with "Von" is body; so is a byline of someone else.
    "Von Berlin aus fuhren die Abgeordneten weiter nach Brüssel.",
    "Von Peter Müller",
])
def test_a_line_that_is_no_byline_of_the_author_stays(line: str) -> None:
    markup = (f'<html lang="de"><head><title>Gesetz beschlossen heute</title>'
              f'<meta name="author" content="Anna Schmidt"></head><body><article>'
              f"<h1>Gesetz beschlossen heute</h1><p>{line}</p>{_BODY}</article></body></html>")
    page = extract_page(markup, "https://www.example.de/gesetz")
    assert page.text is not None and page.text.startswith(line)


def test_a_social_handle_is_no_name() -> None:
    """El Nacional's "Williams Perdomo @wperdomod"; National Geographic's article:author
    "@NatGeoUK"."""
    assert split_authors("Williams Perdomo @wperdomod") == ("Williams Perdomo",)
    assert split_authors("@NatGeoUK") == ()
    assert declared_authors([{"author": {"@type": "Person", "name": "Jana Beispiel @jana_b"}}],
                            {}) == ("Jana Beispiel",)


def test_a_cms_login_is_no_name_and_no_search_makes_one_of_it() -> None:
    """majkaswelt.com (cache half, no author label): Yoast's Person node is named by the
    WordPress login "majainfos_zlfca4v6"; trafilatura's search made "Majainfos Zlfca" of it.
    A chosen handle (tafelblog.de's labelled "Herr_Rein") stays."""
    ld: list[dict[str, object]] = [{"@type": "BlogPosting", "headline": "Fünf Lieblingsteile",
                                    "author": {"@type": "Person", "name": "jana_x7k2m9qp"}}]
    markup = (f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script>'
              f"</head><body><article><h1>Fünf Lieblingsteile</h1>{_BODY}</article></body></html>")
    assert extract_page(markup, "https://janas-modeblog.de/fuenf-lieblingsteile/").authors == ()
    assert split_authors("jana_x7k2m9qp") == ()
    assert split_authors("Herr_Rein") == ("Herr_Rein",)


def test_a_publisher_the_json_ld_declares_is_no_author_found_in_a_byline() -> None:
    """theplanetarypress.com (cache half): its theme's author box prints the account's
    display name, the site's own ("By The Planetary Press"), which its ``@graph`` declares
    an Organization; a site not so declared keeps its name as its author (the labels'
    "Wikimedia Foundation", "Attac France")."""
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "https://musterpresse.de/#organization",
         "name": "Die Musterpresse"},
        {"@type": "NewsArticle", "headline": "Wälder schützen das Klima",
         "publisher": {"@id": "https://musterpresse.de/#organization"}}]}
    byline = ('<div class="td-post-author-name">By <a class="author" rel="author" '
              'href="/author/redaktion/">Die Musterpresse</a></div>')
    markup = ("<html><head><script type=\"application/ld+json\">{}</script></head><body>"
              "<article><h1>Wälder schützen das Klima</h1>{}{}</article></body></html>")
    url = "https://musterpresse.de/2020/01/waelder-schuetzen-das-klima/"
    assert extract_page(markup.format("{}", byline, _BODY), url).authors == (
        "Die Musterpresse",)
    assert extract_page(markup.format(json.dumps(graph), byline, _BODY), url).authors == ()


def test_an_organization_is_no_author_but_a_person_typed_one_too_is() -> None:
    """Yoast SEO types a one-person site's owner ``["Person", "Organization"]``
    (crazy-julia.de); an organisation alone is the publisher (futurezone.at, BRIGITTE.de),
    and the author ``<meta>`` is read instead."""
    org = {"@type": "Organization", "name": "Lokalzeitung"}
    nodes: dict[str, dict[str, object]] = {
        "#/schema/person/1": {"@type": ["Person", "Organization"], "name": "Julia"}}
    both: list[dict[str, object]] = [{"author": [org, {"@id": "#/schema/person/1"}]}]
    assert declared_authors(both, {}, nodes) == ("Julia",)
    assert declared_authors([{"author": org}], {"author": "Jana Beispiel"}) == ("Jana Beispiel",)


def test_a_share_widgets_label_or_a_web_address_is_no_name() -> None:
    """trafilatura's author search on sonntag-sachsen.de ("so" and "Artikel empfehlen:" of a
    share bar) and rs-ingenieure.de (``<meta name="creator" content="Medianotions,
    www.medianotions.de">``)."""
    assert split_authors("So Artikel Empfehlen") == ()
    assert split_authors("Www Medianotions De") == ()
    assert split_authors("Medianotions, www.medianotions.de") == ("Medianotions",)
    assert split_authors("Edward Said, Anna Teilhaber") == ("Edward Said", "Anna Teilhaber")


def test_a_person_whose_surname_is_the_sites_name_stays_its_author() -> None:
    """"Jan Stern" signing on stern.de, "Anna Welt" on welt.de: a surname, not the publisher
    ("stern.de", "STERN" alone, "DIE ZEIT" still go)."""
    url = "https://www.stern.de/politik/neue-regeln-123.html"
    names = site_names(["STERN"], url)
    assert without_publishers(("Jan Stern", "Stern", "stern.de", "STERN"), names,
                              url) == ("Jan Stern",)
    welt = "https://www.welt.de/politik/article1/neue-regeln.html"
    assert without_publishers(("Anna Welt",), site_names([], welt), welt) == ("Anna Welt",)
    zeit = "https://www.zeit.de/politik/2025-03/neue-regeln"
    assert without_publishers(("DIE ZEIT", "Jan Zeit"), site_names(["ZEIT ONLINE"], zeit),
                              zeit) == ("Jan Zeit",)


def test_a_sites_name_run_into_a_persons_and_an_agency_are_no_authors() -> None:
    """ebrosia.de's author <meta> "Sebastian Held, Daniel Hentschel ebrosia, Germany"; zdh.de's
    "wegewerk GmbH" (the agency that built the site). A publisher signing with its legal name
    names the site and stays ("EnBW Energie Baden-Württemberg AG" on enbw.com), and so does
    a capitalised surname that is the site's ("Jan Stern")."""
    shop = "https://www.ebrosia.de/beringer-zinfandel-rose"
    assert without_publishers(split_authors("Sebastian Held, Daniel Hentschel ebrosia, Germany"),
                              site_names([], shop), shop) == ("Sebastian Held", "Daniel Hentschel")
    zdh = "https://www.zdh.de/presse/veroeffentlichungen/pressemitteilungen/kfw/"
    assert without_publishers(("wegewerk GmbH",), site_names([], zdh), zdh) == ()
    enbw = "https://www.enbw.com/unternehmen/presse/buergerbeteiligung.html"
    assert without_publishers(("EnBW Energie Baden-Württemberg AG",), site_names([], enbw),
                              enbw) == ("EnBW Energie Baden-Württemberg AG",)
