"""The analyst export: records (or stories) from an output directory to Parquet, CSV or JSONL.

A library first; ``policywire export`` is a thin layer over it::

    rows = iter_records(output_dir, ExportFilter(since="2024-05-01", languages=frozenset({"de"})))
    write_parquet(rows, Path("de.parquet"))                       # one row per record
    write_csv(stories(iter_records(output_dir, ExportFilter())), None, shape="stories")

Reading (:mod:`.reading`) resolves revisions and applies the :class:`ExportFilter`;
:func:`stories` groups records by story; the writers flatten rows into :data:`COLUMNS`
(or :data:`STORY_COLUMNS`) for the flat formats and keep the nested objects in JSONL.
pyarrow is imported only in :mod:`.parquet`, and that module only when its names are first
asked for: ``policywire dedup`` reads and writes through this package but never Parquet, and
pyarrow alone is ~0.1 CPU s of its start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from crawler.export.columns import (
    COLUMNS,
    STORY_COLUMNS,
    Column,
    Shape,
    flatten_record,
    flatten_story,
    record_columns,
)
from crawler.export.filters import ExportFilter, Row
from crawler.export.reading import iter_records, iter_rows
from crawler.export.stories import stories, whole_stories
from crawler.export.writers import write_csv, write_jsonl

if TYPE_CHECKING:
    from crawler.export.parquet import arrow_schema, write_parquet

__all__ = [
    "COLUMNS",
    "STORY_COLUMNS",
    "Column",
    "ExportFilter",
    "Row",
    "Shape",
    "arrow_schema",
    "flatten_record",
    "flatten_story",
    "iter_records",
    "iter_rows",
    "record_columns",
    "stories",
    "whole_stories",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]


def __getattr__(name: str) -> Any:
    if name in ("arrow_schema", "write_parquet"):
        return getattr(importlib.import_module("crawler.export.parquet"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
