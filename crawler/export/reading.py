"""Stream the latest revision of every record in an output directory, filtered.

Records are append-only: a changed article is written again under the same ``id`` with a
higher ``revision``, possibly in a later file. Reading is therefore two passes over the files:

1. an index pass decodes only ``id`` and ``revision`` of each line (msgspec skips the other
   fields without building them) and keeps ``id -> (revision, file, byte offset, line)`` for
   the latest revision of each id;
2. an emit pass seeks to the winning lines, decodes them fully as :class:`Record`, applies the
   filter and yields them one at a time, in file order.

Trade-off: memory holds the index (about 300 bytes per distinct id, measured: ~300 MB for a
million records), never the records themselves, so an export of any size streams into the
writers; the price is reading the bytes twice (the second time mostly from the OS page
cache). Keeping the winning records in memory instead would read once but hold every article
text at once.
The offsets also give a consistent snapshot: lines a concurrent crawl appends after the index
pass are not exported, and a torn line it completes meanwhile is not either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import msgspec

from crawler.errors import ConfigError, NoInput, OutputError
from crawler.export.filters import ExportFilter, Row, utc_text
from crawler.foreign import FieldMap
from crawler.models import Record
from crawler.sinks import TOO_DEEP, read_json_lines, record_files

logger = logging.getLogger(__name__)


class _Key(msgspec.Struct):
    """The two fields revision resolution needs; decoding only these is cheap."""

    id: str
    revision: int = 1


class _Position(NamedTuple):
    file_no: int
    offset: int
    line_no: int


def iter_rows(source: Path, flt: ExportFilter | None = None,
              fields: FieldMap | None = None) -> Iterator[Row]:
    """:func:`iter_records` of an output directory; of a file, each of its JSON lines that
    ``flt`` accepts (``policywire dedup`` output: one record per line, no revisions; a line
    repeating an earlier line's id stands for it, read once, where the later one is). A
    file's rows may come from other tools: a field a row lacks under our name is added from
    the key ``fields`` finds it under (:meth:`crawler.foreign.FieldMap.filled`), so that
    filters, stories and columns see it as dedup did. A line that is not a JSON object
    raises :class:`OutputError` naming ``file:line``; a missing ``source``
    :class:`crawler.errors.NoInput`."""
    if source.is_file():
        return _file_rows(source, flt or ExportFilter(), fields or FieldMap())
    if not source.exists():
        raise NoInput(f"{source}: no such file or directory")
    if not source.is_dir():
        raise ConfigError(f"{source}: not an output directory nor a JSONL file")
    if fields is not None and fields.mapped:  # our own records: nothing to map
        raise ConfigError(f"{source}: --field is for a JSONL file from elsewhere, not for"
                          " an output directory")
    return iter_records(source, flt)


class _Id(msgspec.Struct):
    """A file row's id alone (msgspec skips the rest without building it)."""

    id: str | int | None = None


def _file_rows(path: Path, flt: ExportFilter, fields: FieldMap) -> Iterator[Row]:
    last = _last_lines(path)
    for line_no, row, error in read_json_lines(path):
        if row is None:
            raise OutputError(f"{path}:{line_no}: {error}")
        key = row.get("id")
        if isinstance(key, str | int) and last.get(key, line_no) != line_no:
            continue  # a later line of the file stands for this record (a repeated line)
        filled = fields.filled(row)
        if flt.accepts(filled):
            yield _one_time_format(filled)


#: A row's moments, which every format writes alike (Parquet's timestamps, CSV's and JSONL's
#: ISO 8601 UTC text), as a crawled record's are.
_MOMENTS = ("published", "updated", "fetched_at")


def _one_time_format(row: Row) -> Row:
    """``row`` with its readable moments as ISO 8601 UTC with a ``Z``: news-please's
    "2024-12-20 14:20:03" (ISO 8601 to the reader, kept so) came out beside an RFC 2822 date
    that the reader had turned into "2024-12-20T14:20:03Z", one column in two formats. The
    key the date came under (``date_publish``) keeps it as it came; one that cannot be read
    ("gestern") stays as it is (Parquet: null)."""
    for name in _MOMENTS:
        raw = row.get(name)
        if isinstance(raw, str) and (text := utc_text(raw)) is not None:
            row[name] = text
    return row


def _last_lines(path: Path) -> dict[str | int, int]:
    """The last line of each id in a file, so that a record a file holds twice (a repeated
    line of a deduplicated file) is exported once, as a later revision is in a directory."""
    decoder = msgspec.json.Decoder(_Id)
    last: dict[str | int, int] = {}
    with path.open("rb") as handle:
        for line_no, line in enumerate(handle, 1):
            try:
                key = decoder.decode(line).id
            except (msgspec.DecodeError, RecursionError):
                continue  # not a row with a readable id: the reading pass says what it is
            if key is not None:
                last[key] = line_no
    return last


def iter_records(output_dir: Path, flt: ExportFilter | None = None) -> Iterator[Row]:
    """The latest revision of each record under ``output_dir`` that ``flt`` accepts.

    Files are read in path order (``YYYY/MM/DD/records-<run_id>.jsonl``); records come out in
    the order of their winning lines. Of two lines with the same id and revision, the later
    wins (a run that crashed before its state advanced writes its records again). A corrupt
    line raises :class:`OutputError` naming ``file:line``; a torn last line (no newline,
    invalid JSON: a crash mid-append) is skipped with a logged warning. A missing
    ``output_dir`` raises :class:`crawler.errors.NoInput`.
    """
    if not output_dir.exists():
        raise NoInput(f"{output_dir}: no such output directory")
    if not output_dir.is_dir():
        raise ConfigError(f"{output_dir}: not an output directory")
    files = record_files(output_dir)
    return _emit(files, _index(files), flt or ExportFilter())


def _index(files: list[Path]) -> list[_Position]:
    decoder = msgspec.json.Decoder(_Key)
    # One flat tuple per id, (revision, file_no, offset, line_no): the smallest layout.
    latest: dict[str, tuple[int, int, int, int]] = {}
    for file_no, path in enumerate(files):
        for line_no, offset, line in _lines(path):
            key = _decode_key(decoder, path, line_no, line)
            if key is None:
                continue
            held = latest.get(key.id)
            if held is None or key.revision >= held[0]:
                latest[key.id] = (key.revision, file_no, offset, line_no)
    return sorted(_Position(*held[1:]) for held in latest.values())


def _emit(files: list[Path], positions: list[_Position], flt: ExportFilter) -> Iterator[Row]:
    decoder = msgspec.json.Decoder(Record)
    for file_no, group in groupby(positions, key=itemgetter(0)):
        path = files[file_no]
        with path.open("rb") as handle:
            for position in group:
                # Seeking within the read buffer costs no system call, so a file whose lines
                # mostly win is still read sequentially.
                handle.seek(position.offset)
                record = _decode_record(decoder, path, position.line_no, handle.readline())
                if flt.accepts(record):
                    yield record


def _lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """``(line number, byte offset, line)`` of each non-blank line."""
    offset = 0
    with path.open("rb") as handle:
        for line_no, line in enumerate(handle, 1):
            if line.strip():
                yield line_no, offset, line
            offset += len(line)


def _decode_key(
    decoder: msgspec.json.Decoder[_Key], path: Path, line_no: int, line: bytes
) -> _Key | None:
    try:
        return decoder.decode(line)
    except RecursionError:
        raise OutputError(f"{path}:{line_no}: {TOO_DEEP}") from None
    except msgspec.ValidationError as exc:
        raise OutputError(f"{path}:{line_no}: not a policywire record: {exc}") from exc
    except msgspec.DecodeError as exc:
        if line.endswith(b"\n"):
            raise OutputError(f"{path}:{line_no}: invalid JSON: {exc}") from exc
    # Only the last line can lack its newline: a crash mid-append. The lines before it were
    # fsync'd whole, so the file stays usable and the next run writes that record again.
    logger.warning("%s:%d: skipping torn last line (%d bytes)", path, line_no, len(line))
    return None


def _decode_record(
    decoder: msgspec.json.Decoder[Record], path: Path, line_no: int, line: bytes
) -> Row:
    try:
        record = decoder.decode(line)
    except RecursionError:
        raise OutputError(f"{path}:{line_no}: {TOO_DEEP}") from None
    except msgspec.DecodeError as exc:
        raise OutputError(f"{path}:{line_no}: not a policywire record: {exc}") from exc
    row: Row = msgspec.to_builtins(record)
    return row
