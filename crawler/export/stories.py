"""Group exported records into stories: one object per ``story_id``.

A story's ``canonical`` is the record the dedup stage chose (``duplicate_of`` null). When that
record is outside the export (filtered out by date, language, ...), the earliest variant
stands in, so a filtered story is still whole: ``size`` and ``variants`` count only the
records in the export. A record without a ``story_id`` (written before dedup ran) is a story
of its own with a null ``story_id``.

Memory: one full record per story (its canonical so far) plus a small dict per variant; the
article texts of non-canonical variants are not kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter

from crawler.export.filters import Row, moment_of, record_time

#: The fields of a record that a story lists for each of its variants.
VARIANT_FIELDS = ("id", "source", "url", "title", "language", "published", "duplicate_of", "match")

# Earliest first; url then id break ties, so the choice never depends on input order.
_Rank = tuple[bool, datetime, str, str]
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
        variants = [variant for _, variant in sorted(self.variants, key=lambda pair: pair[0][1:])]
        dated = [(moment, v["published"]) for v in variants
                 if (moment := moment_of(v["published"])) is not None]
        return {
            "story_id": self.story_id,
            "canonical": self.canonical,
            "size": len(variants),
            "first_published": min(dated, key=itemgetter(0), default=(None, None))[1],
            "sources": sorted({v["source"] for v in variants}),
            "languages": sorted({v["language"] for v in variants if v["language"]}),
            "variants": variants,
        }


def stories(rows: Iterable[Row]) -> Iterator[Row]:
    """One object per story, in the order stories first appear in ``rows``.

    Keys: ``story_id``, ``canonical`` (a full record), ``size``, ``first_published``,
    ``sources`` and ``languages`` (sorted, distinct), ``variants`` (earliest first, each with
    :data:`VARIANT_FIELDS`). Stories are complete only at the end of ``rows``, so nothing is
    yielded before ``rows`` is exhausted.
    """
    groups: dict[tuple[str, str], _Story] = {}
    for record in rows:
        story_id = record.get("story_id")
        key = ("story", story_id) if story_id else ("record", str(record.get("id")))
        # The dedup stage's canonical (duplicate_of null) outranks any variant.
        rank: _Rank = (
            record.get("duplicate_of") is not None,
            record_time(record) or _UNDATED,
            str(record.get("url")),
            str(record.get("id")),
        )
        if key not in groups:
            groups[key] = _Story(story_id, record, rank)
        groups[key].add(record, rank)
    for story in groups.values():
        yield story.to_row()
