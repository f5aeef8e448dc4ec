"""Checks of command-line arguments that argparse cannot make alone, run before any work.

The library refuses a bad value with :class:`ConfigError` wherever it comes from; given on
the command line it is the user's typing, not a file to fix, and :func:`usage` reports it as
:class:`UsageError` (exit 2 rather than 78).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from crawler.errors import ConfigError, NoInput, UsageError
from crawler.filemodes import is_stream
from crawler.normalize import relative_date
from crawler.sinks import record_files
from crawler.sources import Source, default_sources_path
from crawler.topics import Lexicon


@contextmanager
def usage(option: str | None = None) -> Iterator[None]:
    """Turn a :class:`ConfigError` raised within into a :class:`UsageError`, its message
    starting with ``option`` where it does not name the option already."""
    try:
        yield
    except UsageError:
        raise
    except ConfigError as exc:
        said = str(exc)
        raise UsageError(said if option is None or said.startswith(option)
                         else f"{option}: {said}") from exc


def input_path(raw: str, kind: str = "file or directory") -> Path:
    """``raw`` as an input ``kind`` that exists and may be read, else :class:`NoInput`."""
    path = Path(raw)
    if not path.exists():
        raise NoInput(f"{path}: no such {kind}")
    # os.access rather than a trial open: opening a named pipe to look would block until a
    # writer came, and then take what it sent.
    if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
        raise NoInput(f"{path}: cannot read it (permission denied)")
    return path


def output_directory(raw: str) -> Path:
    """:func:`input_path` of a directory a crawl wrote (:func:`crawl_output`)."""
    path = input_path(raw, "output directory")
    if not path.is_dir():  # report, stats and reindex read runs.jsonl and the run files
        raise NoInput(f"{path}: a file, not a policywire output directory (this command"
                      " reads the directory a crawl wrote)")
    crawl_output(path)
    return path


def crawl_output(path: Path) -> None:
    """Refuse a directory that no crawl wrote (neither ``runs.jsonl`` nor a
    ``records-*.jsonl`` below it): it gave an empty export or report and exit 0, and a
    reindex that replaced every signature with none. A file is left to the caller."""
    if path.is_dir() and not (path / "runs.jsonl").exists() and not record_files(path):
        raise NoInput(f"{path}: not a policywire output directory (no runs.jsonl, no"
                      f" records-*.jsonl below it)")


def input_file(raw: str, kind: str = "file", what: str = "a JSONL file") -> Path:
    """:func:`input_path` of ``what``, and not a directory (``policywire dedup <(zcat a.gz)``:
    a pipe is fine)."""
    path = input_path(raw, kind)
    if path.is_dir():
        raise NoInput(f"{path}: is a directory, not {what}")
    return path


def distinct_output(source: Path | None, target: Path | None,
                    rejects: Path | None = None) -> None:
    """Refuse an output that is the input, or lies inside the input directory: it would be
    replaced before (or while) the input is read, and in an output directory it could be
    ``runs.jsonl`` or a run's records, lost without a word. ``rejects``: the file written
    beside ``target`` (dedup's ``OUT.rejects.jsonl``), replaced as well."""
    not_a_folder(target)
    if source is None or target is None:
        return
    if target.exists() and target.samefile(source):
        raise UsageError(f"-o {target}: the output is the input: give another -o")
    if rejects is not None and rejects.exists() and rejects.samefile(source):
        raise UsageError(f"-o {target}: its rejects file {rejects} is the input: give"
                         f" another -o")
    if source.is_dir():
        outside(target, source, "the input directory")


def not_a_folder(target: Path | None) -> None:
    """Refuse an output ``-o`` that is a directory: the write failed at its end, naming a
    temporary file ("Is a directory: .adir.123.part"). A folder that does not exist yet is
    made by the writer."""
    if target is not None and target.is_dir():
        raise UsageError(f"-o {target}: a directory: name a file (in it, or elsewhere)")


def not_a_stream(target: Path) -> None:
    """Refuse a scrape's ``-o`` that is a device or pipe (``/dev/null``, a FIFO): its records
    are delivered as a crawl's are, appended and cut back to their last whole run after a
    crash, which a stream cannot be; as root, the records file replaced the device."""
    if is_stream(target):
        raise UsageError(f"-o {target}: a device or pipe: scrape writes a file it can cut"
                         f" back after a crash; for a stream use -o - (stdout)")


def outside(target: Path, folder: Path, what: str) -> None:
    """Refuse an output ``target`` inside ``folder`` (``what`` names it: the output or the
    state directory), existing or not: policywire's own files there (``runs.jsonl``, a
    run's records, the state's database) would be replaced by it or appended to."""
    if target.resolve().is_relative_to(folder.resolve()):
        raise UsageError(f"-o {target}: inside {what} {folder}, whose files it could"
                         f" replace: write it elsewhere")


#: The formats an export's ``-o`` names by its extension (gzipped where it ends in .gz).
FORMAT_OF_SUFFIX = {".parquet": "parquet", ".csv": "csv", ".csv.gz": "csv",
                     ".jsonl": "jsonl", ".jsonl.gz": "jsonl"}


def output_format(given: str | None, target: Path | None) -> str:
    """The format of an export: ``--format`` where given, else the one ``target``'s
    extension names (JSONL on stdout). Without ``--format``, JSONL went into a .parquet
    file that pandas then refused; an unknown extension, or one that names another format
    than ``--format``, is refused rather than guessed."""
    if target is None:
        return given or "jsonl"
    not_a_folder(target)
    named = next((fmt for suffix, fmt in FORMAT_OF_SUFFIX.items()
                  if target.name.lower().endswith(suffix)), None)
    if given is None and named is None:
        raise UsageError(f"-o {target}: no format known by its extension: end it in"
                         f" {', '.join(FORMAT_OF_SUFFIX)}, or give --format")
    if given is not None and named is not None and given != named:
        raise UsageError(f"-o {target}: the extension says {named}, --format says {given}")
    return given or str(named)


def date_value(raw: str, now: datetime | None = None) -> str:
    """``--since``/``--until`` as typed (:func:`crawler.normalize.relative_date`), for the
    date reading that names the option where it cannot read it."""
    try:
        return relative_date(raw, now)
    except OverflowError:  # 999999d: before year 1 (was a traceback, exit 1)
        raise argparse.ArgumentTypeError(f"{raw!r} reaches back before year 1") from None


def sources_path(raw: str | None) -> Path:
    """The sources file given, else the bundled list; one given but missing or unreadable
    is :class:`NoInput` (exit 66, like every other missing input; it was 78)."""
    if raw is None:
        return default_sources_path()
    return input_file(raw, "sources file", "a sources file")


def topics_file(raw: str | None) -> str | None:
    """A ``--topics`` lexicon of one's own, read here, before any work: a missing one is
    :class:`NoInput` (66), a malformed one its one-line :class:`ConfigError` (78); read by
    the crawl's pipeline, either was a Twisted traceback and exit 1."""
    if raw is not None:
        Lexicon.load(input_file(raw, "topics file", "a topics file"))
    return raw


def chosen_sources(sources: list[Source], names: Sequence[str], origin: Path) -> list[Source]:
    """The sources ``names`` names (``--only``, ``sources test``), enabled: naming one is
    asking for it. A name ``origin`` has no source of is refused, listing them (a
    :class:`ConfigError` for :func:`usage` to name the option)."""
    known = [source.name for source in sources]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ConfigError(f"no source {unknown[0]!r} in {origin}; its sources:"
                         f" {', '.join(known)}")
    return [replace(source, enabled=True) for source in sources if source.name in names]


def known_topics(wanted: Sequence[str], lexicon_file: str | None) -> None:
    """Refuse a ``--topic`` that no topic of the lexicon (``--topics``, else the bundled one)
    has: records carry only its ids, so the filter would keep nothing, silently."""
    if not wanted:
        return
    lexicon = Lexicon.load(Path(lexicon_file) if lexicon_file else None)
    known = sorted(topic.id for topic in lexicon.topics)
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        where, hint = (lexicon_file, "") if lexicon_file else (
            "the bundled lexicon", " (records tagged with a lexicon of your own: --topics FILE)")
        raise UsageError(f"--topic: no topic {unknown[0]!r} in {where}; its topics:"
                         f" {', '.join(known)}{hint}")
