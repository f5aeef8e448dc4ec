"""Build one :class:`Record` (or a :class:`Reject`) from an entry and its fetched page.

Precedence, as readers expect: the feed's date wins over the page's; the page's own date
wins over a sitemap's (a ``<lastmod>`` is the last change); the title is the one the entry's
title and the page's declarations agree on (a vote in :mod:`crawler.extract.titles`, where the
feed's title breaks ties: publishers edit page titles for search engines); the page fills what
is missing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from w3lib.url import safe_url_string

from crawler.failures import error_code
from crawler.language import choose_language
from crawler.models import Entry, Fetched, Page, Record, Reject
from crawler.normalize import (
    clean_text,
    clean_title,
    html_to_text,
    identity_url,
    to_iso,
)

_ID_LENGTH = 24
# Clocks and time zones disagree by hours; a day covers every honest case.
_FUTURE_TOLERANCE = timedelta(days=1)


def identity_key(source: str, guid: str | None, url: str, guid_unique: bool) -> str:
    """The canonical identity of an entry: its guid if unique in its feed, else its URL.

    A guid is only unique within its publisher, so it is namespaced by source; a URL is global.
    """
    if guid and guid_unique:
        return f"guid:{source}:{guid}"
    return f"url:{identity_url(url)}"


def article_keys(record: Record) -> tuple[str, str, str]:
    """The article a record is of, as its URL, as its URL in the listing (feed or sitemap)
    that gave it, and as that listing's entry (its guid too): a run writes one record of an
    article whatever listings link it (a feed's entry known by its guid, a sitemap's), but
    entries that one listing tells apart (two guids linking one landing page) stay apart;
    one entry of one listing that two sources read (a feed and the home page announcing it)
    is one. Prefixed: no record id (hex)."""
    url = identity_url(record.url)
    listing = f"url:{record.feed_url or ''} {url}"
    return f"url:{url}", listing, f"entry:{record.guid or ''} {listing}"


def record_url(link: str) -> str:
    """The link as a valid URL (RFC 3986), as Scrapy requests it: a space, ``|``, ``"`` or a
    non-ASCII letter percent-encoded, a non-ASCII host in punycode. Only what a record or
    reject shows: the entry's identity (its id, from :func:`identity_key`, and its
    fingerprint) keeps the link as the feed spelt it, so a state written before links were
    encoded knows its entries still (a changed id would write each again, as new). A link
    w3lib cannot read (a port out of range) stays as it is, for the reject that names it."""
    try:
        return str(safe_url_string(link))
    except ValueError:
        return link


def unrequestable(link: str) -> str | None:
    """Why Scrapy could not make a request of ``link`` (w3lib refuses it: a space or another
    forbidden code point in its host); None when it can. The gate asks before the request
    is made: a ``scrapy.Request`` that raises loses its whole listing."""
    try:
        safe_url_string(link)
    except ValueError as exc:
        return f"unreadable link: {exc}"
    return None


def record_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:_ID_LENGTH]


def content_hash(title: str, text: str | None) -> str:
    return hashlib.sha256(f"{title}\n{text or ''}".encode()).hexdigest()


def in_window(published: str | None, window: tuple[str | None, str | None]) -> bool:
    """Whether an ISO 8601 UTC date lies in ``[since, until)``; an unknown date does."""
    since, until = window
    if published is None:
        return True
    return (since is None or published >= since) and (until is None or published < until)


def entry_fingerprint(entry: Entry) -> str:
    """What the feed says of an entry; when it is unchanged the page is not fetched again."""
    parts = (entry.link, entry.guid, entry.title, entry.published_raw, entry.updated,
             entry.summary)
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:20]


def build_record(item: Fetched, run_id: str, fetched_at: str) -> Record | Reject:
    """Combine entry and page into a record; a reject with a reason when that is impossible."""
    entry, page = item.entry, item.page
    url = entry.link
    if not url:
        return reject(item, run_id, fetched_at, "missing_link", _no_link(entry))
    # The page's title is the vote of its declarations and of the entry's own title (the
    # spider hands that to extract_page): a feed title cut short or carrying the site's name
    # loses there to the page's whole headline. Without a page, the entry's title stands.
    raw_title = (page.title if page else None) or entry.title
    title, media = clean_title(raw_title)
    media = list(dict.fromkeys([*media, *clean_title(entry.title)[1]]))
    if not title:
        reason = error_code(item.page_error) if item.page_error else "missing_title"
        return reject(item, run_id, fetched_at, reason, item.page_error or "no title")
    text = _text(item, title)
    published, published_raw = _published(entry, page, fetched_at)
    summary = html_to_text(entry.summary) or (page.description if page else None) or None
    return Record(
        id=record_id(item.id_key or identity_key(item.source, entry.guid, url, False)),
        url=record_url(url),
        source=item.source,
        feed_url=item.feed_url,
        origin=entry.origin if item.feed_url else "page",
        guid=entry.guid,
        title=title,
        title_raw=clean_text(raw_title),
        media=media,
        summary=summary if summary != title else None,
        text=text,
        authors=list(entry.authors or (page.authors if page else ())),
        published=_plausible(published, fetched_at),
        published_raw=published_raw,
        updated=entry.updated or (entry.published if _last_change(entry) else None),
        fetched_at=fetched_at,
        language=choose_language(
            # 600 characters decide the language as well as 2,000 (measured on 466 pages).
            f"{title}. {text or summary or ''}"[:600],
            # The sources file's word first: a site's declarations are often its CMS's
            # default (a German WordPress site's feed and pages saying "en-US").
            item.source_language, page.language if page else None, entry.language,
        ),
        tags=list(dict.fromkeys([*entry.categories, *(page.tags if page else ())])),
        source_tags=list(item.source_tags),
        content_hash=content_hash(title, text or summary),
        page_error=item.page_error,
        run_id=run_id,
    )


def _no_link(entry: Entry) -> str:
    """A missing_link reject's detail: the entry named by its title and guid, the reject
    having no URL to name it by (a feed's several such entries told apart)."""
    named = [f"{entry.title!r:.80}" if entry.title else "",
             f"(guid {entry.guid!r:.80})" if entry.guid else ""]
    if not any(named):
        return "entry has no http(s) link (no title, no guid)"
    return " ".join(["entry", *filter(None, named), "has no http(s) link"])


def _published(entry: Entry, page: Page | None, fetched_at: str
               ) -> tuple[str | None, str | None]:
    """(published, its raw string): a feed's date before the page's; a sitemap's after it,
    and a feed's update stamp too. A sitemap's ``<lastmod>`` is the page's last change and
    its ``news:publication_date`` is often the listing's own stamp; an Atom entry with only
    ``<updated>`` states its last change: the day the article's page shows or declares is
    the publication, and the listing's date stands only where the page has none. A feed's
    publication stamp is an instant and stands near midnight too: "2024-05-03T22:30:00Z" is
    00:30 on the 4th in Berlin, the day the page prints. A listing's date more than a day
    after ``fetched_at`` (a typo'd year) is passed over as an unreadable one is: the page's
    own day stands (before: chosen, then dropped as implausible, leaving none)."""
    own = (page.published, page.published_raw) if page and page.published else None
    if _last_change(entry):
        # A sitemap's lone ``<lastmod>``: the page's last change, which a site's generator
        # often sets to the day the sitemap was written; no publication, even for a page that
        # states none (before, an undated page took it, an invented day).
        return own or (None, page.published_raw if page else None)
    listed = ((entry.published, entry.published_raw)
              if _plausible(entry.published, fetched_at) else None)
    page_first = entry.origin == "sitemap" or entry.published_is_update
    first, then = (own, listed) if page_first else (listed, own)
    return first or then or (None, entry.published_raw or (page.published_raw if page else None))


def _last_change(entry: Entry) -> bool:
    """Whether the entry's only date is a sitemap's ``<lastmod>`` (the record's ``updated``)."""
    return entry.origin == "sitemap" and entry.published_is_update


def _plausible(published: str | None, fetched_at: str) -> str | None:
    """A publication date more than a day after we fetched the entry is a wrong date (a
    mistyped year, a scheduled-post placeholder), not news from the future: kept raw only."""
    if published is None or not fetched_at.endswith("Z"):
        return published
    limit = datetime.fromisoformat(fetched_at.replace("Z", "+00:00")) + _FUTURE_TOLERANCE
    return published if published <= to_iso(limit) else None


def _text(item: Fetched, title: str) -> str | None:
    """The body without a leading headline: the feed's title or the page's own, worded
    alike or not (``strip_headlines`` judges variants with the story matcher's tokens)."""
    # crawler.extract (trafilatura) loads with the spiders that call this, not with every
    # importer of this module (the merge needs only article_keys).
    from crawler.extract.headlines import strip_headlines  # noqa: PLC0415

    language = item.entry.language or (item.page.language if item.page else None)
    if item.page and item.page.text:
        return strip_headlines(item.page.text, (title, item.page.title), language)
    content = html_to_text(item.entry.content)
    return strip_headlines(content, (title,), language) if content else None


def reject(item: Fetched, run_id: str, at: str, reason: str, detail: str) -> Reject:
    """The reject of an entry that gave no record: its link as a record's would show it
    (:func:`record_url`), whoever rejects it (this module, or the pipeline when building or
    keeping the record failed)."""
    link = item.entry.link
    return Reject(reason=reason, url=record_url(link) if link else link, source=item.source,
                  run_id=run_id, detail=detail, at=at)
