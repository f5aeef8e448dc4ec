"""Parallel stories of one event joined by their members: average link between two stories.

Two outlets' first summaries of one event may share too few words to meet, and each begins a
story; later reports then split between the two ("Teenagers guilty of killing PC Andrew
Harper" and "The three killers of PC Andrew Harper who laughed during trial", four reports
each). A summary that joins one and scores just under the bar against the other
(``NEAR_MARGIN``) asks whether the two are one: every member of each scored against the other
story (the hand score, the scene bonus left out: it reads one town and one act, which a
story of the event's other facets shares), their mean at ``LINK_THRESHOLD`` or above, when
the stories overlap in time (``OVERLAP_SECONDS``) and share a name few reports of the window
hold (``RARE_REPORTS``). One member's score says little; the mean over eight says the two
stories' reports read as one event's.

Only stories the current batch began, every member a record of it with a body: their
profiles are in memory, not stored (a held story's members are written, and a story of an
earlier batch is never merged into another, :mod:`crawler.stories.merging`).

Chosen on the English real-feed pairs of development rounds 1-3 and 7 and German 1, 2 and 6
(benchmarks/README.md, "Real feeds", branch feeds): the mean at 0.32 / 0.33 / 0.34 / 0.35 /
0.36 / 0.37 found 108 / 108 / 108 / 107 / 105 / 105 of 140 English same-event pairs (102
without), merged 14 / 13 / 13 / 13 / 12 / 12 of 236 related pairs (11 without); German 118 of
127 at each (as without), 1 of 125 merged (0 without). 0.34: the most found with at most 1 in
15 merged in either language (the rule ``summary_threshold`` was chosen by), mid-plateau.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from crawler.stories.features import Profile
from crawler.stories.params import StoryParams
from crawler.stories.score import Scorer
from crawler.stories.story import Story, Window

# A summary scoring at most this much under its bar against a story it did not join asks
# whether that story and its own are one.
NEAR_MARGIN = 0.06
# The members' mean score against the other story that makes two stories one.
LINK_THRESHOLD = 0.34
# The two stories' dated spans at most this far apart (one event's first day).
OVERLAP_SECONDS = 12 * 3600.0
# A name both stories hold that at most this many reports of the window hold.
RARE_REPORTS = 5


def overlapping(a: Story, b: Story) -> bool:
    """Whether two stories' dated spans come within ``OVERLAP_SECONDS`` (undated: yes)."""
    if a.dated is None or b.dated is None:
        return True
    gap = max(a.dated[0], b.dated[0]) - min(a.dated[1], b.dated[1])
    return gap <= OVERLAP_SECONDS


def rare_name_shared(a: Story, b: Story, df: Mapping[str, int]) -> bool:
    """Whether both stories name one name that at most ``RARE_REPORTS`` reports of the window
    hold (numbers and countries' codes apart)."""
    return any(df.get(n, 0) <= RARE_REPORTS for n in a.names
               if n in b.names and n[0].isalpha() and not n.isupper())


def average_link(pairs: Iterable[tuple[Sequence[Profile], Story]], window: Window,
                 params: StoryParams) -> float:
    """The mean score of each member profile against the other story (a veto: 0) over
    ``pairs`` of (one story's members, the other story), scored with ``params`` (the
    caller's, the scene bonus off)."""
    scores = []
    for members, other in pairs:
        for profile in members:
            fit = Scorer(profile, window, params).fit(other)
            scores.append(0.0 if fit is None else fit.score)
    return sum(scores) / len(scores) if scores else 0.0
