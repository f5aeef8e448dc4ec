"""How well a record fits a story: weighted content, title similarity, shared names, vetoes.

* ``content``: the cosine of the record's TF-IDF vector and the story centroid's (each term
  weighed by its rarity among the active stories, :class:`crawler.stories.story.Window`),
  plus the title similarity weighted by ``title_bonus``;
* ``title``: for a record without a body, its best Jaccard similarity with a member title;
* vetoes: against every member title that shares its template (similar enough), different
  numbers, places, opposite verbs or one-sided negation mean another event of one kind:
  "Day 412" / "Day 413", "14th" / "15th sanctions package", "City A" / "City B lifts curfew";
  between full bodies, names differing veto only when one title names someone the other
  side's text never does (two titles picking names from one cast are one event).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crawler.dedup.languages import base_language
from crawler.dedup.tokens import NEGATION, default_tokenizer
from crawler.dedup.verify import Features, opposed, sides_differ
from crawler.stories.actors import actor_of, answerer, counter_move, lead_actor, plain
from crawler.stories.dating import agrees, name_agreement
from crawler.stories.eventkinds import Scene
from crawler.stories.eventwords import shared_event_words
from crawler.stories.features import Profile
from crawler.stories.learned import applies, evidence, probability
from crawler.stories.params import DAY, SUMMARY_MODEL, StoryParams, SummaryModel
from crawler.stories.rarity import rare_name_share
from crawler.stories.recurring import other_day
from crawler.stories.story import Story, Window
from crawler.stories.summary import event_text

# Tokens two titles of one template differ in, both sides together.
_TEMPLATE_CHANGES = 4
# A summary's score ages for this many days past its story's first (Scorer._aged), no more:
# the same week's next move is what it parts; a follow-up weeks later (a check-out three
# weeks after the check-in, one event in story-clusters) is judged by stale_margin. Within
# the real feeds' six days any cap of 2+ days gives the same figures.
_AGED_DAYS = 2.0
# What an English summary loses against a story none of whose member titles name the one its
# title says answers (Scorer._answered): another actor's answer joins the event's story only
# by a score of summary_threshold + 0.3. English real feeds, rounds 1-3: 0.1 and 0.2 parted
# one related pair (Eugenie's tribute), 0.3 and a veto two (Trump on Portland's mayor,
# scored 0.62), no same-event pair lost at any of them (benchmarks/README.md, "Real feeds").
_ANSWER_MARGIN = 0.3


@dataclass(frozen=True, slots=True)
class Fit:
    """A record's score against one story, and the member title it matched best."""

    score: float
    member_id: str
    title_similarity: float


class Scorer:
    """Scores one record against its candidate stories (its weighted vector made once)."""

    def __init__(self, profile: Profile, window: Window, params: StoryParams,
                 model: SummaryModel = SUMMARY_MODEL) -> None:
        self.profile = profile
        self.model = model
        self._window = window
        self._params = params
        # Its weighted vector and norm, made by the first cosine (none for a record whose
        # candidates are all vetoed, nor for one without a body).
        self._vector: dict[str, float] | None = None
        self._norm = 1.0
        # The country its title leads with, when it names another too: a member title led by
        # the other that names this one tells the move this record answers (or the answer).
        # A summary's title without one: its first sentence's (actors.lead_actor), read when
        # a member title carries an actor (few do: a sentence's tokens cost ~20 us).
        self._actor = actor_of(profile.check.places)
        self._reads_lead = self._actor is None and profile.thin and profile.has_body
        # What the cosine reads of the window, bound once (it runs for every story scored).
        self._df_get = window.df.get
        self._scene: Scene | None = None  # a summary's place and act, read on first use
        self._answerer: frozenset[str] | None = None  # who its title says answers, likewise
        # An English feed summary: judged by the learned model (crawler.stories.learned).
        self.learned = applies(profile, params)
        # Other places in a title of one template veto only where the model is off: on
        # the English pairs of rounds 1-3 that veto parted 3 same-event pairs ("UK suspends
        # Hong Kong extradition treaty" / "Dominic Raab announces extradition treaty ...")
        # and the model weighs other places itself (learned.FEATURES "places_differ").
        self.soft_places = self.learned

    def fit(self, story: Story) -> Fit | None:
        """The record's fit to ``story``, or None when a veto or the time window forbids it.
        The key-name veto is the caller's, over all of a record's candidates at once
        (:func:`crawler.stories.veto.admitted`): ``story`` is one it admitted."""
        if (self.profile.doc.published is None and self.profile.has_body
                and not self.profile.thin and story.dated is not None and self._untimed(story)):
            return None
        similarity, member = self._title(story)
        if member is None:
            return None
        if self.profile.has_body and story.content:
            cosine = self._cosine(story)
            score = self._hand(story, similarity, cosine)
            if self.learned:  # the hand score is one of the model's features
                score = probability(self.model, evidence(self.profile, story, self._window.df,
                                                         (score, cosine, similarity)))
        else:
            score = similarity
        return Fit(score, member, similarity)

    def evidence(self, story: Story, similarity: float) -> tuple[float, ...]:
        """What the learned model weighs (:func:`crawler.stories.learned.evidence`) for a
        record with a body against a story with content (``similarity``: the title
        similarity :meth:`fit` found), whether the model is on or not."""
        cosine = self._cosine(story)
        return evidence(self.profile, story, self._window.df,
                        (self._hand(story, similarity, cosine), cosine, similarity))

    def _hand(self, story: Story, similarity: float, cosine: float) -> float:
        """The hand-weighted score: the cosine, the title's share, a summary's bonuses."""
        score = cosine + self._params.title_bonus * similarity
        if self.profile.thin:
            score += (self._rare_names(story) + self._event_words(story)
                      + self._scene_of(story) - self._aged(story) - self._answered(story))
        return score

    def _title(self, story: Story) -> tuple[float, str | None]:
        """The best title similarity and its member; (0, None) when a member title that
        shares the record's template contradicts it."""
        # The member named is another record than this one: a revision (its id written
        # again) scores against a story holding its earlier revision, the best title there,
        # but what it matched is the story's other records (the first, when none is nearer).
        best, member, nearest, own = 0.0, story.first_id, 0.0, self.profile.doc.id
        mine = self.profile.check
        short = len(mine.tokens) <= self._params.template_tokens
        gap = self._after(story)
        actor = self._actor
        for member_id, theirs in story.titles:
            if self._reads_lead and actor_of(theirs.places) is not None:
                actor = self._lead_actor()
            if actor is not None and counter_move(actor, theirs.places):
                return 0.0, None  # its answer, not the move: another event
            shared = len(mine.tokens & theirs.tokens)
            union = len(mine.tokens) + len(theirs.tokens) - shared
            similarity = shared / union if union else 0.0
            if (similarity >= self._params.template_similarity and short
                    and len(theirs.tokens) <= self._params.template_tokens
                    and ((self._contradicts(mine, theirs) and not self._names_told(story, theirs))
                         or other_day(mine.tokens, theirs.tokens, gap))):
                return 0.0, None
            if shared < self._params.min_shared_title:
                similarity = 0.0
            best = max(best, similarity)
            if similarity > nearest and member_id != own:
                nearest, member = similarity, member_id
        return best, member

    def _lead_actor(self) -> str | None:
        """A summary's actor by its first sentence, read once (:func:`lead_actor`)."""
        self._reads_lead = False
        profile = self.profile
        self._actor = lead_actor(default_tokenizer(), _summary_of(profile, self._params),
                                 profile.doc.language)
        return self._actor

    def _contradicts(self, mine: Features, theirs: Features) -> bool:
        """:func:`_contradict`, without its places where they are soft (``soft_places``)."""
        if self.soft_places:
            return _differ_in_kind(mine, theirs)
        return _contradict(mine, theirs)

    def _names_told(self, story: Story, theirs: Features) -> bool:
        """Whether two titles that differ only in their names pick them from one cast: one
        title's names the other lacks are all named in the other side's text ("Lawyer: Lindsay
        Lohan checks into rehab" / "Lindsay Lohan checks into unapproved rehab": Lindsay is in
        the first one's text; a title's first word counts as a name, so "Lawyer" need not be
        in the other's). Two cities' curfews each name a city the other never does. Records
        with a full body only: a summary's few words name too little to tell (story-clusters:
        10 template vetoes on the headline rows, all of them between reports of one event)."""
        mine = self.profile.check
        if self.profile.thin or not story.content or _differ_in_kind(mine, theirs):
            return False
        told = self.profile.names.union(self.profile.terms)
        ours, others = plain(mine.places), plain(theirs.places)  # the actor mark is no name
        return (all(n in story.names or n in story.counts for n in ours - others)
                and others - ours <= told)

    def _untimed(self, story: Story) -> bool:
        """Whether an undated record's text says nothing of the dated story's time and its
        names fall short of the story's (:mod:`crawler.stories.dating`): then it may be
        another event of one cast, months or years apart. Records with an article's body
        only: a bare title joins by a member title's words, and a summary's 25 words name
        a few of a story's 40 names whatever it reports (its share measures its length)."""
        floor = self._params.undated_names
        assert story.dated is not None
        if not floor or agrees(self.profile.when, story.dated, story.weekdays,
                               self._window.clock, self._params.fresh_seconds):
            return False
        return name_agreement(dict.fromkeys(self.profile.names, 1), story.names,
                              self._window.idf) < floor

    def _after(self, story: Story) -> float:
        """How long after the story's latest member the record was published (0 for an
        undated record): at least as long after each of its members."""
        published = self.profile.doc.published
        return 0.0 if published is None else published - story.last_seen

    def _aged(self, story: Story) -> float:
        """What a summary's score loses against a story that has run for days:
        ``summary_decay`` a day past the story's first day, for two days at most (none for
        an undated record). A record earlier than the story's first (delivered late to a
        later run) ages by the same gap: one run scored that first record against this
        record's story, aged by it (benchmarks/eval_late_splits.py)."""
        published = self.profile.doc.published
        if published is None:
            return 0.0
        days = abs(published - story.first_seen) / DAY - 1.0
        return self._params.summary_decay * min(days, _AGED_DAYS) if days > 0 else 0.0

    def _rare_names(self, story: Story) -> float:
        """A summary's bonus for a name it shares with the story that few reports hold
        (:func:`rare_name_share`)."""
        published = self.profile.doc.published
        since = None if published is None else published - story.first_seen
        window = self._window
        share = rare_name_share(self.profile.names, story, window.df, window.docs, since)
        return self._params.rare_name_bonus * share

    def _event_words(self, story: Story) -> float:
        """A summary's bonus for a word of the event it shares with the story, rare in the
        language and in the window (:mod:`crawler.stories.eventwords`)."""
        profile = self.profile
        if shared_event_words(profile.title.union(profile.terms), profile.names, story,
                              self._window.df, profile.doc.language):
            return self._params.event_word_bonus
        return 0.0

    def _answered(self, story: Story) -> float:
        """What an English summary loses when its title names an answer (:func:`answerer`)
        by someone the story's member titles never name: another actor's answer to the
        event, which the labels call another event (the event's own reports name who
        acts in it)."""
        if self._answerer is None:
            doc = self.profile.doc
            language = base_language(doc.language)  # a claim may be "en-GB"
            words = answerer(doc.title) if language == "en" else []
            self._answerer = (default_tokenizer().title_tokens(" ".join(words), language)
                              if words else frozenset())
        held = story.titles
        if any(all(t not in f.tokens for _, f in held) for t in self._answerer):
            return _ANSWER_MARGIN
        return 0.0

    def _scene_of(self, story: Story) -> float:
        """A summary's bonus for naming the story's town and kind of act within a day of its
        first report: another facet of one event (:mod:`crawler.stories.eventkinds`)."""
        if not self._params.scene_bonus:
            return 0.0
        if self._scene is None:
            profile = self.profile
            self._scene = Scene(default_tokenizer(), profile.doc,
                                profile.title.union(profile.terms), self._params.lead_chars)
        if story.titles and self._scene.shared(story.counts, story.first_seen,
                                               story.titles[0][1].tokens, self._window.stories):
            return self._params.scene_bonus
        return 0.0

    def _cosine(self, story: Story) -> float:
        # The story's weights as Window.idf gives them (the same floats, one pass less).
        vector = self._vector
        if vector is None:
            terms = self.profile.terms
            idf = self._window.idf(terms)
            vector = self._vector = {t: terms[t] * i for t, i in zip(terms, idf, strict=True)}
            self._norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        counts, get = story.counts, self._df_get
        logs, top = self._window.logs()
        weights = [n * (top - logs[get(t, 0) + 1]) for t, n in counts.items()]
        norm = math.sqrt(sum([w * w for w in weights]))
        dot = sum([vector[t] * w for t, w in zip(counts, weights, strict=True) if t in vector])
        return dot / (self._norm * norm) if norm else 0.0


def _summary_of(profile: Profile, params: StoryParams) -> str:
    """The text a summary's body terms came from: its feed's teaser, else its page text's
    lead (:func:`crawler.stories.features._body`), without its calls to action."""
    doc = profile.doc
    text = doc.summary if profile.teaser else doc.text
    return event_text((text or "")[:params.lead_chars])


def story_similarity(a: Story, b: Story, window: Window, params: StoryParams) -> float | None:
    """How alike two stories are: their centroids' cosine (each term weighed by its rarity
    among the active stories); None when their key names do not meet both ways or two
    member titles of one template contradict each other (as for a record and a story)."""
    mine, theirs = a.key_names(params.key_names), b.key_names(params.key_names)
    if mine and theirs and (mine.isdisjoint(b.names) or theirs.isdisjoint(a.names)):
        return None
    for _, x in a.titles:
        actor = actor_of(x.places)
        for _, y in b.titles:
            if ((_template(x, y, params) and _contradict(x, y))
                    or (actor is not None and counter_move(actor, y.places))):
                return None
    if _untimed_pair(a, b, window, params):
        return None
    weights = [_weighted(story, window) for story in (a, b)]
    dot = sum(w * weights[1].get(t, 0.0) for t, w in weights[0].items())
    norms = math.prod(math.sqrt(sum(w * w for w in v.values())) for v in weights)
    return dot / norms if norms else 0.0


def _untimed_pair(a: Story, b: Story, window: Window, params: StoryParams) -> bool:
    """Whether one of two stories holds dated members and the other none, and their names
    fall short of ``undated_names`` (as an undated record's must for a dated story,
    :meth:`Scorer._untimed`): a story of undated reports may be the cast's other event."""
    if not params.undated_names or (a.dated is None) == (b.dated is None):
        return False
    return name_agreement(a.names, b.names, window.idf) < params.undated_names


def _template(a: Features, b: Features, params: StoryParams) -> bool:
    """Two headline-length titles similar enough to share a template."""
    shared = len(a.tokens & b.tokens)
    union = len(a.tokens) + len(b.tokens) - shared
    return (bool(union) and shared / union >= params.template_similarity
            and max(len(a.tokens), len(b.tokens)) <= params.template_tokens)


def _weighted(story: Story, window: Window) -> dict[str, float]:
    counts = story.counts
    return {t: n * i for (t, n), i in zip(counts.items(), window.idf(counts), strict=True)}


def _contradict(a: Features, b: Features) -> bool:
    # Places (and names) veto only titles that differ in a few words, the rest being one
    # template ("City A" / "City B lifts its curfew"): a rewrite of one event often names
    # a place or person the other leaves out or calls otherwise. (Without the actor mark:
    # counter_move reads it; one more country named is no other place.)
    return (_differ_in_kind(a, b)
            or (len(a.tokens ^ b.tokens) <= _TEMPLATE_CHANGES and _places_differ(a, b)))


def _places_differ(a: Features, b: Features) -> bool:
    """Whether two titles name other places of one kind: countries (their codes) against
    countries, other names (cities, people) against other names. A country against a name
    is one actor called two ways, its minister or its capital: "Dominic Raab announces
    extradition treaty with Hong Kong is being suspended" / "U.K. Suspends Extradition
    Treaty With Hong Kong" (English real feeds, rounds 1-3: that event's two pairs, vetoed
    until then; no related pair more merged). A city of the places table counts as its
    country too ("houston": US), so "Spain" / "Barcelona" stay apart by neither rule."""
    mine, theirs = plain(a.places), plain(b.places)
    my_countries, their_countries = _countries(mine), _countries(theirs)
    return (sides_differ(my_countries, their_countries)
            or sides_differ(mine - my_countries, theirs - their_countries))


def _countries(places: frozenset[str]) -> frozenset[str]:
    """The country codes among ``places`` ("GB", "US"; the places table's other entries and
    a title's capitalised names are lower-case terms)."""
    return frozenset(p for p in places if p.isupper())


def _differ_in_kind(a: Features, b: Features) -> bool:
    """Other numbers, opposite verbs or a one-sided negation: what no name explains."""
    return (sides_differ(a.numbers, b.numbers) or opposed(a.stances, b.stances)
            or (NEGATION in a.tokens) != (NEGATION in b.tokens))
