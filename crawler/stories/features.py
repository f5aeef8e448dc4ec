"""A record's story features: weighted terms, title tokens, names, and what vetoes read.

The tokens are the near-duplicate layer's (:mod:`crawler.dedup.tokens`): case and umlauts
folded, German compounds split, stop words out, names' spellings met, Snowball stems; so
"Ukraine-Krieg" and "Krieg in der Ukraine" weigh the same terms, in German as in English.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from crawler.dedup.tokens import QUESTION, Tokenizer
from crawler.dedup.verify import Features, Title, read_title
from crawler.stories.actors import actor_mark
from crawler.stories.dating import NO_DATE, TextDate, text_date
from crawler.stories.german import content_words, german_forms
from crawler.stories.params import StoryParams
from crawler.stories.places import fold_countries
from crawler.stories.summary import event_text
from crawler.stories.synonyms import one_name
from crawler.stories.types import StoryDoc

# A capitalised word that does not open a sentence: a name in English (in German, nouns as
# well; they are the event's words there too). The look-behinds ("\s", not ". ") come after
# the capital: a pattern that opens with a character set lets the engine skip to the next
# capital, ~8x faster over a lead than trying both look-behinds at every character.
_CAPITALISED = re.compile(r"[A-ZÄÖÜ](?<=\s.)(?<![.!?:\"“„]\s.)[^\W\d_]+(?:-[A-ZÄÖÜ][^\W\d_]+)*")

# A term's weight, 1 + log(n), by its count n: read from a table, not computed (~40 a lead:
# 12.6-15.9 -> 10.0 us an article's weights, measured; the same floats). A lead of
# lead_chars holds fewer words than this.
_WEIGHED = 1024
_WEIGHTS = (0.0, *(1.0 + math.log(n) for n in range(1, _WEIGHED)))

# A title with more than one capitalised word (after the first) in this many words is in
# headline case, where capitals do not mark names.
_HEADLINE_CASE = 2


@dataclass(frozen=True, slots=True)
class Profile:
    """One record's features. ``terms`` are sub-linear term frequencies (title tokens counted
    ``title_weight`` times); ``has_body`` says whether its body was long enough to count;
    ``lsh_terms`` are the tokens of its MinHash signature (title tokens and its most named
    names); ``names`` its names, places and numbers."""

    doc: StoryDoc
    title: frozenset[str]
    check: Features
    terms: dict[str, float]
    has_body: bool
    names: frozenset[str]
    lsh_terms: tuple[str, ...]
    # The names that carry the record: the most often named in its lead (a title's count
    # title_weight times), numbers and days apart. A story sharing none of them is about
    # someone else.
    key_names: frozenset[str] = frozenset()
    # Its body is a summary (fewer than full_body_terms terms, or its feed's summary).
    thin: bool = False
    # Its body holds at least merge_body_terms terms: an article's lead, no feed's teaser.
    long: bool = False
    # The years and weekdays its title and lead name (what an undated record says of its
    # time: crawler.stories.dating).
    when: TextDate = NO_DATE
    # Its body is its feed's summary (no page text): what crawler.stories.learned scores.
    teaser: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # Made in the worker that reads the input and sent to the main process: pickle
        # rebuilds a slots dataclass through a generic __setstate__ (~10 us, three per
        # profile with its doc and title features; 3.7 s of the main process's CPU at
        # 100,000 headlines, profiled), their constructors take ~1.5 us.
        return _unpickled, (_DOC_FIELDS(self.doc), _CHECK_FIELDS(self.check),
                            _REST_FIELDS(self))


def _unpickled(doc: tuple[Any, ...], check: tuple[Any, ...], rest: tuple[Any, ...]) -> Profile:
    title, *more = rest  # the fields after doc and check, title first (as in Profile)
    return Profile(StoryDoc(*doc), title, Features(*check), *more)


_DOC_FIELDS = attrgetter(*(f.name for f in fields(StoryDoc)))
_CHECK_FIELDS = attrgetter(*(f.name for f in fields(Features)))
_REST_FIELDS = attrgetter(*(f.name for f in fields(Profile) if f.name not in ("doc", "check")))


def profile_of(tokenizer: Tokenizer, doc: StoryDoc, params: StoryParams,
               lead_words: list[str] | None = None, read: Title | None = None) -> Profile:
    """The features of ``doc`` (pure: the same document always gives the same profile).
    ``lead_words``: the folded words of its text, when made already (by the near-duplicate
    layer: :meth:`Tokenizer.lead_and_body_words`); read only if its lead is that text.
    ``read``: its title read (:func:`read_title` of its title tokens), when made already
    (by the near-duplicate layer); read only if the story layer reads that title as given,
    in that language."""
    # Its words as the story layer reads them (crawler.stories.synonyms); the profile keeps
    # the record as given.
    given, doc = doc, german_forms(one_name(doc, params.lead_chars), params.lead_chars)
    if read is None or doc.title is not given.title or read.language != doc.language:
        read = read_title(tokenizer, tokenizer.title_tokens(doc.title, doc.language),
                          doc.language)
    # A question's mark tells a copy from a report (crawler.dedup.verify), not one event
    # from another: the story layer reads the title's words alone.
    title = read.tokens - {QUESTION} if QUESTION in read.tokens else read.tokens
    lead, body, teaser = _body(tokenizer, doc, params, lead_words, given.text)
    has_body = len(body) >= params.min_body_terms
    # A summary: few terms, or a feed's teaser of any length (it is written to be clicked,
    # not to report the event; rule argued at _body).
    thin = teaser or len(body) < params.full_body_terms
    # A plain dict, counted by get (a Counter's missing key is a Python call, __missing__,
    # a title token; an empty Counter's making two more).
    counts: dict[str, int] = Counter(body) if has_body else {}
    count, weight = counts.get, params.title_weight
    for token in content_words(tokenizer, title, doc.language):
        counts[token] = count(token, 0) + weight
    places = read.places
    weighed = counts
    if thin:  # a summary or a title: few words to meet by
        # A bare title's terms are its tokens (but in German): their places are known, and
        # most name no country, which leaves its counts as they are (no copy to make).
        known = places if counts.keys() == title else None
        if known is None or any(p.isupper() for p in known):
            weighed = Counter(counts)
            fold_countries(tokenizer, weighed, doc.language, known)
    # The record's most frequent terms only: the rest weigh little in a cosine, and every
    # term costs a look-up per candidate story (ties: the earlier in the text).
    # (A stable sort: what most_common() gives, without its heap's Python steps.)
    ranked_terms = sorted(weighed.items(), key=itemgetter(1), reverse=True)
    terms = {t: _WEIGHTS[n] if n < _WEIGHED else 1.0 + math.log(n)
             for t, n in ranked_terms[:params.record_terms]}
    # Names a title capitalises count with its places for the template vetoes ("Houston" /
    # "Chengdu" orders to close a consulate: two events), where capitals mark names: not in
    # headline case, nor in German (every noun).
    capitalised = _CAPITALISED.findall(f" {doc.title}")
    named = _capitalised_terms(tokenizer, capitalised, doc.language)
    places |= _title_names(tokenizer, doc, capitalised, named)
    numbers = read.numbers
    names = places | numbers | _names(tokenizer, doc, lead if has_body else "",
                                      counts.keys() if has_body else (), named, title=title)
    # Who acts, when the title names two countries (crawler.stories.actors): kept with its
    # places for the vetoes, not among its names.
    actor = actor_mark(tokenizer, doc.title, doc.language, title, places)
    if actor is not None:
        places = places | {actor}
    # features_of's fields with the story layer's places, made once: a frozen dataclass's
    # replace() costs ~3 us, and it took two a record.
    check = Features(title, doc.published or 0.0, doc.language, None, places, read.stances,
                     numbers, dated=doc.published is not None)
    # Most named first, then by name: (minus count, name) tuples, compared in C (a key
    # function was a Python call a name, and a Counter's missing name one more).
    count = counts.get
    ranked = sorted([(-count(n, 0), n) for n in names])
    key = frozenset([n for less, n in ranked if less <= -2 and n[0].isalpha()
                     ][:params.key_names])
    frequent = [n for _, n in ranked[:params.signature_terms]]
    return Profile(given, title, check, terms, has_body, frozenset(names),
                   tuple(sorted(title.union(frequent, key))), key,
                   thin, not teaser and len(body) >= params.merge_body_terms,
                   _when(doc, lead, title, body), teaser)


def _body(tokenizer: Tokenizer, doc: StoryDoc, params: StoryParams,
          words: list[str] | None = None, given: str | None = None
          ) -> tuple[str, Collection[str], bool]:
    """The text a record's body terms come from, the terms, and whether they are its feed's
    summary (a teaser).

    The summary stands in only when the text holds no body (fewer than ``min_body_terms``
    terms: feed-only, ``page_error``). A teaser counts as a summary whatever its length:
    an outlet's teaser leads to its article rather than reporting the event, and one of
    25-29 terms joined at an article's threshold had merged related events of one theme
    ("China Fortifies Hong Kong's Role as Financial Powerhouse" into the UK's extradition
    treaty story three days old: 3 of the English real-feed false merges). Telling it by
    its length was no way: a short article of story-clusters (ECB+) is as long
    (benchmarks/README.md, "Real feeds")."""
    lead = event_text((doc.text or "")[:params.lead_chars])
    # The words made already are the given text's: read when the lead is that text (no
    # name spelled over, no German form, no call to action left out: most records).
    if words is not None and lead != given:
        words = None
    # German function words out before the body is measured: a teaser padded with "mehr",
    # "immer", "wurde" is still a teaser (full_body_terms), not an article's lead.
    body = content_words(tokenizer, tokenizer.content_terms(lead, doc.language, words),
                         doc.language) if lead else []
    if len(body) >= params.min_body_terms or not doc.summary:
        return lead, body, False
    teaser = event_text(doc.summary[:params.lead_chars])
    terms = content_words(tokenizer, tokenizer.content_terms(teaser, doc.language),
                          doc.language) if teaser else []
    return (teaser, terms, True) if len(terms) > len(body) else (lead, body, False)


def _when(doc: StoryDoc, lead: str, title: frozenset[str], body: Collection[str]) -> TextDate:
    """What an undated record's title and lead say of its time (a dated one's is its date)."""
    if doc.published is not None:
        return NO_DATE
    return text_date(f"{doc.title} {lead}", title.union(body))


def _title_names(tokenizer: Tokenizer, doc: StoryDoc, words: list[str],
                 named: frozenset[str]) -> frozenset[str]:
    """The title's capitalised ``words`` (their terms: ``named``) that are no known place,
    where capitals mark names."""
    if not words or (doc.language or "").startswith("de"):
        return frozenset()
    if len(words) * _HEADLINE_CASE > len(doc.title.split()):
        return frozenset()
    # A known place counts as its country ("UK", "Britain": GB), as the places veto reads it.
    return frozenset(n for n in named if not _is_place(tokenizer, n, doc.language))


def _capitalised_terms(tokenizer: Tokenizer, words: list[str], language: str | None
                       ) -> frozenset[str]:
    return frozenset(tokenizer.content_terms(" ".join(words), language)) if words \
        else frozenset()


@lru_cache(maxsize=1 << 15)
def _is_place(tokenizer: Tokenizer, name: str, language: str | None) -> bool:
    """Whether ``name`` alone names a known place: remembered, as titles' names repeat and
    each look-up builds sets (~4 us; 200,000 of them for 100,000 generated headlines)."""
    return bool(tokenizer.places(frozenset((name,)), language))


def _names(tokenizer: Tokenizer, doc: StoryDoc, lead: str, terms: Iterable[str],
           named: frozenset[str], *, title: frozenset[str]) -> frozenset[str]:
    """The tokens of capitalised words inside sentences of the title and lead (``named``:
    the title's alone, what they are without a lead), and the numbers and places of the
    lead (``terms``: its distinct terms); of the places, those of tokens not in ``title``
    (the title's tokens, whose places the caller has)."""
    found = _capitalised_terms(tokenizer, _CAPITALISED.findall(f" {doc.title} {lead}"),
                               doc.language) if lead else named
    # Places are capitalised (in German, like every noun): looked up among those only. A
    # token's places are its own (Tokenizer.places is a union over tokens), so the title's
    # tokens are not looked up twice: a bare title's capitalised words are mostly among
    # them, and then there is nothing left to look up.
    numbers = {t for t in terms if t[0].isdigit()}
    rest = found - title
    return found | numbers | tokenizer.places(rest, doc.language) if rest else found | numbers
