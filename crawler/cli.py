"""The ``policywire`` command: argument parsing and exit codes; the work is in :mod:`jobs`.

Exit codes (sysexits where one fits):

====  =====================================================================
0     success
1     partial: the run finished but some sources failed (see rejects/runs)
2     usage error
65    input data error (a corrupt output or input file)
75    another run holds the state lock (EX_TEMPFAIL): try again later
78    configuration error (EX_CONFIG): sources file or option invalid
====  =====================================================================
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from crawler import jobs, logs
from crawler.dedup import DedupParams
from crawler.errors import ConfigError, LockHeld, OutputError, PolicywireError
from crawler.export import ExportFilter
from crawler.models import record_schema, reject_schema
from crawler.normalize import parse_date
from crawler.report import build_report
from crawler.sources import default_sources_path, load_sources

EXIT_OK, EXIT_PARTIAL, EXIT_DATA, EXIT_LOCKED, EXIT_CONFIG = 0, 1, 65, 75, 78


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logs.configure("ERROR" if getattr(args, "quiet", False) else getattr(args, "log_level",
                                                                           "WARNING"),
                   getattr(args, "log_format", "text"))
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except LockHeld as exc:
        print(f"policywire: {exc}; not starting", file=sys.stderr)
        return EXIT_LOCKED
    except ConfigError as exc:
        print(f"policywire: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except OutputError as exc:
        print(f"policywire: {exc}", file=sys.stderr)
        return EXIT_DATA
    except PolicywireError as exc:
        print(f"policywire: {exc}", file=sys.stderr)
        return EXIT_PARTIAL


def _crawl(args: argparse.Namespace) -> int:
    sources = load_sources(Path(args.sources) if args.sources else default_sources_path())
    return _run_outcome(jobs.crawl(sources, _options(args)), args)


def _scrape(args: argparse.Namespace) -> int:
    if not args.url.startswith(("http://", "https://")):
        raise ConfigError(f"not an http(s) URL: {args.url!r}")
    return _run_outcome(jobs.scrape(args.url, _options(args, output_file=args.output)), args)


def _dedup(args: argparse.Namespace) -> int:
    source = None if args.input == "-" else Path(args.input)
    if source is not None and not source.is_file():
        raise ConfigError(f"no such input file: {source}")
    target = None if args.output == "-" else Path(args.output)
    counts = jobs.dedup_file(source, target, DedupParams(window_days=args.window_days))
    if not args.quiet:
        print(json.dumps(counts), file=sys.stderr)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    flt = ExportFilter(
        since=args.since, until=args.until, sources=frozenset(args.source or ()),
        languages=frozenset(args.language or ()), topics=frozenset(args.topic or ()),
    )
    target = None if args.output == "-" else Path(args.output)
    by_story = args.stories or args.command == "stories"
    count = jobs.export(Path(args.input), target, args.format, flt, by_story=by_story)
    if not args.quiet:
        print(json.dumps({"stories" if by_story else "records": count}), file=sys.stderr)
    return EXIT_OK


def _html_report(args: argparse.Namespace) -> int:
    stats = build_report(Path(args.input), Path(args.output), args.since, args.until)
    if not args.quiet:
        print(json.dumps({"report": str(stats.target), "stories": stats.stories,
                          "records": stats.records, "drift": list(stats.drift)}),
              file=sys.stderr)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    schemas = {"record": record_schema(), "reject": reject_schema()}
    if args.write is None:
        print(json.dumps(schemas["record"], indent=2, sort_keys=True))
        return EXIT_OK
    folder = Path(args.write)
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
        (folder / f"{name}.schema.json").write_text(text, encoding="utf-8")
    return EXIT_OK


def _options(args: argparse.Namespace, output_file: str | None = None) -> jobs.CrawlOptions:
    allow = args.allow_private_addresses or os.environ.get(
        "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES", ""
    ) in ("1", "true", "yes")
    return jobs.CrawlOptions(
        output_dir=Path(args.output_dir), state_dir=Path(args.state_dir),
        output_file=output_file, allow_private_addresses=allow,
        log_level="ERROR" if args.quiet else args.log_level, window_days=args.window_days,
        since=_date_option(args.since, "--since"), until=_date_option(args.until, "--until"),
        progress=sys.stderr.isatty() and not args.quiet,
    )


def _date_option(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise ConfigError(f"{name}: cannot read {value!r} as a date (use ISO 8601)")
    return parsed


def _run_outcome(summary: dict[str, object], args: argparse.Namespace) -> int:
    """The exit code of a crawl; a one-line reason on stderr when it is not 0."""
    raw = summary.get("exit_code", 1)
    code = raw if isinstance(raw, int) else 1
    if code != EXIT_OK:
        print(f"policywire: run ended with problems: {summary.get('error', 'see runs.jsonl')}",
              file=sys.stderr)
    elif not args.quiet:
        print(json.dumps(summary.get("totals")), file=sys.stderr)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policywire", description="Collect security-policy news; merge near-duplicates.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--output-dir", default="output", help="where results go (output/)")
    common.add_argument("--state-dir", default="state", help="embedded state (state/)")
    common.add_argument("--allow-private-addresses", action="store_true",
                        help="let the crawler reach loopback/private hosts "
                             "(env POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1)")
    common.add_argument("--window-days", type=int, default=30,
                        help="how far back stories are matched (default 30)")
    common.add_argument("--since", help="skip feed/sitemap entries dated before this (ISO)")
    common.add_argument("--until", help="skip feed/sitemap entries dated at or after this")
    common.add_argument("--log-level", default="WARNING",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    common.add_argument("--log-format", choices=["text", "json"], default="text",
                        help="log lines as text or as JSON objects (for log shippers)")
    common.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", parents=[common], help="crawl every enabled source")
    crawl.add_argument("--sources", help="sources TOML (default: the bundled list)")
    crawl.set_defaults(handler=_crawl)

    scrape = sub.add_parser("scrape", parents=[common], help="one URL: feed, sitemap or page")
    scrape.add_argument("url")
    scrape.add_argument("-o", "--output", help="write records to FILE ('-' = stdout)")
    scrape.set_defaults(handler=_scrape)

    dedup = sub.add_parser("dedup", parents=[common], help="merge near-duplicates in a JSONL")
    dedup.add_argument("input", help="JSONL with url and title per line ('-' = stdin)")
    dedup.add_argument("-o", "--output", default="-", help="output JSONL ('-' = stdout)")
    dedup.set_defaults(handler=_dedup)

    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("input", help="an output directory (records-*.jsonl below it)")
    filters.add_argument("-o", "--output", default="-", help="output file ('-' = stdout)")
    filters.add_argument("--source", action="append", help="keep this source (repeatable)")
    filters.add_argument("--language", action="append", help="keep this language (repeatable)")
    filters.add_argument("--topic", action="append", help="keep this topic (repeatable)")
    filters.add_argument("--since", help="published at or after (ISO date or time)")
    filters.add_argument("--until", help="published before (ISO date or time)")
    filters.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    export = sub.add_parser("export", parents=[filters], help="to Parquet, CSV or JSONL")
    export.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="jsonl")
    export.add_argument("--stories", action="store_true", help="one row per story")
    export.set_defaults(handler=_export)

    stories = sub.add_parser("stories", parents=[filters], help="one JSON line per story")
    stories.set_defaults(handler=_export, format="jsonl", stories=True)

    report = sub.add_parser("report", help="one self-contained HTML report")
    report.add_argument("input", help="an output directory")
    report.add_argument("-o", "--output", default="report.html", help="the HTML file")
    report.add_argument("--since", help="published at or after (ISO date or time)")
    report.add_argument("--until", help="published before (ISO date or time)")
    report.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    report.set_defaults(handler=_html_report)

    schema = sub.add_parser("schema", help="print the record's JSON Schema")
    schema.add_argument("--write", metavar="DIR", help="write record/reject schemas to DIR")
    schema.set_defaults(handler=_schema)
    return parser


if __name__ == "__main__":
    sys.exit(main())
