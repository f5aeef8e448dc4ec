"""``scrapy crawl``, with the spider and its arguments checked before anything runs.

Scrapy builds the spider inside the crawl's first task: an argument the spider refuses
(``-a ulr=...``, ``-a kind=rss``, ``-a sources=missing.toml``, ``-a since=soon``) surfaced
there as an asyncio traceback ("Task exception was never retrieved") with the message buried
in it, and a spider name that names none as a ``KeyError`` traceback. Here the spider is
looked up and built once from its arguments before the crawl: a refusal is one line on
stderr and exit 2, as a bad option of ``policywire`` is.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.errors import PolicywireError
from crawler.pipelines import story_params

EXIT_USAGE = 2


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            problem = self._refusal(args[0], opts.spargs)
            if problem is not None:
                print(f"scrapy crawl {args[0]}: error: {problem}", file=sys.stderr)
                self.exitcode = EXIT_USAGE
                return
        super().run(args, opts)

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
