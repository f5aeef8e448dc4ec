"""``scrapy crawl``, with the spider and its arguments checked before anything runs.

Scrapy builds the spider inside the crawl's first task: an argument the spider refuses
(``-a ulr=...``, ``-a kind=rss``, ``-a sources=missing.toml``, ``-a since=soon``) surfaced
there as an asyncio traceback ("Task exception was never retrieved") with the message buried
in it, and a spider name that names none as a ``KeyError`` traceback. Here the spider is
looked up and built once from its arguments before the crawl: a refusal is one line on
stderr and exit 2, as a bad option of ``policywire`` is.

A state whose signatures or stories were made with other parameters is refused here too, as
``policywire crawl`` refuses it: one line and exit 78 before any fetch (before, the merge
stage raised it as a traceback and exit 1). The state is only looked at, read-only and
without its lock: :mod:`crawler.state.meta` says why that is safe.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.dedup.params import DedupParams, check_compatible
from crawler.errors import IncompatibleState, PolicywireError
from crawler.pipelines import story_params
from crawler.state import is_redis_url
from crawler.state.meta import StoredMeta
from crawler.storylayer import check_stories

EXIT_USAGE = 2
EXIT_CONFIG = 78  # policywire's exit for IncompatibleState (crawler.cli)


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            problem = self._refusal(args[0], opts.spargs)
            if problem is not None:
                print(f"scrapy crawl {args[0]}: error: {problem}", file=sys.stderr)
                self.exitcode = EXIT_USAGE
                return
            try:
                self._check_state()
            except IncompatibleState as exc:
                print(f"scrapy crawl {args[0]}: error: {exc}", file=sys.stderr)
                self.exitcode = EXIT_CONFIG
                return
        super().run(args, opts)

    def _check_state(self) -> None:
        """Raise IncompatibleState when the state's signatures or stories were made with
        other parameters than this crawl's (its settings were checked already). A worker's
        crawl (POLICYWIRE_BATCH_FILE) merges nowhere: the round's enqueue checked its state."""
        settings = self.settings
        if settings is None or settings.get("POLICYWIRE_BATCH_FILE"):
            return
        state_dir = str(settings.get("POLICYWIRE_STATE_DIR"))
        if is_redis_url(state_dir):
            return
        stored = StoredMeta(Path(state_dir))
        check_stories(stored, story_params(settings))
        check_compatible(stored.params_fingerprint(), DedupParams.configured(
            settings.getint("POLICYWIRE_WINDOW_DAYS"),
            settings.getlist("POLICYWIRE_TITLE_THRESHOLDS")))

    def _refusal(self, name: str, arguments: dict[str, str]) -> str | None:
        """Why the spider ``name`` cannot crawl with ``arguments``, or None."""
        assert self.crawler_process is not None
        try:
            spidercls = self.crawler_process.spider_loader.load(name)
        except KeyError:
            return f"no spider named {name!r} (`scrapy list` names them)"
        try:  # -s POLICYWIRE_STORY_PARAMS, which the pipeline reads once the crawl runs
            if self.settings is not None:
                story_params(self.settings)
        except PolicywireError as exc:
            return str(exc)
        try:
            spidercls(**arguments)  # the checks its __init__ makes, before any crawler
        except (PolicywireError, ValueError, TypeError) as exc:  # TypeError: a spider of
            return str(exc)  # the library's own, such as the probe's, that no -a can build
        return None
