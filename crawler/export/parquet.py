"""Write exported rows as Parquet: the only module that imports pyarrow.

The schema is built from the column layout, never inferred from the data, so an empty export
or a column that happens to be all null still has its proper type. Rows are converted and
written in batches, so memory holds one batch, not the export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from crawler.export.columns import VARIANT_COLUMNS, Column, Kind, Shape, layout
from crawler.export.filters import Row, parse_time
from crawler.export.writers import atomic_path
from crawler.models import SCHEMA_VERSION

#: Rows per record batch: ~10k records of a few KB each is tens of MB at a time.
BATCH_SIZE = 10_000

_ARROW_TYPES: dict[Kind, Any] = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "list": pa.list_(pa.string()),
    "json": pa.string(),
    "time": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(shape: Shape = "records") -> Any:
    """The ``pyarrow.Schema`` of a ``shape`` export, tagged with the record schema version."""
    columns, _ = layout(shape)
    metadata = {"policywire.shape": shape, "policywire.schema_version": str(SCHEMA_VERSION)}
    return pa.schema([_field(column) for column in columns], metadata=metadata)


def write_parquet(
    rows: Iterable[Row], path: Path, *, shape: Shape = "records", batch_size: int = BATCH_SIZE
) -> int:
    """Rows as a Parquet file (zstd), lists as lists and variants as a list of structs.

    Returns the number of rows written; with none, the file still carries the full schema.
    """
    _, flatten = layout(shape)
    schema = arrow_schema(shape)
    count = 0
    with (
        atomic_path(path) as temporary,
        pq.ParquetWriter(temporary, schema, compression="zstd") as writer,
    ):
        times = _time_columns(shape)
        for batch in _batches((_timed(flatten(row), times) for row in rows), batch_size):
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def _field(column: Column) -> Any:
    if column.kind == "variants":
        parts = [_field(part) for part in VARIANT_COLUMNS]
        variant = pa.struct([*parts, pa.field("duplicates", pa.list_(pa.struct(parts)))])
        return pa.field(column.name, pa.list_(variant))
    return pa.field(column.name, _ARROW_TYPES[column.kind])


def _time_columns(shape: Shape) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of the ``time`` columns of a row and of a story's variant."""
    columns, _ = layout(shape)
    return (tuple(c.name for c in columns if c.kind == "time"),
            tuple(c.name for c in VARIANT_COLUMNS if c.kind == "time"))


def _timed(row: Row, times: tuple[tuple[str, ...], tuple[str, ...]]) -> Row:
    """``row`` with its ``time`` values as datetimes, what pyarrow takes for a timestamp."""
    names, variant_names = times
    for name in names:
        row[name] = moment(row[name])
    for variant in row.get("variants") or ():
        for member in (variant, *variant["duplicates"]):
            for name in variant_names:
                member[name] = moment(member[name])
    return row


def moment(value: object) -> datetime | None:
    """An ISO 8601 string as an aware UTC datetime (naive: UTC); None if it is none, or is
    no moment UTC can hold (a record written elsewhere, "9999-12-31T23:30:00-05:00")."""
    if not isinstance(value, str):
        return None
    try:
        return parse_time(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch
