"""``policywire sources test NAME``: one source fetched now, into a scratch output and state
that are thrown away, so that a source can be tried without touching a crawl's own."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from crawler import jobs
from crawler.cli.checks import chosen_sources, sources_path, usage
from crawler.cli.commands import EXIT_PARTIAL, allow_private_addresses
from crawler.sinks import read_json_lines, record_files
from crawler.sources import load_sources


def sources_test(args: argparse.Namespace) -> int:
    path = sources_path(args.sources)
    with usage():
        source = chosen_sources(load_sources(path), [args.name], path)
    with tempfile.TemporaryDirectory(prefix="policywire-test-") as scratch:
        options = jobs.CrawlOptions(
            output_dir=Path(scratch) / "output", state_dir=Path(scratch) / "state",
            allow_private_addresses=allow_private_addresses(args),
            log_level="ERROR" if args.quiet else args.log_level,
        )
        summary = jobs.crawl(source, options)
        for record in _lines(record_files(options.output_dir)):
            page = f"  (page: {record['page_error']})" if record.get("page_error") else ""
            print(f"record  {record.get('published') or '-':<20}  {record.get('title')}"
                  f"  {record.get('url')}{page}")
        for reject in _lines(sorted(options.output_dir.rglob("rejects-*.jsonl"))):
            print(f"reject  {reject.get('reason')}  {reject.get('url') or '-'}"
                  f"  {reject.get('detail') or ''}".rstrip())
    code = summary.get("exit_code", EXIT_PARTIAL)
    if not args.quiet or code:
        print(f"policywire: {args.name}: {json.dumps(summary.get('totals'))}; nothing kept",
              file=sys.stderr)
    return code if isinstance(code, int) else EXIT_PARTIAL


def _lines(files: list[Path]) -> list[dict[str, Any]]:
    return [row for path in files for _, row, _ in read_json_lines(path) if row is not None]
