"""The page's headline, chosen among the candidates it declares by their agreement.

A page names its headline up to five times: JSON-LD ``headline``, ``og:title``,
``twitter:title``, the ``h1`` and ``<title>``; the feed entry that linked it is a sixth. Each
fails somewhere: ``og:title`` cut at a quote ("Senador republicano califica a Biden de"), a
JSON-LD headline cut with "...", an ``h1`` holding the site's logo ("Four Years Remaining") or
a kicker, ``<title>`` carrying the site's name, a social title reworded for sharing. No fixed
order of preference survives all of these, but the candidates that are right agree with each
other, and the broken ones are recognisable:

1. each candidate loses the site's name at either end of its separators; the names are the
   page's own (``og:site_name``, ``application-name``, the publisher in JSON-LD, a logo
   linking home, the host of the fetched URL and of the page's own ``og:url``/canonical
   link); where a part of it is what another candidate or a heading of the page states
   alone, that part is the headline;
2. a candidate that is the site's name, or another's start (a strict prefix, perhaps with
   an ellipsis: truncated) is passed over; one that a heading of the page continues is
   taken as the heading states it (the heading is the headline whole);
3. the feed's title, where it is left, wins (written as step 4 says); else the rest vote: a
   candidate scores one per independent declaration that says the same words
   (``og:title``, ``twitter:title`` and ``<title>`` count as one: an SEO plugin writes all
   three from its one "SEO title", reworded for search: "Aldi Beef Maker Test - CHIP" over
   the h1's "Beef Maker von Aldi im Test"; a candidate's words vote whatever marks join
   them, an h1 of adjacent kicker and headline spans with og:title's "Kicker: Headline");
   ties go to the editorial ones (the article's ``h1``, JSON-LD) over the social and
   ``<title>`` ones, which are reworded for sharing and search, then to the one sharing
   more match tokens with the others;
4. the winner is written as the page writes it: of the renderings of its words the fullest
   (an ``h1`` joined from a kicker's and a headline's spans loses the colon between them),
   then the ``h1``'s or JSON-LD's (curly quotes, dashes) before the feed's and the social
   ones, which CMSs often flatten to ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.dedup.tokens import match_tokens
from crawler.normalize import clean_text, fold

# Separators outlets put between a headline and their name in <title> and og:title; blogs'
# themes also "//" and "~" ("Outfit // Blogname", "Headline ~ Blogname"), breadcrumb titles
# ">" ("Site > Aktuelles > Headline"), a few "||".
SITE_SEPARATORS = re.compile(r"\s+(?:\|\||\||-|–|—|::|·|•|»|«|›|‹|//|~|>)\s+")
# A site's name in brackets after the headline: "... (neues deutschland)".
_BRACKETED_NAME = re.compile(r"\s*\(([^()]{2,60})\)\s*$")
# A name and a colon before the headline: Blogger's <title>, "Reservistenblog: Zwölf Tage ...".
_NAME_COLON = re.compile(r"^([^:]{2,60}):\s+(?=\S)")
_ELLIPSIS = ("...", "…")
# A timestamp a CMS appends to its titles: "So viel Regen gab es lange nicht : 31.10.2023,
# 10.19 Uhr". Digits and date punctuation only after the separator, so no headline ends so.
# One possessive run holding a digit (the lookahead): `[...]*\d[...]*` tried every digit of a
# long run as the one between them: 26 s for a title of 20,000 "1 " (test_security_pages).
_TIMESTAMP_TAIL = re.compile(r"\s+[:|\-–—]\s+(?=[.,:/ ]*\d)[\d.,:/ ]*+(?:Uhr|h)?$")
# Where the tail may start, counted from the title's end: the longest ("  :  31.10.2023,
# 10.19 Uhr") is some 30 characters. ":" is both a separator and in the run, so searched from
# the start, each " : 1" of a long title began a run to the end: 9 s for 160 KB.
_TIMESTAMP_REACH = 64
# What may follow a shorter candidate in a longer one for the shorter to be whole: a
# separator. Words or a quote after it mean the shorter was cut ("... a Biden de").
_CONTINUATION_MARKS = ":|-–—(·•»«›‹/~>+"
_DOMAIN = re.compile(r"\.(?:de|com|org|net|eu|int|uk|fr|at|ch)$")
# The home page's name in a breadcrumb <title> ("Headline - Startseite", "Startseite -
# Aktuelles - Headline" of TYPO3 and Joomla templates): the site's part, as its name is.
_HOME = frozenset({"startseite", "home", "homepage", "accueil", "inicio"})
# A host's name shorter than this is too likely a word of a headline ("bz", "taz").
_MIN_HOST_NAME = 4
# Where votes tie on words and tokens: the visible headline and the structured one first.
_PRIORITY = ("h1", "ld", "md", "feed", "og", "twitter", "title")
# The headline as the newsroom wrote it, for readers and for machines; social titles are
# reworded for sharing and <title> for search engines ("What we learned from ..." on CNN).
_EDITORIAL = frozenset({"h1", "ld", "md"})
# Microdata's headline and JSON-LD's are one structured declaration: a CMS fills both. The
# social titles and <title> are one too: Yoast, Rank Math and the CMSs' SEO fields write
# og:title and twitter:title from the "SEO title" that <title> carries (with the site's name).
_GROUPS = {"feed": "feed", "ld": "ld", "md": "ld", "og": "social", "twitter": "social",
           "h1": "h1", "title": "social"}
# Separators read at each end of a title for the piece another candidate states alone.
_END_CUTS = 8
# A site's section between the headline and its name: "Wirtschaft", "Panorama - Welt".
_SECTION_WORDS = 2
# What joins a section's two words: "Politik & Gesellschaft", "Kultur und Freizeit".
_JOINING_WORDS = frozenset({"&", "+", "und", "and", "et"})
# A name abbreviated by a host from fewer of its words is too likely a chance match.
_MIN_NAME_WORDS = 2
# A kicker names a topic in a few words ("Wehrdienst", "Krieg in der Ukraine").
KICKER_WORDS = 5
# A ticker's label between plus signs before the headline: "+++ Eilmeldung +++ ...".
_TICKER = re.compile(r"^\+{3}\s*([^+]+?)\s*\+{3}$")
# A candidate a heading may continue has at least this many words ("News" is a label).
_MIN_WORDS = 3
_DIGIT = re.compile(r"\d")
# Past this many characters a candidate is not split at its separators: each cut folds the
# text on both sides, so a hostile 20 KB <title> of " - 1 " took 18 s (1 MB: hours). The
# longest labelled title is 266 characters; "Site » Blog Archive » Headline" fits well.
_LONGEST_SPLIT = 1_000
# Characters that show nothing and are no part of a headline's words (a soft hyphen is
# dropped by clean_text already): zero-width space, word joiner, byte-order mark.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WWW = re.compile(r"^(?:www\d?|m|amp|mobile)\.")


@dataclass(frozen=True)
class Candidate:
    """A title as one declaration of the page states it (``source`` names which)."""

    source: str
    text: str


def site_names(declared: list[str | None], *urls: str | None) -> tuple[str, ...]:
    """The site's names, squashed for comparison: the declared ones and the hosts' of
    ``urls`` (the fetched one, the page's own). A declared name with a separator in it is a
    title put in the wrong field ("Fishing Masters Show in Rostock - BLINKER" as
    application-name), not a name."""
    # Searched cleaned: over a raw run of spaces each start of `\s+` rescans the run, hours
    # for an og:site_name of 1 MB of spaces (tests/test_security_pages.py).
    names = [squash(n) for n in declared
             if n and squash(n) and not SITE_SEPARATORS.search(clean_text(n))]
    labels = (label for url in urls if url for label in host_labels(url))
    names += [squash(label) for label in labels if len(label) >= _MIN_HOST_NAME]
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


def _without_timestamp(text: str) -> str:
    """``text`` without a timestamp its CMS appended (:data:`_TIMESTAMP_TAIL`)."""
    tail = _TIMESTAMP_TAIL.search(text, max(0, len(text) - _TIMESTAMP_REACH))
    return text if tail is None else text[:tail.start()]


def choose_title(candidates: list[Candidate], names: tuple[str, ...],
                 url: str | None = None, headings: tuple[str, ...] = ()) -> str | None:
    """The headline the candidates agree on (see the module docstring); ``None`` without
    any usable candidate. ``url``'s last path segment (a CMS's slug of the headline) is a
    witness for the candidates that share its words; so are the page's other ``headings``,
    and one that states a candidate whole where the candidate stops short replaces it."""
    found = [Candidate(c.source, _without_timestamp(visible(c.text))) for c in candidates
             if visible(c.text)]
    headings = tuple(visible(h) for h in headings)
    stripped = [Candidate(c.source, _without_site(c.text, names, _witnesses(c, found, headings)))
                for c in found]
    usable = _extended([c for c in stripped if c.text and not is_site(c.text, names)],
                       headings)
    pool = _unkicked([c for c in usable
                      if not any(cut_short(c.text, o.text) for o in usable if o.text != c.text)])
    if not pool:
        return None
    slug = match_tokens(_slug(url), None)
    # The feed's words, where they survived the filters, are the headline (readers know the
    # entry by them; publishers edit page titles for search engines); the vote then only
    # says how the page writes them.
    feed = {fold(c.text) for c in pool if c.source == "feed"}
    stated = frozenset(fold(h) for h in headings)
    best = max(pool, key=lambda c: (fold(c.text) in feed, *_score(c, pool, slug, stated)))
    return _rendering(best, pool)


def visible(text: str) -> str:
    """``text`` without the characters that show nothing: a zero-width space, a word joiner
    or a byte-order mark an editor left in a headline (WordPress's block editor pastes them
    from Word and web pages). Not the zero-width joiner, which an emoji's sequence needs."""
    if not _INVISIBLE.search(text):
        return text
    return " ".join(_INVISIBLE.sub("", text).split())


def _witnesses(candidate: Candidate, found: list[Candidate],
               headings: tuple[str, ...]) -> set[str]:
    """What the other candidates and the page's headings state (folded): a part of
    ``candidate`` one of them states alone is the headline. Not ``<title>``'s words where
    an editorial declaration (JSON-LD, microdata, the h1) and one of another kind state
    ``candidate`` whole: a headline with separators of its own ("Letters: Coddling criminals
    | Undermining road | Tax dollars | Recount cost") is cut there by length for search
    engines, and its first parts are then no headline alone."""
    folded = fold(candidate.text)
    groups = {_GROUPS[c.source] for c in found if fold(c.text) == folded}
    agreed = len(groups) >= 2 and bool(groups & {"ld", "h1"})
    stated = {fold(c.text) for c in found if not (agreed and c.source == "title")}
    return (stated | {fold(h) for h in headings}) - {folded}


def _unkicked(pool: list[Candidate]) -> list[Candidate]:
    """``pool``, a candidate that is the h1's headline under a kicker ("Wehrdienst:
    Pistorius will ..." in og:title and <title> over the h1's "Pistorius will ...") read as
    the h1's: the page prints its headline without the kicker (above it, apart), and the
    social and search titles add it. Where the h1 itself carries the kicker ("Nutzerbasierte
    Abrechnung: Musik-Stars ...", FAZ) nothing changes."""
    h1 = next((c.text for c in pool if c.source == "h1"), None)
    if h1 is None:
        return pool
    return [Candidate(c.source, h1) if kicker_of(c.text, h1) else c for c in pool]


def kicker_of(text: str, headline: str) -> bool:
    """Whether ``text`` is ``headline`` under a kicker of a few words and a colon, or
    between a ticker's plus signs ("+++ Ukraine-Krieg im Liveticker +++ Selenskyj ...": the
    social and search titles of German news sites' live tickers, whose h1 is the entry's)."""
    kicker = text[:-len(headline)].rstrip() if text.endswith(headline) else ""
    ticker = _TICKER.match(kicker)
    words = ticker.group(1) if ticker else kicker[:-1] if kicker.endswith(":") else ""
    return 0 < len(words.split()) <= KICKER_WORDS


def _extended(usable: list[Candidate], headings: tuple[str, ...]) -> list[Candidate]:
    """``usable``, each candidate a heading of the page continues stated as the heading
    does: it starts with the candidate's words and goes on ("Die Haubenfahrzeuge der
    Nachkriegszeit - Teil 49" of "... Teil 49 – Büssing-NAG (Baujahre 1931 – 1945)"). A
    heading carries no site's name, so what follows is the headline's own; a candidate of
    fewer than three words is a label ("News"), not a headline to continue."""
    found = []
    for candidate in usable:
        longer = next((h for h in headings if len(candidate.text.split()) >= _MIN_WORDS
                       and _continues(h, candidate.text)), None)
        found.append(Candidate(candidate.source, longer) if longer else candidate)
    return found


def _continues(heading: str, text: str) -> bool:
    return fold(heading).startswith(fold(text) + " ")


def strip_site_name(title: str, site_name: str | None, host_hint: str | None = None) -> str:
    """Remove a "Headline | Site" style suffix or prefix when it names the site."""
    names = tuple(squash(n) for n in (site_name, host_hint) if n and squash(n))
    return _without_site(title, names, set())


def squash(text: str) -> str:
    """Letters and digits only, case-folded: "La Stampa", "lastampa.it" -> comparable. An
    umlaut is written as a host writes it ("Süddeutsche Zeitung" of sueddeutsche.de; ß is
    "ss" once case-folded)."""
    return re.sub(r"\W+", "", text.casefold().translate(_UMLAUTS))


def _without_site(title: str, names: tuple[str, ...], others: set[str]) -> str:
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
    Headline"), or a separator: the last part is the headline where the separators are all
    alike ("Site » Blog Archive » Headline"), else all after the name."""
    named = _NAME_COLON.match(title)
    if named and is_site(named.group(1), names):
        return title[named.end():]
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


def cut_short(text: str, whole: str) -> bool:
    """Whether ``text`` is ``whole`` cut off: its start, perhaps with an ellipsis, followed
    in ``whole`` by more words ("... a Biden de" of '... a Biden de "incapacitado"'), not by a
    separator and a site's name."""
    lowered, longer = text.casefold().rstrip(), whole.casefold()
    for mark in _ELLIPSIS:
        lowered = lowered.removesuffix(mark).rstrip()
    if not lowered or len(longer) <= len(lowered) or not longer.startswith(lowered):
        return False
    rest = longer[len(lowered):].lstrip()
    return bool(rest) and rest[0] not in _CONTINUATION_MARKS


def _score(candidate: Candidate, pool: list[Candidate], slug: frozenset[str],
           stated: frozenset[str] = frozenset()) -> tuple[int, bool, bool, float, int]:
    """Votes (one more where a heading of the page, ``stated``, says the same words: the
    headline in an h2 under a site's name in the h1); then whether anything else on the
    page shares a word with it (a section heading or a logo in the h1, "Neuigkeiten",
    shares none); then editorial over social; then how much it shares; then the source's
    priority."""
    # The same words whatever marks and spaces join them: an h1 of a kicker's and a
    # headline's adjacent spans ("Nach dem Nato-GipfelScholz sagt ...") votes with og:title's
    # "Nach dem Nato-Gipfel: Scholz sagt ...", which the rendering then prefers.
    squashed = squash(candidate.text)
    votes = len({_GROUPS[c.source] for c in pool if squash(c.text) == squashed}) + (
        fold(candidate.text) in stated)
    own = match_tokens(candidate.text, None)
    others = {c.text: _GROUPS[c.source] for c in pool
              if _GROUPS[c.source] != _GROUPS[candidate.source]}
    shared = sum(_jaccard(own, match_tokens(text, None)) for text in others)
    related = shared > 0 or bool(own & slug) or not (others or slug)
    editorial = candidate.source in _EDITORIAL
    return votes, related, editorial, round(shared, 6), -_PRIORITY.index(candidate.source)


def _slug(url: str | None) -> str:
    """The words of a URL's last path segment: "das-ministerium-fur-club-kultur-informiert"."""
    path = urlsplit(url).path if url else ""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"\.\w+$|[\W_]+", " ", last)


def _rendering(best: Candidate, pool: list[Candidate]) -> str:
    """The fullest writing of ``best``'s words: most marks, fewest spaces (an h1 joined from
    a kicker's and a headline's spans loses the colon the stylesheet prints, or gains a
    space before it: "Abstandsregeln : Wie Firmen ..."), then the source's priority."""
    squashed = squash(best.text)
    same = [c for c in pool if squash(c.text) == squashed]
    return min(same, key=lambda c: (-len(c.text.replace(" ", "")), c.text.count(" "),
                                    _PRIORITY.index(c.source))).text


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
