"""The page's headline, chosen among the candidates it declares by their agreement.

A page names its headline up to five times: JSON-LD ``headline``, ``og:title``,
``twitter:title``, the ``h1`` and ``<title>``; the feed entry that linked it is a sixth. Each
fails somewhere: ``og:title`` cut at a quote ("Senador republicano califica a Biden de"), a
JSON-LD headline cut with "...", an ``h1`` holding the site's logo ("Four Years Remaining") or
a kicker, ``<title>`` carrying the site's name, a social title reworded for sharing. No fixed
order of preference survives all of these, but the candidates that are right agree with each
other, and the broken ones are recognisable:

1. each candidate loses the site's name at either end of its separators
   (:mod:`crawler.extract.sitenames`); the names are the
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
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlsplit

from crawler.dedup.tokens import match_tokens
from crawler.extract.daytext import days_in
from crawler.extract.sitenames import SITE_SEPARATORS, is_site, squash, without_site
from crawler.normalize import fold

_ELLIPSIS = ("...", "…")
# A title's separators read for a day part: a headline and a site's few parts hold fewer.
_DAY_CUTS = 8
# A day part's length at most ("Mittwoch, 26. September 2010, 18:30 Uhr" is 40).
_DAY_CHARS = 60
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
# Where votes tie on words and tokens: the visible headline and the structured one first.
_PRIORITY = ("h1", "ld", "md", "feed", "og", "twitter", "title", "slugged")
# The headline as the newsroom wrote it, for readers and for machines; social titles are
# reworded for sharing and <title> for search engines ("What we learned from ..." on CNN).
_EDITORIAL = frozenset({"h1", "ld", "md"})
# Microdata's headline and JSON-LD's are one structured declaration: a CMS fills both. The
# social titles and <title> are one too: Yoast, Rank Math and the CMSs' SEO fields write
# og:title and twitter:title from the "SEO title" that <title> carries (with the site's name).
_GROUPS = {"feed": "feed", "ld": "ld", "md": "ld", "og": "social", "twitter": "social",
           "h1": "h1", "title": "social", "slugged": "slugged"}
# A heading of three words or more the URL's slug spells (at least two of its words, two
# thirds of them), where no candidate shares a word with the slug: the CMS made the slug
# from that headline.
_SLUG_WORDS = 2
_SLUG_SHARE = 2 / 3
# A kicker names a topic in a few words ("Wehrdienst", "Krieg in der Ukraine").
KICKER_WORDS = 5
# A ticker's label between plus signs before the headline: "+++ Eilmeldung +++ ...".
_TICKER = re.compile(r"^\+{3}\s*([^+]+?)\s*\+{3}$")
# A candidate a heading may continue has at least this many words ("News" is a label).
_MIN_WORDS = 3
# A space a rendering puts before a mark that follows a word ("Abstandsregeln : Wie").
_SPACED_MARK = re.compile(r"(?<=\w) [:,.;!?]")
# Characters that show nothing and are no part of a headline's words (a soft hyphen is
# dropped by clean_text already): zero-width space, word joiner, byte-order mark.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]+")


@dataclass(frozen=True)
class Candidate:
    """A title as one declaration of the page states it (``source`` names which)."""

    source: str
    text: str


def _before_day(text: str) -> str:
    """``text`` up to a separated part that is a day alone ("Briefe - 26 Oktober 2010 - Blog
    - Bilder, News, ...": uCoz's and many blog engines' ``<title>``, "Headline | DW |
    19.01.2020"): the headline ends there, and what follows is the site's (its name, a
    section, a tagline), named or not. Not a day the title starts with, nor a part with
    more words than a weekday beside its day ("Konzert am 26. Oktober 2010")."""
    cuts = list(islice(SITE_SEPARATORS.finditer(text), _DAY_CUTS))
    ends = [cut.start() for cut in cuts[1:]] + [len(text)] if cuts else []
    for cut, end in zip(cuts, ends, strict=True):
        if _is_day(text[cut.end():end]):
            return text[:cut.start()]
    return text


def _is_day(part: str) -> bool:
    """A day and at most one word beside it (a weekday: "Mittwoch, 26. Oktober 2010")."""
    days = days_in(part) if len(part) <= _DAY_CHARS else []
    if len(days) != 1:
        return False
    rest = part.replace(days[0][1], " ")
    return sum(any(c.isalpha() for c in word) for word in rest.split()) <= 1


def _without_timestamp(text: str) -> str:
    """``text`` without a timestamp its CMS appended (:data:`_TIMESTAMP_TAIL`)."""
    tail = _TIMESTAMP_TAIL.search(text, max(0, len(text) - _TIMESTAMP_REACH))
    return text if tail is None else text[:tail.start()]


def choose_title(candidates: list[Candidate], names: tuple[str, ...],
                 url: str | None = None, headings: tuple[str, ...] = (),
                 voters: tuple[str, ...] = (), *, language: str | None = None) -> str | None:
    """The headline the candidates agree on (see the module docstring); ``None`` without
    any usable candidate. ``url``'s last path segment (a CMS's slug of the headline) is a
    witness for the candidates that share its words; so are the page's other ``headings``,
    and one that states a candidate whole where the candidate stops short replaces it.
    ``voters`` (lesser headings: h3s) only vote for a candidate they state whole: TYPO3's
    news and many club and municipal templates print the article's headline as an h3 under
    a section's h1 ("Aktuelles"), and a related article's h3 continuing a candidate must
    not lengthen it as an h2 may; where the slug spells such a heading and no candidate,
    the heading is one (:func:`_slugged`). ``language`` (the page's) stems the slug and the
    candidates alike for that witness: guessed from one word, "Leistungen" is no German
    word and keeps its ending, where "Unsere Leistungen" stems to "leistung"."""
    found = [Candidate(c.source, _before_day(_without_timestamp(visible(c.text))))
             for c in candidates if visible(c.text)]
    headings = tuple(visible(h) for h in headings)
    stripped = [Candidate(c.source, without_site(c.text, names, _witnesses(c, found, headings)))
                for c in found]
    usable = _extended([c for c in stripped if c.text and not is_site(c.text, names)],
                       headings)
    pool = _unkicked([c for c in usable if not _truncated(c, usable)])
    if not pool:
        return None
    slug = match_tokens(_slug(url), language)
    pool += _slugged(pool, (*headings, *voters), slug, language)
    # The feed's words, where they survived the filters, are the headline (readers know the
    # entry by them; publishers edit page titles for search engines); the vote then only
    # says how the page writes them.
    feed = {fold(c.text) for c in pool if c.source == "feed"}
    stated = frozenset(fold(visible(h)) for h in (*headings, *voters))
    best = max(pool, key=lambda c: (fold(c.text) in feed,
                                    *_score(c, pool, slug, stated, language)))
    return _rendering(best, pool)


def _slugged(pool: list[Candidate], headings: tuple[str, ...],
             slug: frozenset[str], language: str | None = None) -> list[Candidate]:
    """The first heading the URL's slug spells, as a candidate, where no candidate shares a
    word with the slug: TYPO3's news under a section's h1 ("Aktuelles", also in <title>)
    prints the headline as an h3 that no declaration states, and the slug
    ".../aktuelles/detail/neue-uniformen-fuer-das-jubilaeumsjahr" names it."""
    if not slug or any(match_tokens(c.text, language) & slug for c in pool):
        return []
    for heading in headings:
        if len(heading.split()) < _MIN_WORDS:  # a label ("Weitere Meldungen"), a section
            continue
        own = match_tokens(heading, language)
        if len(own & slug) >= _SLUG_WORDS and len(own & slug) >= _SLUG_SHARE * len(own):
            return [Candidate("slugged", heading)]
    return []


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


def _truncated(candidate: Candidate, usable: list[Candidate]) -> bool:
    """Whether ``candidate`` is another's start cut off (:func:`cut_short`); not where only
    ``<title>`` goes on and the h1 and another declaration state the candidate alike: an SEO
    title's suffix ("Event Tickets, Sat 14 Mar 2026 at 19:00" after the event's name in the
    h1 and og:title), as two fields are not cut alike."""
    longer = [o for o in usable if o.text != candidate.text and cut_short(candidate.text, o.text)]
    if not longer:
        return False
    same = [o for o in usable if squash(o.text) == squash(candidate.text)]
    agreed = any(o.source == "h1" for o in same) and len({_GROUPS[o.source] for o in same}) > 1
    return not (agreed and all(o.source == "title" for o in longer))


def cut_short(text: str, whole: str) -> bool:
    """Whether ``text`` is ``whole`` cut off: its start, perhaps with an ellipsis, followed
    in ``whole`` by more words ("... a Biden de" of '... a Biden de "incapacitado"'), not by a
    separator and a site's name, nor by a comma and a day alone."""
    lowered, longer = text.casefold().rstrip(), whole.casefold()
    for mark in _ELLIPSIS:
        lowered = lowered.removesuffix(mark).rstrip()
    if not lowered or len(longer) <= len(lowered) or not longer.startswith(lowered):
        return False
    rest = longer[len(lowered):].lstrip()
    # ", 17-Jun.-2024": a day the longer one appends after a comma (NATO's and many
    # institutions' <title>) is no word of the headline's: the shorter is whole.
    dated = rest.startswith(",") and _is_day(rest[1:])
    return bool(rest) and rest[0] not in _CONTINUATION_MARKS and not dated


def _score(candidate: Candidate, pool: list[Candidate], slug: frozenset[str],
           stated: frozenset[str] = frozenset(),
           language: str | None = None) -> tuple[int, bool, bool, float, int]:
    """Votes (one more where a heading of the page, ``stated``, says the same words: the
    headline in an h2 under a site's name in the h1); then whether anything else on the
    page shares a word with it (a section heading or a logo in the h1, "Neuigkeiten",
    shares none); then editorial over social; then how much it shares; then the source's
    priority."""
    # The same words whatever marks and spaces join them: an h1 of a kicker's and a
    # headline's adjacent spans ("Nach dem Nato-GipfelScholz sagt ...") votes with og:title's
    # "Nach dem Nato-Gipfel: Scholz sagt ...", which the rendering then prefers.
    squashed = squash(candidate.text)
    group = _grouping(pool)
    # A heading the slug spells has the slug's vote too (:func:`_slugged`: the CMS's own).
    votes = len({group(c) for c in pool if squash(c.text) == squashed}) + (
        fold(candidate.text) in stated) + (candidate.source == "slugged")
    own = match_tokens(candidate.text, None)
    others = {c.text: group(c) for c in pool if group(c) != group(candidate)}
    shared = sum(_jaccard(own, match_tokens(text, None)) for text in others)
    related = shared > 0 or bool(match_tokens(candidate.text, language) & slug) or not (
        others or slug)
    editorial = candidate.source in _EDITORIAL
    return votes, related, editorial, round(shared, 6), -_PRIORITY.index(candidate.source)


def _grouping(pool: list[Candidate]) -> Callable[[Candidate], str]:
    """Each candidate's independent declaration (:data:`_GROUPS`); a structured headline
    that says what a social title says is the SEO field's, not the newsroom's own: the
    CMS writes JSON-LD's ``headline`` from the same "SEO title" as og:title (a tabloid's
    "Sabotage-Gefahr: So will sich Hamburgs Hafen schützen" over the h1's "Mehr Kameras,
    mehr Streifen: ..."), so the two are one vote against the h1. Only where all the social
    titles say one thing: where they differ (FAZ's twitter:title without og:title's
    kicker), the structured headline sides with one of them on its own."""
    social = {squash(c.text) for c in pool if _GROUPS[c.source] == "social"}

    def group(candidate: Candidate) -> str:
        if _GROUPS[candidate.source] == "ld" and social == {squash(candidate.text)}:
            return "social"
        return _GROUPS[candidate.source]
    return group


def _slug(url: str | None) -> str:
    """The words of a URL's last path segment: "das-ministerium-fur-club-kultur-informiert"."""
    path = urlsplit(url).path if url else ""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"\.\w+$|[\W_]+", " ", last)


def _rendering(best: Candidate, pool: list[Candidate]) -> str:
    """The fullest writing of ``best``'s words: most marks, fewest spaces before a mark (an
    h1 joined from a kicker's and a headline's spans loses the colon the stylesheet prints,
    or gains a space before it: "Abstandsregeln : Wie Firmen ..."), then most spaces between
    words (an h1 set in two lines of spans of their own glues the lines' words:
    "Kommunenbeim"), then the source's priority."""
    squashed = squash(best.text)
    same = [c for c in pool if squash(c.text) == squashed]
    return min(same, key=lambda c: (-len(c.text.replace(" ", "")),
                                    len(_SPACED_MARK.findall(c.text)), -c.text.count(" "),
                                    _PRIORITY.index(c.source))).text


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
