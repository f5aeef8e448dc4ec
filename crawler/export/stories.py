"""Group exported records into stories: one object per ``story_id``.

A story (one event across outlets) lists its records at two levels: ``variants`` are its
originals, earliest first, and each original lists under ``duplicates`` the records that
copy it (``duplicate_of`` names it); a copy whose original is outside the export stands
among the originals. A story's ``canonical`` is its first record (the one without a
``story_match``; in schema-1 output, where a story was a duplicate group, the one without
``duplicate_of``). A filter (date, language, source, topic) picks stories, not records:
:func:`whole_stories` gives every record of each story one of whose records it keeps, so
``size`` and ``variants`` are the story's own (before, ``--source a`` cut every story down to
its records from ``a``). When the first record is missing all the same (a file holding part
of a story), the earliest original stands in. A record without a ``story_id`` (written
before dedup ran, or by ``dedup --no-stories``) is a story of its own with a null
``story_id``, its copies (``duplicate_of``) nested under it.

Memory: one full record per story (its canonical so far) plus a small dict per variant; the
article texts of non-canonical variants are not kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

from crawler.export.filters import ExportFilter, Row, label, moment_of, record_time
from crawler.export.reading import iter_rows
from crawler.foreign import FieldMap

#: The fields of a record that a story lists for each of its variants (and their duplicates).
VARIANT_FIELDS = ("id", "source", "url", "title", "language", "published", "duplicate_of",
                  "match", "story_match")

# The story's first record, then an original, ahead of the rest; then earliest first, url
# then id breaking ties, so the choice never depends on input order.
_Rank = tuple[tuple[bool, bool], datetime, str, str]
# A record without a readable date ranks after every dated one (story merging treats it as
# undated too): records from elsewhere, deduplicated by `policywire dedup`, may have none.
_UNDATED = datetime.max.replace(tzinfo=UTC)


@dataclass
class _Story:
    story_id: str | None
    canonical: Row
    rank: _Rank
    variants: list[tuple[_Rank, Row]] = field(default_factory=list)

    def add(self, record: Row, rank: _Rank) -> None:
        self.variants.append((rank, {name: record.get(name) for name in VARIANT_FIELDS}))
        if rank < self.rank:
            self.canonical, self.rank = record, rank

    def to_row(self) -> Row:
        members = [variant for _, variant in sorted(self.variants, key=lambda pair: pair[0][1:])]
        dated = [(moment, v["published"]) for v in members
                 if (moment := moment_of(v["published"])) is not None]
        return {
            "story_id": self.story_id,
            "canonical": self.canonical,
            "size": len(members),
            "first_published": min(dated, key=itemgetter(0), default=(None, None))[1],
            "sources": _labels(v["source"] for v in members),
            "languages": _labels(v["language"] for v in members),
            "variants": nested(members),
        }


def _labels(values: Iterable[object]) -> list[str]:
    """Distinct, sorted, non-empty; a row from elsewhere's list or number as its JSON text."""
    return sorted({text for value in values if (text := label(value))})


def nested(members: Sequence[Row]) -> list[Row]:
    """``members`` (earliest first) as their originals, each with its ``duplicates`` (the
    members whose ``duplicate_of`` names it) under it, in the same order."""
    ids = {member["id"] for member in members}
    copies: dict[object, list[Row]] = defaultdict(list)
    for member in members:
        original = member["duplicate_of"]
        if original in ids and original != member["id"]:
            copies[original].append(member)
    return [{**member, "duplicates": copies.get(member["id"], [])} for member in members
            if not (member["duplicate_of"] in ids and member["duplicate_of"] != member["id"])]


def story_key(record: Row) -> tuple[str, str]:
    """The story a record belongs to. Without a story id (written before dedup ran, or by
    ``dedup --no-stories``) a record is a story of its own, with its copies: they name it in
    duplicate_of."""
    story_id = record.get("story_id")
    if story_id:
        return ("story", str(story_id))
    return ("record", str(record.get("duplicate_of") or record.get("id")))


def whole_stories(source: Path, flt: ExportFilter, fields: FieldMap | None = None
                  ) -> Iterator[Row]:
    """The rows of ``source`` (as :func:`iter_rows` reads them) of every story one of whose
    records ``flt`` keeps: all its records, kept or not. Two reads when filtered; the story
    keys held between them."""
    if flt == ExportFilter():
        return iter_rows(source, flt, fields)
    chosen = {story_key(record) for record in iter_rows(source, flt, fields)}
    return (record for record in iter_rows(source, ExportFilter(), fields)
            if story_key(record) in chosen)


def stories(rows: Iterable[Row]) -> Iterator[Row]:
    """One object per story, in the order stories first appear in ``rows``.

    Keys: ``story_id``, ``canonical`` (a full record), ``size`` (all its records),
    ``first_published``, ``sources`` and ``languages`` (sorted, distinct), ``variants`` (its
    originals, earliest first, each with :data:`VARIANT_FIELDS` and ``duplicates``: its
    copies, likewise). Stories are complete only at the end of ``rows``, so nothing is
    yielded before ``rows`` is exhausted.
    """
    groups: dict[tuple[str, str], _Story] = {}
    for record in rows:
        story_id = record.get("story_id")
        key = story_key(record)
        # The story's first record (no story_match), then an original (no duplicate_of).
        rank: _Rank = (
            (record.get("story_match") is not None, record.get("duplicate_of") is not None),
            record_time(record) or _UNDATED,
            str(record.get("url")),
            str(record.get("id")),
        )
        if key not in groups:
            groups[key] = _Story(story_id, record, rank)
        groups[key].add(record, rank)
    for story in groups.values():
        yield story.to_row()
