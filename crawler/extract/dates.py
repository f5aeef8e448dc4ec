"""The publication date: the day the page shows its reader, else its structured
declarations where they agree, else htmldate.

The date line by the headline, or a date the page labels as its publication
(:mod:`crawler.extract.shown`), is what readers and labels take for the day; a declaration
of that day adds its time. One thing outranks it: a whole day in the URL's path, which a CMS
sets when the article first appears and never changes, where the date line shows a later
one (a republication; on the labelled pages the URL's day is the label's on all 16 that
have one but a typo and an update). Without a date line: htmldate (inside trafilatura) weighs
many signals and reports a day; it beats a lone meta tag on the day but reads modification
stamps too (Reuters' ``sailthru.date`` is the last edit). Structured publication dates
(JSON-LD ``datePublished``, ``article:published_time`` and the like; never a modification
date) and the date in the URL are independent declarations: when two of them name one day,
that day is the publication day even against htmldate. Otherwise htmldate's day stands, and
a declared timestamp of that day adds the time. Nothing is invented: htmldate's day counts
only where the page states it as its own (:mod:`crawler.extract.weighed`), a day only a
modification stamp names is none, and a header showing only the edit's day gives way to an
earlier declared publication; no declaration, no htmldate day and no permalink day, no date.
Days are the publisher's (:mod:`crawler.extract.zones`).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from datetime import date, tzinfo

from crawler.extract.zones import in_zone, zoned_day
from crawler.normalize import parse_date as _parse_date

# /2024/03/08/ or /2024-03-08/ in a URL's path: a CMS's permalink carries the day it published.
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|\D)")
# 10/05/2022: day and month each 12 or less, so it reads both ways.
_BOTH_WAYS = re.compile(r"^\s*(0?[1-9]|1[0-2])/(0?[1-9]|1[0-2])/((?:19|20)\d\d)(?!\d)")
# A year written with two zeros for its century: "0001" (htmldate reads it as 2001).
_ZERO_CENTURY = "(?<!\\d)00{}(?![\\d:])"
_ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
# Two declarations naming one day outvote htmldate.
_AGREEING = 2


def url_day(url: str | None) -> str | None:
    """The day a URL's path names (``YYYY-MM-DD``), if any."""
    found = _URL_DAY.search(url or "")
    return "-".join(part.zfill(2) for part in found.groups()) if found else None


def invented_century(day: str | None, markup: str) -> bool:
    """Whether htmldate's ``day`` has a century the page never wrote: its year's last two
    digits appear as "00YY" and its own four digits nowhere (a page dated "0001-06-12",
    which htmldate reports as 2001-06-12; no such date is better than an invented one)."""
    if not day or not day[:4].isdigit():
        return False
    year = day[:4]
    if re.search(rf"(?<!\d){year}(?!\d)", markup):
        return False
    return re.search(_ZERO_CENTURY.format(year[2:]), markup) is not None


def latest_day(stamps: list[str | None]) -> date | None:
    """The latest day the page's own stamps state (its publication and modification
    declarations, its URL's day), in UTC: a day written without its year in the header is
    read against it (:func:`crawler.extract.daytext.days_in`)."""
    days = [_day(stamp) for stamp in stamps if stamp and parse_date(stamp)]
    return max((date.fromisoformat(day) for day in days if _ISO_DAY.match(day)), default=None)


def dated_url(url: str | None, own: str | None) -> str | None:
    """The URL whose path may name the publication day: the fetched one where it names a day,
    else the one the page gives itself (``og:url``, canonical link). A page served from a
    mirror or loopback (a one-off scrape of a local copy) keeps its permalink's day."""
    return url if url_day(url) or not own else own


def choose_date(declared: list[str | None], modified: list[str | None], url: str | None,
                weighed: str | None, shown: tuple[str, str] | None = None, *,
                zone: tzinfo | None = None) -> tuple[str | None, str | None]:
    """(published as UTC ISO 8601, the raw string it came from) from the page's declared
    publication dates (first is preferred), its declared modification dates, its URL,
    htmldate's ``weighed`` day and the (day, as written) its article's header ``shown``.

    ``zone``: the publisher's (:func:`crawler.extract.zones.page_zone`). A stamp written in
    UTC is read there, so it names the day the publisher's page shows; where that is another
    day than UTC's, the record carries that day as a bare day is carried (00:00Z) and
    ``published_raw`` the stamp as found: a day-filter meets the article on the day its page
    states, and no string the page did not write is passed off as found."""
    weighed = _weighed_in_zone(weighed, [*declared, *modified], zone)
    backed = {day for day in [url_day(url), weighed and weighed[:10]] if day}
    edits: list[str | None] = [in_zone(m, zone) for m in modified if m]
    backed.update(_day(m) for m in edits if m and parse_date(m))
    # Each declaration as read (restated in the publisher's zone, a both-ways one perhaps
    # day first) -> as the page wrote it.
    readings = {_day_first(in_zone(raw, zone), backed): raw for raw in declared
                if raw and parse_date(raw)}
    found = dict(readings)
    if shown is not None:
        found.setdefault(in_zone(shown[1], zone), shown[1])
        shown = (shown[0], in_zone(shown[1], zone))
    # How many of the page's fields declare each reading: JSON-LD's and
    # ``article:published_time``'s one stamp are two declarations of it.
    fields = Counter(_day_first(in_zone(raw, zone), backed) for raw in declared
                     if raw and parse_date(raw))
    published, reading = _choose(list(readings), edits, url, weighed, shown, fields=fields)
    raw = found.get(reading or "", reading)
    if raw is None:
        # No date at all: a declaration none could read ("9999-12-31T23:30:00-05:00", in
        # year 10000 in UTC) is still kept as written, as a feed's is; never a date.
        return None, next((d.strip() for d in declared if d and d.strip()), None)
    publishers_day = zoned_day(raw, zone)
    return (parse_date(publishers_day) if publishers_day else published), raw


def _weighed_in_zone(weighed: str | None, stamps: list[str | None],
                     zone: tzinfo | None) -> str | None:
    """htmldate's day, read in the publisher's zone: it reads a UTC stamp's UTC day, so
    where its day is the one a UTC stamp of the page writes and that stamp falls on another
    day in the zone, it is that day (a German blog's "2024-06-14T22:15:38+00:00")."""
    if weighed is None:
        return None
    for stamp in stamps:
        local = zoned_day(stamp, zone) if stamp else None
        if local is not None and stamp and stamp.strip()[:10] == weighed[:10]:
            return local
    return weighed


def _choose(raws: list[str], modified: list[str | None], url: str | None, weighed: str | None,
            shown: tuple[str, str] | None, *,
            fields: Counter[str] | None = None) -> tuple[str | None, str | None]:
    permalink = url_day(url)
    if permalink is not None and shown is not None and shown[0] > permalink:
        # The URL's day is set when the article is first published and never changes; a
        # later date line may show a republication (befifty.de's "Jun 17" 2019 at
        # /2017/7/12/). An earlier one stands (a story prepared before it went up, or the
        # event's day): on the labelled pages ">" and "!=" score the same (eval_extract).
        return _shown((permalink, permalink), raws)
    edited_days = {_day(m) for m in modified if m and parse_date(m)}
    if shown is not None:
        earlier = _before_the_edit(shown[0], raws, edited_days)
        return _shown(shown, raws) if earlier is None else (parse_date(earlier), earlier)
    # A "publication" stamp equal to the second to a modification stamp is the edit's (some
    # CMSs fill ``sailthru.date`` and the like with the last edit): it does not vote.
    stamps = {parse_date(m) for m in modified if m}
    votes: Counter[str] = Counter()
    for raw in raws:
        if parse_date(raw) not in stamps:
            votes[_day(raw)] += (fields or Counter()).get(raw, 1)
    votes.update([d for d in [url_day(url)] if d])
    if not raws and weighed is not None and weighed[:10] in edited_days - set(votes):
        # htmldate's day is the edit's and nothing declares a publication (WordPress's
        # static pages, a Drupal node with only ``og:updated_time``): no date.
        weighed = None
    agreed = [day for day, count in votes.most_common() if count >= _AGREEING]
    # htmldate's day that one declaration states (a generic ``<meta name="date">`` a CMS
    # fills with the page's render time) against a day two others agree on
    # (``article:published_time`` and JSON-LD): outvoted as an undeclared one is.
    lone = weighed is not None and votes.get(weighed[:10], 0) < _AGREEING
    if raws and weighed is not None and (weighed[:10] not in votes or (lone and agreed)):
        # htmldate's day is a modification stamp, or two declarations outvote it and the
        # URL does not back it.
        edited = weighed[:10] in {_day(m) for m in modified if m and parse_date(m)}
        if edited or (agreed and url_day(url) != weighed[:10]):
            day = agreed[0] if agreed else _day(raws[0])
            raw = next((r for r in raws if _day(r) == day), raws[0])
            return parse_date(raw), raw
    if weighed is None:
        return _unweighed(raws, permalink)
    same_day = next((r for r in raws if _day(r) == weighed[:10]), None)
    if same_day is not None:
        return parse_date(same_day), same_day
    return parse_date(weighed), weighed


def _before_the_edit(shown: str, raws: list[str], edited_days: set[str]) -> str | None:
    """The declared publication to take where the header shows only the last edit's day
    unlabelled (``<time datetime>`` of the edit by the headline, JSON-LD ``dateModified``
    of that day): a declaration of an earlier day, none of that day. ``None``: the header's
    day stands."""
    if shown not in edited_days or any(_day(raw) == shown for raw in raws):
        return None
    return next((raw for raw in raws if _day(raw) < shown), None)


def _unweighed(raws: list[str], permalink: str | None) -> tuple[str | None, str | None]:
    """No day weighed (or none the page states as its own, :mod:`crawler.extract.weighed`:
    htmldate read the permalink's day, and an archive's in the sidebar before it): the first
    declaration, else the permalink's day (WordPress's /2013/09/12/slug/)."""
    if raws:
        return parse_date(raws[0]), raws[0]
    return (parse_date(permalink), permalink) if permalink else (None, None)


def _day_first(raw: str, backed: set[str]) -> str:
    """A declaration written "10/05/2022 05:22 pm" reads as 5 October (dateutil's order, the
    US one) or as 10 May. Where the page's other evidence (its modification stamp, htmldate's
    day, its URL's) backs the day-first reading and not the other, it is read day first:
    El Universal's, modified "2022/05/10 17:36:11". Otherwise it stays as written."""
    found = _BOTH_WAYS.match(raw)
    if found is None or found[1] == found[2]:
        return raw
    swapped = f"{found[2]}/{found[1]}/{found[3]}{raw[found.end():]}"
    return swapped if _day(swapped) in backed and _day(raw) not in backed else raw


def _shown(shown: tuple[str, str], raws: list[str]) -> tuple[str | None, str | None]:
    """The day the header shows, with the time of a declaration of that day if one has it
    (or the header's own ``<time datetime>``); else that day at midnight UTC, as a bare day
    from htmldate would be."""
    day, written = shown
    timed = next((raw for raw in [*raws, written] if _day(raw) == day), None)
    if timed is not None and parse_date(timed):
        return parse_date(timed), timed
    return parse_date(day), written


def parse_date(raw: str | None) -> str | None:
    """:func:`crawler.normalize.parse_date`, quiet about zones it cannot read: dateutil warns
    of "2020-01-10T00:59:47ZZ" (Salon's dateModified) and the stamp is read as UTC; a warning
    per page says nothing the record does not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _parse_date(raw)


def _day(raw: str) -> str:
    """The day a declaration names, as the publisher wrote it (its own zone): a stamp of
    23:00Z is the next day in Berlin, and pages state local days."""
    stripped = raw.strip()
    if re.match(r"^\d{4}-\d\d-\d\d", stripped):
        return stripped[:10]
    return (parse_date(stripped) or "")[:10]
