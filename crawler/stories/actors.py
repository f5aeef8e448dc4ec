"""Counter-moves: one move told with its actors' roles swapped is another event.

"US orders China to close its Houston consulate" and, two days later, "China orders U.S. to
shut Chengdu consulate, retaliating for Houston" share every word but a city, and their
summaries name both countries and both cities: by their words they are one story (5 of the
English real-feed pairs of related events merged, benchmarks/README.md "Real feeds"). What
tells them apart is who acts: a headline names its actor first ("China orders ...",
"Chinese diplomats burn ..."). Two titles led by different countries, each naming the other's,
report a move and its answer: a retaliation, tit-for-tat expulsions, a strike and the
counter-strike.

Another actor's answer is told the same way, in English: "'A fool': Trump derides Portland
mayor for getting tear-gassed" after "Portland mayor tear gassed after speaking with
protesters", "Princess Eugenie shares touching tribute to Princess Beatrice after wedding"
after the wedding photos. Its title names an answer's verb (:data:`_ANSWERS`) and who answers
(:func:`answerer`), whom the event's own titles do not name.

The actor travels with a title's places as a mark (``^CN:US``: the actor's code, then the
other countries the title names), so that a story's stored member titles keep it.

A summary whose title gives no actor is read by its first sentence (:func:`lead_actor`), which
names the actor first as a headline does: "Why did China choose the Chengdu consulate to
retaliate?" leads with no country, its teaser with "China's Ministry of Foreign Affairs has
ordered the closure of the US consulate in Chengdu ...": the answer to the Houston story's
move (US-led titles naming China).
"""

from __future__ import annotations

import re

from crawler.dedup.tokens import Tokenizer

MARK = "^"
# Where a summary's first sentence ends: its stop and the space after it.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
# An English title's verbs (and nouns) of an answer to an event: judging it, warning, urging,
# vowing, replying, paying tribute. Not the verbs of attribution ("says", "speaks",
# "addresses", "tweets", "insists"): a report cites its source by them ("ISIS still 'most
# significant' threat to UK, says Defence Secretary" is the threat's report, one event with
# "Islamic State remains 'most significant' threat to UK"; English real feeds, round 2). The
# present tense only: headlines write an act in it, and "accused", "slammed" are passives
# whose subject is the one judged.
_ANSWER_WORDS = """
warns urges vows condemns slams blasts derides mocks responds replies reacts criticises
criticizes criticising criticizing accuses praises welcomes rejects defends demands tribute
tributes
"""
_ANSWERS = frozenset(_ANSWER_WORDS.split())
# A title's words and the stops that part its clauses ("'A fool': Trump derides ...").
_TITLE_TOKEN = re.compile(r"[\w’'.-]+|[,:]")


def actor_mark(tokenizer: Tokenizer, title: str, language: str | None,
               tokens: frozenset[str], places: frozenset[str]) -> str | None:
    """The title's actor and the other countries it names, as ``^CN:US``: when its first
    word names a country (itself or its people's word) and the title names another one by
    name (not by a city: "... consulate in Houston" names no US actor); else None.
    ``tokens`` and ``places``: the title's."""
    if sum(p.isupper() for p in places) < 2:
        return None  # most titles name one country or none: no tokenising again
    countries = _countries(tokenizer, tokens, language)
    rest = title.strip().partition(" ")[2]
    if len(countries) < 2 or not rest:
        return None
    # The first word's tokens as the whole title gives them ("US" is the country only
    # beside other words): the title's tokens less those of the rest (a country named first
    # and again later gives no actor: none is safer than a wrong one).
    lead = _countries(tokenizer, tokens - tokenizer.title_tokens(rest, language), language)
    if len(lead) != 1:
        return None
    actor = lead.pop()
    return f"{MARK}{actor}:{','.join(sorted(countries - {actor}))}"


def lead_actor(tokenizer: Tokenizer, text: str, language: str | None) -> str | None:
    """The actor mark of ``text``'s first sentence (a summary's), as :func:`actor_mark`
    reads a title: its first word names a country and the sentence names another."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    if not first:
        return None
    tokens = tokenizer.title_tokens(first, language)
    return actor_mark(tokenizer, first, language, tokens, tokenizer.places(tokens, language))


def answerer(title: str) -> list[str]:
    """Who answers in an English ``title`` that names an answer's word (:data:`_ANSWERS`):
    the capitalised words that lead its clause ("Trump" of "'A fool': Trump derides Portland
    mayor"), or the source a comma sets apart ("..., EU Commission warns", "..., warns
    WHO"); [] when it names no answer or no capitalised actor."""
    words = _TITLE_TOKEN.findall(title)
    at = next((i for i, w in enumerate(words) if w.lower() in _ANSWERS), None)
    if at is None:
        return []
    before = words[:at]
    if before and before[-1] == ",":
        return _capitalised(words[at + 1:])  # "..., warns WHO"
    source = _capitalised(before[::-1])[::-1]
    if source and len(source) < len(before) and before[-len(source) - 1] == ",":
        return source  # "..., EU Commission warns"
    start = max((i + 1 for i, w in enumerate(before) if w == ":"), default=0)
    return _capitalised(before[start:])


def _capitalised(words: list[str]) -> list[str]:
    """The leading run of ``words`` that begin with a capital."""
    run: list[str] = []
    for word in words:
        if not word[:1].isupper():
            break
        run.append(word)
    return run


def actor_of(places: frozenset[str]) -> str | None:
    """The actor mark among a title's places, if any."""
    return next((p for p in places if p[0] == MARK), None)


def plain(places: frozenset[str]) -> frozenset[str]:
    """A title's places without its actor mark: the mark tells who acts for the counter-move
    check alone; read as a place, "US sanctions China and Russia" (``^US:CN,RU``) and "US
    sanctions China" (``^US:CN``) would differ in a place both sides name."""
    return frozenset(p for p in places if p[0] != MARK)


def counter_move(mark: str, theirs: frozenset[str]) -> bool:
    """Whether a title of actor ``mark`` and another of places ``theirs`` show a move and its
    answer: led by different countries, each naming the other's."""
    other = actor_of(theirs)
    if other is None or other == mark:
        return False
    mine, _, named = mark[1:].partition(":")
    them, _, told = other[1:].partition(":")
    return mine != them and them in named.split(",") and mine in told.split(",")


def _countries(tokenizer: Tokenizer, tokens: frozenset[str], language: str | None
               ) -> set[str]:
    """The countries ``tokens`` name themselves (a city names its country and itself)."""
    codes: set[str] = set()
    for token in tokens:
        named = tokenizer.places(frozenset((token,)), language)
        if named and all(p.isupper() for p in named):
            codes.update(named)
    return codes
