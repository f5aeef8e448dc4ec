"""A feed summary's fit to a story, learned: a logistic regression over general evidence.

The hand-weighted score (a cosine plus a rare-name bonus, an event-word bonus and an ageing
penalty, :mod:`crawler.stories.score`) put the English real feeds' remaining same-event misses
and related-event merges in one band (0.33-0.40): each further hand rule moved a pair or two
and fitted the rounds it was read from. Here the same kinds of evidence, and a few more that
are as cheap, are weighed by a model fitted on labelled pairs (English real-feed rounds 1-3,
``benchmarks/fit_story_feeds.py``), and a summary joins a story when the probability reaches
``StoryParams.learned_threshold`` (0: off, the hand score decides).

Only a feed's summary (:attr:`crawler.stories.features.Profile.teaser`) in English is scored
so: the pairs are English feed summaries against stories; articles, bare titles and German
keep their rules. The features (:data:`FEATURES`, in the order of the model's weights) are
each a few set operations over what the record and the story hold already. The vetoes that
parted no labelled same-event pair stay hard for it (counter-moves, other days, a title of
one template with other numbers, an opposite verb or a negation); other places in such a
title are one of its features instead (:attr:`crawler.stories.score.Scorer.soft_places`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from crawler.dedup.languages import base_language
from crawler.dedup.verify import sides_differ
from crawler.stories.actors import plain
from crawler.stories.eventwords import common_terms, shared_event_words
from crawler.stories.features import Profile
from crawler.stories.params import DAY, StoryParams, SummaryModel
from crawler.stories.rarity import rare_shared
from crawler.stories.story import Story

#: The evidence, in the order of :attr:`SummaryModel.weights`.
FEATURES = (
    "hand",                 # the hand-weighted score (crawler.stories.score.Scorer.fit)
    "cosine",               # the hand score's cosine of the record and the centroid
    "title",                # the best Jaccard similarity with a member title
    "title_in_story",       # the share of the record's title tokens in the centroid
    "headline_in_record",   # the best share of a member title's tokens in the record
    "names",                # names shared (log 1 + n)
    "window_rare_names",    # ... that no other active story holds
    "language_rare_names",  # ... that are rare in the language (wordfreq)
    "event_words",          # words of the event shared (crawler.stories.eventwords)
    "rare_terms",           # shared terms at most HOLDERS active stories hold
    "numbers_differ",       # a member title names other numbers
    "places_differ",        # a member title names other places
    "hours_after",          # since the story's latest member (log 1 + h)
    "days_run",             # how long the story had run, in days (at most 3)
)
# A shared term held by at most this many active stories counts as rare in the window (as
# eventwords.HOLDERS and namecands.RARE).
HOLDERS = 3
# Hours and days past which more says nothing new (the feeds span six days).
_MAX_HOURS = 72.0
_MAX_DAYS = 3.0
#: The languages the model was fitted on.
LANGUAGES = frozenset({"en"})


def applies(profile: Profile, params: StoryParams) -> bool:
    """Whether ``profile`` is judged by the model: an English feed summary, the model on."""
    return (params.learned_threshold > 0.0 and profile.teaser and profile.has_body
            and base_language(profile.doc.language) in LANGUAGES)


def evidence(profile: Profile, story: Story, df: Mapping[str, int],
             scored: tuple[float, float, float]) -> tuple[float, ...]:
    """The features of :data:`FEATURES` for ``profile`` against ``story`` (``df``: the
    window's story frequencies; ``scored``: the scorer's hand score, cosine and title
    similarity)."""
    words = profile.title.union(profile.terms)
    counts, held = story.counts, story.names
    title = profile.title
    in_story = sum(t in counts for t in title) / len(title) if title else 0.0
    headline = max((len(t.tokens & words) / len(t.tokens) for _, t in story.titles
                    if t.tokens), default=0.0)
    shared = [n for n in profile.names if n in held and n[0].isalpha()]
    common = common_terms(base_language(profile.doc.language) or "en")
    mine = profile.check
    numbers = any(sides_differ(mine.numbers, t.numbers) for _, t in story.titles)
    places = any(sides_differ(plain(mine.places), plain(t.places)) for _, t in story.titles)
    return (
        *scored, in_story, headline,
        math.log1p(len(shared)),
        float(len(rare_shared(profile.names, story, df))),
        float(sum(n not in common for n in shared)),
        float(len(shared_event_words(words, profile.names, story, df, profile.doc.language))),
        float(sum(t in counts and df.get(t, 0) <= HOLDERS for t in profile.terms)),
        float(numbers), float(places),
        *_times(profile, story),
    )


def _times(profile: Profile, story: Story) -> tuple[float, float]:
    """Hours since the story's latest member (log 1 + h) and days it had run (0 undated)."""
    published = profile.doc.published
    if published is None or story.dated is None:
        return 0.0, 0.0
    hours = min(max(published - story.last_seen, 0.0) / 3600.0, _MAX_HOURS)
    days = min(max(published - story.first_seen, 0.0) / DAY, _MAX_DAYS)
    return math.log1p(hours), days


def probability(model: SummaryModel, features: Sequence[float]) -> float:
    """The model's probability that the record reports the story's event."""
    z = model.intercept + sum(w * (x - m) / s for w, x, m, s in zip(
        model.weights, features, model.mean, model.scale, strict=True))
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
