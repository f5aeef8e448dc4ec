"""The argument parser of ``policywire``: one subcommand per job."""

from __future__ import annotations

import argparse
from importlib import metadata
from typing import Any

from crawler.cli import commands, options, scaleout, sourcecmds, trial_run
from crawler.cli.checks import FORMAT_OF_SUFFIX
from crawler.cli.helptext import CommandParser, add_command
from crawler.report.health import DEAD_AFTER
from crawler.sinks import MAX_LINE_BYTES


def build_parser() -> argparse.ArgumentParser:
    # CommandParser: each command, and each `sources` verb (add_subparsers makes them of the
    # parent's class), refuses an unknown option itself, under its own usage.
    parser: argparse.ArgumentParser = CommandParser(
        prog="policywire", description="Collect security-policy news; merge near-duplicates.",
        allow_abbrev=False,  # "--source" for crawl's "--sources" is a typo, not that option
    )
    parser.add_argument("--version", action="version",
                        version=f"policywire {metadata.version('policywire')}")
    sub = parser.add_subparsers(dest="command", required=True)
    _crawling(sub)
    scaleout.add_parsers(sub)
    _analysis(sub, _filters(), options.fields())
    return parser


def _crawling(sub: Any) -> None:
    crawl = add_command(sub, "crawl", "crawl every enabled source",
                        "policywire crawl --sources sources.toml -q", [options.crawling()])
    crawl.add_argument("--sources", help="sources TOML (default: the bundled list)")
    _dead_after(crawl)
    crawl.add_argument("--only", action="append", metavar="NAME",
                       help="crawl only this source, even if disabled (repeatable)")
    crawl.set_defaults(handler=commands.crawl)

    scrape = add_command(sub, "scrape", "one URL: feed, sitemap or page",
                         "policywire scrape https://www.sipri.org/rss/combined.xml -o sipri.jsonl",
                         [options.crawling(state_dir=None)])
    scrape.add_argument("url")
    scrape.add_argument("-o", "--output", help="write records to FILE ('-' = stdout); without"
                        " --state-dir FILE is replaced, with it appended to (default: a dated"
                        " records file under --output-dir, named on stderr)")
    _dead_after(scrape)
    scrape.set_defaults(handler=commands.scrape)

    # Only the options dedup uses: a --since it ignored would have looked like a filter.
    dedup = add_command(sub, "dedup", "merge near-duplicates in a JSONL",
                        "policywire dedup articles.jsonl.gz -o merged.jsonl",
                        [options.matching(), options.stories(), options.fields(),
                         options.logging()])
    dedup.add_argument("input", help="JSONL with url and title per line ('-' = stdin)")
    dedup.add_argument("-o", "--output", default="-",
                       help="output JSONL, replaced if it exists ('-' = stdout)")
    dedup.add_argument("--max-line-bytes", type=int, default=MAX_LINE_BYTES, metavar="N",
                       help="an input line longer than this is a reject, never read whole"
                            f" (default {MAX_LINE_BYTES:,}: 16 MiB)")
    dedup.add_argument("--no-stories", action="store_true",
                       help="mark near-duplicates only: no story layer (story_id and"
                            " story_match are null; several times faster)")
    dedup.set_defaults(handler=commands.dedup)

    reindex = add_command(
        sub, "reindex", "rebuild story signatures from the records (after an upgrade of"
        " matching)",
        "policywire reindex --output-dir output --state-dir state",
        [options.paths(), options.window(), options.stories(), options.logging()])
    reindex.set_defaults(handler=commands.reindex)

    # Only what stats reads (crawl options it ignored were listed in its help); no state
    # unless given: errors come from runs.jsonl, and a given one must exist.
    stats = add_command(sub, "stats", "per-source health and drift",
                        "policywire stats output --json",
                        [options.read_paths(), options.logging()])
    stats.add_argument("dir", nargs="?", metavar="DIR",
                       help="the output directory (default: output/; or --output-dir)")
    stats.add_argument("--json", action="store_true", help="one JSON object per source")
    _dead_after(stats)
    stats.set_defaults(handler=commands.stats)


def _dead_after(parser: argparse.ArgumentParser) -> None:
    """For the commands that say which sources are dead: their last line, stats, report,
    sources list."""
    parser.add_argument("--dead-after", type=_runs, default=DEAD_AFTER, metavar="RUNS",
                        help="failed runs in a row after which a source is dead (default"
                             f" {DEAD_AFTER})")


def _runs(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:  # "²" is a digit to isdigit
        raise argparse.ArgumentTypeError(f"not a whole number of runs, 1 or more: {value!r}")
    return int(value)


def _filters() -> argparse.ArgumentParser:
    filters = argparse.ArgumentParser(add_help=False, parents=[options.published()])
    filters.add_argument("input", help="an output directory (records-*.jsonl below it), or a"
                         " JSONL file policywire dedup wrote")
    # From the table output_format reads: .csv.gz was taken but went unnamed.
    filters.add_argument("-o", "--output", default="-", help="output file ('-' = stdout);"
                         f" its extension names the format: {', '.join(FORMAT_OF_SUFFIX)}")
    filters.add_argument("--format", choices=["parquet", "csv", "jsonl"],
                         help="the format, where -o's extension does not name it"
                              " (default: by the extension; JSONL on stdout)")
    filters.add_argument("--source", action="append", help="keep this source (repeatable)")
    filters.add_argument("--language", action="append",
                         help="keep this language, an ISO 639-1 code: de, en (repeatable)")
    filters.add_argument("--topic", action="append", help="keep this topic (repeatable)")
    filters.add_argument("--topics", metavar="FILE",
                         help="the topic lexicon the records were tagged with, which --topic"
                              " must name a topic of (default: the bundled one)")
    filters.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return filters


def _analysis(sub: Any, filters: argparse.ArgumentParser,
              fields: argparse.ArgumentParser) -> None:
    export = add_command(sub, "export", "to Parquet, CSV or JSONL",
                         "policywire export output -o records.parquet --since 7d",
                         [filters, fields])
    export.add_argument("--stories", action="store_true", help="one row per story")
    export.add_argument("--csv-raw", action="store_true",
                        help="CSV cells as they are: no leading ' before a cell starting with"
                             " = + - @ (which spreadsheets would run as a formula)")
    export.set_defaults(handler=commands.export)

    stories = add_command(sub, "stories", "one row per story, every variant listed",
                          "policywire stories output --language de -o stories.jsonl",
                          [filters, fields])
    stories.set_defaults(handler=commands.export, stories=True)

    report = add_command(sub, "report", "one self-contained HTML report",
                         "policywire report output -o report.html --since yesterday",
                         [options.published()])
    report.add_argument("input", help="an output directory")
    report.add_argument("-o", "--output", default="report.html", help="the HTML file")
    report.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    _dead_after(report)
    report.set_defaults(handler=commands.html_report)

    _sources(sub)

    schema = add_command(sub, "schema", "print the record's JSON Schema",
                         "policywire schema --write schemas/")
    schema.add_argument("--write", metavar="DIR", help="write record/reject schemas to DIR")
    schema.set_defaults(handler=commands.schema)


def _sources(sub: Any) -> None:
    sources = add_command(sub, "sources", "list, check, import, export or test the sources",
                          "policywire sources check sources.toml")
    verbs = sources.add_subparsers(dest="verb", required=True)
    imp = add_command(verbs, "import", "an OPML file (feed readers' export) to TOML",
                      "policywire sources import feeds.opml -o sources.toml")
    imp.add_argument("opml")
    imp.add_argument("-o", "--output", default="-", help="sources TOML to write ('-' = stdout)")
    imp.add_argument("--force", action="store_true", help="replace -o FILE if it exists")
    imp.set_defaults(handler=sourcecmds.sources_import)
    exp = add_command(verbs, "export", "the sources list as OPML",
                      "policywire sources export --sources sources.toml -o feeds.opml")
    exp.add_argument("--sources", help="sources TOML (default: the bundled list)")
    exp.add_argument("-o", "--output", default="-", help="OPML file to write ('-' = stdout)")
    exp.set_defaults(handler=sourcecmds.sources_export)
    check = add_command(verbs, "check", "validate a sources file",
                        "policywire sources check sources.toml")
    # Either way: "check FILE" is what "validate a sources file" invites (a user's test typed it).
    check.add_argument("file", nargs="?", help="sources TOML (default: the bundled list)")
    check.add_argument("--sources", help="the same, as crawl takes it")
    check.add_argument("--live", action="store_true",
                       help="also fetch each enabled source once (network) and report status,"
                            " content type, entries, newest entry and redirects; no state")
    check.add_argument("--json", action="store_true", help="with --live: one JSON line a source")
    check.add_argument("--allow-private-addresses", action="store_true",
                       help="with --live: let the SSRF guard through (intranet, loopback)")
    check.set_defaults(handler=commands.sources_check)
    trial = add_command(verbs, "test", "fetch one source now and show what it yields and"
                        " rejects; no state changes", "policywire sources test nato-news",
                        [options.logging(), options.network()])
    trial.add_argument("name", help="the source's name in the sources file")
    trial.add_argument("--sources", help="sources TOML (default: the bundled list)")
    trial.set_defaults(handler=trial_run.sources_test)
    listing = add_command(
        verbs, "list", "every source: kind, topic filter, paywall, notes, last run's health",
        "policywire sources list --output-dir output --state-dir state",
        [options.logging()])
    listing.add_argument("--sources", help="sources TOML (default: the bundled list)")
    listing.add_argument("--output-dir", help="where runs.jsonl is (default: output/; given,"
                         " it must exist)")
    listing.add_argument("--state-dir", help="the crawl's state, for its feeds' error streaks"
                         " (default: state/ if there; given, it must hold a state)")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    _dead_after(listing)
    listing.set_defaults(handler=sourcecmds.sources_list)
