"""Why a labelled page's title or date is missed: a cause class read off the page's evidence.

``benchmarks/eval_extract.py --title-misses --date-misses`` lists every miss of the 166
labelled pages with one of these classes, so that rules are written for causes that recur,
not for one page. The classes are read mechanically from where the label's and the chosen
value appear (the URL, the page's declarations, its visible text); they say where to look,
and a class of "nowhere on the page" bounds what any rule can reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lxml import html as lxml_html

from crawler.extract.dates import url_day
from crawler.extract.daytext import days_in
from crawler.extract.sitenames import SITE_SEPARATORS
from crawler.normalize import fold, parse_date

# Declarations of the publication and of the last edit, by the names pages give them.
_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"|(?:article:published_time|'
                        r'name="(?:date|pubdate|DC\.date\.issued|dcterms\.date)")"?'
                        r'\s+content="([^"]+)"', re.IGNORECASE)
_MODIFIED = re.compile(r'"dateModified"\s*:\s*"([^"]+)"|(?:article:modified_time|'
                       r'og:updated_time|last-modified|DC\.date\.modified)"?\s+content="([^"]+)"',
                       re.IGNORECASE)
_HEADLINE = re.compile(r'"headline"\s*:\s*"([^"]+)"')
_SOCIAL = ("og:title", "twitter:title")
# A kicker's words at most (as :data:`crawler.extract.titles.KICKER_WORDS`).
_KICKER_WORDS = 5


def _stamped_days(pattern: re.Pattern[str], markup: str) -> set[str]:
    found = {parse_date(a or b) for a, b in pattern.findall(markup)}
    return {day[:10] for day in found if day}


def _shown_days(tree: lxml_html.HtmlElement) -> set[str]:
    text = " ".join(" ".join(tree.xpath("//body//text()[not(ancestor::script or "
                                        "ancestor::style)]")).split())
    return {day for day, _ in days_in(text)}


@dataclass(frozen=True)
class _DayEvidence:
    """Where a page states days: its publication and edit declarations, its visible text,
    its URL; and the label's day against the chosen one."""

    label: str
    found: str | None
    published: set[str]
    modified: set[str]
    shown: set[str]
    urls: set[str]
    markup: str

    def nowhere(self) -> bool:
        stated = self.published | self.modified | self.shown | self.urls
        return self.label not in stated and self.label not in self.markup

    def day_off(self) -> bool:
        return bool(self.found) and abs((date.fromisoformat(str(self.found))
                                         - date.fromisoformat(self.label)).days) == 1


# The classes in the order they are tried: the first whose test holds names the miss.
_DAY_CAUSES: tuple[tuple[Callable[[_DayEvidence], bool], str], ...] = (
    (_DayEvidence.nowhere, "the label's day is nowhere on the page (typo'd, absent, or a "
                           "script's)"),
    (lambda e: not e.found and e.label in e.shown and e.label not in e.published | e.urls,
     "no date found (the label's only in the text)"),
    (lambda e: not e.found, "no date found"),
    (lambda e: e.found in e.modified and e.found not in e.published,
     "a modification date chosen"),
    (lambda e: e.label in e.modified and e.label not in e.published,
     "the label is the modification date (an update line, a stamp)"),
    (_DayEvidence.day_off, "a day off: a time zone (a UTC stamp against the local day)"),
    (lambda e: e.found in e.urls, "the URL's day against the label"),
    (lambda e: e.label in e.urls, "the URL's day (the label's) not taken"),
    (lambda e: e.found in e.published and e.label not in e.published,
     "a declared publication (JSON-LD, meta) against the label"),
    (lambda e: e.label in e.shown and e.label not in e.published,
     "the label's day only in the text (a line, not the header's)"),
)


def date_cause(label: str, found: str | None, markup: str, url: str) -> str:
    """The class of a missed date (``label`` and ``found`` ``YYYY-MM-DD``)."""
    tree = lxml_html.fromstring(markup or "<html/>")
    evidence = _DayEvidence(label, found, _stamped_days(_PUBLISHED, markup),
                            _stamped_days(_MODIFIED, markup), _shown_days(tree),
                            {day for day in [url_day(url)] if day}, markup)
    return next((cause for test, cause in _DAY_CAUSES if test(evidence)),
                "another day of the page chosen (the site's today, a sidebar, a comment)")


def _candidates(markup: str) -> list[str]:
    tree = lxml_html.fromstring(markup or "<html/>")
    found = [" ".join(node.text_content().split()) for node in tree.iter("h1", "title")]
    found += [str(meta.get("content") or "") for meta in tree.iter("meta")
              if (meta.get("property") or meta.get("name")) in _SOCIAL]
    found += _HEADLINE.findall(markup)
    return found + [part for text in found for part in SITE_SEPARATORS.split(text)]


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def title_cause(label: str, found: str | None, markup: str) -> str:
    """The class of a missed title."""
    wanted, ours = _plain(label), _plain(found or "")
    if not found:
        return "no title found"
    if label.isupper() and label == found.upper():
        return "capitals the page's text does not have (a stylesheet's)"
    return _kicker(wanted, ours) or _cut(wanted, ours) or (
        "the label is no candidate's words (a subtitle, a rewording)"
        if fold(label) not in {fold(text) for text in _candidates(markup)}
        else "another candidate chosen")


def _kicker(wanted: str, ours: str) -> str | None:
    """A few words (or words and a colon) before the one that the other ends with."""
    if not (ours.endswith(wanted) or wanted.endswith(ours)):
        return None
    kept = ours.endswith(wanted)
    rest = (ours[:-len(wanted)] if kept else wanted[:-len(ours)]).strip()
    if rest.endswith(":") or len(rest.split()) <= _KICKER_WORDS:
        return "a kicker kept" if kept else "a kicker left out (the label keeps it)"
    return None


def _cut(wanted: str, ours: str) -> str | None:
    """One the other's start: a separated part (a site's name, a section) or a cut."""
    if not (ours.startswith(wanted) or wanted.startswith(ours)):
        return None
    longer = max(ours, wanted, key=len)
    rest = longer[min(len(ours), len(wanted)):].lstrip()
    if rest[:1] in set(":|-–—·•»/~>"):
        return "a site's name or section kept" if longer == ours else \
            "a site's name left out (the label keeps it)"
    return "truncation: the label or the title cut short"
