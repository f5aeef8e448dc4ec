"""Output sinks: append-only JSONL files, flushed and fsync'd before state advances.

Layout under an output directory (``output/`` by default)::

    YYYY/MM/DD/records-<run_id>.jsonl    one Record per line
    YYYY/MM/DD/rejects-<run_id>.jsonl    one Reject per line
    runs.jsonl                           one summary line per run
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

import msgspec

from crawler.filemodes import SHARED_FILE, make_dirs

_encoder = msgspec.json.Encoder()
_BOM = b"\xef\xbb\xbf"
#: How deeply a JSON line may nest. Rows of news tools nest a few levels; past ~1,000
#: msgspec's decoder raises RecursionError, and past ~500 so does the pickling of a row
#: (``dedup``'s hand-off to its worker): a line nested deeper is refused, never a crash.
MAX_DEPTH = 100
#: What a reader says of a line nested deeper than that (after ``file:line``).
TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels"
#: The longest input line ``policywire dedup`` reads by default (``--max-line-bytes``): 16
#: MiB, the crawler's own page limit (``DOWNLOAD_MAXSIZE``). A line is held several times
#: over (its bytes, the decoded row, its copy on the way to the worker and back out): a
#: 200 MB line peaked at 14 GB before lines were bounded.
MAX_LINE_BYTES = 16 * 1024 * 1024
#: How much of an over-long line is read at a time while it is skipped.
_SKIP_CHUNK = 1024 * 1024


#: In a JSON line (UTF-8; C0 controls are escaped by JSON itself): DEL, the C1 controls and
#: the bidirectional overrides and isolates, which a terminal showing the line (``policywire
#: dedup`` or ``stories`` on stdout, ``tail -f``) would obey: U+009B is a one-byte CSI to some,
#: U+202E reverses what follows. Lead bytes only match at a character's start.
_RAW_CONTROLS = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]"
                           rb"|\xe2\x81[\xa6-\xa9]")


def json_safe(line: bytes) -> bytes:
    """A JSON line with those characters as ``\\u`` escapes: any JSON reader decodes the
    same values from it."""
    # Every character the pattern escapes is DEL or starts with a byte past ASCII: an ASCII
    # line without DEL is returned as it is, no scan by the pattern (a generated article's
    # 3.4 KB line: ~9.7 -> ~0.4 us, measured; 0.19 CPU s per 20,000 of them in dedup).
    if line.isascii() and b"\x7f" not in line:
        return line
    return _RAW_CONTROLS.sub(lambda m: b"\\u%04x" % ord(m.group().decode()), line)


class Lines(Protocol):
    """What :func:`bounded_lines` reads: a binary file, stdin's buffer, a ``GzipFile``."""

    def readline(self, size: int = -1, /) -> bytes: ...


class LongLine(NamedTuple):
    """A line longer than a reader's limit, skipped: its size, never its bytes."""

    size: int
    limit: int


class JsonlWriter:
    """Appends msgspec structs (or dicts) as JSON lines to a file, or to stdout for ``-``.

    The file is opened lazily, so a run with nothing to write leaves no empty file behind.
    """

    def __init__(self, path: Path | None, stream: IO[bytes] | None = None) -> None:
        self.path = path
        self._stream = stream
        self._file: IO[bytes] | None = None
        self.lines = 0

    def write_all(self, items: Iterable[Any]) -> None:
        for item in items:
            self._handle().write(json_safe(_encoder.encode(item)) + b"\n")
            self.lines += 1

    def sync(self) -> None:
        """Flush and fsync: after this returns the lines survive a crash or power loss."""
        if self._file is None:
            return
        self._file.flush()
        if self.path is not None and stat.S_ISREG(os.fstat(self._file.fileno()).st_mode):
            os.fsync(self._file.fileno())  # a device or pipe (-o /dev/null) has nothing to sync

    def close(self) -> None:
        self.sync()
        if self._file is not None and self.path is not None:
            self._file.close()
        self._file = None

    def _handle(self) -> IO[bytes]:
        if self._file is None:
            if self.path is None:
                self._file = self._stream or sys.stdout.buffer
            else:
                make_dirs(self.path.parent)
                flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
                self._file = os.fdopen(os.open(self.path, flags, SHARED_FILE), "ab")
        return self._file


def check_output_dir(output_dir: Path, option: str = "--output-dir") -> None:
    """Make ``output_dir`` and try a write in it: a crawl calls this before it fetches
    anything, so an output directory that is a file, or sits below one, or cannot be written
    stops the run up front, not at its merge stage after every feed and page was fetched.
    ``option`` names where the user gave it (``scrapy crawl``: the setting)."""
    try:
        make_dirs(output_dir)
        with tempfile.TemporaryFile(dir=output_dir):
            pass
    except (FileExistsError, NotADirectoryError):
        raise OSError(errno.ENOTDIR, f"{option} {output_dir}: not a directory") from None
    except OSError as exc:
        raise OSError(exc.errno, f"{option} {output_dir}: cannot write"
                                 f" ({exc.strerror or exc})") from None


def run_paths(output_dir: Path, run_id: str, day: str) -> tuple[Path, Path]:
    """Record and reject file paths of a run; ``day`` is ``YYYY-MM-DD``."""
    folder = output_dir.joinpath(*day.split("-"))
    return folder / f"records-{run_id}.jsonl", folder / f"rejects-{run_id}.jsonl"


def read_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """Any JSONL file: ``(line number, object or None, error)`` per line."""
    with path.open("rb") as handle:
        yield from read_json_stream(handle)


def bounded_lines(stream: Lines, limit: int) -> Iterator[bytes | LongLine]:
    """The lines of ``stream``; one longer than ``limit`` bytes (its newline not counted) as
    a :class:`LongLine`, read past in chunks: memory holds ``limit`` bytes at the most."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n") and (line := stream.readline(_SKIP_CHUNK)):
            size += len(line)
        yield LongLine(size - line.endswith(b"\n"), limit)


def read_json_stream(lines: Iterable[bytes | LongLine]
                     ) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """:func:`read_json_lines` of the lines of an open binary stream (left open), or of
    :func:`bounded_lines` (a :class:`LongLine` is an error). A UTF-8 byte order mark before
    the first line (files saved by Windows tools) is not part of it."""
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, LongLine):
            yield number, None, f"line of {raw.size:,} bytes, over the limit of {raw.limit:,}"
            continue
        line = raw[len(_BOM):] if number == 1 and raw.startswith(_BOM) else raw
        if not line.strip():
            continue
        try:
            value = msgspec.json.decode(line)
        except msgspec.DecodeError as exc:
            yield number, None, f"invalid JSON: {exc}"
            continue
        except RecursionError:
            yield number, None, TOO_DEEP
            continue
        if not isinstance(value, dict):
            yield number, None, "line is not a JSON object"
        elif _nests_deeper(line, value):
            yield number, None, TOO_DEEP
        else:
            yield number, value, ""


def _nests_deeper(line: bytes, value: Any) -> bool:
    """Whether ``value`` (decoded from ``line``) nests deeper than :data:`MAX_DEPTH`. Level
    by level, not recursively; only for a line with that many brackets (counted in C)."""
    if line.count(b"[") + line.count(b"{") <= MAX_DEPTH:
        return False
    level: list[Any] = [value]
    for _ in range(MAX_DEPTH):
        level = [child for held in level if isinstance(held, dict | list)
                 for child in (held.values() if isinstance(held, dict) else held)]
        if not level:
            return False
    return any(isinstance(held, dict | list) for held in level)


def record_files(output_dir: Path) -> list[Path]:
    """Every records file under an output directory, oldest run first."""
    return sorted(output_dir.rglob("records-*.jsonl"))


__all__ = ["MAX_DEPTH", "MAX_LINE_BYTES", "TOO_DEEP", "JsonlWriter", "LongLine", "bounded_lines",
           "json_safe", "read_json_lines", "read_json_stream", "record_files", "run_paths"]
