from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.shared_data import SHARED_DATA
from crawler.feeds import parse_feed
from crawler.models import Fetched, Record, Reject
from crawler.records import build_record

FEEDPARSER = SHARED_DATA / "feeds" / "feedparser"
CORPUS = sorted(FEEDPARSER.rglob("*.xml")) if FEEDPARSER.is_dir() else []

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>T</title><language>de-DE</language><ttl>15</ttl>
<item><guid>g1</guid><title>NATO: Putin scheitert (VIDEO)</title>
<link>../a/1.html?utm_source=x</link>
<pubDate>Tue, 03 Nov 2026 10:15:00 +0200</pubDate><author>a@b.de (Anna B)</author>
<category>NATO</category><description>&lt;p&gt;Kurz&lt;/p&gt;</description></item>
<item><title>No link</title></item>
<item><guid>g1</guid><title>Same guid</title><link>/a/2.html</link>
<pubDate>nonsense</pubDate></item>
</channel></rss>"""


def test_rss_entries_keep_their_metadata_and_resolve_links() -> None:
    feed = parse_feed(RSS, "https://example.de/feeds/rss.xml", "application/rss+xml")
    first = feed.entries[0]
    assert (feed.format, feed.language, feed.ttl_minutes) == ("rss20", "de", 15)
    assert first.link == "https://example.de/a/1.html"
    # RSS guids are permalinks unless isPermaLink="false": feedparser resolves them.
    assert (first.guid, first.published, first.categories) == ("https://example.de/feeds/g1",
                                                                "2026-11-03T08:15:00Z",
                                                                ("NATO",))
    assert first.language == "de"


def test_entry_without_link_has_none_and_unparseable_date_keeps_raw() -> None:
    feed = parse_feed(RSS, "https://example.de/feeds/rss.xml", "application/rss+xml")
    assert feed.entries[1].link is None
    assert (feed.entries[2].published, feed.entries[2].published_raw) == (None, "nonsense")


def test_atom_with_xml_base_and_html_content() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://ex.org/news/">
    <title>A</title><entry><id>urn:1</id><title type="html">Sanktionen &amp;amp; mehr</title>
    <link rel="alternate" href="eins.html"/><published>2026-11-01T12:00:00+01:00</published>
    <author><name>Jan K</name></author><content type="html">&lt;p&gt;Text&lt;/p&gt;</content>
    </entry></feed>"""
    [entry] = parse_feed(atom, "https://ex.org/feed.atom", "application/atom+xml").entries
    assert entry.link == "https://ex.org/news/eins.html"
    assert (entry.authors, entry.published) == (("Jan K",), "2026-11-01T11:00:00Z")
    assert entry.content is not None and "Text" in entry.content


def test_non_feed_yields_no_entries_and_a_reason() -> None:
    feed = parse_feed(b"<<<not xml at all", "https://ex.org/f.xml", "application/xml")
    assert feed.entries == ()
    assert feed.bozo_reason


@pytest.mark.skipif(not CORPUS, reason="../shared/data/feeds/feedparser is not beside the repo")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(FEEDPARSER)))
def test_every_feedparser_test_feed_ends_as_records_or_rejects(path: Path) -> None:
    feed = parse_feed(path.read_bytes(), "http://example.org/feed.xml", "application/xml")
    problem = feed.problem()
    if not feed.entries:
        assert problem is not None and problem[0] in {"feed_unparseable", "feed_empty"}
        return
    assert problem is None
    for entry in feed.entries:
        item = Fetched(source="t", entry=entry, feed_url="http://example.org/feed.xml")
        outcome = build_record(item, "run", "2026-11-29T00:00:00Z")
        assert isinstance(outcome, Record | Reject)
        if isinstance(outcome, Reject):
            assert outcome.reason in {"missing_link", "missing_title"}
        else:
            assert outcome.title and outcome.url.startswith("http")


def test_surrogate_character_references_do_not_crash_the_parser() -> None:
    body = (b'<rss version="2.0"><channel><title>x</title><item><title>A &#xD800; b &#55296;'
            b' &#x41;</title><link>http://x/a</link></item></channel></rss>')
    [entry] = parse_feed(body, "http://x/f", "application/rss+xml").entries
    assert entry.title == "A \ufffd b \ufffd A"


def test_empty_body_is_reported_as_empty() -> None:
    assert parse_feed(b" \n", "http://x/f").problem() == (
        "feed_unparseable", "empty body (0 bytes of content)")


def test_an_unreadable_date_is_never_rolled_over() -> None:
    body = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><id>1</id>'
            b'<title>t</title><link href="http://x/a"/><updated>2026-02-31T10:00:00Z</updated>'
            b'</entry></feed>')
    [entry] = parse_feed(body, "http://x/f", "application/atom+xml").entries
    assert (entry.published, entry.published_raw) == (None, "2026-02-31T10:00:00Z")


def test_rss_skip_hours_are_read() -> None:
    body = (b'<rss version="2.0"><channel><title>x</title><skipHours><hour>0</hour>'
            b"<hour>23</hour></skipHours><item><title>t</title><link>http://x/a</link></item>"
            b"</channel></rss>")
    assert parse_feed(body, "http://x/f", "application/rss+xml").skip_hours == {0, 23}


def test_rss_skip_hours_past_24_are_no_hours() -> None:
    body = (b'<rss version="2.0"><channel><title>x</title><skipHours><hour>99</hour>'
            b"<hour>24</hour><hour>27</hour></skipHours><item><title>t</title>"
            b"<link>http://x/a</link></item></channel></rss>")
    # Before: 99 and 27 forbade 03:00 (modulo 24); 24 is midnight, as feeds counting 1-24 mean.
    assert parse_feed(body, "http://x/f", "application/rss+xml").skip_hours == {0}


def test_rss_skip_days_are_read_as_weekdays_and_every_day_is_none() -> None:
    def days(listed: str) -> frozenset[int]:
        body = (f'<rss version="2.0"><channel><title>x</title><skipDays>{listed}</skipDays>'
                "<item><title>t</title><link>http://x/a</link></item></channel></rss>")
        return parse_feed(body.encode(), "http://x/f", "application/rss+xml").skip_days

    assert days("<day>Saturday</day><day> sunday </day><day>Caturday</day>") == {5, 6}
    every = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert days("".join(f"<day>{d}</day>" for d in every)) == frozenset()


HOSTILE_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>&lt;b onmouseover="steal()"&gt;Wire&lt;/b&gt;</title>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Talks collapse</title><link>http://x/1</link>
<description>&lt;p onclick="steal()"&gt;Hello &lt;script&gt;alert(2)&lt;/script&gt;&lt;style&gt;p{}
&lt;/style&gt;&lt;a href="javascript:alert(3)"&gt;world&lt;/a&gt;&lt;/p&gt;&lt;iframe src="http://e"&gt;
frame&lt;/iframe&gt;&lt;img src=x onerror=alert(4)&gt;&lt;object&gt;obj&lt;/object&gt;&lt;applet&gt;
applet&lt;/applet&gt;&lt;xmp&gt;&lt;b&gt;raw&lt;/b&gt;&lt;/xmp&gt;&lt;noscript&gt;nos&lt;/noscript&gt;
&lt;svg&gt;&lt;text&gt;svg&lt;/text&gt;&lt;/svg&gt;&lt;template&gt;tpl&lt;/template&gt;</description>
<author>&lt;i&gt;Anna&lt;/i&gt; B</author>
<dc:creator>&lt;script&gt;x()&lt;/script&gt;Jan</dc:creator>
<category>&lt;b&gt;NATO&lt;/b&gt;</category>
<content:encoded><![CDATA[<p>Body <script>alert(5)</script><b onclick="x()">bold</b> &amp; more
<img src=x onerror=alert(6)></p><style>.x{}</style>]]></content:encoded></item>
</channel></rss>"""
HOSTILE_ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">&lt;img src=x onerror=alert(1)&gt;Wire</title>
<entry><id>urn:1</id><link href="http://x/2"/>
<title type="html">&lt;img src=x onerror=alert(1)&gt;Sanctions &amp;amp; more</title>
<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p onclick="e()">Sum
<script>alert(2)</script><a href="javascript:x()">link</a></p></div></summary>
<author><name>&lt;b&gt;Jan&lt;/b&gt; K</name></author><category term="&lt;b&gt;cyber&lt;/b&gt;"/>
</entry></feed>"""
# What a script, a style, an event handler or a javascript: link would leave in a record.
_MARKUP_TRACES = ("<", ">", "alert", "onerror", "onclick", "javascript", "p{}", ".x{}", "x()",
                  "steal")


def _record(body: bytes) -> Record:
    [entry] = parse_feed(body, "http://x/f", "application/xml").entries
    record = build_record(Fetched(source="s", entry=entry, feed_url="http://x/f"), "r",
                          "2026-11-29T00:00:00Z")
    assert isinstance(record, Record)
    return record


def _text_fields(record: Record) -> list[str]:
    return [record.title, record.title_raw, record.summary or "", record.text or "",
            *record.authors, *record.tags]


@pytest.mark.parametrize("body", [HOSTILE_RSS, HOSTILE_ATOM], ids=["rss", "atom"])
def test_no_markup_from_a_feed_reaches_a_record(body: bytes) -> None:
    """feedparser's sanitiser is off (it re-parsed every HTML field): every field a record
    takes from an entry must still be text, with scripts and styles gone, not escaped."""
    record = _record(body)
    for value in _text_fields(record):
        for trace in _MARKUP_TRACES:
            assert trace not in value, (trace, value)
    assert parse_feed(body, "http://x/f", "application/xml").title == "Wire"


def test_hostile_feed_record_keeps_the_visible_text() -> None:
    rss, atom = _record(HOSTILE_RSS), _record(HOSTILE_ATOM)
    assert (rss.title, rss.title_raw, rss.authors, rss.tags) == (
        "Talks collapse", "Talks collapse", ["Anna B", "Jan"], ["NATO"])
    assert rss.summary == "Hello world"
    assert rss.text == "Body bold & more"
    assert (atom.title, atom.title_raw, atom.summary, atom.authors, atom.tags) == (
        "Sanctions & more", "Sanctions & more", "Sum link", ["Jan K"], ["cyber"])


def test_title_without_markup_is_kept_as_the_feed_gave_it() -> None:
    body = (b'<rss version="2.0"><channel><title>x</title><item><title>  AT&amp;T  &amp;amp; '
            b"1 &lt; 2 </title><link>http://x/a</link></item></channel></rss>")
    [entry] = parse_feed(body, "http://x/f", "application/rss+xml").entries
    assert entry.title == "AT&T  &amp; 1 < 2"


JSON_FEED = SHARED_DATA / "feeds-and-sitemaps-trafilatura" / "feed.json"


@pytest.mark.skipif(not JSON_FEED.is_file(), reason="shared data not present")
def test_a_real_json_feed_reads_like_rss_and_atom() -> None:
    feed = parse_feed(JSON_FEED.read_bytes(), "https://feeds.npr.org/1019/feed.json",
                      "application/json")
    assert (feed.format, feed.title, len(feed.entries), feed.problem()) == (
        "json1", "Technology", 25, None)
    first = feed.entries[0]
    assert first.link == ("https://www.npr.org/2021/10/29/1050315385/"
                          "keller-rinaudo-how-can-delivery-drones-save-lives")  # utm_* gone
    assert (first.guid, first.title, first.authors) == (
        "1050315385", "Keller Rinaudo: How can delivery drones save lives?",
        ("Manoush Zomorodi",))
    assert (first.published, first.updated) == ("2021-10-29T14:26:00Z", "2021-10-29T15:59:00Z")
    assert first.summary and first.content and first.content.startswith("<p>In rural areas")


JSON_FEED_11 = b"""{"version": "https:\\/\\/jsonfeed.org\\/version\\/1.1", "title": "Briefings",
"language": "de-DE", "items": [
 {"id": 42, "url": "/a/1.html?utm_source=x", "title": "Abr\\u00fcstung in Genf",
  "content_text": "Text.", "date_published": "2026-11-03T10:15:00+02:00",
  "authors": [{"name": "Anna B"}, {"url": "https://x"}], "tags": ["NATO", 7],
  "language": "en"},
 {"id": "b", "external_url": "https://elsewhere.org/story", "title": 12,
  "date_modified": "2026-11-04"},
 {"id": "c", "url": "javascript:alert(1)", "title": "No usable link"},
 "not an item"
]}"""


def test_json_feed_1_1_fields_of_the_wrong_type_cost_only_that_field() -> None:
    feed = parse_feed(JSON_FEED_11, "https://example.de/feed.json", "application/feed+json")
    assert (feed.format, feed.language, len(feed.entries)) == ("json11", "de", 3)
    first, second, third = feed.entries
    assert (first.guid, first.link, first.title) == ("42", "https://example.de/a/1.html",
                                                     "Abrüstung in Genf")
    assert (first.authors, first.categories, first.language) == (("Anna B",), ("NATO",), "en")
    assert (first.published, first.content) == ("2026-11-03T08:15:00Z", "Text.")
    assert (second.link, second.title, second.language) == ("https://elsewhere.org/story",
                                                            None, "de")
    assert (second.published, second.published_raw) == ("2026-11-04T00:00:00Z", "2026-11-04")
    assert third.link is None  # ends as a missing_link reject


@pytest.mark.parametrize(("body", "detail"), [
    (b'{"version": "https://jsonfeed.org/version/1", "items": ' + b"[" * 100_000
     + b"]" * 100_000 + b"}", "nested too deeply"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "a",', "not valid JSON"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": {"id": "a"}}', "items list"),
])
def test_a_hostile_json_feed_is_one_problem_never_a_crash(body: bytes, detail: str) -> None:
    feed = parse_feed(body, "https://example.de/feed.json", "application/feed+json")
    problem = feed.problem()
    assert problem is not None and problem[0] == "feed_unparseable" and detail in problem[1]
