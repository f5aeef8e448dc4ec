"""Feed parsing throughput: ``crawler.feeds.parse_feed`` vs ``feedparser.parse`` alone.

Feeds: generated RSS 2.0 and Atom feeds of 50-500 entries (deterministic per ``--seed``), with
summary-only entries and with full HTML article content (links, images, embeds), plus the
well-formed feeds of feedparser's own test suite when present
(``../shared/data/feeds/feedparser/wellformed``; many tiny files, so per-feed overhead shows).

Lines measured on the same bytes, interleaved, median of ``--repeats`` passes:

* ``feedparser``: ``feedparser.parse(io.BytesIO(body), response_headers=...)`` with the same
  headers ``parse_feed`` passes (content-location, content-type);
* ``policywire``: ``crawler.feeds.parse_feed(body, url, content_type)`` as shipped:
  feedparser with ``sanitize_html=False, resolve_relative_uris=False`` (issue #7) plus
  policywire's typed entries (link canonicalisation, dates, authors, markup reduced to text);
* ``feedparser, no sanitize/resolve``: ``sanitize_html=False, resolve_relative_uris=False``;
* ``policywire, sanitize/resolve on``: ``parse_feed`` handing feedparser its defaults
  (sanitiser and relative-URI resolution on), as before issue #7.

Then a safety check of the switch: for every feed (and a hostile one, with scripts, styles,
event handlers and markup in titles), the values a record takes from an entry (link, guid,
title, title_raw, summary and content as plain text, authors, tags, dates, language) are
compared with and without feedparser's sanitising; any difference is printed, and so is
every record value that still contains a tag (there should be none).

    python benchmarks/bench_feeds.py [--repeats 5] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import feedparser  # noqa: E402
from bench_crawl import new_story  # noqa: E402

import crawler.feeds  # noqa: E402
from benchmarks.shared_data import SHARED_DATA  # noqa: E402
from crawler.feeds import parse_feed  # noqa: E402
from crawler.models import Entry  # noqa: E402
from crawler.normalize import clean_text, clean_title, html_to_text  # noqa: E402

WELLFORMED = SHARED_DATA / "feeds" / "feedparser" / "wellformed"
FEED_URL = "https://news.bench.invalid/feeds/main.xml"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@dataclass
class Feed:
    name: str
    body: bytes
    url: str
    content_type: str | None
    entries: int = 0


# ---------------------------------------------------------------------------------------------
# Generated feeds
# ---------------------------------------------------------------------------------------------
def _article_html(rng: random.Random, story: Any, slug: str) -> str:
    """Article HTML as CMSs put it into content:encoded: relative links, images, an embed."""
    parts = []
    for number, paragraph in enumerate(story.paragraphs):
        text = escape(" ".join(paragraph))
        if number % 3 == 1:
            words = text.split(" ")
            cut = len(words) // 2
            text = (" ".join(words[:cut]) + f' <a href="/topics/{slug}-{number}" '
                    f'title="more">{" ".join(words[cut:cut + 3])}</a> '
                    + " ".join(words[cut + 3:]))
        parts.append(f"<p>{text}</p>")
        if number == 1:
            parts.append(f'<figure><img src="../img/{slug}.jpg" alt="" width="800" '
                         'height="450" loading="lazy"><figcaption>Photo: Agency'
                         "</figcaption></figure>")
        if number == 3 and rng.random() < 0.3:
            parts.append('<iframe src="https://video.bench.invalid/embed/1" width="560" '
                         'height="315" allowfullscreen></iframe>')
        if number == 4 and rng.random() < 0.2:
            parts.append('<blockquote class="social"><p>Quote</p></blockquote>'
                         '<script async src="https://social.bench.invalid/w.js"></script>')
    return "\n".join(parts)


def _entries(rng: random.Random, count: int, lang: str) -> Iterator[tuple[Any, str, datetime]]:
    anchor = datetime(2025, 6, 1, tzinfo=UTC)
    for number in range(count):
        story = new_story(rng, lang, anchor - timedelta(minutes=rng.randint(1, 20000)))
        slug = f"{number:04d}-{rng.getrandbits(24):06x}"
        yield story, slug, story.published


def generate_rss(rng: random.Random, count: int, lang: str, full: bool) -> bytes:
    items = []
    for story, slug, published in _entries(rng, count, lang):
        teaser = escape(" ".join(story.paragraphs[0][:2]))
        content = (f"<content:encoded><![CDATA[{_article_html(rng, story, slug)}]]>"
                   "</content:encoded>" if full else "")
        items.append(
            f"<item><title>{escape(story.title)}</title>"
            f"<link>https://news.bench.invalid/{lang}/{slug}.html?utm_source=rss</link>"
            f'<guid isPermaLink="false">{slug}</guid>'
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<dc:creator>{escape(story.author)}</dc:creator>"
            f"<category>{escape(story.topic)}</category><category>Security</category>"
            f"<description>{escape('<p>' + teaser + '</p>')}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench News</title>'
        f"<link>https://news.bench.invalid/</link><description>Bench</description>"
        f"<language>{lang}</language><ttl>10</ttl>\n" + "\n".join(items)
        + "\n</channel></rss>\n"
    ).encode("utf-8")


def generate_atom(rng: random.Random, count: int, lang: str, full: bool) -> bytes:
    entries = []
    for story, slug, published in _entries(rng, count, lang):
        iso = published.isoformat().replace("+00:00", "Z")
        teaser = escape(" ".join(story.paragraphs[0][:2]))
        content = (f'<content type="html">{escape(_article_html(rng, story, slug))}</content>'
                   if full else "")
        entries.append(
            f"<entry><title>{escape(story.title)}</title>"
            f'<link rel="alternate" type="text/html" href="/{lang}/{slug}.html"/>'
            f"<id>tag:news.bench.invalid,2025:{slug}</id><published>{iso}</published>"
            f"<updated>{iso}</updated><author><name>{escape(story.author)}</name></author>"
            f'<category term="{escape(story.topic)}"/>'
            f'<summary type="html">{escape("<p>" + teaser + "</p>")}</summary>{content}'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xml:lang="{lang}" xml:base="https://news.bench.invalid/"><title>Bench News</title>'
        '<link rel="alternate" href="https://news.bench.invalid/"/>'
        "<id>tag:news.bench.invalid,2025:feed</id><updated>2025-06-01T00:00:00Z</updated>\n"
        + "\n".join(entries) + "\n</feed>\n"
    ).encode("utf-8")


HOSTILE = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Hostile &lt;b&gt;feed&lt;/b&gt;</title><link>https://evil.bench.invalid/</link>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Breaking: talks collapse</title>
<link>https://evil.bench.invalid/a1</link><guid>a1</guid>
<description>&lt;p onclick="steal()"&gt;Teaser &lt;style&gt;p{color:red}&lt;/style&gt;text
&lt;a href="javascript:alert(1)"&gt;link&lt;/a&gt;&lt;/p&gt;</description></item>
<item><title><![CDATA[<b>Bold</b> title with <img src=x onerror=alert(1)> image]]></title>
<link>https://evil.bench.invalid/a2</link><guid>a2</guid>
<description><![CDATA[<p>Plain <script>document.write('hidden')</script>teaser</p>
<noscript>noscript text</noscript><iframe src="https://evil.bench.invalid/">frame text</iframe>
<object data="x.swf">object text</object><svg><text>svg text</text></svg>
<math><mi>x</mi></math><form><input value="form value"><textarea>area text</textarea></form>
<!-- a comment --><template>template text</template><title>inner title</title>]]></description>
<content:encoded><![CDATA[<div><p>Body &amp; more</p><script>var hidden = 1;</script>
<style>.x{}</style><applet>applet text</applet><embed src="x"><p>end</p></div>]]>
</content:encoded></item>
<item><title>Markup &amp;lt;i&amp;gt;double-escaped&amp;lt;/i&amp;gt; and
&lt;em&gt;em&lt;/em&gt;</title><link>/relative/a3?utm_source=x&amp;id=3</link>
<guid isPermaLink="true">https://evil.bench.invalid/a3</guid>
<description>&lt;p&gt;&lt;a href="/rel"&gt;relative link&lt;/a&gt;
&lt;img src="/i.png" alt="alt text"&gt;&lt;/p&gt;</description>
</item>
<item><title type="html">Entities &amp;amp; &amp;#8211; dash &amp;nbsp;space</title>
<link>https://evil.bench.invalid/a4</link><guid>a4</guid>
<description>Text with &lt;unknown-tag attr="1"&gt;custom element&lt;/unknown-tag&gt; and
&lt;xmp&gt;&lt;b&gt;xmp&lt;/b&gt;&lt;/xmp&gt; &lt;plaintext&gt;plain</description></item>
</channel></rss>
"""


def generated_feeds(seed: int) -> list[Feed]:
    rng = random.Random(seed)
    feeds = []
    for count, lang, full in ((50, "en", True), (100, "de", False), (200, "en", True),
                              (500, "en", False), (300, "de", True)):
        for fmt in ("rss", "atom"):
            make = generate_rss if fmt == "rss" else generate_atom
            ctype = RSS_TYPE if fmt == "rss" else ATOM_TYPE
            name = f"{fmt}-{count}-{lang}-{'content' if full else 'summary'}"
            feeds.append(Feed(name, make(rng, count, lang, full), FEED_URL, ctype))
    return feeds


def corpus_feeds(folder: Path) -> list[Feed]:
    if not folder.is_dir():
        return []
    # Served as application/xml: without a content type feedparser flags every file bozo.
    return [Feed(f"wellformed/{p.relative_to(folder)}", p.read_bytes(),
                 f"https://corpus.bench.invalid/{p.relative_to(folder).as_posix()}",
                 "application/xml")
            for p in sorted(folder.rglob("*.xml"))]


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
def _headers(feed: Feed) -> dict[str, str]:
    headers = {"content-location": feed.url}
    if feed.content_type:
        headers["content-type"] = feed.content_type
    return headers


@contextmanager
def sanitising() -> Iterator[None]:
    """``parse_feed`` as before issue #7: feedparser's own defaults (sanitise, resolve)."""
    old = crawler.feeds._FEEDPARSER_OPTIONS
    crawler.feeds._FEEDPARSER_OPTIONS = {}
    try:
        yield
    finally:
        crawler.feeds._FEEDPARSER_OPTIONS = old


def _fp(feed: Feed, **kwargs: bool) -> None:
    feedparser.parse(io.BytesIO(feed.body), response_headers=_headers(feed), **kwargs)


def _pw(feed: Feed) -> None:
    parse_feed(feed.body, feed.url, feed.content_type)


def _pw_sanitised(feed: Feed) -> None:
    with sanitising():
        parse_feed(feed.body, feed.url, feed.content_type)


LINES: dict[str, Callable[[Feed], None]] = {
    "feedparser": _fp,
    "policywire": _pw,
    "feedparser, no sanitize/resolve": lambda f: _fp(f, sanitize_html=False,
                                                     resolve_relative_uris=False),
    "policywire, sanitize/resolve on": _pw_sanitised,
    "feedparser, no sanitize": lambda f: _fp(f, sanitize_html=False),
    "feedparser, no resolve": lambda f: _fp(f, resolve_relative_uris=False),
}
MAIN_LINES = tuple(LINES)[:4]


def measure(feeds: list[Feed], repeats: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Median seconds of one pass over ``feeds`` per line, and each feed's median; lines are
    interleaved per repeat so drift and other load hit them alike."""
    passes: dict[str, list[float]] = {name: [] for name in LINES}
    per_feed: dict[str, list[list[float]]] = {name: [[] for _ in feeds] for name in LINES}
    for _ in range(repeats):
        for name, fn in LINES.items():
            total = 0.0
            for number, feed in enumerate(feeds):
                start = time.perf_counter()
                fn(feed)
                elapsed = time.perf_counter() - start
                per_feed[name][number].append(elapsed)
                total += elapsed
            passes[name].append(total)
    return ({name: statistics.median(v) for name, v in passes.items()},
            {name: [statistics.median(v) for v in rows] for name, rows in per_feed.items()})


def downstream(entry: Entry) -> tuple[object, ...]:
    """What a record takes from an entry (see crawler.records.build_record)."""
    return (
        entry.link, entry.guid, clean_title(entry.title), clean_text(entry.title),
        html_to_text(entry.summary), html_to_text(entry.content), entry.authors,
        entry.categories, entry.published, entry.published_raw, entry.updated, entry.language,
    )


FIELDS = ("link", "guid", "title", "title_raw", "summary_text", "content_text", "authors",
          "categories", "published", "published_raw", "updated", "language")


def safety(feeds: list[Feed]) -> list[dict[str, object]]:
    """Entries whose record values change when feedparser neither sanitises nor resolves."""
    differences = []
    for feed in feeds:
        with sanitising():
            default = parse_feed(feed.body, feed.url, feed.content_type)
        raw = parse_feed(feed.body, feed.url, feed.content_type)
        for number, (a, b) in enumerate(zip(default.entries, raw.entries, strict=True)):
            for name, x, y in zip(FIELDS, downstream(a), downstream(b), strict=True):
                if x != y:
                    differences.append({"feed": feed.name, "entry": number, "field": name,
                                        "sanitised": x, "raw": y})
        if default.title != raw.title:
            differences.append({"feed": feed.name, "entry": None, "field": "feed title",
                                "sanitised": default.title, "raw": raw.title})
    return differences


def values_with_markup(feeds: list[Feed]) -> list[dict[str, object]]:
    """Record values from entries (as shipped: sanitiser off) that still contain a tag."""
    found = []
    for feed in feeds:
        for number, entry in enumerate(parse_feed(feed.body, feed.url, feed.content_type).entries):
            for name, value in zip(FIELDS, downstream(entry), strict=True):
                text = " ".join(_strings(value))
                if re.search(r"<[A-Za-z/!]", text):
                    found.append({"feed": feed.name, "entry": number, "field": name,
                                  "value": text})
    return found


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="passes per line (5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=WELLFORMED,
                        help="folder of real feeds (feedparser's well-formed test feeds)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    # parse_feed warns on every ill-formed feed it salvages; not what is measured here.
    logging.getLogger("crawler.feeds").setLevel(logging.ERROR)

    groups = {"generated": generated_feeds(args.seed), "corpus": corpus_feeds(args.corpus)}
    for feeds in groups.values():
        for feed in feeds:
            feed.entries = len(parse_feed(feed.body, feed.url, feed.content_type).entries)
    result: dict[str, Any] = {"repeats": args.repeats, "groups": {}, "per_feed": {}}
    for group, feeds in groups.items():
        if not feeds:
            continue
        entries = sum(f.entries for f in feeds)
        medians, per_feed = measure(feeds, args.repeats)
        rows = {name: {"seconds": round(s, 4), "entries_per_s": round(entries / s)}
                for name, s in medians.items()}
        both_on = medians["feedparser"]
        result["groups"][group] = {
            "feeds": len(feeds), "entries": entries,
            "megabytes": round(sum(len(f.body) for f in feeds) / 1e6, 2), "lines": rows,
            "ratio_policywire_feedparser": round(medians["policywire"] / both_on, 2),
            "gain_no_sanitize_policywire": round(
                1 - medians["policywire"] / medians["policywire, sanitize/resolve on"], 3),
            "share_of_feedparser_time": {
                "sanitize": round(1 - medians["feedparser, no sanitize"] / both_on, 3),
                "resolve": round(1 - medians["feedparser, no resolve"] / both_on, 3),
                "both": round(1 - medians["feedparser, no sanitize/resolve"] / both_on, 3),
            },
        }
        if group == "generated":
            for number, feed in enumerate(feeds):
                result["per_feed"][feed.name] = {
                    "kb": round(len(feed.body) / 1024), "entries": feed.entries,
                    **{name: round(feed.entries / per_feed[name][number])
                       for name in MAIN_LINES},
                }
    hostile = Feed("hostile", HOSTILE, "https://evil.bench.invalid/feed.xml", RSS_TYPE)
    everything = [*groups["generated"], *groups["corpus"], hostile]
    differences = safety(everything)
    # The hostile feed's cases first: the corpus repeats one pattern many times.
    marked_up = sorted(values_with_markup(everything),
                       key=lambda t: str(t["feed"]).startswith("wellformed/"))
    by_field: dict[str, int] = {}
    for diff in differences:
        by_field[str(diff["field"])] = by_field.get(str(diff["field"]), 0) + 1
    # Examples: every difference outside titles (titles differ only in resolved links).
    examples = [d for d in differences if not str(d["field"]).startswith("title")]
    examples += [d for d in differences if str(d["field"]).startswith("title")][:4]
    result["safety"] = {"differences": len(differences), "by_field": by_field,
                        "examples": examples[:30], "values_with_markup_as_shipped": marked_up}

    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        print_result(result)
    return 0


def print_result(result: dict[str, Any]) -> None:
    for group, data in result["groups"].items():
        print(f"{group}: {data['feeds']} feeds, {data['entries']} entries, "
              f"{data['megabytes']} MB; median of {result['repeats']} passes")
        for name, row in data["lines"].items():
            print(f"  {name:34s} {row['entries_per_s']:8d} entries/s  ({row['seconds']:.3f} s)")
        print(f"  ratio policywire/feedparser: {data['ratio_policywire_feedparser']:.2f}x; "
              f"policywire as shipped (no sanitize/resolve) vs sanitize/resolve on: "
              f"{100 * data['gain_no_sanitize_policywire']:.0f}% less time")
        share = data["share_of_feedparser_time"]
        print("  feedparser time saved by turning off: "
              + ", ".join(f"{k} {100 * v:.0f}%" for k, v in share.items()))
    if result["per_feed"]:
        print("per generated feed, entries/s (fp = feedparser, pw = policywire as shipped, "
              "raw = no sanitize/resolve, san = sanitize/resolve on):")
        print(f"  {'feed':28s} {'KB':>5s} {'n':>4s} {'fp':>6s} {'pw':>6s} {'fp raw':>7s} "
              f"{'pw san':>7s}")
        for name, row in result["per_feed"].items():
            values = [row[n] for n in MAIN_LINES]
            print(f"  {name:28s} {row['kb']:5d} {row['entries']:4d} {values[0]:6d} "
                  f"{values[1]:6d} {values[2]:7d} {values[3]:7d}")
    safe = result["safety"]
    print(f"safety of sanitize_html=False, resolve_relative_uris=False: "
          f"{safe['differences']} record-value differences "
          f"(by field: {json.dumps(safe['by_field'])})")
    for diff in safe["examples"]:
        print(f"  {diff['feed']} #{diff['entry']} {diff['field']}:\n"
              f"    sanitised: {diff['sanitised']!r}\n    raw:       {diff['raw']!r}")
    marked_up = safe["values_with_markup_as_shipped"]
    print(f"record values that keep HTML markup as shipped: {len(marked_up)}")
    for item in marked_up[:8]:
        print(f"  {item['feed']} #{item['entry']} {item['field']}: {item['value']!r}")


if __name__ == "__main__":
    sys.exit(main())
