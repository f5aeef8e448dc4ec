from __future__ import annotations

import pytest

from crawler.report.markup import Markup, escape, html, join, link, safe_href


def test_values_are_escaped_and_markup_is_kept() -> None:
    inner = html("<i>{t}</i>", t="<b>")
    assert html("<p>{a}{b}</p>", a=inner, b='"&') == "<p><i>&lt;b&gt;</i>&quot;&amp;</p>"


def test_numbers_keep_their_format_specs() -> None:
    assert html('<rect x="{x:.1f}" w="{p:.0%}"/>', x=1.25, p=0.5) == '<rect x="1.2" w="50%"/>'


def test_a_plain_string_subclass_is_still_text() -> None:
    class Sneaky(str):
        pass

    assert escape(Sneaky("<script>")) == "&lt;script&gt;"


def test_join_escapes_parts_that_are_not_markup() -> None:
    assert join([Markup("<br>"), "<x>"]) == "<br>&lt;x&gt;"  # type: ignore[list-item]


@pytest.mark.parametrize("url", [
    "https://www.welt.de/politik/a.html", "http://example.org/?q=<x>", "HTTPS://EXAMPLE.ORG/",
])
def test_http_urls_are_links(url: str) -> None:
    assert safe_href(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjavascript:x",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x", "/relative",
    "https://", "http:///nohost", "https://exa mple.org/", "https://[::1/", "", None,
    "java\nscript:alert(1)", "https://example.org/\x00",
])
def test_other_urls_are_not_links(url: str | None) -> None:
    assert safe_href(url) is None


def test_a_refused_url_is_rendered_as_text() -> None:
    rendered = link('javascript:alert("x")', "label")
    assert "<a " not in rendered and "href" not in rendered
    assert rendered == '<span class="nolink">javascript:alert(&quot;x&quot;)</span>'


def test_link_escapes_href_and_label() -> None:
    rendered = link('https://e.org/?a=1&b="2"', "<i>")
    assert rendered.startswith('<a href="https://e.org/?a=1&amp;b=&quot;2&quot;"')
    assert ">&lt;i&gt;</a>" in rendered
