"""Names only one story holds: a feed summary's strongest evidence beside its few words.

Two outlets' 25-word summaries of one event share few words, but they name the same people,
places and things; when no other story of the window names one of them ("Shapps", "Henrichs",
"Flamanville"), sharing it says more than a cosine over so few words can. A name many stories
hold ("Trump", "China", "Covid") says nothing of the kind, and it is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crawler.stories.story import Story


def rare_shared(names: Iterable[str], story: Story, df: Mapping[str, int]) -> list[str]:
    """The ``names`` the story names too that no other report of the window holds (``df``:
    the window's document frequencies, members of the active stories whose centroid holds
    the term, the story's own included), sorted; numbers, days and countries' codes apart
    (many stories share them).

    Reports, not stories: a name two reports of one story gave is not rare. Counted by
    stories instead (``Window.stories``), the German real-feed pairs of rounds 1-2 merged 3
    related pairs of 44 (0 now) for no same-event pair more (66 of 86 either way; the
    English pairs unchanged, story-clusters' lead rows F1 0.932 -> 0.934), so the stricter
    reading stays (benchmarks/README.md, branch speed-art3)."""
    held = story.names
    return sorted(n for n in names if n in held and n[0].isalpha() and not n.isupper()
                  and df.get(n, 0) <= 1)
