"""A site's own name in a page's titles: which names a page gives itself, and a title without
them.

The names are the page's own (``og:site_name``, ``application-name``, the publisher in
JSON-LD, a logo linking home) and its hosts' (the fetched URL's, its ``og:url``'s); a title
loses one at either end of its separators ("Headline | Site", "Site » Blog Archive »
Headline", "Headline - Wirtschaft - Süddeutsche.de"), in brackets after it or before a colon
("Reservistenblog: ..."). :mod:`crawler.extract.titles` chooses among the titles so
stripped; :mod:`crawler.extract.bylines` tells a publisher from an author by the same names.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.normalize import clean_text, fold

# Separators outlets put between a headline and their name in <title> and og:title; blogs'
# themes also "//" and "~" ("Outfit // Blogname", "Headline ~ Blogname"), breadcrumb titles
# ">" ("Site > Aktuelles > Headline"), a few "||".
SITE_SEPARATORS = re.compile(r"\s+(?:\|\||\||-|–|—|::|·|•|»|«|›|‹|//|~|>)\s+")
# A site's name in brackets after the headline: "... (neues deutschland)".
_BRACKETED_NAME = re.compile(r"\s*\(([^()]{2,60})\)\s*$")
# A name and a colon before the headline: Blogger's <title>, "Reservistenblog: Zwölf Tage ...".
_NAME_COLON = re.compile(r"^([^:]{2,60}):\s+(?=\S)")
# A colon and a name after the headline: TYPO3's page title with ``pageTitleFirst`` set
# ("Headline: Stadt Musterstadt"; its default is the other order, read above).
_COLON_NAME = re.compile(r"(?<=\S):\s+([^:]{2,60})$")
_DOMAIN = re.compile(r"\.(?:de|com|org|net|eu|int|uk|fr|at|ch)$")
# The home page's name in a breadcrumb <title> ("Headline - Startseite", "Startseite -
# Aktuelles - Headline" of TYPO3 and Joomla templates): the site's part, as its name is.
_HOME = frozenset({"startseite", "home", "homepage", "accueil", "inicio"})
# A host's name shorter than this is too likely a word of a headline ("bz", "taz") to be
# looked for inside a title's part; it names the site only as a part of its own ("Headline |
# SVZ" on svz.de, "Headline - HNA" on hna.de: regional papers and broadcasters whose
# <title> is often all the page declares).
_MIN_HOST_NAME = 4
_MIN_HOST_LABEL = 2
# Separators read at each end of a title for the piece another candidate states alone.
_END_CUTS = 8
# A site's section between the headline and its name: "Wirtschaft", "Panorama - Welt".
_SECTION_WORDS = 2
# What joins a section's two words: "Politik & Gesellschaft", "Kultur und Freizeit", and
# the small words of a section's or a tagline's phrase ("Nachrichten aus Hamburg", "News
# from the Region").
_JOINING_WORDS = frozenset({"&", "+", "und", "and", "et", "aus", "für", "im", "in", "vom",
                            "von", "zur", "zum", "der", "die", "das", "from", "for", "of",
                            "the"})
# A declared name before a tagline has a few words ("B.Z." of "B.Z. – Die Stimme Berlins");
# a first part of more is a headline put in the name's field.
_TAGLINED_NAME_WORDS = 3
# A name abbreviated by a host from fewer of its words is too likely a chance match.
_MIN_NAME_WORDS = 2
# Past this many characters a candidate is not split at its separators: each cut folds the
# text on both sides, so a hostile 20 KB <title> of " - 1 " took 18 s (1 MB: hours). The
# longest labelled title is 266 characters; "Site » Blog Archive » Headline" fits well.
_LONGEST_SPLIT = 1_000
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WWW = re.compile(r"^(?:www\d?|m|amp|mobile)\.")
_DIGIT = re.compile(r"\d")


def site_names(declared: list[str | None], *urls: str | None) -> tuple[str, ...]:
    """The site's names, squashed for comparison: the declared ones (a name and its tagline
    its name alone, a title in a name's field none: :func:`_named`) and the hosts' of
    ``urls`` (the fetched one, the page's own)."""
    # Searched cleaned: over a raw run of spaces each start of `\s+` rescans the run, hours
    # for an og:site_name of 1 MB of spaces (tests/test_security_pages.py).
    named = (squash(_named(clean_text(n))) for n in declared if n)
    names = [name for name in named if name]
    labels = (label for url in urls if url for label in host_labels(url))
    names += [squash(label) for label in labels if len(label) >= _MIN_HOST_LABEL]
    return tuple(dict.fromkeys(names))


def host_labels(url: str) -> list[str]:
    """The name parts of ``url``'s host, the domain's first ("fouryears" of
    www.fouryears.eu), then a subdomain's: a blog hosted by a platform is named by its own
    ("reservistenblog" of reservistenblog.blogspot.com, whose <title> is "Reservistenblog:
    ..."). None for a URL that names no host, or one a page declares broken ("http://[::1")."""
    try:
        host = _WWW.sub("", urlsplit(url).hostname or "")
    except ValueError:
        return []
    parts = host.split(".")
    return [parts[-2], *reversed(parts[:-2])] if len(parts) >= 2 else [p for p in parts if p]


def _named(declared: str) -> str:
    """A declared name as a name: whole without a separator; with one, its first part where
    that is a name's few words and a tagline follows ("B.Z. – Die Stimme Berlins"); else
    nothing: a title put in the wrong field ("Fishing Masters Show in Rostock - BLINKER" as
    application-name) names no site."""
    parts = SITE_SEPARATORS.split(declared)
    if len(parts) == 1:
        return declared
    return parts[0] if len(parts[0].split()) <= _TAGLINED_NAME_WORDS else ""


def strip_site_name(title: str, site_name: str | None, host_hint: str | None = None) -> str:
    """Remove a "Headline | Site" style suffix or prefix when it names the site."""
    names = tuple(squash(n) for n in (site_name, host_hint) if n and squash(n))
    return without_site(title, names, set())


def squash(text: str) -> str:
    """Letters and digits only, case-folded: "La Stampa", "lastampa.it" -> comparable. An
    umlaut is written as a host writes it ("Süddeutsche Zeitung" of sueddeutsche.de; ß is
    "ss" once case-folded)."""
    return re.sub(r"\W+", "", text.casefold().translate(_UMLAUTS))


def without_site(title: str, names: tuple[str, ...], others: set[str]) -> str:
    """``title`` without a site's name at its start or end. A part another candidate
    states alone is the headline (the page itself says where its name ends); else a
    separated end part naming the site goes, and after a site's name at the start the
    last part is the headline ("Site » Blog Archive » Headline")."""
    title = clean_text(title)
    cuts = list(SITE_SEPARATORS.finditer(title)) if len(title) <= _LONGEST_SPLIT else []
    # A headline and a site's name, section or tagline: a few separators at either end. Each
    # piece is folded whole, so reading every cut of a title of thousands was quadratic
    # (5,000 cuts, 88 KB: 20 s a page).
    for cut in dict.fromkeys([*cuts[:_END_CUTS], *cuts[-_END_CUTS:]]):
        for piece in (title[:cut.start()], title[cut.end():]):
            # Not the site's name: a logo h1 must not make it the headline.
            if fold(piece) in others and not is_site(piece, names):
                return piece
    bracketed = _BRACKETED_NAME.search(title)
    if bracketed and (_names_site(bracketed.group(1), names)
                      or fold(title[:bracketed.start()]) in others):
        return title[:bracketed.start()]
    ends = [cut.start() for cut in cuts[1:]] + [len(title)] if cuts else []
    parts = [title[cut.end():end] for cut, end in zip(cuts, ends, strict=True)]
    for index, part in enumerate(parts):
        # The first later part naming the site ends the headline: what follows it is the
        # site's too, its tagline ("... » SciLogs - Wissenschaftsblogs"); the short parts
        # just before it are its sections ("... - Wirtschaft - Süddeutsche.de").
        # Not where the title starts with the site's part ("Startseite - Site - Headline":
        # a breadcrumb from the home page), which the leading name's rule reads.
        if _names_site(part, names) and squash(title[:cuts[0].start()]) not in _HOME:
            first = index
            while first > 0 and _is_section(parts[first - 1]):
                first -= 1
            return title[:cuts[first].start()]
    return _without_leading_name(title, names, cuts)


def _is_section(part: str) -> bool:
    """A site's section in a few words and no figures ("Wirtschaft", "Politik &
    Gesellschaft": the joining word is no word of its own; a score, "Dortmund 2:1", is a
    headline's)."""
    words = [word for word in part.split() if word.casefold() not in _JOINING_WORDS]
    return len(words) <= _SECTION_WORDS and not _DIGIT.search(part)


def _without_leading_name(title: str, names: tuple[str, ...], cuts: list[re.Match[str]]) -> str:
    """``title`` without a site's name at its start: after a colon (Blogger's "Blog Name:
    Headline"; or before one at its end, "Headline: Site"), or a separator: the last part
    is the headline where the separators are all alike ("Site » Blog Archive » Headline"),
    else all after the name."""
    named = _NAME_COLON.match(title)
    if named and is_site(named.group(1), names):
        return title[named.end():]
    named = _COLON_NAME.search(title) if len(title) <= _LONGEST_SPLIT else None
    if named and is_site(named.group(1), names):
        return title[:named.start()]
    if cuts and _names_site(title[:cuts[0].start()], names):
        same = {m.group().strip() for m in cuts}
        return title[cuts[-1].end():] if len(same) == 1 else title[cuts[0].end():]
    return title


def _names_site(part: str, names: tuple[str, ...]) -> bool:
    squashed = squash(part)
    if not squashed:
        return False
    if squashed in _HOME or _DOMAIN.search(part.strip().lower()):
        return True
    return any(squashed == n or (len(n) >= _MIN_HOST_NAME and n in squashed)
               or (len(squashed) >= _MIN_HOST_NAME and squashed in n)
               or _abbreviated(part, n) for n in names)


def _abbreviated(part: str, name: str) -> bool:
    """Whether ``name`` (squashed) is made of the starts of two or more of ``part``'s words,
    in order, other words left out: a host names its site so ("cdu-fraktion-erfurt" of
    "CDU-Fraktion im Erfurter Stadtrat", "spd-berlin" of "SPD Landesverband Berlin")."""
    rest, used = name, 0
    for word in (squash(w) for w in re.split(r"[\W_]+", part)):
        shared = _common_start(word, rest)
        if shared and (shared == len(word) or shared == len(rest)):
            rest, used = rest[shared:], used + 1
        if not rest:
            return used >= _MIN_NAME_WORDS
    return False


def is_site(text: str, names: tuple[str, ...]) -> bool:
    """Whether ``text`` is no more than a site's name ("Four Years Remaining" on
    fouryears.eu): a name makes up half of it or more, or it of a name. A number beside the
    name makes a headline of it ("Gitarre & Bass 02/2022", an issue of the magazine)."""
    squashed = squash(text)
    return any(squashed == n or (n in squashed and 2 * len(n) >= len(squashed)
                                 and not _DIGIT.search(squashed.replace(n, "")))
               or (squashed in n and 2 * len(squashed) >= len(n)) for n in names)


def _common_start(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))
