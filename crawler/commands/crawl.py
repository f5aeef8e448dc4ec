"""``scrapy crawl``, with the spider, its arguments and the state checked before anything runs.

Scrapy builds the spider inside the crawl's first task: an argument the spider refuses
(``-a ulr=...``, ``-a kind=rss``, ``-a sources=missing.toml``, ``-a since=soon``) surfaced
there as an asyncio traceback ("Task exception was never retrieved") with the message buried
in it, and a spider name that names none as a ``KeyError`` traceback. Here the spider is
looked up and built once from its arguments before the crawl: a refusal is one line on
stderr and exit 2, as a bad option of ``policywire`` is.

The state is then checked as ``policywire crawl`` checks it, under the state lock, which is
held until the crawl ends (its pipeline is told so, and takes it no second time): another
run holding it, a state database that is damaged, locked by another process, unreadable or
read-only, and signatures or stories made with other parameters are each one line with
``policywire``'s exit code (:mod:`crawler.exits`) before any request. Before, a read-only
look without the lock passed over every state it could not open, and the merge stage
refused the state with a traceback and exit 1 after the whole crawl. A
``POLICYWIRE_STATE_DIR`` that names a Redis server is refused (exit 2): this crawl merges
into a state directory; scale-out workers, whose crawls merge nowhere
(``POLICYWIRE_BATCH_FILE``), share a Redis state.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.dedup.params import DedupParams
from crawler.errors import PolicywireError
from crawler.exits import EXIT_USAGE, exit_code, one_line
from crawler.jobs import check_state
from crawler.pipelines import page_retries, story_params, window_records
from crawler.sinks import check_output_dir
from crawler.state import StateLock, state_directory
from crawler.state.lock import report_unfinished, unfinished_setting


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)  # Scrapy's own usage error
            return
        problem = self._refusal(args[0], opts.spargs)
        if problem is not None:
            self._refuse(args[0], problem, EXIT_USAGE)
            return
        try:
            lock = self._checked_state()
        except (PolicywireError, OSError) as exc:
            self._refuse(args[0], one_line(exc), exit_code(exc))
            return
        try:
            super().run(args, opts)
        finally:
            if lock is not None:
                lock.release()
        self._merge_fault(args[0])

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        # Kept: its stats carry the merge stage's fault once the crawl is over.
        self._run_crawler: Crawler | None = super()._create_crawler(spidercls)
        return self._run_crawler

    def _merge_fault(self, spider: str) -> None:
        """The merge stage's fault (an output file it could not write), which Scrapy only
        logs: one line and policywire's exit code, as ``policywire crawl`` ends (before,
        exit 0 and, at LOG_LEVEL=WARNING, nothing said: the run's records were lost)."""
        crawler = getattr(self, "_run_crawler", None)
        error = crawler.stats.get_value("policywire/error") if crawler and crawler.stats else None
        if isinstance(error, PolicywireError | OSError):
            self._refuse(spider, one_line(error), exit_code(error))

    def _refuse(self, spider: str, problem: str, code: int) -> None:
        print(f"scrapy crawl {spider}: error: {problem}", file=sys.stderr)
        self.exitcode = code

    def _checked_state(self) -> StateLock | None:
        """The state lock, taken, once the state checks out for this crawl's settings (the
        settings were checked already); None where this crawl merges nowhere (a worker's:
        the round's enqueue checked its state) or its caller holds the lock."""
        settings = self.settings
        if settings is None or settings.get("POLICYWIRE_BATCH_FILE"):
            return None
        state_dir = state_directory(str(settings.get("POLICYWIRE_STATE_DIR")),
                                    "POLICYWIRE_STATE_DIR")
        if settings.getbool("POLICYWIRE_LOCK_HELD"):
            check_state(state_dir, story_params(settings))
            return None
        lock = StateLock(state_dir)
        lock.acquire()
        report_unfinished(lock.unfinished)  # before the checks, as `policywire crawl` says it
        try:
            check_state(state_dir, story_params(settings))
            check_output_dir(Path(str(settings.get("POLICYWIRE_OUTPUT_DIR"))),
                             "POLICYWIRE_OUTPUT_DIR")
        except BaseException:
            lock.release()
            raise
        # The crawl's pipeline (built from a copy of these settings) must not take it again.
        settings.setdict({"POLICYWIRE_LOCK_HELD": True, **unfinished_setting(lock)},
                         priority="cmdline")
        return lock

    def _refusal(self, name: str, arguments: dict[str, str]) -> str | None:
        """Why the spider ``name`` cannot crawl with ``arguments``, or None."""
        assert self.crawler_process is not None
        try:
            spidercls = self.crawler_process.spider_loader.load(name)
        except KeyError:
            return f"no spider named {name!r} (`scrapy list` names them)"
        try:  # -s POLICYWIRE_STORY_PARAMS and _TITLE_THRESHOLDS, read once the crawl runs
            if self.settings is not None:
                story_params(self.settings)
                DedupParams.configured(self.settings.getint("POLICYWIRE_WINDOW_DAYS"),
                                       self.settings.getlist("POLICYWIRE_TITLE_THRESHOLDS"),
                                       window_records(self.settings))
                page_retries(self.settings)
        except PolicywireError as exc:
            return str(exc)
        try:
            spidercls(**arguments)  # the checks its __init__ makes, before any crawler
        except (PolicywireError, ValueError, TypeError) as exc:  # TypeError: a spider of
            return str(exc)  # the library's own, such as the probe's, that no -a can build
        return None
