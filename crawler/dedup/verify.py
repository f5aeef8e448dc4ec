"""Is a candidate pair one story? A pure function over two records' features.

LSH only proposes candidates; this decides, in this order:

1. ``window``  -- records further apart in time than the window are different stories;
2. ``numbers`` -- both titles carry numbers (or weekdays, months) and neither's contain the
   other's ("Tag 412" vs "Tag 413", "14th" vs "15th sanctions package", "Tuesday" vs
   "Wednesday"): different stories. One title adding a number the other lacks ("5 killed" vs
   "5 killed, 12 hurt") is not a veto;
   ``places`` -- the same for the places the titles name, as countries and as cities, regions
   or states ("vote on Gaza ceasefire" vs "vote on Sudan ceasefire"; "fighting in Aleppo" vs
   "fighting in Homs"; a city agrees with its country, so "Moscow" and "Russia" do);
   ``opposites`` -- one title says "passes", the other "blocks" (a lexicon of opposing words);
   ``negation`` -- one title is negated ("not", "kein", "won't"), the other is not: "Russia
   will use ..." and "Russia will not use ..." report opposite things;
   ``question`` -- one English title asks, the other states: "Can the US trust Syria to
   hand over chemical weapons?" is not a copy of "US says Syria may have used sarin gas"
   (:data:`crawler.dedup.tokens.QUESTION`). Two questions share their mark without it
   counting as a shared token;
3. ``title``   -- the title token sets' Jaccard similarity reaches the language's threshold
   *and* they share at least ``min_shared_tokens`` tokens (or are equal): two short
   headlines that share only their entities ("Putin ... Ukraine") stay apart. Of titles
   that share enough, a compound and its parts count as shared in the similarity
   (:func:`affixed`: "Ostseekabel" / "Ostsee-Kabel"; also two forms of one word,
   "Terrorismus-" / "terroristisch"), and so does one place named in two
   ways (:func:`place_pairs`: "Spain" / "Spanish");
   ``title+body`` when both bodies also reach the body threshold;
   ``texts`` -- unless both records carry text (a page body or a feed summary) whose opening
   words clearly differ (:mod:`crawler.dedup.gist`) and the titles stay below
   ``texts_title_threshold``: two outlets' own articles under similar headlines are one
   story (the story layer groups them), not a copy. A pair without text on either side is
   judged by its titles alone;
4. ``body``    -- the titles differ but both bodies are the same text (wire copy under
   another headline).

A low body similarity never makes two *stories*: two outlets reporting one event write
different bodies. It only keeps their articles from being marked copies of each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from datasketch import LeanMinHash

from crawler.dedup.gist import gist_similarity
from crawler.dedup.params import DedupParams
from crawler.dedup.tokens import NEGATION, QUESTION, Tokenizer, numbers_of, other_side

# Most titles name no place, stance or number. CPython makes a new 216-byte object for each
# empty frozenset; one shared empty set saves ~650 bytes per indexed record.
_NONE: frozenset[str] = frozenset()
_NO_WORDS: list[str] = []
# The shortest token that pairs with another as its prefix or suffix (see affixed()).
AFFIX = 4
# Two tokens that open alike pair as one word in two forms (see _kin()): a prefix they share
# of at least KIN_LETTERS letters and KIN_SHARE of the shorter one. On headline-pairs train
# (verify(), de): 5 letters and 3/4 pair "terrorismusdelikt" / "terrorist" and
# "familienzusammenfuhr" / "familienzusammenschluss" (+2 pairs found, no false merge); a
# share of 0.6 also "krankenhausentlass" / "krankenhausaufenthalt" (+3 false merges), and 5
# letters alone "venezuela" / "venezolan" on a different story; no English pair changes
# (benchmarks/README.md, branch dupverify).
KIN_LETTERS = 5
KIN_SHARE = 0.75
#: Languages whose compound spellings make up for one shared token short (see verify()):
#: German compounds ("Ostseekabelschaden" / "Schaden am Ostseekabel"). In English the rule
#: found no pair on the tune splits and cost the window time (benchmarks/README.md).
COMPOUNDING = frozenset({"de"})
# The places a token names on its own (none: no place word), per language (see
# _place_words()), and how many are kept.
_PLACE_WORDS: dict[str | None, dict[str, frozenset[str]]] = {}
_CACHE_LIMIT = 200_000
# The marks one title carries and the other must too (a veto when not), by the veto's name.
_ONE_SIDED = ((NEGATION, "negation"), (QUESTION, "question"))


@dataclass(frozen=True, slots=True)
class Features:
    """What verification looks at for one record."""

    tokens: frozenset[str]
    ts: float
    language: str | None = None
    body: LeanMinHash | None = None
    places: frozenset[str] = frozenset()
    stances: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    # Who published it ("" unknown: a record without one, or stored before sources were
    # kept). Not for verify(): the window tells a site's boilerplate body from wire copy by it.
    source: str = ""
    # False: the record had no date (``ts`` stands in for one): no time apart vetoes it.
    dated: bool = True
    # The words its text opens with (crawler.dedup.gist; None: no text to judge by).
    gist: bytes | None = None
    # The tokens that name a place on their own ("egypt", "egyptian"), each with the places
    # it names (a tuple: smaller than a frozenset, and most titles have none). See
    # place_pairs().
    place_words: tuple[tuple[str, frozenset[str]], ...] = ()


class Title(NamedTuple):
    """A title's match tokens as read in ``language``, and the places, stances and numbers
    they name: made once a record for both layers (:func:`read_title`), the near-duplicate
    layer's features (:func:`features_of`) and the story layer's profile
    (:func:`crawler.stories.features.profile_of`), ~6 us a title (measured)."""

    tokens: frozenset[str]
    language: str | None
    places: frozenset[str]
    stances: frozenset[str]
    numbers: frozenset[str]


def read_title(tokenizer: Tokenizer, tokens: frozenset[str], language: str | None) -> Title:
    """What :func:`features_of` derives from a title's ``tokens`` in ``language``."""
    return Title(tokens, language, tokenizer.places(tokens, language) or _NONE,
                 tokenizer.stances(tokens, language) or _NONE, numbers_of(tokens) or _NONE)


def features_of(tokenizer: Tokenizer, tokens: frozenset[str], ts: float,
                language: str | None, body: LeanMinHash | None = None, *,
                source: str = "", dated: bool = True, gist: bytes | None = None,
                title: Title | None = None) -> Features:
    """A record's features from its match tokens (places and stances derive from them).
    ``title``: :func:`read_title` of them, when made already; read only if it is of these
    very tokens in this language (else they are read here)."""
    if title is None or title.tokens is not tokens or title.language != language:
        title = read_title(tokenizer, tokens, language)
    places = title.places
    # Only a title that names a place has words naming one: most are done with here.
    words = _place_words(tokenizer, tokens, language) if places else ()
    return Features(tokens, ts, language, body, places, title.stances, title.numbers,
                    source, dated, gist, words)


def _place_words(tokenizer: Tokenizer, tokens: frozenset[str], language: str | None
                 ) -> tuple[tuple[str, frozenset[str]], ...]:
    """The tokens that name a place on their own and the places each names, each looked up
    once per language (half the time of features_of() when asked of the tokenizer token by
    token)."""
    known = _PLACE_WORDS.setdefault(language, {})
    words = []
    for token in sorted(tokens):
        named = known.get(token)
        if named is None:
            if sum(map(len, _PLACE_WORDS.values())) >= _CACHE_LIMIT:  # bounded as words are
                for table in _PLACE_WORDS.values():
                    table.clear()
            named = known[token] = (tokenizer.places(frozenset((token,)), language) or _NONE
                                    if token[0].isalpha() else _NONE)
        if named:
            words.append((token, named))
    return tuple(words)


def plausible(a: Features, b: Features, params: DedupParams) -> bool:
    """A cheap necessary condition for :func:`verify` to accept: enough shared title tokens,
    or bodies that are the same text. LSH proposes many hopeless candidates when titles share
    a frequent token, or bodies a few phrases; this rejects them before the rules run."""
    shared = len(a.tokens & b.tokens)
    return (shared >= params.min_shared_tokens or a.tokens == b.tokens
            or (_near(a, b, shared, params)
                and affixed(a.tokens - b.tokens, b.tokens - a.tokens) > 0)
            or (a.body is not None and b.body is not None
                and a.body.jaccard(b.body) >= params.body_threshold))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for a pair: ``rule`` names the rule that accepted or rejected it."""

    same: bool
    rule: str
    title_similarity: float
    body_similarity: float | None = None


def verify(a: Features, b: Features, params: DedupParams, *, meetings: int = -1
           ) -> Verdict:
    """Decide whether ``a`` and ``b`` report the same story (symmetric in ``a`` and ``b``).

    ``meetings``: how often the two token sets' affix keys meet, when known
    (:func:`crawler.dedup.keys.affix_keys`); exactly twice the shared tokens means
    :func:`affixed` would find nothing, and it is skipped (half the time of this function
    in a busy index). The verdict is the same either way."""
    shared = len(a.tokens & b.tokens)
    union = len(a.tokens) + len(b.tokens) - shared
    if QUESTION in a.tokens and QUESTION in b.tokens:
        # A mark, not a word: two questions are no more alike for both asking. (Less than
        # the window's bounds count, which they therefore still bound.)
        shared, union = shared - 1, union - 1
    enough = shared >= params.min_shared_tokens or (shared and a.tokens == b.tokens)
    # One token short, a compound spelling paired makes up for it ("Präsidentschafts-
    # wahlergebnisse" / "Wahlergebnis": wahl + ergebnis).
    near = not enough and _near(a, b, shared, params)
    joined = affixed(a.tokens - b.tokens, b.tokens - a.tokens) if (enough or near) and (
        meetings != 2 * shared) else 0
    enough = enough or (near and joined > 0)
    if enough and a.place_words and b.place_words:
        joined += place_pairs(a, b)
    title = (shared + joined) / (union - joined) if union else 0.0
    body = a.body.jaccard(b.body) if a.body is not None and b.body is not None else None
    veto = _veto(a, b, params)
    if veto is not None:
        return Verdict(False, veto, title, body)
    language = a.language if a.language == b.language else None
    if enough and title >= params.title_threshold(language):
        confirmed = body is not None and body >= params.body_threshold
        if not confirmed and title < params.texts_title_threshold and texts_differ(a, b, params):
            return Verdict(False, "texts", title, body)
        return Verdict(True, "title+body" if confirmed else "title", title, body)
    if body is not None and body >= params.body_threshold:
        return Verdict(True, "body", title, body)
    return Verdict(False, "different", title, body)


def _near(a: Features, b: Features, shared: int, params: DedupParams) -> bool:
    """One shared token short of enough, in a language of compounds on both sides."""
    return (0 < shared == params.min_shared_tokens - 1 and a.language == b.language
            and a.language in COMPOUNDING)


def texts_differ(a: Features, b: Features, params: DedupParams) -> bool:
    """Both records carry text and its words clearly differ: two articles, not a copy."""
    return (a.gist is not None and b.gist is not None
            and gist_similarity(a.gist, b.gist) < params.gist_threshold)


def _veto(a: Features, b: Features, params: DedupParams) -> str | None:
    """The first veto that applies to the pair, by name."""
    if a.dated and b.dated and abs(a.ts - b.ts) > params.window_seconds:
        return "window"
    if sides_differ(a.numbers, b.numbers):
        return "numbers"
    if sides_differ(a.places, b.places):
        return "places"
    if opposed(a.stances, b.stances):
        return "opposites"
    for mark, veto in _ONE_SIDED:
        if (mark in a.tokens) != (mark in b.tokens):
            return veto
    return None


def affixed(a: frozenset[str], b: frozenset[str]) -> int:
    """How many tokens of ``a`` pair off with one of ``b`` that starts or ends it: one
    spelling of a compound ("ostseekabel", "sabotageverdacht") against its parts ("ostse",
    "kabel"; "sabotag", "verdacht"), or a people against its country ("ukrainian" / "ukrain");
    or with one it opens alike (:func:`_kin`: "terrorismusdelikt" / "terrorist").
    Each token pairs once; numbers and markers never do."""
    if not a or not b:
        return 0
    # A token that starts or ends another shares its first or last AFFIX letters with it:
    # so each token of ``a`` is tried only against those of ``b`` sharing one of these
    # (most candidate pairs share none, and are done with here). Tried in sorted order,
    # each ``b`` token once: the pairs of trying every token of ``b`` in turn, at a third
    # of the time on German candidates (benchmarks/README.md).
    heads: dict[str, list[str]] = {}
    tails: dict[str, list[str]] = {}
    for y in b:
        if len(y) >= AFFIX and y[0].isalpha():
            heads.setdefault(y[:AFFIX], []).append(y)
            tails.setdefault(y[-AFFIX:], []).append(y)
    pairs = 0
    taken: set[str] = set()
    for x in sorted(a):
        if len(x) < AFFIX or not x[0].isalpha():
            continue
        tried = heads.get(x[:AFFIX], _NO_WORDS) + tails.get(x[-AFFIX:], _NO_WORDS)
        for y in sorted(tried) if len(tried) > 1 else tried:
            if y in taken:
                continue
            short, long = (x, y) if len(x) <= len(y) else (y, x)
            if long.startswith(short) or long.endswith(short) or _kin(short, long):
                pairs += 1
                taken.add(y)
                break
    return pairs


def _kin(short: str, long: str) -> bool:
    """Two tokens whose shared opening holds most of the shorter one: one word in two forms
    the stemmer left apart ("terroris-mus" / "terroris-t"), or one compound with another
    head ("familienzusammen-fuhr" / "-schluss"). Not a shared first part alone
    ("krankenhaus-entlass" / "krankenhaus-aufenthalt": 11 of 18 letters). Such tokens share
    their first AFFIX letters, so the window's affix keys meet for them as for a prefix."""
    least = max(KIN_LETTERS, KIN_SHARE * len(short))
    if short[:KIN_LETTERS] != long[:KIN_LETTERS]:
        return False
    same = KIN_LETTERS
    while same < len(short) and short[same] == long[same]:
        same += 1
    return same >= least


def place_pairs(a: Features, b: Features) -> int:
    """How many place words of one title only pair off with place words of the other only:
    one place named in two ways ("Egypt" / "Egyptian", "Spain" / "Spanish", "Russland" /
    "russische"). It only counts where the places veto passes, so one side's places include
    the other's: each such word on the smaller side names a place the other side names too.
    A word pairs only with one naming a place it names ("UK" / "Britain", not "UK" /
    "France" beside "British" / "Britain"), each word once. Words :func:`affixed` pairs
    already ("Egyptian" starts with "Egypt") are not counted again."""
    mine = [(t, p) for t, p in a.place_words if t not in b.tokens]
    theirs = [(t, p) for t, p in b.place_words if t not in a.tokens]
    if not mine or not theirs:
        return 0
    paired = _matched([p for _, p in mine], [p for _, p in theirs])
    return max(0, paired - affixed(frozenset(t for t, _ in mine),
                                   frozenset(t for t, _ in theirs)))


def _matched(mine: list[frozenset[str]], theirs: list[frozenset[str]]) -> int:
    """The most pairs of one of ``mine`` and one of ``theirs`` sharing a place, each once (a
    maximum matching, by augmenting paths: a title has a few place words at most)."""
    owner: list[int] = [-1] * len(theirs)

    def take(i: int, tried: set[int]) -> bool:
        for j, places in enumerate(theirs):
            if j not in tried and not mine[i].isdisjoint(places):
                tried.add(j)
                if owner[j] < 0 or take(owner[j], tried):
                    owner[j] = i
                    return True
        return False

    return sum(take(i, set()) for i in range(len(mine)))


def sides_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both sides carry values (numbers, places) and neither side's include the other's."""
    return bool(a and b and not (a <= b or b <= a))


def opposed(a: frozenset[str], b: frozenset[str]) -> bool:
    """One side takes one word of an opposing pair ("passes"), the other its counterpart
    ("blocks"), and neither takes both."""
    for stance in a - b:
        other = other_side(stance)
        if other in b and other not in a:
            return True
    return False
