"""One event's other facets: the same town and the same kind of act, within a day.

Five outlets told the Magdeburg attack within a day by its facets: the toll, the suspect's
past, the route he took, the investigation. Their 25-word summaries share the town and the
act's word ("Anschlag", "Attentäter", "Amokfahrt") and little else, and the cosine over so
few words stays under the summary threshold (German real feeds, rounds 1-2: 47 of 52 misses
scored 0.07-0.39 against 0.4; benchmarks/README.md, "Real feeds"). What a reporter would
call one event is one kind of act at one specific place on one day: a town named where a
report says where it happened ("in Magdeburg", "aus Palermo"), not a country or a capital
(a capital's day holds many acts of one kind: the House's and the Senate's votes in
Washington), and a kind of act from a small table, argued below.

What related events of those days share too is the place and the act's word: the reactions
("Nach Anschlag in Magdeburg: Musk fordert Rücktritt von Scholz", a memorial service, a
minute's silence, false reports spread about it). The labels call another actor's reaction
another event (benchmarks/data/README.md), and such a title names its own act: a reaction's
word ("fordert", "kritisiert", "gedenkt", "Gottesdienst"). A record whose title names a
reaction gets no evidence from this rule, nor does any record against a story a reaction
began.

An answer that is one event wherever it is held, a ceremony for the victims (a league's
minute's silence in every stadium), is the exception: a record whose title names one is
scored by the ceremony's kind against the story the same ceremony began (never the act's).

A town and a kind of act are not enough on their own: a consequence elsewhere in the town (a
match or a concert called off because of the attack) names both and no reaction's word. What
the facets of rounds 1-2 share beyond the town and the act, read off the rule's matches, are
the act's own particulars: the arrest, the investigation, the motive, the injured's count, the
suspect's name, the minister at the scene ("Festnahme", "Ermittlungen", "Motiv", "200",
"Taleb", "Haseloff"), each held by few of the window's stories. So the story must also hold
one of the record's terms, beside its towns and its act's words, that at most
:data:`PARTICULARS` active stories hold (:meth:`Scene.shared`). A count of stories, not a
share: a larger window makes the check stricter, not looser.

Some reports name neither the act nor the town in the words above: an eyewitness report tells
what happened ("als hier ein Auto durch die Menschenmenge auf dem Weihnachtsmarkt raste") and
sets the town as its title's rubric ("Magdeburg: Augenzeugen schildern ..."), the German
newsroom's dateline (German real feeds: 9 misses of round 6, 2 of round 2). So a rubric that
is a known town (:func:`rubric_places`) says where it happened, and a small table of
descriptions (:data:`_DESCRIPTIONS`) tells a kind of act. A match report that tells the act
as its backdrop ("Während ... ein Auto in eine Menschenmenge rast, muss der 1. FC Magdeburg in
Düsseldorf Fußball spielen") names the town, the act so told and the market too: a record
that only tells its act must name no town the story does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from crawler.dedup.languages import base_language
from crawler.dedup.tokens import Tokenizer
from crawler.stories.german import content_words, is_german
from crawler.stories.places import is_town
from crawler.stories.types import StoryDoc

# Kinds of act news reports as events, each by the words of its reports (a word counts by its
# story term: stemmed, compounds split, a German verb form as its act's noun,
# crawler.stories.german; a word that is no single term of its own is left to its parts:
# "Todesfahrt" is "tod" + "fahrt", neither of them an act). Only acts that happen at a place
# and a time (an attack, a crash, a fire, a storm, a verdict, an injury on the pitch), not
# ongoing themes (a war, a budget, talks): their reports of one day in one town are one
# event, where a theme's are many. "Tat" ("Täter", "Tatverdächtiger") is a crime's own word,
# and so is its scene ("Tatort", one term: any crime's report names it, so it is no
# particular; as one, it joined RND's Tokio Hotel item to the Magdeburg attack's story,
# German real feeds round 6: 4 related pairs merged, benchmarks/README.md).
# Not the toll's words ("verletzt", "Tote", "injured"): any kind of act has them (a fire in
# the town where a market was attacked the day before "injured nobody").
_KINDS = {
    "de": {
        "attack": "Anschlag Angriff Attentat Attentäter Attacke Amok Täter Tat Tatort "
                  "Messerangriff Schüsse Geiselnahme Gewalttat Bluttat Todesfahrt Todesfahrer",
        "explosion": "Explosion explodiert Detonation",
        "crash": "Absturz abgestürzt Unfall Crash Zusammenstoß entgleist",
        "fire": "Brand Feuer Großbrand brennt",
        "disaster": "Erdbeben Beben Hochwasser Überschwemmung Unwetter Sturm Tornado Lawine",
        "verdict": "Urteil verurteilt Freispruch freigesprochen Haftstrafe",
        "injury": "Verletzung Sehne Kreuzbandriss Muskelfaserriss",
    },
    "en": {
        "attack": "attack attacker rampage gunman shooting stabbing bombing hostage",
        "explosion": "explosion blast exploded",
        "crash": "crash collision derailed",
        "fire": "fire blaze wildfire",
        "disaster": "earthquake quake flood flooding storm hurricane typhoon tornado avalanche",
        "verdict": "verdict acquitted convicted sentenced",
        "injury": "injury tendon ligament",
    },
}

# Kinds of act told by their description, not their name: an eyewitness writes "als hier ein
# Auto durch die Menschenmenge auf dem Weihnachtsmarkt raste" where others write "Anschlag",
# "Amokfahrt" (German real feeds, Spiegel's eyewitness report: 9 misses of round 6, 2 of
# round 2, benchmarks/README.md). A description is a few groups of words, each a "|" apart;
# it names its kind where a word of every group stands among the terms (a compound by all
# its parts, as in :data:`_KINDS`): a vehicle, a crowd and the drive for a car driven into a
# crowd; a verb of the act alone where it is the act's own (shot dead, stabbed, burnt). Not
# the scene ("Weihnachtsmarkt"): a description's words are no particular of the act, and the
# market is one.
_DESCRIPTIONS = {
    "de": {
        "attack": ["Auto Wagen Fahrzeug Lkw Pkw Transporter | Menge Menschenmenge "
                   "Menschengruppe Besucher Passanten Fußgänger | raste rast gerast fuhr "
                   "fährt gefahren steuerte",
                   "erschossen niedergeschossen angeschossen",
                   "erstochen niedergestochen Stichverletzungen Messerattacke"],
        "fire": ["Flammen brannte abgebrannt ausgebrannt niedergebrannt"],
    },
    "en": {
        "attack": ["car van truck lorry vehicle | crowd pedestrians shoppers | ploughed "
                   "plowed rammed drove",
                   "stabbed", "gunfire"],
        "fire": ["ablaze flames"],
    },
}

# An answer that is itself one event wherever it is held: a ceremony for the act's victims
# (a minute's silence in every stadium of a league's match day is one ceremony; a memorial
# service in the cathedral is another). A record whose title names one is a facet of the
# ceremony's story, never of the act's (benchmarks/data/README.md calls the answer another
# event), so its evidence is the ceremony's own kind against a story begun by the same.
_CEREMONIES = {
    "de": {
        "silence": "Schweigeminute Gedenkminute",
        "service": "Gottesdienst Gedenkgottesdienst Trauerfeier Trauergottesdienst",
        "vigil": "Mahnwache",
    },
    "en": {"silence": "silence", "service": "funeral", "vigil": "vigil"},
}

# The toll's word: an act's injured ("60 Verletzte", "verletzt wurde niemand") where a report
# names an act, the injury itself where it names none ("Henrichs schwer verletzt": a player
# hurt on the pitch). So it names the kind "injury" only in a record (or a story) that names
# no other kind of act: a fire and an attack in one town stay two kinds.
_HURT = {"de": "verletzt verletzte"}
INJURY = "injury"

# A reaction's words in a title, as written (a compound's part is none: "Islamkritiker" is
# no criticism): another actor's answer to the event, which the labels call another event
# (a call to resign, criticism, mourning, a memorial, a minute's silence, false reports
# spread about it: benchmarks/data/README.md's conventions name each). "verurteilt" is
# left out: a sentence in German as much as a condemnation.
_REACTION_WORDS = """
kritisiert kritisieren kritik fordert fordern forderung rücktritt reagiert reagieren reaktion
gedenkt gedenken trauer trauert trauerfeier gottesdienst gedenkgottesdienst schweigeminute
gedenkminute mahnwache desinformation falschmeldungen falschbehauptungen falschinformationen
criticises criticizes criticised criticized criticism slams demands resign resignation
reacts reaction mourns mourning vigil tribute tributes memorial condemns condemned
misinformation disinformation
"""
_REACTIONS = frozenset(_REACTION_WORDS.split())

# A place where the report says something happened: a capitalised word after a locative
# preposition, with no article between them (in German a common noun takes one: "in der
# Stadt", "in einer Menschenmenge"; a town does not: "in Magdeburg").
_LOCATIVE = re.compile(r"\b(?:in|aus|von|bei|nahe|near|at)\s+([A-ZÄÖÜ][^\W\d_]+)")
# ... in German at a sentence's start too ("In München laufen die letzten Augenblicke ...":
# a German report opens with its place as often as not; in English "In Brief", "In
# Pictures" open a column, so there only the lower-case forms count).
_LOCATIVE_DE = re.compile(r"(?:^|[.!?:]\s+)(?:In|Aus|Bei|Nahe)\s+([A-ZÄÖÜ][^\W\d_]+)")
# ... or a town's adjective before a noun ("Magdeburger Weihnachtsmarkt": the tokenizer
# reads it as the town, crawler.dedup.tokens.Tokenizer._place_of_adjective).
_OF_PLACE = re.compile(r"\b([A-ZÄÖÜ][^\W\d_]+er)\s+(?=[A-ZÄÖÜ])")
# ... or a title's rubric: the place label a German newsroom sets before a colon or a dash,
# as a dateline ("Magdeburg: Augenzeugen schildern die dramatischen Szenen ...", "Magdeburg -
# Polizei: ..."), in English a dateline's ("KHARKIV: ...", "Kharkiv - ..."). A rubric is as
# often a topic ("Bundesliga:", "Wetter:", "Migration:"), so only a known town counts
# (crawler.stories.places.is_town).
_RUBRIC = re.compile(r"^\s*([A-ZÄÖÜ][^\W\d_]+)(?::|\s+[-–—]\s)")
_WORD = re.compile(r"[^\W\d_]+")
# "Within ~24 hours": a story first reported at most this long before (or after) the record.
# Tighter was measured (German rounds 1-2, scene_bonus 0.3, before PARTICULARS): 6 / 12 / 24
# hours found 42 / 54 / 70 of 86, merged 0 / 1 / 1 of 44; a facet comes up to a day later.
SAME_DAY = 86400.0
# A particular of the act: a term the story and the record share, beside the town and the
# act's words, that at most this many active stories hold (Window.stories; until branch
# review, the members holding it, Window.df: the act's own story of 6 reports failed
# alone). German rounds 1-2 at
# scene_bonus 0.3 (benchmarks/README.md, branch feeds-de3): 1 / 2 / 3 / 5 / 8 / 12 found
# 36 / 56 / 59 / 66 / 66 / 70 of 86 and merged 0 / 0 / 0 / 0 / 0 / 1 of 44 (without the
# check: 70, 1); each round alone picks 5 or more (round 1: 0.810 at 3, 0.833 at 5; round 2:
# 0.568, 0.705). The smaller of the two equal values.
PARTICULARS = 5


def event_places(tokenizer: Tokenizer, text: str, language: str | None) -> frozenset[str]:
    """The specific places ``text`` says something happened in (their story terms): neither a
    country nor one of the tables' capitals and metropolises (the time-zone cities)."""
    found: set[str] = set()
    words = _LOCATIVE.findall(text)
    if is_german(language):  # English "-er" words before a name are titles: "Minister Raab"
        words += _OF_PLACE.findall(text) + _LOCATIVE_DE.findall(text)
    for word in words:
        for term in content_words(tokenizer, tokenizer.content_terms(word, language), language):
            if not _common_place(tokenizer, term, language):
                found.add(term)
    return frozenset(found)


def rubric_places(tokenizer: Tokenizer, title: str, language: str | None) -> frozenset[str]:
    """The town a title's rubric names (its story term; :data:`_RUBRIC`), none when the
    rubric is no town of :func:`crawler.stories.places.is_town`'s or a common place."""
    found = _RUBRIC.match(title)
    if found is None:
        return frozenset()
    terms = tokenizer.content_terms(found.group(1), language)
    return frozenset(t for t in terms if len(terms) == 1 and is_town(tokenizer, t, language)
                     and not _common_place(tokenizer, t, language))


def _common_place(tokenizer: Tokenizer, term: str, language: str | None) -> bool:
    places = tokenizer.places(frozenset((term,)), language)
    # A country is only its code; a capital or a metropolis is a time-zone city.
    return (bool(places) and term not in places) or term in _metropolises(tokenizer, language)


@lru_cache(maxsize=8)
def _metropolises(tokenizer: Tokenizer, language: str | None) -> frozenset[str]:
    from crawler.dedup.data.cities import CITIES_GENERATED  # noqa: PLC0415 (one table)

    names = CITIES_GENERATED.get(language or "", frozenset())
    return frozenset(tokenizer.content_terms(" ".join(names), language))


def kinds_of(tokenizer: Tokenizer, terms: Iterable[str], language: str | None,
             of: str = "acts", described: bool = True) -> frozenset[str]:
    """The kinds of act among ``terms`` (story terms of ``language``); ``of="ceremonies"``:
    the kinds of ceremony (:data:`_CEREMONIES`); ``described=False``: the kinds named, not
    told by a description (:data:`_DESCRIPTIONS`)."""
    table = _kind_terms(tokenizer, base_language(language), of)
    # A story's centroid (a mapping) or a record's terms (a set), as a set, not copied.
    held: AbstractSet[str] = (terms.keys() if isinstance(terms, Mapping)
                              else terms if isinstance(terms, AbstractSet)
                              else frozenset(terms))
    found = {table.single[t] for t in held if t in table.single}
    found.update(kind for parts, kind in table.compounds if parts <= held)
    found.update(kind for groups, kind in table.described if described
                 and all(any(parts <= held for parts in group) for group in groups))
    if not found and not table.hurt.isdisjoint(held):
        found.add(INJURY)
    return frozenset(found)


def names_reaction(title: str) -> bool:
    """Whether ``title`` names a reaction (:data:`_REACTIONS`), word by word."""
    return not _REACTIONS.isdisjoint(_WORD.findall(title.lower()))


def reaction_terms(tokenizer: Tokenizer, language: str | None) -> frozenset[str]:
    """:data:`_REACTIONS` as ``language``'s title tokens (what a story keeps of its member
    titles): :func:`crawler.stories.merging.begun_by` reads a story's first title by them."""
    return _reaction_terms(tokenizer, language)


@lru_cache(maxsize=8)
def _reaction_terms(tokenizer: Tokenizer, language: str | None) -> frozenset[str]:
    # A stored story keeps its titles' tokens, not their words: the reactions as tokens
    # (a compound's part among them: a story begun by "Islamkritiker ..." reads as one).
    return frozenset(t for word in _REACTIONS for t in tokenizer.content_terms(word, language))


@dataclass(frozen=True)
class _KindTable:
    single: Mapping[str, str]  # a word of one term: term -> kind
    # A compound the tokenizer splits into parts none of which is an act ("Todesfahrt": "tod"
    # + "fahrt"): its kind where all its parts stand together.
    compounds: tuple[tuple[frozenset[str], str], ...]
    hurt: frozenset[str]  # the toll's terms (:data:`_HURT`)
    # A description (:data:`_DESCRIPTIONS`): its groups, each a word's parts, and its kind.
    described: tuple[tuple[tuple[tuple[frozenset[str], ...], ...], str], ...] = ()

    def acts(self) -> frozenset[str]:
        """Every term of an act's word (a compound's parts, the toll's words and the
        descriptions' too: where "verletzt" or "Menschenmenge" names the kind, it is no
        particular of the act)."""
        return frozenset(self.single).union(
            self.hurt, *(parts for parts, _ in self.compounds),
            *(parts for groups, _ in self.described for group in groups for parts in group))


def ceremonies_of(tokenizer: Tokenizer, terms: Iterable[str], language: str | None
                  ) -> frozenset[str]:
    """The kinds of ceremony (:data:`_CEREMONIES`) among ``terms`` (a title's tokens)."""
    return kinds_of(tokenizer, terms, language, "ceremonies")


@lru_cache(maxsize=16)
def _kind_terms(tokenizer: Tokenizer, language: str | None, of: str = "acts") -> _KindTable:
    # Once per tokenizer, language and table: each word through the language's rules.
    single: dict[str, str] = {}
    compounds: list[tuple[frozenset[str], str]] = []
    kinds = _CEREMONIES if of == "ceremonies" else _KINDS
    for kind, words in kinds.get(language or "", {}).items():
        for word in words.split():
            found = content_words(tokenizer, tokenizer.content_terms(word, language), language)
            if len(found) == 1:
                single[next(iter(found))] = kind
            elif found:
                compounds.append((frozenset(found), kind))
    # A compound with an act among its parts is that act already ("Terroranschlag").
    hurt = frozenset(tokenizer.content_terms(_HURT.get(language or "", ""), language)
                     if kinds is _KINDS else ())
    described = _described(tokenizer, language) if kinds is _KINDS else ()
    return _KindTable(single, tuple((parts, kind) for parts, kind in compounds
                                    if parts.isdisjoint(single)), hurt, described)


def _described(tokenizer: Tokenizer, language: str | None
               ) -> tuple[tuple[tuple[tuple[frozenset[str], ...], ...], str], ...]:
    """:data:`_DESCRIPTIONS` of ``language``: each description's groups, each word of a
    group as its story terms (a compound's parts), with its kind."""
    def parts(word: str) -> frozenset[str]:
        return frozenset(content_words(tokenizer, tokenizer.content_terms(word, language),
                                       language))

    return tuple((tuple(tuple(found for word in group.split() if (found := parts(word)))
                        for group in text.split("|")), kind)
                 for kind, texts in _DESCRIPTIONS.get(language or "", {}).items()
                 for text in texts)


class Scene:
    """A record's places and kinds of act (from its title and the first ``lead_chars`` of its
    summary or text; ``terms``: its story terms), read once; :meth:`shared` against each
    story. A story first reported more than :data:`SAME_DAY` before the record (or after it)
    is another day's: a town's second fire a week later. An undated record has no day."""

    def __init__(self, tokenizer: Tokenizer, doc: StoryDoc, terms: Iterable[str],
                 lead_chars: int) -> None:
        self._tokenizer, self._language, self._published = (tokenizer, doc.language,
                                                             doc.published)
        text = f"{doc.title}. {(doc.summary or doc.text or '')[:lead_chars]}"
        # A title naming a reaction gets no evidence, but a ceremony's: its kind of ceremony
        # stands for its kinds of act.
        answer = names_reaction(doc.title)
        ceremonies = ceremonies_of(tokenizer, tokenizer.title_tokens(doc.title, doc.language),
                                   doc.language) if answer else frozenset()
        self._ceremony = bool(ceremonies)
        quiet = doc.published is not None and (not answer or self._ceremony)
        self.places = (event_places(tokenizer, text, doc.language)
                       | rubric_places(tokenizer, doc.title, doc.language)
                       if quiet else frozenset())
        if not self.places:
            self.kinds = frozenset[str]()
        else:
            self.kinds = ceremonies or kinds_of(tokenizer, terms, doc.language)
        # An act told only by its description is the eyewitness's, or another report's
        # backdrop: "Während ... ein Auto in eine Menschenmenge rast, muss der 1. FC Magdeburg
        # in Düsseldorf Fußball spielen" (the match: another event, German real feeds rounds
        # 1-2). So such a record's every town must be the story's (:meth:`shared`).
        self._told = bool(self.kinds and not ceremonies
                          and not kinds_of(tokenizer, terms, doc.language, described=False))
        # The towns' countries are no particular either: a thin record's terms count its towns
        # once more as their country's code ("koln": "DE", crawler.stories.places), and few
        # stories of a window may hold it (two fires in Cologne were one event by "DE").
        self._terms = (frozenset(terms).difference(tokenizer.places(self.places, doc.language))
                       if self.kinds else frozenset())

    def shared(self, counts: Mapping[str, int], first_seen: float, first_title: Iterable[str],
               held: Mapping[str, int]) -> bool:
        """Whether a story (its centroid's ``counts``, first reported at ``first_seen`` under
        a title of the tokens ``first_title``) names one of the record's places and one of
        its kinds of act within a day of it and one of its particulars (``held``: how many
        active stories hold each term, :attr:`crawler.stories.story.Window.stories`), and
        was not begun by a reaction (a facet of the act joins the act's story, not the story
        of an answer to it), and names each of the record's places where the record only
        tells its act by a description (:data:`_DESCRIPTIONS`); for a record whose title
        names a ceremony, whether the story was begun by the same kind of ceremony and holds
        the place and a particular."""
        if not self.kinds or self._published is None:
            return False
        if abs(self._published - first_seen) > SAME_DAY or self.places.isdisjoint(counts):
            return False
        if self._told and not self.places <= counts.keys():
            return False  # an act told by its description, and something else elsewhere
        if self._ceremony:  # the story of the same ceremony, begun by it
            return (not self.kinds.isdisjoint(ceremonies_of(self._tokenizer, first_title,
                                                            self._language))
                    and self._particular(counts, held))
        if self.kinds.isdisjoint(kinds_of(self._tokenizer, counts, self._language)):
            return False
        return (self._particular(counts, held)
                and _reaction_terms(self._tokenizer, self._language).isdisjoint(first_title))

    def _particular(self, counts: Mapping[str, int], held: Mapping[str, int]) -> bool:
        """Whether the story holds a term of the record's, no town of it and no act's word,
        that at most :data:`PARTICULARS` active stories hold."""
        language = base_language(self._language)
        acts = _kind_terms(self._tokenizer, language).acts()
        if self._ceremony:
            acts |= _kind_terms(self._tokenizer, language, "ceremonies").acts()
        return any(t in counts and held.get(t, 0) <= PARTICULARS
                   for t in self._terms.difference(self.places, acts))
