"""A title's surface before its words become tokens: what is cut from it (media tags, outlet
names, wire-service slugs, column names), how much of a title or body is read, and the
patterns that find its words, numbers, designations and dotted acronyms
(:mod:`crawler.dedup.tokens` applies them in its steps 1-3)."""

from __future__ import annotations

import re

from crawler.normalize import split_media

_SEPARATORS = r"\s*(?:[:|\-–—]|::)\s*"
ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
# A number (with thousands separators or decimals, and an ordinal suffix that is dropped), or
# a run of letters with inner apostrophes. Hyphens, slashes and dots separate words.
WORD = re.compile(
    r"(\d+(?:[.,]\d+)*)(?:(?:st|nd|rd|th|er|re|e|ème|eme)\b|-?(?:й|я|е|го|му|ий|ая|ое)\b)?"
    r"|([^\W\d_]+(?:['’][^\W\d_]+)*)"
)
# A designation: a capital (and one more letter), an all-capitals word or "MiG", then a number
# joined to it or hyphenated, an optional capital after it and an optional plural "s".
DESIGNATION = re.compile(r"\b([A-Z][a-z]?|[A-Z]{2,6}|MiG)-?(\d{1,4}[A-Z]?)(?:s)?\b")
# Wire-service slugs and column names before a title: "UPDATE 2-", "EXCLUSIVE-", "REFILE-",
# "Opinion:", "Analyse:", "Sanctions watch:", "Podcast „Streitkräfte und Strategien“:".
# They say what kind of piece it is, not what happened, and two pieces of one column share
# them.
_SLUG = re.compile(
    r"^(?:(?:exclusive|exklusiv|update(?:\s*\d+)?|wrapup(?:\s*\d+)?|refile|corrected"
    r"|rpt|factbox|insight|breakingviews)\s*[-:]\s*)+", re.IGNORECASE)
_COLUMN = re.compile(
    r"^(?:opinion|analysis|explainer|comment|commentary|editorial|column|kommentar|meinung"
    r"|analyse|leitartikel|gastbeitrag|kolumne|podcast|tribune|tribune libre|chronique"
    r"|éditorial|[^\W\d_]+\s+watch)\b[^:]{0,60}:\s*", re.IGNORECASE)
# A hyphen after a negating word makes an adjective ("no-frills", "non-EU", "nicht-öffentlich",
# "un-American"), not a negation: the two are joined before words are split. Not "UN-": the
# United Nations ("UN-Sicherheitsrat" is "Sicherheitsrat der UN", not "unsich rat").
NEGATED_COMPOUND = re.compile(r"\b((?i:no|non|nicht)|[Uu]n)-(?=\w)")
# An article or "one" before a scale word is the count 1: "eine Million", "a billion",
# "one million" and "1 million" are one amount (and differ from "500.000").
ONE_SCALE = re.compile(
    r"\b(?:an?|one|eine?|une?)\s+(?=(?:m|b|tr)illi(?:ons?|onen|ards?|arden?)\b)", re.IGNORECASE)
HAS_DIGIT = re.compile(r"\d")
# Without one of these characters neither a media tag (normalize.split_media: brackets,
# "+++", separators) nor an outlet name (_SEPARATORS) can be cut from a title.
_CUT_MARKS = frozenset("([+:|-–—")
#: The characters of a title that matching reads: headlines run to ~100-250 (a German one
#: with its kicker), so 400 leaves every headline whole and bounds a hostile one.
TITLE_CHARS = 400
#: The characters of a body that matching reads: news articles run to ~2,000-40,000 (a long
#: read ~60,000), so 100,000 leaves every article whole and bounds a hostile one (a 20 MB
#: body made a 3-million-word list and peaked at 1.4 GB in ``policywire dedup``).
BODY_CHARS = 100_000


def strip_title(title: str, outlets: tuple[re.Pattern[str], ...]) -> str:
    """The title without media tags, outlet names (``outlets``: :func:`outlet_patterns`),
    wire-service slugs and column names."""
    if _CUT_MARKS.isdisjoint(title):  # nothing to cut: what split_media would return
        return " ".join(title.split())
    text, _ = split_media(title)
    for pattern in outlets:
        text = pattern.sub("", text).strip()
    if ":" in text or "-" in text:
        text = _COLUMN.sub("", _SLUG.sub("", text), count=1)
    return text


def outlet_patterns(outlets: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """A suffix ("... - Reuters", "... | DW") and a prefix ("tagesschau.de: ...") pattern."""
    alternatives = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    return (
        re.compile(rf"{_SEPARATORS}(?:{alternatives})\s*$", re.IGNORECASE),
        re.compile(rf"^(?:{alternatives}){_SEPARATORS}", re.IGNORECASE),
    )


def prefix(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, to the last space within them (whole words)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[:cut if cut > 0 else limit]
