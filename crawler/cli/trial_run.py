"""``policywire sources test NAME``: one source fetched now, into a scratch output and state
that are thrown away, so that a source can be tried without touching a crawl's own."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from crawler import jobs, logs
from crawler.cli.checks import chosen_sources, sources_path, usage
from crawler.cli.commands import allow_private_addresses
from crawler.exits import EXIT_PARTIAL
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
            log_level=logs.quiet_level(args.quiet, args.log_level),
        )
        summary = jobs.crawl(source, options)
        for record in _lines(record_files(options.output_dir)):
            page = f"  (page: {record['page_error']})" if record.get("page_error") else ""
            # A page_error or a reject's detail may quote the server (a content type).
            print(logs.printable(f"record  {record.get('published') or '-':<20}"
                                 f"  {record.get('title')}  {record.get('url')}{page}"))
        for reject in _lines(sorted(options.output_dir.rglob("rejects-*.jsonl"))):
            print(logs.printable(f"reject  {reject.get('reason')}  {reject.get('url') or '-'}"
                                 f"  {reject.get('detail') or ''}".rstrip()))
    code = summary.get("exit_code", EXIT_PARTIAL)
    code = code if isinstance(code, int) else EXIT_PARTIAL
    message = f"{args.name}: {json.dumps(summary.get('totals'))}; nothing kept"
    if code:
        # A JSON object under --log-format json, as a crawl's last line: a log shipper reads
        # the line that says what failed like every other.
        logs.final_line(message, {"source": args.name, "exit_code": code,
                                  "totals": summary.get("totals")}, args.log_format)
    elif not args.quiet:
        print(f"policywire: {message}", file=sys.stderr)
    return code


def _lines(files: list[Path]) -> list[dict[str, Any]]:
    return [row for path in files for _, row, _ in read_json_lines(path) if row is not None]
