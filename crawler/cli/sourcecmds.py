"""``policywire sources list``, ``sources check --live``, ``sources import`` and ``sources
export``: a sources list as a user judges it, as its sites answer now, and as OPML."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crawler import logs
from crawler.cli.checks import input_file, input_path, sources_path
from crawler.cli.writing import write_text
from crawler.errors import NoInput, UsageError
from crawler.exits import EXIT_OK, EXIT_PARTIAL
from crawler.opml import read_opml, sources_to_opml, sources_to_toml
from crawler.redact import redact
from crawler.source_status import SourceStatus, source_statuses
from crawler.sources import Source, load_sources

if TYPE_CHECKING:
    from crawler.probe import Probe


def sources_list(args: argparse.Namespace) -> int:
    sources = load_sources(sources_path(args.sources))
    # The defaults may not exist yet (before a first crawl: every source "not run yet"); a
    # directory the user names must, or a typo showed every source as never run, silently.
    output_dir = (input_path(args.output_dir, "output directory") if args.output_dir
                  else Path("output"))
    state_dir = input_path(args.state_dir, "state directory") if args.state_dir else None
    if state_dir is not None and not (state_dir / "state.sqlite3").is_file():
        raise NoInput(f"{state_dir}: no policywire state there (no state.sqlite3)")
    if args.state_dir is None and Path("state").is_dir():
        state_dir = Path("state")
    statuses = source_statuses(sources, output_dir, state_dir, args.dead_after)
    # Notes are free text, perhaps from an imported OPML file: escaped, as --live prints.
    if args.json:
        for status in statuses:
            print(logs.json_line(status.as_dict()))
    else:
        print(logs.printable(_status_table(statuses)))
    return EXIT_OK


def _status_table(statuses: list[SourceStatus]) -> str:
    lines = [f"{'source':<26} {'kind':<7} {'lang':<4} {'topic':<5} {'paywall':<7} "
             f"{'health':<13} {'last run':<20} {'recs':>4} {'rej':>4}  notes"]
    for s in statuses:
        run = s.last_run
        lines.append(
            f"{s.name[:26]:<26} {s.kind:<7} {s.language or '-':<4} "
            f"{'yes' if s.require_topic else '-':<5} {'yes' if s.paywall else '-':<7} "
            f"{s.health:<13} {(run.started[:19] if run else '-'):<20} "
            f"{run.records if run else 0:>4} {run.rejects if run else 0:>4}  "
            + "; ".join(filter(None, (_rest(s), s.moved_to and f"moved to {s.moved_to}",
                                      s.notes)))
        )
    return "\n".join(lines)


def _rest(status: SourceStatus) -> str | None:
    """``deferred until <time> (retry-after)``, or ``deferred (skip-hours)`` till an hour
    its feed allows."""
    rest = status.deferred
    if rest is None:
        return None
    until = f" until {rest['until']}" if rest["until"] else ""
    return f"deferred{until} ({rest['why']})"


def sources_live(sources: list[Source], args: argparse.Namespace,
                 allow_private_addresses: bool) -> int:
    """Fetch each enabled source once; exit 1 when any gave nothing usable."""
    # The probe's parsers (feedparser, trafilatura) load for this command only: every other
    # command, dedup above all, imports this module and would pay ~0.2 CPU s for them.
    from crawler.probe import run_probes  # noqa: PLC0415

    probes = run_probes(sources, allow_private_addresses=allow_private_addresses)
    # What the servers answered (a content type, the feed parser's complaint) is printed,
    # escaped; the sources' URLs and redirects without credentials (crawler.redact).
    if args.json:
        for probe in probes:
            print(redact(logs.json_line(probe.as_dict())))
    else:
        print(redact(logs.printable(_probe_table(probes))))
    failing = [p.name for p in probes if not p.ok]
    if failing:
        print(f"policywire: {len(failing)} of {len(probes)} sources gave nothing usable: "
              f"{', '.join(failing)}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def _probe_table(probes: list[Probe]) -> str:
    lines = [f"{'source':<26} {'status':>6} {'kind':<7} {'entries':>7} {'newest':<20} "
             f"{'content type':<28} redirects / error"]
    for p in probes:
        tail = " -> ".join((*p.redirects, p.final_url)) if p.redirects else ""
        if p.feeds:  # its entries are these feeds, read in the crawl: not one page
            tail = f"{tail}  {_feeds_said(p.feeds)}".strip()
        if p.error:
            tail = f"{tail}  {p.error}".strip()
        lines.append(
            f"{p.name[:26]:<26} {p.status if p.status is not None else '-':>6} "
            f"{p.kind or '-':<7} {p.entries:>7} {(p.newest or '-')[:19]:<20} "
            f"{p.content_type[:28]:<28} {tail}"
        )
    return "\n".join(lines)


def _feeds_said(feeds: tuple[str, ...]) -> str:
    shown = ", ".join(feeds[:3]) + (f" and {len(feeds) - 3} more" if len(feeds) > 3 else "")
    return f"announces {len(feeds)} feed{'s' if len(feeds) > 1 else ''}, crawled: {shown}"


def sources_import(args: argparse.Namespace) -> int:
    # A missing OPML file is a missing input (66), as for every other command (it was 78).
    path = input_file(args.opml, "OPML file", "an OPML file")
    if args.output != "-" and Path(args.output).exists() and not args.force:
        # It replaced a hand-written sources file without a word.
        raise UsageError(f"{args.output} exists: give --force to replace it")
    read = read_opml(path.read_bytes(), str(path))
    write_text(args.output, sources_to_toml(read.sources))
    print(json.dumps({"sources": len(read.sources), "duplicate_outlines": read.duplicates,
                      "outlines_without_url": read.without_url}), file=sys.stderr)
    return EXIT_OK


def sources_export(args: argparse.Namespace) -> int:
    sources = load_sources(sources_path(args.sources))
    write_text(args.output, sources_to_opml(sources).decode("utf-8"))
    return EXIT_OK
