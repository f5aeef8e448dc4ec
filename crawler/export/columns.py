"""The flat layouts of an export: which columns, in which order, holding what.

Columns follow :class:`crawler.models.Record`'s fields in declaration order, so a field added
there appears here by itself, at the same place. Each column has a neutral *kind* that the
writers map to a Parquet type or a CSV cell. Three fields are reshaped: ``topics`` becomes the
list of topic ids (the matched terms stay in JSONL), ``match`` becomes the flat columns
``match_rule``, ``match_title_similarity`` and ``match_body_similarity``, and ``story_match``
becomes ``story_match_record_id``, ``story_match_similarity``, ``story_match_shared_names``
and ``story_match_rule``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from crawler.errors import ConfigError
from crawler.export.filters import Row, as_text, topic_ids
from crawler.models import Record

#: ``list`` is a list of strings; ``json`` a value with no flat form, kept as JSON text;
#: ``time`` an ISO 8601 UTC moment (a timestamp in Parquet, the string in CSV);
#: ``variants`` a story's originals with their duplicates nested (a list of structs, each with a
#: list of structs, in Parquet; JSON text in CSV).
Kind = Literal["str", "int", "float", "bool", "list", "json", "time", "variants"]

#: What one output row stands for: a record, or a story (its canonical record plus a summary).
Shape = Literal["records", "stories"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind


_SCALARS: dict[object, Kind] = {str: "str", int: "int", float: "float", bool: "bool"}
#: Record fields that hold a normalised moment (ISO 8601 UTC; ``published_raw`` stays text):
#: typed, so that analysts compare and bucket them without parsing strings.
TIME_FIELDS = frozenset({"published", "updated", "fetched_at"})
# matched_id is left out: it names the variant the evidence was measured against, which
# analysts have not needed beside duplicate_of; JSONL keeps it.
_MATCH_COLUMNS = (
    Column("match_rule", "str"),
    Column("match_title_similarity", "float"),
    Column("match_body_similarity", "float"),
)
_STORY_MATCH_COLUMNS = (
    Column("story_match_record_id", "str"),
    Column("story_match_similarity", "float"),
    Column("story_match_shared_names", "list"),
    Column("story_match_rule", "str"),
)


def record_columns(struct: type[msgspec.Struct] = Record) -> tuple[Column, ...]:
    """The flat columns of a record struct, in field order (a parameter so tests can extend)."""
    columns: list[Column] = []
    for info in msgspec.structs.fields(struct):
        if info.name == "match":
            columns.extend(_MATCH_COLUMNS)
        elif info.name == "story_match":
            columns.extend(_STORY_MATCH_COLUMNS)
        elif info.name == "topics":
            columns.append(Column("topics", "list"))
        elif info.name in TIME_FIELDS:
            columns.append(Column(info.name, "time"))
        else:
            columns.append(Column(info.name, _kind(info.type)))
    return tuple(columns)


def _kind(annotation: Any) -> Kind:
    """The column kind of a field type; anything without a flat form is kept as JSON text."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:  # a field with a schema description: the type it annotates
        return _kind(args[0])
    if origin in (Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        return _kind(present[0]) if len(present) == 1 else "json"
    if origin is Literal:
        return "str" if all(isinstance(arg, str) for arg in args) else "json"
    if origin in (list, tuple, set, frozenset) and args[:1] == (str,):
        return "list"
    return _SCALARS.get(annotation, "json")


RECORD_COLUMNS = record_columns()
#: The column order of a records export (CSV header, Parquet schema).
COLUMNS: tuple[str, ...] = tuple(column.name for column in RECORD_COLUMNS)

_VARIANT_NAMES = ("id", "source", "url", "title", "language", "published", "duplicate_of")
_BY_NAME = {column.name: column for column in RECORD_COLUMNS}
#: The fields of one story variant (or duplicate) in flat formats: the record's columns of the
#: same name; a variant has its ``duplicates`` besides, a list of rows of these columns.
VARIANT_COLUMNS = (tuple(c for c in RECORD_COLUMNS if c.name in _VARIANT_NAMES) + _MATCH_COLUMNS
                   + _STORY_MATCH_COLUMNS)
_STORY_SUMMARY = (
    Column("story_id", "str"),
    Column("size", "int"),
    Column("first_published", "time"),
    Column("sources", "list"),
    Column("languages", "list"),
)
STORY_RECORD_COLUMNS = (
    *_STORY_SUMMARY,
    *(Column(f"canonical_{c.name}", c.kind) for c in RECORD_COLUMNS if c.name != "story_id"),
    Column("variants", "variants"),
)
#: The column order of a stories export: summary, ``canonical_*`` record columns, variants.
STORY_COLUMNS: tuple[str, ...] = tuple(column.name for column in STORY_RECORD_COLUMNS)


def flatten_record(record: Row) -> Row:
    """A record (as :func:`~crawler.export.iter_records` yields it) as one flat row."""
    row = {column.name: _flat(column, record.get(column.name)) for column in RECORD_COLUMNS}
    row["topics"] = topic_ids(record)
    row.update(_flat_matches(record))
    return row


def flatten_story(story: Row) -> Row:
    """A story (as :func:`~crawler.export.stories` yields it) as one flat row."""
    row = {column.name: story[column.name] for column in _STORY_SUMMARY}
    canonical = flatten_record(story["canonical"])
    row.update((f"canonical_{name}", value) for name, value in canonical.items())
    del row["canonical_story_id"]
    row["variants"] = [_flat_variant(variant) for variant in story["variants"]]
    return row


def layout(shape: Shape) -> tuple[tuple[Column, ...], Callable[[Row], Row]]:
    """The columns of ``shape`` and the function flattening one of its rows into them."""
    if shape == "stories":
        return STORY_RECORD_COLUMNS, flatten_story
    if shape == "records":
        return RECORD_COLUMNS, flatten_record
    raise ConfigError(f"unknown export shape {shape!r}: expected 'records' or 'stories'")


def _flat_variant(variant: Row) -> Row:
    row = {name: _flat(_BY_NAME[name], variant.get(name)) for name in _VARIANT_NAMES}
    row.update(_flat_matches(variant))
    if "duplicates" in variant:
        row["duplicates"] = [_flat_variant(copy) for copy in variant["duplicates"]]
    return row


def _flat_matches(record: Row) -> Row:
    """A record's ``match`` and ``story_match`` objects as their flat columns."""
    # dedup writes both as objects; a file from elsewhere may hold anything under the name.
    match, story = (value if isinstance(value := record.get(name), dict) else {}
                    for name in ("match", "story_match"))
    row = {column.name: match.get(column.name.removeprefix("match_"))
           for column in _MATCH_COLUMNS}
    row.update((column.name, story.get(column.name.removeprefix("story_match_")))
               for column in _STORY_MATCH_COLUMNS)
    return row


def _flat(column: Column, value: Any) -> Any:
    """``value`` in ``column``'s kind. A crawled record's already is; a row from elsewhere
    may hold one string where a list belongs, numbers in a list, an object in a text field:
    each is written as text (its JSON), never a crash. A number or a truth that is none (a
    revision of "2") is null: JSONL keeps the row as it came."""
    if value is None or column.kind in ("time", "variants"):
        return value
    if column.kind == "json":
        return msgspec.json.encode(value).decode()
    if column.kind == "list":
        return [as_text(item) for item in (value if isinstance(value, list) else [value])]
    if column.kind == "str":
        return as_text(value)
    return _number(column.kind, value)


def _number(kind: Kind, value: Any) -> Any:
    if kind == "bool" or isinstance(value, bool):
        return value if kind == "bool" and isinstance(value, bool) else None
    if not isinstance(value, int | float):
        return None
    if kind == "float":
        return float(value)
    whole = value if isinstance(value, int) else int(value) if value.is_integer() else None
    return whole if whole is not None and -(2**63) <= whole < 2**63 else None  # Parquet's int64
