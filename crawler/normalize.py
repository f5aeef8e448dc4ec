"""Pure normalisation functions for display values: titles, text, URLs and dates.

These shape what a record *shows*. Matching (story merging) applies its own, harsher
normalisation on top, in :mod:`crawler.dedup.tokens`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import quote, quote_plus, unquote_plus, urljoin, urlsplit, urlunsplit

from dateutil import parser as dateutil_parser
from lxml import html as lxml_html
from lxml.etree import ParserError, XMLSyntaxError

from crawler.errors import ConfigError
from crawler.htmltags import uncrowded

# Media tags as outlets use them in headlines. Each pattern captures the tag's name; the
# name goes to the record's ``media`` field so nothing is lost when it leaves the title.
_MEDIA_WORDS = (
    r"VIDEO|VIDEOS|FOTO|FOTOS|PHOTO|PHOTOS|BILDER|AUDIO|PODCAST|LIVE|LIVEBLOG|LIVE-BLOG|"
    r"LIVE-TICKER|LIVETICKER|TICKER|EILMELDUNG|BREAKING|WATCH|UPDATE|INTERVIEW|GRAFIK|KARTE|MAP"
)
_BRACKETED = re.compile(rf"\s*[\(\[]\s*({_MEDIA_WORDS})\s*[\)\]]\s*", re.IGNORECASE)
_PREFIX = re.compile(rf"^\s*({_MEDIA_WORDS})\s*(?:[:|\-–—]|\+\+\+)\s*", re.IGNORECASE)
_SUFFIX = re.compile(rf"\s*(?:[|\-–—]|\+\+\+)\s*({_MEDIA_WORDS})\s*$", re.IGNORECASE)
_TICKER = re.compile(rf"\+\+\+\s*({_MEDIA_WORDS})\s*\+\+\+\s*", re.IGNORECASE)
_TICKER_MARKS = re.compile(r"\s*\+\+\+\s*")
# Separators at a title's start, up to its first word or a dash touching one (a minus sign).
_LOOSE_LEAD = re.compile(r"^[\s\-–—|:]*?(?=[-–][^\s\-–—|:]|[^\s\-–—|:]|$)")
_DAY_FIRST = re.compile(r"^\d{1,2}\.\s?\d{1,2}\.")
# The year of an RFC 2822 date ("Mon, 01 Jan 0001 ..."), where written with 3 or more digits.
_RFC_YEAR = re.compile(r"^\s*(?:[A-Za-z]+,?\s*)?\d{1,2}\s+[A-Za-z]+\.?\s+(\d{3,})\b")
# A year below 1000 written with four digits ("June 12, 0001", "12/06/0001"): dateutil adds a
# century to it as to "01" (2001), inventing a date.
_ZERO_CENTURY = re.compile(r"(?<![\d:.])0\d{3}(?![\d:])")
# Two days that share nothing, so a field dateutil fills from them shows.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 2, 2))
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
# Control characters that lxml refuses ("not XML compatible"); whitespace to a reader.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a displayed value may not carry: C0 controls other than whitespace, DEL and C1. Printed
# to a terminal (`sources test`, `less -R` or `cat` of the JSONL's values) ESC and CSI start
# sequences that retitle the window, clear the screen or hide what follows. C1 characters in
# text are cp1252 bytes decoded as Latin-1 ("don\x92t"): they get their cp1252 character.
_DISPLAY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")
# Elements whose content is never text a reader sees.
_INVISIBLE = "|".join(f"//{tag}" for tag in (
    "script", "style", "noscript", "iframe", "object", "embed", "applet", "svg", "textarea",
    "template", "title", "xmp", "plaintext", "head"))

# Query parameters that identify a campaign or a click, never the document.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "ocid", "cmpid",
     "ref_src", "ns_mchannel", "ns_campaign", "at_medium", "at_campaign", "wt_mc", "wt.mc_id"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Control characters in a link: Scrapy requests them percent-encoded (safe_url_string), and the
# record's URL, its id and a reject's detail say them so too, never raw (a raw ESC printed by
# `sources test` drives the terminal).
_URL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str:
    """Unescape HTML entities, apply Unicode NFC, replace control characters and collapse
    whitespace."""
    if not value:
        return ""
    text = html.unescape(html.unescape(value)) if "&amp;" in value else html.unescape(value)
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    text = _DISPLAY_CONTROLS.sub(_displayable, text)
    return _SPACE.sub(" ", text).strip()


def _displayable(match: re.Match[str]) -> str:
    """A control character's stand-in: a C1 character's cp1252 rendering, else a space."""
    code = ord(match.group())
    if 0x80 <= code <= 0x9F:
        shown = bytes([code]).decode("cp1252", errors="replace")
        return " " if shown == "\ufffd" else shown
    return " "


def clean_names(values: Iterable[object]) -> tuple[str, ...]:
    """Names or tags as displayed: each string cleaned (:func:`clean_text`), the empty ones and
    repeats left out, the first order kept. Anything but a string is no name."""
    names = (clean_text(value) for value in values if isinstance(value, str))
    return tuple(dict.fromkeys(name for name in names if name))


def split_media(title: str) -> tuple[str, list[str]]:
    """Strip media tags ("(VIDEO)", "LIVE:", "+++") from a title; return the title and the tags.
    Separators left at either end go, a leading minus too: what the matcher reads
    (crawler.dedup.titletext); :func:`clean_title` shows a title that keeps its own.

    >>> split_media("NATO: Putin scheitert (VIDEO)")
    ('NATO: Putin scheitert', ['VIDEO'])
    """
    text, tags = _untagged(title)
    return text.strip(" -–—|:"), tags


def _untagged(title: str) -> tuple[str, list[str]]:
    tags: list[str] = []

    def take(match: re.Match[str]) -> str:
        tags.append(match.group(1).upper())
        return " "

    text = _TICKER.sub(take, title)
    text = _BRACKETED.sub(take, text)
    text = _PREFIX.sub(take, text, count=1)
    text = _SUFFIX.sub(take, text, count=1)
    if "+++" in text:
        tags.append("+++")
        text = _TICKER_MARKS.sub(" ", text)
    return _SPACE.sub(" ", text), _unique(tags)


def clean_title(raw: str | None) -> tuple[str, list[str]]:
    """The display title of a raw title and the media tags it carried. Markup in a title
    (feeds send ``<b>``, and hostile ones ``<script>``) is reduced to its text.

    Separators left loose at the ends go, as in :func:`split_media`, but a dash written onto
    the word after it is the title's own ("-20 °C in Berlin": a minus), and a title of
    separators alone ("--") is kept whole rather than emptied into a missing_title reject."""
    text = html_to_text(raw) if raw and "<" in raw else clean_text(raw)
    untagged, tags = _untagged(text)
    untagged = untagged.strip()
    shown = _LOOSE_LEAD.sub("", untagged.rstrip(" -–—|:"), count=1)
    return shown or untagged, tags


def canonical_url(url: str, base: str | None = None) -> str:
    """Resolve ``url`` against ``base`` and canonicalise it for identity.

    Lower-cases scheme and host, drops default ports, the fragment, tracking parameters and
    any user name and password (a link is public; credentials are no part of its identity);
    keeps the remaining query in its original order (order can matter to servers), and a
    bare key bare: ``?item`` and ``?item=`` are different requests to some servers. Never
    raises: a URL it cannot read (a port out of range, a torn IPv6 literal) comes back as
    written, for :func:`link_problem` to name, so one bad link costs its entry alone.

    >>> canonical_url("HTTPS://Example.org:443/p?item&utm_source=x&page=2#top")
    'https://example.org/p?item&page=2'
    """
    absolute = url.strip()
    try:
        absolute = urljoin(base, absolute) if base else absolute
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        netloc = _netloc(parts.hostname, parts.port, scheme)
    except ValueError:
        return _URL_CONTROLS.sub(_percent, absolute)
    query = "&".join(_query_part(p) for p in parts.query.split("&")
                     if p and not _is_tracking(unquote_plus(p.partition("=")[0])))
    url = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    return _URL_CONTROLS.sub(_percent, url)


def _query_part(part: str) -> str:
    """``key=value`` decoded and encoded again as :func:`urllib.parse.urlencode` spells it
    (what ids were made of before bare keys were kept); a bare ``key`` stays bare."""
    key, equals, value = part.partition("=")
    spelt = quote_plus(unquote_plus(key))
    return f"{spelt}={quote_plus(unquote_plus(value))}" if equals else spelt


def identity_url(url: str) -> str:
    """A :func:`canonical_url` as record ids are keyed: each bare query key spelt ``key=``,
    as canonical URLs had it before they kept it bare, so that a state keeps knowing the
    entries it saw (``?item`` and ``?item=`` are one id, as they always were).

    >>> identity_url("https://example.org/p?item&page=2")
    'https://example.org/p?item=&page=2'
    """
    head, mark, query = url.partition("?")
    try:
        urlsplit(url).port  # noqa: B018 - what canonical_url could not read it kept as written
    except ValueError:
        return url
    if not mark or "#" in query:
        return url
    return head + mark + "&".join(p if "=" in p else f"{p}=" for p in query.split("&"))


def _percent(match: re.Match[str]) -> str:
    return quote(match.group(), safe="")


def link_problem(url: str, max_length: int) -> str | None:
    """Why ``url`` cannot be requested (``None``: it can). ``max_length`` is Scrapy's
    ``URLLENGTH_LIMIT``, past which Scrapy drops a request without a word."""
    if len(url) > max_length:
        return f"the link is {len(url)} characters long, over the limit of {max_length}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises for a port out of range or not a number
    except ValueError as exc:
        return f"unreadable link: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) link: {url[:200]}"
    if not parts.hostname:
        return f"a link without a host: {url[:200]}"
    return None


def _netloc(hostname: str | None, port: int | None, scheme: str) -> str:
    host = (hostname or "").lower().rstrip(".")
    if ":" in host:  # an IPv6 literal: urlsplit took its brackets off, the URL needs them
        host = f"[{host}]"
    return host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"


def language_code(value: object) -> str | None:
    """The ISO 639-1 part of a declared language ("de-AT", "en_GB" -> "de", "en")."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower().replace("_", "-").split("-")[0] or None


def parse_date(raw: str | None) -> str | None:
    """Parse a feed or page date to UTC ISO 8601 (``...Z``); ``None`` if it cannot be read.

    A date without a zone is taken as UTC; the caller keeps the raw string beside it. A stamp
    that UTC cannot hold ("9999-12-31T23:30:00-05:00" is in year 10000 there,
    "0001-01-01T00:00:00+14:00" in year 0) is no date either: raising would cost the page or
    entry that carries it.
    """
    if not raw or not raw.strip():
        return None
    parsed = _parse_datetime(raw.strip())
    if parsed is None:
        return None
    try:
        return to_iso(parsed)
    except OverflowError:  # astimezone(UTC) left datetime's years 1-9999
        return None


def date_option(value: str | None, name: str) -> str | None:
    """A user-given date bound (``--since``, ``--until``; ``scrapy crawl``'s ``-a since=``)
    as UTC ISO 8601, spans (``7d``) and days (``today``) read by :func:`relative_date`;
    ``None`` stays ``None``; anything unreadable is a :class:`ConfigError` naming the option."""
    if value is None:
        return None
    try:
        parsed = parse_date(relative_date(value))
    except OverflowError:  # 999999d: before year 1
        raise ConfigError(f"{name}: {value!r} reaches back before year 1") from None
    if parsed is None and _parse_datetime(value.strip()) is not None:
        raise ConfigError(f"{name}: {value!r} lies outside the years 1-9999 in UTC")
    if parsed is None:
        raise ConfigError(f"{name}: cannot read {value!r} as a date (use ISO 8601, or 7d,"
                          " 24h, 2w, yesterday, today)")
    return parsed


#: A span back from now: 7d, 24h, 2w. ASCII digits only (\d took "٣d" as 3 days), and at most
#: seven: int() refuses a 5,000-digit span with ValueError; longer ones are unreadable dates.
_AGO = re.compile(r"([0-9]{1,7})([dhw])")
_UNITS = {"d": "days", "h": "hours", "w": "weeks"}
_DAYS_BACK = {"today": 0, "yesterday": 1}


def relative_date(raw: str, now: datetime | None = None) -> str:
    """``7d``, ``24h``, ``2w`` (that long before ``now``) and ``yesterday``, ``today`` (their
    midnight, UTC) as ISO 8601; anything else as given. OverflowError past year 1."""
    now = now or datetime.now(UTC)
    word = raw.strip().lower()
    if ago := _AGO.fullmatch(word):
        return to_iso(now - timedelta(**{_UNITS[ago[2]]: int(ago[1])}))
    if word in _DAYS_BACK:
        return (now.date() - timedelta(days=_DAYS_BACK[word])).isoformat()
    return raw


def to_iso(moment: datetime) -> str:
    """A datetime as UTC ISO 8601 with a ``Z`` suffix, seconds precision."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def utc_now() -> str:
    return to_iso(datetime.now(UTC))


def _parse_datetime(raw: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        pass
    else:
        written = _written_year(parsed, raw)
        return _without_added_century(written, raw) if written is not None else None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        # Read against two defaults: a string naming no day, month or year ("0001", "June
        # 2024", "10:00") takes it from the default, a date invented; no date instead.
        parsed, other = (dateutil_parser.parse(raw, dayfirst=bool(_DAY_FIRST.match(raw)),
                                               default=default) for default in _DEFAULTS)
    except (ValueError, OverflowError, dateutil_parser.ParserError):
        return None
    return _without_added_century(parsed, raw) if parsed == other else None


def _without_added_century(parsed: datetime, raw: str) -> datetime | None:
    """``parsed`` in the year ``raw`` writes where a parser (dateutil, the email parser) added
    a century to a year written with four digits below 1000 ("June 12, 0001" read as 2001);
    ``None`` for year 0, which no datetime holds."""
    for found in _ZERO_CENTURY.finditer(raw):
        year = int(found.group())
        if parsed.year != year and parsed.year % 100 == year % 100:
            try:
                return parsed.replace(year=year)
            except ValueError:
                return None
    return parsed


def _written_year(parsed: datetime, raw: str) -> datetime | None:
    """``parsed`` in the year ``raw`` writes: the email parser takes any year below 100 for
    a two-digit one, so "01 Jan 0001" became 2001 (an invented date); a year written with
    three or more digits is that year; ``None`` where that day does not exist (year 0)."""
    found = _RFC_YEAR.match(raw)
    if found is None:
        return parsed
    try:
        return parsed.replace(year=int(found[1]))
    except ValueError:
        return None


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def html_to_text(value: str | None) -> str:
    """Plain text of an HTML fragment (feed summaries and content), whitespace collapsed."""
    if not value or not value.strip():
        return ""
    if "<" not in value:
        return clean_text(value)
    # Without the control characters the parse succeeds, and the text it gives is what the
    # same text, cleaned once more, gives again ("0\f<?" went to the fallback as "0 <?").
    value = uncrowded(_CONTROL.sub(" ", value))  # libxml2 is quadratic in a tag's attributes
    try:
        fragment = lxml_html.fragment_fromstring(value, create_parent="div")
    except (ParserError, XMLSyntaxError, ValueError):
        return clean_text(_TAG.sub(" ", value))
    for node in fragment.xpath(_INVISIBLE):
        node.drop_tree()
    return clean_text(fragment.text_content().replace("\xa0", " "))


def clean_body(text: str | None) -> str | None:
    """Whitespace-normalise each paragraph, keep paragraph breaks."""
    if not text:
        return None
    paragraphs = [clean_text(p) for p in text.split("\n")]
    return "\n".join(p for p in paragraphs if p) or None


def fold(text: str) -> str:
    """Case-folded words only: for comparing two renderings of the same headline."""
    return re.sub(r"\W+", " ", text.casefold()).strip()
