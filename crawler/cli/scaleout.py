"""Handlers of ``enqueue`` and ``worker``: the scale-out commands (:mod:`crawler.scaleout`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crawler import logs
from crawler.cli import options
from crawler.cli.checks import sources_path, topics_file, usage
from crawler.cli.commands import allow_private_addresses, dedup_params, story_params
from crawler.cli.helptext import add_command
from crawler.exits import EXIT_OK
from crawler.normalize import date_option
from crawler.scaleout.spec import RoundOptions, WorkerOptions
from crawler.sources import load_sources


def enqueue(args: argparse.Namespace) -> int:
    # rq, redis and the crawl stack (Scrapy) load only for these two commands.
    from crawler.scaleout import queue  # noqa: PLC0415

    sources = load_sources(sources_path(args.sources))
    dedup_params(args)  # a malformed threshold stops here, before anything is enqueued
    with usage():
        since, until = date_option(args.since, "--since"), date_option(args.until, "--until")
    options = RoundOptions(
        since=since, until=until,
        window_days=args.window_days, window_records=args.window_records,
        title_thresholds=tuple(args.title_threshold or ()),
        topics_file=topics_file(args.topics), lock_ttl=args.lock_ttl,
        job_timeout=args.job_timeout, story_params=story_params(args),
        page_retries=args.page_retries,
    )
    outcome = queue.enqueue(sources, args.redis, options, namespace=args.namespace)
    if not args.quiet:
        print(json.dumps(outcome), file=sys.stderr)
    return EXIT_OK


def worker(args: argparse.Namespace) -> int:
    from crawler.scaleout import queue  # noqa: PLC0415

    options = WorkerOptions(
        output_dir=Path(args.output_dir), state_dir=Path(args.state_dir),
        allow_private_addresses=allow_private_addresses(args),
        log_level=logs.quiet_level(args.quiet, args.log_level),
        window_records=args.window_records, window_stories=args.story_window_stories,
    )
    queue.work(args.redis, options, burst=args.burst, namespace=args.namespace)
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scale = argparse.ArgumentParser(add_help=False)
    scale.add_argument("--redis", required=True, metavar="URL",
                       help="the Redis of the queue and the shared state (redis://host:6379/0)")
    scale.add_argument("--namespace", default="policywire",
                       help="prefix of every Redis key (one deployment each)")

    enq = add_command(sub, "enqueue", "queue one crawl job per source for scale-out workers",
                      "policywire enqueue --sources sources.toml --redis redis://queue:6379/0",
                      [options.matching(), options.stories(), options.logging(),
                       options.selection(), options.retries(), scale])
    enq.add_argument("--sources", help="sources TOML (default: the bundled list)")
    enq.add_argument("--lock-ttl", type=float, default=300.0,
                     help="seconds until a dead worker's source lock frees itself (300)")
    enq.add_argument("--job-timeout", type=int, default=3600,
                     help="seconds a crawl job may take before RQ stops it (3600)")
    enq.set_defaults(handler=enqueue)

    work = add_command(sub, "worker", "crawl queued jobs; the job that ends a round merges it",
                       "policywire worker --redis redis://queue:6379/0 --output-dir output"
                       " --burst", [options.network(), options.ceilings(), options.logging(),
                                    scale])
    # Not options.paths(): a worker's state is the shared one in Redis; its own folder
    # only keeps what an interrupted merge of this machine wrote.
    work.add_argument("--output-dir", default="output",
                      help="where the merges this worker performs write records, rejects and"
                           " runs.jsonl (output/)")
    work.add_argument("--state-dir", default="state",
                      help="a local folder for the output of a merge interrupted here, set"
                           " aside (state/); the shared state is in Redis (--redis)")
    work.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    work.set_defaults(handler=worker)
