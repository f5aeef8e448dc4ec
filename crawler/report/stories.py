"""Stories and the figures charted over time: records, stories, duplicates, topics.

A story is every selected record sharing a ``story_id``: one event across outlets. Its
canonical record is its first (no ``story_match``, no ``duplicate_of``; in schema-1 output,
where a story was a duplicate group, the one no other record points away from); when the
window cut it off, it is looked up among all records through what the members copy or
matched, so a story never loses its head and a copy of it stays under it. Inside a story
each duplicate sits under its original (:meth:`Story.nested`). A record without a story id
(output written before dedup existed) is a story of its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from crawler.models import Record
from crawler.report.load import moment


@dataclass(frozen=True)
class Story:
    story_id: str
    canonical: Record
    variants: tuple[Record, ...]  # the other members, oldest first
    when: str  # the earliest selected member's moment: orders the list and places it on a day

    @property
    def members(self) -> tuple[Record, ...]:
        return (self.canonical, *self.variants)

    @property
    def day(self) -> str:
        return self.when[:10]

    @property
    def sources(self) -> list[str]:
        return sorted({r.source for r in self.members})

    @property
    def languages(self) -> list[str]:
        return sorted({r.language for r in self.members if r.language})

    @property
    def topics(self) -> list[str]:
        return sorted({t.topic for r in self.members for t in r.topics})

    def nested(self) -> list[tuple[Record, tuple[Record, ...]]]:
        """The story's originals (the canonical first, then oldest first), each with the
        members that copy it (``duplicate_of`` names it), oldest first."""
        ids = {r.id for r in self.members}
        copies: dict[str, list[Record]] = defaultdict(list)
        for record in self.variants:
            if record.duplicate_of in ids:
                copies[record.duplicate_of].append(record)
        return [(r, tuple(copies[r.id])) for r in self.members if r.duplicate_of not in ids]


@dataclass(frozen=True)
class Series:
    """Counts per period over a continuous range of periods (those without data count zero):
    ``days`` holds each period's first day, ``unit`` says what a period spans ("day", "week"
    from a Monday, "month", "year"), ``left_out`` how many records lie before the first one."""

    days: tuple[str, ...]
    values: dict[str, tuple[int, ...]]
    unit: str = "day"
    left_out: int = 0


def group_stories(selected: Iterable[Record], everything: Mapping[str, Record]) -> list[Story]:
    """Selected records grouped into stories, newest first."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in selected:
        groups[record.story_id or record.id].append(record)
    stories = [_story(key, members, everything) for key, members in groups.items()]
    return sorted(stories, key=lambda s: (s.when, s.story_id), reverse=True)


def _story(story_id: str, members: list[Record], everything: Mapping[str, Record]) -> Story:
    members.sort(key=lambda r: (moment(r), r.url, r.id))
    when = moment(members[0])
    originals = [r for r in members if r.duplicate_of is None]
    head = next((r for r in originals if r.story_match is None), None) or _first(
        members[0], everything) or (originals or members)[0]
    return Story(story_id, head, tuple(r for r in members if r.id != head.id), when)


def _first(record: Record, everything: Mapping[str, Record]) -> Record | None:
    """The story's first record, from ``record`` through what each record copies or matched,
    where the window cut it off: else a rewrite that matched it became the card's head and
    the copies of it showed as originals of their own (trial2). None where a record on the
    way is not in ``everything``."""
    seen = {record.id}
    while record.duplicate_of or record.story_match:
        pointed = record.duplicate_of or (record.story_match.record_id
                                          if record.story_match else "")
        found = everything.get(pointed)
        if found is None or found.id in seen:
            return None
        seen.add(found.id)
        record = found
    return record


#: Periods a chart spans at most, ending at the last: a record dated in year 1 (a page may
#: be: its date is kept as written) made every chart draw 740,000 days, a 26 MB report.
#: 240 months are 20 years, as are 20 years' bars; the records before are counted under
#: the chart.
CHART_PERIODS = 240
YEAR_PERIODS = 20
#: A bar a day while the data spans less than a quarter (bars of 7 px and more across the
#: 664 px plot), a bar a week while it spans less than three years (4 px), a month while it
#: spans less than ten (5.5 px), else a year: a year of daily bars drew each under 1 px, and
#: anything older than 731 days was cut away; 20 years of monthly bars drew each 0.5 px.
DAILY_SPAN, WEEKLY_SPAN, MONTHLY_SPAN = 92, 3 * 365, 10 * 365


def chart_unit(days: Iterable[str]) -> str:
    """The period of a chart of ``days``: "day", "week", "month" or "year", by the span they
    cover."""
    known = sorted(set(days))
    if not known:
        return "day"
    span = (date.fromisoformat(known[-1]) - date.fromisoformat(known[0])).days
    bounds = ((DAILY_SPAN, "day"), (WEEKLY_SPAN, "week"), (MONTHLY_SPAN, "month"))
    return next((unit for bound, unit in bounds if span < bound), "year")


def period_of(day: str, unit: str) -> str:
    """The first day of the period (``unit``) that ``day`` (``YYYY-MM-DD``) falls in."""
    when = date.fromisoformat(day[:10])
    if unit == "week":
        return str(when - timedelta(when.weekday()))
    if unit == "year":
        return str(when.replace(month=1, day=1))
    return str(when.replace(day=1)) if unit == "month" else str(when)


def periods(days: Iterable[str], unit: str) -> tuple[str, ...]:
    """Every period's first day from the first to the last of ``days``, inclusive, at most
    the last :data:`CHART_PERIODS` of them (:data:`YEAR_PERIODS` years)."""
    known = sorted({period_of(day, unit) for day in days})
    if not known:
        return ()
    first, current = date.fromisoformat(known[0]), date.fromisoformat(known[-1])
    found = [current]
    most = YEAR_PERIODS if unit == "year" else CHART_PERIODS
    while current > first and len(found) < most:
        current = _before(current, unit)
        found.append(current)
    return tuple(str(day) for day in reversed(found))


def _before(start: date, unit: str) -> date:
    if unit == "year":
        return start.replace(year=start.year - 1)
    if unit == "month":
        return start.replace(year=start.year - (start.month == 1),
                             month=start.month - 1 if start.month > 1 else 12)
    return start - timedelta(7 if unit == "week" else 1)


def daily_counts(records: Sequence[Record], stories: Sequence[Story]) -> Series:
    """Records and stories per period (:func:`chart_unit`); a story counts in the period it
    was first seen."""
    days = [moment(r)[:10] for r in records]
    unit = chart_unit([*days, *(s.day for s in stories)])
    per_record = Counter(period_of(day, unit) for day in days)
    per_story = Counter(period_of(s.day, unit) for s in stories)
    starts = periods([*per_record, *per_story], unit)
    left_out = sum(n for start, n in per_record.items() if starts and start < starts[0])
    return Series(starts, {
        "records": tuple(per_record[d] for d in starts),
        "stories": tuple(per_story[d] for d in starts),
    }, unit, left_out)


def topics_by_day(stories: Sequence[Story], days: Sequence[str], unit: str = "day") -> Series:
    """Stories per topic per period, topics ordered by their total, largest first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for story in stories:
        for topic in story.topics:
            counts[topic][period_of(story.day, unit)] += 1
    ranked = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))
    return Series(tuple(days), {t: tuple(counts[t][d] for d in days) for t in ranked}, unit)


@dataclass(frozen=True)
class DuplicateShare:
    source: str
    records: int
    duplicates: int

    @property
    def share(self) -> float:
        return self.duplicates / self.records if self.records else 0.0


def duplicate_shares(records: Iterable[Record]) -> list[DuplicateShare]:
    """Per source, how many of its records repeat a story another record told first."""
    totals: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    for record in records:
        totals[record.source] += 1
        duplicates[record.source] += record.duplicate_of is not None
    shares = [DuplicateShare(s, totals[s], duplicates[s]) for s in totals]
    return sorted(shares, key=lambda d: (-d.share, d.source))


__all__ = ["DuplicateShare", "Series", "Story", "chart_unit", "daily_counts", "duplicate_shares",
           "group_stories", "period_of", "periods", "topics_by_day"]
