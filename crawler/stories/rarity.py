"""Names few reports hold: a feed summary's strongest evidence beside its few words.

Two outlets' 25-word summaries of one event share few words, but they name the same people,
places and things; when no other story of the window names one of them ("Shapps", "Henrichs",
"Flamanville"), sharing it says more than a cosine over so few words can. A name many stories
hold ("Trump", "China", "Covid") says nothing of the kind, and it is not counted. Between the
two, on the day of the story's first report, a name a few reports hold counts by its rarity
(:func:`rare_name_share`): one storm's or one verdict's name, told by four outlets that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from crawler.stories.story import Story

# A name this many reports of the window hold, or fewer, counts 1 / reports of the rare-name
# bonus on the day of the story's first report (rare_name_share); more, it says too little.
# English real-feed pairs, development rounds 1-3 and 7, and German 1, 2 and 6, at a bonus
# of 0.05 within a day: at most 3 / 6 / 10 reports found 1 / 2 / 2 pairs more (at 6, one a
# round: Meghan's biography in English round 7, Volkswagen's job cuts in German round 1),
# none merged (benchmarks/README.md, "Real feeds", branch feeds-en6).
_RARE_REPORTS = 6
# ... and at most this share of the window's reports: a name is rare against the window it is
# read in (among four reports, "President" in two is no rarity). The real feeds' windows hold
# hundreds to two thousand reports: 0.01 to 0.05 gave the figures above, 0.005 lost the
# German pair; the middle of that plateau.
_RARE_SHARE = 0.02
# ... within this many seconds of the story's first report. A day: one event's reports of
# its first day name its cast; days later the same names come back in the cast's next move.
# Measured: 36 hours found 3 English round-7 pairs more (Hurricane Hanna's landfall) but
# merged one more (Chicago's shooting and the White House's reply the next day); no gate at
# all merged another too (an MP's resignation and the police inquiry, round 2).
_RARE_SECONDS = 86400.0


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
    return sorted(n for n in _countable(names, story) if df.get(n, 0) <= 1)


def rare_name_share(names: Iterable[str], story: Story, df: Mapping[str, int], docs: int,
                    since_first: float | None) -> float:
    """The share of the rare-name bonus ``names`` earn against ``story``: 1 for a name no
    other report holds (:func:`rare_shared`); ``1 / reports`` for the rarest name the story
    names too that at most ``_RARE_REPORTS`` reports hold, and at most ``_RARE_SHARE`` of the
    window's ``docs``, when the record came within a day of the story's first report, before
    or after it (``since_first``: seconds; None for an undated record, and an infinite one
    for a story no dated report began: 0). Before or after: a late-delivered report an hour
    older than the story scores as it would have, had it come first."""
    reports = min((max(1, df.get(n, 0)) for n in _countable(names, story)), default=0)
    if reports == 1:
        return 1.0
    if (reports and reports <= min(_RARE_REPORTS, _RARE_SHARE * docs)
            and since_first is not None and abs(since_first) <= _RARE_SECONDS):
        return 1.0 / reports
    return 0.0


def _countable(names: Iterable[str], story: Story) -> Iterator[str]:
    """The ``names`` the story names too, numbers, days and countries' codes apart (many
    stories share them)."""
    held = story.names
    return (n for n in names if n in held and n[0].isalpha() and not n.isupper())
