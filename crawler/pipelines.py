"""The item pipeline: turns fetched entries into records and rejects, and at the end of the
crawl hands them to the merge stage (:mod:`crawler.merge`), which writes and advances state.

Under ``scrapy crawl -O items.jsonl`` (or ``FEEDS``), Scrapy's feed exports get the final
records, the same JSON as the run's records file, once the merge has given them their story
ids; the spider's internal items (fetched entries, polls, skips) end here, dropped quietly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import platform
import secrets
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Self

import msgspec
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.extensions.feedexport import FeedExporter
from scrapy.settings import BaseSettings

from crawler.dedup import DedupParams, check_datasketch
from crawler.dedup.params import WINDOW_RECORDS
from crawler.delivery import Delivery
from crawler.errors import ConfigError, PolicywireError, StateNotWritable
from crawler.failures import error_code
from crawler.merge import RunMerger
from crawler.models import Deferred, FeedPoll, Fetched, Problem, Record, Reject, Skipped
from crawler.normalize import to_iso
from crawler.pageretry import DEFAULT_RETRIES, run_fingerprint
from crawler.records import build_record, entry_fingerprint, in_window, reject
from crawler.runs import MergeTargets, RunBatch, RunSummary, encode_batch, run_id_for
from crawler.state import StateLock, StateStore
from crawler.state.lock import report_unfinished
from crawler.stories import StoryParams
from crawler.topics import Lexicon

logger = logging.getLogger(__name__)


class RecordPipeline:
    """Builds records as items arrive; writes everything once, when the spider closes."""

    def __init__(
        self, crawler: Crawler, *, targets: MergeTargets, state_dir: Path, run_id: str,
        lock_held: bool, params: DedupParams, lexicon: Lexicon, batch_file: Path | None = None,
        story_params: StoryParams | None = None, page_retries: int = DEFAULT_RETRIES,
    ) -> None:
        self.crawler = crawler
        self.targets = targets
        self.state_dir = state_dir
        self.run_id = run_id
        self.started = to_iso(datetime.now(UTC))
        self._lock = None if lock_held else StateLock(state_dir)
        self._params = params
        self._story_params = story_params or StoryParams()
        self._lexicon = lexicon
        self._page_retries = page_retries
        self._merger: RunMerger | RunBatch | None = None
        self._state: StateStore | None = None
        # Scale-out workers only collect: the batch goes to a file, the one merger merges it.
        self._batch_file = batch_file
        self._source_failures = 0
        self._export = False  # hand the final records to Scrapy's feed exports

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        output_file = settings.get("POLICYWIRE_OUTPUT_FILE")
        targets = MergeTargets(
            output_dir=Path(settings.get("POLICYWIRE_OUTPUT_DIR")),
            output_file=Path(output_file) if output_file and output_file != "-" else None,
            to_stdout=output_file == "-",
        )
        run_id = settings.get("POLICYWIRE_RUN_ID") or run_id_for(
            datetime.now(UTC), secrets.token_hex(3)
        )
        params = DedupParams.configured(settings.getint("POLICYWIRE_WINDOW_DAYS"),
                                        settings.getlist("POLICYWIRE_TITLE_THRESHOLDS"),
                                        window_records(settings))
        pipeline = cls(
            crawler, targets=targets, state_dir=Path(settings.get("POLICYWIRE_STATE_DIR")),
            run_id=run_id, lock_held=settings.getbool("POLICYWIRE_LOCK_HELD"), params=params,
            lexicon=_lexicon(settings.get("POLICYWIRE_TOPICS_FILE")),
            batch_file=Path(batch) if (batch := settings.get("POLICYWIRE_BATCH_FILE")) else None,
            story_params=story_params(settings), page_retries=page_retries(settings),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        exporter = crawler.get_extension(FeedExporter)
        if exporter is not None and settings.getdict("FEEDS"):
            # Feed exports close on spider_closed too, and were connected first: moved after
            # the merge, they are still open when it hands them the final records.
            crawler.signals.disconnect(exporter.close_spider, signal=signals.spider_closed)
            crawler.signals.connect(exporter.close_spider, signal=signals.spider_closed)
            pipeline._export = True
        return pipeline

    def open_spider(self) -> None:
        check_datasketch()
        if self._batch_file is not None:
            self._merger = RunBatch()
            return
        unfinished = self.crawler.settings.getint("POLICYWIRE_PREVIOUS_UNFINISHED") or None
        if self._lock is not None:
            self._lock.acquire()
            report_unfinished(self._lock.unfinished)
            unfinished = self._lock.unfinished
        self._state = StateStore(self.state_dir)
        # It warns of each run it rolls back.
        Delivery(self._state, self.state_dir, self.targets.output_file).recover()
        self._merger = RunMerger(self.run_id, self.started, targets=self.targets,
                                 state=self._state, state_dir=self.state_dir,
                                 params=self._params, story_params=self._story_params,
                                 page_retries=self._page_retries)
        self._merger.summary.versions = run_versions()
        self._merger.summary.config_hash = _config_hash(self.crawler, self._params)
        self._merger.summary.previous_unfinished = unfinished

    def process_item(self, item: Any) -> Any:
        if self._merger is None:
            raise DropItem("pipeline not open")
        now = to_iso(datetime.now(UTC))
        if isinstance(item, Problem):
            self._source_failures += 1
            self.crawler.stats.inc_value("policywire/rejects")
            self._merger.add(Reject(reason=item.reason, url=item.url, source=item.source,
                                    run_id=self.run_id, detail=item.detail, at=now))
        elif isinstance(item, Fetched):
            try:
                self._add_fetched(self._merger, item, now)
            except Exception as exc:
                # Any: Scrapy would log it and drop the entry, then neither a record nor a
                # reject in a run that said success.
                self._source_failures += 1
                self.crawler.stats.inc_value("policywire/rejects")
                self._merger.add(reject(item, self.run_id, now, "record_failed",
                                        f"{type(exc).__name__}: {exc}"))
        elif isinstance(item, FeedPoll):
            self._merger.add_poll(item)
        elif isinstance(item, Skipped):
            self._merger.skip(item)
        elif isinstance(item, Deferred):
            self._merger.defer(item)
        # Not a record yet (no story id): kept from feed exports, which get the final records.
        raise DropItem("merged at the end of the crawl", log_level="DEBUG")

    def _add_fetched(self, merger: RunMerger | RunBatch, item: Fetched, now: str) -> None:
        if item.page_error is not None and error_code(item.page_error) == "state_unavailable":
            merger.add(self._unbooked(item, item.page_error, now))
            return
        outcome = build_record(item, self.run_id, now)
        if item.page_error is not None and error_code(item.page_error) in (
                "extraction_failed", "extract_timeout"):
            # Extraction raised or ran out of time: a bug or a hostile page met, not a site's
            # failure; the run says so (exit 1).
            self._source_failures += 1
        if isinstance(outcome, Record):
            by_page = item.entry.published is None or outcome.published != item.entry.published
            if by_page and not in_window(outcome.published, item.window):
                # Dated by its page (the entry had no date, or a sitemap's gave way to the
                # page's own), and outside --since/--until.
                merger.skip(Skipped(item.source, outcome.id, "out_of_window"))
                return
            outcome = msgspec.structs.replace(outcome, topics=self._lexicon.tag_record(outcome))
            if item.require_topic and not outcome.topics:
                merger.skip(Skipped(item.source, outcome.id, "off_topic"))
                return
        else:
            # Counted as it is written, for the progress line: an entry whose page failed is
            # still a record when its feed gave a title, and one without a link is a reject.
            self.crawler.stats.inc_value("policywire/rejects")
        # Marked when its page failed to download: the next runs fetch it again.
        merger.add(outcome, run_fingerprint(entry_fingerprint(item.entry), item.page_error))

    def _unbooked(self, item: Fetched, error: str, now: str) -> Reject:
        """A ``state_unavailable`` reject: the page was never asked for, since our own state
        (the scale-out pacer's Redis, booking its turn or its host's robots.txt) failed, not
        the site. A record of the feed's words went out instead, marked seen, and once its
        feed answered 304 the page was never fetched. A reject is not marked seen, and its
        feed keeps no validators or rest (RunMerger): the next run fetches the page. The run
        is partial (exit 1)."""
        self._source_failures += 1
        self.crawler.stats.inc_value("policywire/rejects")
        return reject(item, self.run_id, now, "state_unavailable", error)

    def spider_closed(self, reason: str) -> None:
        if isinstance(self._merger, RunBatch) and self._batch_file is not None:
            self._merger.failures = self._source_failures
            self._merger.finish_reason = reason
            _write_atomically(self._batch_file, encode_batch(self._merger))
            return
        if not isinstance(self._merger, RunMerger) or self._state is None:
            return
        try:
            # Partial (1): the crawl was cut short or some source yielded nothing at all.
            self._merger.summary.exit_code = (
                0 if reason == "finished" and not self._source_failures else 1)
            if reason != "finished":
                self._merger.cut_short()
            summary = self._merger.finish(to_iso(datetime.now(UTC)))
            logger.info("run %s: %s", summary.run_id, json.dumps(summary.to_dict()["totals"]))
            self.crawler.stats.set_value("policywire/summary", summary.to_dict())
            if self._export:
                self._send_records(summary)
        except (OSError, PolicywireError, sqlite3.Error) as exc:
            # Signal handlers' errors are only logged by Scrapy; hand this one to the caller
            # (jobs re-raises it, the CLI turns it into one line and an exit code). SQLite's
            # own (the state's database, a full disk) as the state's: left to Scrapy, the
            # run said it "was stopped before its merge stage", exit 1, with a traceback.
            logger.debug("run %s could not be written: %s", self.run_id, exc)
            self.crawler.stats.set_value("policywire/error", StateNotWritable(
                f"{self.state_dir}: the merge could not write the state ({exc}); nothing was"
                " written: free space or check permissions, then run again")
                if isinstance(exc, sqlite3.Error) else exc)
        finally:
            self._state.close()
            if self._lock is not None:
                self._lock.release()

    def _send_records(self, summary: RunSummary) -> None:
        """The records this run appended, read back from its records file after the commit,
        to Scrapy's feed exports: exactly what the file holds, story ids included."""
        records_path, _ = self.targets.paths(summary.run_id, summary.started[:10])
        written = [f for f in summary.files if records_path and f.path == str(records_path)]
        for appended in written:
            with Path(appended.path).open("rb") as handle:
                handle.seek(-appended.bytes, os.SEEK_END)
                for line in handle:
                    self.crawler.signals.send_catch_log(
                        signals.item_scraped, item=json.loads(line), response=None,
                        spider=self.crawler.spider)


def _write_atomically(path: Path, data: bytes) -> None:
    """All of it or nothing: the worker hands the file on only once the crawl ended."""
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def _lexicon(path: str | None) -> Lexicon:
    """The bundled topic lexicon, or the user's file (which may extend the bundled one)."""
    return Lexicon.load(Path(path) if path else None)


_VERSIONED = ("policywire", "scrapy", "feedparser", "trafilatura", "datasketch", "msgspec")


def run_versions() -> dict[str, str]:
    """The versions that shaped a run's output, for its manifest."""
    found = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def window_records(settings: BaseSettings) -> int:
    """POLICYWIRE_WINDOW_RECORDS (the default where unset); not a whole number 1 or more is a
    ConfigError naming the setting."""
    raw = settings.get("POLICYWIRE_WINDOW_RECORDS", WINDOW_RECORDS)
    try:
        cap = int(raw)
    except (TypeError, ValueError):
        cap = 0
    if isinstance(raw, bool) or cap < 1:
        raise ConfigError("POLICYWIRE_WINDOW_RECORDS must be a whole number, 1 or more,"
                          f" got {raw!r}")
    return cap


def page_retries(settings: BaseSettings) -> int:
    """POLICYWIRE_PAGE_RETRIES (the default where unset): the runs that fetch a page again
    after it failed to download; not a whole number 0 or more is a ConfigError naming it."""
    raw = settings.get("POLICYWIRE_PAGE_RETRIES", DEFAULT_RETRIES)
    try:
        count = int(raw)
    except (TypeError, ValueError):
        count = -1
    if isinstance(raw, bool) or count < 0:
        raise ConfigError(f"POLICYWIRE_PAGE_RETRIES must be a whole number, 0 or more, got {raw!r}")
    return count


def story_params(settings: BaseSettings) -> StoryParams:
    """POLICYWIRE_STORY_PARAMS over the defaults: JSON text from ``-s``, or the dict that
    ``policywire`` passes. Anything else, an unknown name or a bad value is a ConfigError
    naming the setting (``scrapy crawl`` checks it before the crawl: one line, exit 2)."""
    raw = settings.get("POLICYWIRE_STORY_PARAMS") or {}
    try:
        overrides = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise ConfigError(f"POLICYWIRE_STORY_PARAMS is not JSON: {exc}") from None
    if not isinstance(overrides, Mapping):
        raise ConfigError("POLICYWIRE_STORY_PARAMS must be a JSON object such as"
                          f' {{"window_days": 30}}, got {raw!r}')
    try:
        return StoryParams.overridden(overrides)
    except ConfigError as exc:
        raise ConfigError(f"POLICYWIRE_STORY_PARAMS: {exc}") from None


def _config_hash(crawler: Crawler, params: DedupParams) -> str:
    """What decided this run's output: the sources, the story matching, the policywire knobs."""
    spider = crawler.spider
    sources = [dataclasses.asdict(s) for s in getattr(spider, "sources", [])]
    knobs = {k: v for k, v in crawler.settings.copy_to_dict().items()
             if k.startswith("POLICYWIRE_") and k not in ("POLICYWIRE_RUN_ID",)}
    config = {"sources": sources, "dedup": params.fingerprint(), "settings": knobs}
    text = json.dumps(config, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
