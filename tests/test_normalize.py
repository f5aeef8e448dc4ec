from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crawler.normalize import (
    canonical_url,
    clean_text,
    clean_title,
    html_to_text,
    identity_url,
    link_problem,
    parse_date,
    split_media,
)


@pytest.mark.parametrize(
    ("raw", "title", "media"),
    [
        ("NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
         "NATO: Wladimir Putin scheitert im Krieg in der Ukraine", ["VIDEO"]),
        ("NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)",
         "NATO-Wladimir Putin scheitert am Ukraine-Krieg", ["VIDEO"]),
        ("LIVE: Ukraine news on Tuesday", "Ukraine news on Tuesday", ["LIVE"]),
        ("+++ Liveblog +++ Putin droht", "Putin droht", ["LIVEBLOG"]),
        ("Ukraine-Krieg +++ Kiew meldet Angriffe", "Ukraine-Krieg Kiew meldet Angriffe", ["+++"]),
        ("Bundeswehr übt in Litauen [FOTOS]", "Bundeswehr übt in Litauen", ["FOTOS"]),
        ("Iran talks collapse | Video", "Iran talks collapse", ["VIDEO"]),
        ("Video games and NATO", "Video games and NATO", []),
    ],
)
def test_media_tags_leave_the_title_for_the_media_field(
    raw: str, title: str, media: list[str]
) -> None:
    assert split_media(raw) == (title, media)


@pytest.mark.parametrize(
    ("raw", "shown", "matched"),
    [
        ("-20 °C in Berlin", "-20 °C in Berlin", "20 °C in Berlin"),  # a minus: its own
        ("LIVE: -3 % im Dax", "-3 % im Dax", "3 % im Dax"),
        ("--", "--", ""),  # no words, but a title: not emptied into a missing_title reject
        ("- NATO summit -", "NATO summit", "NATO summit"),  # loose separators still go
        ("(VIDEO) | NATO summit", "NATO summit", "NATO summit"),
    ],
)
def test_the_shown_title_keeps_a_leading_dash_of_its_own(raw: str, shown: str,
                                                          matched: str) -> None:
    assert clean_title(raw)[0] == shown
    # The matcher reads split_media's title, its ends stripped as before (matching unchanged).
    assert split_media(raw)[0] == matched


def test_clean_title_unescapes_entities_once_or_twice() -> None:
    assert clean_title("Sanctions &amp;amp; export controls &#8217;24") == (
        "Sanctions & export controls \u201924", []
    )


def test_clean_text_composes_unicode_and_collapses_space() -> None:
    assert clean_text("Mu\u0308ller\n\t sagt\u00ad") == "Müller sagt"


def test_url_canonicalisation_drops_tracking_fragment_and_default_port() -> None:
    url = canonical_url(
        "../articles/x.html?utm_source=rss&id=3&fbclid=abc#top", "HTTP://Example.COM:80/feeds/a.xml"
    )
    assert url == "http://example.com/articles/x.html?id=3"


def test_url_keeps_meaningful_query_order() -> None:
    assert canonical_url("https://a.eu/p?b=2&a=1") == "https://a.eu/p?b=2&a=1"


def test_url_keeps_a_bare_query_key_bare() -> None:
    # It became "?print=&id=3": another request to servers that tell the two apart.
    assert canonical_url("https://a.eu/p?print&utm_source=x&id=3&q=") == \
        "https://a.eu/p?print&id=3&q="
    assert identity_url("https://a.eu/p?print&id=3&q=") == "https://a.eu/p?print=&id=3&q="


def _query_before(raw: str) -> str:
    """canonical_url's query of ``raw`` as ids were made of it before bare keys were kept."""
    return urlencode(parse_qsl(urlsplit(raw.strip()).query, keep_blank_values=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab=+%20&;,/?é \x7f", max_size=6), max_size=4))
@example(["item", "a=1"])
@example(["%zz", "=x", "a=b=c"])
def test_ids_are_keyed_as_before_bare_keys_were_kept(parts: list[str]) -> None:
    """A state knows its entries by ids made of the old spelling: the id of every query
    stays the one it was (record ids hash ``url:`` + identity_url)."""
    raw = "https://a.eu/p?" + "&".join(parts)
    query = _query_before(raw)
    assert identity_url(canonical_url(raw)) == "https://a.eu/p" + (f"?{query}" if query else "")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Tue, 03 Nov 2026 10:15:00 +0200", "2026-11-03T08:15:00Z"),
        ("2026-11-03T08:15:00Z", "2026-11-03T08:15:00Z"),
        ("2026-11-03T09:15:00+01:00", "2026-11-03T08:15:00Z"),
        ("03.11.2026 10:00", "2026-11-03T10:00:00Z"),
        ("garbage", None),
        ("Mon, 32 Nov 2026 99:00:00 GMT", None),
        ("", None),
        # A four-digit year below 100 is that year (dateutil added a century: 2001); a
        # string naming no day, month or year gets none from today.
        ("June 12, 0001 10:00 AM", "0001-06-12T10:00:00Z"),
        ("0001", None), ("June 2026", None), ("10:00", None),
    ],
)
def test_dates_become_utc_iso_or_none_never_invented(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_html_to_text_drops_markup_and_scripts() -> None:
    assert html_to_text("<p>NATO <b>agrees</b></p><script>x()</script>") == "NATO agrees"


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("0\x0c<?")  # a control character sent lxml's refusal down the fallback path
def test_clean_title_is_idempotent_and_never_raises(raw: str) -> None:
    title, _ = clean_title(raw)
    assert clean_title(title)[0] == title or "&" in raw


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-z]{1,10}\.(de|com|int)", fullmatch=True),
    st.from_regex(r"(/[a-z0-9]{0,8}){0,3}", fullmatch=True),
    st.lists(st.tuples(st.sampled_from(["id", "utm_source", "fbclid", "p"]),
                       st.from_regex(r"[a-z0-9]{0,5}", fullmatch=True)), max_size=4),
)
def test_canonical_url_is_idempotent_and_tracking_free(
    scheme: str, host: str, path: str, query: list[tuple[str, str]]
) -> None:
    qs = "&".join(f"{k}={v}" for k, v in query)
    url = canonical_url(f"{scheme}://{host}{path}?{qs}#frag")
    assert canonical_url(url) == url
    assert "utm_" not in url and "fbclid" not in url and "#" not in url


def test_markup_in_titles_becomes_text() -> None:
    assert clean_title("<script>alert(1)</script>Breaking: talks <b>collapse</b>") == (
        "talks collapse", ["BREAKING"])
    assert clean_title('<img src=x onerror="alert(1)">NATO summit') == ("NATO summit", [])
    assert clean_title("Tom & Jerry < 3 dogs") == ("Tom & Jerry < 3 dogs", [])


def test_invisible_elements_leave_no_text() -> None:
    html = ("<p>Kept</p><noscript>Enable JS</noscript><iframe>frame</iframe>"
            "<template>tpl</template><svg><text>svg</text></svg>")
    assert html_to_text(html) == "Kept"


@pytest.mark.parametrize(("url", "canonical"), [
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),  # the brackets stay: else unparseable
    ("HTTP://[2001:DB8::1]/a#top", "http://[2001:db8::1]/a"),
    ("http://ex.com:99999/x", "http://ex.com:99999/x"),  # kept as written, never a raise
    ("http://[::1/x", "http://[::1/x"),
])
def test_canonical_url_keeps_ipv6_literals_and_never_raises(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(("url", "problem"), [
    ("http://ex.com:99999/x", "Port out of range"),
    ("http://[::1/x", "Invalid IPv6"),
    ("javascript:void(0)", "not an http(s) link"),
    ("http:///path", "without a host"),
    ("http://ex.com/" + "x" * 2100, "over the limit of 2083"),
])
def test_link_problem_says_why_a_link_cannot_be_requested(url: str, problem: str) -> None:
    found = link_problem(url, 2083)
    assert found is not None and problem in found
    assert link_problem("http://[::1]:8080/x", 2083) is None
