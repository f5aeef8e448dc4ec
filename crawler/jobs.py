"""Jobs: the one place that wires sources, the Scrapy crawl, state, dedup and sinks together.

Each function here is one thing a user asks for (crawl, scrape, dedup, export); the CLI is a
thin layer that parses arguments and maps outcomes to exit codes.
"""

from __future__ import annotations

import gzip
import logging
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from crawler.cpus import usable_cpus
from crawler.dedup import DedupParams
from crawler.dedup.params import WINDOW_RECORDS, check_compatible
from crawler.dedup.prepare import paused_gc
from crawler.dedupinput import Item, read_rows
from crawler.errors import ConfigError, InputError
from crawler.export import (
    ExportFilter,
    Shape,
    iter_rows,
    stories,
    whole_stories,
    write_csv,
    write_jsonl,
)
from crawler.filemodes import is_stream
from crawler.foreign import FieldMap
from crawler.pageretry import DEFAULT_RETRIES
from crawler.reindex import reindex
from crawler.sinks import (
    MAX_LINE_BYTES,
    JsonlWriter,
    LongLine,
    bounded_lines,
    check_output_dir,
)
from crawler.sources import Source, single_source
from crawler.state import StateLock, StateStore
from crawler.state.lock import report_unfinished, unfinished_setting
from crawler.stories import StoryParams
from crawler.storylayer import both_levels, check_stories, story_match

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrawlOptions:
    """Options shared by ``crawl`` and ``scrape``."""

    output_dir: Path = Path("output")
    state_dir: Path = Path("state")
    output_file: str | None = None  # a path, "-" for stdout, None for dated files
    allow_private_addresses: bool = False
    log_level: str = "WARNING"
    window_days: int = 30
    window_records: int = WINDOW_RECORDS  # the near-duplicate window's cap (DedupParams)
    since: str | None = None
    until: str | None = None
    progress: bool = False
    # Say up front how many pages a listing sends for, from how many hosts, and the least
    # time their hosts' delays take (scrape: a one-off user waits for it; a cron crawl not).
    estimate: bool = False
    topics_file: str | None = None
    title_thresholds: tuple[str, ...] = ()  # "de=0.3", "0.4": see DedupParams.configured
    # The state's stories must have been made with these (else exit 78, before fetching).
    story_params: StoryParams = field(default_factory=StoryParams)
    # Later runs that fetch a page again after it failed to download (crawler.pageretry).
    page_retries: int = DEFAULT_RETRIES


def crawl(sources: list[Source], options: CrawlOptions) -> dict[str, Any]:
    """Crawl every enabled source once; return the run summary (as written to runs.jsonl)."""
    with StateLock(options.state_dir) as lock:
        # Said before the state's checks: a refused run still tells of the killed one.
        report_unfinished(lock.unfinished)
        check_state(options.state_dir, options.story_params)
        check_output_dir(options.output_dir)
        settings = {**_settings(sources, options), **unfinished_setting(lock)}
        stats = _run_crawl(settings, sources, options)
        error = stats.get_value("policywire/error") if stats else None
        if isinstance(error, BaseException):
            raise error
        summary = stats.get_value("policywire/summary") if stats else None
    if summary is None:
        # A second stop signal ends Scrapy at once: no runs.jsonl line, no records.
        return {"exit_code": 1, "totals": {}, "error": "the crawl was stopped before its merge"
                " stage: it wrote nothing (the next run fetches it all again)"}
    return dict(summary)


def collect(sources: list[Source], options: CrawlOptions, batch_file: Path,
            extra: dict[str, Any] | None = None) -> None:
    """Crawl without merging: what the crawl collected goes to ``batch_file``
    (:func:`crawler.runs.encode_batch`) for the one process that merges (scale-out workers).

    No state lock: the state is only read here. ``extra`` settings override ours (the shared
    state's URL, the shared politeness pacer).
    """
    settings = {**_settings(sources, options), "POLICYWIRE_BATCH_FILE": str(batch_file),
                **(extra or {})}
    _run_crawl(settings, sources, options)


def check_state(state_dir: Path, story_params: StoryParams) -> None:
    """Refuse before crawling, not after: a state database that is damaged, locked or cannot
    be written (found at the merge stage, it cost every download of the run), or whose story
    signatures were made by a version that matched differently
    (:class:`crawler.errors.IncompatibleState`). A missing one is created here. The caller
    holds the state lock (``crawl``, ``scrapy crawl``)."""
    state = StateStore(state_dir)
    try:
        state.check()
        check_stories(state, story_params)
        check_compatible(state.params_fingerprint(), DedupParams())
    finally:
        state.close()


def _run_crawl(overrides: dict[str, Any], sources: list[Source], options: CrawlOptions) -> Any:
    """One crawl of ``sources`` in this process (its reactor runs once), with our settings
    module under ``overrides``; the crawl's stats."""
    # Scrapy and Twisted load only for the jobs that crawl: dedup, export and reindex start
    # ~0.4 s sooner without them (a third of `policywire dedup`'s start-up).
    from scrapy.crawler import CrawlerProcess  # noqa: PLC0415
    from scrapy.settings import Settings  # noqa: PLC0415

    from crawler.spiders.source import SourceSpider  # noqa: PLC0415

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    # The CLI installed the root log handler (text or JSON lines); Scrapy must not add one.
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SourceSpider)
    process.crawl(crawler, source_list=sources, since=options.since, until=options.until)
    process.start()
    return crawler.stats


def scrape(url: str, options: CrawlOptions) -> dict[str, Any]:
    """One-off: detect what ``url`` is (feed, sitemap, article, home page) and crawl it."""
    return crawl([single_source(url)], replace(options, estimate=True))


def dedup_file(source: Path | None, target: Path | None, params: DedupParams, *,
               parallel: bool | None = None, fields: FieldMap | None = None,
               max_line_bytes: int = MAX_LINE_BYTES,
               story_params: StoryParams | None = None, stories: bool = True
               ) -> dict[str, Any]:
    """Batch story merging for any JSONL (or gzipped JSONL) with at least ``url`` and
    ``title`` per line: under those names, under the names other tools give them, or under
    the keys ``fields`` maps them to (see :mod:`crawler.foreign`).

    Each input object is written back with both levels added: ``story_id`` and
    ``story_match`` (its story, :mod:`crawler.stories`), ``duplicate_of`` and ``match`` (the
    record it copies) (and ``id``, the canonical URL, where it had none: what they refer to);
    a line without url or title, longer than ``max_line_bytes`` (never read whole: memory
    stays bounded), or whose id an earlier line had (:mod:`crawler.dedupinput`), is written
    to ``<target>.rejects.jsonl`` (or stderr) instead.
    Both files are replaced, not appended to: a second run over the same input writes the
    same output (the target must not be the input itself). The target is written even when
    no line is a record (empty); the rejects file only when there are rejects.
    ``parallel`` (default: when this process may use two CPUs or more) reads and prepares
    the input in a second process while this one merges (see
    :func:`crawler.dedup.stream.dedup_items`); the output is the same either way.
    ``stories=False`` runs the near-duplicate layer alone: ``story_id`` and ``story_match``
    are null (a run that needs only copies marked, or a speed baseline).
    """
    for path in (target, rejects_path(target)):
        if path is not None and source is not None and path.exists() and path.samefile(source):
            raise ConfigError(f"the output {path} is the input: give another -o")
    parallel = usable_cpus() > 1 if parallel is None else parallel
    with ExitStack() as closing:
        lines, parallel = _open_input(source, parallel, closing, max_line_bytes)
        for path in (target, rejects_path(target)):
            if path is not None and not is_stream(path):  # -o /dev/null stays a device
                path.unlink(missing_ok=True)
        # No story state: one run over one file, its stories kept for no later run; the
        # clusterer is built where it runs (both_levels), after the workers forked.
        clusterer = story_params or StoryParams() if stories else None
        return _dedup_into(lines, target, (params, clusterer), parallel, fields or FieldMap())


def _open_input(source: Path | None, parallel: bool, closing: ExitStack, limit: int
                ) -> tuple[Iterable[bytes | LongLine], bool]:
    """The input's lines (:func:`crawler.sinks.bounded_lines`), opened here, before a worker
    forks (and whether one may read it): a child of multiprocessing gets /dev/null for
    stdin, so a worker reads stdin through a descriptor of its own. A stdin without one (a
    test runner's) is read in this process."""
    if source is not None:
        handle = closing.enter_context(source.open("rb"))
        if handle.peek(2)[:2] == _GZIP_MAGIC:  # data.jsonl.gz, whatever its name
            packed = closing.enter_context(gzip.GzipFile(fileobj=handle))
            return _unpacked(packed, source, limit), parallel
        return bounded_lines(handle, limit), parallel
    try:
        descriptor = os.dup(sys.stdin.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return bounded_lines(sys.stdin.buffer, limit), False
    return bounded_lines(closing.enter_context(os.fdopen(descriptor, "rb")), limit), parallel


_GZIP_MAGIC = b"\x1f\x8b"


def _unpacked(packed: gzip.GzipFile, source: Path, limit: int) -> Iterator[bytes | LongLine]:
    """The lines of a gzipped input; a truncated or corrupt one fails the run naming the
    file (the lines before the damage are merged and written)."""
    try:
        yield from bounded_lines(packed, limit)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(f"{source}: truncated or corrupt gzip ({exc})") from exc


def _dedup_into(lines: Iterable[bytes | LongLine], target: Path | None,
                layers: tuple[DedupParams, StoryParams | None], parallel: bool,
                fields: FieldMap) -> dict[str, Any]:
    """:func:`dedup_file` of an opened input, with the near-duplicate layer's parameters and
    the story layer's parameters (None: no stories)."""
    params, clusterer = layers
    counts = _DedupCounts()
    rejects = JsonlWriter(rejects_path(target), stream=sys.stderr.buffer)
    writer = JsonlWriter(target)
    # The whole run without the cyclic collector (the worker forks with it off, too): it
    # makes no cycles that grow with the input (tested), and every record's containers live
    # until the end, so each collection rescanned the index for nothing: 0.8 s of CPU in
    # this process and 0.6 s in the worker per 100,000 headlines (~15% of the run), beside
    # the pauses the index already takes (measured with gc.callbacks).
    with paused_gc():
        for decision, story, item in both_levels(read_rows(lines, fields), params, clusterer,
                                                 parallel):
            if decision is None:
                rejects.write_all([item])
                counts.rejects += 1
                continue
            row = item[0]
            counts.add(item)
            if not row.get("id"):  # duplicate_of, match and story_match name records by id
                row["id"] = decision.id
            row["story_id"] = story.story_id if story is not None else None
            row["duplicate_of"] = decision.duplicate_of
            row["match"] = decision.evidence  # a msgspec Struct: encoded as its fields
            row["story_match"] = story_match(story.link) if story is not None else None
            writer.write_all([row])
            counts.duplicates += decision.duplicate_of is not None
    if target is not None and not writer.lines and not is_stream(target):
        target.touch()  # no record to write: the output exists all the same, empty
    writer.close()
    rejects.close()
    counts.warn()
    return counts.as_dict()


@dataclass
class _DedupCounts:
    records: int = 0
    rejects: int = 0
    duplicates: int = 0
    undated: int = 0
    unreadable: list[tuple[int, Any]] = field(default_factory=list)  # the first few
    unreadable_count: int = 0
    fields: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, item: Item) -> None:
        _, line, keys, undated, bad_date = item
        self.records += 1
        self.undated += undated
        for name, key in keys:
            read = self.fields.setdefault(name, {})
            read[key] = read.get(key, 0) + 1
        if bad_date is not None:
            self.unreadable_count += 1
            if len(self.unreadable) < 3:
                self.unreadable.append((line, bad_date))

    def warn(self) -> None:
        if self.unreadable_count:
            examples = "; ".join(f"line {line}: {value!r:.100}"  # a "date" of megabytes
                                 for line, value in self.unreadable)
            logger.warning("%d records have a date that cannot be read (%s): merged as"
                           " undated; map another key with --field published=KEY",
                           self.unreadable_count, examples)

    def as_dict(self) -> dict[str, Any]:
        return {"records": self.records, "rejects": self.rejects,
                "duplicates": self.duplicates, "undated": self.undated,
                "unreadable_dates": self.unreadable_count, "fields": self.fields}


def export(source: Path, target: Path | None, fmt: str, flt: ExportFilter, *,
           by_story: bool = False, fields: FieldMap | None = None,
           csv_raw: bool = False) -> int:
    """Records (or one row per story) of an output directory, or of a JSONL file that
    ``policywire dedup`` wrote, as Parquet, CSV or JSONL (a file's rows read through
    ``fields``, as dedup read them: see :func:`crawler.export.iter_rows`). CSV cells that
    would run as spreadsheet formulas are defused unless ``csv_raw``."""
    shape: Shape = "stories" if by_story else "records"
    # A filter picks whole stories: every variant of a story one of whose records it keeps.
    rows: Iterator[dict[str, Any]] = (stories(whole_stories(source, flt, fields)) if by_story
                                      else iter_rows(source, flt, fields))
    if fmt == "parquet":
        if target is None:
            raise ConfigError("Parquet needs a file: give -o FILE")
        # Here, not at the top: only this format needs pyarrow (crawler.export's docstring).
        from crawler.export.parquet import write_parquet  # noqa: PLC0415

        return write_parquet(rows, target, shape=shape)
    if fmt == "csv":
        return write_csv(rows, target, shape=shape, raw=csv_raw)
    return write_jsonl(rows, target, shape=shape)


def _settings(sources: list[Source], options: CrawlOptions) -> dict[str, Any]:
    """The settings a crawl with ``options`` overrides (see :func:`_run_crawl`)."""
    return {
        "POLICYWIRE_OUTPUT_DIR": str(options.output_dir),
        "POLICYWIRE_STATE_DIR": str(options.state_dir),
        "POLICYWIRE_OUTPUT_FILE": options.output_file,
        "POLICYWIRE_LOCK_HELD": True,
        "POLICYWIRE_WINDOW_DAYS": options.window_days,
        "POLICYWIRE_WINDOW_RECORDS": options.window_records,
        "POLICYWIRE_TITLE_THRESHOLDS": list(options.title_thresholds),
        "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": options.allow_private_addresses,
        "LOG_LEVEL": options.log_level,
        "LOG_INSTALL_ROOT_HANDLER": False,
        "POLICYWIRE_PROGRESS": options.progress,
        "POLICYWIRE_FETCH_ESTIMATE": options.estimate,
        "POLICYWIRE_TOPICS_FILE": options.topics_file,
        "POLICYWIRE_STORY_PARAMS": _changed(options.story_params, StoryParams()),
        "POLICYWIRE_PAGE_RETRIES": options.page_retries,
        "DOWNLOAD_SLOTS": {
            f"source:{s.name}": {"delay": s.download_delay} for s in sources if s.download_delay
        },
    }


def _changed(params: StoryParams, defaults: StoryParams) -> dict[str, Any]:
    """The fields of ``params`` that differ from ``defaults`` (a setting of what was asked)."""
    ours, theirs = asdict(params), asdict(defaults)
    return {name: value for name, value in ours.items() if value != theirs[name]}


def rejects_path(target: Path | None) -> Path | None:
    """Beside the output file; on stdout output, or a device or pipe (``-o /dev/null``, a
    FIFO: no folder to write beside it in), rejects go to stderr."""
    if target is None or is_stream(target):
        return None
    return target.with_name(target.stem + ".rejects.jsonl")


__all__ = [
    "CrawlOptions",
    "check_state",
    "collect",
    "crawl",
    "dedup_file",
    "export",
    "reindex",
    "rejects_path",
    "scrape",
]
