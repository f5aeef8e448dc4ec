"""What a record's own text says of its time, and when an undated record may join a dated story.

An undated record (a feed entry without a date, a page whose date was not found) has nothing
to keep it from a story of the same people months or years ago: the clusterer lets it join any
story it holds (:mod:`crawler.stories.cluster`). Two events of one kind with one cast (a coach
hired in 2005 and fired in 2008, two title fights of one boxer, two rehab check-ins) share
their names and most of their words, so a record of the one fits the story of the other.

Its text often says when it was written: a year ("in 2008"), a weekday ("on Saturday night").
Where that agrees with the days the story's dated members were published on, the record joins
as a dated one would: the latest year it names is one of the story's (a text is written in the
latest year it names or after), or, naming no year, it names the weekday of a member's
publication or of the day before (when the event happened) of a story of the last few days.
Where it does not, the record must name the story's participants, not only a few of them: an
agreement of names weighed by their rarity (:func:`name_agreement`) of at least
``StoryParams.undated_names``.

Why this holds for real crawls, not only for story-clusters (whose lead-sentence rows are all
undated and all of one event per topic): an undated record is not kept from dated stories;
it is asked for the evidence a date would have given. A same-day report names its weekday
or year, or names the story's people; a report of the cast's other event names other
participants (the new coach, the other opponent) and a later year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from crawler.dedup.tokens import CALENDAR
from crawler.stories.params import DAY

# Weekday tokens of the tokenizer ("Tuesday", "Dienstag" -> "~@tue"), Monday first as
# datetime.weekday() counts them.
_WEEKDAYS = {f"{CALENDAR}{d}": i for i, d in enumerate(
    ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
# Years a text may name as when something happened: four digits standing alone (a date's
# "2012" in "08.07.2012" too), in this range.
_YEAR = re.compile(r"(?<!\d)(?<!\d,)(?:19|20)\d\d(?!\d|[.,]\d)")
_FIRST_YEAR, _LAST_YEAR = 1900, 2099
# 1970-01-01, day 0 of epoch seconds, was a Thursday (weekday 3).
_EPOCH_WEEKDAY = 3
# The epoch seconds datetime can hold (years 1 to 9999), for a date far outside them.
_EARLIEST, _LATEST = -62135596800.0, 253402300799.0


@dataclass(frozen=True, slots=True)
class TextDate:
    """The years and weekdays a record's title and lead name (weekdays as a bit set,
    Monday = bit 0)."""

    years: frozenset[int] = frozenset()
    weekdays: int = 0


NO_DATE = TextDate()


def text_date(text: str, tokens: Iterable[str]) -> TextDate:
    """The years ``text`` names (four digits: "in 2008", "08.07.2012") and the weekdays
    among its tokens (the tokenizer's, in any language it reads: "Saturday" -> "~@sat")."""
    years = frozenset(y for y in map(int, _YEAR.findall(text)) if _FIRST_YEAR <= y <= _LAST_YEAR)
    weekdays = 0
    for token in tokens:
        day = _WEEKDAYS.get(token)
        if day is not None:
            weekdays |= 1 << day
    return TextDate(years, weekdays) if years or weekdays else NO_DATE


def reported_on(published: float) -> int:
    """The weekdays (a bit set) an event published at ``published`` was reported on: that
    day and the day before (a report of the evening before, or in another time zone)."""
    day = math.floor(published / DAY) + _EPOCH_WEEKDAY
    return 1 << day % 7 | 1 << (day - 1) % 7  # two days: two bits, never the same one


def year_of(published: float) -> int:
    """The calendar year (UTC) of epoch seconds ``published``."""
    return datetime.fromtimestamp(min(max(published, _EARLIEST), _LATEST), UTC).year


def agrees(mine: TextDate, story: tuple[float, float], weekdays: int, now: float,
           week: float) -> bool:
    """Whether a text's date agrees with a story whose dated members were published from
    ``story[0]`` to ``story[1]``, reported on ``weekdays``. A text that names years was
    written in the latest of them or after ("hired in 2005 ... fired on Saturday, 2008"):
    that one must be a year of the story's. A weekday names a day of the week the text was
    written in, and an undated record is taken as written ``now`` (the latest date seen;
    -inf: none yet, so nothing places it): one of the story's weekdays agrees when its
    latest member is at most ``week`` seconds from that (a story of months ago has had
    every weekday)."""
    if mine.years:
        return year_of(story[0]) <= max(mine.years) <= year_of(story[1])
    return bool(mine.weekdays & weekdays) and abs(now - story[1]) <= week


def name_agreement(mine: Mapping[str, int], theirs: Mapping[str, int],
                   idf: Callable[[list[str]], list[float]]) -> float:
    """How far two sets of names agree (a record's and a story's, or two stories'): the
    share of ``mine`` that ``theirs`` holds, times the share of ``theirs`` that ``mine``
    holds, square-rooted (1: the same cast). Each name weighs its rarity (``idf``, the
    window's: a name many stories hold weighs little) times its count, the members that
    name it (a record's names count 1): a story's cast is what most of its members name,
    not the one-off names of a single member's lead, which grow with the story and would
    make any newcomer's share of it small. Numbers and days apart."""
    ours = {n: c for n, c in mine.items() if n[0].isalpha()}
    others = {n: c for n, c in theirs.items() if n[0].isalpha()}
    both = sorted(ours.keys() | others.keys())
    weight = dict(zip(both, idf(both), strict=True))
    held = _weighed(ours, weight, others)
    if not held:
        return 0.0
    told = _weighed(others, weight, ours)
    return math.sqrt(held / _weighed(ours, weight) * told / _weighed(others, weight))


def _weighed(counts: Mapping[str, int], weight: Mapping[str, float],
             within: Mapping[str, int] | None = None) -> float:
    """The weighed count of ``counts``' names (those in ``within`` only, where given), summed
    in the names' order: a record's names come from a frozenset, whose order changes with
    the hash seed, and a float sum in that order could differ in its last bit from one
    process to the next (and flip a decision at the threshold)."""
    return sum(weight[n] * counts[n] for n in sorted(counts) if within is None or n in within)
