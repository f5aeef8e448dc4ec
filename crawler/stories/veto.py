"""The key-name veto over a record's candidate stories, all of them at once.

A record's key names (:attr:`crawler.stories.features.Profile.key_names`) must be among a
story's names, and the story's key names (:meth:`crawler.stories.story.Story.key_names`)
among the record's names: a story sharing none of them is about someone else, another event
of its kind. It stops most of the candidate stories a record is scored against (78% of
~21 a generated headline, 93% for generated articles: benchmarks/README.md), so it runs as
one list comprehension over the row's candidates instead of a method call per story (the
call cost as much as the test).
"""

from __future__ import annotations

from crawler.stories.features import Profile
from crawler.stories.story import Story


def admitted(profile: Profile, stories: list[Story], key_names: int) -> list[Story]:
    """The ``stories`` the key-name veto leaves ``profile`` to be scored against (in their
    order); ``key_names`` is how many names a story's key holds (``StoryParams.key_names``).

    For a summary or a bare title (``thin``) the story's key names need only be among its
    words, capitalised or not: a 25-word summary's names are few and its title's capitals
    are headline case ("Wintry blast affects much of the South"); that the other outlet
    wrote "deep south" in lower case is no other event. And not the other way: a summary's
    key names are its title's words (headline capitals; in German every noun), and a report
    of a new facet names what the story's reports did not know yet ("Saudi-Arabien
    beantragte Auslieferung von Taleb A." against "Anschlag auf Weihnachtsmarkt: Was ist
    bekannt?"). English real-feed pairs of rounds 2-3: 4 more same-event pairs one story,
    no related pair more (benchmarks/README.md, "Real feeds"). A record or story without
    key names is not vetoed (nothing to meet by)."""
    key = profile.key_names
    if not key:
        return stories
    # Each story's key once computed stays until its names change (Story.add clears it);
    # read in the same pass as the test (a list of keys first cost a pass more).
    if profile.thin:
        words = profile.names.union(profile.terms, profile.title)
        return [s for s in stories
                if not (theirs := s.key if s.key is not None else s.key_names(key_names))
                or not words.isdisjoint(theirs)]
    # (``names.keys().isdisjoint(key)`` looks up the record's few key names; the other way
    # round would iterate over the story's 40.)
    names = profile.names
    return [s for s in stories
            if not (theirs := s.key if s.key is not None else s.key_names(key_names))
            or not (s.names.keys().isdisjoint(key) or names.isdisjoint(theirs))]
