"""A summary's candidate stories by the rare names it shares with them.

The candidate index signs a record's title tokens and its most named names (MinHash, 32
bands of one row): two outlets' summaries of one event in other words share a few of ~30
signed tokens and meet in fewer than the two bands a candidate needs, or meet a story that a
frequent title word ranks past the 30 scored ("Video shows US fighter jet fly terrifyingly
close to Iranian passenger plane" behind 46 stories sharing "US" and "jet"). What two
summaries of one event do share are names that few stories hold ("Quentin", "Harper"). This
route gives a summary the active stories that hold one of its names which at most
:data:`RARE` active stories hold; they are scored beside the index's candidates, and the
score decides as for any candidate.

Exact, whatever the order: a name's stories are looked up among the active stories' names
(:attr:`crawler.stories.story.Story.names`, what the state keeps), so a run that loaded its
stories finds what one run that made them finds. What :class:`NameRoute` holds is a superset
(a story's names once held, pruned since or merged away), checked at each look-up.

What it costs: nothing for a crawl without summaries (articles, bare titles: nothing is
noted). From its first batch holding summaries on (:meth:`NameRoute.start`), every held
story's names are noted once, as it is loaded, begun, joined or merged into, and forgotten
with it (:meth:`NameRoute.remove`, on eviction), so the index lasts across batches. Made
anew from every held story at each batch's start it cost ~2.1 us a story: ~5 CPU s a
5,000-record batch of a crawl holding 60 days of stories (issue 18). An id left under a name
its story pruned since (a story keeps its most named names) is dropped when that name is
looked up and the story is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping

from crawler.stories.features import Profile
from crawler.stories.story import Story

# A name at most this many active stories hold is rare enough to look a story up by. 1 / 2 /
# 3 / 5 / 8 on the English real-feed pairs of rounds 1-3: 68 / 69 / 72 / 72 / 72 of 101
# same-event pairs found, 10 / 11 / 11 / 11 / 11 of 146 related pairs merged (67 and 9
# without the route); the smallest value of the plateau.
RARE = 3


class NameRoute:
    """Story ids by the names their members brought (a superset: see the module)."""

    def __init__(self) -> None:
        self._held: dict[str, set[str]] = {}
        self._on = False  # noting names: from the first batch that holds summaries on

    def start(self, stories: Iterable[Story]) -> None:
        """Note the names of ``stories`` (the held ones) and of every story from now on:
        called for each batch holding summaries, it does so once (a crawl without summaries
        notes nothing: headlines and articles never look a name up)."""
        if not self._on:
            self._on = True
            for story in stories:
                self.add(story.story_id, story.names)

    def add(self, story_id: str, names: Iterable[str]) -> None:
        """Note that ``story_id`` holds ``names`` (numbers, days and countries' codes apart:
        many stories share them)."""
        if not self._on:
            return
        held = self._held
        for name in names:
            if name[0].isalpha() and not name.isupper():
                stories = held.get(name)
                if stories is None:
                    held[name] = {story_id}
                else:
                    stories.add(story_id)

    def remove(self, story_id: str, names: Iterable[str]) -> None:
        """Forget ``story_id`` under ``names`` (its names as it leaves: one it pruned since
        it was noted is cleared at a look-up, :meth:`candidates`)."""
        for name in names:
            stories = self._held.get(name)
            if stories is not None:
                stories.discard(story_id)
                if not stories:
                    del self._held[name]

    def candidates(self, names: Iterable[str], stories: Mapping[str, Story],
                   active: Container[str], alive: Callable[[str], str]) -> list[str]:
        """The ``active`` stories (of ``stories``, id -> story) holding one of ``names``
        that at most :data:`RARE` of them hold, sorted; ``alive`` maps a story merged away
        to the one that took it in."""
        found: set[str] = set()
        for name in names:
            ids = self._held.get(name)
            if ids is None:
                continue
            holding: set[str] = set()
            dead: list[str] = []
            for held_id in ids:
                story_id = alive(held_id)
                if story_id not in stories:  # evicted or merged away: what it holds is gone
                    dead.append(held_id)
                elif story_id in active and name in stories[story_id].names:
                    holding.add(story_id)
                    if len(holding) > RARE:
                        break
            ids.difference_update(dead)
            if len(holding) <= RARE:
                found |= holding
        return sorted(found)

    def routed(self, profile: Profile, scored: Iterable[str], *,
               stories: Mapping[str, Story], active: Container[str],
               alive: Callable[[str], str]) -> list[str]:
        """A summary's stories by a rare name (:meth:`candidates`) that are not among
        ``scored`` (the index's candidates it is scored against, story ids); none
        for a record that is no summary (an article's names find its stories through the
        index, and a bare title's words are its title's)."""
        if not (self._on and profile.thin and profile.has_body):
            return []
        top = set(scored)
        return [s for s in self.candidates(profile.names, stories, active, alive)
                if s not in top]
