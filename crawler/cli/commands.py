"""The command handlers: each turns parsed arguments into one :mod:`crawler.jobs` call."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from crawler import jobs, logs
from crawler.cli import sourcecmds
from crawler.cli.checks import (
    chosen_sources,
    crawl_output,
    distinct_output,
    input_file,
    input_path,
    known_topics,
    not_a_folder,
    not_a_stream,
    output_directory,
    output_format,
    outside,
    sources_path,
    topics_file,
    usage,
)
from crawler.cli.healthtable import health_table
from crawler.cli.writing import write_shared
from crawler.dedup import DedupParams
from crawler.errors import ConfigError, NoInput, UsageError
from crawler.exits import EXIT_OK, EXIT_PARTIAL
from crawler.export import ExportFilter, iter_rows
from crawler.export.filters import record_time
from crawler.foreign import FieldMap
from crawler.health import health
from crawler.models import record_schema, reject_schema
from crawler.normalize import date_option
from crawler.outcome import outcome
from crawler.report import build_report
from crawler.settings import POLICYWIRE_MAX_ENTRIES_PER_FEED, private_addresses_allowed
from crawler.sources import load_sources
from crawler.state import StateLock, state_directory
from crawler.stories import StoryParams


def crawl(args: argparse.Namespace) -> int:
    path = sources_path(args.sources)
    sources = load_sources(path)
    if args.only:
        with usage("--only"):
            sources = chosen_sources(sources, args.only, path)
    if not any(source.enabled for source in sources):  # a crawl of nothing looked like success
        raise ConfigError(f"no enabled source in {path}")
    return _run_outcome(jobs.crawl(sources, _options(args)), args)


def scrape(args: argparse.Namespace) -> int:
    if not args.url.startswith(("http://", "https://")) or not urlsplit(args.url).hostname:
        raise UsageError(f"not an http(s) URL: {args.url!r}")
    _scrape_target(args)
    if args.state_dir is not None:  # incremental, like a crawl: only what is new is written
        summary = jobs.scrape(args.url, _options(args, output_file=args.output))
        return _said_where(summary, args, _run_outcome(summary, args))
    # A one-off: a state of its own for this run only, so a second scrape of the same URL
    # writes every record again (with a kept state it wrote nothing: all "unchanged"), and
    # the file is replaced rather than grown by a copy of itself.
    with tempfile.TemporaryDirectory(prefix="policywire-scrape-") as state:
        options = _options(args, output_file=args.output, state_dir=Path(state))
        if args.output not in (None, "-"):  # after the options' checks: a typo keeps it
            Path(args.output).unlink(missing_ok=True)
        summary = jobs.scrape(args.url, options)
        code = _run_outcome(summary, args)
        if args.output not in (None, "-"):
            Path(args.output).touch()  # no record is an empty file, not a missing one
        return _said_where(summary, args, code)


def _said_where(summary: dict[str, object], args: argparse.Namespace, code: int) -> int:
    """Without ``-o`` a scrape's records go to a dated file under ``--output-dir``: name it
    (before, a newcomer saw counts on stderr and nothing else, and looked for the records).
    ``code`` is handed back, for the caller to return."""
    files = summary.get("files")
    written = [str(f.get("path")) for f in files if isinstance(f, dict)
               and Path(str(f.get("path"))).name.startswith("records-")
               ] if isinstance(files, list) else []
    if args.output is None and not args.quiet and written:
        print(f"policywire: records written to {', '.join(written)}", file=sys.stderr)
    totals = summary.get("totals")
    capped = totals.get("capped") if isinstance(totals, dict) else 0
    if capped and not args.quiet:  # a one-off user took the newest 1,000 for the whole feed
        print(f"policywire: {capped} older {'entry' if capped == 1 else 'entries'} left out:"
              f" a fetch takes a feed's or sitemap's newest {POLICYWIRE_MAX_ENTRIES_PER_FEED:,};"
              " for more, crawl it from a sources file with max_entries", file=sys.stderr)
    return code


def _scrape_target(args: argparse.Namespace) -> None:
    """Refuse a ``-o`` that is a folder, or inside the scrape's own output or state
    directory: it replaced (or grew) ``runs.jsonl`` or an earlier run's records, whose
    entries the state then kept as seen, lost for good; in the state it read as a corrupt
    line (exit 65). A folder failed its write after the whole crawl (exit 74)."""
    if args.output in (None, "-"):
        return
    not_a_folder(Path(args.output))
    not_a_stream(Path(args.output))
    outside(Path(args.output), Path(args.output_dir), "the output directory")
    if args.state_dir is not None:
        outside(Path(args.output), state_directory(args.state_dir, "--state-dir"),
                "the state directory")


def dedup(args: argparse.Namespace) -> int:
    # A pipe counts: policywire dedup <(zcat archive.jsonl.gz) is not a regular file.
    source = None if args.input == "-" else input_file(args.input)
    target = None if args.output == "-" else Path(args.output)
    distinct_output(source, target, jobs.rejects_path(target))
    params = dedup_params(args)
    with usage():
        fields = FieldMap.parse(args.field)
    if args.max_line_bytes < 1:
        raise UsageError(f"--max-line-bytes must be 1 or more, got {args.max_line_bytes}")
    counts = jobs.dedup_file(source, target, params, fields=fields,
                             max_line_bytes=args.max_line_bytes, story_params=story_params(args),
                             stories=not args.no_stories)
    if not args.quiet:
        print(json.dumps(counts), file=sys.stderr)
    if counts["rejects"] and not counts["records"]:  # an output of nothing is no success
        where = jobs.rejects_path(target) or "the rejects above"
        print(f"policywire: every line was rejected ({counts['rejects']}): see {where}",
              file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def reindex(args: argparse.Namespace) -> int:
    state_dir = state_directory(args.state_dir, "--state-dir", _NO_REDIS_REINDEX)
    try:
        output_dir = output_directory(args.output_dir)
    except NoInput:
        # A first crawl holding the lock has yet to write its output: try again later (75),
        # as for any lock wait, not "no input" (66).
        StateLock(state_dir).check_free()
        raise
    counts = jobs.reindex(output_dir, state_dir,
                          DedupParams(window_days=args.window_days,
                                      window_records=args.window_records),
                          story_params=story_params(args))
    if not args.quiet:
        print(json.dumps(counts), file=sys.stderr)
    return EXIT_OK


# Why not: a shared state's records lie in every worker's output directory, and a namespace
# rebuilt from one would still lack the seen entries, validators and candidate index.
_NO_REDIS_REINDEX = (
    "reindex rebuilds a state directory only; a shared Redis state is not rebuilt from"
    " records: enqueue into a new --namespace with the options to keep (its first round"
    " fetches every entry again; docs/scaleout.md)")


def export(args: argparse.Namespace) -> int:
    since, until = _dates(args)  # read, and refused, as crawl and report read them
    with usage():
        flt = ExportFilter(
            since=since, until=until, sources=frozenset(args.source or ()),
            languages=frozenset(args.language or ()), topics=frozenset(args.topic or ()),
        )
        fields = FieldMap.parse(args.field)
    known_topics(args.topic or (), topics_file(args.topics))
    target = None if args.output == "-" else Path(args.output)
    fmt = output_format(args.format, target)
    if fmt == "parquet" and target is None:
        raise UsageError("--format parquet needs a file: give -o FILE")
    source = input_path(args.input)
    distinct_output(source, target)
    if fields.mapped and source.is_dir():  # our own records: nothing to map
        raise UsageError(f"--field is for a JSONL file from elsewhere, not for an output"
                         f" directory ({source})")
    crawl_output(source)
    by_story = args.stories or args.command == "stories"
    count = jobs.export(source, target, fmt, flt, by_story=by_story, fields=fields,
                        csv_raw=getattr(args, "csv_raw", False))  # stories: no CSV
    if not args.quiet:
        print(json.dumps({"stories" if by_story else "records": count}), file=sys.stderr)
    if not count and flt.languages:
        present = _present(source, replace(flt, languages=frozenset()), fields, "language")
        print(f"policywire: no row has --language {', '.join(sorted(flt.languages))};"
              f" languages are ISO 639-1 codes (de, en), and the rows' are: {present}",
              file=sys.stderr)
    elif not count and flt.sources:  # a source misnamed ("nato" for "nato-news") alike
        present = _present(source, replace(flt, sources=frozenset()), fields, "source")
        print(f"policywire: no row has --source {', '.join(sorted(flt.sources))}; the rows'"
              f" sources are: {present}", file=sys.stderr)
    elif not count and (flt.since or flt.until):  # `--since 7d` on last year's crawl alike
        _say_empty_window(source, flt, fields)
    if (flt.since or flt.until) and source.is_file():
        _say_undated(source, replace(flt, since=None, until=None), fields)
    return EXIT_OK


def _say_undated(source: Path, flt: ExportFilter, fields: FieldMap) -> None:
    """Rows from elsewhere without a readable date are in no window: say how many the
    window left out, rather than lose them without a word (a crawled record always has its
    fetched_at). Reads the file again, only when a window was given."""
    undated = sum(1 for row in iter_rows(source, flt, fields) if record_time(row) is None)
    if undated:
        print(f"policywire: {undated} {'row' if undated == 1 else 'rows'} without a readable"
              " date left out: no --since/--until window holds them", file=sys.stderr)


def _say_empty_window(source: Path, flt: ExportFilter, fields: FieldMap) -> None:
    """A --since/--until window that kept no row: say so, with the days the rows span."""
    print(f"policywire: no row dated from {flt.since or 'the start'} until"
          f" {flt.until or 'now'}; the rows' dates run"
          f" {_span(source, replace(flt, since=None, until=None), fields)}", file=sys.stderr)


def _span(source: Path, flt: ExportFilter, fields: FieldMap) -> str:
    """The first and last day of the rows ``flt`` keeps, by the time the window reads."""
    times = [t for t in map(record_time, iter_rows(source, flt, fields)) if t is not None]
    if not times:
        return "nowhere: none has a readable date"
    return f"from {min(times):%Y-%m-%d} to {max(times):%Y-%m-%d}"


def _present(source: Path, flt: ExportFilter, fields: FieldMap, key: str) -> str:
    """The values of ``key`` the rows ``flt`` keeps carry, for the line that says why a
    filter kept nothing: ``deu`` for ``de`` gave 0 rows without a word."""
    rows = iter_rows(source, flt, fields)
    # Rows of other tools' output (through dedup) carry whatever they were given.
    found = ", ".join(sorted({str(row[key]) for row in rows if row.get(key)})) or "none"
    return logs.printable(found)


def html_report(args: argparse.Namespace) -> int:
    since, until = _dates(args)  # before build_report, which takes a bad date for configuration
    source = output_directory(args.input)
    distinct_output(source, Path(args.output))
    stats = build_report(source, Path(args.output), args.since, args.until, args.dead_after)
    if not stats.records and (since or until):  # an empty page, as export says it
        _say_empty_window(source, ExportFilter(since=since, until=until), FieldMap())
    if not args.quiet:
        print(json.dumps({"report": str(stats.target), "stories": stats.stories,
                          "records": stats.records, "drift": list(stats.drift),
                          "dead": list(stats.dead)}),
              file=sys.stderr)
    return EXIT_OK


def stats(args: argparse.Namespace) -> int:
    if args.dir and args.output_dir and args.dir != args.output_dir:
        raise UsageError(f"two output directories: {args.dir} and --output-dir"
                         f" {args.output_dir}")
    # No state unless given: errors come from runs.jsonl; a given one must exist.
    state = None if args.state_dir is None else input_path(args.state_dir, "state directory")
    rows = health(output_directory(args.dir or args.output_dir or "output"), state,
                  args.dead_after)
    # A latest error quotes a server (a reject's detail); a source's name comes from files
    # another tool may have written: escaped as `sources check --live` prints.
    if args.json:
        for row in rows:
            print(logs.json_line(row.as_dict()))
    else:
        print(logs.printable(health_table(rows)))
    for row in rows:
        if row.status != "ok":  # with its latest error: the table has no room for it
            why = f" (latest error {row.latest_error})" if row.latest_error else ""
            print(logs.printable(f"policywire: {row.source}: {row.status}{why}"),
                  file=sys.stderr)
    return EXIT_OK


def sources_check(args: argparse.Namespace) -> int:
    if args.file and args.sources and args.file != args.sources:
        raise UsageError(f"two sources files: {args.file} and --sources {args.sources}")
    sources = load_sources(sources_path(args.file or args.sources))
    enabled = sum(s.enabled for s in sources)
    print(f"{len(sources)} sources, {enabled} enabled", file=sys.stderr)
    if args.live:
        return sourcecmds.sources_live(sources, args, allow_private_addresses(args))
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    schemas = {"record": record_schema(), "reject": reject_schema()}
    if args.write is None:
        print(json.dumps(schemas["record"], indent=2, sort_keys=True))
        return EXIT_OK
    folder = Path(args.write)
    if folder.exists() and not folder.is_dir():  # else 74, naming a temporary file below it
        raise UsageError(f"--write {folder}: a file, not a directory: name a folder (made if"
                         " missing)")
    for name, schema in schemas.items():
        text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
        write_shared(folder / f"{name}.schema.json", text)
    return EXIT_OK


def allow_private_addresses(args: argparse.Namespace) -> bool:
    """``--allow-private-addresses``, or the environment's ``POLICYWIRE_ALLOW_PRIVATE_ADDRESSES``
    read as ``scrapy crawl`` reads it."""
    return bool(args.allow_private_addresses) or private_addresses_allowed()


def dedup_params(args: argparse.Namespace) -> DedupParams:
    """Story-merging parameters from ``--window-days`` and ``--title-threshold``; a
    malformed or out-of-range value is a :class:`UsageError`."""
    with usage("--title-threshold"):  # --window-days: checked by the parser
        return DedupParams.configured(args.window_days, args.title_threshold or (),
                                      args.window_records)


def story_params(args: argparse.Namespace) -> StoryParams:
    """The defaults with ``--story-window-days``, ``--story-threshold`` and
    ``--story-scene-bonus`` where given (their ranges checked by the parser)."""
    given = {"window_days": args.story_window_days, "content_threshold": args.story_threshold,
             "scene_bonus": args.story_scene_bonus,
             "window_stories": args.story_window_stories}
    return replace(StoryParams(), **{k: v for k, v in given.items() if v is not None})


def _options(args: argparse.Namespace, output_file: str | None = None,
             state_dir: Path | None = None) -> jobs.CrawlOptions:
    dedup_params(args)  # a malformed threshold stops here, before anything is fetched
    since, until = _dates(args)
    if since is not None and until is not None and since >= until:  # would keep nothing
        raise UsageError(f"--since {since} is not before --until {until}")
    return jobs.CrawlOptions(
        output_dir=Path(args.output_dir),
        state_dir=state_dir or state_directory(args.state_dir, "--state-dir"),
        output_file=output_file, allow_private_addresses=allow_private_addresses(args),
        log_level=logs.quiet_level(args.quiet, args.log_level), window_days=args.window_days,
        window_records=args.window_records, since=since, until=until,
        progress=sys.stderr.isatty() and not args.quiet, topics_file=topics_file(args.topics),
        title_thresholds=tuple(args.title_threshold or ()), story_params=story_params(args),
        page_retries=args.page_retries,
    )



def _dates(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """``--since`` and ``--until`` as UTC ISO 8601; an unreadable one is a usage error."""
    with usage():
        return date_option(args.since, "--since"), date_option(args.until, "--until")


def _run_outcome(summary: dict[str, object], args: argparse.Namespace) -> int:
    """The exit code of a crawl; its one last line (problems, then totals) on stderr when it
    is not 0, even with -q: what cron mails must say what went wrong."""
    end = outcome(summary, Path(args.output_dir), args.dead_after)
    if end.exit_code != EXIT_OK:
        logs.final_line(end.line(), end.as_dict(), args.log_format)
    elif not args.quiet:
        # The hosts given up (crawler.giveup) named on a good run's line too: their pages
        # failed without a try.
        hosts = summary.get("given_up_hosts")
        totals = summary.get("totals")
        said = {**totals, "given_up_hosts": hosts} if hosts and isinstance(totals, dict) \
            else totals
        print(json.dumps(said), file=sys.stderr)
    return end.exit_code


